//! Layouts (§10) on one small sample project per preset under
//! tests/fixtures/layouts/: which sets are found with no settings, their
//! envs, base layers, local layers and merge results, and the negative
//! corpus whose folders must never make a set.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use envlens::core::discover::{DiscoverOptions, discover};
use envlens::core::project::{LoadedSet, Project};

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layouts").join(name)
}

fn load(name: &str) -> Project {
    Project::load(&fixture(name), &DiscoverOptions::default())
}

/// `name layout [base] envs…` of every set.
fn summary(project: &Project) -> Vec<String> {
    project
        .sets
        .iter()
        .map(|set| {
            let base = set.base.as_ref().map_or("-", |b| b.file.rel_path.as_str());
            format!("{} {} base={} envs={}", set.name, set.layout, base, set.env_names().join(","))
        })
        .collect()
}

/// The effective `key=value` of one env, `↑` marking an inherited value.
fn effective(set: &LoadedSet, env: &str) -> Vec<String> {
    let at = set.env_names().iter().position(|e| *e == env).expect("env");
    set.effective(&[at])[0]
        .iter()
        .map(|e| {
            let mark = if e.inherited { "↑" } else { "" };
            format!("{}={}{mark}", set.path(e.leaf), e.leaf.value.display_text())
        })
        .collect()
}

fn only_set(project: &Project) -> &LoadedSet {
    assert_eq!(project.sets.len(), 1, "{:?}", summary(project));
    assert!(
        project.sets[0].file_errors().next().is_none(),
        "{:?}",
        project.sets[0].file_errors().collect::<Vec<_>>()
    );
    &project.sets[0]
}

#[test]
fn dotenv_has_the_plain_env_as_base_local_layers_and_template_envs() {
    let project = load("dotenv");
    assert_eq!(
        summary(&project),
        vec!["web/.env dotenv base=web/.env envs=staging,production,production.sample"]
    );
    let set = only_set(&project);
    assert_eq!(set.rule, "dotenv: .env beside .env.<env> files");
    assert_eq!(
        effective(set, "production"),
        vec!["APP_NAME=shop↑", "API_URL=https://api.example.test", "LOG_LEVEL=warn"]
    );
    // The local layer is listed, not applied without --local.
    assert_eq!(project.locals.len(), 1);
    let (name, locals) = &project.locals[0];
    assert_eq!(name, "web/.env");
    assert_eq!(locals[0].env, "production");
    assert_eq!(locals[0].rel_path, "web/.env.production.local");
    assert!(project.unmatched.is_empty(), "{:?}", project.unmatched);
}

#[test]
fn helm_values_merge_over_values_yaml_and_null_deletes() {
    let project = load("helm");
    assert_eq!(
        summary(&project),
        vec!["charts/shop/values helm base=charts/shop/values.yaml envs=staging,prod"]
    );
    let set = only_set(&project);
    assert_eq!(set.rule, "helm: Chart.yaml beside values.yaml");
    assert_eq!(
        effective(set, "prod"),
        vec![
            "replicaCount=3",
            "image.repository=ghcr.io/example/shop↑",
            "image.tag=1.4.2",
            "resources.limits.cpu=500m↑",
            "resources.limits.memory=256Mi↑",
        ]
    );
    assert_eq!(
        effective(set, "staging"),
        vec![
            "replicaCount=2",
            "image.repository=ghcr.io/example/shop↑",
            "image.tag=1.4.0↑",
            "resources.limits.cpu=500m↑",
            "resources.limits.memory=512Mi",
            "debug.enabled=true↑",
            "debug.port=5005↑",
        ]
    );
}

