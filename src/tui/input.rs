//! Terminal input to actions: the keymap in the table, typing in the
//! filter, a few fixed keys in the help, and the mouse. Ctrl-c always quits,
//! whatever the keymap says, so a user can never be locked in.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::action::Action;
use super::app::{App, Mode};
use super::keymap::{Chord, Resolution};

/// Rows one turn of the mouse wheel scrolls.
const WHEEL_ROWS: i32 = 3;

/// Keys typed so far of a sequence like `z o`.
#[derive(Debug, Default)]
pub struct KeyInput {
    pending: Vec<Chord>,
}

impl KeyInput {
    pub fn key(&mut self, app: &App, key: &KeyEvent) -> Option<Action> {
        let chord = Chord::from_event(key);
        if chord == Chord::new(KeyCode::Char('c'), KeyModifiers::CONTROL) {
            return Some(Action::Quit);
        }
        match app.mode {
            Mode::Filter => {
                self.pending.clear();
                filter_key(chord)
            }
            Mode::Help => {
                self.pending.clear();
                match chord.code {
                    KeyCode::Esc | KeyCode::Char('?' | 'q') => Some(Action::Help),
                    _ => None,
                }
            }
            Mode::Table => {
                self.pending.push(chord);
                match app.keymap.resolve(&self.pending) {
                    Resolution::Action(action) => {
                        self.pending.clear();
                        Some(action)
                    }
                    Resolution::Pending => None,
                    Resolution::Unbound => {
                        // A wrong second key starts over with that key alone.
                        let retry = self.pending.len() > 1;
                        self.pending.clear();
                        if retry { self.key(app, key) } else { None }
                    }
                }
            }
        }
    }
}

fn filter_key(chord: Chord) -> Option<Action> {
    let plain = !chord.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match chord.code {
        KeyCode::Esc => Some(Action::ClearFilter),
        KeyCode::Enter => Some(Action::FilterKeep),
        KeyCode::Backspace => Some(Action::FilterBackspace),
        KeyCode::Down => Some(Action::MoveDown),
        KeyCode::Up => Some(Action::MoveUp),
        KeyCode::Char(c) if plain => Some(Action::FilterInput(c)),
        _ => None,
    }
}

/// The wheel scrolls; a left click focuses what is under it.
pub fn mouse(event: &MouseEvent) -> Option<Action> {
    match event.kind {
        MouseEventKind::ScrollDown => Some(Action::Scroll(WHEEL_ROWS)),
        MouseEventKind::ScrollUp => Some(Action::Scroll(-WHEEL_ROWS)),
        MouseEventKind::Down(MouseButton::Left) => {
            Some(Action::Click { column: event.column, row: event.row })
        }
        _ => None,
    }
}
