//! What `App::update` asks the edge of the program to do, and what the
//! edge answers. The loop runs these (threads, files) and feeds their
//! outcome back as actions: a load as `Action::Loaded`, an edit, undo or
//! redo as `Action::Edited`.

use std::fmt;

use crate::core::edit::{Refusal, Target};
use crate::core::project::Fingerprint;
use crate::core::secret::{MASK, SecretText};

/// Work with side effects, requested by the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open the project on a worker thread; its answer carries `generation`.
    Load { generation: u64 },
    /// Plan an edit on the project shown and, if `job.write`, write it.
    Edit(EditJob),
    /// Undo the last written edit.
    Undo,
    /// Write the last undone edit again.
    Redo,
    /// Leave the loop and restore the terminal.
    Quit,
    /// Live reload work on the project shown (`tui::live`).
    Live(LiveJob),
    /// Run `check` on the project shown, on a worker; the answer comes
    /// back as `Action::Checked` for this load.
    Check { generation: u64 },
    /// Put this text on the clipboard (OSC 52). `Debug` never shows it.
    Copy(SecretText),
    /// Suspend the view, open `path` at `line` in `$VISUAL`/`$EDITOR`, then
    /// restore the view and read the files again.
    OpenEditor { path: std::path::PathBuf, line: u32 },
    /// Clear the terminal and draw everything again.
    Redraw,
    /// Search the keys of a large set for the filter on a worker; the
    /// answer comes back as `Action::Filtered`.
    Filter(FilterJob),
}

/// One filter search: the query typed so far over the set shown.
#[derive(Clone, PartialEq, Eq)]
pub struct FilterJob {
    /// Numbers the searches: only the answer to the newest one is shown,
    /// and an older one still running stops.
    pub seq: u64,
    /// The set's place in the model and its name (the project may have
    /// been read again since).
    pub set: usize,
    pub set_name: String,
    pub query: String,
    /// The matches of a shorter query this one narrows (`search::narrows`):
    /// only they are searched.
    pub within: Option<std::sync::Arc<Vec<bool>>>,
}

impl fmt::Debug for FilterJob {
    // One flag per key: a huge set's would fill a test's failure message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilterJob")
            .field("seq", &self.seq)
            .field("set", &self.set)
            .field("set_name", &self.set_name)
            .field("query", &self.query)
            .field("within", &self.within.as_ref().map(|w| w.iter().filter(|&&m| m).count()))
            .finish()
    }
}

/// What the live-reload edge is asked to do; its answer comes back as
/// `Action::Reloaded` (or `Action::Watcher` for a watcher problem).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveJob {
    /// A project was loaded: start watching it, or walk it again.
    Watch,
    /// Re-parse these changed paths (one wake-up's worth, merged), here:
    /// a few files cost less than handing them to a thread.
    Apply(Vec<std::path::PathBuf>),
    /// Re-parse a large batch on a worker, with the models of the sets it
    /// touches built there too (over `envs`, marked against `past` with
    /// `--since`); the answer comes back as an event while the loop goes on
    /// drawing and reading keys.
    Background {
        paths: Vec<std::path::PathBuf>,
        envs: Vec<String>,
        past: Option<std::sync::Arc<super::app::model::Past>>,
        /// `--resolve`: statuses follow resolved references.
        resolve: bool,
    },
    /// Look again at files held back as half-written, as of the moment
    /// the state woke at.
    Retry(std::time::Instant),
}

/// One edit as the editor asks for it: names, not indices, so it reads the
/// same against whatever project is loaded when it runs.
#[derive(Clone, PartialEq, Eq)]
pub struct EditJob {
    /// Numbers the editor's requests so an answer to older text is dropped.
    pub seq: u64,
    pub set: String,
    pub env: String,
    pub key: String,
    /// The text typed; a secret's real text when `secret`.
    pub input: String,
    pub target: Target,
    /// False: plan only, for the preview.
    pub write: bool,
    /// The editor masks this text: `Debug` never prints it.
    pub secret: bool,
    /// The files as the editor showed them (see `EditRequest::shown`).
    pub shown: Vec<(String, Fingerprint)>,
}

impl fmt::Debug for EditJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = if self.secret { MASK } else { self.input.as_str() };
        f.debug_struct("EditJob")
            .field("seq", &self.seq)
            .field("set", &self.set)
            .field("env", &self.env)
            .field("key", &self.key)
            .field("input", &input)
            .field("target", &self.target)
            .field("write", &self.write)
            .field("secret", &self.secret)
            .field("shown", &self.shown)
            .finish()
    }
}

/// The answer to an `Edit`, `Undo` or `Redo` effect.
#[derive(Debug, Clone)]
pub struct EditOutcome {
    /// The job's `seq`; 0 for undo and redo.
    pub seq: u64,
    pub result: EditResult,
}

/// What happened to the file.
#[derive(Debug, Clone)]
pub enum EditResult {
    /// Planned, not written (a preview): the line that would change.
    Planned { preview: String },
    /// Written.
    Written(Written),
    /// Nothing written, and why.
    Refused(Refusal),
    /// Undo or redo with nothing on the stack.
    Nothing(String),
}

/// An edit, undo or redo that reached the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file, relative to the project root.
    pub rel_path: String,
    /// The 1-based line of the value in the new file.
    pub line: u32,
    pub key: String,
    /// For the status line: `config_prod.yaml:21 database.pool_size = 32`,
    /// a secret masked.
    pub message: String,
    /// The fingerprint of the bytes written: the watcher's "our own write"
    /// check compares the change it then sees with it.
    pub fingerprint: Fingerprint,
}
