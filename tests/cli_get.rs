//! `envlens get` (§7): one value, base applied, masked unless `--reveal`;
//! exit 1 with close keys for a key that is not there, 2 for an error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

fn get(args: &[&str]) -> (i32, String, String) {
    let run = support::run::envlens(&[&["get"], args].concat());
    (run.code, run.stdout, run.stderr)
}

#[test]
fn prints_one_value() {
    let run = get(&["database.pool_size", "sample-project", "--env", "prod", "--set", "config"]);
    assert_eq!(run, (0, "16\n".into(), String::new()));
    // A string prints without quotes, even one that reads as another type.
    let run = get(&["features.shadow_mode", "sample-project", "--env", "dev", "--set", "config"]);
    assert_eq!(run.1, "on\n");
    // Inherited from the base file.
    let run = get(&[
        "server.port",
        "sample-project",
        "--env",
        "prod",
        "--set",
        "services/serving/config",
    ]);
    assert_eq!(run.1, "8080\n");
    // One set: --set may be left out.
    let run = get(&["service.replicas", "tests/fixtures/check/drift", "--env", "prod"]);
    assert_eq!(run, (0, "6\n".into(), String::new()));
}

#[test]
fn secrets_are_masked_unless_revealed() {
    let run = get(&["DB_PASSWORD", "sample-project", "--env", "dev", "--set", ".env"]);
    assert_eq!(run, (0, "••••••••\n".into(), String::new()));
    let run = get(&["DB_PASSWORD", "sample-project", "--env", "dev", "--set", ".env", "--reveal"]);
    assert_eq!(run.1, "dev-pass-not-real\n");
    let run = get(&["database.url", "sample-project", "--env", "prod", "--set", "config"]);
    assert_eq!(run.1, "postgres://trainer:••••••••@db.prod.internal:5432/features\n");
    assert!(!run.1.contains("prod-pass-not-real"));
}

#[test]
fn not_found_exits_1_with_a_hint() {
    let run = get(&["database.pool_sise", "sample-project", "--env", "prod", "--set", "config"]);
    assert_eq!(run.0, 1);
    assert_eq!(
        run.2,
        "envlens: no key `database.pool_sise` in prod of `config`\n  hint: did you mean `database.pool_size`?\n"
    );
    let run = get(&["data.min_tenure_days", "sample-project", "--env", "prod", "--set", "config"]);
    assert_eq!(run.0, 1);
    assert!(run.2.contains("hint: it is missing in prod; dev, staging has it"), "{}", run.2);
    let run = get(&["database", "sample-project", "--env", "prod", "--set", "config"]);
    assert_eq!(run.0, 1);
    assert!(
        run.2.starts_with("envlens: `database` is a mapping in prod of `config`, not one value")
    );
}

#[test]
fn errors_exit_2() {
    let run = get(&["x", "sample-project", "--env", "prod"]);
    assert_eq!(run.0, 2);
    assert_eq!(
        run.2,
        "envlens: this project has several config sets; say which with --set\n  hint: sets here: .env, config, \
         flags, services/serving/config\n"
    );
    let run = get(&["x", "sample-project", "--env", "qa", "--set", "config"]);
    assert_eq!(run.0, 2);
    assert!(run.2.contains("hint: envs of `config`: dev, staging, prod"));
    let run = get(&["x", "sample-project", "--env", "prod", "--set", "nope"]);
    assert_eq!(run.0, 2);
    let run = get(&["service.port", "tests/fixtures/check/parse-error", "--env", "prod"]);
    assert_eq!(run.0, 2);
    assert!(run.2.starts_with("envlens: config_prod.yaml:2:9: unclosed bracket"), "{}", run.2);
}

#[test]
fn a_key_that_cannot_be_a_key_path_is_an_error_not_a_missing_key() {
    // get, set and blame read KEY alike: exit 2 with the syntax error,
    // never "no key" or set's "add --new".
    for command in [
        &["get", "spec.containers[name=", "sample-project", "--env", "prod", "--set", "config"][..],
        &["set", "spec[name=", "1", "sample-project", "--env", "prod", "--set", "config"],
        &["blame", "a..b", "sample-project", "--env", "prod", "--set", "config"],
    ] {
        let run = support::run::envlens(command);
        assert_eq!(run.code, 2, "{command:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("envlens: invalid key path "),
            "{command:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("hint: write the key as `envlens diff --all` prints it"));
        assert!(!run.stderr.contains("--new"), "{}", run.stderr);
    }
}
