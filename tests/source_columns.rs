//! Source columns (§13) in the outputs that list envs: `envlens docs`
//! (Markdown and JSON) shows a store's values beside the files' with what
//! each column reads, a SecureString masked, and no line for a store value;
//! `envlens sets` (text and JSON) lists a set's `[[source]]` columns from
//! the declaration alone, so it answers with the store down. The store is
//! moto's SSM on 127.0.0.1 (skipped with a reason when it cannot start).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use serde_json::json;
use support::stores::{self, envlens, json_of, never_leaks, project, ssm_put};

const AWS_SECRET: &str = "fake-aws-secret-key-0077";
const SSM_SECURE: &str = "fake-ssm-docs-secure-5150";

const DEV: &str = "db:\n  host: db.dev.internal\n  password: ${DB_PASSWORD}\n";
const PROD: &str = "# Production.\ndb:\n  # Where the database runs.\n  host: db.prod.internal\n  password: ${DB_PASSWORD}\n";

fn ssm_settings(env: &str, path: &str) -> String {
    format!("[[source]]\nset = \"config\"\nkind = \"ssm\"\nenv = \"{env}\"\npath = \"{path}\"\n")
}

fn aws(address: &str) -> [(&str, &str); 4] {
    [
        ("AWS_ENDPOINT_URL", address),
        ("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE0000"),
        ("AWS_SECRET_ACCESS_KEY", AWS_SECRET),
        ("AWS_REGION", "us-east-1"),
    ]
}

/// `docs` lists `prod@ssm` among the envs with what it reads, puts its
/// values in each key's table, masks its SecureString, and in JSON gives
/// its cells `"line": null` and `"source"` as `diff` does, plus the set's
/// `"sources"`.
#[test]
fn docs_show_a_source_column_in_markdown_and_json() {
    let Some(moto) = stores::moto() else { return };
    ssm_put(moto.port, "/api/prod/db/host", "db.prod.internal", "String");
    ssm_put(moto.port, "/api/prod/db/password", SSM_SECURE, "SecureString");
    ssm_put(moto.port, "/api/prod/db/pool", "20", "String");
    let dir = project(DEV, PROD, &ssm_settings("prod", "/api/prod/"));
    let vars = aws(&moto.address);

    let page = envlens(dir.path(), &["docs"], &vars);
    never_leaks(&page, &[AWS_SECRET, SSM_SECURE]);
    assert_eq!(page.code, 0, "{}", page.stderr);
    let md = &page.stdout;
    assert!(
        md.contains(
            "- Envs: dev: `config_dev.yaml` · prod: `config_prod.yaml` · prod@ssm: `ssm:/api/prod/`"
        ),
        "{md}"
    );
    assert!(md.contains("| prod@ssm | `db.prod.internal` |"), "{md}");
    assert!(md.contains("| prod@ssm | `[encrypted]` |"), "a SecureString stays encrypted: {md}");
    // A key only the store has is documented too, missing in the files.
    assert!(md.contains("### `db.pool`"), "{md}");
    assert!(md.contains("| prod@ssm | `\"20\"` |"), "a store keeps strings: {md}");
    assert!(md.contains("| dev | — *(missing)* |"), "{md}");

    let json_run = envlens(dir.path(), &["docs", "--format", "json"], &vars);
    never_leaks(&json_run, &[AWS_SECRET, SSM_SECURE]);
    let report = json_of(&json_run);
    let set = &report["sets"][0];
    assert_eq!(set["envs"], json!(["dev", "prod", "prod@ssm"]));
    assert_eq!(set["files"]["prod@ssm"], "ssm:/api/prod/");
    assert_eq!(
        set["sources"],
        json!([{"env": "prod@ssm", "kind": "ssm", "path": "ssm:/api/prod/", "status": "loaded",
                "keys": 3, "error": null}])
    );
    let values = |key: &str| {
        set["keys"].as_array().unwrap().iter().find(|k| k["key"] == key).unwrap()["values"].clone()
    };
    let host = values("db.host");
    assert_eq!(host["prod@ssm"]["value"], "db.prod.internal");
    assert_eq!(host["prod@ssm"]["line"], json!(null), "a store value has no line");
    assert_eq!(host["prod@ssm"]["source"], "ssm:/api/prod/");
    assert_eq!(host["prod"]["line"], 4);
    assert!(host["prod"].get("source").is_none(), "a file's cell names no source");
    let password = values("db.password");
    assert_eq!(password["prod@ssm"]["value"], "[encrypted]");
    assert_eq!(password["prod@ssm"]["encrypted"], true);
    assert_eq!(values("db.pool")["dev"], json!(null));
}

/// A source that cannot be read: `docs` still prints every file's keys,
/// says why the column is empty, and exits 2 as for a file that failed.
#[test]
fn docs_name_a_source_that_could_not_be_read() {
    let port = stores::free_port();
    let dir = project(DEV, PROD, &ssm_settings("prod", "/api/prod/"));
    let address = format!("http://127.0.0.1:{port}");
    let vars = aws(&address);
    let page = envlens(dir.path(), &["docs"], &vars);
    never_leaks(&page, &[AWS_SECRET]);
    assert_eq!(page.code, 2);
    assert!(page.stdout.contains("| prod | `db.prod.internal` |"), "{}", page.stdout);
    assert!(
        page.stdout.contains("prod@ssm: `ssm:/api/prod/` (not read: ")
            && page.stdout.contains("connection refused"),
        "{}",
        page.stdout
    );
    assert!(page.stderr.contains("connection refused"), "{}", page.stderr);
    let report = json_of(&envlens(dir.path(), &["docs", "--format", "json"], &vars));
    let source = &report["sets"][0]["sources"][0];
    assert_eq!(source["status"], "error");
    assert!(source["error"].as_str().unwrap().contains("connection refused"), "{source}");
}

/// `sets` lists the columns of a set's `[[source]]` tables, `{env}`
/// expanded, in text and JSON, without asking the store (nothing listens
/// at its address); `--offline` leaves them out.
#[test]
fn sets_list_sources_in_text_and_json() {
    let port = stores::free_port();
    let dir = project(DEV, PROD, &ssm_settings("{env}", "/api/{env}/"));
    let address = format!("http://127.0.0.1:{port}");
    let vars = aws(&address);
    let text = envlens(dir.path(), &["sets"], &vars);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert_eq!(
        text.stdout,
        "config  built-in: config_<env> files · merge deep\n  \
         env    dev       config_dev.yaml\n  \
         source dev@ssm   ssm:/api/dev/\n  \
         env    prod      config_prod.yaml\n  \
         source prod@ssm  ssm:/api/prod/\n",
        "each source beside the env it mirrors, as the columns stand"
    );
    let report = json_of(&envlens(dir.path(), &["sets", "--format", "json"], &vars));
    let set = &report["sets"][0];
    assert_eq!(
        set["envs"],
        json!([{"env": "dev", "file": "config_dev.yaml"}, {"env": "prod", "file": "config_prod.yaml"}])
    );
    assert_eq!(
        set["sources"],
        json!([
            {"env": "dev@ssm", "kind": "ssm", "file": "ssm:/api/dev/"},
            {"env": "prod@ssm", "kind": "ssm", "file": "ssm:/api/prod/"}
        ])
    );
    let offline = json_of(&envlens(dir.path(), &["sets", "--format", "json", "--offline"], &vars));
    assert_eq!(offline["sets"][0]["sources"], json!([]));
}
