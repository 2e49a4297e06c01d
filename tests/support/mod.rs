//! Helpers shared by the integration tests.

#![allow(dead_code, reason = "each test binary uses a different part")]

pub mod app;
pub mod git;
pub mod run;
pub mod stores;
pub mod tmux;

use envlens::core::key_path::{push_index, push_key};
use envlens::core::leaf::Named;
use serde_json::Value as J;

/// Writes `text` to `rel` below `root`, making its folders.
pub fn write_file(root: &std::path::Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Flattens a JSON value the way §3 flattens a config document: one entry
/// per scalar or empty container, keyed by display path, in document order.
/// A document that is only `{}` or `[]` has no entries.
pub fn flatten_json(value: &J) -> Vec<(String, J)> {
    let mut out = Vec::new();
    if matches!(value, J::Object(m) if m.is_empty()) || matches!(value, J::Array(a) if a.is_empty())
    {
        return out;
    }
    let mut path = String::new();
    walk(value, &mut path, &mut out);
    out
}

fn walk(value: &J, path: &mut String, out: &mut Vec<(String, J)>) {
    let mark = path.len();
    match value {
        J::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                push_key(path, key);
                walk(child, path, out);
                path.truncate(mark);
            }
        }
        J::Array(items) if !items.is_empty() => {
            for (i, child) in items.iter().enumerate() {
                push_index(path, i);
                walk(child, path, out);
                path.truncate(mark);
            }
        }
        _ => out.push((path.clone(), value.clone())),
    }
}

/// Leaves as (path, JSON value) pairs, comparable with `flatten_json`.
pub fn leaves_as_json(leaves: &[Named]) -> Vec<(String, J)> {
    leaves.iter().map(|l| (l.path.clone(), l.value.to_json())).collect()
}

/// Equality of JSON leaves where numbers compare as numbers (suites write
/// `1.0` where a parser may keep `1`).
#[allow(clippy::float_cmp, reason = "exact equality first, then a relative margin")]
pub fn same_json(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y || (x - y).abs() <= f64::EPSILON * x.abs().max(y.abs()),
            _ => x == y,
        },
        _ => a == b,
    }
}

/// A path inside the repository.
pub fn repo(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The vendored copy of one conformance suite (`tests/conformance/SUITE`).
pub fn conformance_dir(suite: &str) -> std::path::PathBuf {
    let dir = repo("tests/conformance").join(suite);
    assert!(dir.is_dir(), "{} is part of the repository and missing", dir.display());
    dir
}

/// Path of a folder in `../shared/` (beside the checkout), or None when the
/// shared folder is not there.
pub fn shared_dir(rel: &str) -> Option<std::path::PathBuf> {
    let dir = repo("../shared").join(rel);
    dir.is_dir().then_some(dir)
}

/// Ends a test that cannot run here: says so on the terminal (past the
/// test harness's capture, so `cargo test` shows it) and returns, unless
/// `ENVLENS_NO_SKIP` is set (`.ci/run` sets it after installing every
/// tool), where a skip is a failure.
pub fn skip(why: &str) {
    use std::io::Write;
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    assert!(
        std::env::var_os("ENVLENS_NO_SKIP").is_none(),
        "{test} cannot run: {why} (ENVLENS_NO_SKIP is set, so this fails)"
    );
    let _ = writeln!(std::io::stderr(), "skipped {test}: {why}");
}

/// Whether `program` runs here (`program ARG` starts); when it does not,
/// the calling test is skipped with `install` as the way to get it.
pub fn have(program: &str, arg: &str, install: &str) -> bool {
    let ran = std::process::Command::new(program)
        .arg(arg)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok();
    if !ran {
        skip(&format!("`{program}` is not installed ({install}; .ci/run does)"));
    }
    ran
}

/// The benchmark workload generator (`bench/gen_configs.py`) writing into
/// `out` with `args`; false (the test skipped) when python3 is missing.
pub fn generate(out: &std::path::Path, args: &[&str]) -> bool {
    if !have("python3", "--version", "apt-get install python3") {
        return false;
    }
    let run = std::process::Command::new("python3")
        .arg(repo("bench/gen_configs.py"))
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    true
}

/// A copy of `sample-project/` in a temporary folder, to edit or rewrite
/// freely; removed when the test ends.
pub fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-project"), dir.path());
    dir
}

/// Copies a folder tree (files and folders only).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
