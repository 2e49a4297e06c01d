//! Layers (§4, §10): local layers (`.env.<env>.local`, node-config
//! `local*`) listed but not applied unless `--local` says so, for every
//! command that reads values; an inherited value names the layer that
//! holds it (JSON `inherited`, the TUI detail pane); a value a local layer
//! holds is never silently written to the env's own file.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use envlens::core::discover::DiscoverOptions;
use envlens::core::project::{LoadedSet, Project};
use serde_json::Value as J;

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layouts").join(name)
}

fn load(name: &str, local: bool) -> Project {
    Project::load(&fixture(name), &DiscoverOptions { local, ..DiscoverOptions::default() })
}

/// The effective `key=value` of one env, `↑file` naming the layer of an
/// inherited value.
fn effective(set: &LoadedSet, env: &str) -> Vec<String> {
    let at = set.env_names().iter().position(|e| *e == env).expect("env");
    set.effective(&[at])[0]
        .iter()
        .map(|e| {
            let from = if e.inherited {
                format!("↑{}", set.holder(e.leaf).expect("a file holds it").file.rel_path)
            } else {
                String::new()
            };
            format!("{}={}{from}", set.path(e.leaf), e.leaf.value.display_text())
        })
        .collect()
}

fn envlens(args: &[&str]) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_envlens"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn a_dotenv_local_layer_applies_over_its_env_only_with_local() {
    let plain = load("dotenv", false);
    assert!(plain.sets[0].locals.is_empty(), "listed, not read");
    assert_eq!(
        effective(&plain.sets[0], "production"),
        ["APP_NAME=shop↑web/.env", "API_URL=https://api.example.test", "LOG_LEVEL=warn"]
    );
    let local = load("dotenv", true);
    let set = &local.sets[0];
    assert_eq!(set.locals.len(), 1);
    assert_eq!(
        effective(set, "production"),
        [
            "APP_NAME=shop↑web/.env",
            "API_URL=http://127.0.0.1:4000↑web/.env.production.local",
            "LOG_LEVEL=warn"
        ]
    );
    // `.env.production.local` is production's layer: staging keeps its own.
    assert_eq!(effective(set, "staging")[1], "API_URL=https://api.staging.example.test");
}

#[test]
fn a_node_config_local_file_applies_over_every_env() {
    let project = load("node-config", true);
    let set = &project.sets[0];
    for env in ["development", "production"] {
        let values = effective(set, env);
        assert!(
            values.contains(&"server.port=9999↑config/local.json".to_owned()),
            "{env}: {values:?}"
        );
    }
}

