//! Editing from the view, driven through `App::update` without a terminal
//! on a temporary copy of `sample-project/`: the editor's keys, saving and
//! its effects, refusals, adding a key, undo and redo, secrets, shared
//! values, a file changed on disk, `--readonly`; the effects run through
//! the same `Writer` edge the loop uses. Then the editor box drawn to
//! `TestBackend` and snapshotted.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use envlens::core::edit::{RefusalKind, Target, Via};
use envlens::core::secret::MASK;
use envlens::tui::action::{Action, EditKey};
use envlens::tui::app::Mode;
use envlens::tui::app::edit::READ_ONLY;
use envlens::tui::effect::Effect;
use envlens::tui::run::load_blocking;
use envlens::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::app::Fixture;

fn fixture_with(set: &str, readonly: bool) -> Fixture {
    support::app::fixture(set, readonly)
}

fn fixture(set: &str) -> Fixture {
    fixture_with(set, false)
}

/// What these tests read of the fixture.
trait EditorView {
    fn editor_text(&self) -> &str;
    fn cell_text(&self, env: usize) -> String;
    fn screen(&self) -> Terminal<TestBackend>;
}

impl EditorView for Fixture {
    fn editor_text(&self) -> &str {
        self.app.editor.as_ref().unwrap().line.text()
    }

    fn cell_text(&self, env: usize) -> String {
        let (_, row) = self.app.focused_key().unwrap();
        row.cells[env].as_ref().map_or_else(String::new, |c| c.text.clone())
    }

    fn screen(&self) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(120, 32)).unwrap();
        terminal.draw(|frame| view::render(&self.app, frame)).unwrap();
        terminal
    }
}

fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    terminal.backend().buffer().content.iter().map(ratatui::buffer::Cell::symbol).collect()
}

/// Lines of `after` that differ from `before`, which has as many lines.
fn changed_lines(before: &str, after: &str) -> Vec<(String, String)> {
    assert_eq!(before.lines().count(), after.lines().count(), "lines added or removed");
    before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect()
}

#[test]
fn the_editor_opens_prefilled_and_each_key_edits() {
    let mut fx = fixture("config");
    fx.focus("database.pool_size", 2);
    fx.act(Action::Edit);
    assert_eq!(fx.app.mode, Mode::Edit);
    let editor = fx.app.editor.as_ref().unwrap();
    assert_eq!((editor.env.as_str(), editor.type_name.as_str()), ("prod", "int"));
    assert_eq!((editor.line.text(), editor.line.cursor()), ("16", 2));
    assert_eq!(editor.rules.as_deref(), Some("1 to 64"));
    assert!(!editor.masked() && !editor.adding);

    fx.keys(&[EditKey::Home]);
    fx.typed("3");
    assert_eq!(fx.editor_text(), "316");
    fx.keys(&[EditKey::End, EditKey::Backspace]);
    assert_eq!(fx.editor_text(), "31");
    fx.keys(&[EditKey::Left, EditKey::Delete]);
    assert_eq!(fx.editor_text(), "3");
    fx.keys(&[EditKey::Right]);
    fx.typed(" two words");
    fx.keys(&[EditKey::KillWord]);
    assert_eq!(fx.editor_text(), "3 two ");
    fx.keys(&[EditKey::Home, EditKey::Right, EditKey::KillEnd]);
    assert_eq!(fx.editor_text(), "3");
    fx.keys(&[EditKey::Home, EditKey::KillStart]);
    assert_eq!(fx.editor_text(), "3", "nothing before the cursor at 0");
    fx.keys(&[EditKey::End, EditKey::KillStart]);
    assert_eq!(fx.editor_text(), "");

    let before = fx.read("config_prod.yaml");
    fx.keys(&[EditKey::Cancel]);
    assert_eq!(fx.app.mode, Mode::Table);
    assert!(fx.app.editor.is_none());
    assert_eq!(fx.read("config_prod.yaml"), before);
}

