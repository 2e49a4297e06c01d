//! Sources beyond the working tree (§13) against real stores started on
//! 127.0.0.1 by each test: OpenBao (Vault's API, KV v2 and v1), etcd and
//! moto's SSM. Consul and Spring Cloud Config cannot be installed from any
//! registry here: their tests serve the JSON those servers document from a
//! fake in-test server (`support::stores::fake`) and say so. Each test
//! skips with a printed reason when its server cannot start (`.ci/run`
//! installs them all and forbids skips).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value as J, json};
use support::stores::{self, BAO_TOKEN, envlens, json_of, never_leaks, project, ssm_put};

const VAULT_PASSWORD: &str = "fake-vault-pass-4711";
const AWS_SECRET: &str = "fake-aws-secret-key-0042";
const SSM_SECURE: &str = "fake-ssm-secure-9001";

fn cell<'a>(report: &'a J, key: &str, env: &str) -> &'a J {
    let keys = report["sets"][0]["keys"].as_array().unwrap();
    let row =
        keys.iter().find(|k| k["key"] == key).unwrap_or_else(|| panic!("no {key}: {report:#}"));
    &row["values"][env]
}

fn bao_write(port: u16, api: &str, data: &J) {
    let (status, body) = stores::request(
        port,
        "POST",
        &format!("/v1/{api}"),
        &[("X-Vault-Token", BAO_TOKEN), ("Content-Type", "application/json")],
        data.to_string().as_bytes(),
    )
    .unwrap();
    assert!(status < 300, "{api}: {status} {body}");
}

fn vault_settings(address: &str) -> String {
    format!(
        "[[source]]\nset = \"config\"\nkind = \"vault\"\nenv = \"prod\"\npath = \"secret/api/prod/\"\naddress = \"{address}\"\n"
    )
}

/// `prod@vault` beside `prod`: every value masked (secret by its store)
/// until `--reveal`, no line, the source named; `store-drift` for the key
/// planted different; edits of the column refused; the token never shown.
#[test]
fn openbao_kv2_is_a_masked_read_only_column_with_store_drift() {
    let Some(bao) = stores::openbao() else { return };
    bao_write(
        bao.port,
        "secret/data/api/prod/db",
        &json!({"data": {"host": "db.prod.internal", "password": VAULT_PASSWORD, "port": 5432}}),
    );
    bao_write(bao.port, "secret/data/api/prod/features", &json!({"data": {"checkout": true}}));
    let dir = project(
        "db:\n  host: db.dev.internal\n  port: 5432\nfeatures:\n  checkout: true\n",
        "db:\n  host: db.prod.old\n  port: 5432\nfeatures:\n  checkout: true\n",
        &vault_settings(&bao.address),
    );
    let token = [("VAULT_TOKEN", BAO_TOKEN)];
    let run = envlens(dir.path(), &["diff", "--all", "--format", "json"], &token);
    never_leaks(&run, &[VAULT_PASSWORD, BAO_TOKEN]);
    let report = json_of(&run);
    let set = &report["sets"][0];
    assert_eq!(set["envs"], json!(["dev", "prod", "prod@vault"]), "{report:#}");
    assert_eq!(set["files"]["prod@vault"], "vault:secret/api/prod/");
    assert_eq!(set["sources"][0]["status"], "loaded");
    assert_eq!(set["sources"][0]["keys"], 4);
    let host = cell(&report, "db.host", "prod@vault");
    assert_eq!(host["value"], "••••••••", "every Vault value is a secret");
    assert_eq!(host["secret"], true);
    assert_eq!(host["line"], J::Null);
    assert_eq!(host["source"], "vault:secret/api/prod/");
    assert_eq!(
        cell(&report, "db.port", "prod@vault")["type"],
        "int",
        "Vault fields keep their JSON types"
    );
    assert_eq!(cell(&report, "db.password", "prod"), &J::Null);

    let revealed = envlens(dir.path(), &["diff", "--all", "--format", "json", "--reveal"], &token);
    assert_eq!(cell(&json_of(&revealed), "db.password", "prod@vault")["value"], VAULT_PASSWORD);

    let check = envlens(dir.path(), &["check", "--format", "json"], &token);
    never_leaks(&check, &[VAULT_PASSWORD, BAO_TOKEN, "db.prod.internal"]);
    let findings = json_of(&check)["findings"].as_array().unwrap().clone();
    let drift: Vec<_> = findings.iter().filter(|f| f["rule"] == "store-drift").collect();
    let mut keys: Vec<&str> = drift.iter().map(|f| f["key"].as_str().unwrap()).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["db.host", "db.password"], "{findings:#?}");
    let host = drift.iter().find(|f| f["key"] == "db.host").unwrap();
    assert_eq!(host["envs"], json!(["prod", "prod@vault"]));
    assert_eq!(host["file"], "config_prod.yaml");
    assert_eq!(host["line"], 2);
    assert!(findings.iter().all(|f| f["rule"] != "plaintext-secret"), "{findings:#?}");
    assert!(
        findings.iter().all(|f| f["rule"] != "drift" || !f["envs"].to_string().contains('@')),
        "{findings:#?}"
    );
    assert_eq!(check.code, 1);

    let set = envlens(dir.path(), &["set", "db.host", "x", "--env", "prod@vault"], &token);
    assert_eq!(set.code, 1, "{}", set.stderr);
    assert!(set.stderr.contains("never writes to a store"), "{}", set.stderr);
}

