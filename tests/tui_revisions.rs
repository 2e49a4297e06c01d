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
use envlens::tui::live::Live;
use envlens::tui::run::{load_blocking_since, load_blocking_with};
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

/// Runs `effects` as the loop does for a view opened with `--since REV`:
/// loads blocking here, live jobs through `live`; returns the effects seen.
fn run_since(
    app: &mut App,
    live: &mut Live,
    root: &std::path::Path,
    rev: &str,
    effects: Vec<Effect>,
) {
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    let now = Instant::now();
    while let Some(effect) = queue.pop_front() {
        let answer = match &effect {
            Effect::Load { generation } => {
                let open = OpenOptions { no_sources: true, ..OpenOptions::default() };
                let loaded = load_blocking_since(root, &open, Some(rev), &[], *generation);
                Some(Action::Loaded(Box::new(loaded)))
            }
            Effect::Live(job) => live.run(app.model.project.as_mut(), job),
            _ => None,
        };
        if let Some(action) = answer {
            queue.extend(app.update(action, now));
        }
    }
}

/// The focused row's text in the table and the detail pane's lines.
fn focus(app: &mut App, key: &str) {
    app.update(Action::First, Instant::now());
    for _ in 0..app.visible.len() {
        if app.focused_key().is_some_and(|(_, row)| row.key == key) {
            return;
        }
        app.update(Action::MoveDown, Instant::now());
    }
    panic!("no row {key}");
}

fn line_of<'s>(screen: &'s str, needle: &str) -> &'s str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no {needle:?} in\n{screen}"))
}

/// Issue 17: `envlens --since REV` marks each cell whose effective value
/// changed since REV with `Δ` (a changed, an added and a secret cell; an
/// unchanged one is not marked), counts the changed keys in the header,
/// and the detail pane says what the cell was — a secret's old value
/// masked as today's. A live reload marks against REV again.
#[test]
fn cells_changed_since_a_revision_are_marked_with_what_they_were() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "pool: 5\nhost: db.dev\napi_token: fake-old-token-dev-1111\n");
    repo.write(
        "config_prod.yaml",
        "pool: 10\nhost: db.prod\napi_token: fake-old-token-prod-2222\n",
    );
    repo.commit("pools");
    repo.write(
        "config_prod.yaml",
        "pool: 77\nhost: db.prod\napi_token: fake-new-token-prod-3333\nretries: 3\n",
    );

    let options = AppOptions { since: Some("HEAD".into()), ..AppOptions::default() };
    let settings = Settings::defaults().unwrap();
    let mut app = App::new(options, settings.keymap, settings.theme);
    app.update(Action::Resize { width: 140, height: 24 }, Instant::now());
    let mut live = Live::new(repo.path().to_path_buf(), false, None);
    let start = app.start();
    run_since(&mut app, &mut live, repo.path(), "HEAD", start);
    app.loaded_note = None;

    focus(&mut app, "pool");
    let shown = screen(&app);
    assert!(shown.contains("3 changed since HEAD"), "pool, api_token, retries:\n{shown}");
    let pool = line_of(&shown, "pool  ");
    assert!(pool.contains("Δ77"), "prod's new pool is marked:\n{shown}");
    assert!(pool.contains(" 5 ") && !pool.contains("Δ5"), "dev's pool did not change:\n{shown}");
    assert!(!line_of(&shown, "host  ").contains('Δ'), "host is unchanged:\n{shown}");
    assert!(line_of(&shown, "retries").contains("Δ3"), "an added key is new:\n{shown}");
    let prod_detail =
        shown.lines().rev().find(|l| l.contains("prod ") && l.contains("77")).unwrap();
    assert!(prod_detail.contains("Δ was 10 at HEAD"), "the old value:\n{shown}");

    focus(&mut app, "retries");
    let shown = screen(&app);
    assert!(shown.contains("Δ new since HEAD"), "{shown}");

    focus(&mut app, "api_token");
    let shown = screen(&app);
    assert!(line_of(&shown, "api_token  ").contains("Δ••••••••"), "{shown}");
    assert!(shown.contains("Δ was •••••••• at HEAD"), "masked alike:\n{shown}");
    for secret in ["fake-old-token", "fake-new-token"] {
        assert!(!shown.contains(secret), "{secret} shown:\n{shown}");
    }

    // Another program puts prod's pool back: no longer changed since HEAD.
    repo.write(
        "config_prod.yaml",
        "pool: 10\nhost: db.prod\napi_token: fake-new-token-prod-3333\nretries: 3\n",
    );
    let effects =
        app.update(Action::FilesChanged(vec![repo.join("config_prod.yaml")]), Instant::now());
    run_since(&mut app, &mut live, repo.path(), "HEAD", effects);
    focus(&mut app, "pool");
    let shown = screen(&app);
    assert!(shown.contains("2 changed since HEAD"), "after the reload:\n{shown}");
    assert!(!line_of(&shown, "pool  ").contains('Δ'), "{shown}");
}

/// A revision that does not exist fails the load with the revision named.
#[test]
fn a_bad_since_revision_is_an_error_of_the_load() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "pool: 5\n");
    repo.write("config_prod.yaml", "pool: 10\n");
    repo.commit("pools");
    let open = OpenOptions { no_sources: true, ..OpenOptions::default() };
    let loaded = load_blocking_since(repo.path(), &open, Some("no-such-rev"), &[], 1);
    let message = loaded.result.expect_err("an error");
    assert!(message.starts_with("--since no-such-rev: "), "{message}");
}
