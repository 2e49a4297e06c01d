//! A `.envlens.toml` below the root governs the sets at and below its
//! folder (§8): pointing envlens at the folder above a subproject finds
//! and checks the subproject's sets as its own settings say, key by key
//! (nearest wins), and leaves the root's sets to the root's settings.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::Path;

use serde_json::Value;
use support::run::envlens_in;
use support::write_file as write;

fn json(root: &Path, args: &[&str]) -> Value {
    let ran = envlens_in(root, args);
    assert!(ran.code <= 1, "{}", ran.both());
    serde_json::from_str(&ran.stdout).unwrap_or_else(|err| panic!("{err}: {}", ran.both()))
}

/// `envlens sets --format json`: each set's name with its envs in order.
fn sets(root: &Path) -> Vec<(String, Vec<String>)> {
    let found = json(root, &["sets", "--format", "json"]);
    found["sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|set| {
            let envs = set["envs"].as_array().unwrap();
            let names = envs.iter().map(|e| e["env"].as_str().unwrap().to_owned()).collect();
            (set["name"].as_str().unwrap().to_owned(), names)
        })
        .collect()
}

/// The findings of `rule` in a `check --format json` report.
fn findings<'r>(report: &'r Value, rule: &str) -> Vec<&'r Value> {
    report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).collect()
}

fn owned(sets: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    sets.iter()
        .map(|(name, envs)| ((*name).to_owned(), envs.iter().map(|e| (*e).to_owned()).collect()))
        .collect()
}

#[test]
fn a_nested_env_order_orders_only_the_sets_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".envlens.toml", "env_order = [\"prod\", \"dev\"]\n");
    write(root, "config_dev.yaml", "x: 1\n");
    write(root, "config_prod.yaml", "x: 2\n");
    write(root, "sub/.envlens.toml", "env_order = [\"dev\", \"prod\"]\n");
    write(root, "sub/config_dev.yaml", "x: 1\n");
    write(root, "sub/config_prod.yaml", "x: 2\n");
    assert_eq!(
        sets(root),
        owned(&[("config", &["prod", "dev"]), ("sub/config", &["dev", "prod"])])
    );
}

#[test]
fn a_nested_ignore_drops_files_below_its_folder_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for base in ["", "sub/"] {
        for env in ["dev", "prod"] {
            write(root, &format!("{base}legacy/config_{env}.yaml"), "x: 1\n");
            write(root, &format!("{base}app/config_{env}.yaml"), "x: 1\n");
        }
    }
    // Relative to its own folder, as a `.gitignore` there would be.
    write(root, "sub/.envlens.toml", "ignore = [\"/legacy/\"]\n");
    let names: Vec<String> = sets(root).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["app/config", "legacy/config", "sub/app/config"]);
}

#[test]
fn a_nested_set_table_reads_paths_from_its_own_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "svc/.envlens.toml",
        "[[set]]\nname = \"deploy\"\nfiles = \"deploy/{env}/settings\"\nformat = \"yaml\"\n\
         base = \"deploy/common.yaml\"\n",
    );
    // Env files without an extension: only the table names them.
    write(root, "svc/deploy/common.yaml", "port: 80\nhost: a\n");
    write(root, "svc/deploy/dev/settings", "host: dev.example.com\n");
    write(root, "svc/deploy/prod/settings", "host: prod.example.com\n");
    let found = json(root, &["sets", "--format", "json"]);
    let set = &found["sets"][0];
    assert_eq!(set["name"], "svc/deploy", "{found:#}");
    assert_eq!(set["base"], serde_json::json!(["svc/deploy/common.yaml"]));
    let rule = set["rule"].as_str().unwrap();
    assert!(rule.starts_with("[[set]] at svc/.envlens.toml:1:"), "{rule}");
    assert!(rule.contains("\"deploy/{env}/settings\""), "the file's own words: {rule}");
    let envs: Vec<&str> =
        set["envs"].as_array().unwrap().iter().map(|e| e["file"].as_str().unwrap()).collect();
    assert_eq!(envs, ["svc/deploy/dev/settings", "svc/deploy/prod/settings"]);
    // The base is merged under each env.
    let diff = json(root, &["diff", "--all", "--format", "json"]);
    let keys = diff["sets"][0]["keys"].as_array().unwrap();
    let port = keys.iter().find(|k| k["key"] == "port").unwrap();
    assert_eq!(port["status"], "same", "{port:#}");
}

