//! The screens as a user sees them, drawn to ratatui's `TestBackend` and
//! snapshotted with insta (text only), plus the highlighting read from the
//! buffer's styles, on `sample-project/`. Fixture secrets must appear masked.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use envlens::tui::action::Action;
use envlens::tui::app::{App, AppOptions};
use envlens::tui::settings::Settings;
use envlens::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

/// Secret values written in the sample's files: none may reach the screen.
const FIXTURE_SECRETS: [&str; 3] = ["dev-pass-not-real", "AKIAEXAMPLEFAKE00DEV", "prod-pass"];

fn app(width: u16, height: u16, set: &str, color: bool) -> App {
    let options = AppOptions {
        root: "sample-project".into(),
        set: Some(set.into()),
        ..AppOptions::default()
    };
    let mut app = support::app::app_on_sample(options, (width, height));
    app.theme.color = color;
    // The load time would make every snapshot differ.
    app.loaded_note = None;
    app
}

fn draw(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.width, app.height)).unwrap();
    terminal.draw(|frame| view::render(app, frame)).unwrap();
    terminal
}

fn text(buffer: &Buffer) -> String {
    buffer.content.iter().map(ratatui::buffer::Cell::symbol).collect()
}

fn assert_masked(terminal: &Terminal<TestBackend>) {
    let screen = text(terminal.backend().buffer());
    for secret in FIXTURE_SECRETS {
        assert!(!screen.contains(secret), "{secret} reached the screen");
    }
}

/// The buffer cell where `needle` starts on the row that contains `row_text`.
fn find(buffer: &Buffer, row_text: &str, needle: &str) -> (u16, u16) {
    let width = buffer.area.width;
    for y in 0..buffer.area.height {
        let line: String = (0..width).map(|x| buffer[(x, y)].symbol()).collect();
        if line.contains(row_text) {
            let x = (0..width)
                .find(|&x| {
                    (x..width)
                        .map(|x| buffer[(x, y)].symbol())
                        .collect::<String>()
                        .starts_with(needle)
                })
                .unwrap();
            return (x, y);
        }
    }
    panic!("no row with {row_text:?}");
}

