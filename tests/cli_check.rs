//! `envlens check` (§7): each rule with a fixture that triggers it and one
//! that must not, the three formats as snapshots with every fake secret
//! masked, the exit codes, and `sample-project/`'s findings exactly.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::Path;

use serde_json::Value as J;
use support::run::Ran;

/// Every fake secret of the fixtures and of `sample-project/`.
const SECRETS: &[&str] = &[
    "fake-shared-password-123",
    "fake-url-password-456",
    "fake-local-password-789",
    "fake-schema-pin-secret",
    "sk_live_FAKEfixturefixture0001",
    "dev-pass-not-real",
    "staging-pass-not-real",
    "prod-pass-not-real",
    "AKIAEXAMPLEFAKE00DEV",
    "sk_live_FAKEfakeFAKEfake0123456789",
    "dev-serving-key-not-real",
    "B000/fake",
    "fake-base-token-not-real",
    "fake-base-dbpass-not-real",
];

/// Runs envlens in `dir` (relative to the crate root).
fn envlens_in(dir: &str, args: &[&str]) -> Ran {
    let run = support::run::envlens_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), args);
    for secret in SECRETS {
        assert!(!run.stdout.contains(secret), "{secret} leaked:\n{}", run.stdout);
        assert!(!run.stderr.contains(secret), "{secret} leaked:\n{}", run.stderr);
    }
    run
}

/// `check --format json` on a fixture of `tests/fixtures/check`.
fn findings(fixture: &str, extra: &[&str]) -> Vec<J> {
    let mut args = vec!["check", fixture, "--format", "json"];
    args.extend(extra);
    let run = envlens_in("tests/fixtures/check", &args);
    assert!(run.code == 0 || run.code == 1, "{fixture}: {}", run.stderr);
    let json: J = serde_json::from_str(&run.stdout).unwrap();
    json["findings"].as_array().unwrap().clone()
}

/// (rule, key, envs) of the findings of one rule.
fn of_rule(findings: &[J], rule: &str) -> Vec<(String, String, String)> {
    findings
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            let envs: Vec<&str> =
                f["envs"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
            (
                f["file"].as_str().unwrap().to_owned(),
                f["key"].as_str().unwrap_or("").to_owned(),
                envs.join(","),
            )
        })
        .collect()
}

fn triple(file: &str, key: &str, envs: &str) -> (String, String, String) {
    (file.to_owned(), key.to_owned(), envs.to_owned())
}

#[test]
fn parse_error_is_a_finding_not_a_failure_to_run() {
    let found = findings("parse-error", &[]);
    assert_eq!(of_rule(&found, "parse-error"), [triple("config_prod.yaml", "", "prod")]);
    assert_eq!(found[0]["line"], 2);
    assert_eq!(envlens_in("tests/fixtures/check", &["check", "parse-error"]).code, 1);
    assert!(of_rule(&findings("clean", &[]), "parse-error").is_empty());
}

#[test]
fn schema_errors_at_their_key_and_line_and_masked() {
    let found = findings("schema", &[]);
    let schema: Vec<&J> = found.iter().filter(|f| f["rule"] == "schema").collect();
    let placed: Vec<(&str, &str, J)> = schema
        .iter()
        .map(|f| (f["env"].as_str().unwrap(), f["key"].as_str().unwrap(), f["line"].clone()))
        .collect();
    assert_eq!(
        placed,
        [
            ("prod", "service.port", J::from(2)),
            ("prod", "service.mode", J::from(3)),
            ("prod", "database.pin", J::from(5)),
            ("staging", "database", J::Null),
        ]
    );
    let pin = schema.iter().find(|f| f["key"] == "database.pin").unwrap();
    assert_eq!(pin["message"], "•••••••• does not match \"^[0-9]{4}$\"");
    assert!(of_rule(&found, "schema").iter().all(|(_, _, envs)| envs != "dev"), "dev is valid");
}

#[test]
fn drift_is_a_warning_without_a_policy() {
    let found = findings("drift", &[]);
    assert_eq!(
        of_rule(&found, "drift"),
        [
            triple("config_dev.yaml", "service.replicas", "dev,prod"),
            triple("config_prod.yaml", "service.log_level", "prod")
        ]
    );
    assert!(found.iter().all(|f| f["severity"] == "warning"));
    assert!(found.iter().all(|f| f["key"] != "service.name"), "equal keys are no drift");
    let run = envlens_in("tests/fixtures/check", &["check", "drift"]);
    assert_eq!(run.code, 0, "warnings alone pass");
    assert_eq!(envlens_in("tests/fixtures/check", &["check", "drift", "--strict"]).code, 1);
}

