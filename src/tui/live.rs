//! The live-reload edge (§9): owns the project's file watcher and the
//! `Reloader`, and runs `Effect::Live` on the project shown. The watcher's
//! batches arrive on the loop's one channel as `Event::FilesChanged`; the
//! loop merges a wake-up's batches and `App::update` asks for them to be
//! applied, one way or the other:
//!
//! - `LiveJob::Apply`, a few files (an editor's save): re-parsed in place
//!   on the loop thread. One file costs what parsing it costs (about
//!   80 µs), less than handing it to a thread, and the answer is drawn in
//!   the same wake-up.
//! - `LiveJob::Background`, a burst (a `git checkout`): the `Reloader`
//!   and a copy of the project go to a worker, which re-parses the files
//!   and builds the models of the sets they touch, and sends everything
//!   back as `Event::Reloaded` (see [`Live::finish`]). The loop goes on
//!   drawing and reading keys meanwhile; `App` queues the batches that
//!   arrive until then, so none is applied out of order.
//!
//! Either way the answer goes back as `Action::Reloaded`. Edits run on the
//! loop against the project shown: one planned while a burst is being
//! reloaded is refused by the edit core's own disk check when the burst
//! changed its file, and the bytes it writes are remembered here until the
//! `Reloader` is back, so they still reload quietly.
//!
//! The watcher sleeps on its own channel while nothing changes and the
//! loop wakes for a re-check only at `Reloader::deadline`: no CPU while
//! idle.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Instant;

use super::action::Action;
use super::app::model::{self, Past, SetModel};
use super::app::reload::{Fresh, Reloaded};
use super::effect::{EditResult, LiveJob};
use super::event::Event;
use crate::core::project::{Fingerprint, OpenOptions, Project};
use crate::core::references::Resolver;
use crate::core::watch::{ProjectWatcher, ReloadOutcome, Reloader, WatchEvent, WatchOptions};

/// The watcher and the reloader of one project.
#[derive(Debug)]
pub struct Live {
    root: PathBuf,
    no_ignore: bool,
    /// `--local`: reloads apply local layers too.
    local: bool,
    /// Where the watcher and the background reload send their news; None
    /// watches nothing and reloads every batch here (tests drive
    /// `LiveJob::Apply` by hand).
    tx: Option<Sender<Event>>,
    watcher: Option<ProjectWatcher>,
    reloader: Option<Reloader>,
    /// A background reload is running: what to reconcile when it is back.
    away: Option<Away>,
}

/// What the loop keeps while a background reload runs.
#[derive(Debug)]
struct Away {
    /// The project the worker started from: if the view shows another one
    /// when the answer comes (a full load replaced it), the answer is older
    /// than what is shown and only its `Reloader` is kept.
    base: Arc<Project>,
    /// envlens's own writes since the worker left with the `Reloader`.
    expected: Vec<(String, Fingerprint)>,
}

/// A background reload's answer, sent as `Event::Reloaded`.
#[derive(Debug)]
pub struct Finished {
    reloader: Reloader,
    project: Project,
    outcome: ReloadOutcome,
    /// The models of the sets the outcome names, built on the worker.
    sets: Vec<SetModel>,
}

impl Live {
    pub fn new(root: PathBuf, no_ignore: bool, tx: Option<Sender<Event>>) -> Self {
        Self { root, no_ignore, local: false, tx, watcher: None, reloader: None, away: None }
    }

    /// Reloads apply local layers (`--local`), as the first load did.
    #[must_use]
    pub fn applying_locals(mut self, local: bool) -> Self {
        self.local = local;
        self
    }

    /// Runs `job` on the project shown; the answer is the action to feed
    /// back, if any (a background job answers later, as an event).
    pub fn run(&mut self, project: Option<&mut Arc<Project>>, job: &LiveJob) -> Option<Action> {
        match job {
            LiveJob::Watch => self.watch(),
            LiveJob::Apply(paths) => self.apply(project?, paths),
            LiveJob::Background { paths, envs, past, resolve } => {
                self.spawn(project?, paths, envs, past.as_ref(), *resolve)
            }
            LiveJob::Retry(now) => {
                let reloader = self.reloader.as_mut()?;
                let outcome = reloader.tick(Arc::make_mut(project?), *now);
                Some(answer(outcome, reloader, None, false))
            }
        }
    }

