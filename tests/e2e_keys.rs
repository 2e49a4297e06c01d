//! The §9 keys for lazygit and k9s users, on the real binary in tmux: `y`
//! puts the value on the clipboard by OSC 52 (tmux keeps it as a paste
//! buffer), `E` runs `$EDITOR` on the file at the line and shows the saved
//! value, `:` opens a set by fuzzy name, `!` keeps only keys with a finding.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::os::unix::fs::PermissionsExt as _;

use support::tmux::{self, Session};

fn start(name: &str, dir: &std::path::Path, env: &[(&str, &str)]) -> Option<Session> {
    let mut vars = vec![("ENVLENS_CONFIG", "/dev/null")];
    vars.extend_from_slice(env);
    Session::start_in(name, dir, &vars, ". --set config", (140, 40))
}

/// The title of the detail pane: the focused key.
fn detail_title(pane: &str) -> String {
    pane.lines()
        .rfind(|l| l.starts_with("┌ "))
        .unwrap_or_default()
        .trim_start_matches("┌ ")
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Moves from the top down until the detail pane's title is `key`, one key
/// at a time: each `j` waits for the screen to follow, so none overshoots.
fn focus(s: &Session, key: &str) {
    s.keys(&["g"]);
    // `▶` on the row under the table's header line.
    let on_first_row = |p: &str| {
        let mut lines = p.lines().skip_while(|l| !l.contains("    key "));
        lines.nth(1).is_some_and(|row| row.contains("││ ▶"))
    };
    let first = s.wait_for("the first row", on_first_row);
    let mut title = detail_title(&first);
    for _ in 0..60 {
        if title == key {
            return;
        }
        s.keys(&["j"]);
        let before = title.clone();
        title = detail_title(&s.wait_for("the cursor to move", |p| detail_title(p) != before));
    }
    panic!("{key} not reached; last focused {title}");
}

#[test]
fn y_copies_the_value_by_osc_52() {
    let dir = support::sample_copy();
    let Some(s) = start("copy", dir.path(), &[]) else { return };
    // tmux keeps what an application sends by OSC 52 as a paste buffer.
    assert!(tmux::tmux(&["set-option", "-s", "set-clipboard", "on"]).status.success());
    s.wait_text("▾ project");
    focus(&s, "database.pool_size");
    s.keys(&["l", "l", "y"]);
    s.wait_text("copied the value of `database.pool_size` (prod)");
    let buffer = tmux::tmux(&["show-buffer"]);
    assert_eq!(String::from_utf8_lossy(&buffer.stdout), "16");
    // A hidden secret is refused, and nothing new reaches the clipboard.
    focus(&s, "database.url");
    s.keys(&["y"]);
    s.wait_text("is a secret: reveal it with v to copy it");
    let buffer = tmux::tmux(&["show-buffer"]);
    assert_eq!(String::from_utf8_lossy(&buffer.stdout), "16");
    s.keys(&["q"]);
    s.wait_text("envlens exited 0");
}

#[test]
fn capital_e_edits_the_line_in_the_users_editor() {
    let dir = support::sample_copy();
    // An "editor" that changes the line it is given: `+LINE FILE`.
    let editor = dir.path().join("edit.sh");
    std::fs::write(&editor, "#!/bin/sh\nline=${1#+}\nsed -i \"${line}s/16/24/\" \"$2\"\n").unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let editor = editor.display().to_string();
    let Some(s) = start("editor", dir.path(), &[("EDITOR", &editor), ("VISUAL", "")]) else {
        return;
    };
    s.wait_text("▾ project");
    focus(&s, "database.pool_size");
    s.keys(&["l", "l", "E"]);
    // The status line says "back from the editor", or "reloaded" once the
    // watcher's reload of the same change lands: the value is what counts.
    s.wait_for("the edited value on screen", |p| {
        support::tmux::row(p, "prod     24").contains("config_prod.yaml:21")
    });
    let prod = std::fs::read_to_string(dir.path().join("config_prod.yaml")).unwrap();
    assert!(prod.contains("  pool_size: 24\n"), "{prod}");
    // The view answers keys again after the editor.
    s.keys(&["j"]);
    s.wait_text("┌ database.statement_timeout_ms ");
    s.keys(&["q"]);
    s.wait_text("envlens exited 0");
}

#[test]
fn a_missing_editor_is_a_message() {
    let dir = support::sample_copy();
    let Some(s) = start("noeditor", dir.path(), &[("EDITOR", ""), ("VISUAL", "")]) else {
        return;
    };
    s.wait_text("▾ project");
    s.keys(&["E"]);
    s.wait_text("no editor: set $VISUAL or $EDITOR");
    s.keys(&["j"]);
    s.wait_text("┌ project.owner ");
    s.keys(&["q"]);
    s.wait_text("envlens exited 0");
}

#[test]
fn colon_opens_a_set_and_bang_keeps_the_findings() {
    let dir = support::sample_copy();
    let Some(s) = start("jump", dir.path(), &[]) else { return };
    s.wait_text("▾ project");
    s.keys(&[":"]);
    s.wait_text("set :");
    s.keys(&["-l", "srvng"]);
    s.wait_text("▶ services/serving/config");
    s.keys(&["Enter"]);
    s.wait_for("the serving set", |p| p.contains("┌ services/serving/config "));
    s.keys(&["Tab", "Tab"]);
    s.wait_text("┌ config ");
    // The checks run after the load: prod's staging bucket is a finding.
    s.keys(&["!"]);
    let pane = s.wait_text("only keys with a check finding:");
    assert!(!pane.contains("owner"), "a key without a finding is hidden:\n{pane}");
    focus(&s, "data.validation_path");
    s.wait_text("cross-env-reference (prod)");
    s.keys(&["q"]);
    s.wait_text("envlens exited 0");
}
