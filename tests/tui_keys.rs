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
use envlens::tui::run::load_blocking_view;
use envlens::tui::settings::Settings;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-project")
}

fn app() -> App {
    app_resolving(false)
}

/// The sample opened as `envlens sample-project [--resolve]`.
fn app_resolving(resolve: bool) -> App {
    let settings = Settings::defaults().unwrap();
    let options = AppOptions { root: "sample-project".into(), resolve, ..AppOptions::default() };
    let mut app = App::new(options, settings.keymap, settings.theme);
    app.update(Action::Resize { width: 120, height: 32 }, std::time::Instant::now());
    app.start();
    let open = envlens::core::project::OpenOptions::default();
    let loaded = load_blocking_view(&root(), &open, None, resolve, &[], app.generation);
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

/// §14: the detail pane shows what a reference resolves to in each env,
/// masked when the variable is a secret, and where it came from.
#[test]
fn the_detail_pane_resolves_references() {
    let mut app = app();
    app.update(Action::Resize { width: 160, height: 48 }, std::time::Instant::now());
    app.theme.color = false;
    focus(&mut app, "services/serving/config", "auth.api_key", 0);
    let screen = draw(&app).backend().to_string();
    let mine: Vec<&str> = screen.lines().filter(|l| l.contains("→")).collect();
    assert!(
        mine.iter().any(|l| l.contains(&format!("dev   ${{SERVING_API_KEY}} → {MASK}"))
            && l.contains("resolved from .env.dev:13")),
        "{screen}"
    );
    assert!(
        mine.iter().any(|l| l.contains(&format!("prod  ${{SERVING_API_KEY}} → {MASK}"))
            && l.contains("resolved from .env.prod:12")),
        "{screen}"
    );
    assert!(!screen.contains("sk_live_") && !screen.contains("dev-serving-key"), "{screen}");
    let resolved = app.resolved("auth.api_key", 1).unwrap();
    assert_eq!(resolved.from.as_deref(), Some(".env.prod:12"));
    // The config set's token: staging has no dotenv layer that sets it.
    focus(&mut app, "config", "tracking.token", 0);
    let staging = app.current_set().unwrap().envs.iter().position(|e| e.name == "staging").unwrap();
    let resolved = app.resolved("tracking.token", staging).unwrap();
    assert_eq!(
        (resolved.value, resolved.missing),
        (None, vec!["MLFLOW_TRACKING_TOKEN".to_owned()])
    );
    let screen = draw(&app).backend().to_string();
    assert!(screen.contains("(unresolved)"), "{screen}");
    assert!(screen.contains("nothing sets MLFLOW_TRACKING_TOKEN"), "{screen}");
}

/// `F` (§9, §14): the flag matrix of the open set, `●`/`○`/`—` per env,
/// the out-of-order cell marked `!` (readable in monochrome), `a` every
/// set, `Enter` on the flag's key.
#[test]
fn capital_f_shows_the_flag_matrix_and_enter_jumps_to_the_key() {
    use envlens::tui::app::flags::{FlagKey, FlagState};
    let mut app = app();
    app.theme.color = false;
    app.loaded_note = None;
    while app.current_set().unwrap().name != "flags" {
        app.update(Action::NextSet, std::time::Instant::now());
    }
    app.update(Action::FlagMatrix, std::time::Instant::now());
    assert_eq!(app.mode, Mode::Flags);
    let matrix = app.flags.clone().unwrap();
    assert_eq!(matrix.envs, ["dev", "staging", "prod"]);
    let names: Vec<&str> = matrix.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["batch-scoring", "retrain-on-drift", "explanations"]);
    let retrain = &matrix.rows[1];
    let states: Vec<(FlagState, bool)> =
        retrain.cells.iter().map(|c| (c.state, c.out_of_order)).collect();
    assert_eq!(states, [(FlagState::On, false), (FlagState::Off, false), (FlagState::On, true)]);
    insta::assert_snapshot!("flag_matrix_120x32", draw(&app).backend());
    // Every set: the config set's `features.*` bools join.
    app.update(Action::FlagKey(FlagKey::ToggleSets), std::time::Instant::now());
    let every = app.flags.clone().unwrap();
    assert!(every.every_set);
    assert!(
        every
            .rows
            .iter()
            .any(|r| r.set_name == "config" && r.name == "features.use_support_tickets")
    );
    app.update(Action::FlagKey(FlagKey::ToggleSets), std::time::Instant::now());
    app.update(Action::FlagKey(FlagKey::Down), std::time::Instant::now());
    app.update(Action::FlagKey(FlagKey::Jump), std::time::Instant::now());
    assert_eq!(app.mode, Mode::Table);
    assert_eq!(app.focused_key().unwrap().1.key, "retrain-on-drift.enabled");
}

