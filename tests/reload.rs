//! Incremental reload on real files: `Project::apply_changes` re-parses
//! only what changed and follows created and deleted files; `Reloader`
//! keeps last good values marked stale, re-checks a half-written file
//! before showing its error, follows settings, and knows its own writes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use envlens::core::discover::DiscoverOptions;
use envlens::core::leaf::Value;
use envlens::core::project::{LoadedFile, OpenOptions, Project};
use envlens::core::watch::{FileChangeKind, RETRY_AFTER, Reloader};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    let project = Project::load(dir.path(), &DiscoverOptions::default());
    (dir, project)
}

fn file<'p>(project: &'p Project, rel: &str) -> &'p LoadedFile {
    project
        .sets
        .iter()
        .flat_map(|s| s.base.iter().chain(&s.envs))
        .find(|f| f.file.rel_path == rel)
        .unwrap_or_else(|| panic!("{rel} is not in the project"))
}

fn value(project: &Project, rel: &str, key: &str) -> Value {
    let set =
        project.sets.iter().find(|s| s.base.iter().chain(&s.envs).any(|f| f.file.rel_path == rel));
    let set = set.unwrap_or_else(|| panic!("{rel} is not in the project"));
    file(project, rel).leaves.iter().find(|l| set.path(l) == key).unwrap().value.clone()
}

fn changed(rel: &str) -> Vec<PathBuf> {
    vec![PathBuf::from(rel)]
}

const FILES: &[(&str, &str)] = &[
    ("config_dev.yaml", "port: 1\nname: dev\n"),
    ("config_prod.yaml", "port: 2\nname: prod\n"),
    ("api/config_dev.json", "{\"port\": 3}"),
];

#[test]
fn a_changed_value_appears_and_only_its_file_is_parsed_again() {
    let (dir, mut project) = project(FILES);
    let untouched: Vec<*const _> = ["config_dev.yaml", "api/config_dev.json"]
        .iter()
        .map(|rel| file(&project, rel).leaves.as_ptr())
        .collect();
    let before = file(&project, "config_prod.yaml").leaves.as_ptr();
    write(dir.path(), "config_prod.yaml", "port: 20\nname: prod\n");
    let options = DiscoverOptions::default();
    let outcome = project.apply_changes(&options, &[dir.path().join("config_prod.yaml")]);
    assert_eq!(value(&project, "config_prod.yaml", "port"), Value::Int(20));
    assert_eq!(outcome.sets, ["config"]);
    assert_eq!(outcome.files.len(), 1);
    assert_eq!(outcome.files[0].kind, FileChangeKind::Modified);
    assert!(!outcome.rediscovered);
    // The other files' leaves were not rebuilt: the same allocations.
    let after: Vec<*const _> = ["config_dev.yaml", "api/config_dev.json"]
        .iter()
        .map(|rel| file(&project, rel).leaves.as_ptr())
        .collect();
    assert_eq!(untouched, after);
    assert_ne!(before, file(&project, "config_prod.yaml").leaves.as_ptr());
}

#[test]
fn the_same_bytes_again_are_no_change() {
    let (dir, mut project) = project(FILES);
    let before = file(&project, "config_dev.yaml").leaves.as_ptr();
    write(dir.path(), "config_dev.yaml", "port: 1\nname: dev\n");
    let outcome = project.apply_changes(&DiscoverOptions::default(), &changed("config_dev.yaml"));
    assert!(outcome.is_empty(), "{outcome:?}");
    assert_eq!(before, file(&project, "config_dev.yaml").leaves.as_ptr());
}

#[test]
fn a_new_file_adds_an_env_and_a_deleted_one_removes_it() {
    let (dir, mut project) = project(FILES);
    let options = DiscoverOptions::default();
    let kept = file(&project, "config_dev.yaml").leaves.as_ptr();
    write(dir.path(), "config_staging.yaml", "port: 5\n");
    let outcome = project.apply_changes(&options, &changed("config_staging.yaml"));
    assert!(outcome.rediscovered);
    assert_eq!(project.set("config").unwrap().env_names(), ["dev", "staging", "prod"]);
    assert_eq!(outcome.files[0].kind, FileChangeKind::Added);
    // Rediscovery keeps the parsed state of the files it finds again.
    assert_eq!(kept, file(&project, "config_dev.yaml").leaves.as_ptr());

    fs::remove_file(dir.path().join("config_prod.yaml")).unwrap();
    let outcome = project.apply_changes(&options, &changed("config_prod.yaml"));
    assert_eq!(project.set("config").unwrap().env_names(), ["dev", "staging"]);
    assert_eq!(outcome.files[0].kind, FileChangeKind::Removed);

    fs::remove_file(dir.path().join("api/config_dev.json")).unwrap();
    let outcome = project.apply_changes(&options, &changed("api/config_dev.json"));
    assert!(project.set("api/config").is_none());
    assert!(outcome.sets.contains(&"api/config".to_owned()));
}

