//! The project watcher on real files in a temp folder: writes, atomic
//! renames, deletes, creations, renames and bursts come out as the right
//! changed-path sets; ignored and unrelated files come out as nothing; the
//! polling fallback works and says so once. Every wait has a deadline and
//! ends as soon as its condition holds.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use envlens::core::watch::{
    ChangeKind, PathChange, ProjectWatcher, WatchEvent, WatchOptions, to_channel,
};

const PATIENCE: Duration = Duration::from_secs(10);

struct Watched {
    dir: tempfile::TempDir,
    rx: Receiver<WatchEvent>,
    /// Every event seen so far, in order.
    seen: Vec<WatchEvent>,
    _watcher: ProjectWatcher,
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A project with `files`, watched; returns once the watches are in place.
fn watch(files: &[(&str, &str)], options: WatchOptions) -> Watched {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    let (tx, rx) = mpsc::channel();
    let handle = ProjectWatcher::start(dir.path(), options, to_channel(tx, |e| e)).unwrap();
    let mut w = Watched { dir, rx, seen: Vec::new(), _watcher: handle };
    w.wait_until(|seen| seen.iter().any(|e| matches!(e, WatchEvent::Ready { .. })));
    w
}

impl Watched {
    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Collects events until `done` holds of all seen; panics at the deadline.
    fn wait_until(&mut self, done: impl Fn(&[WatchEvent]) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done(&self.seen) {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(event) = self.rx.recv_timeout(left) else {
                panic!("timed out; events so far: {:#?}", self.seen);
            };
            self.seen.push(event);
        }
    }

    /// Every change reported so far.
    fn changes(&self) -> BTreeSet<PathChange> {
        changes_in(&self.seen)
    }

    /// Waits until every change of `expected` has been reported.
    fn wait_for(&mut self, expected: &[(&str, ChangeKind)]) {
        let expected: Vec<PathChange> = expected
            .iter()
            .map(|(rel, kind)| PathChange { path: self.path(rel), kind: *kind })
            .collect();
        self.wait_until(|seen| {
            let got = changes_in(seen);
            expected.iter().all(|c| got.contains(c))
        });
    }

