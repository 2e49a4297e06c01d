//! Everything that wakes the loop arrives as one `Event` on one channel:
//! input from the terminal thread, progress and results from the loading
//! worker, signals, the file watcher (`FilesChanged`, `Watcher`) and the
//! background reload (`Reloaded`).

use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::time::Duration;

use ratatui::crossterm::event::{self as ct, KeyEvent, MouseEvent};

use super::app::model::ProjectModel;

/// What a load produced: the model, or why the project could not be opened.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Loads are numbered so a late answer to an older request is dropped.
    pub generation: u64,
    pub result: Result<ProjectModel, String>,
    pub elapsed: Duration,
}

/// What a source's worker read: the column's new state.
#[derive(Debug)]
pub struct SourceRead {
    pub generation: u64,
    pub set: String,
    pub source: crate::core::sources::Source,
    pub result: Result<Vec<crate::core::sources::Entry>, crate::core::sources::SourceError>,
}

/// One thing that happened.
#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Progress {
        generation: u64,
        found: usize,
        parsed: usize,
    },
    Loaded(Box<Loaded>),
    /// Config files changed on disk: one debounced batch of the watcher.
    FilesChanged(Vec<PathBuf>),
    /// The watcher is ready, fell back to polling, or hit a problem.
    Watcher(crate::core::watch::WatchEvent),
    /// A background reload finished (`tui::live`).
    Reloaded(Box<super::live::Finished>),
    /// A source of the load `generation` was read (§13), on its worker.
    SourceRead(Box<SourceRead>),
    /// SIGTERM, SIGHUP or SIGINT: leave as `q` would.
    Terminate,
    /// Something the loop cannot go on after (the terminal cannot be read,
    /// a worker failed): leave with this message.
    Fatal(String),
}

/// Reads the terminal on its own thread so the loop never blocks on input.
/// The thread ends when the loop has gone (the channel is closed).
pub fn spawn_input(tx: Sender<Event>) -> std::io::Result<()> {
    std::thread::Builder::new().name("envlens-input".into()).spawn(move || {
        loop {
            let event = match ct::read() {
                Ok(ct::Event::Key(key)) if key.kind != ct::KeyEventKind::Release => Event::Key(key),
                Ok(ct::Event::Mouse(mouse)) => Event::Mouse(mouse),
                Ok(ct::Event::Resize(w, h)) => Event::Resize(w, h),
                Ok(_) => continue,
                Err(err) => Event::Fatal(format!("cannot read the terminal: {err}")),
            };
            let failed = matches!(event, Event::Fatal(_));
            if tx.send(event).is_err() || failed {
                break;
            }
        }
    })?;
    Ok(())
}

/// Turns SIGTERM, SIGHUP and SIGINT into `Event::Terminate`, so the loop
/// restores the terminal before the process ends.
pub fn spawn_signals(tx: Sender<Event>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::Builder::new().name("envlens-signals".into()).spawn(move || {
        if signals.forever().next().is_some() {
            let _ = tx.send(Event::Terminate);
        }
    })?;
    Ok(())
}
