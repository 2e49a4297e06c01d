//! Flag files (§14): a fixture per format written from its published
//! schema (flagd, GO Feature Flag, Flipt, an Unleash export per env) read
//! as flag sets with the §14 keys at the flag's lines; `check`'s
//! `flag-order` (on in prod while off in staging, or missing there),
//! `flag-unknown-variant`, `flag-stale` and `[flags] promotion`; flags in
//! config files; and edits of `enabled`/`default` written as the format's
//! own field.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value as J, json};

const BIN: &str = env!("CARGO_BIN_EXE_envlens");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/flags").join(name)
}

fn run(args: &[&str], root: &Path) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).arg(root).env_remove("NO_COLOR").output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn diff(root: &Path) -> J {
    let (code, out, err) = run(&["diff", "--all", "--format", "json"], root);
    assert!(matches!(code, 0 | 1), "{err}");
    serde_json::from_str(&out).unwrap()
}

/// `key` → env → (value, line) of the only set.
fn cell(report: &J, key: &str, env: &str) -> (J, J) {
    let set = &report["sets"][0];
    let row = set["keys"].as_array().unwrap().iter().find(|k| k["key"] == key);
    let cell = &row.unwrap_or_else(|| panic!("no {key}"))["values"][env];
    (cell["value"].clone(), cell["line"].clone())
}

fn findings(root: &Path) -> Vec<(String, String, String, String)> {
    let (_, out, _) = run(&["check", "--format", "json"], root);
    let report: J = serde_json::from_str(&out).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("flag-"))
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            (s("rule"), s("severity"), s("env"), s("key"))
        })
        .collect()
}

fn f(rule: &str, severity: &str, env: &str, key: &str) -> (String, String, String, String) {
    (rule.to_owned(), severity.to_owned(), env.to_owned(), key.to_owned())
}

#[test]
fn flagd_flags_with_variants_of_every_json_type() {
    let report = diff(&fixture("flagd"));
    assert_eq!(report["sets"][0]["name"], "flags");
    assert_eq!(cell(&report, "new-checkout.enabled", "staging"), (json!(false), json!(5)));
    assert_eq!(cell(&report, "new-checkout.default", "dev"), (json!(true), json!(7)));
    assert_eq!(cell(&report, "banner-color.default", "dev").0, json!("#ff0000"));
    assert_eq!(cell(&report, "page-size.variants.small", "dev").0, json!(10));
    assert_eq!(cell(&report, "page-size.variants.large", "dev").0, json!(50.5));
    assert_eq!(cell(&report, "page-size.variants.layout.dense", "dev").0, json!(true));
    // `$evaluators` through `$ref`: one rule; an `if` with two conditions: two.
    assert_eq!(cell(&report, "banner-color.rules", "prod").0, json!(1));
    assert_eq!(cell(&report, "page-size.rules", "prod").0, json!(2));
    assert_eq!(cell(&report, "search-v2.enabled", "staging").0, J::Null);
    assert_eq!(
        findings(&fixture("flagd")),
        [
            f("flag-order", "warning", "prod", "new-checkout.enabled"),
            f("flag-unknown-variant", "error", "prod", "page-size.default"),
            f("flag-order", "warning", "prod", "search-v2.enabled"),
        ]
    );
}