/// A KV v1 mount (the mount's options say so) reads the same way.
#[test]
fn openbao_kv1_mount_is_read_by_its_version() {
    let Some(bao) = stores::openbao() else { return };
    bao_write(bao.port, "sys/mounts/kv1", &json!({"type": "kv", "options": {"version": "1"}}));
    bao_write(bao.port, "kv1/app/prod/db", &json!({"host": "db.prod.internal"}));
    let settings = format!(
        "[[source]]\nset = \"config\"\nkind = \"vault\"\nenv = \"prod\"\npath = \"kv1/app/prod/\"\naddress = \"{}\"\n",
        bao.address
    );
    let dir = project("db:\n  host: a\n", "db:\n  host: db.prod.internal\n", &settings);
    let run = envlens(
        dir.path(),
        &["diff", "--all", "--format", "json", "--reveal"],
        &[("BAO_TOKEN", BAO_TOKEN)],
    );
    assert_eq!(
        cell(&json_of(&run), "db.host", "prod@vault")["value"],
        "db.prod.internal",
        "{}",
        run.stderr
    );
}

/// More secrets than one list page (OpenBao's `after`/`limit`).
#[test]
fn openbao_lists_more_than_one_page() {
    let Some(bao) = stores::openbao() else { return };
    for i in 0..620 {
        bao_write(bao.port, &format!("secret/data/big/s{i:04}"), &json!({"data": {"v": i}}));
    }
    let settings = format!(
        "[[source]]\nset = \"config\"\nkind = \"vault\"\nenv = \"prod\"\npath = \"secret/big/\"\naddress = \"{}\"\n",
        bao.address
    );
    let dir = project("a: 1\n", "a: 1\n", &settings);
    let run = envlens(dir.path(), &["diff", "--format", "json"], &[("VAULT_TOKEN", BAO_TOKEN)]);
    assert_eq!(json_of(&run)["sets"][0]["sources"][0]["keys"], 620, "{}", run.stderr);
}

/// A wrong token: `source-error` naming the source and the variable, not
/// its value; the files' envs and every other rule are still there.
#[test]
fn a_refused_token_is_a_source_error_and_the_files_still_show() {
    let Some(bao) = stores::openbao() else { return };
    let dir = project("a: 1\nb: x\n", "a: 2\nb: x\n", &vault_settings(&bao.address));
    let wrong = "fake-wrong-token-777";
    let check = envlens(dir.path(), &["check", "--format", "json"], &[("VAULT_TOKEN", wrong)]);
    never_leaks(&check, &[wrong]);
    let findings = json_of(&check)["findings"].as_array().unwrap().clone();
    let error = findings.iter().find(|f| f["rule"] == "source-error").expect("a source-error");
    assert_eq!(error["env"], "prod@vault");
    assert!(error["message"].as_str().unwrap().contains("VAULT_TOKEN"), "{error}");
    assert!(
        findings.iter().any(|f| f["rule"] == "drift" && f["key"] == "a"),
        "the other rules still run"
    );
    let diff = envlens(dir.path(), &["diff", "--format", "json"], &[("VAULT_TOKEN", wrong)]);
    never_leaks(&diff, &[wrong]);
    let report = json_of(&diff);
    assert_eq!(report["sets"][0]["sources"][0]["status"], "error");
    assert_eq!(cell(&report, "a", "dev")["value"], 1);
}