/// `F` follows `[flags]` (§14) as `check` does: the policy the checks ran
/// with reorders the promotion (here prod → staging → dev, so dev's `on`
/// after staging's `off` is the marked cell, no longer prod's) and its
/// `keys` make more bools flags; an open matrix takes it when it comes.
#[test]
fn the_flag_matrix_follows_the_flags_policy_of_the_checks() {
    use envlens::core::glob::KeyGlob;
    use envlens::core::settings::FlagPolicy;
    use envlens::tui::app::flags::{FlagKey, FlagState};
    let mut app = app();
    while app.current_set().unwrap().name != "flags" {
        app.update(Action::NextSet, std::time::Instant::now());
    }
    app.update(Action::FlagMatrix, std::time::Instant::now());
    app.update(Action::FlagKey(FlagKey::Down), std::time::Instant::now());
    let policy = FlagPolicy {
        promotion: vec!["prod".into(), "staging".into(), "dev".into()],
        keys: vec![KeyGlob::new("cache.enabled").unwrap()],
    };
    let found = Findings::group(&[], app.generation).with_flags(Some(policy));
    app.update(Action::Checked(Box::new(found)), std::time::Instant::now());
    let matrix = app.flags.clone().unwrap();
    assert_eq!(matrix.rows[matrix.cursor].name, "retrain-on-drift", "the cursor stays on its flag");
    let states: Vec<(FlagState, bool)> =
        matrix.rows[1].cells.iter().map(|c| (c.state, c.out_of_order)).collect();
    assert_eq!(states, [(FlagState::On, true), (FlagState::Off, false), (FlagState::On, false)]);
    app.update(Action::FlagKey(FlagKey::ToggleSets), std::time::Instant::now());
    let every = app.flags.clone().unwrap();
    let cache = every.rows.iter().find(|r| r.name == "cache.enabled");
    assert_eq!(cache.map(|r| r.set_name.as_str()), Some("services/serving/config"));
}

/// `envlens sample-project --resolve` (§7, §14): the serving set's
/// `auth.api_key`, written alike (`${SERVING_API_KEY}`) in dev and prod,
/// resolves to two different keys, so its row differs and the set counts
/// it; its cells read `${SERVING_API_KEY} → ••••••••`, and `v` reveals the
/// resolved value of the focused cell only. Without `--resolve` the row is
/// the same in both envs.
#[test]
fn resolve_makes_the_table_compare_resolved_values() {
    let status = |app: &App| {
        let set = app.model.sets.iter().find(|s| s.name == "services/serving/config").unwrap();
        (set.keys.status(set.keys.position("auth.api_key").unwrap()).unwrap(), set.drift())
    };
    let plain = app();
    assert_eq!(status(&plain), (envlens::core::diff::Status::Same, 7));
    let mut app = app_resolving(true);
    assert_eq!(status(&app), (envlens::core::diff::Status::Differs, 8));
    app.update(Action::Resize { width: 160, height: 40 }, std::time::Instant::now());
    app.theme.color = false;
    focus(&mut app, "services/serving/config", "auth.api_key", 1);
    let row = app.focused_key().unwrap().1;
    let texts: Vec<&str> = row.cells.iter().map(|c| c.as_ref().unwrap().text.as_str()).collect();
    let masked = format!("${{SERVING_API_KEY}} → {MASK}");
    assert_eq!(texts, [masked.as_str(), masked.as_str()]);
    let classes: Vec<u16> = row.cells.iter().map(|c| c.as_ref().unwrap().class).collect();
    assert_ne!(classes[0], classes[1], "the resolved values differ");
    let screen = draw(&app).backend().to_string();
    assert!(screen.contains(&masked), "{screen}");
    assert!(!screen.contains("sk_live_") && !screen.contains("dev-serving-key"), "{screen}");
    app.update(Action::ToggleReveal, std::time::Instant::now());
    let screen = draw(&app).backend().to_string();
    assert!(screen.contains("${SERVING_API_KEY} → sk_live_FAKE"), "prod revealed");
    assert!(!screen.contains("dev-serving-key"), "dev stays hidden");
}

