//! Secrets in the shapes real projects hold them (§5), in
//! `tests/fixtures/shapes/`: single-quoted dotenv values, inline defaults,
//! `pass`/`salt`/`SECRET_KEY_BASE`, generated `…_KEY` values, connection
//! strings, URLs under secret names, compose `NAME=value` items, a schema
//! `default`/`examples` of a secret key, HCL expressions under secret names
//! (`var.db_password`: references) beside HCL literals that are secrets,
//! and dotenvx/age key files. Every
//! command in every format, and the TUI's pane while moving over every key,
//! shows none of them; what is not secret (hosts, `created_at`, `1e-3`)
//! still shows.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use support::tmux::Session;

const BIN: &str = env!("CARGO_BIN_EXE_envlens");

/// The fixture's secrets. All but the two hex defaults hold `LEAK`, which
/// nothing else in the fixture does, so the scan for `LEAK` catches any
/// secret this list forgot.
const SECRETS: &[&str] = &[
    "LEAK",
    "3f9a0c41d7e2b5a8c6f1e0d9b4a7c3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b706",
    "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f916",
    "AGE-SECRET-KEY",
];

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shapes")
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(fixture())
        .env("ENVLENS_CONFIG", "/dev/null")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what}: {secret:?} leaked:\n{text}");
    }
}

fn clean_run(args: &[&str]) -> Run {
    let out = run(args);
    let what = args.join(" ");
    assert!(out.code.is_some_and(|c| c <= 1), "{what}: exit {:?}\n{}", out.code, out.stderr);
    assert_no_secret(&what, &out.stdout);
    assert_no_secret(&what, &out.stderr);
    out
}

#[test]
fn no_command_prints_a_secret_in_any_format() {
    for format in ["table", "json", "markdown"] {
        clean_run(&["diff", "--all", "--format", format]);
    }
    for format in ["text", "json", "github", "sarif", "gitlab", "junit"] {
        clean_run(&["check", "--format", format]);
    }
    for format in ["markdown", "json"] {
        clean_run(&["docs", "--format", format]);
    }
    let keys = ["DB_PASSWORD", "DB_PASS", "OTP_SALT", "SECRET_KEY_BASE", "JWT_SECRET"];
    for key in keys.iter().chain(&["ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY"]) {
        clean_run(&["get", key, "--set", ".env", "--env", "prod"]);
    }
    for key in ["database.dsn", "mail.auth.pass", "ConnectionStrings.Default", "jwt.secret"] {
        clean_run(&["get", key, "--set", "config", "--env", "dev"]);
    }
    for key in ["api_token", "db_url", "signing_secret"] {
        clean_run(&["get", key, "--set", "infra/config", "--env", "dev"]);
    }
}

#[test]
fn what_is_not_secret_still_shows() {
    let diff = clean_run(&["diff", "--all", "--format", "json"]).stdout;
    let json: serde_json::Value = serde_json::from_str(&diff).unwrap();
    let value = |set: &str, key: &str, env: &str| -> String {
        let set = json["sets"].as_array().unwrap().iter().find(|s| s["name"] == set).unwrap();
        let row = set["keys"].as_array().unwrap().iter().find(|k| k["key"] == key).unwrap();
        row["values"][env]["value"]
            .as_str()
            .map_or_else(|| row["values"][env]["value"].to_string(), str::to_owned)
    };
    let mask = "••••••••";
    assert_eq!(
        value("config", "database.dsn", "prod"),
        format!("postgres://app:{mask}@db.prod.internal:5432/app")
    );
    assert_eq!(
        value("config", "ConnectionStrings.Default", "dev"),
        format!("Server=db.dev.internal;Database=shop;User Id=app;Password={mask};")
    );
    assert!(
        value("config", "ConnectionStrings.Storage", "prod")
            .contains(&format!("AccountName=shopprod;AccountKey={mask};"))
    );
    assert_eq!(
        value("config", "services.db.environment[0]", "dev"),
        format!("POSTGRES_PASSWORD={mask}")
    );
    assert_eq!(value("config", "services.db.environment[1]", "dev"), "POSTGRES_DB=shop");
    assert_eq!(value("config", "jwt.secret", "dev"), format!("${{JWT_SECRET:{mask}}}"));
    assert_eq!(
        value("config", "spring.url", "prod"),
        format!("${{DATABASE_URL:postgres://app:{mask}@db.prod.internal/app}}")
    );
    assert_eq!(value(".env", "JWT_SECRET", "dev"), format!("${{JWT_SECRET:-{mask}}}"));
    assert_eq!(value(".env", "DB_PASSWORD", "dev"), mask, "a single-quoted value is literal");
    assert_eq!(value(".env", "API_KEY_REF", "dev"), "$API_KEY");
    for (key, shown) in [("database.sort_key", "created_at"), ("database.primary_key", "id")] {
        assert_eq!(value("config", key, "dev"), shown);
    }
    assert_eq!(value(".env", "PASSENGER_COUNT", "prod"), "4");
    for key in ["DB_PASS", "OTP_SALT", "SECRET_KEY_BASE", "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY"] {
        assert_eq!(value(".env", key, "prod"), mask, "{key}");
    }
}

