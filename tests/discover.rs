//! Discovery on real folders: what is found, what is skipped, how files
//! group into sets and how envs are ordered (§2).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use std::fs;
use std::path::Path;

use envlens::core::discover::{DiscoverOptions, Discovery, discover};

fn touch(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Every (set, env, path) found, in order.
fn listing(found: &Discovery) -> Vec<String> {
    let mut lines = Vec::new();
    for set in &found.sets {
        if let Some(base) = &set.base {
            lines.push(format!("{} base={}", set.name, base.rel_path));
        }
        for file in &set.envs {
            lines.push(format!("{} {}={}", set.name, file.env, file.rel_path));
        }
        for problem in &set.problems {
            lines.push(format!("{} problem: {}", set.name, problem.message));
        }
    }
    lines
}

#[test]
fn finds_hidden_dotenv_files_and_nested_sets() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    touch(root, ".env.prod", "A=1\n");
    touch(root, ".env.dev", "A=2\n");
    touch(root, "services/api/config_dev.yaml", "a: 1\n");
    touch(root, "services/api/config_prod.json", "{}");
    touch(root, ".hidden/config_dev.toml", "");
    touch(root, "config.schema.yaml", "");
    touch(root, "config_dev.yaml.bak", "");
    touch(root, "config_dev.local.yaml", "");
    touch(root, "notes_dev.yaml", "");
    let found = discover(root, &DiscoverOptions::default());
    assert_eq!(
        listing(&found),
        vec![
            ".env dev=.env.dev",
            ".env prod=.env.prod",
            ".hidden/config dev=.hidden/config_dev.toml",
            // Env names may hold dots (§2).
            "config dev.local=config_dev.local.yaml",
            "services/api/config dev=services/api/config_dev.yaml",
            "services/api/config prod=services/api/config_prod.json",
        ]
    );
    let unmatched: Vec<(&str, &str)> =
        found.unmatched.iter().map(|u| (u.rel_path.as_str(), u.reason.as_str())).collect();
    assert_eq!(
        unmatched,
        vec![(
            "notes_dev.yaml",
            "no layout takes `notes` files; add a [[set]] or a pattern to .envlens.toml"
        )]
    );
}

#[test]
fn honours_ignore_files_outside_git_and_no_ignore_takes_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    touch(root, ".gitignore", "ignored/\n.env.local\n");
    touch(root, ".ignore", "also/\n");
    touch(root, "ignored/config_dev.yaml", "");
    touch(root, "also/config_dev.yaml", "");
    touch(root, ".env.local", "");
    touch(root, "config_dev.yaml", "");
    assert_eq!(
        listing(&discover(root, &DiscoverOptions::default())),
        vec!["config dev=config_dev.yaml"]
    );
    let all = discover(root, &DiscoverOptions { no_ignore: true, ..Default::default() });
    assert_eq!(
        listing(&all),
        vec![
            ".env local=.env.local",
            "also/config dev=also/config_dev.yaml",
            "config dev=config_dev.yaml",
            "ignored/config dev=ignored/config_dev.yaml",
        ]
    );
}

#[test]
fn git_info_exclude_is_honoured_and_skip_dirs_are_never_walked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    touch(root, ".git/info/exclude", "excluded/\n");
    touch(root, ".git/config_dev.yaml", "");
    touch(root, "excluded/config_dev.yaml", "");
    for skipped in ["target", "node_modules", ".venv", "venv", "__pycache__"] {
        touch(root, &format!("{skipped}/config_dev.yaml"), "");
    }
    touch(root, "app/config_dev.yaml", "");
    assert_eq!(
        listing(&discover(root, &DiscoverOptions::default())),
        vec!["app/config dev=app/config_dev.yaml"]
    );
    let all = discover(root, &DiscoverOptions { no_ignore: true, ..Default::default() });
    assert_eq!(
        listing(&all),
        vec!["app/config dev=app/config_dev.yaml", "excluded/config dev=excluded/config_dev.yaml"],
        "--no-ignore still never walks .git, target, node_modules, …"
    );
}

#[test]
fn env_order_follows_the_groups() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for env in ["template", "prod", "zeta", "staging", "qa", "dev", "local", "alpha", "live", "ci"]
    {
        touch(root, &format!("config_{env}.yaml"), "");
    }
    let found = discover(root, &DiscoverOptions::default());
    let envs: Vec<&str> = found.sets[0].env_names().collect();
    assert_eq!(
        envs,
        ["local", "dev", "ci", "qa", "staging", "live", "prod", "alpha", "zeta", "template"]
    );
    let custom =
        DiscoverOptions { env_order: vec!["prod".into(), "dev".into()], ..Default::default() };
    let envs: Vec<String> =
        discover(root, &custom).sets[0].env_names().map(str::to_owned).collect();
    assert_eq!(&envs[..2], ["prod", "dev"]);
}

