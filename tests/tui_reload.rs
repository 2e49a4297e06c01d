//! Live reload in the view (§9), driven through `App::update` without a
//! terminal on a temporary copy of `sample-project/`: a file is changed on
//! disk, the changed paths are fed in as the watcher would, and the
//! effects run through the same `Live` and `Writer` edges the loop uses.
//! The cursor keeps its key (or its nearest neighbour), the filter and the
//! folds stay, changed cells are marked until their deadline, a broken
//! file goes stale and recovers, and envlens's own write reloads quietly.
//! A burst reloads on a worker while keys keep working, and a batch that
//! arrives meanwhile is applied after it; an edit made meanwhile is checked
//! against the disk and its write still reloads quietly.
//! Waits are on conditions (a deadline passing, an answer on a channel),
//! never a fixed sleep.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use envlens::core::edit::RefusalKind;
use envlens::tui::action::{Action, EditKey};
use envlens::tui::app::Mode;
use envlens::tui::effect::{Effect, LiveJob};
use envlens::tui::event::Event;
use envlens::tui::live::Live;
use envlens::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::app::Fixture;

fn fixture() -> Fixture {
    support::app::fixture("config", false)
}

impl Fixture {
    /// Another program rewrites `rel`, `from` replaced by `to`.
    fn rewrite(&self, rel: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        assert!(text.contains(from), "{from:?} is not in {rel}");
        std::fs::write(self.path(rel), text.replace(from, to)).unwrap();
    }

    /// What the watcher would send for `rels`.
    fn changed(&mut self, rels: &[&str]) {
        let paths = rels.iter().map(|r| self.path(r)).collect();
        self.press(Action::FilesChanged(paths));
    }

    fn focused(&self) -> String {
        self.app.focused_key().map(|(_, row)| row.key.clone()).unwrap_or_default()
    }

    /// The focused row's label (a parent's, too).
    fn focused_label(&self) -> String {
        let set = self.app.current_set().unwrap();
        set.label(self.app.focused_node().unwrap().1).to_owned()
    }

    fn cell(&self, key: &str, env: &str) -> (u32, usize, Option<String>) {
        let set = self.app.current_set().unwrap();
        let index = set.keys.position(key).unwrap();
        let column = set.envs.iter().position(|e| e.name == env).unwrap();
        let row = self.app.key_row(u32::try_from(index).unwrap()).unwrap();
        let text = row.cells[column].as_ref().map(|c| c.text.clone());
        (u32::try_from(index).unwrap(), column, text)
    }

    fn marked(&self, key: &str, env: &str) -> bool {
        self.app.live.marks.is_recent("config", key, env)
    }

    fn message(&self) -> String {
        self.app.message.clone().unwrap_or_default()
    }
}

#[test]
fn a_change_on_disk_shows_keeps_the_cursor_and_marks_the_cell_until_its_deadline() {
    let mut fx = fixture();
    fx.app.live.mark_for = Duration::from_millis(30);
    fx.focus("training.seed", 1);
    let cursor = fx.app.view().unwrap().cursor;
    fx.rewrite("config_prod.yaml", "pool_size: 16", "pool_size: 32");
    fx.changed(&["config_prod.yaml"]);
    assert_eq!(fx.cell("database.pool_size", "prod").2.as_deref(), Some("32"));
    assert_eq!(fx.focused(), "training.seed");
    assert_eq!(fx.app.view().unwrap().cursor, cursor);
    assert_eq!(fx.app.view().unwrap().env, 1, "the env column stays");
    assert!(fx.marked("database.pool_size", "prod"));
    assert!(!fx.marked("database.pool_size", "dev"), "only the changed cell is marked");
    assert!(!fx.marked("training.seed", "prod"));
    assert_eq!(fx.message(), "prod changed on disk · reloaded just now");
    // The mark ends at its deadline; the loop wakes for it and no later.
    fx.wake_at_deadline();
    assert!(!fx.marked("database.pool_size", "prod"));
    assert_eq!(fx.app.live.marks.recent_count(), 0);
    assert_eq!(fx.app.next_deadline(), None, "idle: nothing to wake for");
    // Remembered for the session, for the detail pane.
    assert!(fx.app.live.marks.changed_since_open("config", "database.pool_size", "prod"));
    // Marks are kept by name: a full reload (`r`) does not move them.
    fx.press(Action::Reload);
    assert!(fx.app.live.marks.changed_since_open("config", "database.pool_size", "prod"));
    assert!(!fx.app.live.marks.changed_since_open("config", "database.url", "prod"));
}

