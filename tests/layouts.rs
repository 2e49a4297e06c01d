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
    assert_eq!(sets("\n\npresets = [\"helm\", \"kustomize\"]\n").unwrap().len(), 2);
    let err = sets("presets = [\"hlm\"]\n").unwrap_err();
    assert!(err.contains(":1: `presets`: no preset named \"hlm\""), "{err}");
    assert!(
        err.contains(
            "presets are auto, dotenv, spring, dotnet, node-config, helm, compose, kustomize, \
             rails, dynaconf, terraform"
        ),
        "{err}"
    );
}

#[test]
fn rails_env_sections_of_one_file_over_the_default_section() {
    let project = load("rails");
    assert_eq!(
        summary(&project),
        vec![
            "config/cable rails base=- envs=development,test,production",
            "config/database rails base=config/database.yml envs=development,test,production",
        ]
    );
    let set = project.set("config/database").unwrap();
    assert_eq!(set.rule, "rails: database.yml with env sections beside config/application.rb");
    // Keys start inside the section; `<<: *default` is resolved, so the
    // default's values are the env's own here, and what production sets
    // replaces them.
    assert_eq!(
        effective(set, "production"),
        vec![
            "adapter=postgresql",
            "encoding=unicode",
            "pool=20",
            "database=shop_production",
            "username=shop",
            "password=<%= ENV[\"SHOP_DATABASE_PASSWORD\"] %>",
        ]
    );
    // Lines point into the real file.
    let production = &set.envs[2];
    assert_eq!(production.file.rel_path, "config/database.yml");
    let database = production.leaves.iter().find(|l| set.path(l) == "database").unwrap();
    assert_eq!(database.position.line, 18);
    // The default section is a base layer, not an env; config/locales/ is never a set.
    assert!(!set.env_names().contains(&"default"));
    assert!(project.unmatched.is_empty(), "{:?}", project.unmatched);
}

#[test]
fn dynaconf_sections_with_a_replaced_table_secrets_and_global() {
    let project = load("dynaconf");
    assert_eq!(
        summary(&project),
        vec!["settings dynaconf base=settings.toml envs=development,production"]
    );
    let set = only_set(&project);
    // production's [production.database] replaces the default's whole
    // table: port and pool are gone, not inherited.
    assert_eq!(
        effective(set, "production"),
        vec![
            "name=shop↑",
            "debug=false↑",
            "database.host=db.prod.example.test",
            "api_key=fake-dynaconf-prod-key",
            "timezone=UTC↑",
        ]
    );
    assert_eq!(
        effective(set, "development"),
        vec![
            "name=shop↑",
            "debug=true",
            "database.host=localhost↑",
            "database.port=5432↑",
            "database.pool=5↑",
            "api_key=fake-dynaconf-default-key↑",
            "timezone=UTC↑",
        ]
    );
    let (code, out, _) = envlens(&["sets", "tests/fixtures/layouts/dynaconf", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let set = &json["sets"][0];
    assert_eq!(
        set["base"],
        serde_json::json!(["settings.toml [default]", ".secrets.toml [default]"])
    );
    assert_eq!(set["after"], serde_json::json!(["settings.toml [global]"]));
    assert_eq!(
        set["envs"][2],
        serde_json::json!({"env": "production", "file": ".secrets.toml", "section": "production"})
    );
}

#[test]
fn an_edit_in_a_section_or_a_layer_lands_where_the_env_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("dynaconf"), dir.path());
    let root = dir.path().to_str().unwrap();
    let read = |rel: &str| std::fs::read_to_string(dir.path().join(rel)).unwrap();
    let settings = read("settings.toml");
    let secrets = read(".secrets.toml");
    // A key added to an env section goes into that section.
    let (code, out, err) = envlens(&["set", "--env", "production", "--new", "workers", "4", root]);
    assert_eq!((code, out.as_str()), (0, "settings.toml:14: workers = 4\n"), "{err}");
    assert_eq!(
        read("settings.toml"),
        settings.replace("[production]\n", "[production]\nworkers = 4\n")
    );
    // A value of the env's own layer (`.secrets.toml`'s [production]) is
    // written there, masked in the output.
    let (code, out, err) =
        envlens(&["set", "--env", "production", "api_key", "fake-new-prod-key", root]);
    assert_eq!((code, out.as_str()), (0, ".secrets.toml:5: api_key = ••••••••\n"), "{err}");
    assert_eq!(
        read(".secrets.toml"),
        secrets.replace("fake-dynaconf-prod-key", "fake-new-prod-key")
    );
    // Values of the base section and of [global] (over every env) are refused
    // with where they live; nothing changes.
    let before = read("settings.toml");
    let (code, _, err) = envlens(&["set", "--env", "production", "debug", "true", root]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("comes from the base file settings.toml:3"), "{err}");
    let (code, _, err) = envlens(&["set", "--env", "production", "timezone", "CET", root]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("comes from settings.toml:20, applied over every env"), "{err}");
    assert_eq!(read("settings.toml"), before);
}