/// HCL expressions count as references (§5, §11): shown under a secret
/// name, never a plaintext or shared secret; a literal under the same
/// names, a password written inside a template, and a heredoc of text
/// alone are still secrets.
#[test]
fn hcl_expressions_are_references_and_literals_stay_secret() {
    let diff = clean_run(&["diff", "--all", "--format", "json", "--set", "infra/config"]).stdout;
    let json: serde_json::Value = serde_json::from_str(&diff).unwrap();
    let keys = json["sets"][0]["keys"].as_array().unwrap();
    let cell = |key: &str, env: &str| {
        let row = keys.iter().find(|k| k["key"] == key).unwrap();
        let cell = &row["values"][env];
        (cell["value"].as_str().unwrap().to_owned(), cell["secret"].as_bool().unwrap())
    };
    let mask = "••••••••";
    for env in ["dev", "prod"] {
        assert_eq!(cell("db_password", env), ("var.db_password".to_owned(), false), "{env}");
    }
    assert_eq!(cell("api_token", "prod"), ("local.api_token".to_owned(), false));
    assert_eq!(cell("signing_secret", "prod"), ("file(\"signing.key\")".to_owned(), false));
    let prod_url = "\"postgres://app:${var.db_pass}@${var.db_host}:5432/app\"";
    assert_eq!(cell("db_url", "prod"), (prod_url.to_owned(), false));
    assert_eq!(cell("api_token", "dev"), (mask.to_owned(), true), "a literal under a secret name");
    assert_eq!(cell("signing_secret", "dev"), (mask.to_owned(), true), "a heredoc of text");
    let dev_url = format!("\"postgres://app:{mask}@${{var.db_host}}:5432/app\"");
    assert_eq!(cell("db_url", "dev"), (dev_url, true), "a password written in a template");

    let check = clean_run(&["check", "--format", "json"]).stdout;
    let findings: serde_json::Value = serde_json::from_str(&check).unwrap();
    let about = |rule: &str| -> Vec<(String, String)> {
        findings["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule && f["set"] == "infra/config")
            .map(|f| (f["key"].as_str().unwrap().to_owned(), f["envs"].to_string()))
            .collect()
    };
    let dev = "[\"dev\"]".to_owned();
    assert_eq!(
        about("plaintext-secret"),
        [
            ("api_token".to_owned(), dev.clone()),
            ("db_url".to_owned(), dev.clone()),
            ("signing_secret".to_owned(), dev)
        ],
        "only the literals are plaintext secrets"
    );
    assert_eq!(about("shared-secret"), [], "one expression in two envs is no shared secret");
}

#[test]
fn key_files_join_no_set_and_check_names_them() {
    let diff = clean_run(&["diff", "--all", "--format", "json"]).stdout;
    let json: serde_json::Value = serde_json::from_str(&diff).unwrap();
    let dotenv = json["sets"].as_array().unwrap().iter().find(|s| s["name"] == ".env").unwrap();
    assert_eq!(dotenv["envs"], serde_json::json!(["dev", "prod"]), ".env.keys is not an env");
    let check = clean_run(&["check", "--format", "json"]);
    assert_eq!(check.code, Some(1));
    let findings: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let key_files: Vec<&str> = findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "private-key-file")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(key_files, [".env.keys", "keys.txt"]);
}

#[test]
fn check_reports_secret_defaults_and_keeps_plain_values_in_messages() {
    let check = clean_run(&["check", "--format", "json"]).stdout;
    let findings: serde_json::Value = serde_json::from_str(&check).unwrap();
    let findings = findings["findings"].as_array().unwrap();
    let plaintext: Vec<&str> = findings
        .iter()
        .filter(|f| f["rule"] == "plaintext-secret")
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    for key in ["JWT_SECRET", "jwt.secret", "spring.url", "DB_PASSWORD", "OTP_SALT"] {
        assert!(plaintext.contains(&key), "{key} is a plaintext secret: {plaintext:?}");
    }
    // Not secret, so the schema message quotes it (a secret is masked).
    let schema: Vec<&str> = findings
        .iter()
        .filter(|f| f["rule"] == "schema")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(schema.iter().any(|m| m.contains("\"1e-3\"")), "{schema:?}");
    assert!(schema.iter().any(|m| m.contains("••••••••")), "{schema:?}");
}

#[test]
fn docs_mask_a_secret_keys_schema_default_and_examples() {
    let docs = clean_run(&["docs", "--format", "json"]).stdout;
    assert!(docs.contains("SMTP password of the mail relay."));
    let markdown = clean_run(&["docs"]).stdout;
    assert!(markdown.contains("SMTP password of the mail relay."));
}

#[test]
fn tui_pane_shows_no_secret_on_any_key() {
    let Some(session) =
        Session::start_in("shapes", &fixture(), &[("ENVLENS_CONFIG", "/dev/null")], ".", (160, 48))
    else {
        return;
    };
    session.wait_for("the table", |p| p.contains("APP_NAME") || p.contains("database"));
    let mut seen_default_doc = false;
    let mut seen_plain_violation = false;
    let mut last = String::new();
    for _set in 0..3 {
        for _ in 0..24 {
            // Each key's screen, once drawn (the pane changes or stays put
            // at the last key).
            for _ in 0..20 {
                let pane = session.pane();
                assert_no_secret("the TUI pane", &pane);
                let moved = pane != last;
                last = pane;
                if moved {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            seen_default_doc |= last.contains("SMTP password of the mail relay.");
            seen_plain_violation |= last.contains("\"1e-3\" is not of type");
            session.keys(&["j"]);
        }
        session.keys(&["Tab"]);
    }
    assert!(seen_plain_violation, "a schema message about a plain value quotes it");
    assert!(seen_default_doc, "the detail pane showed mail.auth.pass's documentation");
}