#[test]
fn config_set_at_120x32() {
    let mut app = app(120, 32, "config", true);
    for _ in 0..5 {
        app.update(Action::MoveDown, support::app::clock());
    }
    let terminal = draw(&app);
    assert_masked(&terminal);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn config_set_at_160x48() {
    let mut app = app(160, 48, "config", true);
    app.update(Action::Filter, support::app::clock());
    app.update(Action::ClearFilter, support::app::clock());
    for _ in 0..18 {
        app.update(Action::MoveDown, support::app::clock());
    }
    let terminal = draw(&app);
    assert_masked(&terminal);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn config_set_at_80x24_scrolls_env_columns() {
    let mut app = app(80, 24, "config", true);
    app.update(Action::Resize { width: 70, height: 24 }, support::app::clock());
    for _ in 0..3 {
        app.update(Action::EnvRight, support::app::clock());
    }
    app.update(Action::MoveDown, support::app::clock());
    let terminal = draw(&app);
    assert_masked(&terminal);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn dotenv_secrets_stay_masked_until_revealed() {
    let mut app = app(120, 32, ".env", true);
    app.update(Action::MoveDown, support::app::clock());
    app.update(Action::MoveDown, support::app::clock());
    let terminal = draw(&app);
    assert_masked(&terminal);
    insta::assert_snapshot!(terminal.backend());
    app.update(Action::ToggleReveal, support::app::clock());
    let screen = text(draw(&app).backend().buffer());
    assert_eq!(screen.matches("dev-pass-not-real").count(), 2, "the cell and the detail pane");
    assert!(!screen.contains("AKIAEXAMPLEFAKE00DEV"), "other secrets stay masked");
}

#[test]
fn a_filter_at_80x24() {
    let mut app = app(80, 24, "config", true);
    app.update(Action::Filter, support::app::clock());
    for c in "url".chars() {
        app.update(Action::FilterInput(c), support::app::clock());
    }
    let terminal = draw(&app);
    assert_masked(&terminal);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_folded_tree_at_120x32() {
    let mut app = app(120, 32, "config", true);
    app.update(Action::FoldAll, support::app::clock());
    app.update(Action::MoveDown, support::app::clock());
    app.update(Action::Unfold, support::app::clock());
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn the_help_at_120x32() {
    let mut app = app(120, 32, "config", true);
    app.update(Action::Help, support::app::clock());
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn monochrome_shows_marks_and_no_colour() {
    let mut app = app(120, 32, "services/serving/config", false);
    app.update(Action::MoveDown, support::app::clock());
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    for cell in &buffer.content {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "a colour in monochrome");
    }
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn highlighting_follows_status_and_reference() {
    let mut app = app(120, 32, "config", true);
    let buffer = draw(&app).backend().buffer().clone();
    // num_workers: 4 / 8 / 16 differs; dev is the reference.
    let (x, y) = find(&buffer, "num_workers", "≠");
    assert_eq!(buffer[(x, y)].fg, Color::Yellow);
    let (x, y) = find(&buffer, "num_workers", "8 ");
    assert_eq!(buffer[(x, y)].fg, Color::Yellow);
    assert!(buffer[(x, y)].modifier.contains(Modifier::BOLD), "differs from the reference");
    let (x, y) = find(&buffer, "num_workers", "4 ");
    assert!(!buffer[(x, y)].modifier.contains(Modifier::BOLD), "the reference cell is plain");
    // A same row is dim; a missing cell is red.
    let (x, y) = find(&buffer, "shard_rows", "50000");
    assert!(buffer[(x, y)].modifier.contains(Modifier::DIM));
    let (x, y) = find(&buffer, "min_tenure_days", "—");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    // validation_path: staging equals prod; with prod as reference, only dev stands out.
    app.update(Action::EnvRight, support::app::clock());
    app.update(Action::EnvRight, support::app::clock());
    app.update(Action::ReferenceEnv, support::app::clock());
    let buffer = draw(&app).backend().buffer().clone();
    let (x, y) = find(&buffer, "validation_path", "s3://churn-dev");
    assert!(buffer[(x, y)].modifier.contains(Modifier::BOLD));
    let (x, y) = find(&buffer, "validation_path", "s3://churn-staging");
    assert!(!buffer[(x, y)].modifier.contains(Modifier::BOLD));
    // The focused row has a background and a `▶` gutter (read without colour).
    let (x, y) = find(&buffer, "▶=   name", "name");
    assert!(buffer[(x, y)].bg != Color::Reset, "the cursor row has a background");
}

#[test]
fn the_loading_screen_counts_files() {
    let settings = Settings::defaults().unwrap();
    let mut app = App::new(
        AppOptions { root: "big".into(), ..AppOptions::default() },
        settings.keymap,
        settings.theme,
    );
    app.update(Action::Resize { width: 80, height: 12 }, support::app::clock());
    app.start();
    app.update(Action::Progress { found: 1200, parsed: 300 }, support::app::clock());
    let screen = text(draw(&app).backend().buffer());
    assert!(screen.contains("1200 config files found · 300 parsed"), "{screen}");
    assert!(screen.contains("q quits"));
}

#[test]
fn a_long_message_drops_whole_key_hints() {
    let mut app = app(120, 32, "config", false);
    let message = "config_prod.yaml changed on disk · reloaded just now · 3 keys changed";
    app.message = Some(message.to_owned());
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    let y = buffer.area.height - 1;
    let status: String = (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect();
    assert!(status.ends_with(&format!(" {message} ")), "the message is whole: {status:?}");
    let hints = status.trim_end_matches(&format!(" {message} ")).trim_end();
    for word in hints.split_whitespace() {
        let whole = ["j/k", "move", "h/l", "env", "e", "edit", "/", "filter", "d", "only", "diffs"]
            .contains(&word)
            || ["v", "reveal", "p", "reference", "Tab", "set", "?", "help", "q", "quit"]
                .contains(&word);
        assert!(whole, "a hint cut to {word:?} in {status:?}");
    }
}

/// A project whose `config` set holds emoji that terminals draw at other
/// widths than ratatui counts (a flag, a ZWJ family, a skin tone, a
/// keycap) in values and a key, beside a plain set `svc/config`.
fn emoji_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let dev = "flag: \"🇫🇷 Paris\"\nfamily: \"👨\u{200d}👩\u{200d}👧 team\"\nwave: \"👋🏽 hi\"\n\
               keycap: \"1\u{fe0f}\u{20e3} one\"\n\"🇯🇵\": tokyo\n";
    std::fs::write(dir.path().join("config_dev.yaml"), dev).unwrap();
    std::fs::write(dir.path().join("config_prod.yaml"), dev.replace("Paris", "Lyon")).unwrap();
    std::fs::create_dir(dir.path().join("svc")).unwrap();
    std::fs::write(dir.path().join("svc/config_dev.yaml"), "zzz: 1\nyyy: plain\n").unwrap();
    std::fs::write(dir.path().join("svc/config_prod.yaml"), "zzz: 3\nyyy: plain\n").unwrap();
    dir
}

/// Issue 20: after a set with emoji, the next set's screen holds nothing of
/// them, and no cell holds a sequence terminals draw wider or narrower
/// than ratatui counted it (the leftover half stayed on screen).
#[test]
fn emoji_sequences_leave_no_stray_cells() {
    let dir = emoji_project();
    let settings = Settings::defaults().unwrap();
    let options = AppOptions { root: "emoji".into(), ..AppOptions::default() };
    let mut app = App::new(options, settings.keymap, settings.theme);
    let now = std::time::Instant::now();
    app.update(Action::Resize { width: 120, height: 30 }, now);
    app.start();
    let loaded = envlens::tui::run::load_blocking(dir.path(), false, &[], app.generation);
    app.update(Action::Loaded(Box::new(loaded)), now);
    app.loaded_note = None;
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    terminal.draw(|frame| view::render(&app, frame)).unwrap();
    let screen = text(terminal.backend().buffer());
    assert!(screen.contains("FR Paris") && screen.contains("JP"), "{screen}");
    // A wide character's second cell reads as a blank here.
    assert!(screen.contains("👨  team") && screen.contains("👋  hi") && screen.contains("1 one"));
    let unsteady = |c: char| {
        ('\u{1f1e6}'..='\u{1f1ff}').contains(&c)
            || matches!(c, '\u{200d}' | '\u{fe0f}' | '\u{20e3}' | '\u{1f3fb}'..='\u{1f3ff}')
    };
    for cell in &terminal.backend().buffer().content {
        assert!(!cell.symbol().chars().any(unsteady), "{:?} drawn", cell.symbol());
    }
    app.update(Action::NextSet, now);
    terminal.draw(|frame| view::render(&app, frame)).unwrap();
    let after = terminal.backend().buffer().clone();
    let fresh = draw(&app);
    assert_eq!(text(&after), text(fresh.backend().buffer()));
    assert!(!text(&after).contains("FR") && !text(&after).contains('👨'));
}
