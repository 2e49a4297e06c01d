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
