//! The §9 keys added for users of lazygit and k9s, driven through
//! `App::update` on `sample-project/`: `y`/`Y` copy (a hidden secret
//! refused), `K` the whole value, `:` a set by name, `!` only keys with a
//! `check` finding, `E` the user's editor, `Ctrl-l`, `v` explaining itself,
//! the filter on values (never on secrets) and the scrolling help.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use std::path::PathBuf;

use envlens::core::secret::MASK;
use envlens::tui::action::{Action, EditKey};
use envlens::tui::app::findings::Findings;
use envlens::tui::app::{App, AppOptions, LoadState, Mode};
use envlens::tui::effect::Effect;
use envlens::tui::run::load_blocking;
use envlens::tui::settings::Settings;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-project")
}

fn app() -> App {
    let settings = Settings::defaults().unwrap();
    let options = AppOptions { root: "sample-project".into(), ..AppOptions::default() };
    let mut app = App::new(options, settings.keymap, settings.theme);
    app.update(Action::Resize { width: 120, height: 32 }, std::time::Instant::now());
    app.start();
    let loaded = load_blocking(&root(), false, &[], app.generation);
    let effects = app.update(Action::Loaded(Box::new(loaded)), std::time::Instant::now());
    assert_eq!(app.load, LoadState::Ready);
    assert!(
        effects.contains(&Effect::Check { generation: app.generation }),
        "the checks run after a load: {effects:?}"
    );
    app
}

/// Puts the cursor on `key` of set `set` in env column `env`.
fn focus(app: &mut App, set: &str, key: &str, env: usize) {
    while app.current_set().unwrap().name != set {
        app.update(Action::NextSet, std::time::Instant::now());
    }
    app.update(Action::First, std::time::Instant::now());
    for _ in 0..200 {
        if app.focused_key().is_some_and(|(_, row)| row.key == key) {
            break;
        }
        app.update(Action::MoveDown, std::time::Instant::now());
    }
    assert_eq!(app.focused_key().unwrap().1.key, key);
    for _ in 0..env {
        app.update(Action::EnvRight, std::time::Instant::now());
    }
}

fn copied(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Copy(text) => Some(text.expose().to_owned()),
        _ => None,
    })
}

#[test]
fn y_copies_a_value_and_refuses_a_hidden_secret() {
    let mut app = app();
    focus(&mut app, "config", "database.pool_size", 2);
    assert_eq!(
        copied(&app.update(Action::CopyValue, std::time::Instant::now())).as_deref(),
        Some("16")
    );
    assert_eq!(app.message.as_deref(), Some("copied the value of `database.pool_size` (prod)"));

    focus(&mut app, ".env", "DB_PASSWORD", 0);
    assert!(
        app.update(Action::CopyValue, std::time::Instant::now()).is_empty(),
        "a hidden secret is not copied"
    );
    let message = app.message.clone().unwrap();
    assert!(message.contains("reveal it with v"), "{message}");
    app.update(Action::ToggleReveal, std::time::Instant::now());
    let secret = copied(&app.update(Action::CopyValue, std::time::Instant::now())).unwrap();
    assert_ne!(secret, MASK, "the real text once revealed");
    let message = app.message.clone().unwrap();
    assert!(!message.contains(&secret), "the status line never shows the secret: {message}");
    assert!(message.starts_with("copied the secret value of `DB_PASSWORD`"), "{message}");
}

#[test]
fn y_copies_a_string_bare_and_capital_y_copies_the_key_path() {
    let mut app = app();
    // `"1e-3"` is shown quoted (a string that reads as a number) but copied bare.
    focus(&mut app, "config", "training.learning_rate", 1);
    assert_eq!(
        copied(&app.update(Action::CopyValue, std::time::Instant::now())).as_deref(),
        Some("1e-3")
    );
    assert_eq!(
        copied(&app.update(Action::CopyKey, std::time::Instant::now())).as_deref(),
        Some("training.learning_rate")
    );
    // On a parent row: the parent's path.
    app.update(Action::MoveUp, std::time::Instant::now());
    while app.focused_key().is_some() {
        app.update(Action::MoveUp, std::time::Instant::now());
    }
    assert_eq!(
        copied(&app.update(Action::CopyKey, std::time::Instant::now())).as_deref(),
        Some("training")
    );
    assert!(app.update(Action::CopyValue, std::time::Instant::now()).is_empty());
    assert!(app.message.as_deref().unwrap().contains("only holds other keys"));
}