/// `set` arguments, the file they change, and the text before and after.
const LAYOUT_EDITS: &[(&[&str], &str, &str, &str)] = &[
    (
        &["--set", "config/database", "--env", "production", "pool", "30"],
        "config/database.yml",
        "  database: app_prod\n  pool: 20\n",
        "  database: app_prod\n  pool: 30\n",
    ),
    (
        &["--set", "config/database", "--env", "production", "--new", "timeout", "5"],
        "config/database.yml",
        "  pool: 30\n",
        "  pool: 30\n  timeout: 5\n",
    ),
    (
        &["--set", "app", "--env", "prod", "server.port", "81"],
        "app/application.yml",
        "profile: prod\nserver:\n  port: 80\n",
        "profile: prod\nserver:\n  port: 81\n",
    ),
    (
        &["--set", "app", "--env", "dev", "--new", "server.host", "h"],
        "app/application.yml",
        "  port: 8081\n",
        "  port: 8081\n  host: h\n",
    ),
    (
        &["--set", "k8s", "--env", "prod", "--new", "app.yaml.extra", "1"],
        "k8s/overlays/prod/app.yaml",
        "workers: 8\n",
        "workers: 8\nextra: 1\n",
    ),
    (
        &[
            "--set",
            "deploy",
            "--env",
            "production",
            "deployment.yaml.Deployment/web.spec.replicas",
            "7",
        ],
        "deploy/overlays/production/deployment.yaml",
        "  replicas: 6\n",
        "  replicas: 7\n",
    ),
    (
        &[
            "--set",
            "deploy",
            "--env",
            "staging",
            "kustomization.yaml.configMapGenerator[name=web-config].literals.LOG_LEVEL",
            "trace",
        ],
        "deploy/overlays/staging/kustomization.yaml",
        "      - LOG_LEVEL=debug\n",
        "      - LOG_LEVEL=trace\n",
    ),
];

/// An edit in each shape of `[[set]]`, and in a kustomize overlay: the
/// env's own section, document or file changes, and only its value.
#[test]
fn edits_in_declared_and_kustomize_sets_write_the_envs_own_place() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("declared"), dir.path());
    copy_tree(&fixture("kustomize-envs"), dir.path());
    let root = dir.path().to_str().unwrap();
    let read = |rel: &str| std::fs::read_to_string(dir.path().join(rel)).unwrap();
    for (args, rel, from, to) in LAYOUT_EDITS {
        let before = read(rel);
        assert!(before.contains(from), "{rel}: {before}");
        let run: Vec<&str> = ["set"].iter().chain(args.iter()).chain(&[root]).copied().collect();
        let (code, _, err) = envlens(&run);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert_eq!(read(rel), before.replacen(from, to, 1), "{args:?}");
    }
    // A value the base folder holds is refused with where it lives.
    let (code, _, err) =
        envlens(&["set", "--set", "k8s", "--env", "prod", "app.yaml.log_level", "warn", root]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("comes from the base file k8s/base/app.yaml:1"), "{err}");
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn kustomize_overlays_over_their_base_folder_by_relative_path() {
    let project = load("kustomize");
    assert_eq!(
        summary(&project),
        vec!["k8s kustomize base=k8s/base/deployment.yaml envs=dev,prod"]
    );
    let set = only_set(&project);
    assert_eq!(set.rule, "kustomize: 2 overlays whose resources reach k8s/base");
    let prod = effective(set, "prod");
    // A file only the base has is inherited whole; a file the overlay
    // also has merges over the base's, keyed by its path in the folder.
    assert!(
        prod.contains(&"deployment.yaml.Deployment/shop.spec.replicas=3".to_owned()),
        "{prod:?}"
    );
    assert!(
        prod.contains(
            &"deployment.yaml.Deployment/shop.spec.template.spec.containers[name=shop].image=ghcr.io/example/shop:1.4.0↑"
                .to_owned()
        ),
        "{prod:?}"
    );
    let dev = effective(set, "dev");
    assert!(
        dev.contains(&"deployment.yaml.Deployment/shop.spec.replicas=1↑".to_owned()),
        "{dev:?}"
    );
    assert!(dev.contains(&"kustomization.yaml.namePrefix=dev-".to_owned()), "{dev:?}");
    // Lines point into the overlay's own file.
    let rows = set.rows(&[0, 1]);
    let replicas =
        rows.iter().find(|r| r.key == "deployment.yaml.Deployment/shop.spec.replicas").unwrap();
    assert_eq!(replicas.cells[1].unwrap().leaf.position.line, 6);
}

