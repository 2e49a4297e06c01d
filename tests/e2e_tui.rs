//! The real binary in a detached tmux session of a fixed size: wait for the
//! first frame, press keys, read the pane as a person would, quit, and see
//! the shell's screen back. Every wait polls the pane until the text shows
//! or a deadline passes; nothing sleeps and then asserts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::tmux::{self, Session};

fn settings(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("envlens-e2e-{}-{name}.toml", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn navigate_filter_reveal_and_quit() {
    let config = settings("plain", "reveal_timeout_seconds = 0\n");
    let Some(s) = Session::start("main", "sample-project", &config, (120, 32)) else { return };
    let first = s.wait_text("LOG_LEVEL");
    assert!(first.contains("4 sets"), "{first}");
    assert!(first.contains("Sets 4"));
    assert!(!first.contains("dev-pass-not-real"), "a secret reached the screen");

    // To the `config` set, then its tree and drift marks.
    s.keys(&["Tab"]);
    let pane = s.wait_text("▾ database");
    assert!(pane.contains("≠   pool_size"), "{pane}");
    assert!(pane.contains("∅   min_tenure_days"), "{pane}");

    // A filter that keeps the key and its parent.
    s.keys(&["/", "p", "o", "o", "l", "Enter"]);
    let pane =
        s.wait_for("the filter", |p| p.contains("filter: pool") && !p.contains("train_path"));
    assert!(pane.contains("pool_size"), "{pane}");
    s.keys(&["Escape"]);
    s.wait_text("train_path");

    // Reveal one cell of the dotenv set.
    s.keys(&["BTab", "j", "j"]);
    s.wait_text("┌ DB_PASSWORD");
    s.keys(&["v"]);
    let pane = s.wait_text("dev-pass-not-real");
    assert!(pane.contains("revealed"), "{pane}");
    s.keys(&["v"]);
    s.wait_for("the secret hidden again", |p| !p.contains("dev-pass-not-real"));

    s.keys(&["q"]);
    let pane = s.wait_text("envlens exited 0");
    assert!(
        !pane.contains("Sets 4") && !pane.contains("LOG_LEVEL"),
        "the UI is still shown:\n{pane}"
    );
}

#[test]
fn narrow_terminal_and_resize_keep_the_cursor() {
    let config = settings("narrow", "");
    let Some(s) = Session::start("narrow", "sample-project --set config", &config, (80, 24)) else {
        return;
    };
    let pane = s.wait_text("set 2/4");
    assert!(pane.contains("▾ project"), "{pane}");
    assert!(pane.contains("▶="), "the set opens on its first key, project.name: {pane}");
    s.keys(&["j", "j", "j"]);
    s.wait_text("┌ data.train_path");
    assert!(
        tmux::tmux(&["resize-window", "-t", &s.name, "-x", "130", "-y", "34"]).status.success()
    );
    s.wait_for("the wide layout with the cursor kept", |p| {
        p.contains("Sets 4") && p.contains("┌ data.train_path") && p.contains("▶ config")
    });
    s.keys(&["C-c"]);
    s.wait_text("envlens exited 0");
}

#[test]
fn sigterm_restores_the_terminal() {
    let config = settings("term", "");
    let Some(s) = Session::start("term", "sample-project", &config, (100, 30)) else { return };
    s.wait_text("LOG_LEVEL");
    let pid = tmux::tmux(&["list-panes", "-t", &s.name, "-F", "#{pane_pid}"]).stdout;
    let shell = String::from_utf8_lossy(&pid).trim().to_owned();
    // The pane runs `sh -c`, whose one child is envlens: signal it by id.
    let children = Command::new("pgrep").args(["-P", &shell]).output().unwrap();
    let child = String::from_utf8_lossy(&children.stdout).trim().to_owned();
    assert!(!child.is_empty() && !child.contains('\n'), "envlens is not the one child of {shell}");
    let out = Command::new("kill").args(["-TERM", &child]).output().unwrap();
    assert!(out.status.success(), "kill -TERM {child} failed");
    let pane = s.wait_text("envlens exited 0");
    assert!(!pane.contains("LOG_LEVEL"), "{pane}");
}

#[test]
fn a_broken_settings_file_stops_before_the_view() {
    let config = settings("broken", "[theme]\ndiffers = \"yelow\"\n");
    let Some(s) = Session::start("broken", "sample-project", &config, (120, 10)) else { return };
    let pane = s.wait_text("envlens exited 2");
    assert!(pane.contains(":2: theme.differs: `yelow` is not a colour"), "{pane}");
}

#[test]
fn piped_output_points_to_envlens_diff() {
    let run = support::run::envlens(&["sample-project"]);
    assert_eq!(run.code, 2);
    let stderr = &run.stderr;
    assert!(stderr.starts_with("envlens: the interactive view needs a terminal"), "{stderr}");
    assert!(stderr.contains("  hint: use `envlens diff sample-project`"), "{stderr}");
    assert!(run.stdout.is_empty());
}

/// The lines that differ between two texts of the same number of lines.
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
fn edit_a_value_see_a_refusal_and_keep_an_outside_change() {
    let dir = support::sample_copy();
    let prod = dir.path().join("config_prod.yaml");
    let before = std::fs::read_to_string(&prod).unwrap();
    let config = settings("edit", "");
    let args = format!("{} --set config", dir.path().display());
    let Some(s) = Session::start("edit", &args, &config, (120, 32)) else { return };
    s.wait_text("▾ database");

    // To database.pool_size in prod, and save 32.
    s.keys(&["/", "pool_size", "Enter", "j", "l", "l"]);
    s.wait_text("┌ database.pool_size");
    s.keys(&["e"]);
    let pane = s.wait_text("┌ prod · database.pool_size (int)");
    assert!(pane.contains("Enter save · Esc cancel · 1 to 64"), "{pane}");
    s.keys(&["C-u", "32", "Enter"]);
    let pane = s.wait_for("the saved value on screen", |p| {
        p.contains("config_prod.yaml:21 database.pool_size = 32")
            && p.lines().any(|l| l.contains("│ prod     32  int"))
    });
    assert!(!pane.contains("┌ prod · database.pool_size"), "the editor closed:\n{pane}");
    let after = std::fs::read_to_string(&prod).unwrap();
    assert_eq!(
        changed_lines(&before, &after),
        [("  pool_size: 16".to_owned(), "  pool_size: 32".to_owned())]
    );

    // A word in an int is refused in the box; Esc leaves the file alone.
    s.keys(&["e", "C-u", "forty", "Enter"]);
    let pane = s.wait_text("\"forty\" is not an int");
    assert!(pane.contains("┌ prod · database.pool_size"), "the editor stays open:\n{pane}");
    s.keys(&["Escape"]);
    s.wait_for("the editor closed", |p| !p.contains("┌ prod · database.pool_size"));
    assert_eq!(std::fs::read_to_string(&prod).unwrap(), after);

    // Another program saves the file while the editor is open: the view
    // reloads it and the editor says so; nothing is written until Enter,
    // which then writes the value into the new text, keeping the outside
    // change. (The edit core's own refusal of a save against text the
    // editor did not show is tested without a watcher in tests/edit.rs
    // and tests/tui_edit.rs: here the race between the watcher and a key
    // would make either outcome possible.)
    s.keys(&["e"]);
    s.wait_text("┌ prod · database.pool_size");
    s.keys(&["C-u", "8"]);
    s.wait_for("8 typed", |p| p.contains("│ 8█"));
    let outside = after.replace("epochs: 40", "epochs: 41");
    std::fs::write(&prod, &outside).unwrap();
    let pane = s.wait_text("changed on disk while you");
    assert!(pane.contains("┌ prod · database.pool_size"), "the editor stays open:\n{pane}");
    assert_eq!(std::fs::read_to_string(&prod).unwrap(), outside, "nothing written yet");
    s.keys(&["Enter"]);
    s.wait_text("database.pool_size = 8");
    let now = std::fs::read_to_string(&prod).unwrap();
    assert_eq!(now, outside.replace("pool_size: 32", "pool_size: 8"), "both changes kept");

    // The view shows prod's new epochs once the filter is cleared.
    // Apart: two escapes in one write read as Alt-Esc.
    s.keys(&["Escape"]);
    s.wait_for("the reloaded epochs", |p| {
        p.lines().any(|l| l.contains(" epochs ") && l.contains(" 41 "))
    });
    s.keys(&["q"]);
    s.wait_text("envlens exited 0");
}

/// `F` in a real terminal: the sample's flag matrix, the out-of-order
/// cell marked without colour (`NO_COLOR`), `Enter` on the flag's key.
#[test]
fn capital_f_shows_the_flag_matrix() {
    let config = settings("flags", "reveal_timeout_seconds = 0\n");
    let Some(s) = Session::start("flags", "sample-project --set flags", &config, (120, 32)) else {
        return;
    };
    s.wait_text("▾ retrain-on-drift");
    s.keys(&["F"]);
    // The overlay may be caught half drawn: wait for its row, not its title.
    s.wait_for("the flag matrix's out-of-order row", |pane| {
        pane.contains("Flags · this set")
            && pane
                .lines()
                .any(|l| l.contains("retrain-on-drift") && l.contains("●    ○        ●!"))
    });
    s.keys(&["j", "Enter"]);
    s.wait_for("the key focused", |p| p.contains("┌ retrain-on-drift.enabled"));
    s.keys(&["q"]);
    s.wait_text("envlens exited 0");
}

/// `envlens sample-project --resolve` in a real terminal (§7, §14): the
/// serving set counts `auth.api_key` as differing (8, not 7) and its cells
/// read `${SERVING_API_KEY} → ••••••••`, no key's text on screen.
#[test]
fn resolve_in_a_real_terminal() {
    let config = settings("resolve", "reveal_timeout_seconds = 0\n");
    let args = "sample-project --resolve --set services/serving/config";
    let Some(s) = Session::start("resolve", args, &config, (160, 40)) else {
        return;
    };
    let screen = s.wait_text("${SERVING_API_KEY} → ••••••••");
    assert!(screen.lines().any(|l| l.contains("services/serv") && l.contains(" 8 ≠")), "{screen}");
    assert!(!screen.contains("sk_live_") && !screen.contains("dev-serving-key"), "{screen}");
    s.keys(&["q"]);
    s.wait_text("envlens exited 0");
}

/// Issue 20: a set whose values hold a flag, a ZWJ family, a skin tone and
/// a keycap, then `Tab` to a plain set: tmux's screen is exactly the one a
/// fresh start on that set shows (no leftover half of an emoji), and
/// `Ctrl-L` redraws it the same.
#[test]
fn emoji_leave_no_stray_cells_after_a_set_switch() {
    let dir = tempfile::tempdir().unwrap();
    let dev = "flag: \"🇫🇷 Paris\"\nfamily: \"👨\u{200d}👩\u{200d}👧 team\"\nwave: \"👋🏽 hi\"\n\
               keycap: \"1\u{fe0f}\u{20e3} one\"\n";
    std::fs::write(dir.path().join("config_dev.yaml"), dev).unwrap();
    std::fs::write(dir.path().join("config_prod.yaml"), dev.replace("Paris", "Lyon")).unwrap();
    std::fs::create_dir(dir.path().join("svc")).unwrap();
    std::fs::write(dir.path().join("svc/config_dev.yaml"), "zzz: 1\nyyy: plain\n").unwrap();
    std::fs::write(dir.path().join("svc/config_prod.yaml"), "zzz: 3\nyyy: plain\n").unwrap();
    let env = [("ENVLENS_CONFIG", "/dev/null")];
    // Both screens once the plain set is shown and the checks marked the
    // drift of `zzz` (the emoji set has drift of its own: its finding alone
    // would match before `Tab` took effect).
    let settled =
        |p: &str| p.contains("▶≠ zzz") && p.contains("drift (dev, prod)") && p.contains("watching");
    let Some(s) = Session::start_in("emoji", dir.path(), &env, ". --set config", (120, 30)) else {
        return;
    };
    s.wait_text("FR Paris");
    s.keys(&["Tab"]);
    let switched = s.wait_for("the plain set", settled);
    let Some(fresh) =
        Session::start_in("emoji-fresh", dir.path(), &env, ". --set svc/config", (120, 30))
    else {
        return;
    };
    let expected = fresh.wait_for("the plain set", settled);
    // The status line says how long the load took: not compared.
    let body = |p: &str| p.lines().take(29).map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(body(&switched), body(&expected), "stray cells after the switch:\n{switched}");
    s.keys(&["C-l"]);
    let redrawn = s.wait_for("the redraw", settled);
    assert_eq!(body(&redrawn), body(&expected));
}

/// Issue 17: `envlens --since REV PATH`, the real binary: prod's changed
/// pool is marked `Δ`, the header counts it and the detail pane says what
/// it was at REV; `q` quits.
#[test]
fn since_marks_what_changed_in_the_real_view() {
    if !support::git::have_git() {
        return;
    }
    let repo = support::git::GitRepo::new();
    repo.write("config_dev.yaml", "pool: 5\nhost: db.dev\n");
    repo.write("config_prod.yaml", "pool: 10\nhost: db.prod\n");
    repo.commit("pools");
    repo.write("config_prod.yaml", "pool: 77\nhost: db.prod\n");
    let env = [("ENVLENS_CONFIG", "/dev/null")];
    let Some(s) = Session::start_in("since", repo.path(), &env, "--since HEAD .", (120, 30)) else {
        return;
    };
    let pane = s.wait_text("1 changed since HEAD");
    let pool = pane.lines().find(|l| l.contains(" pool ")).unwrap_or_default();
    assert!(pool.contains("Δ77"), "{pane}");
    s.wait_text("Δ was 10 at HEAD");
    s.keys(&["q"]);
    s.wait_text("envlens exited 0");
}