/// A set of `keys` keys per env in a new folder, opened as `envlens DIR`.
fn large_app(keys: usize) -> (tempfile::TempDir, App) {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().unwrap();
    for env in ["dev", "prod"] {
        let mut text = String::new();
        for i in 0..keys {
            if i % 50 == 0 {
                writeln!(text, "group{}:", i / 50).unwrap();
            }
            writeln!(text, "  entry_{i}: {env}-host-{i}.example.com").unwrap();
        }
        std::fs::write(dir.path().join(format!("config_{env}.yaml")), text).unwrap();
    }
    let settings = Settings::defaults().unwrap();
    let options = AppOptions { root: dir.path().display().to_string(), ..AppOptions::default() };
    let mut app = App::new(options, settings.keymap, settings.theme);
    app.update(Action::Resize { width: 120, height: 32 }, std::time::Instant::now());
    app.start();
    let open = envlens::core::project::OpenOptions::default();
    let loaded = load_blocking_view(dir.path(), &open, None, false, &[], app.generation);
    app.update(Action::Loaded(Box::new(loaded)), std::time::Instant::now());
    assert_eq!(app.load, LoadState::Ready);
    (dir, app)
}

/// Types `c` into the filter; returns the search the loop is asked to run.
fn type_into_filter(app: &mut App, c: char) -> Option<envlens::tui::effect::FilterJob> {
    let effects = app.update(Action::FilterInput(c), std::time::Instant::now());
    effects.into_iter().find_map(|e| match e {
        Effect::Filter(job) => Some(job),
        _ => None,
    })
}

/// What the loop's worker answers to `job`.
fn answer(app: &App, job: &envlens::tui::effect::FilterJob) -> Action {
    use envlens::tui::app::search;
    let set = &app.model.sets[job.set];
    let within = job.within.as_deref().map(Vec::as_slice);
    let (matches, best) =
        search::search_within(&set.keys, app.loaded_set(), &job.query, within, &|| false).unwrap();
    let found =
        envlens::tui::event::Filtered { seq: job.seq, query: job.query.clone(), matches, best };
    Action::Filtered(Box::new(found))
}

#[test]
fn a_large_set_is_searched_on_a_worker_and_a_keystroke_answers_at_once() {
    use envlens::tui::app::search;
    let (_dir, mut app) = large_app(25_000);
    assert!(app.current_set().unwrap().keys.len() > search::PARALLEL_KEYS);
    app.update(Action::Filter, std::time::Instant::now());
    let shown = app.visible.clone();
    // The keystroke asks for a search and shows it is under way; the rows
    // stay as they were until the answer comes.
    let first = type_into_filter(&mut app, '7').expect("a large set is searched on a worker");
    assert_eq!((first.query.as_str(), first.within.is_none()), ("7", true));
    assert_eq!(app.search.pending, Some(first.seq));
    assert_eq!(app.visible, shown);
    let screen = format!("{:?}", draw(&app).backend().buffer());
    assert!(screen.contains("searching…"), "the prompt says a search is under way");
    let first_answer = answer(&app, &first);
    // A query that grows is searched among the last answer's matches
    // once that answer is in; an answer to an older query is dropped.
    let second = type_into_filter(&mut app, '7').unwrap();
    assert!(second.within.is_none(), "no answer yet to narrow");
    app.update(first_answer, std::time::Instant::now());
    assert_eq!(app.search.pending, Some(second.seq), "the older answer is dropped");
    assert_eq!(app.visible, shown);
    app.update(answer(&app, &second), std::time::Instant::now());
    assert_eq!(app.search.pending, None);
    let set = app.current_set().unwrap();
    let (expected, _) = search::filter_matches(&set.keys, app.loaded_set(), "77");
    assert_eq!(app.matches.as_ref(), Some(&expected));
    assert!(app.focused_key().unwrap().1.key.contains("77"), "the cursor is on the best match");
    let third = type_into_filter(&mut app, '7').unwrap();
    let within = third.within.as_deref().expect("777 is searched among the matches of 77");
    assert_eq!(within, &expected);
    app.update(answer(&app, &third), std::time::Instant::now());
    let set = app.current_set().unwrap();
    let (expected, _) = search::filter_matches(&set.keys, app.loaded_set(), "777");
    assert_eq!(app.matches.as_ref(), Some(&expected));
    assert!(app.focused_key().unwrap().1.key.contains("777"));
    // Esc clears the filter at once, and a late answer changes nothing.
    let fourth = type_into_filter(&mut app, '1').unwrap();
    let late = answer(&app, &fourth);
    app.update(Action::ClearFilter, std::time::Instant::now());
    assert_eq!((app.matches.as_ref(), app.search.pending), (None, None));
    app.update(late, std::time::Instant::now());
    assert_eq!(app.matches, None);
}

#[test]
fn a_small_set_is_filtered_at_once() {
    let (_dir, mut app) = large_app(500);
    app.update(Action::Filter, std::time::Instant::now());
    assert_eq!(type_into_filter(&mut app, '7'), None);
    assert!(app.matches.is_some() && app.search.pending.is_none());
}