#[test]
fn diff_json_names_the_layer_and_get_docs_check_follow_local() {
    let path = "tests/fixtures/layouts/dotenv";
    let (_, out, err) = envlens(&["diff", path, "--all", "--format", "json", "--local"]);
    assert_eq!(err, "");
    let json: J = serde_json::from_str(&out).unwrap();
    let keys = json["sets"][0]["keys"].as_array().unwrap();
    let api = keys.iter().find(|k| k["key"] == "API_URL").unwrap();
    assert_eq!(api["values"]["production"]["inherited"], "web/.env.production.local");
    assert_eq!(api["values"]["production"]["value"], "http://127.0.0.1:4000");
    let app = keys.iter().find(|k| k["key"] == "APP_NAME").unwrap();
    assert_eq!(app["values"]["production"]["inherited"], true, "the one base file stays `true`");
    let (_, out, _) = envlens(&["diff", path, "--all", "--format", "json"]);
    let json: J = serde_json::from_str(&out).unwrap();
    let keys = json["sets"][0]["keys"].as_array().unwrap();
    let api = keys.iter().find(|k| k["key"] == "API_URL").unwrap();
    assert_eq!(api["values"]["production"]["inherited"], false);

    let get = |local: bool| {
        let mut args = vec!["get", "API_URL", path, "--env", "production"];
        if local {
            args.push("--local");
        }
        envlens(&args).1
    };
    assert_eq!(get(false).trim_end(), "https://api.example.test");
    assert_eq!(get(true).trim_end(), "http://127.0.0.1:4000");

    let (_, docs, _) = envlens(&["docs", path, "--format", "json", "--local"]);
    assert!(docs.contains("http://127.0.0.1:4000"), "{docs}");
    let (_, docs, _) = envlens(&["docs", path, "--format", "json"]);
    assert!(!docs.contains("http://127.0.0.1:4000"), "{docs}");

    // A loopback host in production: only there with the local layer.
    let loopback = |extra: &[&str]| {
        let mut args = vec!["check", path, "--format", "json"];
        args.extend(extra);
        let json: J = serde_json::from_str(&envlens(&args).1).unwrap();
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "cross-env-reference" && f["key"] == "API_URL")
            .map(|f| f["file"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(loopback(&[]), Vec::<String>::new());
    assert_eq!(loopback(&["--local"]), ["web/.env.production.local"]);
}

#[test]
fn set_refuses_a_value_a_local_layer_holds_and_says_where_it_lives() {
    let dir = tempfile::tempdir().unwrap();
    for name in [".env", ".env.production", ".env.production.local", ".env.staging"] {
        let from = fixture("dotenv").join("web").join(name);
        std::fs::copy(from, dir.path().join(name)).unwrap();
    }
    let root = dir.path().to_str().unwrap();
    let before = std::fs::read(dir.path().join(".env.production")).unwrap();
    let (code, _, err) = envlens(&[
        "set",
        "API_URL",
        "https://x.example.test",
        root,
        "--env",
        "production",
        "--local",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("local layer .env.production.local:1"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(std::fs::read(dir.path().join(".env.production")).unwrap(), before);
    // Without --local the env's own file is written, byte for byte but the value.
    let (code, _, err) =
        envlens(&["set", "API_URL", "https://x.example.test", root, "--env", "production"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".env.production")).unwrap(),
        "API_URL=https://x.example.test\nLOG_LEVEL=warn\n"
    );
}

/// The TUI with `--local`: the detail pane names the layer a value comes
/// from (`↑ web/.env.production.local:1`), the table header and the set
/// list name the layout.
#[test]
fn the_detail_pane_names_the_layer_of_the_focused_value() {
    use envlens::core::project::OpenOptions;
    use envlens::tui::action::Action;
    use envlens::tui::app::{App, AppOptions};
    use envlens::tui::run::load_blocking_with;

    let settings = envlens::tui::settings::Settings::defaults().unwrap();
    let mut app = App::new(AppOptions::default(), settings.keymap, settings.theme);
    let now = std::time::Instant::now();
    app.update(Action::Resize { width: 150, height: 30 }, now);
    app.start();
    let open = OpenOptions { local: true, ..OpenOptions::default() };
    let loaded = load_blocking_with(&fixture("dotenv"), &open, &[], app.generation);
    app.update(Action::Loaded(Box::new(loaded)), now);
    app.update(Action::Filter, now);
    for c in "API_URL".chars() {
        app.update(Action::FilterInput(c), now);
    }
    app.update(Action::FilterKeep, now);
    app.update(Action::EnvRight, now);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(150, 30)).unwrap();
    terminal.draw(|frame| envlens::tui::view::render(&app, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let lines: Vec<String> = (0..buffer.area.height)
        .map(|y| (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect())
        .collect();
    let screen = lines.join("\n");
    let production = lines
        .iter()
        .find(|l| l.contains("production ") && l.contains("127.0.0.1:4000"))
        .unwrap_or_else(|| panic!("no production line in the detail pane:\n{screen}"));
    assert!(production.contains("web/.env.production.local:1"), "{production}");
    assert!(production.contains("↑ from this layer"), "{production}");
    let staging = lines
        .iter()
        .find(|l| l.contains("staging ") && l.contains("api.staging.example.test"))
        .unwrap_or_else(|| panic!("no staging line:\n{screen}"));
    assert!(staging.contains("web/.env.staging:1") && !staging.contains('↑'), "{staging}");
    let listed = lines.iter().find(|l| l.contains("▶ web/.env ")).unwrap();
    assert!(listed.contains(" dotenv 3 ≠"), "layout in the set list: {listed}");
    assert!(screen.contains("┌ web/.env · dotenv ─"), "layout in the header:\n{screen}");
}
