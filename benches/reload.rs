//! Live reload on the monorepo workload of `bench/gen_configs.py`
//! (500 sets × 3 envs, about 200 keys a file): applying one changed file
//! must cost what that file costs (`load_one_file`), not what the project
//! costs (`load_project`). Run with `cargo bench --bench reload`; the
//! project is generated once into the system temp folder.

#![allow(clippy::expect_used, reason = "a benchmark without its workload cannot run")]

use std::path::PathBuf;

use envlens::core::discover::DiscoverOptions;
use envlens::core::project::{Project, load_file};

mod support;

fn main() {
    divan::main();
}

fn monorepo() -> PathBuf {
    support::workload("reload-monorepo", &["--sets", "500", "--keys", "200"])
}

/// The loaded project and the position of one file in the middle of it.
fn loaded() -> (Project, usize, usize) {
    let root = monorepo();
    let project = Project::load(&root, &DiscoverOptions::default());
    let set = project.sets.len() / 2;
    (project, set, 1)
}

/// The whole project: what a reload must not cost.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn load_project() -> usize {
    Project::load(&monorepo(), &DiscoverOptions::default()).sets.len()
}

/// One file read and parsed: what a reload should cost.
#[divan::bench]
fn load_one_file(bencher: divan::Bencher) {
    let (project, set, env) = loaded();
    let file = project.sets[set].envs[env].file.clone();
    bencher.bench_local(|| load_file(&project.root, divan::black_box(&file)).file.leaves.len());
}

/// `apply_changes` with that one file changed. Forgetting its fingerprint
/// makes the same bytes count as new, so every round parses it.
#[divan::bench]
fn apply_one_changed_file(bencher: divan::Bencher) {
    let (mut project, set, env) = loaded();
    let changed = [project.root.join(&project.sets[set].envs[env].file.rel_path)];
    let options = DiscoverOptions::default();
    bencher.bench_local(|| {
        project.sets[set].envs[env].fingerprint = None;
        project.apply_changes(&options, divan::black_box(&changed)).files.len()
    });
}

/// `apply_changes` with that file touched but not changed: a read, no parse.
#[divan::bench]
fn apply_one_touched_file(bencher: divan::Bencher) {
    let (mut project, set, env) = loaded();
    let changed = [project.root.join(&project.sets[set].envs[env].file.rel_path)];
    let options = DiscoverOptions::default();
    bencher.bench_local(|| project.apply_changes(&options, divan::black_box(&changed)).files.len());
}
