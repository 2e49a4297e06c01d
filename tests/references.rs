//! References resolved (§14): `diff --resolve` reads `${VAR}` from the
//! env's dotenv layers (the file's folder first, then its parents), then
//! the inline default; statuses follow the resolved values and JSON cells
//! carry `resolved`; `check` reports `unresolved-reference`, an error with
//! `--env-from-process`, which also reads the process environment and
//! prints variable names only. Compose sets interpolate as compose does.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use std::path::Path;
use std::process::Command;

use serde_json::Value as J;

const BIN: &str = env!("CARGO_BIN_EXE_envlens");

/// The fixture's secrets: none may be printed without `--reveal`.
const SECRETS: &[&str] = &["LEAKref", "sk_live_"];

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn envlens(fixture: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture);
    let out = Command::new(BIN)
        .args(args)
        .arg(&root)
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn clean(run: &Run) {
    for secret in SECRETS {
        assert!(!run.stdout.contains(secret), "{secret} printed:\n{}", run.stdout);
        assert!(!run.stderr.contains(secret), "{secret} printed:\n{}", run.stderr);
    }
}

/// The `values` of `key` in the only set named `set`.
fn cells(report: &J, set: &str, key: &str) -> J {
    let set = report["sets"].as_array().unwrap().iter().find(|s| s["name"] == set).unwrap();
    let row = set["keys"].as_array().unwrap().iter().find(|k| k["key"] == key);
    row.unwrap_or_else(|| panic!("no key {key} in {set}"))["values"].clone()
}

fn status(report: &J, set: &str, key: &str) -> String {
    let set = report["sets"].as_array().unwrap().iter().find(|s| s["name"] == set).unwrap();
    let row = set["keys"].as_array().unwrap().iter().find(|k| k["key"] == key).unwrap();
    row["status"].as_str().unwrap().to_owned()
}

