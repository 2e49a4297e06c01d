//! `envlens diff`'s table shows the difference it exists to show: piped,
//! no key or value is ever cut (columns sized to their content); fitted
//! to a width (a terminal, `--width N`), keys are cut in the middle keeping
//! their last segments and no two keys print the same; the header stays
//! over its columns with long env labels such as `prod (error)`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use serde_json::Value as J;
use unicode_width::UnicodeWidthStr;

fn envlens(dir: &Path, args: &[&str]) -> String {
    let run = support::run::envlens_in(dir, args);
    assert!(matches!(run.code, 0..=2), "{}", run.stderr);
    run.stdout
}

/// The table line of `key` in a table (the mark, a space, the key).
fn line_of<'t>(table: &'t str, key: &str) -> &'t str {
    table
        .lines()
        .find(|l| {
            l.chars().nth(1) == Some(' ')
                && l.chars().skip(2).collect::<String>().starts_with(&format!("{key} "))
        })
        .unwrap_or_else(|| panic!("no row for {key}:\n{table}"))
}

#[test]
fn piped_sample_project_shows_every_key_and_value_whole() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = envlens(root, &["diff", "sample-project", "--all"]);
    assert!(!table.contains('…'), "a piped table cuts nothing:\n{table}");
    let json: J = serde_json::from_str(&envlens(
        root,
        &["diff", "sample-project", "--all", "--format", "json"],
    ))
    .unwrap();
    let mut cells = 0;
    for set in json["sets"].as_array().unwrap() {
        let block = table
            .split("\n\n")
            .find(|b| b.starts_with(&format!("{}  ", set["name"].as_str().unwrap())))
            .unwrap();
        for key in set["keys"].as_array().unwrap() {
            let line = line_of(block, key["key"].as_str().unwrap());
            // Strings as they are (numbers keep their source text, `3e-4`).
            for cell in key["values"].as_object().unwrap().values() {
                if let Some(text) = cell["value"].as_str() {
                    assert!(line.contains(text), "{text:?} not whole in {line:?}");
                    cells += 1;
                }
            }
        }
    }
    assert!(cells > 40, "only {cells} cells");
    // The longest value of the sample, whole.
    assert!(table.contains("postgres://trainer:••••••••@db.staging.internal:5432/features"));
}

/// A project with long and look-alike keys and long values.
fn long_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let long_value = format!("https://{}.example.com/path", "very-long-host-name".repeat(8));
    let deep = "spec.template.spec.containers";
    let mut dev = String::new();
    let mut prod = String::new();
    for service in ["api", "web", "worker"] {
        for (file, tag) in [(&mut dev, "dev"), (&mut prod, "prod")] {
            let _ = write!(
                file,
                "{service}:\n  {}:\n    image: registry.example.com/{service}:{tag}\n    env:\n      DATABASE_URL: postgres://db.{tag}.internal/{service}\n",
                deep.replace('.', "_")
            );
        }
    }
    let _ = writeln!(dev, "long_value: {long_value}");
    prod.push_str("long_value: short\n");
    let long_key = format!("{}: 1\n", "k".repeat(150));
    dev.push_str(&long_key);
    prod.push_str(&long_key.replace(": 1", ": 2"));
    std::fs::write(dir.path().join("config_dev.yaml"), dev).unwrap();
    std::fs::write(dir.path().join("config_prod.yaml"), prod).unwrap();
    dir
}

#[test]
fn piped_long_keys_and_values_are_never_cut() {
    let dir = long_project();
    let table = envlens(dir.path(), &["diff"]);
    assert!(!table.contains('…'), "{table}");
    assert!(table.contains(&"very-long-host-name".repeat(8)));
    line_of(&table, &"k".repeat(150));
    line_of(&table, "worker.spec_template_spec_containers.env.DATABASE_URL");
}

#[test]
fn fitted_keys_keep_their_last_segments_and_stay_distinct() {
    let dir = long_project();
    for width in [40, 50, 60, 80, 120] {
        let table = envlens(dir.path(), &["diff", "--width", &width.to_string()]);
        let rows: Vec<&str> = table.lines().skip(2).filter(|l| !l.is_empty()).collect();
        assert!(rows.len() >= 7, "{table}");
        let mut keys = std::collections::BTreeSet::new();
        for row in &rows {
            assert!(row.width() <= width, "{width}: {row:?} is {} wide", row.width());
            let key: String = row.split("  ").next().unwrap().chars().skip(2).collect();
            assert!(keys.insert(key.clone()), "{width}: two keys print as {key:?}:\n{table}");
        }
        // The last segment of every DATABASE_URL key is kept.
        let urls = rows.iter().filter(|r| r.contains("DATABASE_URL")).count();
        assert_eq!(urls, 3, "{width}:\n{table}");
        if width <= 60 {
            assert!(table.contains('…'), "{width}: something is cut:\n{table}");
        }
    }
    let table = envlens(dir.path(), &["diff", "--width", "60"]);
    assert!(table.contains("api…image") || table.contains("api…containers.image"), "{table}");
}

/// Where each column starts in a line: after the key, the starts of the
/// runs of text that follow two spaces.
fn column_starts(line: &str) -> Vec<usize> {
    let chars: Vec<char> = line.chars().collect();
    let mut starts = Vec::new();
    for i in 3..chars.len() {
        if chars[i] != ' ' && chars[i - 1] == ' ' && chars[i - 2] == ' ' {
            starts.push(chars[..i].iter().collect::<String>().width());
        }
    }
    starts
}

#[test]
fn the_header_stays_over_its_columns_with_long_env_labels() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config_dev.yaml"), "port: 1\nhost: a\n").unwrap();
    std::fs::write(dir.path().join("config_staging.yaml"), "port: 2\nhost: b\n").unwrap();
    std::fs::write(dir.path().join("config_prod.yaml"), "port: [\n").unwrap();
    for args in [vec!["diff"], vec!["diff", "--width", "40"], vec!["diff", "--width", "120"]] {
        let table = envlens(dir.path(), &args);
        let mut lines = table.lines().skip(1);
        let header = lines.next().unwrap();
        assert!(header.contains("prod (error)"), "{table}");
        let want = column_starts(header);
        assert_eq!(want.len(), 3, "{args:?}: {header:?}");
        for row in lines.filter(|l| !l.is_empty()) {
            assert_eq!(column_starts(row), want, "{args:?}:\n{table}");
        }
    }
}

/// On a terminal the table fits the terminal's width (`COLUMNS` here, as
/// a shell sets it), through util-linux `script`.
#[cfg(unix)]
#[test]
fn a_terminal_gets_the_table_fitted_to_its_width() {
    if !support::have("script", "-V", "apt-get install bsdutils") {
        return;
    }
    let dir = long_project();
    let bin = support::run::BIN;
    let out = Command::new("script")
        .args(["-qec", &format!("{bin} diff --color never"), "/dev/null"])
        .current_dir(dir.path())
        .env("COLUMNS", "60")
        .env("TERM", "xterm-256color")
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(screen.contains("DATABASE_URL"), "{screen}");
    assert!(screen.contains('…'), "{screen}");
    for line in screen.lines().skip(1) {
        assert!(line.width() <= 60, "{line:?}");
    }
}