/// §2: a template env is compared for keys only. `.env.example` lacks
/// `FEATURE_SEARCH` that dev and prod have, and holds `OLD_FLAG` that no
/// env has: two `template-drift` warnings. Its other values (an empty
/// `DB_HOST`, another `LOG_LEVEL`, a dev host) make no finding of any rule.
#[test]
fn template_envs_are_compared_for_keys_only() {
    let found = findings("template", &[]);
    assert_eq!(
        of_rule(&found, "template-drift"),
        [
            triple(".env.example", "FEATURE_SEARCH", "example"),
            triple(".env.example", "OLD_FLAG", "example")
        ]
    );
    let drift: Vec<&J> = found.iter().filter(|f| f["rule"] == "template-drift").collect();
    assert!(drift.iter().all(|f| f["severity"] == "warning"));
    assert_eq!(drift[0]["line"], J::Null, "a missing key has no line");
    assert_eq!(drift[1]["line"], 5);
    assert!(drift[0]["message"].as_str().unwrap().contains("dev and prod"), "{drift:?}");
    for finding in found.iter().filter(|f| f["rule"] != "template-drift") {
        assert!(
            finding["envs"].as_array().unwrap().iter().all(|e| e != "example"),
            "a template takes part in no other rule: {finding}"
        );
    }
    assert_eq!(envlens_in("tests/fixtures/check", &["check", "template"]).code, 0, "warnings");
    assert_eq!(envlens_in("tests/fixtures/check", &["check", "template", "--strict"]).code, 1);
}

#[test]
fn drift_policy_expected_must_match_must_differ_required() {
    let found = findings("drift-policy", &[]);
    let drift = of_rule(&found, "drift");
    assert_eq!(
        drift,
        [
            triple("config_dev.yaml", "service.timeout_s", "dev,staging,prod"),
            triple("config_dev.yaml", "database.host", "dev,prod"),
            triple("config_dev.yaml", "features.new_checkout", "dev,staging,prod"),
        ]
    );
    // `expected` silences service.replicas and data.train_path.
    assert!(!drift.iter().any(|(_, key, _)| key == "service.replicas" || key == "data.train_path"));
    assert!(found.iter().filter(|f| f["rule"] == "drift").all(|f| f["severity"] == "error"));
    // service.owner is missing in prod: one `required` finding, no drift.
    assert_eq!(of_rule(&found, "required"), [triple("config_prod.yaml", "service.owner", "prod")]);
    assert!(of_rule(&findings("clean", &[]), "drift").is_empty());
}

#[test]
fn shared_secret_by_key_and_envs_never_value() {
    let found = findings("secrets", &[]);
    assert_eq!(
        of_rule(&found, "shared-secret"),
        [
            triple(".env.dev", "DB_PASSWORD", "dev,prod"),
            triple("config_dev.yaml", "database.url", "dev,prod")
        ]
    );
    // LOG_LEVEL (equal, not secret), USE_AUTH / database.auth (booleans),
    // EMPTY_SECRET ("") and database.password (a reference) are not shared secrets.
    let shared = of_rule(&found, "shared-secret");
    for key in ["LOG_LEVEL", "USE_AUTH", "EMPTY_SECRET", "database.password", "database.auth"] {
        assert!(!shared.iter().any(|(_, k, _)| k == key), "{key}");
    }
}

#[test]
fn a_base_value_inherited_by_several_envs_is_one_value_not_a_shared_secret() {
    let found = findings("base-secret", &[]);
    // api.token lives only in config_base.yaml: prod, staging and dev
    // inherit one value. database.password is also written in dev's own
    // file: dev's copy and the base's value are two of one secret.
    assert_eq!(
        of_rule(&found, "shared-secret"),
        [triple("config_dev.yaml", "database.password", "dev,staging,prod")]
    );
}

