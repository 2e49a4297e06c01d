//! `App::update` driven by actions, without a terminal, on `sample-project/`:
//! cursor, env columns, sets, filter, folds, only-differences, the
//! reference env, reveal (one cell only), reloads and the start options.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::PathBuf;
use std::time::Duration;

use envlens::core::diff::Status;
use envlens::tui::action::Action;
use envlens::tui::app::{App, AppOptions, LoadState, Mode};
use envlens::tui::effect::Effect;
use envlens::tui::run::load_blocking;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-project")
}

fn app_with(options: AppOptions) -> App {
    let app = support::app::app_on_sample(options, (120, 32));
    assert_eq!(app.load, LoadState::Ready);
    app
}

fn app() -> App {
    app_with(AppOptions { root: "sample-project".into(), ..AppOptions::default() })
}

/// The focused row as a path of labels (`database/pool_size`).
fn focused(app: &App) -> String {
    let set = app.current_set().unwrap();
    let (at, node) = app.focused_node().unwrap();
    let mut parts = vec![set.label(node).to_owned()];
    let mut depth = node.depth;
    for n in set.tree[..at].iter().rev() {
        if n.depth < depth {
            parts.push(set.label(n).to_owned());
            depth = n.depth;
        }
    }
    parts.reverse();
    parts.join("/")
}

fn go(app: &mut App, actions: impl IntoIterator<Item = Action>) {
    for action in actions {
        app.update(action, support::app::clock());
    }
}

fn set_name(app: &App) -> &str {
    &app.current_set().unwrap().name
}

#[test]
fn the_first_set_opens_and_the_cursor_moves() {
    let mut app = app();
    assert_eq!(set_name(&app), ".env");
    assert_eq!(focused(&app), "LOG_LEVEL");
    app.update(Action::MoveUp, support::app::clock());
    assert_eq!(focused(&app), "LOG_LEVEL", "the top stops the cursor");
    go(&mut app, [Action::MoveDown, Action::MoveDown]);
    assert_eq!(focused(&app), "DB_PASSWORD");
    app.update(Action::Last, support::app::clock());
    let last = app.visible.len() - 1;
    assert_eq!(app.view().unwrap().cursor, last);
    app.update(Action::MoveDown, support::app::clock());
    assert_eq!(app.view().unwrap().cursor, last, "the bottom stops the cursor");
    app.update(Action::First, support::app::clock());
    assert_eq!(app.view().unwrap().cursor, 0);
    app.update(Action::PageDown, support::app::clock());
    assert_eq!(app.view().unwrap().cursor, last, "a page is longer than this set");
}

#[test]
fn a_page_scrolls_and_the_cursor_stays_in_view() {
    let mut app = app();
    app.update(Action::Resize { width: 80, height: 16 }, support::app::clock());
    app.update(Action::NextSet, support::app::clock());
    let page = app.page_rows();
    let start = app.view().unwrap().cursor;
    app.update(Action::PageDown, support::app::clock());
    let view = app.view().unwrap();
    assert_eq!(view.cursor, start + page);
    assert!(view.scroll <= view.cursor && view.cursor < view.scroll + page);
    app.update(Action::Scroll(3), support::app::clock());
    let view = app.view().unwrap();
    assert!(view.scroll <= view.cursor && view.cursor < view.scroll + page);
}

#[test]
fn env_columns_move_and_stop_at_the_ends() {
    let mut app = app();
    app.update(Action::NextSet, support::app::clock());
    assert_eq!(app.current_set().unwrap().envs.len(), 3);
    go(&mut app, [Action::EnvRight, Action::EnvRight, Action::EnvRight]);
    assert_eq!(app.view().unwrap().env, 2);
    go(&mut app, [Action::EnvLeft, Action::EnvLeft, Action::EnvLeft]);
    assert_eq!(app.view().unwrap().env, 0);
}

#[test]
fn sets_switch_wrap_and_keep_their_cursor() {
    let mut app = app();
    app.update(Action::MoveDown, support::app::clock());
    app.update(Action::NextSet, support::app::clock());
    assert_eq!(set_name(&app), "config");
    assert_eq!(focused(&app), "project/name", "a set opens on its first key, not on a parent");
    app.update(Action::NextSet, support::app::clock());
    assert_eq!(set_name(&app), "flags");
    app.update(Action::NextSet, support::app::clock());
    assert_eq!(set_name(&app), "services/serving/config");
    app.update(Action::NextSet, support::app::clock());
    assert_eq!(set_name(&app), ".env", "Tab wraps");
    assert_eq!(focused(&app), "MLFLOW_TRACKING_TOKEN", "the set kept its cursor");
    app.update(Action::PrevSet, support::app::clock());
    assert_eq!(set_name(&app), "services/serving/config", "Shift-Tab wraps back");
}