#[test]
fn enter_writes_one_line_and_the_view_reloads_on_the_key() {
    let mut fx = fixture("config");
    fx.focus("database.pool_size", 2);
    let before = fx.read("config_prod.yaml");
    fx.act(Action::Edit);
    fx.keys(&[EditKey::KillStart]);
    fx.typed("32");
    let effects = fx.act(Action::EditKey(EditKey::Save));
    let [Effect::Edit(job)] = effects.as_slice() else { panic!("{effects:?}") };
    assert!(job.write);
    assert_eq!(
        (job.env.as_str(), job.key.as_str(), job.input.as_str()),
        ("prod", "database.pool_size", "32")
    );
    assert_eq!(job.target, Target::Auto);

    let rest = fx.run_effects(effects);
    assert!(rest.iter().any(|e| matches!(e, Effect::Load { .. })), "a reload follows: {rest:?}");
    assert_eq!(fx.app.mode, Mode::Table);
    assert!(fx.app.editor.is_none());
    assert_eq!(
        fx.app.message.as_deref(),
        Some("config_prod.yaml:21 database.pool_size = 32"),
        "the quiet reload keeps the message"
    );
    assert_eq!(fx.app.focused_key().unwrap().1.key, "database.pool_size", "cursor kept");
    assert_eq!(fx.cell_text(2), "32");
    let flash = fx.app.flash.as_ref().unwrap();
    assert_eq!((flash.env.as_str(), flash.key.as_str()), ("prod", "database.pool_size"));
    assert_eq!(
        changed_lines(&before, &fx.read("config_prod.yaml")),
        [("  pool_size: 16".to_owned(), "  pool_size: 32".to_owned())]
    );

    // Enter on an untouched value writes nothing.
    fx.act(Action::Edit);
    assert!(fx.act(Action::EditKey(EditKey::Save)).is_empty());
    assert_eq!(fx.app.message.as_deref(), Some("unchanged; nothing written"));
}

#[test]
fn a_refused_value_keeps_the_editor_open_with_the_reason() {
    let mut fx = fixture("config");
    fx.focus("database.pool_size", 2);
    let before = fx.read("config_prod.yaml");
    fx.act(Action::Edit);
    fx.keys(&[EditKey::KillStart]);
    fx.typed("forty");
    fx.press(Action::EditKey(EditKey::Save));
    assert_eq!(fx.app.mode, Mode::Edit);
    let refusal = fx.app.editor.as_ref().unwrap().refusal.clone().unwrap();
    assert!(matches!(refusal.kind, RefusalKind::WrongType { .. }), "{refusal:?}");
    assert_eq!(refusal.reason, "\"forty\" is not an int");

    // The schema's maximum.
    fx.keys(&[EditKey::KillStart]);
    assert!(fx.app.editor.as_ref().unwrap().refusal.is_none(), "typing clears the reason");
    fx.typed("65");
    fx.press(Action::EditKey(EditKey::Save));
    let refusal = fx.app.editor.as_ref().unwrap().refusal.clone().unwrap();
    assert_eq!(refusal.kind, RefusalKind::Schema);
    assert!(refusal.reason.contains("65"), "{}", refusal.reason);
    assert_eq!(fx.read("config_prod.yaml"), before, "nothing written");
}

#[test]
fn the_preview_shows_the_line_before_saving() {
    let mut fx = fixture("config");
    fx.focus("database.pool_size", 2);
    fx.act(Action::Edit);
    fx.keys(&[EditKey::Backspace, EditKey::Backspace]);
    fx.typed("32");
    let due = fx.app.next_deadline().expect("the preview asks for a wake-up");
    assert!(fx.act(Action::Tick).is_empty(), "no preview before the pause is over");
    fx.now = due;
    let effects = fx.act(Action::Tick);
    let [Effect::Edit(job)] = effects.as_slice() else { panic!("{effects:?}") };
    assert!(!job.write, "a preview only plans");
    let before = fx.read("config_prod.yaml");
    fx.run_effects(effects);
    assert_eq!(
        fx.app.editor.as_ref().unwrap().preview.as_deref(),
        Some("line 21: pool_size: 16 → pool_size: 32")
    );
    assert_eq!(fx.read("config_prod.yaml"), before);
}

#[test]
fn a_adds_a_missing_key_prefilled_from_the_reference_env() {
    let mut fx = fixture("config");
    fx.focus("data.min_tenure_days", 2);
    assert!(fx.app.focused_cell().is_none(), "missing in prod");
    fx.act(Action::Add);
    let editor = fx.app.editor.as_ref().unwrap();
    assert!(editor.adding);
    assert_eq!((editor.line.text(), editor.type_name.as_str()), ("30", "int"));
    fx.press(Action::EditKey(EditKey::Save));
    assert_eq!(fx.app.mode, Mode::Table, "{:?}", fx.app.editor);
    assert!(fx.read("config_prod.yaml").contains("  min_tenure_days: 30\n"));
    assert_eq!(fx.cell_text(2), "30");

    fx.act(Action::Add);
    assert_eq!(fx.app.mode, Mode::Table);
    assert_eq!(
        fx.app.message.as_deref(),
        Some("data.min_tenure_days is already in prod: e edits it")
    );
}