#[test]
fn v_says_why_nothing_happened() {
    let mut app = app();
    focus(&mut app, "config", "project.name", 0);
    app.update(Action::ToggleReveal, std::time::Instant::now());
    assert_eq!(
        app.message.as_deref(),
        Some("`project.name` in dev is not a masked secret: nothing to reveal")
    );
    app.update(Action::First, std::time::Instant::now());
    app.update(Action::ToggleReveal, std::time::Instant::now());
    assert_eq!(
        app.message.as_deref(),
        Some("v reveals one secret cell: this row only holds other keys")
    );
    focus(&mut app, "config", "data.min_tenure_days", 2);
    app.update(Action::ToggleReveal, std::time::Instant::now());
    assert_eq!(app.message.as_deref(), Some("`data.min_tenure_days` has no value in prod"));
}

#[test]
fn capital_k_shows_the_whole_value_masked_until_revealed() {
    let mut app = app();
    focus(&mut app, "config", "database.url", 0);
    app.update(Action::ShowValue, std::time::Instant::now());
    assert_eq!(app.mode, Mode::Value);
    let shown = app.value_box.clone().unwrap();
    assert_eq!(shown.title, " dev · database.url ");
    assert!(shown.lines[0].contains(MASK), "{:?}", shown.lines);
    app.update(Action::CloseValue, std::time::Instant::now());
    assert_eq!(app.mode, Mode::Table);
    // On a parent: every key below it in the focused env.
    app.update(Action::MoveUp, std::time::Instant::now());
    while app.focused_key().is_some() {
        app.update(Action::MoveUp, std::time::Instant::now());
    }
    app.update(Action::ShowValue, std::time::Instant::now());
    let lines = app.value_box.clone().unwrap().lines;
    assert!(lines.iter().any(|l| l == "database.pool_size = 2"), "{lines:?}");
    assert!(lines.iter().all(|l| !l.contains("postgres://trainer:") || l.contains(MASK)));
}

#[test]
fn colon_jumps_to_a_set_by_fuzzy_name() {
    let mut app = app();
    app.update(Action::JumpToSet, std::time::Instant::now());
    assert_eq!(app.mode, Mode::Jump);
    for c in "srvng".chars() {
        app.update(Action::JumpKey(EditKey::Char(c)), std::time::Instant::now());
    }
    let best = app.jump_matches()[0];
    assert_eq!(app.model.sets[best].name, "services/serving/config");
    app.update(Action::JumpKey(EditKey::Save), std::time::Instant::now());
    assert_eq!(app.mode, Mode::Table);
    assert_eq!(app.current_set().unwrap().name, "services/serving/config");
    assert!(app.focused_key().is_some(), "the cursor lands on a key, not a parent");
    app.update(Action::JumpToSet, std::time::Instant::now());
    for c in "zzz".chars() {
        app.update(Action::JumpKey(EditKey::Char(c)), std::time::Instant::now());
    }
    app.update(Action::JumpKey(EditKey::Save), std::time::Instant::now());
    assert_eq!(app.message.as_deref(), Some("no set matches `zzz`"));
    assert_eq!(app.current_set().unwrap().name, "services/serving/config");
}

/// What `check` finds on the sample project, as the worker sends it.
fn findings(app: &App) -> Findings {
    let project = app.model.project.clone().unwrap();
    let settings = envlens::core::settings::load(&project.root).unwrap();
    let found = envlens::core::check::run(&project, &settings, &|_| true);
    Findings::group(&found, app.generation)
}

#[test]
fn bang_shows_only_keys_with_a_finding_and_names_the_rule() {
    let mut app = app();
    focus(&mut app, "config", "project.name", 0);
    let all = app.visible.len();
    let found = findings(&app);
    app.update(Action::Checked(Box::new(found)), std::time::Instant::now());
    app.update(Action::OnlyFindings, std::time::Instant::now());
    assert!(app.only_findings);
    let set = app.current_set().unwrap();
    let keys: Vec<&str> = app
        .visible
        .iter()
        .filter_map(|&n| set.tree[n as usize].key)
        .filter_map(|k| set.keys.key(k as usize))
        .collect();
    assert!(app.visible.len() < all);
    assert!(keys.contains(&"data.validation_path"), "prod names the staging bucket: {keys:?}");
    assert!(keys.contains(&"database.url"), "{keys:?}");
    assert!(!keys.contains(&"project.name"), "{keys:?}");
    assert!(app.focused_key().is_some(), "the cursor is on a key with a finding");
    focus(&mut app, "config", "data.validation_path", 2);
    let rules: Vec<&str> = app.notes_of("data.validation_path").iter().map(|n| n.rule).collect();
    assert!(rules.contains(&"cross-env-reference"), "{rules:?}");
    // Findings of an older load are dropped.
    let mut stale = findings(&app);
    stale.generation = 0;
    app.update(Action::OnlyFindings, std::time::Instant::now());
    app.findings = None;
    app.update(Action::Checked(Box::new(stale)), std::time::Instant::now());
    assert!(app.findings.is_none());
}

