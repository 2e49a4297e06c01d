//! Lists by identity and manifests (§12) on fixtures of real shapes under
//! tests/fixtures/identity/: a Deployment whose containers and env lists
//! differ in order and in one item, a Service only prod has, a Secret with
//! `data` and `stringData`, a `ConfigMap` holding `app.yaml`, and a compose
//! pair with list-form and map-form `environment`. Each is asserted key by
//! key.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use envlens::core::discover::DiscoverOptions;
use envlens::core::leaf::{Origin, Value};
use envlens::core::project::{LoadedSet, Project};

fn load(name: &str) -> Project {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/identity").join(name);
    Project::load(&root, &DiscoverOptions::default())
}

/// `mark key` of every row, in row order.
fn rows(set: &LoadedSet) -> Vec<String> {
    let all: Vec<usize> = (0..set.envs.len()).collect();
    set.rows(&all).iter().map(|r| format!("{} {}", r.status.mark(), r.key)).collect()
}

/// The value of `key` in `env`, after the base.
fn value(set: &LoadedSet, env: &str, key: &str) -> Option<Value> {
    let at = set.env_names().iter().position(|e| *e == env).expect("env");
    let id = set.key(key)?;
    set.effective(&[at])[0].iter().find(|e| e.leaf.key == id).map(|e| e.leaf.value.clone())
}

fn text(s: &str) -> Value {
    Value::String(s.into())
}

#[test]
fn manifests_are_keyed_by_kind_name_and_lists_by_identity() {
    let project = load("k8s");
    let set = &project.sets[0];
    let deploy = "Deployment/storefront.spec.template.spec";
    let want = [
        "= Deployment/storefront.apiVersion",
        "= Deployment/storefront.kind",
        "= Deployment/storefront.metadata.name",
        "= Deployment/storefront.metadata.namespace",
        "≠ Deployment/storefront.spec.replicas",
        &format!("= {deploy}.containers[name=web].name"),
        &format!("= {deploy}.containers[name=web].image"),
        &format!("= {deploy}.containers[name=web].ports[containerPort=8080].containerPort"),
        &format!("= {deploy}.containers[name=web].ports[containerPort=8080].name"),
        &format!("= {deploy}.containers[name=web].env[name=LOG_LEVEL].name"),
        &format!("≠ {deploy}.containers[name=web].env[name=LOG_LEVEL].value"),
        &format!("= {deploy}.containers[name=web].env[name=DB_HOST].name"),
        &format!("≠ {deploy}.containers[name=web].env[name=DB_HOST].value"),
        &format!("= {deploy}.containers[name=sidecar].name"),
        &format!("= {deploy}.containers[name=sidecar].image"),
        "= Secret/db-creds.apiVersion",
        "= Secret/db-creds.kind",
        "≠ Secret/db-creds.metadata.name",
        "= Secret/db-creds.type",
        "≠ Secret/db-creds.data.DB_PASSWORD",
        "∅ Secret/db-creds.data.BLOB",
        "∅ Secret/db-creds.data.BROKEN",
        "= ConfigMap/app-config.apiVersion",
        "= ConfigMap/app-config.kind",
        "= ConfigMap/app-config.metadata.name",
        "= ConfigMap/app-config.data.LOG_FORMAT",
        "= ConfigMap/app-config.data.\"app.yaml\".server.port",
        "≠ ConfigMap/app-config.data.\"app.yaml\".server.workers",
        "= Secret/db-creds.data.DB_USER",
        "∅ Service/storefront.apiVersion",
        "∅ Service/storefront.kind",
        "∅ Service/storefront.metadata.name",
        "∅ Service/storefront.spec.ports[0].port",
        "∅ Service/storefront.spec.ports[0].targetPort",
        &format!("∅ {deploy}.containers[name=web].env[name=NEW_FLAG].name"),
        &format!("∅ {deploy}.containers[name=web].env[name=NEW_FLAG].value"),
    ];
    assert_eq!(rows(set), want);
    // The inserted env var changed exactly its own rows: the values of
    // LOG_LEVEL are compared with LOG_LEVEL's.
    let log_level = format!("{deploy}.containers[name=web].env[name=LOG_LEVEL].value");
    assert_eq!(value(set, "staging", &log_level), Some(text("info")));
    assert_eq!(value(set, "prod", &log_level), Some(text("warn")));
    // The order of containers and env items differs, and is noted.
    assert!(
        set.lists.reordered.iter().any(|l| l.ends_with("spec.containers")),
        "{:?}",
        set.lists.reordered
    );
}