#[test]
fn go_feature_flag_flipt_and_unleash() {
    let goff = diff(&fixture("goff"));
    assert_eq!(cell(&goff, "new-checkout.enabled", "staging"), (json!(false), json!(10)));
    assert_eq!(cell(&goff, "new-checkout.rollout", "prod").0, json!(25));
    assert_eq!(cell(&goff, "theme.default", "dev").0, json!("light"));
    assert_eq!(cell(&goff, "theme.variants.fancy.radius", "dev").0, json!(4));
    assert_eq!(cell(&goff, "theme.rules", "dev").0, json!(1));
    assert_eq!(
        findings(&fixture("goff")),
        [f("flag-order", "warning", "prod", "new-checkout.enabled")]
    );

    let flipt = diff(&fixture("flipt"));
    assert_eq!(cell(&flipt, "new-checkout.rollout", "prod").0, json!(12.5));
    assert_eq!(cell(&flipt, "pricing.variants.control", "dev").0, json!("control"));
    assert_eq!(cell(&flipt, "pricing.variants.annual.discount", "dev").0, json!(0.2));
    assert_eq!(
        findings(&fixture("flipt")),
        [
            f("flag-order", "warning", "prod", "new-checkout.enabled"),
            f("flag-unknown-variant", "error", "staging", "pricing.default"),
        ]
    );

    let unleash = diff(&fixture("unleash"));
    assert_eq!(unleash["sets"][0]["envs"], json!(["development", "production"]));
    assert_eq!(cell(&unleash, "new-checkout.enabled", "production").0, json!(true));
    assert_eq!(cell(&unleash, "new-checkout.rollout", "production").0, json!(30));
    assert_eq!(
        cell(&unleash, "old-banner.variants.blue", "production").0,
        json!("{\"color\": \"blue\"}")
    );
    // Unleash 5 on keeps variants on the strategy: read there too.
    assert_eq!(
        cell(&unleash, "new-checkout.variants.treatment", "development").0,
        json!("one-page")
    );
    assert_eq!(cell(&unleash, "new-checkout.variants.treatment", "production").0, J::Null);
    assert_eq!(
        findings(&fixture("unleash")),
        [
            f("flag-stale", "warning", "", "old-banner.stale"),
            f("flag-order", "warning", "production", "new-checkout.enabled"),
        ]
    );
}

#[test]
fn flags_in_config_files_and_a_promotion_policy() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("config_dev.yaml", "features:\n  search: true\n  chat: false\nrelease:\n  beta: true\n");
    write(
        "config_staging.yaml",
        "features:\n  search: false\n  chat: false\nrelease:\n  beta: false\n",
    );
    write("config_prod.yaml", "features:\n  search: true\n  chat: true\nrelease:\n  beta: true\n");
    write(".envlens.toml", "[drift]\nexpected = [\"**\"]\n");
    assert_eq!(
        findings(dir.path()),
        [
            f("flag-order", "warning", "prod", "features.search"),
            f("flag-order", "warning", "prod", "features.chat"),
        ]
    );
    // `[flags] keys` adds keys; a `[flags]` table makes the rule an error;
    // `promotion` gives the order (prod before staging: staging is then late).
    write(
        ".envlens.toml",
        "[drift]\nexpected = [\"**\"]\n[flags]\nkeys = [\"release.*\"]\npromotion = [\"dev\", \"prod\", \"staging\"]\n",
    );
    assert_eq!(findings(dir.path()), [f("flag-order", "error", "prod", "features.chat")]);
    write(".envlens.toml", "[drift]\nexpected = [\"**\"]\n[flags]\nkeys = [\"release.*\"]\n");
    let found = findings(dir.path());
    assert!(found.contains(&f("flag-order", "error", "prod", "release.beta")), "{found:?}");
    write(".envlens.toml", "[flags]\npromotion = \"dev\"\n");
    let (code, _, err) = run(&["check"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains(".envlens.toml:2") && err.contains("flags.promotion"), "{err}");
}