    fn apply(&mut self, project: &mut Arc<Project>, paths: &[PathBuf]) -> Option<Action> {
        let reloader = self.reloader.as_mut()?;
        // The model holds the only reference: this mutates in place.
        let outcome = reloader.apply(Arc::make_mut(project), paths, Instant::now());
        Some(answer(outcome, reloader, None, false))
    }

    /// Starts a background reload of `paths`. Without a channel to answer
    /// on, or a thread, the batch is reloaded here: late beats lost.
    fn spawn(
        &mut self,
        project: &mut Arc<Project>,
        paths: &[PathBuf],
        envs: &[String],
        past: Option<&Arc<Past>>,
        resolve: bool,
    ) -> Option<Action> {
        let (Some(tx), Some(reloader)) = (self.tx.clone(), self.reloader.clone()) else {
            return Some(self.inline(project, paths, envs, past, resolve));
        };
        let base = Arc::clone(project);
        let (paths_moved, envs_moved, past_moved) = (paths.to_vec(), envs.to_vec(), past.cloned());
        let spawned = std::thread::Builder::new().name("envlens-reload".into()).spawn(move || {
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                reload(reloader, &base, &paths_moved, &envs_moved, past_moved.as_deref(), resolve)
            }));
            let event = match done {
                Ok(done) => Event::Reloaded(Box::new(done)),
                Err(_) => {
                    Event::Fatal("envlens stopped on an internal error while reloading".into())
                }
            };
            let _ = tx.send(event);
        });
        if spawned.is_err() {
            return Some(self.inline(project, paths, envs, past, resolve));
        }
        // Answered by `finish` when the worker is back.
        self.away = Some(Away { base: Arc::clone(project), expected: Vec::new() });
        None
    }

    /// A background job run on this thread: the same answer, blocking.
    fn inline(
        &mut self,
        project: &mut Arc<Project>,
        paths: &[PathBuf],
        envs: &[String],
        past: Option<&Arc<Past>>,
        resolve: bool,
    ) -> Action {
        let Some(reloader) = self.reloader.as_mut() else {
            // Nothing to reload with; the view must still hear the job end.
            let outcome = ReloadOutcome::default();
            return Action::Reloaded(Box::new(Reloaded {
                outcome,
                retry_at: None,
                fresh: None,
                background: true,
            }));
        };
        let outcome = reloader.apply(Arc::make_mut(project), paths, Instant::now());
        let fresh =
            Fresh { sets: build_sets(project, &outcome, envs, past.map(Arc::as_ref), resolve) };
        answer(outcome, reloader, Some(fresh), true)
    }

    /// Takes a background reload's answer back: the `Reloader` returns,
    /// envlens's writes made meanwhile are matched against what the worker
    /// read (and remembered for the reload they cause otherwise), the new
    /// project replaces `shown` (the project on screen) as the in-place
    /// reload changes it, and the models go to `App` as `Action::Reloaded`.
    /// When the held files must be looked at again, for an answer that
    /// is not a reload (a source read) and must keep it.
    pub fn retry_at(&self) -> Option<Instant> {
        self.reloader.as_ref().and_then(Reloader::deadline)
    }

    pub fn finish(&mut self, done: Finished, shown: Option<&mut Arc<Project>>) -> Action {
        let Finished { mut reloader, project, mut outcome, sets } = done;
        let away = self.away.take();
        let current = away.as_ref().zip(shown).filter(|(a, s)| Arc::ptr_eq(&a.base, s));
        for (rel, fingerprint) in away.as_ref().map(|a| a.expected.clone()).unwrap_or_default() {
            if !(current.is_some() && mark_ours(&project, &mut outcome, &rel, fingerprint)) {
                reloader.expect_fingerprint(&rel, fingerprint);
            }
        }
        let action = if let Some((_, shown)) = current {
            let old = std::mem::replace(shown, Arc::new(project));
            // Freeing 1,500 parsed files takes tens of ms: not on the loop.
            let base = away.map(|a| a.base);
            let _ = std::thread::Builder::new().name("envlens-free".into()).spawn(move || {
                drop((old, base));
            });
            answer(outcome, &reloader, Some(Fresh { sets }), true)
        } else {
            answer(ReloadOutcome::default(), &reloader, None, true)
        };
        self.reloader = Some(reloader);
        action
    }

    /// Sees the answer of an edit, undo or redo: the bytes it wrote reload
    /// quietly. The write and this call run on the loop thread before the
    /// next event is read, so the watcher's report of the write always
    /// comes after.
    pub fn note(&mut self, answer: &Action) {
        if let Action::Edited(outcome) = answer
            && let EditResult::Written(written) = &outcome.result
        {
            self.expect(&written.rel_path, written.fingerprint);
        }
    }

    /// For a writer that has the bytes in hand before it writes them.
    pub fn expect_write(&mut self, rel_path: &str, bytes: &[u8]) {
        self.expect(rel_path, Fingerprint::of(bytes, None));
    }

    fn expect(&mut self, rel_path: &str, fingerprint: Fingerprint) {
        if let Some(away) = self.away.as_mut() {
            away.expected.push((rel_path.to_owned(), fingerprint));
        } else if let Some(reloader) = self.reloader.as_mut() {
            reloader.expect_fingerprint(rel_path, fingerprint);
        }
    }

    /// After a load: the reloader on the project's settings (kept across
    /// later loads, so writes it expects are not forgotten; the settings
    /// file itself is watched), and the watcher started, or told to walk
    /// again for folders and files a full reload found.
    fn watch(&mut self) -> Option<Action> {
        if self.reloader.is_none() {
            let open = OpenOptions {
                no_ignore: self.no_ignore,
                local: self.local,
                ..OpenOptions::default()
            };
            match Reloader::new(&self.root, &open) {
                Ok(reloader) => self.reloader = Some(reloader),
                Err(err) => return Some(problem(format!("live reload is off: {}", err.message))),
            }
        }
        if let Some(watcher) = &self.watcher {
            watcher.rescan();
            return None;
        }
        let tx = self.tx.clone()?;
        let options = WatchOptions { no_ignore: self.no_ignore, ..WatchOptions::default() };
        let sink = crate::core::watch::to_channel(tx, to_event);
        match ProjectWatcher::start(&self.root, options, sink) {
            Ok(watcher) => {
                self.watcher = Some(watcher);
                None
            }
            Err(err) => Some(problem(format!("cannot watch the files for changes: {err}"))),
        }
    }
}