/// Issue 20: `a` adds a key into an env where its parent is an empty `{}`:
/// written in block form, every other byte kept.
#[test]
fn a_adds_a_key_into_an_empty_map() {
    let mut fx = fixture("config");
    let append = |fx: &Fixture, rel: &str, text: &str| {
        let mut now = fx.read(rel);
        now.push_str(text);
        std::fs::write(fx.path(rel), now).unwrap();
    };
    append(&fx, "config_dev.yaml", "debug:\n  sql_echo: true\n");
    append(&fx, "config_staging.yaml", "debug:\n  sql_echo: false\n");
    append(&fx, "config_prod.yaml", "debug: {}\n");
    let before = fx.read("config_prod.yaml");
    fx.press(Action::Reload);
    fx.focus("debug.sql_echo", 2);
    assert!(fx.app.focused_cell().is_none(), "missing in prod");
    fx.act(Action::Add);
    assert_eq!(fx.editor_text(), "true");
    fx.press(Action::EditKey(EditKey::Save));
    assert_eq!(fx.app.mode, Mode::Table, "{:?} {:?}", fx.app.editor, fx.app.message);
    assert_eq!(
        fx.read("config_prod.yaml"),
        before.replace("debug: {}\n", "debug:\n  sql_echo: true\n")
    );
    assert_eq!(fx.cell_text(2), "true");
}

#[test]
fn undo_and_redo_are_effects_that_write_back() {
    let mut fx = fixture("config");
    fx.focus("database.pool_size", 2);
    let before = fx.read("config_prod.yaml");
    assert_eq!(fx.act(Action::Undo), vec![Effect::Undo]);
    assert_eq!(fx.act(Action::Redo), vec![Effect::Redo]);
    fx.press(Action::Undo);
    assert_eq!(fx.app.message.as_deref(), Some("nothing to undo"));

    fx.act(Action::Edit);
    fx.keys(&[EditKey::KillStart]);
    fx.typed("8");
    fx.press(Action::EditKey(EditKey::Save));
    let after = fx.read("config_prod.yaml");
    assert_ne!(after, before);
    fx.press(Action::Undo);
    assert_eq!(fx.read("config_prod.yaml"), before);
    assert_eq!(fx.cell_text(2), "16");
    // The message names the value put back, not the one undone.
    let message = fx.app.message.as_deref().unwrap();
    assert!(message.ends_with("database.pool_size = 16 (undone)"), "{message}");
    fx.press(Action::Redo);
    assert_eq!(fx.read("config_prod.yaml"), after);
    assert_eq!(fx.cell_text(2), "8");
}

#[test]
fn readonly_refuses_every_edit_with_a_message_and_no_effect() {
    let mut fx = fixture_with("config", true);
    fx.focus("database.pool_size", 2);
    for action in [Action::Edit, Action::Add, Action::Undo, Action::Redo] {
        fx.app.message = None;
        assert!(fx.act(action.clone()).is_empty(), "{action}");
        assert_eq!(fx.app.mode, Mode::Table);
        assert_eq!(fx.app.message.as_deref(), Some(READ_ONLY), "{action}");
    }
}

#[test]
fn a_secret_is_masked_in_the_editor_until_revealed() {
    let mut fx = fixture(".env");
    fx.focus("DB_PASSWORD", 0);
    fx.act(Action::Edit);
    let editor = fx.app.editor.as_ref().unwrap();
    assert!(editor.masked() && editor.pristine());
    assert_eq!(editor.shown_text(), MASK);
    let debug = format!("{:?}", fx.app);
    assert!(!debug.contains("dev-pass-not-real"), "Debug shows the secret");
    assert!(!screen_text(&fx.screen()).contains("dev-pass-not-real"));
    insta::assert_snapshot!("secret_editor", fx.screen().backend());

    // The first key replaces the hidden text whole.
    fx.keys(&[EditKey::Left]);
    assert!(fx.app.editor.as_ref().unwrap().pristine(), "moving does not reveal a length");
    fx.typed("new");
    let editor = fx.app.editor.as_ref().unwrap();
    assert_eq!((editor.line.text(), editor.shown_text().as_str()), ("new", "•••"));
    let effects = fx.act(Action::EditKey(EditKey::Save));
    assert!(!format!("{effects:?}").contains("new\""), "{effects:?}");
    fx.run_effects(effects);
    assert!(fx.read(".env.dev").contains("DB_PASSWORD=new\n"));
    assert_eq!(fx.app.message.as_deref(), Some(&*format!(".env.dev:8 DB_PASSWORD = {MASK}")));

    // Revealed first, the editor shows the text.
    fx.act(Action::ToggleReveal);
    fx.act(Action::Edit);
    let editor = fx.app.editor.as_ref().unwrap();
    assert!(!editor.masked());
    assert_eq!(editor.shown_text(), "new");
}