#[test]
fn dotnet_reads_comments_merges_lists_by_index_and_ignores_key_case() {
    let project = load("dotnet");
    assert_eq!(
        summary(&project),
        vec![
            "src/Api/appsettings dotnet base=src/Api/appsettings.json envs=Development,Production"
        ]
    );
    let set = only_set(&project);
    assert_eq!(
        effective(set, "Production"),
        vec![
            "Logging.LogLevel.Default=Information↑",
            "AllowedHosts[0]=shop.example.test",
            "AllowedHosts[1]=b.example.test↑",
            "AllowedHosts[2]=c.example.test↑",
            "Api.Timeout=10",
        ]
    );
    assert_eq!(
        effective(set, "Development")[0],
        "logging.loglevel.default=Debug",
        "the env's key replaces the base's whatever its case"
    );
    assert_eq!(effective(set, "Development").len(), 5);
}

#[test]
fn spring_profiles_over_application_yml() {
    let project = load("spring");
    assert_eq!(
        summary(&project),
        vec![
            "src/main/resources/application spring base=src/main/resources/application.yml \
             envs=dev,prod"
        ]
    );
    let set = only_set(&project);
    assert_eq!(
        effective(set, "prod"),
        vec![
            "server.port=8080↑",
            "spring.datasource.url=jdbc:postgresql://db.prod.example.test:5432/shop",
            "spring.datasource.username=shop↑",
            "management.endpoints.web.exposure.include[0]=health",
        ]
    );
}

#[test]
fn compose_override_and_env_files_over_the_main_file() {
    let project = load("compose");
    assert_eq!(summary(&project), vec!["compose compose base=compose.yaml envs=prod,override"]);
    let set = only_set(&project);
    assert!(
        effective(set, "override").contains(&"services.web.environment.LOG_LEVEL=debug".to_owned())
    );
    assert!(effective(set, "prod").contains(&"services.web.deploy.replicas=3".to_owned()));
    assert!(effective(set, "prod").contains(&"services.db.image=postgres:16↑".to_owned()));
}

#[test]
fn node_config_default_is_the_base_and_local_files_are_local_layers() {
    let project = load("node-config");
    assert_eq!(
        summary(&project),
        vec!["config node-config base=config/default.json envs=development,production"]
    );
    let set = only_set(&project);
    assert_eq!(
        effective(set, "production"),
        vec!["server.port=3000↑", "server.host=0.0.0.0↑", "db.pool=20"]
    );
    let (_, locals) = &project.locals[0];
    assert_eq!(
        locals.iter().map(|l| l.rel_path.as_str()).collect::<Vec<_>>(),
        ["config/local.json"]
    );
    assert_eq!(project.unmatched.len(), 1);
    assert_eq!(project.unmatched[0].rel_path, "config/custom-environment-variables.json");
}

#[test]
fn the_negative_corpus_makes_no_set() {
    let found = discover(&fixture("negative"), &DiscoverOptions::default());
    let names: Vec<&str> = found.sets.iter().map(|s| s.name.as_str()).collect();
    assert!(names.is_empty(), "sets from the negative corpus: {names:?}");
    assert!(found.unmatched.is_empty(), "{:?}", found.unmatched);
}

#[test]
fn presets_off_leaves_the_built_in_rules() {
    let options = DiscoverOptions { presets: Vec::new(), ..DiscoverOptions::default() };
    let found = discover(&fixture("dotenv"), &options);
    let set = &found.sets[0];
    assert_eq!((set.name.as_str(), set.layout), ("web/.env", "builtin"));
    assert!(set.base.is_none());
    // `.env.production.local` is then an env of its own.
    assert!(set.env_names().any(|e| e == "production.local"));
    let helm = discover(&fixture("helm"), &options);
    assert!(helm.sets.is_empty());
    assert_eq!(helm.unmatched.len(), 2, "{:?}", helm.unmatched);
    assert!(helm.unmatched[0].reason.contains("helm needs Chart.yaml"));
}

fn envlens(args: &[&str]) -> (i32, String, String) {
    let run = support::run::envlens(args);
    (run.code, run.stdout, run.stderr)
}