/// The watcher's news as the loop's events.
fn to_event(event: WatchEvent) -> Event {
    match event {
        WatchEvent::Changed(changes) => {
            Event::FilesChanged(changes.into_iter().map(|c| c.path).collect())
        }
        other => Event::Watcher(other),
    }
}

/// The worker's part of a background reload.
fn reload(
    mut reloader: Reloader,
    base: &Project,
    paths: &[PathBuf],
    envs: &[String],
    past: Option<&Past>,
    resolve: bool,
) -> Finished {
    let mut project = base.clone();
    let outcome = reloader.apply(&mut project, paths, Instant::now());
    let sets = build_sets(&project, &outcome, envs, past, resolve);
    Finished { reloader, project, outcome, sets }
}

/// The models of the sets `outcome` names that are still in `project`.
fn build_sets(
    project: &Project,
    outcome: &ReloadOutcome,
    envs: &[String],
    past: Option<&Past>,
    resolve: bool,
) -> Vec<SetModel> {
    let resolver = resolve.then(|| Resolver::new(project));
    project
        .sets
        .iter()
        .filter(|set| outcome.sets.binary_search(&set.name).is_ok())
        .map(|set| model::build_set(set, envs, past, resolver.as_ref()))
        .collect()
}

/// `Reloader::mark_ours` for a write made while the worker had the
/// `Reloader`: true when the worker read exactly those bytes.
fn mark_ours(
    project: &Project,
    outcome: &mut ReloadOutcome,
    rel: &str,
    expected: Fingerprint,
) -> bool {
    let Some(change) = outcome.files.iter_mut().find(|f| f.rel_path == rel && !f.ours) else {
        return false;
    };
    let read = project
        .set(&change.set)
        .into_iter()
        .flat_map(crate::core::project::LoadedSet::files)
        .find(|f| f.file.rel_path == rel)
        .and_then(|f| f.fingerprint);
    let ours = read.is_some_and(|f| f.len == expected.len && f.hash == expected.hash);
    change.ours = ours;
    ours
}

fn answer(
    outcome: ReloadOutcome,
    reloader: &Reloader,
    fresh: Option<Fresh>,
    background: bool,
) -> Action {
    let retry_at = reloader.deadline();
    Action::Reloaded(Box::new(Reloaded { outcome, retry_at, fresh, background }))
}

fn problem(message: String) -> Action {
    Action::Watcher(WatchEvent::Error(message))
}
