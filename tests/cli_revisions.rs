//! `--rev REV` (§13): the project read from a revision's tree, with that
//! revision's ignore rules, from a folder inside the repository; a file
//! that did not parse then; a shallow clone without the commit; and the
//! commands that write refusing it. Repositories are made with `git`.

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

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn envlens(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_envlens"))
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn diff_json(dir: &Path, args: &[&str]) -> J {
    let mut all = vec!["diff", "--all", "--format", "json"];
    all.extend(args);
    let run = envlens(dir, &all);
    assert!(run.code == 0 || run.code == 1, "{all:?}: {}\n{}", run.code, run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

/// The value of `key` in `env` of the only set.
fn value(diff: &J, key: &str, env: &str) -> J {
    let keys = diff["sets"][0]["keys"].as_array().unwrap();
    let row = keys.iter().find(|k| k["key"] == key).unwrap_or_else(|| panic!("no {key} in {diff}"));
    row["values"][env]["value"].clone()
}

fn set_names(diff: &J) -> Vec<String> {
    diff["sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn rev_reads_the_commit_not_the_working_tree() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "port: 1\nhost: a\n");
    repo.write("config_prod.yaml", "port: 2\nhost: b\n");
    repo.write("old/config_dev.yaml", "x: 1\n");
    repo.write("old/config_prod.yaml", "x: 2\n");
    repo.commit("first");
    repo.write("config_prod.yaml", "port: 3\nhost: b\n");
    repo.commit("second");
    // Uncommitted: a changed value, a new set, a removed set.
    repo.write("config_prod.yaml", "port: 4\nhost: b\n");
    repo.write("new/config_dev.yaml", "y: 1\n");
    repo.write("new/config_prod.yaml", "y: 1\n");
    std::fs::remove_dir_all(repo.join("old")).unwrap();

    let now = diff_json(repo.path(), &[]);
    assert_eq!(value(&now, "port", "prod"), 4);
    assert_eq!(set_names(&now), ["config", "new/config"]);

    let head = diff_json(repo.path(), &["--rev", "HEAD"]);
    assert_eq!(value(&head, "port", "prod"), 3);
    assert_eq!(set_names(&head), ["config", "old/config"]);

    let first = diff_json(repo.path(), &["--rev", "HEAD~1"]);
    assert_eq!(value(&first, "port", "prod"), 2);
    // Lines come from the revision's text too.
    assert_eq!(first["sets"][0]["keys"][0]["values"]["prod"]["line"], 1);
}

#[test]
fn rev_applies_the_revisions_ignore_rules_and_settings() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write(".gitignore", "legacy/\n");
    repo.write("config_dev.yaml", "a: 1\n");
    repo.write("config_prod.yaml", "a: 2\n");
    repo.write("legacy/config_dev.yaml", "b: 1\n");
    repo.write("legacy/config_prod.yaml", "b: 2\n");
    repo.git(&["add", "-f", "legacy"]);
    repo.write(".envlens.toml", "secret_keys = [\"a\"]\n");
    repo.commit("legacy ignored, a secret");
    repo.write(".gitignore", "");
    repo.write(".envlens.toml", "");
    repo.commit("legacy no longer ignored");

    let old = diff_json(repo.path(), &["--rev", "HEAD~1"]);
    assert_eq!(set_names(&old), ["config"], "the old .gitignore skipped legacy/");
    assert_eq!(value(&old, "a", "prod"), "••••••••", "the old settings marked `a` secret");
    let new = diff_json(repo.path(), &["--rev", "HEAD"]);
    assert_eq!(set_names(&new), ["config", "legacy/config"]);
    assert_eq!(value(&new, "a", "prod"), 2);
    // --no-ignore takes the ignored files at a revision too.
    let all = diff_json(repo.path(), &["--rev", "HEAD~1", "--no-ignore"]);
    assert_eq!(set_names(&all), ["config", "legacy/config"]);
}

#[test]
fn rev_reads_a_project_folder_inside_the_repository() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    // The parent folder's .gitignore applies to the project below it.
    repo.write(".gitignore", "*.local.yaml\n");
    repo.write("services/api/config_dev.yaml", "port: 1\n");
    repo.write("services/api/config_prod.yaml", "port: 2\n");
    repo.write("services/api/config_dev.local.yaml", "port: 9\n");
    repo.git(&["add", "-f", "."]);
    repo.commit("api");
    repo.write("services/api/config_prod.yaml", "port: 5\n");
    let at_head = diff_json(repo.path(), &["services", "--rev", "HEAD"]);
    assert_eq!(set_names(&at_head), ["api/config"]);
    assert_eq!(at_head["sets"][0]["files"]["prod"], "api/config_prod.yaml");
    assert_eq!(value(&at_head, "port", "prod"), 2);
    let envs = at_head["sets"][0]["envs"].as_array().unwrap();
    assert!(!envs.iter().any(|e| e == "dev.local"), "the top .gitignore applies: {envs:?}");
    // From inside the folder, with a relative path.
    let inside = diff_json(&repo.join("services/api"), &[".", "--rev", "HEAD"]);
    assert_eq!(value(&inside, "port", "prod"), 2);
    // A folder that did not exist at the revision is an empty project.
    repo.write("later/config_dev.yaml", "a: 1\n");
    let run = envlens(repo.path(), &["diff", "later", "--rev", "HEAD"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no config files found"), "{}", run.stderr);
}

#[test]
fn a_file_that_did_not_parse_at_the_revision_is_its_error() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "a: 1\nb: [\n");
    repo.write("config_prod.yaml", "a: 2\n");
    repo.commit("broken dev");
    repo.write("config_dev.yaml", "a: 1\n");
    repo.commit("fixed");
    let run = envlens(repo.path(), &["diff", "--rev", "HEAD~1", "--format", "json"]);
    assert_eq!(run.code, 2, "a file that failed to load: {}", run.stderr);
    let diff: J = serde_json::from_str(&run.stdout).unwrap();
    let errors = diff["sets"][0]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["env"], "dev");
    assert_eq!(errors[0]["file"], "config_dev.yaml");
    assert_eq!(errors[0]["line"], 2, "located in the revision's text");
    assert_eq!(value(&diff, "a", "prod"), 2, "the healthy file is still shown");
    let check = envlens(repo.path(), &["check", "--rev", "HEAD~1", "--format", "json"]);
    assert_eq!(check.code, 1);
    assert!(check.stdout.contains("parse-error"), "{}", check.stdout);
    assert_eq!(envlens(repo.path(), &["check", "--rev", "HEAD"]).code, 0);
}

#[test]
fn get_docs_sets_and_check_read_the_revision() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "# How many connections.\npool: 5\n");
    repo.write("config_prod.yaml", "# How many connections.\npool: 10\n");
    repo.commit("pools");
    repo.write("config_prod.yaml", "# Connections per worker.\npool: 20\n");
    let get = envlens(repo.path(), &["get", "pool", "--env", "prod", "--rev", "HEAD"]);
    assert_eq!((get.code, get.stdout.trim()), (0, "10"), "{}", get.stderr);
    let get_now = envlens(repo.path(), &["get", "pool", "--env", "prod"]);
    assert_eq!(get_now.stdout.trim(), "20");
    let docs = envlens(repo.path(), &["docs", "--rev", "HEAD"]);
    assert_eq!(docs.code, 0, "{}", docs.stderr);
    assert!(docs.stdout.contains("How many connections."), "{}", docs.stdout);
    assert!(!docs.stdout.contains("per worker"), "{}", docs.stdout);
    let sets = envlens(repo.path(), &["sets", "--rev", "HEAD"]);
    assert_eq!(sets.code, 0, "{}", sets.stderr);
    assert!(sets.stdout.contains("config_prod.yaml"), "{}", sets.stdout);
}

