//! Entry point, and the one place that reads the arguments, picks the face
//! (a subcommand goes to `cli`, the bare `envlens [PATH]` to `tui`), owns
//! the panic hook, and turns every outcome into the exit code and the one
//! error line on standard error (ripgrep's `crates/core/main.rs` is the
//! model). Codes: what a subcommand returns (0, 1), 2 for every error; a
//! reader that went away (`| head`) is success.

use std::io::{IsTerminal, Write as _};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use envlens::args::Cli;
use envlens::{cli, tui};

fn main() -> ExitCode {
    install_panic_hook();
    let args = match Cli::try_parse() {
        Ok(args) => args,
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
    match args.command {
        Some(command) => match cli::run(command, &args.common) {
            Ok(outcome) => {
                for message in &outcome.messages {
                    eprintln!("{message}");
                }
                ExitCode::from(outcome.code)
            }
            Err(err) if err.broken_pipe => ExitCode::SUCCESS,
            Err(err) => fail(&err),
        },
        // The view owns the terminal; nothing here holds the stdout lock,
        // which a panicking worker's terminal restore would wait on forever.
        None if std::io::stdout().is_terminal() => match tui::launch(&args.view, &args.common) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => fail(&err),
        },
        None => {
            // A pipe would only receive escape codes.
            let path = args.view.path.as_deref().unwrap_or(Path::new(".")).display();
            eprintln!(
                "envlens: the interactive view needs a terminal, and standard output is not one\n  \
                 hint: use `envlens diff {path}` to print the differences"
            );
            ExitCode::from(2)
        }
    }
}

/// Prints a face's error (`envlens: …` and `  hint: …`); exit code 2.
fn fail(err: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("{err}");
    ExitCode::from(2)
}

/// One line on standard error naming where the bug is, never the panic's
/// message, which could hold a secret's text (a value formatted into an
/// `expect` or an index message). Installed first: the view's
/// terminal-restoring hook chains to it, so the screen is restored before
/// the line is printed.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place =
            info.location().map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        let _ = writeln!(
            std::io::stderr().lock(),
            "envlens: internal error{place}; this is a bug, please report it"
        );
    }));
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
