//! Terminal input to actions: the keymap in the table, typing in the
//! filter and the editor, a few fixed keys in the help, and the mouse.
//! Ctrl-c always quits, whatever the keymap says, so a user can never be
//! locked in.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::action::{Action, EditKey};
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
            Mode::Edit => {
                self.pending.clear();
                edit_key(chord).map(Action::EditKey)
            }
            Mode::Help => {
                self.pending.clear();
                help_key(chord)
            }
            Mode::Jump => {
                self.pending.clear();
                edit_key(chord).map(Action::JumpKey)
            }
            Mode::Value => {
                self.pending.clear();
                value_key(chord)
            }
            Mode::Flags => {
                self.pending.clear();
                flags_key(chord)
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

/// A key of the help page.
fn help_key(chord: Chord) -> Option<Action> {
    match chord.code {
        KeyCode::Esc | KeyCode::Char('?' | 'q') => Some(Action::Help),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::ScrollHelp(1)),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::ScrollHelp(-1)),
        KeyCode::PageDown | KeyCode::Char(' ') => Some(Action::ScrollHelp(10)),
        KeyCode::PageUp => Some(Action::ScrollHelp(-10)),
        _ => None,
    }
}

/// A key of the full-value view.
fn value_key(chord: Chord) -> Option<Action> {
    match chord.code {
        KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q' | 'K') => Some(Action::CloseValue),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::ScrollValue(1)),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::ScrollValue(-1)),
        KeyCode::PageDown | KeyCode::Char(' ') => Some(Action::ScrollValue(10)),
        KeyCode::PageUp => Some(Action::ScrollValue(-10)),
        KeyCode::Home | KeyCode::Char('g') => Some(Action::ScrollValue(i32::MIN)),
        KeyCode::End | KeyCode::Char('G') => Some(Action::ScrollValue(i32::MAX)),
        _ => None,
    }
}

/// A key of the flag matrix.
fn flags_key(chord: Chord) -> Option<Action> {
    use crate::tui::app::flags::FlagKey;
    let key = match chord.code {
        KeyCode::Esc | KeyCode::Char('q' | 'F') => FlagKey::Close,
        KeyCode::Down | KeyCode::Char('j') => FlagKey::Down,
        KeyCode::Up | KeyCode::Char('k') => FlagKey::Up,
        KeyCode::Char('a') => FlagKey::ToggleSets,
        KeyCode::Enter => FlagKey::Jump,
        _ => return None,
    };
    Some(Action::FlagKey(key))
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

/// The editor's keys (§9); a plain character is typed.
fn edit_key(chord: Chord) -> Option<EditKey> {
    let ctrl = chord.mods.contains(KeyModifiers::CONTROL);
    let plain = !chord.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    Some(match chord.code {
        KeyCode::Esc => EditKey::Cancel,
        KeyCode::Enter => EditKey::Save,
        KeyCode::Left => EditKey::Left,
        KeyCode::Right => EditKey::Right,
        KeyCode::Home => EditKey::Home,
        KeyCode::End => EditKey::End,
        KeyCode::Backspace => EditKey::Backspace,
        KeyCode::Delete => EditKey::Delete,
        KeyCode::Char('a') if ctrl => EditKey::Home,
        KeyCode::Char('e') if ctrl => EditKey::End,
        KeyCode::Char('u') if ctrl => EditKey::KillStart,
        KeyCode::Char('k') if ctrl => EditKey::KillEnd,
        KeyCode::Char('w') if ctrl => EditKey::KillWord,
        KeyCode::Char(c) if plain => EditKey::Char(c),
        _ => return None,
    })
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
