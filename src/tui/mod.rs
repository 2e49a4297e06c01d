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
pub mod effect;
pub mod event;
pub mod input;
pub mod keymap;
pub mod live;
pub mod run;
pub mod settings;
pub mod theme;
pub mod view;
pub mod writer;

use std::process::ExitCode;

use crate::cli::args::Cli;
use crate::cli::error::CliError;

use self::app::AppOptions;
use self::run::TuiOptions;
use self::settings::Settings;

/// Opens the view for `envlens [OPTIONS] [PATH]`; the caller has checked
/// that standard output is a terminal.
pub fn launch(cli: &Cli) -> ExitCode {
    match start(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(2)
        }
    }
}

fn start(cli: &Cli) -> Result<(), CliError> {
    let root = cli.path.clone().unwrap_or_else(|| ".".into());
    let shown = root.display().to_string();
    match std::fs::metadata(&root) {
        Err(_) => {
            return Err(CliError::new(format!("no such folder: {shown}"))
                .hint("give the project folder, e.g. `envlens .`"));
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(CliError::new(format!("{shown} is a file, not a project folder"))
                .hint("envlens reads a folder; try its parent folder"));
        }
        Ok(_) => {}
    }
    let settings = Settings::load().map_err(|e| CliError {
        message: e.message,
        hint: e.hint,
        broken_pipe: false,
    })?;
    let options = TuiOptions {
        root,
        app: AppOptions {
            root: shown,
            set: cli.set.clone(),
            envs: cli.envs.clone(),
            readonly: cli.readonly,
        },
        no_ignore: cli.common.no_ignore,
        // The view runs only on a terminal.
        color: crate::cli::color::enabled(cli.common.color, true),
    };
    run::run(options, settings).map_err(CliError::new)
}
