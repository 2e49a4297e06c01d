//! Encrypted files as the real tools write them (§4, §5): the fixtures in
//! `tests/fixtures/encrypted/` were made by `make.sh` there with sops 3.11
//! (age) and dotenvx. Encrypted values show as `[encrypted]`, compare by
//! presence, carry `"encrypted": true`, are never a plaintext secret and
//! are never edited; the sops block is not config; a plain value added to
//! a sops file is `unencrypted-value`; `.env.keys` joins no set and is a
//! `private-key-file`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value as J;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/encrypted")
}

/// Runs envlens in `dir`; every output is checked for the fixture's
/// plaintext secrets, which all hold `LEAK`.
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let run =
        support::run::run(support::run::command(dir, args).env("ENVLENS_CONFIG", "/dev/null"));
    let text = run.both();
    assert!(!text.contains("LEAK"), "{args:?} printed a secret:\n{text}");
    assert!(!text.contains("ENC[AES256_GCM"), "{args:?} printed sops ciphertext:\n{text}");
    (Some(run.code).filter(|&c| c != -1), text)
}

fn run(args: &[&str]) -> (Option<i32>, String) {
    run_in(&fixture(), args)
}

fn diff_json(extra: &[&str]) -> J {
    let mut args = vec!["diff", "--all", "--format", "json"];
    args.extend(extra);
    serde_json::from_str(&run(&args).1).unwrap()
}

fn set<'a>(json: &'a J, name: &str) -> &'a J {
    json["sets"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap()
}

fn row<'a>(set: &'a J, key: &str) -> &'a J {
    set["keys"].as_array().unwrap().iter().find(|k| k["key"] == key).unwrap()
}

#[test]
fn sops_values_are_encrypted_cells_equal_by_presence() {
    let json = diff_json(&["--set", "config", "--envs", "staging,prod"]);
    let config = set(&json, "config");
    let keys: Vec<&str> =
        config["keys"].as_array().unwrap().iter().map(|k| k["key"].as_str().unwrap()).collect();
    assert!(keys.iter().all(|k| !k.starts_with("sops")), "the sops block is not config: {keys:?}");
    let replicas = row(config, "service.replicas");
    assert_eq!(replicas["status"], "same", "two encrypted cells are equal");
    for env in ["staging", "prod"] {
        let cell = &replicas["values"][env];
        assert_eq!(cell["value"], "[encrypted]");
        assert_eq!(cell["type"], "int", "typed as sops's type: says");
        assert_eq!(cell["encrypted"], true);
    }
    let statuses: Vec<&str> = config["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["key"] != "added_later")
        .map(|k| k["status"].as_str().unwrap())
        .collect();
    assert!(statuses.iter().all(|s| *s == "same"), "no false drift: {statuses:?}");
    // Against the plain dev file, an encrypted cell differs.
    let json = diff_json(&["--set", "config"]);
    let name = row(set(&json, "config"), "service.name");
    assert_eq!(name["status"], "differs");
    assert_eq!(name["values"]["dev"]["value"], "shop");
    assert!(name["values"]["dev"].get("encrypted").is_none());
}

#[test]
fn dotenvx_values_are_encrypted_and_the_key_file_joins_no_set() {
    let json = diff_json(&["--set", ".env"]);
    let dotenv = set(&json, ".env");
    assert_eq!(dotenv["envs"], serde_json::json!(["dev", "prod"]));
    let password = row(dotenv, "DB_PASSWORD");
    assert_eq!(password["values"]["prod"]["value"], "[encrypted]");
    assert_eq!(password["values"]["prod"]["encrypted"], true);
    assert_eq!(password["values"]["dev"]["value"], "••••••••");
    let (_, table) = run(&["diff", "--all"]);
    assert!(table.contains("[encrypted]"), "{table}");
}

#[test]
fn check_names_the_unencrypted_value_and_the_key_file_only() {
    let (code, text) = run(&["check", "--format", "json"]);
    assert_eq!(code, Some(1));
    let findings: J = serde_json::from_str(&text).unwrap();
    let found: Vec<(String, String, String)> = findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            (s("rule"), s("file"), s("key"))
        })
        .collect();
    let of = |rule: &str| -> Vec<(String, String)> {
        found.iter().filter(|f| f.0 == rule).map(|f| (f.1.clone(), f.2.clone())).collect()
    };
    assert_eq!(
        of("unencrypted-value"),
        [("config_prod.yaml".to_owned(), "added_later".to_owned())]
    );
    assert_eq!(of("private-key-file"), [(".env.keys".to_owned(), String::new())]);
    // Only the plain dev files hold plaintext secrets; no encrypted value is one.
    let plaintext = of("plaintext-secret");
    assert!(!plaintext.is_empty());
    assert!(
        plaintext.iter().all(|(file, _)| file == "config_dev.yaml" || file == ".env.dev"),
        "{plaintext:?}"
    );
}

#[test]
fn encrypted_text_is_never_edited() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let before = std::fs::read(dir.path().join("config_prod.yaml")).unwrap();
    let (code, text) =
        run_in(dir.path(), &["set", "service.replicas", "5", "--set", "config", "--env", "prod"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("sops"), "{text}");
    assert_eq!(std::fs::read(dir.path().join("config_prod.yaml")).unwrap(), before);
    let (code, text) =
        run_in(dir.path(), &["set", "DB_PASSWORD", "x", "--set", ".env", "--env", "prod"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("encrypted"), "{text}");
}

#[test]
fn a_git_crypt_file_is_named_encrypted_not_garbage() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config_dev.yaml"), "a: 1\n").unwrap();
    let mut locked = b"\0GITCRYPT\0".to_vec();
    locked.extend_from_slice(&[0x9c, 0x01, 0xff, 0x00, 0x42]);
    std::fs::write(dir.path().join("config_prod.yaml"), locked).unwrap();
    let (code, text) = run_in(dir.path(), &["diff"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("config_prod.yaml: [encrypted] with git-crypt"), "{text}");
    assert!(!text.contains("NUL"), "not reported as a broken text file: {text}");
}