#[test]
fn a_key_that_went_leaves_the_cursor_on_its_neighbour() {
    let mut fx = fixture();
    fx.focus("training.warmup_steps", 2);
    for (rel, line) in [
        ("config_dev.yaml", "  warmup_steps: 100\n"),
        ("config_staging.yaml", "  warmup_steps: 500\n"),
        ("config_prod.yaml", "  warmup_steps: 500\n"),
    ] {
        fx.rewrite(rel, line, "");
    }
    fx.changed(&["config_dev.yaml", "config_staging.yaml", "config_prod.yaml"]);
    let set = fx.app.current_set().unwrap();
    assert!(set.keys.paths().all(|k| k != "training.warmup_steps"));
    assert_eq!(fx.focused(), "training.seed", "the key that took its place");
    assert_eq!(fx.app.view().unwrap().env, 2);
    assert_eq!(fx.message(), "dev, staging, prod changed on disk · reloaded just now");
}

#[test]
fn the_filter_and_the_folds_stay() {
    let mut fx = fixture();
    fx.focus("training.epochs", 0);
    fx.press(Action::Fold);
    assert_eq!(fx.focused_label(), "training");
    for c in "o".chars() {
        fx.press(Action::Filter);
        fx.press(Action::FilterInput(c));
        fx.press(Action::FilterKeep);
    }
    // The filter focuses its best match; back to the folded parent.
    fx.press(Action::First);
    while fx.focused_label() != "training" {
        fx.press(Action::MoveDown);
    }
    let rows_before = fx.app.visible.len();
    // A key added above the folded parent moves every tree index.
    fx.rewrite("config_prod.yaml", "  pool_size: 16\n", "  pool_size: 16\n  pool_timeout: 5\n");
    fx.changed(&["config_prod.yaml"]);
    assert_eq!(fx.app.filter, "o");
    assert_eq!(fx.app.mode, Mode::Table);
    assert!(fx.app.matches.is_some());
    assert_eq!(fx.app.visible.len(), rows_before + 1, "the new key matches the filter");
    let (at, _) = fx.app.focused_node().unwrap();
    assert_eq!(fx.focused_label(), "training", "the cursor stays on the folded parent");
    assert!(fx.app.view().unwrap().folded[at], "and it stays folded");
    assert!(fx.marked("database.pool_timeout", "prod"), "a key added is marked");
}