fn resolved_json(fixture: &str, extra: &[&str]) -> J {
    let mut args = vec!["diff", "--resolve", "--all", "--format", "json"];
    args.extend(extra);
    let run = envlens(fixture, &args, &[]);
    clean(&run);
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn from_a_parent_folder_and_shadowed_by_a_nearer_one() {
    let report = resolved_json("references", &[]);
    let region = cells(&report, "services/api/config", "region");
    // dev: services/api/.env.dev has no REGION, the root's .env.dev does.
    assert_eq!(region["dev"]["value"], "${REGION}");
    assert_eq!(region["dev"]["resolved"]["value"], "eu-central-1");
    assert_eq!(region["dev"]["resolved"]["from"], ".env.dev:1");
    // prod: services/api/.env.prod sets it, nearer than the root's.
    assert_eq!(region["prod"]["resolved"]["value"], "us-east-1");
    assert_eq!(region["prod"]["resolved"]["from"], "services/api/.env.prod:3");
    // Written alike, resolved apart: the status follows the resolved values.
    assert_eq!(status(&report, "services/api/config", "region"), "differs");
    let plain = envlens("references", &["diff", "--all", "--format", "json"], &[]);
    let plain: J = serde_json::from_str(&plain.stdout).unwrap();
    assert_eq!(status(&plain, "services/api/config", "region"), "same");
    assert!(cells(&plain, "services/api/config", "region")["dev"].get("resolved").is_none());
}

#[test]
fn through_a_default_and_unresolved() {
    let report = resolved_json("references", &[]);
    let timeout = cells(&report, "services/api/config", "upstream.timeout");
    assert_eq!(timeout["prod"]["resolved"], serde_json::json!({"value": "30", "from": "default"}));
    let tracing = cells(&report, "services/api/config", "tracing");
    assert_eq!(tracing["dev"]["value"], "${OTEL_ENDPOINT}");
    assert_eq!(tracing["dev"]["resolved"], J::Null);
    // A cell without a reference gets no `resolved`.
    let log = cells(&report, "services/api/.env", "LOG_FORMAT");
    assert!(log["dev"].get("resolved").is_none());
}

#[test]
fn secrets_reached_through_a_reference_are_masked() {
    let report = resolved_json("references", &[]);
    // `processor` is no secret name; the variable PAYMENT_KEY's value is.
    let payment = cells(&report, "services/api/config", "payment.processor");
    assert_eq!(payment["prod"]["resolved"]["value"], "••••••••");
    assert_eq!(payment["prod"]["resolved"]["from"], ".env.prod:2");
    // `auth` is a secret name: its resolved value is masked too.
    let auth = cells(&report, "services/api/config", "upstream.auth");
    assert_eq!(auth["dev"]["resolved"]["value"], "••••••••");
    // Resolved secrets still compare by their real values.
    assert_eq!(status(&report, "services/api/config", "upstream.auth"), "differs");
    let table =
        envlens("references", &["diff", "--resolve", "--all", "--set", "services/api/config"], &[]);
    clean(&table);
    assert!(table.stdout.contains("${PAYMENT_KEY} → ••••••••"), "{}", table.stdout);
    assert!(table.stdout.contains("${OTEL_ENDPOINT} → (unresolved)"), "{}", table.stdout);
    let revealed =
        envlens("references", &["diff", "--resolve", "--reveal", "--format", "json"], &[]);
    let revealed: J = serde_json::from_str(&revealed.stdout).unwrap();
    let payment = cells(&revealed, "services/api/config", "payment.processor");
    assert_eq!(payment["prod"]["resolved"]["value"], "sk_live_LEAKrefProdStripe83");
}

fn findings(fixture: &str, extra: &[&str], env: &[(&str, &str)]) -> (i32, Vec<J>) {
    let mut args = vec!["check", "--format", "json"];
    args.extend(extra);
    let run = envlens(fixture, &args, env);
    clean(&run);
    let report: J = serde_json::from_str(&run.stdout).unwrap();
    let unresolved = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unresolved-reference")
        .cloned()
        .collect();
    (run.code, unresolved)
}

#[test]
fn check_reports_what_nothing_resolves() {
    let (_, found) = findings("references", &[], &[]);
    let keys: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|f| {
            (
                f["key"].as_str().unwrap(),
                f["env"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(keys, [("tracing", "dev", "warning"), ("tracing", "prod", "warning")]);
    assert_eq!(found[0]["file"], "services/api/config_dev.yaml");
    assert_eq!(found[0]["line"], 7);
    assert!(found[0]["message"].as_str().unwrap().contains("`OTEL_ENDPOINT`"));
}

#[test]
fn env_from_process_for_a_deploy_job() {
    // Unset in the process: every unresolved reference is an error.
    let (code, found) = findings("references", &["--env-from-process"], &[]);
    assert_eq!(code, 1);
    assert!(found.iter().all(|f| f["severity"] == "error"), "{found:?}");
    assert_eq!(found.len(), 2);
    // Set in the process (to a secret): resolved, and never printed.
    let secret = ("OTEL_ENDPOINT", "https://user:LEAKrefProcess85@otel.internal");
    let (_, found) = findings("references", &["--env-from-process"], &[secret]);
    assert!(found.is_empty(), "{found:?}");
    let text = envlens("references", &["check", "--env-from-process"], &[secret]);
    clean(&text);
    assert!(!text.stdout.contains("LEAKrefProcess85"));
    // Without the flag the process environment is not read.
    let (_, found) = findings("references", &[], &[secret]);
    assert_eq!(found.len(), 2);
}

#[test]
fn external_variables_are_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    for env in ["dev", "prod"] {
        std::fs::write(dir.path().join(format!("config_{env}.yaml")), "a: ${CI_TOKEN}\nb: ${X}\n")
            .unwrap();
    }
    std::fs::write(dir.path().join(".envlens.toml"), "[references]\nexternal = [\"CI_*\"]\n")
        .unwrap();
    let out =
        Command::new(BIN).args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    let report: J = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unresolved-reference")
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["b", "b"]);
}

#[test]
fn compose_interpolation_follows_the_compose_specification() {
    let report = resolved_json("references-compose", &[]);
    let set = report["sets"].as_array().unwrap().iter().find(|s| s["name"] != ".env").unwrap();
    let name = set["name"].as_str().unwrap().to_owned();
    let image = cells(&report, &name, "services.web.image");
    assert_eq!(image["prod"]["resolved"]["value"], "shop/web:1.4");
    assert_eq!(image["prod"]["resolved"]["from"], ".env.prod:1");
    assert_eq!(image["dev"]["resolved"]["value"], "shop/web:dev");
    // `$$` is a literal `$` in compose.
    let command = cells(&report, &name, "services.web.command");
    assert_eq!(command["prod"]["resolved"]["value"], "run --tag=1.4-$x");
    // `${DB_HOST?message}`: required; prod has no DB_HOST.
    let db = cells(&report, &name, "services.web.environment.DB");
    assert_eq!(db["dev"]["resolved"]["value"], "db.dev");
    assert_eq!(db["prod"]["resolved"], J::Null);
    let (_, found) = findings("references-compose", &[], &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["env"], "prod");
    assert!(found[0]["message"].as_str().unwrap().contains("DB_HOST must be set"));
}

/// Issue 18's "done when": `envlens diff --resolve sample-project` resolves
/// the serving set's `${SERVING_API_KEY}` from `.env.prod` in prod (and
/// `.env.dev` in dev), masked, so `auth.api_key` differs only resolved;
/// the table is the README's block, byte for byte.
#[test]
fn the_sample_serving_key_resolves_from_env_prod_masked() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(args)
            .current_dir(root)
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .output()
            .unwrap();
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        clean(&run);
        assert!(!run.stdout.contains("dev-serving-key"), "{}", run.stdout);
        run
    };
    let set = ["--set", "services/serving/config"];
    let json = |resolve: bool| {
        let mut args = vec!["diff", "sample-project", "--all", "--format", "json"];
        args.extend(set);
        if resolve {
            args.push("--resolve");
        }
        serde_json::from_str::<J>(&run(&args).stdout).unwrap()
    };
    let plain = json(false);
    assert_eq!(status(&plain, "services/serving/config", "auth.api_key"), "same");
    let resolved = json(true);
    assert_eq!(status(&resolved, "services/serving/config", "auth.api_key"), "differs");
    let values = cells(&resolved, "services/serving/config", "auth.api_key");
    assert_eq!(values["prod"]["value"], "${SERVING_API_KEY}");
    assert_eq!(
        values["prod"]["resolved"],
        serde_json::json!({"value": "••••••••", "from": ".env.prod:12"})
    );
    assert_eq!(values["dev"]["resolved"]["from"], ".env.dev:13");

    let table = run(&["diff", "--resolve", "sample-project", set[0], set[1]]);
    assert_eq!(table.code, 1);
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let command = "$ envlens diff --resolve sample-project --set services/serving/config\n";
    let start = readme.find(command).expect("the README shows the command") + command.len();
    let block = &readme[start..start + readme[start..].find("```").unwrap()];
    assert_eq!(table.stdout, block, "the README's block is what envlens prints");
}
