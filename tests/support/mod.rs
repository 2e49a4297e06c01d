//! Helpers shared by the integration tests.

#![allow(dead_code, reason = "each test binary uses a different part")]

use envlens::core::key_path::{push_index, push_key};
use envlens::core::leaf::Named;
use serde_json::Value as J;

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

/// Path of a folder in `../shared/` (beside the checkout), or None when the
/// shared folder is not there.
pub fn shared_dir(rel: &str) -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared").join(rel);
    dir.is_dir().then_some(dir)
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