#[test]
fn a_broken_file_goes_stale_with_its_error_and_recovers() {
    let mut fx = fixture();
    fx.focus("database.pool_size", 2);
    let good = std::fs::read_to_string(fx.path("config_prod.yaml")).unwrap();
    fx.rewrite("config_prod.yaml", "  pool_size: 16\n", "  pool_size: [16\n");
    fx.changed(&["config_prod.yaml"]);
    // Right after an event a failure may be a half-written file: held.
    let column = &fx.app.current_set().unwrap().envs[2];
    assert!(column.stale.is_none(), "held back before it is shown");
    assert!(fx.app.next_deadline().is_some(), "a re-check is due");
    fx.wake_at_deadline();
    let set = fx.app.current_set().unwrap();
    let error = set.envs[2].stale.clone().expect("prod is stale");
    assert!(error.starts_with("config_prod.yaml:"), "{error}");
    assert!(fx.message().starts_with("config_prod.yaml:"), "{}", fx.message());
    assert!(fx.message().ends_with("last good values kept, marked stale"), "{}", fx.message());
    assert!(set.errors.iter().any(|e| e.contains("stale")), "{:?}", set.errors);
    assert_eq!(fx.cell("database.pool_size", "prod").2.as_deref(), Some("16"), "last good value");
    assert_eq!(fx.focused(), "database.pool_size");
    let screen = screen_text(&fx);
    assert!(screen.contains("prod ⚠ stale"), "{screen}");
    assert!(screen.contains("⚠ 24 ∅"), "the set list flags the set:\n{screen}");
    assert!(screen.contains("stale: the file no longer parses"), "{screen}");

    std::fs::write(fx.path("config_prod.yaml"), good.replace("pool_size: 16", "pool_size: 20"))
        .unwrap();
    fx.changed(&["config_prod.yaml"]);
    let set = fx.app.current_set().unwrap();
    assert!(set.envs[2].stale.is_none());
    assert!(set.errors.is_empty(), "{:?}", set.errors);
    assert_eq!(fx.cell("database.pool_size", "prod").2.as_deref(), Some("20"));
    assert!(fx.message().starts_with("config_prod.yaml parses again"), "{}", fx.message());
}

#[test]
fn our_own_write_reloads_quietly() {
    let mut fx = fixture();
    fx.hold_loads = true;
    fx.focus("database.pool_size", 2);
    fx.press(Action::Edit);
    fx.press(Action::EditKey(EditKey::KillStart));
    for c in "32".chars() {
        fx.press(Action::EditKey(EditKey::Char(c)));
    }
    fx.press(Action::EditKey(EditKey::Save));
    assert_eq!(fx.app.mode, Mode::Table, "saved");
    let said = fx.message();
    assert!(said.contains("config_prod.yaml:21"), "{said}");
    // The watcher reports the write before the editor's reload has run.
    fx.changed(&["config_prod.yaml"]);
    assert_eq!(fx.cell("database.pool_size", "prod").2.as_deref(), Some("32"));
    assert_eq!(fx.message(), said, "no \"changed on disk\" for our own write");
    assert_eq!(fx.app.live.marks.recent_count(), 0);
    // The same file changed by another program is told.
    fx.rewrite("config_prod.yaml", "pool_size: 32", "pool_size: 33");
    fx.changed(&["config_prod.yaml"]);
    assert_eq!(fx.message(), "prod changed on disk · reloaded just now");
}

#[test]
fn an_outside_change_to_the_file_being_edited_warns_in_the_editor() {
    let mut fx = fixture();
    fx.focus("database.pool_size", 2);
    fx.press(Action::Edit);
    assert_eq!(fx.app.mode, Mode::Edit);
    fx.rewrite("config_prod.yaml", "epochs: 40", "epochs: 50");
    fx.changed(&["config_prod.yaml"]);
    let editor = fx.app.editor.as_ref().expect("the editor stays open");
    let refusal = editor.refusal.as_ref().expect("a warning");
    assert_eq!(refusal.kind, RefusalKind::ChangedOnDisk);
    assert!(refusal.reason.contains("config_prod.yaml changed on disk"), "{}", refusal.reason);
    // A change to another env's file does not.
    fx.press(Action::EditKey(EditKey::Cancel));
    fx.press(Action::Edit);
    fx.rewrite("config_dev.yaml", "epochs: 3", "epochs: 4");
    fx.changed(&["config_dev.yaml"]);
    assert!(fx.app.editor.as_ref().unwrap().refusal.is_none());
}

