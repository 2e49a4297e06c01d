//! `.envlens.toml` (§8): every broken settings fixture gives an error that
//! names the file, the line and the key, with a hint; a valid file changes
//! discovery, secrets and schemas as it says.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use envlens::core::project::{self, OpenOptions};
use envlens::core::settings;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/settings").join(name)
}

/// (fixture, line, key) of every broken settings file.
const BROKEN: &[(&str, u32, &str)] = &[
    ("syntax", 2, ""),
    ("unknown-key", 3, "secret_key"),
    ("unknown-drift-key", 3, "drift.expectd"),
    ("wrong-type", 1, "env_order"),
    ("wrong-item", 4, "drift.required"),
    ("bad-glob", 2, "drift.expected"),
    ("bad-pattern", 1, "patterns"),
    ("bad-env-order", 1, "env_order"),
    ("drift-not-table", 1, "drift"),
    ("schema-not-string", 2, "schema.\"config\""),
    ("bad-ignore", 1, "ignore"),
];

#[test]
fn each_broken_file_names_file_line_and_key() {
    let mut all = String::new();
    for (name, line, key) in BROKEN {
        let root = fixture(name);
        let err = settings::load(&root).expect_err(name);
        assert_eq!(err.line, *line, "{name}: {err}");
        assert_eq!(err.key, *key, "{name}");
        assert!(err.file.ends_with(".envlens.toml"), "{name}");
        assert!(err.hint.is_some(), "{name} has a hint");
        // The CLI shows exactly this, through `project::open`.
        let open = project::open(&root, &OpenOptions::default()).unwrap_err();
        assert_eq!(open.message, err.to_string());
        let shown = err.to_string().replace(&*fixture("").to_string_lossy(), "");
        let _ = writeln!(all, "{shown}\n  hint: {}\n", err.hint.unwrap());
    }
    insta::assert_snapshot!("settings_errors", all);
}

#[test]
fn close_matches_are_suggested() {
    let err = settings::load(&fixture("unknown-drift-key")).unwrap_err();
    assert!(err.hint.unwrap().starts_with("did you mean `expected`?"));
    let err = settings::load(&fixture("unknown-key")).unwrap_err();
    assert!(err.hint.unwrap().starts_with("did you mean `secret_keys`?"));
}

#[test]
fn schema_entries_must_name_a_set_and_a_file() {
    for (name, says) in [
        ("schema-unknown-set", "no config set named `services/api/config`"),
        ("schema-missing-file", "no schema file at schemas/missing.json"),
    ] {
        let err = project::open(&fixture(name), &OpenOptions::default()).unwrap_err();
        assert!(err.message.contains(".envlens.toml:2: `schema."), "{name}: {}", err.message);
        assert!(err.message.contains(says), "{name}: {}", err.message);
        assert!(err.hint.is_some());
    }
}

#[test]
fn no_file_means_defaults() {
    let s =
        settings::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/clean"))
            .unwrap();
    assert!(s.file.is_none() && s.drift.is_none() && s.patterns.is_empty());
}

#[test]
fn a_valid_file_shapes_the_project() {
    let project = project::open(&fixture("good"), &OpenOptions::default()).unwrap();
    let names: Vec<&str> = project.sets.iter().map(|s| s.name.as_str()).collect();
    // `legacy/` is ignored; `settings_{env}.yaml` and `{env}.env` are sets.
    assert_eq!(names, ["config", "env", "settings"]);
    let config = project.set("config").unwrap();
    assert_eq!(config.env_names(), ["prod", "dev"], "env_order");
    assert_eq!(config.schema.as_ref().unwrap().rel_path, "schemas/config.json");
    let pin = config.envs[0].leaves.iter().find(|l| config.path(l) == "service.pin").unwrap();
    assert_eq!(
        config.secret(pin).map(|s| s.reason),
        Some(envlens::core::secret::SecretReason::Settings)
    );
    let name = config.envs[0].leaves.iter().find(|l| config.path(l) == "service.name").unwrap();
    assert_eq!(config.secret(name), None);
}