#[test]
fn commands_that_write_refuse_a_revision() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "a: 1\n");
    repo.write("config_prod.yaml", "a: 2\n");
    repo.commit("first");
    let run = envlens(repo.path(), &["set", "a", "3", "--env", "prod", "--rev", "HEAD"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("envlens: --rev HEAD reads a revision read-only"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(repo.join("config_prod.yaml")).unwrap(), "a: 2\n");
    let init = envlens(repo.path(), &["init", "local", "--rev", "HEAD"]);
    assert_eq!(init.code, 2);
    assert!(!repo.join("config_local.yaml").exists());
}

#[test]
fn unknown_revisions_and_folders_outside_git_are_clear_errors() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "a: 1\n");
    repo.write("config_prod.yaml", "a: 2\n");
    repo.commit("first");
    let run = envlens(repo.path(), &["diff", "--rev", "nope"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "envlens: revision `nope` is not in this repository"
    );
    assert!(run.stderr.lines().nth(1).unwrap().starts_with("  hint: "), "{}", run.stderr);

    let plain = tempfile::tempdir().unwrap();
    std::fs::write(plain.path().join("config_dev.yaml"), "a: 1\n").unwrap();
    let run = envlens(plain.path(), &["diff", "--rev", "HEAD"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not inside a git repository"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn a_shallow_clone_without_the_revision_says_how_to_fetch_it() {
    if !have_git() {
        return;
    }
    let origin = GitRepo::new();
    origin.write("config_dev.yaml", "a: 1\n");
    origin.write("config_prod.yaml", "a: 2\n");
    origin.commit("first");
    origin.write("config_prod.yaml", "a: 3\n");
    origin.commit("second");
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    let out = support::git::git_command(clones.path())
        .args(["clone", "-q", "--depth", "1", &url, "shallow"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let clone = clones.path().join("shallow");
    let run = envlens(&clone, &["diff", "--rev", "HEAD~1"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "envlens: revision `HEAD~1` is not in this shallow clone"
    );
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
    // What the clone has is read.
    let head = diff_json(&clone, &["--rev", "HEAD"]);
    assert_eq!(value(&head, "a", "prod"), 3);
}

fn since(dir: &Path, rev: &str, extra: &[&str]) -> (i32, J) {
    let mut args = vec!["diff", "--since", rev, "--format", "json"];
    args.extend(extra);
    let run = envlens(dir, &args);
    assert!(run.code == 0 || run.code == 1, "{args:?}: {}\n{}", run.code, run.stderr);
    (run.code, serde_json::from_str(&run.stdout).unwrap())
}

fn keys_of(set: &J) -> Vec<String> {
    set["keys"].as_array().unwrap().iter().map(|k| k["key"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn since_shows_only_keys_whose_effective_value_changed() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "port: 1\nhost: dev.db\nsame: x\nold_key: 1\n");
    repo.write("config_prod.yaml", "port: 2\nhost: prod.db\nsame: x\nold_key: 1\n");
    repo.write("other/config_dev.yaml", "a: 1\n");
    repo.write("other/config_prod.yaml", "a: 2\n");
    repo.commit("first");
    // prod's port changes, dev gains a key, a key goes, `host` drifts but
    // stays as it was: only changes are shown, drift or not.
    repo.write("config_dev.yaml", "port: 1\nhost: dev.db\nsame: x\nnew_key: true\n");
    repo.write("config_prod.yaml", "port: 3\nhost: prod.db\nsame: x\n");

    let (code, diff) = since(repo.path(), "HEAD", &[]);
    assert_eq!(code, 1, "keys changed");
    let sets = diff["sets"].as_array().unwrap();
    assert_eq!(sets.len(), 1, "a set where nothing changed is left out: {diff}");
    assert_eq!(keys_of(&sets[0]), ["port", "new_key", "old_key"]);
    let port = &sets[0]["keys"][0]["values"];
    assert_eq!(port["prod"]["value"], 3);
    assert_eq!(port["prod"]["before"]["value"], 2);
    assert_eq!(port["prod"]["before"]["line"], 1);
    assert_eq!(port["dev"]["before"]["value"], 1, "unchanged cells carry their before too");
    let new_key = &sets[0]["keys"][1]["values"];
    assert_eq!(new_key["dev"]["before"], J::Null, "absent at REV");
    assert_eq!(new_key["prod"], J::Null);
    let old_key = &sets[0]["keys"][2];
    assert_eq!(old_key["values"]["dev"], J::Null);
    assert_eq!(old_key["removed"]["dev"]["value"], 1);
    assert_eq!(old_key["removed"]["prod"]["value"], 1);

    let table = envlens(repo.path(), &["diff", "--since", "HEAD", "--color", "never"]);
    assert_eq!(table.code, 1, "{}", table.stderr);
    let port_line = table.stdout.lines().find(|l| l.contains("port")).unwrap();
    assert!(port_line.contains("2 → 3"), "{}", table.stdout);
    assert!(!port_line.contains("1 → 1"), "an unchanged cell shows its value once: {port_line}");
    let old_line = table.stdout.lines().find(|l| l.contains("old_key")).unwrap();
    assert!(old_line.contains("1 → —"), "{old_line}");
    assert!(table.stdout.contains("3 changed"), "{}", table.stdout);

    // Nothing changed since the working tree's own state: exit 0.
    repo.commit("second");
    let (code, diff) = since(repo.path(), "HEAD", &[]);
    assert_eq!(code, 0);
    assert_eq!(diff["sets"].as_array().unwrap().len(), 0, "{diff}");
}

#[test]
fn since_sees_a_base_layer_change_in_every_env() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_base.yaml", "timeout: 30\nretries: 3\n");
    repo.write("config_dev.yaml", "retries: 5\n");
    repo.write("config_staging.yaml", "name: s\n");
    repo.write("config_prod.yaml", "name: p\n");
    repo.commit("base");
    repo.write("config_base.yaml", "timeout: 60\nretries: 3\n");
    let (_, diff) = since(repo.path(), "HEAD", &[]);
    let set = &diff["sets"][0];
    assert_eq!(keys_of(set), ["timeout"], "retries kept its effective value: {diff}");
    for env in ["dev", "staging", "prod"] {
        let cell = &set["keys"][0]["values"][env];
        assert_eq!(
            (cell["value"].clone(), cell["before"]["value"].clone()),
            (J::from(60), J::from(30))
        );
        assert_eq!(cell["inherited"], true);
    }
    // A change the env file overrides is no change of the effective value.
    repo.commit("60");
    repo.write("config_base.yaml", "timeout: 60\nretries: 4\n");
    let (_, diff) = since(repo.path(), "HEAD", &[]);
    let values = &diff["sets"][0]["keys"][0]["values"];
    assert_eq!(values["dev"]["value"], 5);
    assert_eq!(values["dev"]["before"]["value"], 5);
    assert_eq!(values["prod"]["before"]["value"], 3);
}

#[test]
fn since_masks_secrets_before_and_after() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "db_password: fake-old-pass-1\n");
    repo.write("config_prod.yaml", "db_password: fake-old-pass-2\n");
    repo.commit("first");
    repo.write("config_prod.yaml", "db_password: fake-new-pass-3\n");
    let run = envlens(repo.path(), &["diff", "--since", "HEAD", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for secret in ["fake-old-pass-1", "fake-old-pass-2", "fake-new-pass-3"] {
        assert!(!run.stdout.contains(secret), "{secret} leaked: {}", run.stdout);
    }
    let diff: J = serde_json::from_str(&run.stdout).unwrap();
    let prod = &diff["sets"][0]["keys"][0]["values"]["prod"];
    assert_eq!(prod["before"]["value"], "••••••••");
    assert_eq!(prod["before"]["secret"], true);
    let table = envlens(repo.path(), &["diff", "--since", "HEAD"]);
    assert!(table.stdout.contains("•••••••• → ••••••••"), "{}", table.stdout);
    assert!(!table.stdout.contains("fake-"), "{}", table.stdout);
    let revealed = envlens(repo.path(), &["diff", "--since", "HEAD", "--reveal"]);
    assert!(revealed.stdout.contains("fake-old-pass-2 → fake-new-pass-3"), "{}", revealed.stdout);
}

#[test]
fn since_a_merge_commit_and_a_new_env_file() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "a: 1\nb: 1\n");
    repo.write("config_prod.yaml", "a: 1\nb: 1\n");
    repo.commit("first");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("config_prod.yaml", "a: 2\nb: 1\n");
    repo.write("config_staging.yaml", "a: 1\nb: 1\n");
    repo.commit("feature: prod a, a staging env");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("config_dev.yaml", "a: 1\nb: 7\n");
    repo.commit("main: dev b");
    repo.git(&["merge", "-q", "--no-edit", "--no-ff", "feature"]);
    // What the merge brought to main: the feature's changes only.
    let (_, diff) = since(repo.path(), "HEAD^1", &["--rev", "HEAD"]);
    let set = &diff["sets"][0];
    assert_eq!(keys_of(set), ["a", "b"], "{diff}");
    let a = &set["keys"][0]["values"];
    assert_eq!(a["prod"]["before"]["value"], 1);
    assert_eq!(a["staging"]["before"], J::Null, "the staging env is new");
    assert_eq!(
        set["keys"][1]["values"]["dev"]["before"]["value"], 7,
        "main's own change is not the merge's"
    );
    // Since the feature branch: main's change shows.
    let (_, diff) = since(repo.path(), "feature", &[]);
    assert_eq!(keys_of(&diff["sets"][0]), ["b"]);
}

#[test]
fn check_since_reports_only_the_drift_a_branch_adds() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    // Ten keys drift on main already; a [drift] policy makes drift an error.
    let lines = |offset: i32| -> String {
        (0..10).map(|i| format!("k{i}: {}", i + offset)).collect::<Vec<_>>().join("\n") + "\n"
    };
    let (dev, prod) = (lines(0), lines(100));
    repo.write(".envlens.toml", "[drift]\nexpected = []\n");
    repo.write("config_dev.yaml", &format!("{dev}steady: 1\n"));
    repo.write("config_prod.yaml", &format!("{prod}steady: 1\n"));
    repo.commit("ten old drifts");
    repo.git(&["checkout", "-q", "-b", "pr"]);
    // The branch adds one drift and moves every line (a comment on top),
    // which must not make the old ones look new.
    repo.write("config_dev.yaml", &format!("# moved\n{dev}steady: 1\n"));
    repo.write("config_prod.yaml", &format!("# moved\n{prod}steady: 2\n"));
    repo.commit("pr: steady drifts");

    let all = envlens(repo.path(), &["check", "--format", "json"]);
    let all: J = serde_json::from_str(&all.stdout).unwrap();
    assert_eq!(all["findings"].as_array().unwrap().len(), 11, "{all}");

    let run = envlens(repo.path(), &["check", "--since", "main", "--format", "json"]);
    assert_eq!(run.code, 1, "the new drift is an error: {}", run.stderr);
    let new: J = serde_json::from_str(&run.stdout).unwrap();
    let findings = new["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{new}");
    assert_eq!(findings[0]["rule"], "drift");
    assert_eq!(findings[0]["key"], "steady");

    // Fixing an old drift on the branch adds nothing new: CI passes.
    repo.write(
        "config_prod.yaml",
        &format!("# moved\n{}k9: 9\nsteady: 1\n", &prod[..prod.rfind("k9").unwrap()]),
    );
    let run = envlens(repo.path(), &["check", "--since", "main"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    // And the text and SARIF reports carry only the new ones too.
    repo.write("config_prod.yaml", &format!("# moved\n{prod}steady: 2\n"));
    let sarif = envlens(repo.path(), &["check", "--since", "main", "--format", "sarif"]);
    let sarif: J = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
}