#[test]
fn plaintext_secret_but_not_references_or_ignored_files() {
    let found = findings("secrets", &[]);
    let plain = of_rule(&found, "plaintext-secret");
    assert_eq!(
        plain,
        [
            triple(".env.dev", "DB_PASSWORD", "dev"),
            triple(".env.dev", "STRIPE_KEY", "dev"),
            triple(".env.prod", "DB_PASSWORD", "prod"),
            triple("config_dev.yaml", "database.url", "dev"),
            triple("config_prod.yaml", "database.url", "prod"),
        ]
    );
    let stripe =
        found.iter().find(|f| f["rule"] == "plaintext-secret" && f["key"] == "STRIPE_KEY").unwrap();
    assert!(
        stripe["message"].as_str().unwrap().contains("`${STRIPE_KEY}`"),
        "suggests the reference"
    );
    // `${API_TOKEN}`, `vault:…`, `${STRIPE_KEY}` in prod: references.
    assert!(!plain.iter().any(|(_, k, _)| k == "API_TOKEN"));
    // An ignored file is read with --no-ignore, but git cannot track it.
    let with_ignored = findings("ignored", &["--no-ignore"]);
    assert!(with_ignored.iter().any(|f| f["file"] == "config_local.yaml"), "the file is loaded");
    assert!(of_rule(&with_ignored, "plaintext-secret").is_empty());
}

#[test]
fn cross_env_reference_and_loopback() {
    let found = findings("cross-env", &[]);
    assert_eq!(
        of_rule(&found, "cross-env-reference"),
        [
            triple("config_prod.yaml", "api.base_url", "prod"),
            triple("config_staging.yaml", "cache.host", "staging")
        ]
    );
    // Not: dev's localhost (dev is not stage or prod), prod's
    // `shop-production-data` (no env named production), an experiment
    // name that holds `prod` but is no host, bucket or path.
    assert!(of_rule(&findings("clean", &[]), "cross-env-reference").is_empty());
}

