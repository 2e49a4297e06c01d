//! The live-reload edge (§9): owns the project's file watcher and the
//! `Reloader`, and runs `Effect::Live` on the project shown. The watcher's
//! batches arrive on the loop's one channel as `Event::FilesChanged`; the
//! loop merges a wake-up's batches, `App::update` asks for them to be
//! applied, and this edge re-parses only the changed files, in place, on
//! the loop thread: one file costs what parsing it costs (about 80 µs), and
//! doing it in order with the writer keeps a reload and an edit from
//! crossing. The answer goes back as `Action::Reloaded`.
//!
//! The watcher sleeps on its own channel while nothing changes and the
//! loop wakes for a re-check only at `Reloader::deadline`: no CPU while
//! idle.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Instant;

use super::action::Action;
use super::app::reload::Reloaded;
use super::effect::{EditResult, LiveJob};
use super::event::Event;
use crate::core::project::{OpenOptions, Project};
use crate::core::watch::{ProjectWatcher, ReloadOutcome, Reloader, WatchEvent, WatchOptions};

/// The watcher and the reloader of one project.
#[derive(Debug)]
pub struct Live {
    root: PathBuf,
    no_ignore: bool,
    /// Where the watcher sends its news; None watches nothing (tests drive
    /// `LiveJob::Apply` by hand).
    tx: Option<Sender<Event>>,
    watcher: Option<ProjectWatcher>,
    reloader: Option<Reloader>,
}

impl Live {
    pub fn new(root: PathBuf, no_ignore: bool, tx: Option<Sender<Event>>) -> Self {
        Self { root, no_ignore, tx, watcher: None, reloader: None }
    }

    /// Runs `job` on the project shown; the answer is the action to feed
    /// back, if any.
    pub fn run(&mut self, project: Option<&mut Arc<Project>>, job: &LiveJob) -> Option<Action> {
        match job {
            LiveJob::Watch => self.watch(),
            LiveJob::Apply(paths) => {
                let reloader = self.reloader.as_mut()?;
                // The model holds the only reference: this mutates in place.
                let project = Arc::make_mut(project?);
                let outcome = reloader.apply(project, paths, Instant::now());
                Some(answer(outcome, reloader))
            }
            LiveJob::Retry => {
                let reloader = self.reloader.as_mut()?;
                let outcome = reloader.tick(Arc::make_mut(project?), Instant::now());
                Some(answer(outcome, reloader))
            }
        }
    }

    /// Sees the answer of an edit, undo or redo: the bytes it wrote reload
    /// quietly. The write and this call run on the loop thread before the
    /// next event is read, so the watcher's report of the write always
    /// comes after.
    pub fn note(&mut self, answer: &Action) {
        let (Some(reloader), Action::Edited(outcome)) = (self.reloader.as_mut(), answer) else {
            return;
        };
        if let EditResult::Written(written) = &outcome.result {
            reloader.expect_fingerprint(&written.rel_path, written.fingerprint);
        }
    }

    /// For a writer that has the bytes in hand before it writes them.
    pub fn expect_write(&mut self, rel_path: &str, bytes: &[u8]) {
        if let Some(reloader) = self.reloader.as_mut() {
            reloader.expect_write(rel_path, bytes);
        }
    }

    /// After a load: the reloader on the project's settings (kept across
    /// later loads, so writes it expects are not forgotten; the settings
    /// file itself is watched), and the watcher started, or told to walk
    /// again for folders and files a full reload found.
    fn watch(&mut self) -> Option<Action> {
        if self.reloader.is_none() {
            let open = OpenOptions { no_ignore: self.no_ignore };
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

fn answer(outcome: ReloadOutcome, reloader: &Reloader) -> Action {
    Action::Reloaded(Box::new(Reloaded { outcome, retry_at: reloader.deadline() }))
}

fn problem(message: String) -> Action {
    Action::Watcher(WatchEvent::Error(message))
}
