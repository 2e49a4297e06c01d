//! `envlens init ENV` (§7), tried as a new user would: on a copy of
//! `sample-project/`, `envlens init local` writes one file per set that
//! loads as env `local`, holds no secret (each is a `${NAME}` reference),
//! keeps the reference env's other values and comments, adds the schema's
//! defaults for keys no env has, never overwrites a file, and says when a
//! file git could commit is to hold secrets.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::Path;

use serde_json::Value as J;
use support::run::Ran;

/// Every fake secret of `sample-project/`.
const SECRETS: &[&str] = &[
    "dev-pass-not-real",
    "staging-pass-not-real",
    "prod-pass-not-real",
    "AKIAEXAMPLEFAKE00DEV",
    "sk_live_FAKEfakeFAKEfake0123456789",
    "B000/fake",
];

fn envlens(dir: &Path, args: &[&str]) -> Ran {
    let run = support::run::envlens_in(dir, args);
    for secret in SECRETS {
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret), "{secret} leaked");
    }
    run
}

/// `diff --all --format json`, ignored files included.
fn diff_json(dir: &Path) -> J {
    let run = envlens(dir, &["diff", "--all", "--format", "json", "--no-ignore"]);
    assert!(run.code < 2, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

const NEW_FILES: [&str; 3] =
    [".env.local", "config_local.yaml", "services/serving/config_local.toml"];

#[test]
fn init_local_on_the_sample_loads_as_env_local_with_no_secret() {
    let dir = support::sample_copy();
    let run = envlens(dir.path(), &["init", "local"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in NEW_FILES {
        assert!(run.stdout.contains(&format!("wrote {file} ")), "{}", run.stdout);
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        for secret in SECRETS {
            assert!(!text.contains(secret), "{file} holds {secret}:\n{text}");
        }
    }
    let json = diff_json(dir.path());
    let mut compared = 0;
    for set in json["sets"].as_array().unwrap() {
        assert!(set["envs"].as_array().unwrap().contains(&J::from("local")), "{}", set["name"]);
        assert_eq!(set["errors"], J::Array(vec![]), "{}", set["name"]);
        let first = set["envs"][0].as_str().unwrap();
        for key in set["keys"].as_array().unwrap() {
            let (local, reference) = (&key["values"]["local"], &key["values"][first]);
            if local.is_null() {
                // Only keys the reference env itself lacks are missing.
                assert!(reference.is_null() || reference["inherited"] != false, "{}", key["key"]);
                continue;
            }
            assert_ne!(local["secret"], true, "{} is a secret in local: {local}", key["key"]);
            if reference["secret"] == false && reference["inherited"] == false {
                assert_eq!(local["value"], reference["value"], "{}", key["key"]);
                compared += 1;
            }
        }
    }
    assert!(compared > 30, "only {compared} values compared");
    // Comments come along; the secret became a reference.
    let config = std::fs::read_to_string(dir.path().join("config_local.yaml")).unwrap();
    assert!(config.contains("# Feature store (read-only role)."), "{config}");
    assert!(
        config.contains("postgres://trainer:${DATABASE_URL_PASSWORD}@db.dev.internal"),
        "{config}"
    );
    let dotenv = std::fs::read_to_string(dir.path().join(".env.local")).unwrap();
    assert!(dotenv.contains("DB_PASSWORD=${DB_PASSWORD}"), "{dotenv}");
    // `check` has no plaintext secret in the new files.
    let check = envlens(dir.path(), &["check", "--format", "json"]);
    let findings: J = serde_json::from_str(&check.stdout).unwrap();
    for f in findings["findings"].as_array().unwrap() {
        if f["rule"] == "plaintext-secret" || f["rule"] == "shared-secret" {
            assert!(!f["envs"].as_array().unwrap().contains(&J::from("local")), "{f}");
        }
    }
}

#[test]
fn never_overwrites_and_refuses_the_lot() {
    let dir = support::sample_copy();
    std::fs::write(dir.path().join(".gitignore"), "config_local.yaml\n").unwrap();
    std::fs::write(dir.path().join("config_local.yaml"), "mine: 1\n").unwrap();
    let run = envlens(dir.path(), &["init", "local"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("refused: config_local.yaml already exists"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("config_local.yaml")).unwrap(), "mine: 1\n");
    assert!(!dir.path().join(".env.local").exists(), "the other sets are left alone too");
    // An env the set already has is refused the same way.
    assert_eq!(envlens(dir.path(), &["init", "prod", "--set", "config"]).code, 1);
    let bad = envlens(dir.path(), &["init", "no/such"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.starts_with("envlens: ") && bad.stderr.contains("  hint: "),
        "{}",
        bad.stderr
    );
}

#[test]
fn one_set_from_another_env() {
    let dir = support::sample_copy();
    let run = envlens(dir.path(), &["init", "qa", "--set", "config", "--from", "prod"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("config_qa.yaml").is_file());
    assert!(!dir.path().join(".env.qa").exists());
    let json = diff_json(dir.path());
    let config = json["sets"].as_array().unwrap().iter().find(|s| s["name"] == "config").unwrap();
    let key =
        config["keys"].as_array().unwrap().iter().find(|k| k["key"] == "serving.replicas").unwrap();
    assert_eq!(key["values"]["qa"]["value"], key["values"]["prod"]["value"]);
    // Without --set, sets that lack the --from env are left alone, and said so.
    let run = envlens(dir.path(), &["init", "uat", "--from", "staging"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(".env has no env `staging`"), "{}", run.stderr);
    assert!(dir.path().join("config_uat.yaml").is_file());
}

#[test]
fn schema_defaults_fill_keys_no_env_has() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config_dev.yaml"),
        "db:\n  host: db.dev\n  password: hunter2-fake\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("config_prod.yaml"),
        "db:\n  host: db.prod\n  password: other-fake\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("config.schema.json"),
        r#"{"type": "object", "properties": {"db": {"type": "object", "properties": {
            "host": {"type": "string", "default": "localhost"},
            "pool": {"type": "integer", "default": 4},
            "token": {"type": "string", "default": "fake-default-token"}}}}}"#,
    )
    .unwrap();
    let run = envlens(dir.path(), &["init", "local"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.path().join("config_local.yaml")).unwrap();
    assert!(!text.contains("hunter2") && !text.contains("fake-default-token"), "{text}");
    let json = diff_json(dir.path());
    let keys = json["sets"][0]["keys"].as_array().unwrap();
    let local =
        |key: &str| keys.iter().find(|k| k["key"] == key).map(|k| k["values"]["local"].clone());
    assert_eq!(
        local("db.host").unwrap()["value"],
        "db.dev",
        "the reference env's value, not the default"
    );
    assert_eq!(local("db.pool").unwrap()["value"], 4);
    assert_eq!(local("db.pool").unwrap()["type"], "int");
    assert_eq!(local("db.password").unwrap()["value"], "${DB_PASSWORD}");
    assert!(local("db.token").is_none(), "a secret's default is not written");
    assert!(run.stdout.contains("db.pool: the schema's default"), "{}", run.stdout);
}

#[test]
fn a_trackable_file_with_secrets_gets_a_reminder() {
    let dir = support::sample_copy();
    let run = envlens(dir.path(), &["init", "local", "--set", "config"]);
    assert!(run.stderr.contains("config_local.yaml is not git-ignored"), "{}", run.stderr);
    assert!(run.stderr.contains("(database.url)"), "{}", run.stderr);
    let dir = support::sample_copy();
    std::fs::write(dir.path().join(".gitignore"), "*_local.*\n.env.local\n").unwrap();
    let run = envlens(dir.path(), &["init", "local"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("not git-ignored"), "{}", run.stderr);
    assert!(
        run.stderr.contains("config_local.yaml is git-ignored; envlens shows it with --no-ignore"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_private_reference_file_gives_a_private_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = support::sample_copy();
    let dev = dir.path().join(".env.dev");
    std::fs::set_permissions(&dev, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(envlens(dir.path(), &["init", "local", "--set", ".env"]).code, 0);
    let mode = std::fs::metadata(dir.path().join(".env.local")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}