#[test]
fn capital_e_asks_for_the_editor_at_the_line_then_reloads() {
    let mut app = app();
    focus(&mut app, "config", "database.pool_size", 2);
    let effects = app.update(Action::OpenInEditor, std::time::Instant::now());
    let [Effect::OpenEditor { path, line }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(path, &PathBuf::from("sample-project/config_prod.yaml"));
    assert!(*line > 1);
    let again = app.update(Action::ExternalDone(Ok(())), std::time::Instant::now());
    assert!(again.iter().any(|e| matches!(e, Effect::Load { .. })), "{again:?}");
    let missing = app.update(
        Action::ExternalDone(Err("no editor: set $VISUAL or $EDITOR".into())),
        std::time::Instant::now(),
    );
    assert!(missing.is_empty());
    assert_eq!(app.message.as_deref(), Some("no editor: set $VISUAL or $EDITOR"));
    // An inherited value opens the base file.
    focus(&mut app, "services/serving/config", "server.host", 1);
    let effects = app.update(Action::OpenInEditor, std::time::Instant::now());
    let [Effect::OpenEditor { path, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    assert!(path.ends_with("services/serving/config_base.toml"), "{path:?}");
}

#[test]
fn ctrl_l_redraws() {
    let mut app = app();
    assert_eq!(app.update(Action::Redraw, std::time::Instant::now()), vec![Effect::Redraw]);
}

#[test]
fn the_filter_matches_values_but_never_secrets() {
    let mut app = app();
    focus(&mut app, "config", "project.name", 0);
    app.update(Action::Filter, std::time::Instant::now());
    for c in "churn-prod-data".chars() {
        app.update(Action::FilterInput(c), std::time::Instant::now());
    }
    assert_eq!(app.focused_key().unwrap().1.key, "data.train_path", "found by its prod value");
    app.update(Action::ClearFilter, std::time::Instant::now());
    // The real text of a secret matches nothing.
    focus(&mut app, ".env", "DB_PASSWORD", 0);
    app.update(Action::ToggleReveal, std::time::Instant::now());
    let secret = app.focused_cell().unwrap().secret.clone().unwrap().expose().to_owned();
    app.update(Action::Filter, std::time::Instant::now());
    for c in secret.chars() {
        app.update(Action::FilterInput(c), std::time::Instant::now());
    }
    let set = app.current_set().unwrap();
    assert!(
        app.visible.iter().all(|&n| set.tree[n as usize].key.is_none_or(|k| !set
            .keys
            .key(k as usize)
            .unwrap()
            .contains("PASSWORD"))),
        "a secret's text is never searched"
    );
}

#[test]
fn the_help_scrolls_when_it_does_not_fit() {
    let mut app = app();
    app.update(Action::Resize { width: 80, height: 24 }, std::time::Instant::now());
    app.update(Action::Help, std::time::Instant::now());
    assert_eq!(app.mode, Mode::Help);
    app.update(Action::ScrollHelp(5), std::time::Instant::now());
    assert_eq!(app.help_scroll, 5);
    app.update(Action::ScrollHelp(-50), std::time::Instant::now());
    assert_eq!(app.help_scroll, 0);
    app.update(Action::Help, std::time::Instant::now());
    assert_eq!(app.mode, Mode::Table);
}

fn draw(app: &App) -> ratatui::Terminal<ratatui::backend::TestBackend> {
    let backend = ratatui::backend::TestBackend::new(app.width, app.height);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal.draw(|frame| envlens::tui::view::render(app, frame)).unwrap();
    terminal
}

#[test]
fn findings_stand_out_in_the_table_and_the_detail_pane_at_160x48() {
    let mut app = app();
    app.update(Action::Resize { width: 160, height: 48 }, std::time::Instant::now());
    app.theme.color = false;
    app.loaded_note = None;
    let found = findings(&app);
    app.update(Action::Checked(Box::new(found)), std::time::Instant::now());
    focus(&mut app, "config", "data.validation_path", 2);
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn the_value_box_and_the_set_prompt_at_80x24() {
    let mut app = app();
    app.update(Action::Resize { width: 80, height: 24 }, std::time::Instant::now());
    app.theme.color = false;
    app.loaded_note = None;
    focus(&mut app, "config", "database.url", 1);
    app.update(Action::ShowValue, std::time::Instant::now());
    insta::assert_snapshot!("value_box_80x24", draw(&app).backend());
    app.update(Action::CloseValue, std::time::Instant::now());
    app.update(Action::JumpToSet, std::time::Instant::now());
    app.update(Action::JumpKey(EditKey::Char('c')), std::time::Instant::now());
    insta::assert_snapshot!("set_prompt_80x24", draw(&app).backend());
    app.update(Action::JumpKey(EditKey::Cancel), std::time::Instant::now());
    app.update(Action::Help, std::time::Instant::now());
    insta::assert_snapshot!("help_80x24", draw(&app).backend());
}