#[test]
fn sets_explains_every_set_and_every_unmatched_file() {
    let (code, out, err) = envlens(&["sets", "tests/fixtures/layouts/node-config"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "config  node-config: config/default beside package.json · merge deep\n\
         \x20 base                config/default.json\n\
         \x20 env    development  config/development.json\n\
         \x20 env    production   config/production.json\n\
         \x20 local  every env    config/local.json\n\
         \n\
         1 file looks like config but joins no set:\n\
         \x20 config/custom-environment-variables.json  node-config maps environment variables \
         here; it is no env\n"
    );
    let (code, out, _) = envlens(&["sets", "tests/fixtures/layouts/dotenv", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let set = &json["sets"][0];
    assert_eq!(set["layout"], "dotenv");
    assert_eq!(set["rule"], "dotenv: .env beside .env.<env> files");
    assert_eq!(set["merge"], "flat");
    assert_eq!(set["base"], serde_json::json!(["web/.env"]));
    assert_eq!(
        set["envs"][2],
        serde_json::json!({"env": "production.sample", "file": "web/.env.production.sample"})
    );
    assert_eq!(
        set["locals"],
        serde_json::json!([{"env": "production", "file": "web/.env.production.local"}])
    );
    assert_eq!(json["unmatched"], serde_json::json!([]));
}

#[test]
fn other_commands_print_one_warning_line_for_unmatched_files() {
    let (code, out, err) =
        envlens(&["diff", "tests/fixtures/layouts/node-config", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err,
        "envlens: warning: 1 file looks like config but joins no set; see envlens sets\n"
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["sets"][0]["name"], "config");
}

#[test]
fn a_new_user_sees_the_base_merged_with_no_settings() {
    for (fixture, key, env, want) in [
        ("spring", "server.port", "prod", "8080"),
        ("helm", "image.repository", "prod", "ghcr.io/example/shop"),
        ("dotnet", "Api.Timeout", "Development", "30"),
        ("dotenv", "APP_NAME", "production", "shop"),
    ] {
        let path = format!("tests/fixtures/layouts/{fixture}");
        let (code, out, err) = envlens(&["get", key, &path, "--env", env]);
        assert_eq!((code, out.trim_end(), err.as_str()), (0, want, ""), "{fixture}");
    }
}

#[test]
fn presets_in_the_settings_choose_the_layouts() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (rel, text) in [
        ("Chart.yaml", "name: c\n"),
        ("values.yaml", "a: 1\n"),
        ("values-prod.yaml", "a: 2\n"),
        (".env", "A=1\n"),
        (".env.prod", "A=2\n"),
    ] {
        std::fs::write(root.join(rel), text).unwrap();
    }
    let sets = |settings: &str| {
        std::fs::write(root.join(".envlens.toml"), settings).unwrap();
        let project =
            envlens::core::project::open(root, &envlens::core::project::OpenOptions::default());
        project.map(|p| summary(&p)).map_err(|e| format!("{} | {:?}", e.message, e.hint))
    };
    assert_eq!(
        sets("presets = [\"helm\"]\n").unwrap(),
        vec![".env builtin base=- envs=prod", "values helm base=values.yaml envs=prod"]
    );
    assert_eq!(sets("presets = []\n").unwrap(), vec![".env builtin base=- envs=prod"]);
    assert_eq!(sets("presets = [\"auto\"]\n").unwrap().len(), 2);
    let err = sets("\n\npresets = [\"helm\", \"kustomize\"]\n").unwrap_err();
    assert!(
        err.contains(".envlens.toml:3: `presets`: the kustomize preset is not detected yet"),
        "{err}"
    );
    let err = sets("presets = [\"hlm\"]\n").unwrap_err();
    assert!(err.contains(":1: `presets`: no preset named \"hlm\""), "{err}");
    assert!(
        err.contains("presets are auto, dotenv, spring, dotnet, node-config, helm, compose"),
        "{err}"
    );
}