    fn batches(&self) -> usize {
        self.seen.iter().filter(|e| matches!(e, WatchEvent::Changed(_))).count()
    }
}

fn changes_in(seen: &[WatchEvent]) -> BTreeSet<PathChange> {
    seen.iter()
        .filter_map(|e| match e {
            WatchEvent::Changed(c) => Some(c.iter().cloned()),
            _ => None,
        })
        .flatten()
        .collect()
}

const PROJECT: &[(&str, &str)] = &[
    ("config_dev.yaml", "a: 1\n"),
    ("config_prod.yaml", "a: 2\n"),
    ("services/api/.env.dev", "A=1\n"),
];

#[test]
fn a_plain_write_is_a_modification() {
    let mut w = watch(PROJECT, WatchOptions::default());
    write(w.root(), "config_prod.yaml", "a: 3\n");
    w.wait_for(&[("config_prod.yaml", ChangeKind::Modified)]);
    assert_eq!(
        w.changes(),
        BTreeSet::from([PathChange {
            path: w.path("config_prod.yaml"),
            kind: ChangeKind::Modified
        }])
    );
}

#[test]
fn a_write_to_a_temp_file_renamed_over_is_a_modification() {
    let mut w = watch(PROJECT, WatchOptions::default());
    write(w.root(), "services/api/.env.dev.tmp4821", "A=2\n");
    fs::rename(w.path("services/api/.env.dev.tmp4821"), w.path("services/api/.env.dev")).unwrap();
    w.wait_for(&[("services/api/.env.dev", ChangeKind::Modified)]);
    // The temp file is no config file: it never shows.
    assert!(w.changes().iter().all(|c| c.path == w.path("services/api/.env.dev")));
    // The folder's watch survives the replaced file: a second save shows too.
    write(w.root(), "services/api/.env.dev", "A=3\n");
    w.wait_until(|seen| seen.iter().filter(|e| matches!(e, WatchEvent::Changed(_))).count() >= 2);
}

#[test]
fn a_delete_is_a_removal() {
    let mut w = watch(PROJECT, WatchOptions::default());
    fs::remove_file(w.path("config_dev.yaml")).unwrap();
    w.wait_for(&[("config_dev.yaml", ChangeKind::Removed)]);
}

#[test]
fn a_file_in_a_new_folder_is_a_creation() {
    let mut w = watch(PROJECT, WatchOptions::default());
    write(w.root(), "new/deeper/config_qa.json", "{\"a\": 1}");
    w.wait_for(&[("new/deeper/config_qa.json", ChangeKind::Created)]);
    // The new folders are watched from now on.
    write(w.root(), "new/deeper/config_dev.json", "{\"a\": 2}");
    w.wait_for(&[("new/deeper/config_dev.json", ChangeKind::Created)]);
    write(w.root(), "new/deeper/config_qa.json", "{\"a\": 3}");
    w.wait_for(&[("new/deeper/config_qa.json", ChangeKind::Modified)]);
}

#[test]
fn a_rename_is_a_removal_and_a_creation() {
    let mut w = watch(PROJECT, WatchOptions::default());
    fs::rename(w.path("config_dev.yaml"), w.path("config_qa.yaml")).unwrap();
    w.wait_for(&[
        ("config_dev.yaml", ChangeKind::Removed),
        ("config_qa.yaml", ChangeKind::Created),
    ]);
}

#[test]
fn a_renamed_folder_moves_its_files() {
    let mut w = watch(PROJECT, WatchOptions::default());
    fs::rename(w.path("services/api"), w.path("services/web")).unwrap();
    w.wait_for(&[
        ("services/api/.env.dev", ChangeKind::Removed),
        ("services/web/.env.dev", ChangeKind::Created),
    ]);
    // The folder under its new name is watched.
    write(w.root(), "services/web/.env.dev", "A=9\n");
    w.wait_for(&[("services/web/.env.dev", ChangeKind::Modified)]);
}

#[test]
fn a_burst_of_500_files_comes_in_a_few_batches() {
    let mut w = watch(PROJECT, WatchOptions::default());
    let mut expected = Vec::new();
    for i in 0..500 {
        let rel = format!("apps/app{}/config_env{i}.yaml", i % 20);
        write(w.root(), &rel, &format!("n: {i}\n"));
        expected.push(rel);
    }
    let expected: Vec<(&str, ChangeKind)> =
        expected.iter().map(|rel| (rel.as_str(), ChangeKind::Created)).collect();
    w.wait_for(&expected);
    // A file can show as created, then modified by the rest of its write.
    let paths: BTreeSet<PathBuf> = w.changes().into_iter().map(|c| c.path).collect();
    assert_eq!(paths.len(), 500);
    assert!(w.batches() <= 10, "500 writes came in {} batches", w.batches());
}

#[test]
fn ignored_skipped_and_unrelated_files_give_nothing() {
    let files = [("config_dev.yaml", "a: 1\n"), (".gitignore", "config_secret.yaml\nbuild/\n")];
    let mut w = watch(&files, WatchOptions::default());
    write(w.root(), "config_secret.yaml", "a: 1\n");
    write(w.root(), "notes.txt", "hello\n");
    write(w.root(), "build/config_dev.yaml", "a: 1\n");
    write(w.root(), "node_modules/pkg/config_dev.yaml", "a: 1\n");
    write(w.root(), "config_dev.yaml.swp", "x");
    // A change that must show, after the ones that must not.
    write(w.root(), "config_dev.yaml", "a: 2\n");
    w.wait_for(&[("config_dev.yaml", ChangeKind::Modified)]);
    assert_eq!(
        w.changes(),
        BTreeSet::from([PathChange {
            path: w.path("config_dev.yaml"),
            kind: ChangeKind::Modified
        }])
    );
}

#[test]
fn settings_patterns_are_followed_and_settings_changes_reported() {
    let files =
        [("config_dev.yaml", "a: 1\n"), (".envlens.toml", "patterns = [\"app_{env}.yaml\"]\n")];
    let mut w = watch(&files, WatchOptions::default());
    write(w.root(), "app_dev.yaml", "a: 1\n");
    w.wait_for(&[("app_dev.yaml", ChangeKind::Created)]);
    write(w.root(), ".envlens.toml", "patterns = [\"app_{env}.yaml\", \"svc_{env}.yaml\"]\n");
    w.wait_for(&[(".envlens.toml", ChangeKind::Modified)]);
    // The new pattern is in force from the settings change on.
    write(w.root(), "svc_prod.yaml", "a: 1\n");
    w.wait_for(&[("svc_prod.yaml", ChangeKind::Created)]);
}

#[test]
fn schema_files_are_reported() {
    let mut w = watch(PROJECT, WatchOptions::default());
    write(w.root(), "config.schema.json", "{}");
    w.wait_for(&[("config.schema.json", ChangeKind::Created)]);
}

#[test]
fn polling_works_and_says_so_once() {
    let options = WatchOptions {
        force_poll: true,
        poll_interval: Duration::from_millis(200),
        ..WatchOptions::default()
    };
    let mut w = watch(PROJECT, options);
    assert!(w.seen.iter().any(|e| matches!(e, WatchEvent::Ready { polling: true, .. })));
    write(w.root(), "config_prod.yaml", "a: 30\nb: 4\n");
    w.wait_for(&[("config_prod.yaml", ChangeKind::Modified)]);
    write(w.root(), "sub/config_qa.yaml", "a: 1\n");
    w.wait_for(&[("sub/config_qa.yaml", ChangeKind::Created)]);
    fs::remove_file(w.path("config_dev.yaml")).unwrap();
    w.wait_for(&[("config_dev.yaml", ChangeKind::Removed)]);
    let degraded = w.seen.iter().filter(|e| matches!(e, WatchEvent::Degraded(_))).count();
    assert_eq!(degraded, 1, "{:#?}", w.seen);
}

#[test]
fn reading_a_file_is_no_change() {
    let mut w = watch(PROJECT, WatchOptions::default());
    // A reload reads the file it was told of: if that read were an event,
    // the view would reload it again every debounce, forever.
    let _ = fs::read_to_string(w.path("config_prod.yaml")).unwrap();
    // A write after the read, to wait on: the read's events came first.
    write(w.root(), "config_dev.yaml", "a: 4\n");
    w.wait_for(&[("config_dev.yaml", ChangeKind::Modified)]);
    assert!(w.changes().iter().all(|c| c.path == w.path("config_dev.yaml")), "{:?}", w.changes());
}

/// A project opened through a symlink to its folder: the watches are in
/// place under the link's name and a write comes out under that name.
#[cfg(unix)]
#[test]
fn a_symlinked_root_reports_under_its_own_name() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "real/config_dev.yaml", "a: 1\n");
    write(dir.path(), "real/sub/config_dev.yaml", "a: 1\n");
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(dir.path().join("real"), &link).unwrap();
    let (tx, rx) = mpsc::channel();
    let _watcher =
        ProjectWatcher::start(&link, WatchOptions::default(), to_channel(tx, |e| e)).unwrap();
    let ready = rx.recv_timeout(PATIENCE).unwrap();
    assert!(matches!(ready, WatchEvent::Ready { folders: 2, .. }), "{ready:?}");
    fs::write(dir.path().join("real/sub/config_dev.yaml"), "a: 2\n").unwrap();
    let changed = rx.recv_timeout(PATIENCE).unwrap();
    let want = PathChange { path: link.join("sub/config_dev.yaml"), kind: ChangeKind::Modified };
    assert_eq!(changed, WatchEvent::Changed(vec![want]));
}
