//! How Kubernetes documents are named across envs (§12): `Kind/name`, the
//! namespace only when two documents of one env would share that name, and
//! kustomize's generated hash suffixes and env prefixes/suffixes stripped so
//! that the same object matches in every env. Each fixture is written here,
//! so the test reads as the case it checks.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use envlens::core::discover::DiscoverOptions;
use envlens::core::project::Project;

/// `mark key` of every row of the one set that `config_dev.yaml` and
/// `config_prod.yaml` make.
fn rows_of(dev: &str, prod: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config_dev.yaml"), dev).unwrap();
    std::fs::write(dir.path().join("config_prod.yaml"), prod).unwrap();
    let project = Project::load(dir.path(), &DiscoverOptions::default());
    assert_eq!(project.sets.len(), 1, "one set expected");
    let set = &project.sets[0];
    let all: Vec<usize> = (0..set.envs.len()).collect();
    set.rows(&all).iter().map(|r| format!("{} {}", r.status.mark(), r.key)).collect()
}

fn deployment(namespace: &str, name: &str, replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n  replicas: {replicas}\n"
    )
}

fn config_map(name: &str, level: &str) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  LOG_LEVEL: {level}\n"
    )
}

#[test]
fn the_namespace_names_a_document_only_when_two_share_kind_and_name() {
    let env = |replicas: u32| {
        [
            deployment("shop", "web", replicas),
            deployment("admin", "web", 1),
            deployment("shop", "worker", 2),
        ]
        .join("---\n")
    };
    let rows = rows_of(&env(1), &env(3));
    let has = |row: &str| rows.iter().any(|r| r == row);
    assert!(has("≠ Deployment/shop/web.spec.replicas"), "{rows:#?}");
    assert!(has("= Deployment/admin/web.spec.replicas"), "{rows:#?}");
    // A name no other document of the env has stays short.
    assert!(has("= Deployment/worker.spec.replicas"), "{rows:#?}");
    assert!(!rows.iter().any(|r| r.contains("Deployment/shop/worker")), "{rows:#?}");
    // Never by position.
    assert!(!rows.iter().any(|r| r.contains("[0]") || r.contains("[1]")), "{rows:#?}");
}

#[test]
fn generated_hash_suffixes_are_stripped_for_matching() {
    let rows = rows_of(
        &config_map("app-config-5h2fk8m9t4", "debug"),
        &config_map("app-config-8m9t4bcdfg", "warn"),
    );
    assert!(rows.contains(&"≠ ConfigMap/app-config.data.LOG_LEVEL".to_owned()), "{rows:#?}");
    // The name itself differs (the hash), and shows as a difference of it.
    assert!(rows.contains(&"≠ ConfigMap/app-config.metadata.name".to_owned()), "{rows:#?}");
    assert!(!rows.iter().any(|r| r.contains("5h2fk8m9t4")), "{rows:#?}");
}

#[test]
fn a_name_that_only_looks_hashed_is_kept_whole() {
    // Not ten characters of kustomize's alphabet: a real part of the name.
    let rows = rows_of(
        &config_map("app-config-production", "debug"),
        &config_map("app-config-production", "warn"),
    );
    assert!(
        rows.contains(&"≠ ConfigMap/app-config-production.data.LOG_LEVEL".to_owned()),
        "{rows:#?}"
    );
    // A Deployment's name is never stripped of a hash-like tail.
    let rows =
        rows_of(&deployment("shop", "web-5h2fk8m9t4", 1), &deployment("shop", "web-5h2fk8m9t4", 2));
    assert!(rows.contains(&"≠ Deployment/web-5h2fk8m9t4.spec.replicas".to_owned()), "{rows:#?}");
}

#[test]
fn env_prefixes_and_suffixes_are_stripped_for_matching() {
    let rows = rows_of(&deployment("shop", "dev-web", 1), &deployment("shop", "web-prod", 4));
    assert!(rows.contains(&"≠ Deployment/web.spec.replicas".to_owned()), "{rows:#?}");
    assert!(!rows.iter().any(|r| r.contains("dev-web") || r.contains("web-prod")), "{rows:#?}");
}