#[test]
fn nested_patterns_name_files_below_their_folder_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "tool/.envlens.toml", "patterns = [\"app.{env}.yaml\"]\n");
    // No layout takes these names without the pattern: above the nested
    // file's folder they join no set.
    for base in ["", "tool/"] {
        write(root, &format!("{base}app.dev.yaml"), "level: 1\n");
        write(root, &format!("{base}app.prod.yaml"), "level: 2\n");
    }
    assert_eq!(sets(root), owned(&[("tool/app", &["dev", "prod"])]));
    let found = json(root, &["sets", "--format", "json"]);
    let unmatched: Vec<&str> = found["unmatched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["file"].as_str().unwrap())
        .collect();
    assert_eq!(unmatched, ["app.dev.yaml", "app.prod.yaml"], "{found:#}");
}

#[test]
fn nested_presets_switch_detection_off_below_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for base in ["a/", "b/"] {
        write(root, &format!("{base}Chart.yaml"), "name: chart\nversion: 1.0.0\n");
        write(root, &format!("{base}values.yaml"), "replicas: 1\n");
        write(root, &format!("{base}values-prod.yaml"), "replicas: 3\n");
    }
    write(root, "b/.envlens.toml", "presets = []\n");
    let found = json(root, &["sets", "--format", "json"]);
    let layouts: Vec<(&str, &str)> = found["sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["layout"].as_str().unwrap()))
        .collect();
    assert!(layouts.iter().any(|(name, layout)| name.starts_with("a/") && *layout == "helm"));
    assert!(
        layouts.iter().all(|(name, layout)| !name.starts_with("b/") || *layout != "helm"),
        "{layouts:?}"
    );
}

#[test]
fn a_nested_schema_is_named_from_its_own_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "svc/.envlens.toml", "[schema]\n\"config\" = \"schemas/config.json\"\n");
    write(
        root,
        "svc/schemas/config.json",
        r#"{"type": "object", "properties": {"port": {"type": "integer"}}}"#,
    );
    write(root, "svc/config_dev.yaml", "port: 80\n");
    write(root, "svc/config_prod.yaml", "port: eighty\n");
    let report = json(root, &["check", "--format", "json"]);
    let schema = findings(&report, "schema");
    assert_eq!(schema.len(), 1, "{report:#}");
    assert_eq!(schema[0]["set"], "svc/config");
    assert_eq!(schema[0]["key"], "port");
}

#[test]
fn a_nested_flags_policy_governs_check_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // On in prod, off in staging: a flag-order finding, an error only
    // where a `[flags]` policy applies.
    for base in ["", "sub/"] {
        write(root, &format!("{base}config_staging.yaml"), "features:\n  beta: false\n");
        write(root, &format!("{base}config_prod.yaml"), "features:\n  beta: true\n");
    }
    write(root, "sub/.envlens.toml", "[flags]\n");
    let report = json(root, &["check", "--format", "json"]);
    let order: Vec<(String, String)> = findings(&report, "flag-order")
        .into_iter()
        .map(|f| {
            (f["set"].as_str().unwrap().to_owned(), f["severity"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        order,
        [
            ("config".to_owned(), "warning".to_owned()),
            ("sub/config".to_owned(), "error".to_owned())
        ],
        "{report:#}"
    );
}

#[test]
fn only_source_tables_are_still_read_from_the_root_alone() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "sub/config_dev.yaml", "x: 1\n");
    write(root, "sub/config_prod.yaml", "x: 2\n");
    write(root, "sub/.envlens.toml", "env_order = [\"prod\", \"dev\"]\n");
    let ran = envlens_in(root, &["diff"]);
    assert!(!ran.stderr.contains("read from the root"), "{}", ran.stderr);
    write(
        root,
        "sub/.envlens.toml",
        "[[source]]\nkind = \"etcd\"\nenv = \"prod\"\nset = \"config\"\n\
         address = \"http://127.0.0.1:1\"\npath = \"/app/\"\n",
    );
    let ran = envlens_in(root, &["diff"]);
    assert!(ran.stderr.contains("`[[source]]` tables are read from the root"), "{}", ran.both());
}