#[test]
fn editing_enabled_and_default_writes_the_formats_own_field() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["flagd", "goff", "flipt", "unleash"] {
        std::fs::create_dir(dir.path().join(name)).unwrap();
        for entry in std::fs::read_dir(fixture(name)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.path().join(name).join(entry.file_name())).unwrap();
        }
    }
    let set = |root: &str, args: &[&str]| {
        let mut all = vec!["set"];
        all.extend(args);
        run(&all, &dir.path().join(root))
    };
    let read = |path: &str| std::fs::read_to_string(dir.path().join(path)).unwrap();
    let (code, _, err) = set("flagd", &["new-checkout.enabled", "true", "--env", "staging"]);
    assert_eq!(code, 0, "{err}");
    let text = read("flagd/flags_staging.json");
    assert!(text.contains("\"new-checkout\": {\n      \"state\": \"ENABLED\","), "{text}");
    let (code, _, err) = set("flagd", &["banner-color.default", "#0000ff", "--env", "dev"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        read("flagd/flags_dev.json").contains("\"defaultVariant\": \"blue\",\n      \"targeting\"")
    );
    let (code, _, err) = set("flagd", &["banner-color.default", "#00ff00", "--env", "dev"]);
    assert_eq!(code, 1, "no variant has the value");
    assert!(err.contains("red = #ff0000"), "{err}");
    let (code, _, err) = set("flagd", &["page-size.rules", "3", "--env", "dev"]);
    assert_eq!(code, 1);
    assert!(err.contains("counts the flag's targeting rules"), "{err}");

    let (code, _, err) = set("goff", &["new-checkout.enabled", "false", "--env", "dev"]);
    assert_eq!(code, 0, "{err}");
    assert!(read("goff/flags.dev.goff.yaml").contains("  disable: true\n"));
    let (code, _, err) = set("goff", &["theme.enabled", "false", "--env", "dev"]);
    assert_eq!(code, 1);
    assert!(err.contains("disable: true/false"), "{err}");

    let (code, _, err) = set("flipt", &["new-checkout.enabled", "true", "--env", "staging"]);
    assert_eq!(code, 0, "{err}");
    assert!(read("flipt/staging.features.yml").contains("    enabled: true\n    rollouts:"));
    let (code, _, err) = set("flipt", &["pricing.default", "control", "--env", "staging"]);
    assert_eq!(code, 0, "{err}");
    assert!(read("flipt/staging.features.yml").contains("default_variant: control"));

    // Unleash: the env entry's own `enabled`; a strategy count is refused.
    let (code, _, err) = set("unleash", &["new-checkout.enabled", "true", "--env", "development"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        read("unleash/unleash-development.json")
            .contains("{\"enabled\": true, \"featureName\": \"new-checkout\", \"environment\": \"development\""),
        "{}",
        read("unleash/unleash-development.json")
    );
    let (code, _, err) = set("unleash", &["new-checkout.rules", "2", "--env", "production"]);
    assert_eq!(code, 1);
    assert!(err.contains("counts the flag's targeting rules"), "{err}");
}

/// §14: "any JSON whose `$schema` names flagd" is a flagd file, whatever
/// its name: `config_<env>.json` files with flagd's `$schema` form a flag
/// set (the §14 keys, `flag-order`, edits written as `state`), while JSON
/// beside them without it stays plain config.
#[test]
fn json_whose_schema_names_flagd_is_a_flag_file() {
    let dir = tempfile::tempdir().unwrap();
    let flagd = |state: &str| {
        format!(
            "{{\n  \"$schema\": \"https://flagd.dev/schema/v0/flags.json\",\n  \"flags\": {{\n    \
             \"new-checkout\": {{\n      \"state\": \"{state}\",\n      \"variants\": \
             {{\"on\": true, \"off\": false}},\n      \"defaultVariant\": \"on\"\n    }}\n  }}\n}}\n"
        )
    };
    std::fs::write(dir.path().join("config_staging.json"), flagd("DISABLED")).unwrap();
    std::fs::write(dir.path().join("config_prod.json"), flagd("ENABLED")).unwrap();
    let plain = "{\"$schema\": \"./app.schema.json\", \"flags\": {\"state\": \"ENABLED\"}}\n";
    std::fs::create_dir(dir.path().join("app")).unwrap();
    std::fs::write(dir.path().join("app/config_staging.json"), plain).unwrap();
    std::fs::write(dir.path().join("app/config_prod.json"), plain).unwrap();
    let (code, out, err) = run(&["sets", "--format", "json"], dir.path());
    assert_eq!(code, 0, "{err}");
    let sets: J = serde_json::from_str(&out).unwrap();
    let layouts: Vec<(&str, &str)> = sets["sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["layout"].as_str().unwrap()))
        .collect();
    assert_eq!(layouts, [("app/config", "builtin"), ("config", "flags")], "{out}");
    let (code, out, _) = run(&["diff", "--all", "--format", "json", "--set", "config"], dir.path());
    assert_eq!(code, 1);
    let report: J = serde_json::from_str(&out).unwrap();
    assert_eq!(cell(&report, "new-checkout.enabled", "staging"), (json!(false), json!(5)));
    assert_eq!(cell(&report, "new-checkout.variants.on", "prod").0, json!(true));
    assert_eq!(findings(dir.path()), [f("flag-order", "warning", "prod", "new-checkout.enabled")]);
    let args = ["set", "new-checkout.enabled", "true", "--env", "staging", "--set", "config"];
    let (code, _, err) = run(&args, dir.path());
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.path().join("config_staging.json")).unwrap();
    assert!(text.contains("\"state\": \"ENABLED\""), "{text}");
}