#[test]
fn a_shared_value_asks_where_to_write() {
    let mut fx = fixture("services/serving/config");
    fx.focus("server.host", 1);
    assert!(fx.app.focused_cell().unwrap().inherited);
    let base = fx.read("services/serving/config_base.toml");
    fx.act(Action::Edit);
    fx.keys(&[EditKey::KillStart]);
    fx.typed("127.0.0.1");
    fx.press(Action::EditKey(EditKey::Save));
    let shared = fx.app.editor.as_ref().unwrap().question.clone().expect("a question");
    assert_eq!(shared.via, Via::Base);
    assert_eq!(shared.rel_path, "services/serving/config_base.toml");
    insta::assert_snapshot!("shared_value_question", fx.screen().backend());

    assert!(fx.act(Action::EditKey(EditKey::Char('x'))).is_empty(), "other keys wait");
    fx.act(Action::EditKey(EditKey::Cancel));
    assert!(fx.app.editor.as_ref().unwrap().question.is_none(), "Esc goes back to the value");
    fx.press(Action::EditKey(EditKey::Save));
    let effects = fx.act(Action::EditKey(EditKey::Char('o')));
    let [Effect::Edit(job)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(job.target, Target::Override);
    fx.run_effects(effects);
    assert_eq!(fx.app.mode, Mode::Table, "{:?}", fx.app.editor);
    assert_eq!(fx.read("services/serving/config_base.toml"), base, "the base is untouched");
    assert!(fx.read("services/serving/config_prod.toml").contains("host = \"127.0.0.1\""));
    assert!(!fx.app.focused_cell().unwrap().inherited, "prod has its own value now");
}

#[test]
fn a_file_changed_on_disk_is_refused_and_reloaded() {
    let mut fx = fixture("config");
    fx.focus("database.pool_size", 2);
    fx.act(Action::Edit);
    fx.keys(&[EditKey::KillStart]);
    fx.typed("32");
    let outside = fx.read("config_prod.yaml").replace("epochs: 40", "epochs: 41");
    std::fs::write(fx.path("config_prod.yaml"), &outside).unwrap();
    let effects = fx.press(Action::EditKey(EditKey::Save));
    assert!(effects.iter().any(|e| matches!(e, Effect::Load { .. })), "{effects:?}");
    let refusal = fx.app.editor.as_ref().unwrap().refusal.clone().unwrap();
    assert_eq!(refusal.kind, RefusalKind::ChangedOnDisk);
    assert_eq!(fx.read("config_prod.yaml"), outside, "the outside change is kept");
    assert_eq!(fx.app.mode, Mode::Edit, "the value typed is kept to try again");

    // Saving again plans on the reloaded file: both changes stay.
    fx.press(Action::EditKey(EditKey::Save));
    let now = fx.read("config_prod.yaml");
    assert!(now.contains("epochs: 41") && now.contains("pool_size: 32"), "{now}");
}

/// No watcher: another program changes the very value being edited and a
/// load the editor was not told about reads it (a reload that finished
/// while typing). Enter is refused and nothing is written; the refusal
/// says so, and only then does Enter write into the new text.
#[test]
fn a_save_over_text_the_editor_did_not_show_is_refused() {
    let mut fx = fixture("config");
    fx.focus("data.num_workers", 2);
    fx.act(Action::Edit);
    fx.keys(&[EditKey::KillStart]);
    fx.typed("24");
    let theirs = fx.read("config_prod.yaml").replace("num_workers: 16", "num_workers: 20");
    std::fs::write(fx.path("config_prod.yaml"), &theirs).unwrap();
    let generation = fx.app.generation;
    let loaded = load_blocking(fx.dir.path(), false, &[], generation);
    assert!(fx.act(Action::Loaded(Box::new(loaded))).iter().all(|e| !matches!(e, Effect::Edit(_))));
    assert_eq!(fx.app.mode, Mode::Edit, "the editor stays open");

    fx.press(Action::EditKey(EditKey::Save));
    assert_eq!(fx.read("config_prod.yaml"), theirs, "the other program's 20 is kept");
    let refusal = fx.app.editor.as_ref().unwrap().refusal.clone().unwrap();
    assert_eq!(refusal.kind, RefusalKind::ChangedOnDisk, "{refusal:?}");
    assert_eq!(fx.editor_text(), "24", "the value typed is kept");

    // Told, and the view reloaded: Enter now writes into the new text.
    fx.press(Action::EditKey(EditKey::Save));
    assert!(fx.read("config_prod.yaml").contains("num_workers: 24"));
}

#[test]
fn the_editor_box_at_120x32() {
    let mut fx = fixture("config");
    fx.focus("database.pool_size", 2);
    fx.act(Action::Edit);
    insta::assert_snapshot!("editor_box", fx.screen().backend());
    fx.keys(&[EditKey::KillStart]);
    fx.typed("forty");
    fx.press(Action::EditKey(EditKey::Save));
    let terminal = fx.screen();
    assert!(screen_text(&terminal).contains("\"forty\" is not an int"));
    insta::assert_snapshot!("editor_refusal", terminal.backend());
}
