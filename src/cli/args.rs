//! The raw command line as clap reads it. `options.rs` turns it into typed,
//! validated options before any work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "envlens",
    version,
    about = "See a project's environment configs side by side: drift highlighted, secrets masked.",
    long_about = "See a project's environment configs side by side: drift highlighted, secrets masked.\n\n\
        `envlens [PATH]` will open the interactive view; until it lands, it prints the \
        same table as `envlens diff PATH`.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Project folder to open (default: the current folder).
    pub path: Option<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print every key that is not the same in all envs, with its per-env values.
    ///
    /// Exit code: 0 when every key is the same, 1 when at least one is not,
    /// 2 on an error (a file that failed to load; everything else is still printed).
    Diff(DiffArgs),
}

/// Flags every command takes.
#[derive(Debug, Args, Clone)]
pub struct CommonArgs {
    /// Also read files that .gitignore, .ignore and .git/info/exclude skip.
    #[arg(long, global = true)]
    pub no_ignore: bool,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Project folder (default: the current folder).
    pub path: Option<PathBuf>,

    /// Only this config set (repeatable), e.g. `services/api/config`.
    #[arg(long = "set", value_name = "NAME")]
    pub sets: Vec<String>,

    /// Only these envs, comma-separated, e.g. `dev,prod`.
    #[arg(long, value_name = "a,b,…", value_delimiter = ',')]
    pub envs: Vec<String>,

    /// Include keys that are the same in every env.
    #[arg(long)]
    pub all: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Show secrets in clear text.
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}
