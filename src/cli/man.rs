//! `envlens man`: the man page, from the clap definition so that it lists
//! every subcommand and flag there is. `clap_mangen` writes the title,
//! synopsis, description and top-level options; each subcommand gets a
//! section here with its own options (`clap_mangen` would only point at
//! `envlens-diff(1)` pages that nobody installs); then what the definition
//! cannot know: exit codes, the environment, files, examples.

use std::fmt::Write as _;
use std::io::Write;

use clap::{Arg, CommandFactory};

use super::Outcome;
use super::error::CliError;
use crate::args::Cli;

pub fn run(out: &mut dyn Write) -> Result<Outcome, CliError> {
    let page = page().map_err(|e| CliError::new(format!("cannot write the man page: {e}")))?;
    out.write_all(&page).map_err(|e| CliError::output(&e))?;
    Ok(Outcome { code: 0, messages: Vec::new() })
}

fn page() -> std::io::Result<Vec<u8>> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    page.extend_from_slice(b".SH COMMANDS\n");
    for sub in command.get_subcommands() {
        subcommand(&mut page, sub);
    }
    page.extend_from_slice(EXTRA.as_bytes());
    man.render_version_section(&mut page)?;
    Ok(page)
}

fn subcommand(page: &mut Vec<u8>, sub: &clap::Command) {
    let mut usage = format!("envlens {}", sub.get_name());
    for arg in sub.get_arguments().filter(|a| a.is_positional()) {
        let name = arg.get_id().as_str().to_uppercase();
        let _ = if arg.is_required_set() {
            write!(usage, " {name}")
        } else {
            write!(usage, " [{name}]")
        };
    }
    let mut text = format!(".SS \"{}\"\n", escape(&usage));
    let about = sub.get_long_about().or_else(|| sub.get_about()).map(ToString::to_string);
    for paragraph in about.unwrap_or_default().split("\n\n") {
        let _ = writeln!(text, ".PP\n{}", escape(&paragraph.replace('\n', " ")));
    }
    for arg in sub.get_arguments().filter(|a| !a.is_positional() && !a.is_hide_set()) {
        text.push_str(&option(arg));
    }
    page.extend_from_slice(text.as_bytes());
}

/// `.TP`, `--flag <VALUE>` in bold, its help and, for a choice, the values.
fn option(arg: &Arg) -> String {
    let Some(long) = arg.get_long() else { return String::new() };
    let mut head = format!("\\fB\\-\\-{}\\fR", escape(long));
    if arg.get_action().takes_values() {
        let value = arg
            .get_value_names()
            .and_then(|v| v.first())
            .map_or_else(|| arg.get_id().as_str().to_uppercase(), ToString::to_string);
        let _ = write!(head, " \\fI{}\\fR", escape(&value));
    }
    let help = arg.get_long_help().or_else(|| arg.get_help()).map(ToString::to_string);
    let mut body = escape(&help.unwrap_or_default().replace('\n', " "));
    if !body.ends_with(['.', ')', ':']) {
        body.push('.');
    }
    let choices =
        if arg.get_action().takes_values() { arg.get_possible_values() } else { Vec::new() };
    let values: Vec<String> =
        choices.iter().filter(|v| !v.is_hide_set()).map(|v| v.get_name().to_owned()).collect();
    if !values.is_empty() {
        let _ = write!(body, " One of: {}.", escape(&values.join(", ")));
    }
    format!(".TP\n{head}\n{body}\n")
}

/// Text as roff reads it literally: backslashes and dashes escaped, and a
/// leading `.` or `'` (a request) kept from starting a line.
fn escape(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    if text.starts_with(['.', '\'']) { format!("\\&{text}") } else { text }
}

const EXTRA: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Nothing to report: every key is the same (\fBdiff\fR), no finding of severity error (\fBcheck\fR), the value was found or written.
.TP
\fB1\fR
Something to report: a key differs (\fBdiff\fR), a finding of severity error, or any finding with \fB\-\-strict\fR (\fBcheck\fR), a key not found (\fBget\fR), an edit or a new file refused (\fBset\fR, \fBinit\fR).
.TP
\fB2\fR
An error: a bad argument, a path that is not a folder, a file that failed to load (\fBdiff\fR), a broken .envlens.toml.
.SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
Set and not empty: no colour, whatever else is set (with \fB\-\-color auto\fR).
.TP
\fBCLICOLOR\fR
\fB0\fR: no colour on a terminal either.
.TP
\fBCLICOLOR_FORCE\fR
Set, not empty and not \fB0\fR: colour also when the output is not a terminal.
.TP
\fBCOLUMNS\fR
The terminal's width for the \fBdiff\fR table (a pipe is never cut; \fB\-\-width\fR sets one).
.TP
\fBVISUAL\fR, \fBEDITOR\fR
The editor the interactive view opens a file in.
.SH FILES
.TP
\fI.envlens.toml\fR
Project settings at the project root: env order, patterns, secret keys, schemas, ignore globs and the drift policy.
.TP
\fIconfig.toml\fR
User settings (theme colours, key bindings, the reveal timeout) in the platform's config folder for envlens, e.g. \fI~/.config/envlens/\fR.
.SH EXAMPLES
.TP
\fBenvlens diff \-\-envs staging,prod\fR
The keys that differ between staging and prod.
.TP
\fBenvlens check \-\-format sarif > envlens.sarif\fR
A report for GitHub code scanning.
.TP
\fBenvlens completions bash > ~/.local/share/bash\-completion/completions/envlens\fR
Completion for bash.
"#;