/// Nothing listening: an error of the column within the connect timeout,
/// never a hang; `--offline` leaves the source out.
#[test]
fn an_unreachable_store_never_hides_the_files() {
    let port = stores::free_port();
    let dir = project("a: 1\n", "a: 2\n", &vault_settings(&format!("http://127.0.0.1:{port}")));
    let started = std::time::Instant::now();
    let run = envlens(dir.path(), &["diff", "--format", "json"], &[("VAULT_TOKEN", "t")]);
    assert!(started.elapsed().as_secs() < 10);
    assert_eq!(run.code, 2, "a column that failed to load is an error of diff");
    let report = json_of(&run);
    assert_eq!(report["sets"][0]["envs"], json!(["dev", "prod", "prod@vault"]));
    assert_eq!(cell(&report, "a", "prod")["value"], 2);
    assert!(
        report["sets"][0]["sources"][0]["error"].as_str().unwrap().contains("connection refused")
    );
    let offline = envlens(dir.path(), &["diff", "--format", "json", "--offline"], &[]);
    assert_eq!(offline.code, 1, "{}", offline.stderr);
    assert_eq!(json_of(&offline)["sets"][0]["envs"], json!(["dev", "prod"]));
}

fn etcd_put(port: u16, key: &str, value: &str) {
    let body = json!({"key": B64.encode(key), "value": B64.encode(value)}).to_string();
    let (status, text) = stores::request(port, "POST", "/v3/kv/put", &[], body.as_bytes()).unwrap();
    assert_eq!(status, 200, "{text}");
}

/// etcd: keys below the prefix split at `/`, `{env}` expanded for every
/// env of the set, more keys than one page (1,000) read at one revision.
#[test]
fn etcd_prefix_per_env_and_pages() {
    let Some(etcd) = stores::etcd() else { return };
    etcd_put(etcd.port, "/api/dev/db/host", "db.dev.internal");
    etcd_put(etcd.port, "/api/prod/db/host", "db.prod.internal");
    for i in 0..2100 {
        etcd_put(etcd.port, &format!("/api/prod/bulk/k{i:05}"), "v");
    }
    etcd_put(etcd.port, "/api/prodx/other", "not below the prefix");
    let settings =
        "[[source]]\nset = \"config\"\nkind = \"etcd\"\nenv = \"{env}\"\npath = \"/api/{env}/\"\n";
    let dir =
        project("db:\n  host: db.dev.internal\n", "db:\n  host: db.prod.internal\n", settings);
    let run = envlens(
        dir.path(),
        &["diff", "--all", "--format", "json"],
        &[("ETCD_ENDPOINTS", &etcd.address)],
    );
    let report = json_of(&run);
    let set = &report["sets"][0];
    assert_eq!(set["envs"], json!(["dev", "dev@etcd", "prod", "prod@etcd"]), "{}", run.stderr);
    assert_eq!(set["sources"][1]["keys"], 2101);
    assert_eq!(cell(&report, "db.host", "prod@etcd")["value"], "db.prod.internal");
    assert_eq!(cell(&report, "db.host", "prod@etcd")["secret"], false);
    let check =
        envlens(dir.path(), &["check", "--format", "json"], &[("ETCD_ENDPOINTS", &etcd.address)]);
    let findings = json_of(&check)["findings"].as_array().unwrap().clone();
    let drift = findings.iter().filter(|f| f["rule"] == "store-drift").count();
    assert_eq!(drift, 2100, "the bulk keys are only in prod@etcd; db.host agrees");
}

