//! Every input the fuzzers ever crashed on (`tests/fixtures/fuzz/<target>/`)
//! and every committed seed (`fuzz/seeds/<target>/`), replayed through the
//! very checks the fuzz targets run (`fuzz/src/lib.rs`, included here), so
//! a fixed crash stays fixed under a plain `cargo test`, without libFuzzer.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::{Path, PathBuf};

use envlens::core::parse::Format;

/// The files of `fuzz/seeds/<target>` and `tests/fixtures/fuzz/<target>`.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in [root.join("fuzz/seeds").join(target), root.join("tests/fixtures/fuzz").join(target)]
    {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            found.push((path, bytes));
        }
    }
    found.sort();
    found
}

fn replay(target: &str, check: impl Fn(&[u8])) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no seeds for {target}");
    for (path, bytes) in inputs {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&bytes)));
        assert!(outcome.is_ok(), "{target}: {} fails again", path.display());
    }
}

#[test]
fn yaml() {
    replay("yaml", |data| checks::parse_bytes(Format::Yaml, data));
}

#[test]
fn json() {
    replay("json", |data| checks::parse_bytes(Format::Json, data));
}

#[test]
fn toml() {
    replay("toml", |data| checks::parse_bytes(Format::Toml, data));
}

#[test]
fn dotenv() {
    replay("dotenv", |data| checks::parse_bytes(Format::Dotenv, data));
}

#[test]
fn jsonc() {
    replay("jsonc", |data| checks::parse_bytes(Format::Jsonc, data));
}

#[test]
fn json5() {
    replay("json5", |data| checks::parse_bytes(Format::Json5, data));
}

#[test]
fn properties() {
    replay("properties", |data| checks::parse_bytes(Format::Properties, data));
}

#[test]
fn ini() {
    replay("ini", |data| checks::parse_bytes(Format::Ini, data));
}

#[test]
fn hcl() {
    replay("hcl", |data| checks::parse_bytes(Format::Hcl, data));
}

#[test]
fn edit_formats() {
    replay("edit_formats", checks::edit_one_of_more);
}

#[test]
fn key_path() {
    replay("key_path", checks::key_path_round_trip);
}

#[test]
fn edit() {
    replay("edit", checks::edit_one);
}

/// The `edit` fuzzer's find, spelled out: a NUL typed into a dotenv value
/// (the TUI editor takes pasted text) was written raw between quotes, and
/// the file no longer loaded ("NUL byte"). Now the plan is refused.
#[test]
fn a_nul_in_a_new_value_is_refused_not_written() {
    use envlens::core::discover::DiscoverOptions;
    use envlens::core::edit::{self, EditRequest, RefusalKind};
    use envlens::core::project::Project;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env.dev"), "A=1\n").unwrap();
    let project = Project::load(dir.path(), &DiscoverOptions::default());
    for input in ["a\0b", "\0"] {
        let request = EditRequest { env: "dev", key: "A", input, ..EditRequest::default() };
        let refusal = edit::plan(&project, &request).unwrap_err();
        assert_eq!(refusal.kind, RefusalKind::Verify);
        assert!(refusal.reason.contains("NUL"), "{}", refusal.reason);
    }
    assert_eq!(std::fs::read_to_string(dir.path().join(".env.dev")).unwrap(), "A=1\n");
}

#[test]
fn flags() {
    replay("flags", checks::parse_flags);
}
