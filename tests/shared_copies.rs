//! The repository's own copies of shared files stay identical to the
//! reference copies in `../shared/` (beside a checkout on the team's
//! machines): the contract and the screens (`docs/`), the benchmark
//! scripts (`bench/gen_configs.py`, `bench/peer_loop.sh`) and every vendored conformance case
//! (`tests/conformance/`). On a clone with no `../shared` the tests say so
//! and are skipped; the copies are then what the tests use.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::{Path, PathBuf};

/// `../shared` beside the checkout, or None (the test skipped) without it.
fn shared() -> Option<PathBuf> {
    let dir = support::shared_dir("");
    if dir.is_none() {
        support::skip("no ../shared beside the checkout to compare with");
    }
    dir
}

fn assert_same(ours: &Path, theirs: &Path) {
    let a = std::fs::read(ours).unwrap_or_else(|e| panic!("{}: {e}", ours.display()));
    let b = std::fs::read(theirs).unwrap_or_else(|e| panic!("{}: {e}", theirs.display()));
    assert!(
        a == b,
        "{} differs from {}; copy the shared one over it",
        ours.display(),
        theirs.display()
    );
}

#[test]
fn docs_are_the_shared_contract_and_screens() {
    let Some(shared) = shared() else { return };
    assert_same(&support::repo("docs/interface.md"), &shared.join("spec/interface.md"));
    assert_same(&support::repo("docs/screens.md"), &shared.join("spec/screens.md"));
}

#[test]
fn the_benchmark_scripts_are_the_shared_ones() {
    let Some(shared) = shared() else { return };
    for name in ["gen_configs.py", "peer_loop.sh"] {
        assert_same(&support::repo("bench").join(name), &shared.join("bench").join(name));
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { files(&path, out) } else { out.push(path) }
    }
}

#[test]
fn vendored_conformance_cases_are_the_shared_ones() {
    let Some(shared) = shared() else { return };
    let ours = support::repo("tests/conformance");
    let mut all = Vec::new();
    for suite in ["yaml", "toml", "json"] {
        files(&ours.join(suite), &mut all);
    }
    assert!(all.len() > 2000, "only {} vendored files", all.len());
    for path in &all {
        let rel = path.strip_prefix(&ours).unwrap();
        assert_same(path, &shared.join("conformance").join(rel));
    }
}