#[test]
fn a_broken_file_keeps_its_last_good_values_stale_and_recovers() {
    let (dir, mut project) = project(FILES);
    let options = DiscoverOptions::default();
    write(dir.path(), "config_prod.yaml", "port: [unclosed\n");
    let outcome = project.apply_changes(&options, &changed("config_prod.yaml"));
    assert_eq!(outcome.failed.len(), 1);
    let broken = file(&project, "config_prod.yaml");
    assert!(broken.error.is_none(), "the CLI meaning of `error` is kept");
    assert!(broken.stale.is_some());
    assert_eq!(value(&project, "config_prod.yaml", "port"), Value::Int(2));
    let set = project.set("config").unwrap();
    assert_eq!(set.stale_files().count(), 1);

    write(dir.path(), "config_prod.yaml", "port: 22\n");
    let outcome = project.apply_changes(&options, &changed("config_prod.yaml"));
    assert_eq!(outcome.recovered, ["config_prod.yaml"]);
    assert!(file(&project, "config_prod.yaml").stale.is_none());
    assert_eq!(value(&project, "config_prod.yaml", "port"), Value::Int(22));
}

#[test]
fn a_half_written_file_is_checked_again_before_its_error_shows() {
    let (dir, mut project) = project(FILES);
    let mut reloader = Reloader::new(dir.path(), &OpenOptions::default()).unwrap();
    let now = Instant::now();
    // An editor truncated the file and has written half of it.
    write(dir.path(), "config_prod.yaml", "port: 2\nname: [pr");
    let outcome = reloader.apply(&mut project, &changed("config_prod.yaml"), now);
    assert!(outcome.failed.is_empty() && outcome.files.is_empty(), "{outcome:?}");
    assert_eq!(outcome.held, ["config_prod.yaml"]);
    assert_eq!(reloader.deadline(), Some(now + RETRY_AFTER));
    assert!(file(&project, "config_prod.yaml").stale.is_none());
    // The rest arrives: the next event shows the new values, no error.
    write(dir.path(), "config_prod.yaml", "port: 2\nname: prod2\n");
    let outcome = reloader.apply(&mut project, &changed("config_prod.yaml"), now);
    assert!(outcome.failed.is_empty());
    assert_eq!(reloader.deadline(), None);
    assert_eq!(value(&project, "config_prod.yaml", "name"), Value::String("prod2".into()));
}

#[test]
fn a_file_still_broken_at_the_deadline_shows_its_error() {
    let (dir, mut project) = project(FILES);
    let mut reloader = Reloader::new(dir.path(), &OpenOptions::default()).unwrap();
    let now = Instant::now();
    write(dir.path(), "config_prod.yaml", "port: [unclosed\n");
    let outcome = reloader.apply(&mut project, &changed("config_prod.yaml"), now);
    assert!(outcome.failed.is_empty());
    // Too early: nothing yet.
    assert!(reloader.tick(&mut project, now).is_empty());
    let outcome = reloader.tick(&mut project, reloader.deadline().unwrap());
    assert_eq!(outcome.failed.len(), 1);
    assert!(file(&project, "config_prod.yaml").stale.is_some());
    assert_eq!(value(&project, "config_prod.yaml", "port"), Value::Int(2));
    assert_eq!(reloader.deadline(), None);
}

#[test]
fn a_file_emptied_by_a_truncating_editor_is_held_too() {
    let (dir, mut project) = project(FILES);
    let mut reloader = Reloader::new(dir.path(), &OpenOptions::default()).unwrap();
    write(dir.path(), "config_prod.yaml", "");
    let outcome = reloader.apply(&mut project, &changed("config_prod.yaml"), Instant::now());
    assert_eq!(outcome.held, ["config_prod.yaml"]);
    assert_eq!(value(&project, "config_prod.yaml", "port"), Value::Int(2));
}

#[test]
fn a_settings_change_reloads_with_the_new_rules() {
    let (dir, mut project) = project(FILES);
    write(dir.path(), "app_dev.yaml", "a: 1\n");
    let mut reloader = Reloader::new(dir.path(), &OpenOptions::default()).unwrap();
    assert!(project.set("app").is_none());
    write(dir.path(), ".envlens.toml", "patterns = [\"app_{env}.yaml\"]\nenv_order = [\"prod\"]\n");
    let outcome = reloader.apply(&mut project, &changed(".envlens.toml"), Instant::now());
    assert!(outcome.rediscovered);
    assert!(project.set("app").is_some());
    assert_eq!(project.set("config").unwrap().env_names(), ["prod", "dev"]);
    // A broken settings file keeps the rules in force and says why.
    write(dir.path(), ".envlens.toml", "patterns = [\n");
    let outcome = reloader.apply(&mut project, &changed(".envlens.toml"), Instant::now());
    assert!(outcome.settings_error.is_some());
    assert!(project.set("app").is_some());
}