#[test]
fn the_filter_is_fuzzy_on_paths_and_docs_and_clears() {
    let mut app = app();
    app.update(Action::NextSet, support::app::clock());
    let all = app.visible.len();
    app.update(Action::Filter, support::app::clock());
    assert_eq!(app.mode, Mode::Filter);
    for c in "poolsz".chars() {
        app.update(Action::FilterInput(c), support::app::clock());
    }
    assert_eq!(app.visible.len(), 2, "database and database.pool_size");
    assert_eq!(focused(&app), "database/pool_size", "the filter focuses the best match");
    app.update(Action::FilterKeep, support::app::clock());
    assert_eq!(app.mode, Mode::Table);
    assert_eq!(app.visible.len(), 2, "Enter keeps the filter");
    app.update(Action::ClearFilter, support::app::clock());
    assert_eq!(app.visible.len(), all, "Esc in the table clears it");
    assert_eq!(focused(&app), "database/pool_size", "the cursor stays on its key");

    app.update(Action::Filter, support::app::clock());
    for c in "cosine".chars() {
        app.update(Action::FilterInput(c), support::app::clock());
    }
    assert_eq!(app.visible.len(), 2, "training and its key matched by its doc");
    app.update(Action::Last, support::app::clock());
    assert_eq!(app.focused_key().unwrap().1.key, "training.learning_rate");
    app.update(Action::FilterBackspace, support::app::clock());
    assert_eq!(app.filter, "cosin");
    app.update(Action::ClearFilter, support::app::clock());
    assert!(app.filter.is_empty());
    assert_eq!(app.mode, Mode::Table);
}

#[test]
fn parents_fold_and_show_the_worst_status_below() {
    let mut app = app();
    app.update(Action::NextSet, support::app::clock());
    let all = app.visible.len();
    app.update(Action::First, support::app::clock());
    assert_eq!(focused(&app), "project");
    app.update(Action::ToggleFold, support::app::clock());
    assert_eq!(app.visible.len(), all - 2, "project.name and project.owner are hidden");
    app.update(Action::Unfold, support::app::clock());
    assert_eq!(app.visible.len(), all);
    go(&mut app, [Action::MoveDown, Action::MoveDown, Action::MoveDown]);
    assert_eq!(focused(&app), "data");
    app.update(Action::MoveDown, support::app::clock());
    app.update(Action::Fold, support::app::clock());
    assert_eq!(focused(&app), "data", "folding a key folds its parent and goes there");
    let (_, node) = app.focused_node().unwrap();
    assert_eq!(node.worst, Status::Missing, "min_tenure_days is missing in prod");
    app.update(Action::FoldAll, support::app::clock());
    let set = app.current_set().unwrap();
    assert!(app.visible.iter().all(|&n| set.tree[n as usize].depth == 0));
    app.update(Action::UnfoldAll, support::app::clock());
    assert_eq!(app.visible.len(), all);
}

#[test]
fn only_differences_hides_same_keys_and_their_parents() {
    let mut app = app();
    app.update(Action::NextSet, support::app::clock());
    app.update(Action::OnlyDifferences, support::app::clock());
    let set = app.current_set().unwrap();
    for &n in &app.visible {
        let node = &set.tree[n as usize];
        if let Some(k) = node.key {
            assert_ne!(set.keys.status(k as usize), Some(Status::Same), "{}", set.label(node));
        }
    }
    assert!(!app.visible.iter().any(|&n| set.label(&set.tree[n as usize]) == "project"));
    app.update(Action::OnlyDifferences, support::app::clock());
    let set = app.current_set().unwrap();
    assert!(app.visible.iter().any(|&n| set.label(&set.tree[n as usize]) == "project"));
}

#[test]
fn the_reference_env_follows_the_focused_column() {
    let mut app = app();
    app.update(Action::NextSet, support::app::clock());
    assert_eq!(app.view().unwrap().reference, 0);
    go(&mut app, [Action::EnvRight, Action::EnvRight, Action::ReferenceEnv]);
    assert_eq!(app.view().unwrap().reference, 2);
    assert_eq!(app.message.as_deref(), Some("comparing with prod"));
}