#[test]
fn cluster_noise_is_left_out() {
    let project = load("k8s");
    let set = &project.sets[0];
    let keys = rows(set).join("\n");
    for noise in ["uid", "resourceVersion", "creationTimestamp", "status", "readyReplicas"] {
        assert!(!keys.contains(noise), "{noise} in\n{keys}");
    }
}

#[test]
fn secret_data_is_decoded_with_string_data_over_it_and_always_secret() {
    let project = load("k8s");
    let set = &project.sets[0];
    assert_eq!(
        value(set, "staging", "Secret/db-creds.data.DB_PASSWORD"),
        Some(text("LEAKk8sStagingPw81"))
    );
    assert_eq!(
        value(set, "prod", "Secret/db-creds.data.DB_PASSWORD"),
        Some(text("LEAKk8sProdPw82"))
    );
    // prod's data says "other", its stringData "LEAKk8sUser83": stringData wins.
    assert_eq!(value(set, "prod", "Secret/db-creds.data.DB_USER"), Some(text("LEAKk8sUser83")));
    assert_eq!(value(set, "staging", "Secret/db-creds.data.DB_USER"), Some(text("LEAKk8sUser83")));
    let blob = value(set, "staging", "Secret/db-creds.data.BLOB").unwrap();
    assert_eq!(blob, Value::Bytes(vec![0, 1, 2, 255].into_boxed_slice()));
    assert_eq!(blob.display_text(), "<4 bytes>");
    for key in [
        "Secret/db-creds.data.DB_USER",
        "Secret/db-creds.data.BLOB",
        "Secret/db-creds.data.DB_PASSWORD",
    ] {
        let secret = set.secret_of(key, &Value::String("plain".into()));
        assert!(secret.is_some(), "{key} is a Secret's value");
    }
    assert!(set.secret_of("Secret/db-creds.type", &Value::String("Opaque".into())).is_none());
    assert!(set.secret_of("SealedSecret/x.data.y", &Value::String("v".into())).is_none());
    // Invalid base64 is an error of that key, located; the key stays.
    let errors: Vec<String> = set.key_errors().map(|(env, e)| format!("{env} {e}")).collect();
    assert_eq!(
        errors,
        [
            "staging config_staging.yaml:37:11: `Secret/db-creds.data.BROKEN` is not valid base64; compared as written"
        ]
    );
    assert!(set.file_errors().next().is_none());
    let decoded = &set.envs[0]
        .leaves
        .iter()
        .find(|l| set.path(l) == "Secret/db-creds.data.DB_PASSWORD")
        .unwrap();
    assert_eq!(decoded.origin, Origin::Base64);
}

#[test]
fn config_map_files_are_read_into_keys() {
    let project = load("k8s");
    let set = &project.sets[0];
    let workers = "ConfigMap/app-config.data.\"app.yaml\".server.workers";
    assert_eq!(value(set, "staging", workers), Some(Value::Int(4)));
    assert_eq!(value(set, "prod", workers), Some(Value::Int(16)));
    assert_eq!(value(set, "staging", "ConfigMap/app-config.data.LOG_FORMAT"), Some(text("json")));
}