#[test]
fn a_schema_change_reloads_the_sets_schema() {
    let (dir, mut project) = project(FILES);
    assert!(project.set("config").unwrap().schema.is_none());
    write(dir.path(), "config.schema.json", r#"{"properties": {"name": {"writeOnly": true}}}"#);
    let outcome =
        project.apply_changes(&DiscoverOptions::default(), &changed("config.schema.json"));
    assert_eq!(outcome.sets, ["config"]);
    let set = project.set("config").unwrap();
    assert!(set.schema.is_some());
    assert_eq!(set.secret_marks.len(), 1);
}

#[test]
fn envlens_own_writes_reload_quietly() {
    let (dir, mut project) = project(FILES);
    let mut reloader = Reloader::new(dir.path(), &OpenOptions::default()).unwrap();
    let ours = b"port: 7\nname: prod\n";
    reloader.expect_write("config_prod.yaml", ours);
    fs::write(dir.path().join("config_prod.yaml"), ours).unwrap();
    let outcome = reloader.apply(&mut project, &changed("config_prod.yaml"), Instant::now());
    assert!(outcome.files[0].ours);
    assert!(!outcome.has_outside_change());
    // The expectation is used up: the next write is someone else's.
    write(dir.path(), "config_prod.yaml", "port: 8\nname: prod\n");
    let outcome = reloader.apply(&mut project, &changed("config_prod.yaml"), Instant::now());
    assert!(outcome.has_outside_change());
}

/// `dir` as a path relative to the current folder (`../../tmp/…`), as a
/// user types `envlens sample-project`.
fn relative_to_cwd(dir: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap();
    let mut rel = PathBuf::new();
    for _ in cwd.components().skip(1) {
        rel.push("..");
    }
    rel.join(dir.strip_prefix("/").unwrap())
}

/// The watcher reports absolute paths; a project opened with a relative
/// root still takes them, settings and config files alike.
#[cfg(unix)]
#[test]
fn absolute_changes_reach_a_project_opened_by_a_relative_path() {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in FILES {
        write(dir.path(), rel, text);
    }
    write(dir.path(), "app_dev.yaml", "a: 1\n");
    let root = relative_to_cwd(dir.path());
    assert!(root.is_relative() && root.join("config_dev.yaml").is_file());
    let mut project = Project::load(&root, &DiscoverOptions::default());
    let mut reloader = Reloader::new(&root, &OpenOptions::default()).unwrap();
    let absolute = std::path::absolute(&root).unwrap();

    write(dir.path(), "config_dev.yaml", "port: 10\nname: dev\n");
    let outcome = reloader.apply(&mut project, &[absolute.join("config_dev.yaml")], Instant::now());
    assert_eq!(outcome.files.len(), 1, "{outcome:?}");
    assert_eq!(value(&project, "config_dev.yaml", "port"), Value::Int(10));

    write(dir.path(), ".envlens.toml", "patterns = [\"app_{env}.yaml\"]\n");
    let outcome = reloader.apply(&mut project, &[absolute.join(".envlens.toml")], Instant::now());
    assert!(outcome.rediscovered, "{outcome:?}");
    assert!(project.set("app").is_some());
}

/// A nested `.envlens.toml` marks its folder's keys secret (§8), and keeps
/// marking them when a reload finds the sets again (a new env file).
#[test]
fn a_nested_settings_files_marks_survive_a_rediscovery() {
    let (dir, mut project) = project(&[
        ("sub/.envlens.toml", "secret_keys = [\"**.pin\"]\n"),
        ("sub/config_dev.yaml", "pin: \"1234\"\n"),
        ("sub/config_prod.yaml", "pin: \"5678\"\n"),
        ("config_dev.yaml", "pin: \"1\"\n"),
        ("config_prod.yaml", "pin: \"2\"\n"),
    ]);
    let marked = |project: &Project, set: &str| {
        let set = project.set(set).unwrap();
        let leaf = set.envs[0].leaves.iter().find(|l| set.path(l) == "pin").unwrap();
        set.secret(leaf).is_some()
    };
    assert!(marked(&project, "sub/config"));
    // The root's sets are not below the nested file.
    assert!(!marked(&project, "config"));
    write(dir.path(), "sub/config_qa.yaml", "pin: \"9\"\n");
    let outcome =
        project.apply_changes(&DiscoverOptions::default(), &changed("sub/config_qa.yaml"));
    assert!(outcome.rediscovered, "{outcome:?}");
    assert_eq!(project.set("sub/config").unwrap().envs.len(), 3);
    assert!(marked(&project, "sub/config"));
    assert!(!marked(&project, "config"));
}

/// A broken nested settings file is an error, as the root's is: its secret
/// marks would otherwise be lost without a word.
#[test]
fn a_broken_nested_settings_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sub/.envlens.toml", "secret_keys = [\n");
    write(dir.path(), "sub/config_dev.yaml", "pin: 1\n");
    write(dir.path(), "sub/config_prod.yaml", "pin: 2\n");
    let err = envlens::core::project::open(dir.path(), &OpenOptions::default()).unwrap_err();
    assert!(err.message.contains("sub/.envlens.toml:1"), "{}", err.message);
}
