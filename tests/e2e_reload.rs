//! Live reload with the real binary in tmux (§9): on a temporary copy of
//! `sample-project/`, opened as `.`, a relative path, an absolute path and
//! a symlink, another program rewrites a value (a plain write,
//! then a write to a temporary file renamed over the config, as vim and
//! "atomic save" editors do) and the new value shows; a file made invalid
//! shows its error with its last good values marked stale, and fixing it
//! clears the mark. A burst that rewrites every file of a generated
//! 600-file project (a `git checkout`) reloads on a worker: the view
//! answers a key while "reloading" is shown, then shows the new values.
//! Every wait polls the pane every 10 ms.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::{Path, PathBuf};

use support::tmux::{Session, row};

fn settings(name: &str) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("envlens-e2e-reload-{}-{name}.toml", std::process::id()));
    std::fs::write(&path, "reveal_timeout_seconds = 0\n").unwrap();
    path
}

/// envlens on a fresh copy, the `config` set open and the watcher ready.
/// None, the test skipped, without tmux.
fn open(name: &str) -> Option<(tempfile::TempDir, Session)> {
    let dir = support::sample_copy();
    let args = format!("{} --set config", dir.path().display());
    let s = Session::start(name, &args, &settings(name), (120, 32))?;
    // Changes are seen from the moment the header says so.
    s.wait_text("watching");
    Some((dir, s))
}

fn replace(path: &Path, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} is not in {}", path.display());
    text.replace(from, to)
}

#[test]
fn a_plain_write_and_a_rename_over_the_file_show_on_screen() {
    let Some((dir, s)) = open("write") else { return };
    let prod = dir.path().join("config_prod.yaml");
    assert!(row(&s.pane(), "pool_size").contains(" 16 "));
    // Down to `pool_size`, so the cursor has a key to keep.
    s.keys(&["/", "pool_s", "Enter", "j", "Escape"]);
    s.wait_text("┌ database.pool_size");
    std::fs::write(&prod, replace(&prod, "pool_size: 16", "pool_size: 32")).unwrap();
    let pane = s.wait_for("pool_size 32", |p| row(p, "pool_size").contains(" 32 "));
    assert!(pane.contains("prod changed on disk"), "{pane}");
    assert!(pane.contains("┌ database.pool_size"), "the cursor stays:\n{pane}");

    let temp = dir.path().join(".config_prod.yaml.swp");
    std::fs::write(&temp, replace(&prod, "pool_size: 32", "pool_size: 48")).unwrap();
    std::fs::rename(&temp, &prod).unwrap();
    s.wait_for("pool_size 48", |p| row(p, "pool_size").contains(" 48 "));
    // The rename left the watch on the folder working: once more.
    std::fs::write(&prod, replace(&prod, "pool_size: 48", "pool_size: 64")).unwrap();
    s.wait_for("pool_size 64", |p| row(p, "pool_size").contains(" 64 "));
}

/// How the project folder is given on the command line.
#[derive(Debug, Clone, Copy)]
enum Given {
    /// `envlens .` from inside the folder (the default PATH).
    Dot,
    /// `envlens NAME` from the folder's parent, as the README's
    /// `envlens sample-project`.
    Relative,
    /// `envlens /tmp/…/NAME`.
    Absolute,
    /// `envlens /tmp/…/link`, a symlink to the folder.
    Symlink,
}