/// A kustomize repository as a new user has it: `base/` and
/// `overlays/{staging,production}` whose patches name only what they change.
#[test]
fn kustomize_staging_and_production_patch_the_base_by_strategic_merge() {
    let project = load("kustomize-envs");
    let set = only_set(&project);
    assert_eq!(set.env_names(), vec!["staging", "production"]);
    let web = "deployment.yaml.Deployment/web.spec.template.spec.containers";
    let production = effective(set, "production");
    let staging = effective(set, "staging");
    for (env, want) in [
        (&production, format!("{web}[name=web].env[name=DB_HOST].value=db.prod")),
        (&production, format!("{web}[name=web].env[name=SENTRY_ENV].value=production")),
        // The patch's env list merges item by item: the base's LOG_FORMAT stays.
        (&production, format!("{web}[name=web].env[name=LOG_FORMAT].value=json↑")),
        // The patch's containers list merges too: the base's proxy stays.
        (&production, format!("{web}[name=proxy].image=envoyproxy/envoy:v1.31↑")),
        (&production, format!("{web}[name=web].image=ghcr.io/example/web:2.3.0↑")),
        (&staging, format!("{web}[name=web].env[name=DB_HOST].value=db.staging")),
        (&staging, "deployment.yaml.Deployment/web.spec.replicas=2".to_owned()),
        // Generator literals are maps: one literal changed is one key.
        (
            &staging,
            "kustomization.yaml.configMapGenerator[name=web-config].literals.LOG_LEVEL=debug"
                .to_owned(),
        ),
        (
            &staging,
            "kustomization.yaml.configMapGenerator[name=web-config].literals.WORKERS=\"2\"↑"
                .to_owned(),
        ),
        (&staging, "service.yaml.Service/web.spec.ports[0].port=80↑".to_owned()),
    ] {
        assert!(env.contains(&want), "{want} not in {env:#?}");
    }
    assert!(!staging.iter().any(|k| k.contains("SENTRY_ENV")), "{staging:#?}");
    // A secretGenerator's literal is a secret (§12), masked everywhere.
    let all = support::run::envlens_in(&fixture("kustomize-envs"), &["diff", "--all"]);
    assert!(
        all.stdout.contains("secretGenerator[name=web-secrets].literals.MOTTO"),
        "{}",
        all.stdout
    );
    assert!(!all.both().contains("plain-kustomize-words"), "{}", all.both());
    // The table a new user sees: SENTRY_ENV missing in staging and the
    // changed values differ, nothing else.
    let ran = support::run::envlens_in(&fixture("kustomize-envs"), &["diff"]);
    assert_eq!(ran.code, 1, "{}", ran.both());
    let rows: Vec<&str> = ran.stdout.lines().filter(|l| l.starts_with(['≠', '∅'])).collect();
    let keys: Vec<&str> = rows.iter().filter_map(|r| r[4..].split_whitespace().next()).collect();
    assert_eq!(
        keys,
        vec![
            "deployment.yaml.Deployment/web.spec.replicas",
            &format!("{web}[name=web].env[name=DB_HOST].value") as &str,
            &format!("{web}[name=web].env[name=SENTRY_ENV].name"),
            &format!("{web}[name=web].env[name=SENTRY_ENV].value"),
            "kustomization.yaml.configMapGenerator[name=web-config].literals.LOG_LEVEL",
            "kustomization.yaml.configMapGenerator[name=web-config].literals.WORKERS",
            "kustomization.yaml.namePrefix",
        ],
        "{}",
        ran.stdout
    );
}

