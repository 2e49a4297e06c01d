//! Identity keys (§12) through the commands a reviewer runs: `get` takes a
//! `[name=…]` key, the piped `diff` table prints every key whole and no two
//! alike, a cut table on a narrow terminal width still prints no two alike,
//! and `docs` names items by identity. On tests/fixtures/identity/k8s,
//! whose env lists differ in order and in one item.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly")]

mod support;

use std::collections::HashSet;
use std::path::PathBuf;

use support::run::envlens_in;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/identity/k8s")
}

const LOG_LEVEL: &str =
    "Deployment/storefront.spec.template.spec.containers[name=web].env[name=LOG_LEVEL].value";

/// The key column of each row of a diff table: the text between the status
/// mark and the first run of two spaces.
fn table_keys(table: &str) -> Vec<String> {
    table
        .lines()
        .filter_map(|line| line.strip_prefix(['≠', '∅', '=', '!', '~']))
        .filter_map(|rest| rest.trim_start().split("  ").next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn get_takes_an_identity_key_whatever_the_item_position() {
    let ran = envlens_in(&fixture(), &["get", LOG_LEVEL, "--env", "prod"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout.trim(), "warn");
    let ran = envlens_in(&fixture(), &["get", LOG_LEVEL, "--env", "staging"]);
    assert_eq!(ran.stdout.trim(), "info", "{}", ran.stderr);
}

#[test]
fn the_piped_table_prints_identity_keys_whole_and_never_two_alike() {
    let ran = envlens_in(&fixture(), &["diff", "--all"]);
    let keys = table_keys(&ran.stdout);
    assert!(keys.len() > 20, "{}", ran.stdout);
    assert!(keys.iter().any(|k| k == LOG_LEVEL), "{keys:#?}");
    let distinct: HashSet<&String> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len(), "{keys:#?}");
}

#[test]
fn a_narrow_table_cuts_identity_keys_but_never_prints_two_alike() {
    let ran = envlens_in(&fixture(), &["diff", "--all", "--width", "60"]);
    let keys = table_keys(&ran.stdout);
    assert!(keys.iter().any(|k| k.contains('…')), "nothing was cut: {keys:#?}");
    let distinct: HashSet<&String> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len(), "{keys:#?}");
}

#[test]
fn docs_names_list_items_by_identity() {
    let ran = envlens_in(&fixture(), &["docs", "--format", "json"]);
    assert!(ran.stdout.contains(LOG_LEVEL), "{}", ran.stdout);
    assert!(!ran.stdout.contains("env[0]"), "{}", ran.stdout);
}

/// A copy of the fixture to edit.
fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

const NEW_FLAG: &str =
    "Deployment/storefront.spec.template.spec.containers[name=web].env[name=NEW_FLAG].value";

#[test]
fn set_adds_an_item_to_a_keyed_list_with_its_identity_field() {
    let dir = fixture_copy();
    let before = std::fs::read_to_string(dir.path().join("config_staging.yaml")).unwrap();
    // prod has NEW_FLAG, staging not: no --new needed.
    let ran = envlens_in(dir.path(), &["set", NEW_FLAG, "on", "--env", "staging"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let after = std::fs::read_to_string(dir.path().join("config_staging.yaml")).unwrap();
    let added = "            - name: NEW_FLAG\n              value: \"on\"\n";
    let expected = before.replacen(
        "              value: db.staging\n",
        &format!("              value: db.staging\n{added}"),
        1,
    );
    assert_eq!(after, expected);
    // Read back by identity: the item is the one prod has.
    let ran = envlens_in(dir.path(), &["diff", "--format", "json", "--all"]);
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    let row = json["sets"][0]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == NEW_FLAG)
        .unwrap_or_else(|| panic!("{}", ran.stdout));
    assert_eq!(row["status"], "same", "{row}");
}

#[test]
fn a_new_item_keyed_by_a_number_gets_a_number() {
    let dir = fixture_copy();
    let key = "Deployment/storefront.spec.template.spec.containers[name=web]\
               .ports[containerPort=9090].name";
    let ran = envlens_in(dir.path(), &["set", "--new", key, "metrics", "--env", "prod"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let after = std::fs::read_to_string(dir.path().join("config_prod.yaml")).unwrap();
    assert!(
        after.contains(
            "              name: http\n            - containerPort: 9090\n              name: metrics\n"
        ),
        "{after}"
    );
    let port = key.replace("].name", "].containerPort");
    let ran = envlens_in(dir.path(), &["diff", "--format", "json", "--all"]);
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    let row = json["sets"][0]["keys"].as_array().unwrap().iter().find(|k| k["key"] == port);
    let value = &row.unwrap_or_else(|| panic!("{}", ran.stdout))["values"]["prod"];
    assert_eq!(
        (&value["value"], &value["type"]),
        (&serde_json::json!(9090), &serde_json::json!("int"))
    );
}

#[test]
fn adding_an_item_that_cannot_be_keyed_so_is_refused_with_the_reason() {
    let dir = fixture_copy();
    let before = std::fs::read_to_string(dir.path().join("config_staging.yaml")).unwrap();
    let cases = [
        (NEW_FLAG.replace("[name=NEW_FLAG]", "[key=NEW_FLAG]"), "is keyed by `name`"),
        (NEW_FLAG.replace(".value", ".name"), "is the new item's identity"),
        (NEW_FLAG.replace(".value", ""), "give a field of the new item"),
        (
            NEW_FLAG.replace("containers[name=web]", "containers[name=api]"),
            "add one list item at a time",
        ),
    ];
    for (key, reason) in cases {
        let ran = envlens_in(dir.path(), &["set", "--new", &key, "on", "--env", "staging"]);
        assert_eq!(ran.code, 1, "{key}: {}", ran.both());
        assert!(ran.stderr.contains(reason), "{key}: {}", ran.stderr);
    }
    let after = std::fs::read_to_string(dir.path().join("config_staging.yaml")).unwrap();
    assert_eq!(after, before);
}

#[test]
fn set_adds_an_item_to_a_json_list_as_an_object_in_its_style() {
    let dir = tempfile::tempdir().unwrap();
    let staging =
        "{\n  \"servers\": [\n    {\n      \"name\": \"a\",\n      \"port\": 1\n    }\n  ]\n}\n";
    let prod = "{\"servers\": [{\"name\": \"b\", \"port\": 2}, {\"name\": \"a\", \"port\": 3}]}\n";
    std::fs::write(dir.path().join("config_staging.json"), staging).unwrap();
    std::fs::write(dir.path().join("config_prod.json"), prod).unwrap();
    let ran = envlens_in(dir.path(), &["set", "servers[name=b].port", "7", "--env", "staging"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let after = std::fs::read_to_string(dir.path().join("config_staging.json")).unwrap();
    assert_eq!(
        after,
        staging.replace(
            "    }\n  ]",
            "    },\n    {\n      \"name\": \"b\",\n      \"port\": 7\n    }\n  ]"
        )
    );
    let ran =
        envlens_in(dir.path(), &["set", "--new", "servers[name=c].port", "9", "--env", "prod"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let after = std::fs::read_to_string(dir.path().join("config_prod.json")).unwrap();
    assert_eq!(after, prod.replace("3}]", "3}, {\"name\": \"c\", \"port\": 9}]"));
}

#[test]
fn set_adds_a_name_value_item_to_a_compose_list_form_environment() {
    let dir = tempfile::tempdir().unwrap();
    let from = fixture().with_file_name("compose");
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let file = dir.path().join("compose.staging.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    let key = "services.api.environment.WORKERS_MAX";
    let ran = envlens_in(dir.path(), &["set", "--new", key, "8", "--env", "staging"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        after,
        before.replace("LOG_LEVEL=debug\n", "LOG_LEVEL=debug\n      - WORKERS_MAX=8\n")
    );
    let ran = envlens_in(dir.path(), &["get", key, "--env", "staging"]);
    assert_eq!(ran.stdout.trim(), "8", "{}", ran.both());
}

#[test]
fn check_findings_name_items_by_identity_and_expected_takes_identity_globs() {
    let dir = fixture_copy();
    let findings = |dir: &std::path::Path| {
        let ran = envlens_in(dir, &["check", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "drift")
            .map(|f| (f["key"].as_str().unwrap_or("").to_owned(), f["line"].clone()))
            .collect::<Vec<_>>()
    };
    let drift = findings(dir.path());
    assert!(drift.contains(&(LOG_LEVEL.to_owned(), serde_json::json!(21))), "{drift:#?}");
    assert!(drift.iter().any(|(k, _)| k == NEW_FLAG), "{drift:#?}");
    assert!(!drift.iter().any(|(k, _)| k.contains("env[0]")), "{drift:#?}");
    std::fs::write(
        dir.path().join(".envlens.toml"),
        "[drift]\nexpected = [\"Deployment/storefront.spec.template.spec.containers[name=*].env[*].*\"]\n",
    )
    .unwrap();
    let drift = findings(dir.path());
    assert!(!drift.iter().any(|(k, _)| k.contains("].env[")), "{drift:#?}");
    assert!(drift.iter().any(|(k, _)| k.ends_with("spec.replicas")), "{drift:#?}");
}
