//! Core benchmarks on projects written by `bench/gen_configs.py`:
//! parsing each format, loading a whole project, and diffing its rows.
//! Run with `cargo bench`; the generated projects are cached in the
//! system temp folder.

#![allow(clippy::expect_used, reason = "a benchmark without its workload cannot run")]

use envlens::core::discover::DiscoverOptions;
use envlens::core::parse::{Format, parse};
use envlens::core::project::Project;

#[path = "support/formats.rs"]
mod formats;
mod support;

use support::{manifests, workload};

fn main() {
    divan::main();
}

fn medium(format: &str) -> String {
    let dir = workload(
        &format!("medium-{format}"),
        &["--single", "--keys", "20000", "--formats", format],
    );
    let file =
        if format == "dotenv" { ".env.dev".to_owned() } else { format!("config_dev.{format}") };
    std::fs::read_to_string(dir.join(file)).expect("generated file is there")
}

#[divan::bench(args = ["yaml", "json", "toml", "dotenv"])]
fn parse_medium_file(bencher: divan::Bencher, format: &str) {
    let text = medium(format);
    let kind = match format {
        "yaml" => Format::Yaml,
        "json" => Format::Json,
        "toml" => Format::Toml,
        _ => Format::Dotenv,
    };
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| parse(kind, divan::black_box(&text)).map(|p| p.leaves.len()));
}

/// The full parsers alone, without the fast path that `parse` tries first:
/// the fast path's gain is `parse_medium_file` against these.
#[divan::bench(args = ["yaml", "toml"])]
fn full_parser_medium_file(bencher: divan::Bencher, format: &str) {
    let text = medium(format);
    let full = match format {
        "yaml" => envlens::core::parse::yaml::parse_full,
        _ => envlens::core::parse::toml::parse_full,
    };
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| full(divan::black_box(&text)).map(|p| p.leaves.len()));
}

/// `toml_edit` reading the medium TOML file and nothing else: the floor
/// under the full TOML parser.
#[divan::bench]
fn toml_edit_alone_medium_file(bencher: divan::Bencher) {
    let text = medium("toml");
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| toml_edit::Document::parse(divan::black_box(text.as_str())).is_ok());
}

/// A 2 MB file in `format`: TOML and JSON as generated, the formats of §11
/// rewritten from the same JSON (`support::formats`).
fn two_mb(format: &str) -> (Format, String) {
    let generated = |ext: &str| {
        let dir = workload(
            &format!("2mb-{ext}"),
            &["--single", "--target-mb", "2", "--envs", "dev", "--formats", ext],
        );
        std::fs::read_to_string(dir.join(format!("config_dev.{ext}"))).expect("generated")
    };
    if format == "toml" {
        return (Format::Toml, generated("toml"));
    }
    let json = generated("json");
    let value = || serde_json::from_str::<serde_json::Value>(&json).expect("generated JSON");
    match format {
        "jsonc" => (Format::Jsonc, formats::jsonc(&json)),
        "json5" => (Format::Json5, formats::json5(&value())),
        "properties" => (Format::Properties, formats::properties(&value())),
        "ini" => (Format::Ini, formats::ini(&value())),
        "hcl" => (Format::Hcl, formats::hcl(&value())),
        _ => (Format::Json, json.clone()),
    }
}

/// Each parser of §11 beside the TOML fast path on 2 MB of its format
/// (the yardstick: at least as fast, in bytes per second).
#[divan::bench(args = ["toml", "json", "jsonc", "json5", "properties", "ini", "hcl"])]
fn parse_2mb_file(bencher: divan::Bencher, format: &str) {
    let (kind, text) = two_mb(format);
    assert!(parse(kind, &text).is_ok(), "the {format} rewrite parses");
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| parse(kind, divan::black_box(&text)).map(|p| p.leaves.len()));
}

#[divan::bench]
fn load_small_project(bencher: divan::Bencher) {
    let dir = workload("small", &["--single", "--keys", "300", "--formats", "yaml"]);
    bencher.bench(|| Project::load(&dir, &DiscoverOptions::default()).sets.len());
}

#[divan::bench(sample_count = 10)]
fn load_monorepo(bencher: divan::Bencher) {
    let dir = workload("mono", &["--sets", "500", "--keys", "200"]);
    bencher.bench(|| Project::load(&dir, &DiscoverOptions::default()).sets.len());
}

#[divan::bench]
fn diff_medium_set(bencher: divan::Bencher) {
    let dir = workload("medium-yaml", &["--single", "--keys", "20000", "--formats", "yaml"]);
    let project = Project::load(&dir, &DiscoverOptions::default());
    let set = &project.sets[0];
    let envs: Vec<usize> = (0..set.envs.len()).collect();
    bencher.bench(|| set.rows(&envs).len());
}

/// Loading and diffing a 5,000-object manifest stream per env (§12:
/// documents keyed `Kind/name`, Secrets decoded, lists keyed by identity)
/// beside plain YAML of the same number of keys in two envs: the issue's
/// yardstick is at most 1.5x.
#[divan::bench(args = ["manifests", "plain"], sample_count = 10)]
fn load_and_diff_5000_objects(bencher: divan::Bencher, kind: &str) {
    let dir = if kind == "manifests" {
        manifests("manifests-5000", &["--objects", "5000"])
    } else {
        workload(
            "plain-56524",
            &["--single", "--keys", "56524", "--formats", "yaml", "--envs", "dev,prod"],
        )
    };
    bencher.bench(|| {
        let project = Project::load(&dir, &DiscoverOptions::default());
        let set = &project.sets[0];
        let envs: Vec<usize> = (0..set.envs.len()).collect();
        set.rows(&envs).len()
    });
}
