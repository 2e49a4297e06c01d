//! `Reloader`: the small state machine between the watcher and the
//! project. It holds the settings in force, re-checks a file that failed
//! right after an event before showing the failure (an editor that
//! truncates then writes shows a half-written file for a moment), and
//! knows which bytes envlens wrote itself so those reload quietly.
//!
//! It never sleeps or spawns: the front end asks [`Reloader::deadline`]
//! and wakes at that time (`recv_timeout`) to call [`Reloader::tick`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::apply::ReloadOutcome;
use super::filter::relative;
use crate::core::discover::DiscoverOptions;
use crate::core::project::{Fingerprint, OpenError, OpenOptions, Project};
use crate::core::settings;

/// How long a failure right after an event waits for the write to finish.
pub const RETRY_AFTER: Duration = Duration::from_millis(150);

/// See the module header.
#[derive(Debug, Clone)]
pub struct Reloader {
    no_ignore: bool,
    local: bool,
    options: DiscoverOptions,
    /// Failing files held back, with when to look again.
    pending: BTreeMap<String, Instant>,
    /// Bytes envlens wrote, by file; each is taken by the reload it causes.
    expected: Vec<(String, Fingerprint)>,
}

impl Reloader {
    /// Reads the project's settings, as `project::open` did.
    pub fn new(root: &Path, open: &OpenOptions) -> Result<Self, OpenError> {
        let settings = settings::load(root).map_err(OpenError::from)?;
        let mut options = settings.discover_options(open.no_ignore);
        options.local = open.local;
        Ok(Self::with_options(options))
    }

    /// With the discovery options already in hand (the same the project was
    /// loaded with).
    pub fn with_options(options: DiscoverOptions) -> Self {
        Self {
            no_ignore: options.no_ignore,
            local: options.local,
            options,
            pending: BTreeMap::new(),
            expected: Vec::new(),
        }
    }

    pub fn options(&self) -> &DiscoverOptions {
        &self.options
    }

    /// envlens is about to write (or wrote) `bytes` to the config file
    /// `rel_path`: the reload that sees exactly these bytes is ours.
    pub fn expect_write(&mut self, rel_path: &str, bytes: &[u8]) {
        self.expect_fingerprint(rel_path, Fingerprint::of(bytes, None));
    }

    /// `expect_write` with the bytes already summed up (a front end that
    /// learns of its write from the fingerprint the writer reports).
    pub fn expect_fingerprint(&mut self, rel_path: &str, fingerprint: Fingerprint) {
        self.expected.retain(|(rel, _)| rel != rel_path);
        self.expected.push((rel_path.to_owned(), fingerprint));
    }

    /// When `tick` should run next: the earliest re-check, if any.
    pub fn deadline(&self) -> Option<Instant> {
        self.pending.values().min().copied()
    }

    /// Applies a watcher batch. A file with good values that fails now is
    /// held until `RETRY_AFTER` or the next event on it, whichever first;
    /// failing again then, it is shown (stale).
    pub fn apply(
        &mut self,
        project: &mut Project,
        changed: &[PathBuf],
        now: Instant,
    ) -> ReloadOutcome {
        let mut settings_error = None;
        // The watcher's paths are absolute, the root as typed: compare
        // relative to the root.
        let root = project.root.clone();
        let is_settings = |p: &PathBuf| {
            p.as_os_str() == settings::FILE_NAME
                || relative(&root, p).is_some_and(|rel| rel == settings::FILE_NAME)
        };
        let settings_changed = changed.iter().any(is_settings);
        let mut changed = changed.to_vec();
        if settings_changed {
            match settings::load(&project.root) {
                Ok(s) => {
                    self.options = s.discover_options(self.no_ignore);
                    self.options.local = self.local;
                }
                Err(err) => {
                    // Keep the rules in force; the rest of the batch goes on.
                    settings_error = Some(err.to_string());
                    changed.retain(|p| !is_settings(p));
                }
            }
        }
        // A file already held fails for the second time: show it.
        let pending = std::mem::take(&mut self.pending);
        let mut hold = |rel: &str| !pending.contains_key(rel);
        let mut outcome = project.apply_changes_with(&self.options, &changed, &mut hold);
        let due = now + RETRY_AFTER;
        let touched: Vec<&str> = outcome.files.iter().map(|f| f.rel_path.as_str()).collect();
        self.pending = pending
            .into_iter()
            .filter(|(rel, _)| !touched.contains(&rel.as_str()) && !outcome.held.contains(rel))
            .collect();
        self.pending.extend(outcome.held.iter().map(|rel| (rel.clone(), due)));
        outcome.settings_error = settings_error;
        self.mark_ours(project, &mut outcome);
        outcome
    }

    /// Re-checks the held files that are due; call when `deadline` passes.
    pub fn tick(&mut self, project: &mut Project, now: Instant) -> ReloadOutcome {
        let due: Vec<PathBuf> =
            self.pending.iter().filter(|(_, at)| **at <= now).map(|(rel, _)| rel.into()).collect();
        if due.is_empty() {
            return ReloadOutcome::default();
        }
        self.pending.retain(|_, at| *at > now);
        let mut outcome = project.apply_changes_with(&self.options, &due, &mut |_| false);
        self.mark_ours(project, &mut outcome);
        outcome
    }

    /// `r`: settings read again, everything discovered and parsed again.
    /// The project is left as it was when the settings do not load.
    pub fn reload_all(&mut self, project: &mut Project) -> Result<ReloadOutcome, OpenError> {
        let settings = settings::load(&project.root).map_err(OpenError::from)?;
        self.options = settings.discover_options(self.no_ignore);
        self.pending.clear();
        let fresh = Project::load(&project.root, &self.options);
        let mut outcome = ReloadOutcome { rediscovered: true, ..ReloadOutcome::default() };
        outcome.sets = fresh.sets.iter().chain(&project.sets).map(|s| s.name.clone()).collect();
        outcome.sets.sort();
        outcome.sets.dedup();
        outcome.failed =
            fresh.sets.iter().flat_map(|s| s.file_errors().map(|(_, e)| e.clone())).collect();
        *project = fresh;
        Ok(outcome)
    }

    /// Marks the changes whose bytes are those envlens wrote.
    fn mark_ours(&mut self, project: &Project, outcome: &mut ReloadOutcome) {
        if self.expected.is_empty() {
            return;
        }
        for change in &mut outcome.files {
            let Some(at) = self.expected.iter().position(|(rel, _)| *rel == change.rel_path) else {
                continue;
            };
            let now = project
                .set(&change.set)
                .into_iter()
                .flat_map(crate::core::project::LoadedSet::files)
                .find(|f| f.file.rel_path == change.rel_path)
                .and_then(|f| f.fingerprint);
            let expected = self.expected[at].1;
            if now.is_some_and(|f| f.len == expected.len && f.hash == expected.hash) {
                change.ours = true;
                self.expected.remove(at);
            }
        }
    }
}
