//! `envlens completions SHELL`: generated from the clap definition, so it
//! completes every subcommand and flag there is.

use std::io::Write;

use clap::CommandFactory;

use super::Outcome;
use super::error::CliError;
use crate::args::{Cli, CompletionsArgs};

pub fn completions(args: &CompletionsArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "envlens", &mut script);
    out.write_all(&script).map_err(|e| CliError::output(&e))?;
    Ok(Outcome { code: 0, messages: Vec::new() })
}