/// SSM through moto: signed requests, `NextToken` pages (25 parameters,
/// 10 a page), a SecureString encrypted until `--reveal` asks SSM to
/// decrypt it, and the AWS secret key never printed.
#[test]
fn ssm_pages_secure_strings_and_reveal() {
    let Some(moto) = stores::moto() else { return };
    for i in 0..24 {
        ssm_put(moto.port, &format!("/api/prod/flags/f{i:02}"), "on", "String");
    }
    ssm_put(moto.port, "/api/prod/db/password", SSM_SECURE, "SecureString");
    let settings =
        "[[source]]\nset = \"config\"\nkind = \"ssm\"\nenv = \"prod\"\npath = \"/api/prod/\"\n";
    let dir =
        project("db:\n  password: ${DB_PASSWORD}\n", "db:\n  password: ${DB_PASSWORD}\n", settings);
    let vars = [
        ("AWS_ENDPOINT_URL", moto.address.as_str()),
        ("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE0000"),
        ("AWS_SECRET_ACCESS_KEY", AWS_SECRET),
        ("AWS_REGION", "us-east-1"),
    ];
    let run = envlens(dir.path(), &["diff", "--all", "--format", "json"], &vars);
    never_leaks(&run, &[AWS_SECRET, SSM_SECURE]);
    let report = json_of(&run);
    assert_eq!(report["sets"][0]["sources"][0]["keys"], 25, "{}", run.stderr);
    let secure = cell(&report, "db.password", "prod@ssm");
    assert_eq!(secure["value"], "[encrypted]");
    assert_eq!(secure["encrypted"], true);
    assert_eq!(cell(&report, "flags.f07", "prod@ssm")["value"], "on");
    let revealed = envlens(dir.path(), &["diff", "--all", "--format", "json", "--reveal"], &vars);
    never_leaks(&revealed, &[AWS_SECRET]);
    let secure = &cell(&json_of(&revealed), "db.password", "prod@ssm").clone();
    assert_eq!(secure["value"], SSM_SECURE);
    assert_eq!(secure["secret"], true);
}

/// `unresolved-reference`: an `ssm:` reference whose parameter the
/// declared source lacks, and none for one it has.
#[test]
fn ssm_references_are_checked_for_existence() {
    let Some(moto) = stores::moto() else { return };
    ssm_put(moto.port, "/shared/db/password", "x", "SecureString");
    let settings =
        "[[source]]\nset = \"store\"\nkind = \"ssm\"\nenv = \"prod\"\npath = \"/shared/\"\n";
    let dir = project(
        "db:\n  password: ssm:/shared/db/password\n",
        "db:\n  password: ssm:/shared/db/pasword\n",
        settings,
    );
    let vars = [
        ("AWS_ENDPOINT_URL", moto.address.as_str()),
        ("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE0000"),
        ("AWS_SECRET_ACCESS_KEY", AWS_SECRET),
        ("AWS_REGION", "us-east-1"),
    ];
    let check = envlens(dir.path(), &["check", "--format", "json"], &vars);
    let findings = json_of(&check)["findings"].as_array().unwrap().clone();
    let unresolved: Vec<_> =
        findings.iter().filter(|f| f["rule"] == "unresolved-reference").collect();
    assert_eq!(unresolved.len(), 1, "{findings:#?}");
    assert_eq!(unresolved[0]["env"], "prod");
    assert_eq!(unresolved[0]["severity"], "warning");
}

/// Consul (a fake serving Consul's documented KV JSON: no Consul server
/// can be installed here): base64 values, folders with a null value, and
/// the 404 Consul answers for a prefix with no key is an empty column.
#[test]
fn consul_fake_base64_values_and_404_on_empty() {
    fn answer(_: &str, path: &str) -> (u16, String) {
        if path.starts_with("/v1/kv/api/prod/") {
            let body = json!([
                {"Key": "api/prod/", "Value": null},
                {"Key": "api/prod/db/host", "Value": B64.encode("db.prod.internal")},
                {"Key": "api/prod/db/port", "Value": B64.encode("5432")},
            ]);
            (200, body.to_string())
        } else {
            (404, String::new())
        }
    }
    let address = stores::fake(answer);
    let settings = format!(
        "[[source]]\nset = \"config\"\nkind = \"consul\"\nenv = \"{{env}}\"\npath = \"api/{{env}}/\"\naddress = \"{address}\"\n"
    );
    let dir = project(
        "db:\n  host: db.dev\n",
        "db:\n  host: db.prod.internal\n  port: \"5432\"\n",
        &settings,
    );
    let run = envlens(dir.path(), &["diff", "--all", "--format", "json"], &[]);
    let report = json_of(&run);
    let sources = &report["sets"][0]["sources"];
    assert_eq!(sources[0]["env"], "dev@consul");
    assert_eq!(sources[0]["keys"], 0, "404 on an empty prefix: {}", run.stderr);
    assert_eq!(sources[0]["status"], "loaded");
    assert_eq!(sources[1]["keys"], 2);
    assert_eq!(cell(&report, "db.port", "prod@consul")["value"], "5432");
    assert_eq!(cell(&report, "db.port", "prod@consul")["type"], "string");
}