#[test]
fn a_new_file_adds_its_env_and_a_deleted_one_removes_it() {
    let mut fx = fixture();
    fx.focus("database.pool_size", 1);
    let prod = std::fs::read_to_string(fx.path("config_prod.yaml")).unwrap();
    std::fs::write(fx.path("config_qa.yaml"), prod).unwrap();
    fx.changed(&["config_qa.yaml"]);
    let names: Vec<String> =
        fx.app.current_set().unwrap().envs.iter().map(|e| e.name.clone()).collect();
    assert!(names.contains(&"qa".to_owned()), "{names:?}");
    assert_eq!(fx.focused(), "database.pool_size");
    assert_eq!(fx.message(), "config_qa.yaml added · reloaded just now");
    std::fs::remove_file(fx.path("config_qa.yaml")).unwrap();
    fx.changed(&["config_qa.yaml"]);
    assert_eq!(fx.app.current_set().unwrap().envs.len(), 3);
    assert_eq!(fx.focused(), "database.pool_size");
}

fn screen_text(fx: &Fixture) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 32)).unwrap();
    terminal.draw(|frame| view::render(&fx.app, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_stale_file_and_a_marked_cell_at_120x32() {
    let mut fx = fixture();
    fx.focus("database.pool_size", 2);
    fx.rewrite("config_staging.yaml", "pool_size: 8", "pool_size: 12");
    fx.changed(&["config_staging.yaml"]);
    fx.rewrite("config_prod.yaml", "  pool_size: 16\n", "  pool_size: [16\n");
    fx.changed(&["config_prod.yaml"]);
    fx.changed(&["config_prod.yaml"]);
    let mut terminal = Terminal::new(TestBackend::new(120, 32)).unwrap();
    terminal.draw(|frame| view::render(&fx.app, frame)).unwrap();
    insta::assert_snapshot!("stale_and_marked", terminal.backend());
}

/// The fixture with a `Live` that answers a background job on a channel,
/// as the loop's does, and bursts of more than `from` files.
fn with_worker(from: usize) -> (Fixture, Receiver<Event>) {
    let mut fx = fixture();
    let (tx, rx) = mpsc::channel();
    fx.live = Live::new(fx.dir.path().to_path_buf(), false, Some(tx));
    fx.press(Action::Reload); // the new `Live` gets its `Reloader`
    fx.app.live.background_from = from;
    (fx, rx)
}

impl Fixture {
    /// What the watcher would send, returning the effects unrun.
    fn batch(&mut self, rels: &[&str]) -> Vec<Effect> {
        let paths = rels.iter().map(|r| self.path(r)).collect();
        self.act(Action::FilesChanged(paths))
    }

    /// Waits for the worker's answer (the watcher's own news on the same
    /// channel is skipped: the test feeds batches by hand) and feeds it.
    fn worker_answer(&mut self, rx: &Receiver<Event>) {
        let done = loop {
            match rx.recv_timeout(Duration::from_secs(10)).expect("the worker answers") {
                Event::Reloaded(done) => break done,
                Event::Fatal(message) => panic!("{message}"),
                _ => {}
            }
        };
        let action = self.live.finish(*done, self.app.model.project.as_mut());
        self.press(action);
    }

    fn save_value(&mut self, value: &str) {
        self.press(Action::Edit);
        self.press(Action::EditKey(EditKey::KillStart));
        for c in value.chars() {
            self.press(Action::EditKey(EditKey::Char(c)));
        }
        self.press(Action::EditKey(EditKey::Save));
    }
}

#[test]
fn a_burst_reloads_on_a_worker_while_keys_work_and_a_later_batch_waits_its_turn() {
    let (mut fx, rx) = with_worker(1);
    fx.focus("database.pool_size", 2);
    fx.rewrite("config_dev.yaml", "pool_size: 2", "pool_size: 5");
    fx.rewrite("config_staging.yaml", "pool_size: 8", "pool_size: 9");
    let effects = fx.batch(&["config_dev.yaml", "config_staging.yaml"]);
    assert!(matches!(&effects[..], [Effect::Live(LiveJob::Background { .. })]), "{effects:?}");
    fx.run_effects(effects); // returns at once: the worker has the job
    assert_eq!(fx.message(), "reloading 2 files…");
    assert_eq!(fx.app.live.running, Some(2));
    assert_eq!(fx.cell("database.pool_size", "dev").2.as_deref(), Some("2"), "not yet");
    // Keys work meanwhile.
    fx.press(Action::MoveDown);
    assert_ne!(fx.focused(), "database.pool_size");
    fx.press(Action::MoveUp);
    // A batch that arrives now waits for the running one.
    fx.rewrite("config_prod.yaml", "pool_size: 16", "pool_size: 17");
    assert!(fx.batch(&["config_prod.yaml"]).is_empty(), "queued, not run");
    assert_eq!(fx.app.next_deadline(), None, "nothing to wake for but the answer");
    fx.worker_answer(&rx);
    assert_eq!(fx.cell("database.pool_size", "dev").2.as_deref(), Some("5"));
    assert_eq!(fx.cell("database.pool_size", "staging").2.as_deref(), Some("9"));
    assert_eq!(fx.cell("database.pool_size", "prod").2.as_deref(), Some("17"), "then the queued");
    assert_eq!(fx.focused(), "database.pool_size", "the cursor stays");
    assert!(fx.marked("database.pool_size", "staging") && fx.marked("database.pool_size", "prod"));
    assert_eq!(fx.app.live.running, None);
    assert!(fx.app.live.queued.is_empty());
    assert_eq!(fx.message(), "prod changed on disk · reloaded just now");
}

#[test]
fn an_edit_during_a_burst_is_refused_when_the_burst_changed_its_file() {
    let (mut fx, rx) = with_worker(1);
    fx.focus("database.pool_size", 2);
    fx.rewrite("config_staging.yaml", "pool_size: 8", "pool_size: 9");
    fx.rewrite("config_prod.yaml", "pool_size: 16", "pool_size: 17");
    let effects = fx.batch(&["config_staging.yaml", "config_prod.yaml"]);
    fx.run_effects(effects);
    // Planned against the values shown (16), not those on disk (17).
    fx.save_value("99");
    let refusal = fx.app.editor.as_ref().and_then(|e| e.refusal.as_ref()).expect("refused");
    assert_eq!(refusal.kind, RefusalKind::ChangedOnDisk);
    let prod = std::fs::read_to_string(fx.path("config_prod.yaml")).unwrap();
    assert!(prod.contains("pool_size: 17") && !prod.contains("99"), "nothing written");
    // The refusal's full load showed the disk first; the worker's older
    // answer ends the job without going back on it.
    assert_eq!(fx.cell("database.pool_size", "prod").2.as_deref(), Some("17"));
    fx.worker_answer(&rx);
    assert_eq!(fx.app.live.running, None);
    assert_eq!(fx.cell("database.pool_size", "prod").2.as_deref(), Some("17"));
}

#[test]
fn our_own_write_during_a_burst_still_reloads_quietly() {
    let (mut fx, rx) = with_worker(1);
    fx.hold_loads = true;
    fx.focus("database.pool_size", 2);
    fx.rewrite("config_dev.yaml", "pool_size: 2", "pool_size: 5");
    fx.rewrite("config_staging.yaml", "pool_size: 8", "pool_size: 9");
    let effects = fx.batch(&["config_dev.yaml", "config_staging.yaml"]);
    fx.run_effects(effects);
    fx.save_value("32");
    assert!(fx.message().contains("config_prod.yaml:21"), "written: {}", fx.message());
    fx.worker_answer(&rx);
    assert_eq!(fx.cell("database.pool_size", "staging").2.as_deref(), Some("9"));
    let told = fx.message();
    // The watcher's report of our write comes after the worker is back.
    fx.changed(&["config_prod.yaml"]);
    assert_eq!(fx.cell("database.pool_size", "prod").2.as_deref(), Some("32"));
    assert!(!fx.marked("database.pool_size", "prod"), "our own write is not marked");
    assert_eq!(fx.message(), told, "and not told");
}
