//! `envlens blame` (§13): the commits that changed a key's effective value
//! in one env, through renames, base layers, merges and a revision where
//! the file did not parse; masked secrets; JSON. Repositories are made
//! with `git`, dates fixed by the helper (day N of 2026 for commit N).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::Value as J;
use support::git::{GitRepo, have_git};

fn envlens(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_envlens"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `blame --format json`'s changes as (author, old, new, summary).
fn changes(dir: &Path, args: &[&str]) -> Vec<(String, J, J, String)> {
    let mut all = vec!["blame"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = envlens(dir, &all);
    assert_eq!(code, 0, "{all:?}: {stderr}");
    let doc: J = serde_json::from_str(&stdout).unwrap();
    doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let value = |s: &J| {
                if s.is_null() {
                    J::Null
                } else {
                    s.get("value").cloned().unwrap_or_else(|| s.clone())
                }
            };
            (
                c["author"].as_str().unwrap().to_owned(),
                value(&c["old"]),
                value(&c["new"]),
                c["summary"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn blame_lists_each_change_newest_first_with_who_and_when() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "database:\n  pool_size: 5\n");
    repo.write("config_prod.yaml", "database:\n  pool_size: 10\n");
    repo.commit_as("Ada", "pools");
    repo.write("config_dev.yaml", "database:\n  pool_size: 6\n");
    repo.commit_as("Bob", "dev pool only");
    repo.write("config_prod.yaml", "# a comment moves the line\ndatabase:\n  pool_size: 10\n");
    repo.commit_as("Cy", "comment only");
    repo.write("config_prod.yaml", "database:\n  pool_size: 20\n");
    repo.commit_as("Dee", "more connections");
    let found = changes(repo.path(), &["database.pool_size", "--env", "prod"]);
    assert_eq!(
        found,
        vec![
            ("Dee".into(), J::from(10), J::from(20), "more connections".into()),
            ("Ada".into(), J::Null, J::from(10), "pools".into()),
        ],
        "dev's change and a moved line are not prod's value changing"
    );
    let (code, text, _) = envlens(repo.path(), &["blame", "database.pool_size", "--env", "prod"]);
    assert_eq!(code, 0);
    let first = text.lines().next().unwrap();
    let short = repo.git(&["rev-parse", "--short", "HEAD"]);
    assert!(first.starts_with(&short), "{first}");
    assert!(first.contains("2026-01-05"), "the fourth commit's date: {first}");
    assert!(first.contains("Dee") && first.contains("10 → 20"), "{first}");
    assert!(text.lines().nth(1).unwrap().contains("— → 10"), "{text}");
}

#[test]
fn blame_follows_renames_and_base_layers() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("old/config_base.yaml", "timeout: 30\nname: app\n");
    repo.write("old/config_dev.yaml", "name: dev\n");
    repo.write("old/config_prod.yaml", "name: prod\n");
    repo.commit_as("Ada", "base");
    repo.write("old/config_base.yaml", "timeout: 45\nname: app\n");
    repo.commit_as("Bob", "base timeout");
    repo.write("old/config_prod.yaml", "name: prod\ntimeout: 60\n");
    repo.commit_as("Cy", "prod overrides");
    repo.git(&["mv", "old", "svc"]);
    repo.commit_as("Dee", "move the folder");
    repo.write("svc/config_base.yaml", "timeout: 99\nname: app\n");
    repo.commit_as("Eve", "base again, prod still overrides");
    repo.write("svc/config_prod.yaml", "name: prod\ntimeout: 61\n");
    repo.commit_as("Fay", "prod after the move");
    let found = changes(repo.path(), &["timeout", "--env", "prod", "--set", "svc/config"]);
    let who: Vec<&str> = found.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(who, ["Fay", "Cy", "Bob", "Ada"], "{found:?}");
    assert_eq!((found[1].1.clone(), found[1].2.clone()), (J::from(45), J::from(60)));
    // dev inherits every base change, the move changes nothing.
    let dev = changes(repo.path(), &["timeout", "--env", "dev", "--set", "svc/config"]);
    let who: Vec<&str> = dev.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(who, ["Eve", "Bob", "Ada"], "{dev:?}");
}

#[test]
fn blame_through_a_merge_and_a_broken_revision() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "a: 1\n");
    repo.write("config_prod.yaml", "a: 1\n");
    repo.commit_as("Ada", "start");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("config_prod.yaml", "a: 2\n");
    repo.commit_as("Bob", "feature sets 2");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("config_dev.yaml", "a: 5\n");
    repo.commit_as("Cy", "main: dev only");
    repo.git(&["merge", "-q", "--no-edit", "--no-ff", "feature"]);
    repo.write("config_prod.yaml", "a: [\n");
    repo.commit_as("Dee", "breaks prod");
    repo.write("config_prod.yaml", "a: 3\n");
    repo.commit_as("Eve", "fixes prod");
    let found = changes(repo.path(), &["a", "--env", "prod"]);
    let who: Vec<&str> = found.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(who, ["Eve", "Dee", "Bob", "Ada"], "the merge itself changed nothing: {found:?}");
    assert!(found[1].2["error"].as_str().unwrap().contains("config_prod.yaml"), "{found:?}");
    let (_, text, _) = envlens(repo.path(), &["blame", "a", "--env", "prod"]);
    assert!(text.lines().next().unwrap().contains("(did not parse) → 3"), "{text}");
}

#[test]
fn blame_masks_secrets_and_says_when_a_key_never_existed() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "db_password: fake-blame-one\n");
    repo.write("config_prod.yaml", "db_password: fake-blame-two\n");
    repo.commit("first");
    repo.write("config_prod.yaml", "db_password: fake-blame-three\n");
    repo.commit("rotate");
    let (code, text, err) = envlens(repo.path(), &["blame", "db_password", "--env", "prod"]);
    assert_eq!(code, 0, "{err}");
    assert!(!text.contains("fake-blame"), "{text}");
    assert!(text.contains("•••••••• → ••••••••"), "{text}");
    let (_, json, _) =
        envlens(repo.path(), &["blame", "db_password", "--env", "prod", "--format", "json"]);
    assert!(!json.contains("fake-blame"), "{json}");
    let (_, revealed, _) =
        envlens(repo.path(), &["blame", "db_password", "--env", "prod", "--reveal"]);
    assert!(revealed.contains("fake-blame-two → fake-blame-three"), "{revealed}");

    let (code, _, err) = envlens(repo.path(), &["blame", "nope", "--env", "prod"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("envlens: `nope` never had a value"), "{err}");
    let plain = tempfile::tempdir().unwrap();
    std::fs::write(plain.path().join("config_dev.yaml"), "a: 1\n").unwrap();
    std::fs::write(plain.path().join("config_prod.yaml"), "a: 1\n").unwrap();
    let (code, _, err) = envlens(plain.path(), &["blame", "a", "--env", "prod"]);
    assert_eq!(code, 2);
    assert!(err.contains("not inside a git repository"), "{err}");
}