#[test]
fn reveal_shows_one_cell_only_and_hides_again() {
    let mut app = app();
    go(&mut app, [Action::MoveDown, Action::MoveDown]);
    let (key, row) = app.focused_key().unwrap();
    assert_eq!(row.key, "DB_PASSWORD");
    assert!(row.cells.iter().flatten().all(|c| c.text == envlens::core::secret::MASK));
    app.update(Action::ToggleReveal, support::app::clock());
    assert!(app.is_revealed(key, 0));
    assert!(!app.is_revealed(key, 1), "the same key in prod stays masked");
    assert_eq!(app.revealed.len(), 1);
    app.update(Action::ToggleReveal, support::app::clock());
    assert!(app.revealed.is_empty());

    app.update(Action::First, support::app::clock());
    app.update(Action::ToggleReveal, support::app::clock());
    assert!(app.revealed.is_empty(), "LOG_LEVEL is no secret");
    assert!(app.message.as_deref().unwrap().ends_with("is not a masked secret: nothing to reveal"));
}

#[test]
fn a_revealed_cell_hides_after_the_timeout_and_on_set_change() {
    let mut app = app();
    app.reveal_timeout = Some(Duration::ZERO);
    go(&mut app, [Action::MoveDown, Action::MoveDown, Action::ToggleReveal]);
    assert!(app.next_deadline().is_some(), "the loop is asked to wake up");
    app.update(Action::Tick, support::app::clock());
    assert!(app.revealed.is_empty());
    app.reveal_timeout = None;
    app.update(Action::ToggleReveal, support::app::clock());
    assert_eq!(app.next_deadline(), None, "no timeout, no wake-ups");
    app.update(Action::NextSet, support::app::clock());
    assert!(app.revealed.is_empty());
}

#[test]
fn a_reload_keeps_set_key_and_folds_and_drops_stale_answers() {
    let mut app = app();
    go(&mut app, [Action::NextSet, Action::First, Action::ToggleFold]);
    go(&mut app, [Action::MoveDown, Action::MoveDown]);
    let before = focused(&app);
    assert_eq!(
        app.update(Action::Reload, support::app::clock()),
        vec![Effect::Load { generation: 2 }]
    );
    let stale = load_blocking(&root(), false, &[], 1);
    app.update(Action::Loaded(Box::new(stale)), support::app::clock());
    assert_eq!(app.message.as_deref(), Some("reloading…"), "an older answer is dropped");
    app.update(
        Action::Loaded(Box::new(load_blocking(&root(), false, &[], 2))),
        support::app::clock(),
    );
    assert_eq!(set_name(&app), "config");
    assert_eq!(focused(&app), before);
    assert!(app.view().unwrap().folded[0], "project is still folded");
}

#[test]
fn start_options_pick_the_set_and_the_envs() {
    let app = app_with(AppOptions {
        root: "sample-project".into(),
        set: Some("services/serving/config".into()),
        envs: vec!["prod".into(), "dev".into()],
        readonly: true,
        ..AppOptions::default()
    });
    assert_eq!(set_name(&app), "services/serving/config");
    let app = app_with(AppOptions {
        set: Some("config".into()),
        envs: vec!["dev".into(), "prod".into()],
        ..AppOptions::default()
    });
    let envs: Vec<&str> = app.current_set().unwrap().envs.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(envs, vec!["dev", "prod"]);
    let app = app_with(AppOptions { set: Some("nope".into()), ..AppOptions::default() });
    assert_eq!(set_name(&app), ".env");
    assert!(app.message.as_deref().unwrap().contains("no config set named `nope`"));
}

#[test]
fn clicks_focus_sets_rows_and_cells() {
    let mut app = app();
    let areas = app.areas();
    app.update(
        Action::Click { column: areas.sets.x + 3, row: areas.sets.y + 2 },
        support::app::clock(),
    );
    assert_eq!(set_name(&app), "config");
    let body = app.areas().body;
    let cols = app.columns();
    let x = body.x + cols.env_x(1) + 2;
    app.update(Action::Click { column: x, row: body.y + 4 }, support::app::clock());
    assert_eq!(app.view().unwrap().cursor, 4);
    assert_eq!(app.view().unwrap().env, 1);
}

#[test]
fn help_and_quit() {
    let mut app = app();
    app.update(Action::Help, support::app::clock());
    assert_eq!(app.mode, Mode::Help);
    app.update(Action::ClearFilter, support::app::clock());
    assert_eq!(app.mode, Mode::Table);
    assert_eq!(app.update(Action::Quit, support::app::clock()), vec![Effect::Quit]);
    assert!(app.should_quit);
}
