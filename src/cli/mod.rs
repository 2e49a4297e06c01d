//! The command line over the core: arguments, the subcommands and their
//! writers. `main` decides the exit code and prints errors in one place.

pub mod args;
pub mod check;
pub mod color;
pub mod diff;
pub mod docs;
pub mod error;
pub mod get;
pub mod init;
pub mod man;
pub mod output;
pub mod panic;
pub mod repo_path;
pub mod report;
pub mod set;
pub mod shell;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use self::args::{Cli, Command, CommonArgs};
use self::error::CliError;
use crate::core::project::{self, OpenOptions, Project};

/// What a command ended with: its exit code and lines for standard error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub code: u8,
    pub messages: Vec<String>,
}

/// Width of a terminal that does not tell its size.
const FALLBACK_WIDTH: usize = 100;

pub fn main() -> ExitCode {
    panic::install();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if err.use_stderr() => {
            eprint!("{}", usage_error(&err.render().to_string()));
            return ExitCode::from(2);
        }
        Err(err) => {
            // Help and version: clap prints them itself.
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
    };
    if cli.command.is_none() && std::io::stdout().is_terminal() {
        // The view owns the terminal; it runs outside the stdout lock below,
        // which a panicking worker's terminal restore would wait on forever.
        return crate::tui::launch(&cli);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result =
        run(cli, &mut out).and_then(|o| out.flush().map(|()| o).map_err(|e| CliError::output(&e)));
    match result {
        Ok(outcome) => {
            for message in &outcome.messages {
                eprintln!("{message}");
            }
            ExitCode::from(outcome.code)
        }
        Err(err) if err.broken_pipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli, out: &mut dyn Write) -> Result<Outcome, CliError> {
    match cli.command {
        Some(Command::Diff(args)) => diff::run(&args, &cli.common, out),
        Some(Command::Check(args)) => check::run(&args, &cli.common, out),
        Some(Command::Docs(args)) => docs::run(&args, &cli.common, out),
        Some(Command::Get(args)) => get::run(&args, &cli.common, out),
        Some(Command::Set(args)) => set::run(&args, &cli.common, out),
        Some(Command::Init(args)) => init::run(&args, &cli.common, out),
        Some(Command::Completions(args)) => shell::completions(&args, out),
        Some(Command::Man) => man::run(out),
        None => {
            // `main` opens the view when standard output is a terminal; a
            // pipe would only receive escape codes.
            let path = cli.path.as_deref().unwrap_or(Path::new(".")).display().to_string();
            Err(CliError::new(
                "the interactive view needs a terminal, and standard output is not one",
            )
            .hint(format!("use `envlens diff {path}` to print the differences")))
        }
    }
}

/// Loads the project at `root`, refusing a path that is not a folder.
pub fn load_project(root: &Path, common: &CommonArgs) -> Result<Project, CliError> {
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
    let options = OpenOptions { no_ignore: common.no_ignore };
    let project = project::open(root, &options).map_err(|err| CliError {
        message: err.message,
        hint: err.hint,
        broken_pipe: false,
    })?;
    #[cfg(debug_assertions)]
    panic::forced_for_tests(&project);
    // Walk problems (an unreadable folder, a folder named like a config
    // file) hide files without failing the run: say so, on standard error
    // so that the output stays clean for scripts.
    for warning in &project.warnings {
        eprintln!("envlens: warning: {warning}");
    }
    if project.sets.is_empty() {
        return Err(CliError::new(format!("no config files found under {shown}")).hint(
            "envlens looks for config_<env>.yaml|yml|json|toml and .env.<env>; \
             add --no-ignore to include ignored files",
        ));
    }
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

/// clap's usage error in the one shape every error has here:
/// `envlens: what went wrong` and `  hint: how to fix it`.
fn usage_error(clap_text: &str) -> String {
    let mut lines = clap_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("For more information"));
    let mut message =
        lines.next().unwrap_or("invalid arguments").trim_start_matches("error: ").to_owned();
    let mut hints = Vec::new();
    for line in lines {
        if let Some(values) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            hints.push(values.to_owned());
        } else if let Some(tip) = line.strip_prefix("tip: ") {
            hints.push(tip.to_owned());
        } else if let Some(usage) = line.strip_prefix("Usage: ") {
            hints.push(format!("usage: {usage}"));
        } else if message.ends_with(':') {
            message = format!("{message} {line}");
        } else {
            message = format!("{message}, {line}");
        }
    }
    if hints.is_empty() {
        hints.push("see `envlens --help`".to_owned());
    }
    format!("envlens: {message}\n  hint: {}\n", hints.join("; "))
}
