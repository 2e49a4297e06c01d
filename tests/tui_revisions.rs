//! The view opened with `--rev REV` (§9, §13): the revision's values, read-
//! only with the reason said, not watched, and the revision named in the
//! header. The repository is made with `git`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::time::Instant;

use envlens::core::project::OpenOptions;
use envlens::tui::action::Action;
use envlens::tui::app::{App, AppOptions};
use envlens::tui::effect::Effect;
use envlens::tui::run::load_blocking_with;
use envlens::tui::settings::Settings;
use envlens::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::git::{GitRepo, have_git};

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.width, app.height)).unwrap();
    terminal.draw(|frame| view::render(app, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    let symbols: Vec<&str> = buffer.content.iter().map(ratatui::buffer::Cell::symbol).collect();
    symbols.chunks(width).map(<[&str]>::concat).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_revision_is_shown_read_only_and_not_watched() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "pool: 5\n");
    repo.write("config_prod.yaml", "pool: 10\n");
    repo.commit("pools");
    repo.write("config_prod.yaml", "pool: 77\n");

    let options = AppOptions { rev: Some("HEAD".into()), readonly: true, ..AppOptions::default() };
    let settings = Settings::defaults().unwrap();
    let mut app = App::new(options, settings.keymap, settings.theme);
    let now = Instant::now();
    app.update(Action::Resize { width: 100, height: 20 }, now);
    app.start();
    let open = OpenOptions { rev: Some("HEAD".into()), no_sources: true, ..OpenOptions::default() };
    let loaded = load_blocking_with(repo.path(), &open, &[], app.generation);
    let effects = app.update(Action::Loaded(Box::new(loaded)), now);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Live(_))),
        "a revision is not watched: {effects:?}"
    );
    app.loaded_note = None;
    let shown = screen(&app);
    assert!(shown.contains("10"), "the revision's value:\n{shown}");
    assert!(!shown.contains("77"), "not the working tree's:\n{shown}");
    assert!(shown.contains("at HEAD"), "the header names the revision:\n{shown}");
    let effects = app.update(Action::Edit, now);
    assert!(effects.is_empty(), "{effects:?}");
    let message = app.message.clone().unwrap_or_default();
    assert!(message.starts_with("read-only (--rev HEAD)"), "{message}");
}