/// Spring Cloud Config (a fake serving the Config Server's documented
/// `/{application}/{profile}` JSON: none can be installed here): the first
/// property source wins, JSON types kept, `{cipher}` values encrypted.
#[test]
fn spring_fake_precedence_types_and_cipher() {
    fn answer(_: &str, path: &str) -> (u16, String) {
        if path != "/api/prod" {
            return (404, String::new());
        }
        let body = json!({
            "name": "api", "profiles": ["prod"], "label": null,
            "propertySources": [
                {"name": "git:api-prod.yml", "source": {"server.port": 8443, "db.password": "{cipher}AQB9f00d"}},
                {"name": "git:api.yml", "source": {"server.port": 8080, "hosts[0]": "a.internal", "debug": false}}
            ]
        });
        (200, body.to_string())
    }
    let address = stores::fake(answer);
    let settings = format!(
        "[[source]]\nset = \"config\"\nkind = \"spring\"\nenv = \"prod\"\npath = \"api/prod\"\naddress = \"{address}\"\n"
    );
    let dir = project("server:\n  port: 8080\n", "server:\n  port: 8443\n", &settings);
    let run = envlens(dir.path(), &["diff", "--all", "--format", "json"], &[]);
    let report = json_of(&run);
    assert_eq!(cell(&report, "server.port", "prod@spring")["value"], 8443, "{}", run.stderr);
    assert_eq!(cell(&report, "hosts[0]", "prod@spring")["value"], "a.internal");
    assert_eq!(cell(&report, "debug", "prod@spring")["type"], "bool");
    assert_eq!(cell(&report, "db.password", "prod@spring")["encrypted"], true);
}

/// A broken `[[source]]` is an error naming the file, line and key.
#[test]
fn a_bad_source_table_names_its_line() {
    let dir = project("a: 1\n", "a: 1\n", "[[source]]\nset = \"config\"\nkind = \"zookeeper\"\n");
    let run = envlens(dir.path(), &["diff"], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains(".envlens.toml:3"), "{}", run.stderr);
    assert!(run.stderr.contains("hint: the kinds are etcd"), "{}", run.stderr);
}

/// `sample-stores/` as its README section tells a new user to try it:
/// OpenBao seeded from `seed.json` as `start-openbao.sh` does (every field
/// a string, as the CLI writes them), then `envlens check` reports the one
/// planted store drift and `envlens diff` masks every `prod@vault` value.
#[test]
fn sample_stores_reports_its_planted_store_drift() {
    let Some(bao) = stores::openbao() else { return };
    let sample = support::repo("sample-stores");
    let seed: J =
        serde_json::from_str(&std::fs::read_to_string(sample.join("seed.json")).unwrap()).unwrap();
    for (name, fields) in seed.as_object().unwrap() {
        let strings: serde_json::Map<String, J> = fields
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                (k.clone(), J::String(v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            })
            .collect();
        bao_write(bao.port, &format!("secret/data/api/prod/{name}"), &json!({"data": strings}));
    }
    let vars = [("VAULT_ADDR", bao.address.as_str()), ("VAULT_TOKEN", BAO_TOKEN)];
    let check = envlens(&sample, &["check", "--format", "json"], &vars);
    never_leaks(&check, &["fake-prod-db-pass-not-real", BAO_TOKEN]);
    let findings = json_of(&check)["findings"].as_array().unwrap().clone();
    let store: Vec<&J> = findings.iter().filter(|f| f["rule"] == "store-drift").collect();
    assert_eq!(store.len(), 1, "{findings:#?}");
    assert_eq!(store[0]["key"], "payments.timeout_ms");
    assert_eq!(store[0]["file"], "config_prod.yaml");
    assert!(
        findings.iter().all(|f| f["rule"] != "unresolved-reference" && f["rule"] != "source-error")
    );
    assert_eq!(check.code, 1);
    let diff = envlens(&sample, &["diff", "--all", "--format", "json"], &vars);
    never_leaks(&diff, &["fake-prod-db-pass-not-real"]);
    let report = json_of(&diff);
    assert_eq!(report["sets"][0]["envs"], json!(["dev", "prod", "prod@vault"]));
    for row in report["sets"][0]["keys"].as_array().unwrap() {
        assert_eq!(row["values"]["prod@vault"]["value"], "••••••••", "{row}");
    }
}
