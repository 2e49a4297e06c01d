//! The view's tree with lists keyed by identity (§12): a keyed item is a
//! folding parent named by its identity (`[name=web]`, never `[0]`), and
//! folding it hides exactly its keys. On tests/fixtures/identity/k8s.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly")]

use std::path::PathBuf;
use std::time::Instant;

use envlens::tui::action::Action;
use envlens::tui::app::{App, AppOptions};
use envlens::tui::run::load_blocking_view;
use envlens::tui::settings::Settings;
use envlens::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn app() -> App {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/identity/k8s");
    let settings = Settings::defaults().unwrap();
    let options = AppOptions { root: root.display().to_string(), ..AppOptions::default() };
    let mut app = App::new(options, settings.keymap, settings.theme);
    app.update(Action::Resize { width: 160, height: 60 }, Instant::now());
    app.start();
    let open = envlens::core::project::OpenOptions::default();
    let loaded = load_blocking_view(&root, &open, None, false, &[], app.generation);
    app.update(Action::Loaded(Box::new(loaded)), Instant::now());
    app
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.width, app.height)).unwrap();
    terminal.draw(|frame| view::render(app, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let width = buffer.area.width as usize;
    let cells: Vec<&str> = buffer.content.iter().map(ratatui::buffer::Cell::symbol).collect();
    cells
        .chunks(width)
        .map(|line| line.concat().trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The focused node's label and whether it holds a value.
fn focused(app: &App) -> (String, bool) {
    let (_, node) = app.focused_node().unwrap();
    (app.current_set().unwrap().label(node).to_owned(), node.key.is_some())
}

fn focus_label(app: &mut App, label: &str) {
    app.update(Action::First, Instant::now());
    for _ in 0..100 {
        if focused(app).0 == label {
            return;
        }
        app.update(Action::MoveDown, Instant::now());
    }
    panic!("no row labelled {label}:\n{}", screen(app));
}

#[test]
fn a_keyed_item_is_a_folding_parent_named_by_its_identity() {
    let mut app = app();
    let before = screen(&app);
    assert!(before.contains("[name=web]"), "{before}");
    assert!(before.contains("[name=LOG_LEVEL]"), "{before}");
    focus_label(&mut app, "[name=web]");
    let (_, holds_value) = focused(&app);
    assert!(!holds_value, "an item row is a parent, not a value");
    app.update(Action::ToggleFold, Instant::now());
    let folded = screen(&app);
    assert!(folded.contains("[name=web]"), "{folded}");
    // The folded item's keys are gone; the other container's stay.
    assert!(!folded.contains("[name=LOG_LEVEL]"), "{folded}");
    assert!(folded.contains("[name=sidecar]"), "{folded}");
    app.update(Action::ToggleFold, Instant::now());
    assert!(screen(&app).contains("[name=LOG_LEVEL]"));
}
