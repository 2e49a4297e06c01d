//! The subcommands over the core (`envlens diff|check|docs|get|set|init|sets`,
//! and `completions`, `man`) and their writers. `main` parses the arguments, hands a subcommand here,
//! and decides the exit code and prints errors in one place.

pub mod blame;
pub mod check;
pub mod diff;
pub mod difftool;
pub mod docs;
pub mod error;
pub mod get;
pub mod init;
pub mod man;
pub mod output;
pub mod panic;
pub mod repo_path;
pub mod set;
pub mod sets;
pub mod shell;

use std::io::{IsTerminal, Write};
use std::path::Path;

use self::error::CliError;
use crate::args::{Command, CommonArgs};
use crate::core::project::{self, OpenOptions, Project};

/// What a command ended with: its exit code and lines for standard error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub code: u8,
    pub messages: Vec<String>,
}

/// Width of a terminal that does not tell its size.
const FALLBACK_WIDTH: usize = 100;

/// Runs one subcommand, its output buffered on standard output; the
/// caller prints the outcome's messages and decides the exit code.
pub fn run(command: Command, common: &CommonArgs) -> Result<Outcome, CliError> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let outcome = dispatch(command, common, &mut out)?;
    out.flush().map_err(|e| CliError::output(&e))?;
    Ok(outcome)
}

fn dispatch(
    command: Command,
    common: &CommonArgs,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let writes = match &command {
        Command::Set(_) => Some("set"),
        Command::Init(_) => Some("init"),
        _ => None,
    };
    if let (Some(name), Some(rev)) = (writes, &common.rev) {
        return Err(CliError::new(format!(
            "--rev {rev} reads a revision read-only; `envlens {name}` writes the working tree"
        ))
        .hint("leave --rev out to change the files as they are now"));
    }
    match command {
        Command::Diff(args) => diff::run(&args, common, out),
        Command::Check(args) => check::run(&args, common, out),
        Command::Docs(args) => docs::run(&args, common, out),
        Command::Get(args) => get::run(&args, common, out),
        Command::Set(args) => set::run(&args, common, out),
        Command::Init(args) => init::run(&args, common, out),
        Command::Sets(args) => sets::run(&args, common, out),
        Command::Blame(args) => blame::run(&args, common, out),
        Command::Difftool(args) => difftool::run(&args, common, out),
        Command::Completions(args) => shell::completions(&args, out),
        Command::Man => man::run(out),
    }
}

/// Loads the project at `root`, refusing a path that is not a folder.
/// A KEY argument, checked before anything is loaded: text that cannot be a
/// key path is an error (exit 2), never a key "not found" or one to add.
pub fn key_argument(key: &str) -> Result<&str, CliError> {
    let key = key.trim();
    crate::core::key_path::parse(key).map_err(|err| {
        CliError::new(err.to_string()).hint(
            "write the key as `envlens diff --all` prints it, e.g. `database.pool_size` or \
             `env[name=LOG_LEVEL].value`",
        )
    })?;
    Ok(key)
}

pub fn load_project(root: &Path, common: &CommonArgs) -> Result<Project, CliError> {
    load_project_with(root, common, false)
}

/// `load_project`; `reveal` asks stores to decrypt (SSM SecureStrings).
pub fn load_project_with(
    root: &Path,
    common: &CommonArgs,
    reveal: bool,
) -> Result<Project, CliError> {
    let project = open_folder(root, common, reveal)?;
    let shown = root.display();
    // Walk problems (an unreadable folder, a folder named like a config
    // file, files that join no set) hide files without failing the run:
    // say so, on standard error so that the output stays clean for scripts.
    for warning in &project.warnings {
        eprintln!("envlens: warning: {warning}");
    }
    if project.sets.is_empty() {
        return Err(CliError::new(format!("no config files found under {shown}")).hint(
            "envlens looks for config_<env>.yaml|yml|json|toml, .env.<env> and the layouts of \
             Spring, .NET, Helm, compose and node-config; `envlens sets` shows what it saw; \
             add --no-ignore to include ignored files",
        ));
    }
    Ok(project)
}

/// Opens the project at `root`, refusing a path that is not a folder; an
/// empty project is no error here.
pub fn open_folder(root: &Path, common: &CommonArgs, reveal: bool) -> Result<Project, CliError> {
    let shown = root.display();
    match std::fs::metadata(root) {
        Err(_) => {
            return Err(CliError::new(format!("no such folder: {shown}"))
                .hint("give the project folder, e.g. `envlens diff .`"));
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(CliError::new(format!("{shown} is a file, not a project folder"))
                .hint("envlens reads a folder; try its parent folder"));
        }
        Ok(_) => {}
    }
    let options = OpenOptions {
        no_ignore: common.no_ignore,
        offline: common.offline,
        reveal,
        no_sources: false,
        local: common.local,
        rev: common.rev.clone(),
        known: None,
    };
    let project = project::open(root, &options).map_err(|err| CliError {
        message: err.message,
        hint: err.hint,
        broken_pipe: false,
    })?;
    #[cfg(debug_assertions)]
    panic::forced_for_tests(&project);
    Ok(project)
}

/// The width a table is fitted to: `--width N`; else, on a terminal, its
/// width (`COLUMNS` first); else none, so that a pipe gets every key and
/// value whole.
pub fn table_width(forced: Option<u16>) -> Option<usize> {
    if let Some(width) = forced {
        return Some(usize::from(width));
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    if let Some(cols) = std::env::var("COLUMNS").ok().and_then(|c| c.parse::<usize>().ok()) {
        return Some(cols.max(40));
    }
    if let Ok((cols, _)) = ratatui::crossterm::terminal::size() {
        return Some(usize::from(cols).max(40));
    }
    Some(FALLBACK_WIDTH)
}
