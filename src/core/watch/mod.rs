//! Live reload (§9): a watcher that turns changes on disk into batches of
//! changed config paths, and the incremental reload that applies them.
//!
//! - [`ProjectWatcher::start`] watches every folder discovery would walk,
//!   one non-recursive watch each (a watch on a file goes deaf after an
//!   editor's save-by-rename; a recursive watch would also cost watches
//!   in `node_modules` and `target`). Events are filtered by the rules of
//!   discovery and debounced on the watcher's own thread, which blocks on
//!   its channel while nothing happens: no CPU while idle. When inotify
//!   cannot be used it falls back to polling modification times every
//!   2 s and says so once ([`WatchEvent::Degraded`]).
//! - [`Reloader`] applies a batch to a loaded [`Project`]: only changed
//!   files are parsed again, a half-written file is re-checked before its
//!   error is shown, a file that stops parsing keeps its last good values
//!   marked stale, and envlens's own writes reload quietly.
//!
//! `notify-debouncer-full` is not used on purpose: its debounce thread
//! wakes every quarter of the timeout for the life of the watcher, which
//! is the idle polling this module must not do.
//!
//! [`Project`]: crate::core::project::Project

mod apply;
mod backend;
mod filter;
mod reloader;
mod worker;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::time::Duration;

pub use apply::{FileChange, FileChangeKind, ReloadOutcome};
pub use reloader::{RETRY_AFTER, Reloader};

/// How to watch.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Also take files that ignore rules skip (`--no-ignore`).
    pub no_ignore: bool,
    /// Quiet time after the last event before a batch is sent. Short: the
    /// target from a write to the screen is 100 ms.
    pub debounce: Duration,
    /// Poll instead of using the system's events (the fallback, forced).
    pub force_poll: bool,
    /// How often the polling fallback compares modification times.
    pub poll_interval: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            no_ignore: false,
            debounce: Duration::from_millis(50),
            force_poll: false,
            poll_interval: Duration::from_secs(2),
        }
    }
}

/// What the watcher reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchEvent {
    /// The watches are in place: changes from now on are seen.
    Ready { folders: usize, polling: bool },
    /// One debounced batch of changed paths (absolute), each path once.
    Changed(Vec<PathChange>),
    /// System events cannot be used; modification times are polled
    /// instead. Sent at most once per watcher.
    Degraded(String),
    /// A problem that does not stop watching (an event lost, a folder that
    /// could not be watched).
    Error(String),
}

/// One changed path of a batch. A rename is the old path removed and the
/// new one created; an editor's save-by-rename over a file is `Modified`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PathChange {
    pub path: PathBuf,
    pub kind: ChangeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Created,
    Modified,
    Removed,
}

/// Messages to the watcher's thread: file system events and commands.
enum Msg {
    Fs(notify::Result<notify::Event>),
    Rescan,
    Stop,
}

/// A running watcher; dropping it stops the watching.
#[derive(Debug)]
pub struct ProjectWatcher {
    tx: Sender<Msg>,
}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Msg::Fs(_) => "Fs",
            Msg::Rescan => "Rescan",
            Msg::Stop => "Stop",
        })
    }
}

impl ProjectWatcher {
    /// Starts watching the project at `root`; `sink` gets every event, on
    /// the watcher's thread (send it on to a channel; do not block). The
    /// folders are walked on that thread too, so this returns at once:
    /// [`WatchEvent::Ready`] says when changes are seen.
    pub fn start(
        root: &Path,
        options: WatchOptions,
        sink: impl Fn(WatchEvent) + Send + 'static,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let worker = worker::Worker::new(root, options, Box::new(sink), tx.clone());
        std::thread::Builder::new().name("envlens-watch".into()).spawn(move || worker.run(&rx))?;
        Ok(Self { tx })
    }

    /// Walks the project again (after a manual reload): new folders are
    /// watched and files that appeared or went are reported.
    pub fn rescan(&self) {
        let _ = self.tx.send(Msg::Rescan);
    }
}

impl Drop for ProjectWatcher {
    fn drop(&mut self) {
        let _ = self.tx.send(Msg::Stop);
    }
}

/// Sends events to an `mpsc` channel, mapped by `wrap` into the receiver's
/// own event type (the core does not know the front end's types).
pub fn to_channel<E: Send + 'static>(
    tx: Sender<E>,
    wrap: impl Fn(WatchEvent) -> E + Send + 'static,
) -> impl Fn(WatchEvent) + Send + 'static {
    move |event| {
        let _ = tx.send(wrap(event));
    }
}