#[test]
fn compose_environment_compares_equal_across_list_and_map_forms() {
    let project = load("compose");
    let set = &project.sets[0];
    let want = [
        "= services.api.image",
        "= services.api.environment.WORKERS",
        "≠ services.api.environment.LOG_LEVEL",
        "= services.api.environment.DATABASE_URL",
        "= services.api.labels.\"traefik.enable\"",
        "= services.api.ports[target=8080].target",
        "= services.api.ports[target=8080].published",
        "∅ services.api.environment.SENTRY_DSN",
    ];
    assert_eq!(rows(set), want);
    // `WORKERS: 4` in prod's map equals `- WORKERS=4` of the base list.
    assert_eq!(value(set, "prod", "services.api.environment.WORKERS"), Some(text("4")));
    assert_eq!(value(set, "staging", "services.api.environment.WORKERS"), Some(text("4")));
    assert_eq!(value(set, "staging", "services.api.environment.LOG_LEVEL"), Some(text("debug")));
    assert_eq!(value(set, "prod", "services.api.environment.LOG_LEVEL"), Some(text("warn")));
    // A secret-named variable is masked by its own name now.
    let dsn = value(set, "prod", "services.api.environment.SENTRY_DSN").unwrap();
    assert!(set.secret_of("services.api.environment.SENTRY_DSN", &dsn).is_some());
}

mod support;

const BIN: &str = env!("CARGO_BIN_EXE_envlens");

/// A copy of one fixture folder, to edit.
fn copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/identity").join(name);
    support::copy_dir(&from, dir.path());
    dir
}

fn set(dir: &std::path::Path, key: &str, value: &str, env: &str) -> std::process::Output {
    std::process::Command::new(BIN)
        .args(["set", key, value, "--env", env])
        .current_dir(dir)
        .env("ENVLENS_CONFIG", "/dev/null")
        .output()
        .unwrap()
}

fn read(dir: &std::path::Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

#[test]
fn an_edit_through_an_identity_key_writes_that_item_wherever_it_is() {
    let dir = copy("k8s");
    let before = read(dir.path(), "config_prod.yaml");
    // In prod, LOG_LEVEL is the third env item and web the second container.
    let key =
        "Deployment/storefront.spec.template.spec.containers[name=web].env[name=LOG_LEVEL].value";
    let out = set(dir.path(), key, "debug", "prod");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = read(dir.path(), "config_prod.yaml");
    assert_eq!(
        after,
        before.replace("              value: warn\n", "              value: debug\n")
    );
}

#[test]
fn a_decoded_secret_value_is_written_back_base64_encoded() {
    let dir = copy("k8s");
    let before = read(dir.path(), "config_prod.yaml");
    let out = set(dir.path(), "Secret/db-creds.data.DB_PASSWORD", "LEAKnewFakePw", "prod");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("LEAK"));
    let after = read(dir.path(), "config_prod.yaml");
    // base64 of "LEAKnewFakePw"
    assert_eq!(after, before.replace("TEVBS2s4c1Byb2RQdzgy", "TEVBS25ld0Zha2VQdw=="));
    let project = Project::load(dir.path(), &DiscoverOptions::default());
    assert_eq!(
        value(&project.sets[0], "prod", "Secret/db-creds.data.DB_PASSWORD"),
        Some(text("LEAKnewFakePw"))
    );
}

#[test]
fn a_key_inside_a_config_map_file_is_refused_with_its_reason() {
    let dir = copy("k8s");
    let before = read(dir.path(), "config_prod.yaml");
    let out = set(dir.path(), "ConfigMap/app-config.data.\"app.yaml\".server.workers", "8", "prod");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("inside a string value of config_prod.yaml:52"), "{stderr}");
    assert_eq!(read(dir.path(), "config_prod.yaml"), before);
}

#[test]
fn a_list_form_compose_variable_is_written_as_its_item() {
    let dir = copy("compose");
    let out = set(dir.path(), "services.api.environment.LOG_LEVEL", "trace", "staging");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        read(dir.path(), "compose.staging.yaml"),
        "services:\n  api:\n    environment:\n      - LOG_LEVEL=trace\n"
    );
    let out = set(dir.path(), "services.api.environment.LOG_LEVEL", "error", "prod");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(read(dir.path(), "compose.prod.yaml").contains("      LOG_LEVEL: error\n"));
}
