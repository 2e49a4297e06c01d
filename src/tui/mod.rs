//! The interactive view that `envlens PATH` opens (§9): config sets, the
//! key table as a tree with drift marked, the detail pane, a status line.
//!
//! - `event`: everything that wakes the loop, on one channel.
//! - `action`: what the user can ask for, as data the keymap names.
//! - `keymap`, `settings`, `theme`: keys and colours, defaults from
//!   `assets/`, the user's `config.toml` on top.
//! - `app`: the state and `App::update(action) -> Vec<Effect>`.
//! - `effect`: work the loop does at the edge (loading on a worker,
//!   planning and writing edits) and the answers it feeds back.
//! - `writer`: the edge for edits, with the session's undo stack.
//! - `live`: the edge for live reload: the file watcher and the reloader.
//! - `view`: drawing, a pure function of `&App`.
//! - `run`: the loop, the terminal and its restoration.

pub mod action;
pub mod app;
mod clipboard;
pub mod effect;
pub mod event;
mod external;
pub mod input;
pub mod keymap;
pub mod live;
pub mod run;
pub mod settings;
pub mod theme;
pub mod view;
pub mod writer;

use std::fmt;

use crate::args::{CommonArgs, ViewArgs};

use self::app::AppOptions;
use self::run::TuiOptions;
use self::settings::Settings;

/// Why the view did not open, or ended on a failure: printed by `main` as
/// `envlens: …` and `  hint: …` (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TuiError {
    pub message: String,
    pub hint: Option<String>,
}

impl TuiError {
    fn new(message: impl Into<String>, hint: Option<String>) -> Self {
        Self { message: message.into(), hint }
    }
}

impl fmt::Display for TuiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "envlens: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TuiError {}

/// Opens the view for `envlens [OPTIONS] [PATH]` and runs it until the
/// user quits; the caller has checked that standard output is a terminal.
pub fn launch(view: &ViewArgs, common: &CommonArgs) -> Result<(), TuiError> {
    let root = view.path.clone().unwrap_or_else(|| ".".into());
    let shown = root.display().to_string();
    match std::fs::metadata(&root) {
        Err(_) => {
            return Err(TuiError::new(
                format!("no such folder: {shown}"),
                Some("give the project folder, e.g. `envlens .`".into()),
            ));
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(TuiError::new(
                format!("{shown} is a file, not a project folder"),
                Some("envlens reads a folder; try its parent folder".into()),
            ));
        }
        Ok(_) => {}
    }
    let settings = Settings::load().map_err(|e| TuiError::new(e.message, e.hint))?;
    let options = TuiOptions {
        root,
        app: AppOptions {
            root: shown,
            set: view.set.clone(),
            envs: view.envs.clone(),
            // A revision is history: never written.
            readonly: view.readonly || common.rev.is_some(),
            rev: common.rev.clone(),
            since: view.since.clone(),
            resolve: view.resolve,
        },
        no_ignore: common.no_ignore,
        offline: common.offline,
        local: common.local,
        // The view runs only on a terminal.
        color: crate::args::color::enabled(common.color, true),
    };
    run::run(options, settings).map_err(|message| TuiError::new(message, None))
}