/// One `[[set]]` of each shape (§10) on files no preset takes.
#[test]
fn declared_sets_in_each_shape_claim_their_files() {
    let root = fixture("declared");
    let settings = envlens::core::settings::load(&root).unwrap();
    let project = Project::load(&root, &settings.discover_options(false));
    assert_eq!(
        summary(&project),
        vec![
            "api settings base=charts/api/values.yaml envs=prod,staging",
            "app settings base=app/application.yml envs=dev,prod",
            "config/database settings base=config/database.yml envs=development,production",
            "infra/envs settings base=- envs=dev,prod",
            "k8s settings base=k8s/base/app.yaml envs=dev,prod",
        ]
    );
    let set = |name: &str| project.sets.iter().find(|s| s.name == name).unwrap();
    // A file per env over base layers, with the merge named (helm: null deletes).
    assert_eq!(set("api").rule, "[[set]] at .envlens.toml:2: files = \"deploy/{env}/values.yaml\"");
    assert_eq!(effective(set("api"), "prod"), vec!["replicas=6", "image.tag=\"1.0\"↑"]);
    assert_eq!(
        effective(set("api"), "staging"),
        vec!["replicas=2", "image.tag=\"1.0\"↑", "resources.limits.cpu=1↑"]
    );
    // A folder per env: files by their path inside it, over the base folder's.
    assert_eq!(
        effective(set("k8s"), "prod"),
        vec!["app.yaml.log_level=info↑", "app.yaml.workers=8", "service.yaml.port=443"]
    );
    // Sections of one file: `skip`ped and `base` sections are not envs.
    assert_eq!(
        effective(set("config/database"), "production"),
        vec!["adapter=postgresql", "pool=20", "database=app_prod"]
    );
    // Documents that name their env, the selector left out.
    assert_eq!(effective(set("app"), "prod"), vec!["server.port=80", "server.tls=true"]);
    assert_eq!(effective(set("app"), "dev"), vec!["server.port=8081"]);
    assert_eq!(effective(set("infra/envs"), "prod"), vec!["region=eu-west-1", "instances=4"]);
    // `envs` leaves the scratch folder out of the set.
    assert!(!project.sets.iter().any(|s| s.env_names().contains(&"scratch")));
}

#[test]
fn a_declared_set_that_finds_no_env_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config_dev.yaml"), "a: 1\n").unwrap();
    std::fs::write(dir.path().join("config_prod.yaml"), "a: 2\n").unwrap();
    std::fs::write(dir.path().join(".envlens.toml"), "[[set]]\nfiles = \"deploy/{env}.yaml\"\n")
        .unwrap();
    let ran = support::run::envlens_in(dir.path(), &["diff"]);
    assert!(
        ran.stderr
            .contains("[[set]] at .envlens.toml:1: files = \"deploy/{env}.yaml\" finds no env"),
        "{}",
        ran.both()
    );
    // The other sets still show.
    assert!(ran.stdout.contains("config"), "{}", ran.both());
}

/// A `[[set]]` claims before the presets: a Helm chart's values read as
/// the table says, not as the helm preset would.
#[test]
fn a_declared_set_claims_before_the_presets() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("Chart.yaml"), "name: x\n").unwrap();
    std::fs::write(root.join("values.yaml"), "a: 1\n").unwrap();
    std::fs::write(root.join("values-dev.yaml"), "a: 2\n").unwrap();
    std::fs::write(root.join("values-prod.yaml"), "a: 3\n").unwrap();
    std::fs::write(
        root.join(".envlens.toml"),
        "[[set]]\nname = \"mine\"\nfiles = \"values-{env}.yaml\"\n",
    )
    .unwrap();
    let settings = envlens::core::settings::load(root).unwrap();
    let project = Project::load(root, &settings.discover_options(false));
    assert_eq!(summary(&project), vec!["mine settings base=- envs=dev,prod"]);
}

