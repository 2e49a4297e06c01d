//! Key chords, sequences (`z o`) and the map from them to actions. The
//! defaults live in `assets/keymap.toml`; user settings replace an action's
//! keys and take those keys away from any other action.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// One key with its modifiers, normalised so that `G` is `G` whether or not
/// the terminal also reports Shift, and Shift-Tab is `BackTab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const NAMES: &[(&str, KeyCode)] = &[
    ("space", KeyCode::Char(' ')),
    ("tab", KeyCode::Tab),
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pageup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("pagedown", KeyCode::PageDown),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
];

impl Chord {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Self {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            other => other,
        };
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Self { code, mods }
    }

    pub fn from_event(event: &KeyEvent) -> Self {
        Self::new(event.code, event.modifiers)
    }

    /// Reads `ctrl-c`, `shift-tab`, `pgdn`, `G`, `?`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (flag, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            if rest.len() == len {
                break;
            }
            mods |= flag;
            rest = &rest[len..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => key_name(&rest.to_ascii_lowercase())?,
        };
        Some(Self::new(code, mods))
    }
}

fn key_name(name: &str) -> Option<KeyCode> {
    if let Some(n) = name.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
        return (1..=12).contains(&n).then_some(KeyCode::F(n));
    }
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, code)| *code)
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Reads a binding: one chord, or chords separated by spaces (`z o`).
pub fn parse_sequence(text: &str) -> Option<Vec<Chord>> {
    if text.chars().count() == 1 {
        return Chord::parse(text).map(|c| vec![c]);
    }
    let chords: Option<Vec<Chord>> = text.split(' ').map(Chord::parse).collect();
    chords.filter(|c| !c.is_empty())
}

/// What the keys typed so far mean.
#[derive(Debug, Clone)]
pub enum Resolution {
    Action(Action),
    /// The start of a longer sequence: wait for the next key.
    Pending,
    Unbound,
}

/// Key sequences bound to actions.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    bindings: Vec<(Vec<Chord>, Action)>,
}

impl Keymap {
    /// Gives `action` exactly these sequences, taking them from any other
    /// action that had them.
    pub fn bind(&mut self, action: &Action, sequences: Vec<Vec<Chord>>) {
        let name = action.name();
        self.bindings.retain(|(seq, a)| a.name() != name && !sequences.contains(seq));
        self.bindings.extend(sequences.into_iter().map(|seq| (seq, action.clone())));
    }

    pub fn resolve(&self, typed: &[Chord]) -> Resolution {
        let mut pending = false;
        for (seq, action) in &self.bindings {
            if seq.as_slice() == typed {
                return Resolution::Action(action.clone());
            }
            pending |= seq.len() > typed.len() && seq.starts_with(typed);
        }
        if pending { Resolution::Pending } else { Resolution::Unbound }
    }

    /// The keys of `action` as help shows them (`j ↓`).
    pub fn keys_for(&self, action: &Action) -> Vec<String> {
        let name = action.name();
        self.bindings
            .iter()
            .filter(|(_, a)| a.name() == name)
            .map(|(seq, _)| seq.iter().map(ToString::to_string).collect::<String>())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chords_read_as_written() {
        assert_eq!(
            Chord::parse("ctrl-c"),
            Some(Chord::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            Chord::parse("shift-tab"),
            Some(Chord::new(KeyCode::BackTab, KeyModifiers::NONE))
        );
        assert_eq!(Chord::parse("G"), Some(Chord::new(KeyCode::Char('G'), KeyModifiers::SHIFT)));
        assert_eq!(Chord::parse("-"), Some(Chord::new(KeyCode::Char('-'), KeyModifiers::NONE)));
        assert_eq!(Chord::parse("PgDn"), Some(Chord::new(KeyCode::PageDown, KeyModifiers::NONE)));
        assert_eq!(Chord::parse("f12"), Some(Chord::new(KeyCode::F(12), KeyModifiers::NONE)));
        for bad in ["", "ctrl-", "pgdwn", "f13", "shift-"] {
            assert_eq!(Chord::parse(bad), None, "{bad:?}");
        }
        assert_eq!(parse_sequence("z o").map(|s| s.len()), Some(2));
        assert!(parse_sequence("zo").is_none());
    }

    #[test]
    fn sequences_wait_and_rebinding_moves_keys() {
        let mut map = Keymap::default();
        let z = Chord::parse("z").unwrap();
        let o = Chord::parse("o").unwrap();
        map.bind(&Action::Unfold, vec![vec![z, o]]);
        map.bind(&Action::Quit, vec![vec![o]]);
        assert!(matches!(map.resolve(&[z]), Resolution::Pending));
        assert!(matches!(map.resolve(&[z, o]), Resolution::Action(Action::Unfold)));
        map.bind(&Action::Help, vec![vec![o]]);
        assert!(map.keys_for(&Action::Quit).is_empty());
        assert_eq!(map.keys_for(&Action::Help), vec!["o".to_owned()]);
    }
}