#[test]
fn exit_codes() {
    let dir = "tests/fixtures/check";
    assert_eq!(envlens_in(dir, &["check", "clean"]).code, 0);
    assert_eq!(envlens_in(dir, &["check", "clean", "--strict"]).code, 0);
    assert_eq!(envlens_in(dir, &["check", "secrets"]).code, 1);
    let missing = envlens_in(dir, &["check", "no-such-folder"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.starts_with("envlens: no such folder"));
    let broken = envlens_in("tests/fixtures/settings", &["check", "unknown-drift-key"]);
    assert_eq!(broken.code, 2);
    assert_eq!(
        broken.stderr,
        "envlens: unknown-drift-key/.envlens.toml:3: unknown key `expectd` in [drift]\n  hint: did you mean \
         `expected`? The keys here are `expected`, `required`, `must_differ`, `must_match`\n"
    );
    assert_eq!(broken.stdout, "");
}

#[test]
fn github_paths_from_the_current_folder() {
    let run = envlens_in("tests/fixtures/check/drift", &["check", "--format", "github"]);
    assert_eq!(
        run.stdout,
        "::warning file=config_dev.yaml,line=4,title=envlens drift::service.replicas: differs between envs: dev `1`, \
         prod `6`; if that is intended, add it to `expected` in [drift] of .envlens.toml\n\
         ::warning file=config_prod.yaml,title=envlens drift::service.log_level: missing in prod (present in dev); \
         if that is intended, add it to `expected` in [drift] of .envlens.toml\n"
    );
    let run = envlens_in("tests/fixtures", &["check", "check/drift", "--format", "github"]);
    assert!(run.stdout.starts_with("::warning file=check/drift/config_dev.yaml,line=4,"));
}

#[test]
fn text_is_plain_when_piped_and_coloured_on_request() {
    let plain = envlens_in("tests/fixtures/check", &["check", "secrets"]);
    assert!(!plain.stdout.contains('\x1b'));
    let coloured = envlens_in("tests/fixtures/check", &["check", "secrets", "--color", "always"]);
    assert!(coloured.stdout.contains("\x1b[1;31merror"));
    insta::assert_snapshot!("check_text_secrets", plain.stdout);
}

/// What a reviewer of `sample-project/` should fix, and nothing else: its
/// `.envlens.toml` marks the intended drift as expected.
const SAMPLE_FINDINGS: &[(&str, &str, &str, &str)] = &[
    ("shared-secret", "error", ".env.dev", "DB_PASSWORD"),
    ("plaintext-secret", "warning", ".env.dev", "DB_PASSWORD"),
    ("plaintext-secret", "warning", ".env.dev", "AWS_ACCESS_KEY_ID"),
    ("plaintext-secret", "warning", ".env.dev", "SLACK_WEBHOOK_URL"),
    ("plaintext-secret", "warning", ".env.dev", "SERVING_API_KEY"),
    ("plaintext-secret", "warning", ".env.prod", "DB_PASSWORD"),
    ("plaintext-secret", "warning", ".env.prod", "SERVING_API_KEY"),
    ("plaintext-secret", "warning", "config_dev.yaml", "database.url"),
    ("required", "error", "config_prod.yaml", "data.min_tenure_days"),
    ("drift", "error", "config_prod.yaml", "features.use_billing_events"),
    ("cross-env-reference", "error", "config_prod.yaml", "data.validation_path"),
    ("plaintext-secret", "warning", "config_prod.yaml", "database.url"),
    ("plaintext-secret", "warning", "config_staging.yaml", "database.url"),
    ("schema", "error", "config_staging.yaml", "training.learning_rate"),
    ("unresolved-reference", "warning", "config_staging.yaml", "tracking.token"),
    ("drift", "error", "flags_dev.json", "retrain-on-drift.enabled"),
    ("flag-order", "warning", "flags_prod.json", "retrain-on-drift.enabled"),
];

#[test]
fn sample_project_has_exactly_its_real_problems() {
    let run = envlens_in(".", &["check", "sample-project", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: J = serde_json::from_str(&run.stdout).unwrap();
    let got: Vec<(&str, &str, &str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["file"].as_str().unwrap(),
                f["key"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, SAMPLE_FINDINGS);
    insta::assert_json_snapshot!("check_json_sample_project", json);
}

#[test]
fn sample_project_text_and_github() {
    let text = envlens_in(".", &["check", "sample-project"]);
    assert_eq!(text.code, 1);
    insta::assert_snapshot!("check_text_sample_project", text.stdout);
    let github = envlens_in(".", &["check", "sample-project", "--format", "github"]);
    assert_eq!(github.code, 1);
    assert!(github.stdout.lines().all(|l| l.starts_with("::error file=sample-project/")
        || l.starts_with("::warning file=sample-project/")));
    insta::assert_snapshot!("check_github_sample_project", github.stdout);
}

/// §11: a `.properties` file with non-ASCII text outside its comments is
/// an `encoding` warning at that line (Java reads it as ISO-8859-1); the
/// same text written as `\u` escapes, or in a comment, is not.
#[test]
fn non_ascii_properties_text_is_an_encoding_warning() {
    let found = findings("encoding", &[]);
    let encoding: Vec<&J> = found.iter().filter(|f| f["rule"] == "encoding").collect();
    assert_eq!(encoding.len(), 1, "{found:?}");
    let finding = encoding[0];
    assert_eq!(finding["file"], "config_prod.properties");
    assert_eq!(finding["line"], 2);
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["env"], "prod");
    let message = finding["message"].as_str().unwrap();
    assert!(message.contains("ISO-8859-1") && message.contains("\\uXXXX"), "{message}");
    assert!(!message.contains("Grüße"));
    let run = envlens_in("tests/fixtures/check", &["check", "encoding", "--format", "json"]);
    assert!(!run.stdout.contains("naïve-fake-secret"));
}

/// A subproject's `[drift]` policy governs its own sets when envlens is
/// pointed at the folder above it (§8); the root's sets keep the root's.
#[test]
fn a_nested_drift_policy_applies_to_the_sets_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("config_dev.yaml", "x: 1\n");
    write("config_prod.yaml", "x: 2\n");
    write("sub/.envlens.toml", "[drift]\nexpected = [\"x\"]\n");
    write("sub/config_dev.yaml", "x: 1\ny: a\n");
    write("sub/config_prod.yaml", "x: 2\ny: b\n");
    let ran = support::run::envlens_in(dir.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    let drift: Vec<(String, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "drift")
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            (text("set"), text("key"), text("severity"))
        })
        .collect();
    assert_eq!(
        drift,
        vec![
            ("config".to_owned(), "x".to_owned(), "warning".to_owned()),
            ("sub/config".to_owned(), "y".to_owned(), "error".to_owned()),
        ],
        "{}",
        ran.both()
    );
    assert_eq!(ran.code, 1, "{}", ran.both());
    assert!(!ran.stderr.contains("[drift]` are read from the root"), "{}", ran.stderr);
}
