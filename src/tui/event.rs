//! Everything that wakes the loop arrives as one `Event` on one channel:
//! input from the terminal thread, progress and results from the loading
//! worker, signals, the file watcher (`FilesChanged`, `Watcher`) and the
//! background reload (`Reloaded`).

use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

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

/// What a filter search on a worker found (`Effect::Filter`).
#[derive(Clone)]
pub struct Filtered {
    pub seq: u64,
    pub query: String,
    /// Per key of the set searched: whether it matches.
    pub matches: Vec<bool>,
    /// The key that matches best.
    pub best: Option<usize>,
}

impl std::fmt::Debug for Filtered {
    // One flag per key: a count says what a test needs to see.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Filtered")
            .field("seq", &self.seq)
            .field("query", &self.query)
            .field("matches", &self.matches.iter().filter(|&&m| m).count())
            .field("best", &self.best)
            .finish()
    }
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
    /// `check` finished on a worker (`Effect::Check`).
    Checked(Box<super::app::findings::Findings>),
    /// A filter search finished on a worker (`Effect::Filter`).
    Filtered(Box<Filtered>),
    /// SIGTERM, SIGHUP or SIGINT: leave as `q` would.
    Terminate,
    /// Something the loop cannot go on after (the terminal cannot be read,
    /// a worker failed): leave with this message.
    Fatal(String),
}

/// Lets the loop take the terminal from the input thread while another
/// program uses it (`E` runs the user's editor): paused, the thread reads
/// nothing, so no keystroke meant for the editor is lost to envlens.
#[derive(Debug, Default)]
pub struct InputGate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct GateState {
    /// The loop asks the thread to stop reading.
    pause: bool,
    /// The thread has stopped reading and waits.
    parked: bool,
}

/// How long a read waits before the input thread looks at the gate: the
/// longest a pause waits, and a wake-up too rare to show as CPU time.
const INPUT_POLL: Duration = Duration::from_millis(200);

impl InputGate {
    /// Stops the input thread reading; returns once it has stopped (or
    /// after a second, should it be stuck).
    pub fn pause(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.pause = true;
        let deadline = Instant::now() + Duration::from_secs(1);
        while !state.parked && Instant::now() < deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            state = self
                .changed
                .wait_timeout(state, left)
                .map_or_else(|e| e.into_inner().0, |(s, _)| s);
        }
    }

    /// Lets the input thread read again.
    pub fn resume(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.pause = false;
        self.changed.notify_all();
    }

    /// Called by the input thread before each read: waits while paused.
    fn wait_open(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while state.pause {
            state.parked = true;
            self.changed.notify_all();
            state = self.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        state.parked = false;
    }
}

/// Reads the terminal on its own thread so the loop never blocks on input.
/// The thread ends when the loop has gone (the channel is closed).
pub fn spawn_input(tx: Sender<Event>, gate: Arc<InputGate>) -> std::io::Result<()> {
    std::thread::Builder::new().name("envlens-input".into()).spawn(move || {
        loop {
            gate.wait_open();
            match ct::poll(INPUT_POLL) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(err) => {
                    let _ = tx.send(Event::Fatal(format!("cannot read the terminal: {err}")));
                    break;
                }
            }
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
