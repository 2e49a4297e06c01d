//! ML runs as sources (§13): a real MLflow file store written by
//! `mlflow-skinny` (runs as envs `run:<name>`, params typed as YAML 1.2
//! plain scalars, `runs = "latest"`) and a real `dvc.lock` written by
//! `dvc repro` (its params as env `dvc.lock` beside the params file, drift
//! once the file changes). Each skips with the reason when the tool is
//! missing (`.ci/run` installs both).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::{Value as J, json};

fn envlens(dir: &Path, args: &[&str]) -> (i32, J, String) {
    let run = support::run::envlens_in(dir, args);
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run.code, json, run.stderr)
}

fn python_has(module: &str, install: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        support::skip(&format!("python3 cannot import {module} ({install}; .ci/run does)"));
    }
    ok
}

const MLFLOW_SCRIPT: &str = r#"
import os, time, mlflow
mlflow.set_tracking_uri("file:" + os.path.abspath("mlruns"))
for name, lr in [("baseline", 0.1), ("baseline", 0.01), ("wide", 0.05)]:
    with mlflow.start_run(run_name=name):
        mlflow.log_params({"lr": lr, "epochs": 10, "model.depth": 4, "optimizer": "adam", "use_bn": "true"})
    time.sleep(0.02)
"#;

fn mlflow_store(dir: &Path) -> bool {
    if !python_has("mlflow", "pip install mlflow-skinny") {
        return false;
    }
    let run = Command::new("python3")
        .args(["-c", MLFLOW_SCRIPT])
        .current_dir(dir)
        .env("MLFLOW_ALLOW_FILE_STORE", "true")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    true
}

fn values<'a>(report: &'a J, key: &str) -> &'a J {
    let keys = report["sets"][0]["keys"].as_array().unwrap();
    &keys.iter().find(|k| k["key"] == key).unwrap_or_else(|| panic!("no {key}: {report:#}"))["values"]
}

#[test]
fn mlflow_latest_runs_are_envs_with_typed_params() {
    let dir = tempfile::tempdir().unwrap();
    if !mlflow_store(dir.path()) {
        return;
    }
    std::fs::write(dir.path().join("config_dev.yaml"), "lr: 0.01\nepochs: 10\n").unwrap();
    std::fs::write(
        dir.path().join(".envlens.toml"),
        "[[source]]\nset = \"config\"\nkind = \"mlflow\"\npath = \"mlruns\"\nruns = \"latest\"\n",
    )
    .unwrap();
    let (_, report, stderr) = envlens(dir.path(), &["diff", "--all", "--format", "json"]);
    assert_eq!(report["sets"][0]["envs"], json!(["dev", "run:baseline", "run:wide"]), "{stderr}");
    let lr = values(&report, "lr");
    assert_eq!(lr["run:baseline"]["value"], 0.01, "the newest baseline run");
    assert_eq!(lr["run:baseline"]["type"], "float");
    assert_eq!(lr["run:baseline"]["line"], J::Null);
    assert_eq!(values(&report, "epochs")["run:wide"]["type"], "int");
    assert_eq!(values(&report, "use_bn")["run:wide"]["type"], "bool");
    assert_eq!(values(&report, "optimizer")["run:wide"]["value"], "adam");
    assert_eq!(values(&report, "model.depth")["run:wide"]["value"], 4);
}

#[test]
fn mlflow_every_run_names_repeats_by_id() {
    let dir = tempfile::tempdir().unwrap();
    if !mlflow_store(dir.path()) {
        return;
    }
    std::fs::write(dir.path().join("config_dev.yaml"), "lr: 0.01\n").unwrap();
    std::fs::write(
        dir.path().join(".envlens.toml"),
        "[[source]]\nset = \"config\"\nkind = \"mlflow\"\npath = \"mlruns\"\n",
    )
    .unwrap();
    let (_, report, _) = envlens(dir.path(), &["diff", "--all", "--format", "json"]);
    let envs: Vec<String> = report["sets"][0]["envs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(envs.len(), 4, "{envs:?}");
    assert!(envs[1].starts_with("run:baseline:") && envs[2].starts_with("run:baseline:"));
    assert_eq!(envs[3], "run:wide");
    assert_eq!(values(&report, "lr")[&envs[1]]["value"], 0.1, "oldest first");
}

#[test]
fn dvc_lock_params_drift_from_the_params_file() {
    if !support::have("dvc", "--version", "pip install dvc") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let dvc = |args: &[&str]| {
        let out = Command::new("dvc")
            .args(args)
            .current_dir(root)
            .env("DVC_NO_ANALYTICS", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "dvc {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    dvc(&["init", "--no-scm", "-q"]);
    std::fs::write(root.join("params.yaml"), "train:\n  lr: 0.1\n  epochs: 5\n").unwrap();
    std::fs::write(
        root.join("dvc.yaml"),
        "stages:\n  train:\n    cmd: echo trained > model.txt\n    params:\n      - train.lr\n    outs:\n      - model.txt\n",
    )
    .unwrap();
    dvc(&["repro", "-q"]);
    assert!(std::fs::read_to_string(root.join("dvc.lock")).unwrap().contains("train.lr"));
    std::fs::write(root.join(".envlens.toml"), "[[source]]\nkind = \"dvc\"\n").unwrap();
    let (code, findings, stderr) = envlens(root, &["check", "--format", "json"]);
    let drift = |findings: &J| -> Vec<J> {
        findings["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "store-drift")
            .cloned()
            .collect()
    };
    assert!(drift(&findings).is_empty(), "in step after repro: {findings:#} {stderr}");
    assert_eq!(code, 0);
    std::fs::write(root.join("params.yaml"), "train:\n  lr: 0.3\n  epochs: 5\n").unwrap();
    let (code, findings, _) = envlens(root, &["check", "--format", "json"]);
    let found = drift(&findings);
    assert_eq!(found.len(), 1, "{findings:#}");
    assert_eq!(found[0]["key"], "train.lr");
    assert_eq!(found[0]["envs"], json!(["workspace", "dvc.lock"]));
    assert_eq!(found[0]["file"], "params.yaml");
    assert_eq!(code, 1);
}