/// An outside write to prod shows on screen, whichever way PATH was given.
fn reloads_when_opened_as(given: Given) {
    let dir = support::sample_copy();
    let links = tempfile::tempdir().unwrap();
    let name = dir.path().file_name().unwrap().to_str().unwrap().to_owned();
    let (cwd, path) = match given {
        Given::Dot => (dir.path().to_path_buf(), ".".to_owned()),
        Given::Relative => (dir.path().parent().unwrap().to_path_buf(), name),
        Given::Absolute => (support::repo(""), dir.path().display().to_string()),
        #[cfg(unix)]
        Given::Symlink => {
            let link = links.path().join("link");
            std::os::unix::fs::symlink(dir.path(), &link).unwrap();
            (support::repo(""), link.display().to_string())
        }
    };
    let label = format!("{given:?}").to_lowercase();
    let config = settings(&label);
    let env = [("ENVLENS_CONFIG", config.to_str().unwrap())];
    let args = format!("{path} --set config");
    let Some(s) = Session::start_in(&label, &cwd, &env, &args, (120, 32)) else { return };
    s.wait_text("watching");
    let prod = dir.path().join("config_prod.yaml");
    assert!(row(&s.pane(), "pool_size").contains(" 16 "));
    std::fs::write(&prod, replace(&prod, "pool_size: 16", "pool_size: 32")).unwrap();
    let pane = s.wait_for("pool_size 32", |p| row(p, "pool_size").contains(" 32 "));
    assert!(pane.contains("prod changed on disk"), "{given:?}:\n{pane}");
    s.keys(&["q"]);
    s.wait_text("envlens exited 0");
}

#[test]
fn reload_with_a_dot_path() {
    reloads_when_opened_as(Given::Dot);
}

#[test]
fn reload_with_a_relative_path() {
    reloads_when_opened_as(Given::Relative);
}

#[test]
fn reload_with_an_absolute_path() {
    reloads_when_opened_as(Given::Absolute);
}

#[cfg(unix)]
#[test]
fn reload_with_a_symlinked_path() {
    reloads_when_opened_as(Given::Symlink);
}

#[test]
fn a_broken_file_shows_its_error_and_stale_values_until_fixed() {
    let Some((dir, s)) = open("broken") else { return };
    let prod = dir.path().join("config_prod.yaml");
    let good = std::fs::read_to_string(&prod).unwrap();
    std::fs::write(&prod, good.replace("  pool_size: 16\n", "  pool_size: [16\n")).unwrap();
    let pane = s.wait_text("prod ⚠ stale");
    assert!(pane.contains("config_prod.yaml:22:3"), "the error, located:\n{pane}");
    assert!(pane.contains("last good values kept, marked stale"), "{pane}");
    assert!(row(&pane, "pool_size").contains(" 16 "), "the last good value stays:\n{pane}");
    assert!(row(&pane, "▶ config").contains('⚠'), "the set list flags it:\n{pane}");

    std::fs::write(&prod, good.replace("pool_size: 16", "pool_size: 20")).unwrap();
    let pane = s.wait_for("the fix", |p| row(p, "pool_size").contains(" 20 "));
    assert!(!pane.contains("stale"), "{pane}");
    assert!(pane.contains("config_prod.yaml parses again"), "{pane}");
    s.keys(&["q"]);
    s.wait_text("envlens exited 0");
}

#[test]
fn the_view_answers_keys_while_a_burst_reloads() {
    let dir = tempfile::tempdir().unwrap();
    if !support::generate(dir.path(), &["--sets", "200", "--keys", "50"]) {
        return;
    }
    let args = format!("{} --set services/svc_002/config", dir.path().display());
    let Some(s) = Session::start("burst", &args, &settings("burst"), (120, 32)) else { return };
    s.wait_text("watching");
    let shown = dir.path().join("services/svc_002/config_prod.yaml");
    let files: Vec<PathBuf> = walk(dir.path()).into_iter().filter(|p| *p != shown).collect();
    assert!(files.len() >= 599, "{} files", files.len());
    // Every file rewritten at once; whitespace is valid in every format.
    for file in &files {
        let mut text = std::fs::read(file).unwrap();
        text.push(b'\n');
        std::fs::write(file, text).unwrap();
    }
    std::fs::write(&shown, replace(&shown, "ttl_seconds: 2000", "ttl_seconds: 2468")).unwrap();
    s.wait_text("reloading ");
    s.keys(&["?"]);
    let pane = s.wait_for("help while reloading", |p| p.contains("this help"));
    assert!(pane.contains("reloading "), "the key was answered after the reload:\n{pane}");
    s.keys(&["?"]);
    let pane = s.wait_for("ttl_seconds 2468", |p| row(p, "ttl_seconds").contains(" 2468 "));
    assert!(pane.contains("files changed on disk"), "{pane}");
    s.keys(&["q"]);
    s.wait_text("envlens exited 0");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}
