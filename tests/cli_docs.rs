//! `envlens docs` (§6, §7): the Markdown page and the JSON of
//! `sample-project/` as snapshots with every secret masked, the committed
//! example `assets/sample-docs.md` kept up to date, and coverage counts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::Path;

const SECRETS: &[&str] = &[
    "dev-pass-not-real",
    "staging-pass-not-real",
    "prod-pass-not-real",
    "AKIAEXAMPLEFAKE00DEV",
    "sk_live_FAKEfakeFAKEfake0123456789",
    "B000/fake",
];

fn docs(args: &[&str]) -> (i32, String, String) {
    let run = support::run::envlens(&[&["docs"], args].concat());
    for secret in SECRETS {
        assert!(!run.both().contains(secret), "{secret} leaked");
    }
    (run.code, run.stdout, run.stderr)
}

#[test]
fn markdown_of_the_sample_project() {
    let (code, page, stderr) = docs(&["sample-project"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(
        page.contains("- Documentation coverage: 25 of 32 keys described, 7 without a description")
    );
    assert!(
        page.contains("| prod | `postgres://trainer:••••••••@db.prod.internal:5432/features` |")
    );
    insta::assert_snapshot!("docs_markdown_sample_project", page);
}

#[test]
fn the_committed_example_is_up_to_date() {
    let (_, page, _) = docs(&["sample-project"]);
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample-docs.md"),
    )
    .unwrap();
    assert!(
        committed == page,
        "assets/sample-docs.md is stale: run `cargo run -- docs sample-project > assets/sample-docs.md`"
    );
}

#[test]
fn json_of_the_sample_project() {
    let (code, text, _) = docs(&["sample-project", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let config = &json["sets"][1];
    assert_eq!(config["name"], "config");
    assert_eq!(
        config["coverage"],
        serde_json::json!({"keys": 32, "described": 25, "undescribed": 7})
    );
    let billing = config["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == "features.use_billing_events");
    assert_eq!(billing.unwrap()["deprecated"], true);
    insta::assert_json_snapshot!("docs_json_sample_project", json);
}

#[test]
fn comments_document_keys_without_a_schema() {
    let (code, page, _) = docs(&["tests/fixtures/check/drift"]);
    assert_eq!(code, 0);
    assert!(
        page.contains("- Documentation coverage: 0 of 3 keys described, 3 without a description")
    );
    let (code, _, stderr) = docs(&["no-such-folder"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("envlens: no such folder"));
}

/// §7: a file that fails to parse makes `docs` exit 2, naming it on
/// standard error, and every other file's keys are still printed.
#[test]
fn a_file_that_fails_to_parse_exits_2_and_the_rest_is_printed() {
    for format in ["markdown", "json"] {
        let (code, stdout, stderr) = docs(&["tests/fixtures/broken", "--format", format]);
        assert_eq!(code, 2, "{format}: {stderr}");
        assert_eq!(stderr, "envlens: bad/config_prod.yaml:3:5: unclosed bracket '['\n");
        assert!(stdout.contains("port"), "the healthy set is printed ({format}):\n{stdout}");
    }
    let (code, _, stderr) = docs(&["tests/fixtures/broken/ok"]);
    assert_eq!(code, 0, "{stderr}");
}