#[test]
fn two_files_for_one_env_is_a_set_problem_and_yaml_wins() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    touch(root, "config_dev.json", "{}");
    touch(root, "config_dev.yaml", "");
    touch(root, "config_dev.toml", "");
    touch(root, "config_prod.yml", "");
    let found = discover(root, &DiscoverOptions::default());
    let set = &found.sets[0];
    assert_eq!(set.envs[0].rel_path, "config_dev.yaml");
    assert_eq!(set.envs[1].rel_path, "config_prod.yml");
    assert_eq!(set.problems.len(), 2);
    assert!(
        set.problems[0].message.contains("config_dev.yaml and config_dev.json"),
        "{:?}",
        set.problems
    );
    assert_eq!(set.problems[0].env.as_deref(), Some("dev"));
}

#[test]
fn base_files_are_not_envs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    touch(root, "config_common.yaml", "");
    touch(root, "config_base.toml", "");
    touch(root, "config_dev.toml", "");
    let found = discover(root, &DiscoverOptions::default());
    let set = &found.sets[0];
    assert_eq!(set.base.as_ref().unwrap().rel_path, "config_base.toml");
    assert_eq!(set.env_names().collect::<Vec<_>>(), ["dev"]);
    assert!(set.problems[0].message.contains("two base files"));
}

#[cfg(unix)]
#[test]
fn special_files_get_errors_and_outside_links_are_skipped() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("config_dev.yaml")).unwrap();
    let fifo = root.join("config_qa.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    touch(outside.path(), "secret.yaml", "a: 1\n");
    symlink(outside.path().join("secret.yaml"), root.join("config_prod.yaml")).unwrap();
    touch(root, "real/config_staging.yaml", "a: 1\n");
    symlink(root.join("real/config_staging.yaml"), root.join("config_staging.yaml")).unwrap();
    symlink(root, root.join("loop")).unwrap();
    let found = discover(root, &DiscoverOptions::default());
    // The FIFO stays in its set (loading gives it its error without opening
    // it); the folder is no file but gets a warning; the outside link is
    // not followed.
    assert_eq!(
        listing(&found),
        vec![
            "config qa=config_qa.yaml",
            "config staging=config_staging.yaml",
            "real/config staging=real/config_staging.yaml"
        ]
    );
    assert_eq!(found.warnings, vec!["config_dev.yaml is a folder, not a config file; skipped"]);
}

/// The formats of §11 join sets by the built-in `config_<env>` names, and
/// a pattern's `.json` is read with comments where the file's name says so
/// (`appsettings*.json`, a `config/` folder); any other `.json` stays strict.
#[test]
fn the_formats_of_section_11_are_picked_up() {
    use envlens::core::parse::Format;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    touch(root, "a/config_dev.jsonc", "{}");
    touch(root, "a/config_prod.json5", "{}");
    touch(root, "a/config_staging.properties", "");
    touch(root, "a/config_local.ini", "");
    touch(root, "a/config_qa.cfg", "");
    touch(root, "a/config_uat.tfvars", "");
    touch(root, "b/appsettings.Development.json", "{}");
    touch(root, "b/appsettings.Production.json", "{}");
    touch(root, "c/config/config_dev.json", "{}");
    touch(root, "c/config_dev.json", "{}");
    let options = DiscoverOptions {
        patterns: vec![
            envlens::core::settings::NamePattern::new("appsettings.{env}.json").unwrap(),
        ],
        ..DiscoverOptions::default()
    };
    let found = discover(root, &options);
    let formats: Vec<(String, Format)> = found
        .sets
        .iter()
        .flat_map(|set| set.envs.iter().map(|f| (f.rel_path.clone(), f.format)))
        .collect();
    assert_eq!(
        formats,
        vec![
            ("a/config_local.ini".to_owned(), Format::Ini),
            ("a/config_dev.jsonc".to_owned(), Format::Jsonc),
            ("a/config_qa.cfg".to_owned(), Format::Ini),
            ("a/config_staging.properties".to_owned(), Format::Properties),
            ("a/config_uat.tfvars".to_owned(), Format::Hcl),
            ("a/config_prod.json5".to_owned(), Format::Json5),
            ("b/appsettings.Development.json".to_owned(), Format::Jsonc),
            ("b/appsettings.Production.json".to_owned(), Format::Jsonc),
            ("c/config_dev.json".to_owned(), Format::Json),
            ("c/config/config_dev.json".to_owned(), Format::Jsonc),
        ]
    );
}
