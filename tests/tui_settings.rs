//! Keymap and theme: the embedded defaults parse, a valid user file takes
//! effect, and each broken user file gives its exact message with file and
//! line (`tests/fixtures/user-settings/`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use std::path::Path;

use envlens::tui::action::Action;
use envlens::tui::keymap::{Chord, Resolution};
use envlens::tui::settings::Settings;
use envlens::tui::theme::Slot;
use ratatui::style::Color;

fn fixture(name: &str) -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/user-settings").join(name);
    std::fs::read_to_string(path).unwrap()
}

/// The error a fixture gives, with the fixture's name as its file.
fn error_of(name: &str) -> (String, Option<String>) {
    let mut settings = Settings::defaults().unwrap();
    let err = settings.apply(&fixture(name), name).unwrap_err();
    (err.message, err.hint)
}

#[test]
fn defaults_parse_and_bind_every_action() {
    let settings = Settings::defaults().unwrap();
    for action in &Action::BINDABLE {
        assert!(!settings.keymap.keys_for(action).is_empty(), "{action} has no key");
    }
    assert_eq!(settings.keymap.keys_for(&Action::Quit), vec!["q", "Ctrl-c"]);
    assert_eq!(settings.keymap.keys_for(&Action::Unfold), vec!["zo"]);
    assert_eq!(settings.theme.color(Slot::Differs), Color::Yellow);
    assert_eq!(settings.reveal_timeout.map(|t| t.as_secs()), Some(30));
}

#[test]
fn a_valid_user_file_takes_effect() {
    let mut settings = Settings::defaults().unwrap();
    settings.apply(&fixture("valid.toml"), "valid.toml").unwrap();
    let keys = &settings.keymap;
    assert_eq!(keys.keys_for(&Action::Quit), vec!["x"]);
    assert_eq!(keys.keys_for(&Action::MoveDown), vec!["n", "↓"]);
    let q = Chord::parse("q").unwrap();
    assert!(matches!(keys.resolve(&[q]), Resolution::Unbound), "q is no longer bound");
    let z = Chord::parse("z").unwrap();
    assert!(matches!(keys.resolve(&[z, z]), Resolution::Action(Action::Unfold)));
    assert_eq!(settings.theme.color(Slot::Differs), Color::Rgb(0xff, 0xaa, 0x00));
    assert_eq!(settings.theme.color(Slot::CursorRow), Color::Reset);
    assert_eq!(settings.reveal_timeout, None);
}

#[test]
fn broken_user_files_name_file_line_and_key() {
    let cases = [
        ("unknown_setting.toml", "unknown_setting.toml:2: unknown setting `colour_scheme`"),
        ("unknown_action.toml", "unknown_action.toml:3: unknown action `jump` in [keys]"),
        ("bad_key.toml", "bad_key.toml:3: keys.quit: `ctrl-` is not a key"),
        ("bad_colour.toml", "bad_colour.toml:3: theme.differs: `yelow` is not a colour"),
        ("colour_not_string.toml", "colour_not_string.toml:3: theme.differs: `3` is not a colour"),
        ("unknown_role.toml", "unknown_role.toml:2: unknown colour role `background` in [theme]"),
        (
            "bad_timeout.toml",
            "bad_timeout.toml:3: reveal_timeout_seconds must be a whole number of seconds, 0 or more",
        ),
        ("keys_not_table.toml", "keys_not_table.toml:1: `keys` must be a table ([keys])"),
    ];
    for (file, expected) in cases {
        assert_eq!(error_of(file).0, expected, "{file}");
    }
    let (message, _) = error_of("not_toml.toml");
    assert!(message.starts_with("not_toml.toml:1: not valid TOML: "), "{message}");
    let (_, hint) = error_of("unknown_action.toml");
    assert!(hint.unwrap().contains("move_down, move_up"));
    let (_, hint) = error_of("bad_key.toml");
    assert!(hint.unwrap().contains("\"z o\""));
}

#[test]
fn a_missing_named_file_is_an_error() {
    let err =
        envlens::tui::settings::load_file(Path::new("/nonexistent/envlens.toml")).unwrap_err();
    assert!(err.message.starts_with("/nonexistent/envlens.toml: cannot read the settings file"));
}