#[test]
fn terraform_tfvars_over_variables_tf_defaults_replace_whole_variables() {
    let project = load("terraform");
    assert_eq!(
        summary(&project),
        vec![
            "infra/terraform terraform base=infra/variables.tf envs=dev,prod",
            "live/envs terraform base=live/variables.tf envs=dev,prod",
        ]
    );
    let infra = project.set("infra/terraform").unwrap();
    // prod's `tags` replaces the default's whole map: `cost` is gone;
    // terraform.tfvars applies to every env.
    assert_eq!(
        effective(infra, "prod"),
        vec!["region=eu-west-1↑", "instance_type=m5.large", "tags.team=shop", "owner=platform↑"]
    );
    assert_eq!(
        effective(infra, "dev"),
        vec![
            "region=eu-west-1↑",
            "instance_type=t3.small",
            "tags.team=core↑",
            "tags.cost=shared↑",
            "owner=platform↑",
        ]
    );
    // envs/<env>/: every .tfvars of the folder is the env's, base from the
    // nearest folder above holding *.tf.
    let live = project.set("live/envs").unwrap();
    assert_eq!(effective(live, "prod"), vec!["size=4", "zone=b"]);
    assert_eq!(effective(live, "dev"), vec!["size=1", "zone=a↑"]);
}

#[test]
fn spring_multi_document_yaml_and_properties_over_yaml() {
    let project = load("spring-multidoc");
    let set = only_set(&project);
    assert_eq!(set.env_names(), ["dev", "prod"]);
    // Base: application.yml's unconditioned document, then
    // application.properties over it; prod: its document, then
    // application-prod.properties over it, typed as YAML (20 is an int).
    assert_eq!(
        effective(set, "prod"),
        vec![
            "server.port=8080",
            "spring.datasource.url=jdbc:postgresql://db.prod.example.test:5432/shop",
            "spring.datasource.pool-size=20",
        ]
    );
    assert_eq!(
        effective(set, "dev"),
        vec![
            "server.port=8081",
            "spring.datasource.url=jdbc:h2:mem:shop↑",
            "spring.datasource.pool-size=10↑",
        ]
    );
    // The profile selector is no key of the env.
    let rows = set.rows(&[0, 1]);
    assert!(rows.iter().all(|r| !r.key.contains("on-profile")));
    let port = rows.iter().find(|r| r.key == "server.port").unwrap();
    assert_eq!(port.status, envlens::core::diff::Status::Differs);
    // `server.port=8080` in .properties equals `port: 8080` in YAML: an int.
    assert_eq!(port.cells[1].unwrap().leaf.value, envlens::core::leaf::Value::Int(8080));
    let (code, out, _) = envlens(&["sets", "tests/fixtures/layouts/spring-multidoc"]);
    assert_eq!(code, 0);
    assert!(out.contains("  env    prod  src/main/resources/application.yml [1]\n"), "{out}");
    assert!(
        out.contains("  env    prod  src/main/resources/application-prod.properties\n"),
        "{out}"
    );
}

#[test]
fn spring_petclinic_profiles_over_application_properties() {
    let (code, out, err) =
        envlens(&["diff", "tests/fixtures/layouts/spring-petclinic", "--all", "--format", "json"]);
    assert_eq!((code, err.as_str()), (1, ""));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["sets"].as_array().unwrap().len(), 1, "messages*.properties make no set");
    let set = &json["sets"][0];
    assert_eq!(set["name"], "src/main/resources/application");
    assert_eq!(set["envs"], serde_json::json!(["mysql", "postgres"]));
    let status = |key: &str| -> String {
        let row = set["keys"].as_array().unwrap().iter().find(|k| k["key"] == key);
        row.unwrap_or_else(|| panic!("{key}"))["status"].as_str().unwrap().to_owned()
    };
    for (key, want) in [
        ("database", "differs"),
        ("spring.datasource.url", "differs"),
        ("spring.datasource.username", "differs"),
        ("spring.datasource.password", "differs"),
        ("spring.sql.init.mode", "same"),
        ("spring.thymeleaf.mode", "same"),
        ("spring.jpa.open-in-view", "same"),
        ("management.endpoints.web.exposure.include", "same"),
    ] {
        assert_eq!(status(key), want, "{key}");
    }
    assert_eq!(set["keys"].as_array().unwrap().len(), 14);
    // The base's values are inherited, typed as YAML would read them.
    let open =
        set["keys"].as_array().unwrap().iter().find(|k| k["key"] == "spring.jpa.open-in-view");
    let cell = &open.unwrap()["values"]["mysql"];
    assert_eq!(
        (cell["value"].clone(), cell["inherited"].clone()),
        (serde_json::json!(false), serde_json::json!(true))
    );
    let (code, out, _) = envlens(&[
        "get",
        "database",
        "tests/fixtures/layouts/spring-petclinic",
        "--env",
        "postgres",
    ]);
    assert_eq!((code, out.as_str()), (0, "postgres\n"));
}
