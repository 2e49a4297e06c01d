//! The command line as clap reads it, shared by both faces: `main` parses
//! it once, hands a subcommand to `cli` and the bare `envlens [PATH]` to
//! `tui`. Neither face names the other; both take their options from here.
//!
//! - `color`: how `--color auto` resolves against the environment.

pub mod color;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "envlens",
    version,
    about = "See a project's environment configs side by side: drift highlighted, secrets masked.",
    long_about = "See a project's environment configs side by side: drift highlighted, secrets masked.\n\n\
        `envlens [PATH]` opens the interactive view (it needs a terminal; `envlens diff` \
        prints the same differences for a pipe or a script).",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub view: ViewArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}

/// What `envlens [PATH]` (no subcommand) takes: the interactive view's options.
#[derive(Debug, Args, Clone)]
pub struct ViewArgs {
    /// Project folder to open (default: the current folder).
    pub path: Option<PathBuf>,

    /// Open this config set first, e.g. `services/api/config`.
    #[arg(long = "set", value_name = "NAME")]
    pub set: Option<String>,

    /// Show only these envs, comma-separated, e.g. `dev,prod`.
    #[arg(long, value_name = "a,b,…", value_delimiter = ',')]
    pub envs: Vec<String>,

    /// Refuse every edit.
    #[arg(long)]
    pub readonly: bool,

    /// Mark the cells whose effective value changed since this git
    /// revision; the detail pane shows what they were (masked alike).
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,

    /// Compare values with their `${VAR}` references resolved (§14): the
    /// cells show what each resolves to (masked as a secret when the key
    /// or the variable is one) and statuses follow the resolved values.
    #[arg(long)]
    pub resolve: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print every key that is not the same in all envs, with its per-env values.
    ///
    /// Exit code: 0 when every key is the same, 1 when at least one is not,
    /// 2 on an error (a file that failed to load; everything else is still printed).
    Diff(DiffArgs),
    /// Run the checks CI wants: parse errors, schema, required keys, drift,
    /// plaintext and shared secrets, values naming another env.
    ///
    /// Exit code: 0 when no finding is an error, 1 when one is (any finding
    /// with --strict), 2 on an error (bad path, broken .envlens.toml).
    Check(CheckArgs),
    /// Print every key's documentation and per-env values (masked).
    ///
    /// Exit code: 0, or 2 on an error.
    Docs(DocsArgs),
    /// Print one value of one env (masked unless --reveal).
    ///
    /// Exit code: 0 found, 1 not found, 2 error.
    Get(GetArgs),
    /// Change one value of one env's file; a key missing there is added.
    ///
    /// A key that no env of the set has is refused as a likely typo, with
    /// the closest key as a hint; `--new` adds it on purpose.
    ///
    /// The value must read as the key's type (`--type` changes it on
    /// purpose); a value starting with `-` follows `--`. Only the value's
    /// bytes change. Exit code: 0 written, 1 refused (nothing written), 2 error.
    Set(SetArgs),
    /// Write the file of a new env (onboarding), e.g. `config_local.yaml`.
    ///
    /// Values come from the reference env's own file (default: the first
    /// env) with their comments; every secret becomes a `${NAME}` reference;
    /// keys no env has get the schema's default. Without --set, every set
    /// of the project gets the env. An existing file is never overwritten.
    /// Exit code: 0 written, 1 refused (nothing written), 2 error.
    Init(InitArgs),
    /// List every config set: its layout and the rule that made it, its base
    /// layer, env files and local layers, and every file that looks like
    /// config but joins no set, with the reason.
    ///
    /// Exit code: 0, or 2 on an error.
    Sets(SetsArgs),
    /// The commits that changed one key's effective value in one env,
    /// newest first: id, date, author, old → new (masked unless --reveal).
    ///
    /// Follows the env's file and the set's base layer through renames.
    /// Starts at HEAD, or at --rev. Exit code: 0 found, 1 the key never
    /// existed there, 2 error (not a git repository).
    Blame(BlameArgs),
    /// Compare two files, or two folders file by file, as `diff --since`
    /// shows a change: only keys that differ, as `old → new`.
    ///
    /// For `git difftool` (`$LOCAL $REMOTE`, also `-d` folders),
    /// `GIT_EXTERNAL_DIFF` (its seven arguments) and
    /// `KUBECTL_EXTERNAL_DIFF` (two folders). A side may be `/dev/null`.
    /// Exit code: 0 same, 1 differs (0 under `GIT_EXTERNAL_DIFF`, which git
    /// takes as a failure otherwise), 2 error.
    Difftool(DifftoolArgs),
    /// Print a completion script for a shell.
    ///
    /// bash: `source <(envlens completions bash)` in ~/.bashrc; zsh:
    /// `envlens completions zsh > ~/.zfunc/_envlens`; fish: `envlens
    /// completions fish > ~/.config/fish/completions/envlens.fish`.
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `envlens man > envlens.1; man -l envlens.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new env's name, e.g. `local`.
    pub env: String,

    /// Project folder (default: the current folder).
    pub path: Option<PathBuf>,

    /// Only this config set, e.g. `services/api/config` (default: every set).
    #[arg(long = "set", value_name = "NAME")]
    pub set: Option<String>,

    /// The env to copy values from (default: each set's first env).
    #[arg(long, value_name = "ENV")]
    pub from: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Flags every command takes.
#[derive(Debug, Args, Clone)]
pub struct CommonArgs {
    /// Also read files that .gitignore, .ignore and .git/info/exclude skip.
    #[arg(long, global = true)]
    pub no_ignore: bool,

    /// Skip the remote stores that `[[source]]` tables declare.
    #[arg(long, global = true)]
    pub offline: bool,

    /// Apply local layers (`.env.prod.local`, node-config `local*.json`)
    /// over their envs; without it they are listed by `envlens sets` only.
    #[arg(long, global = true)]
    pub local: bool,
    /// Read the project as it is at a git revision (a branch, a tag, a
    /// commit, `HEAD~1`), read-only; remote sources are left out.
    #[arg(long, value_name = "REV", global = true)]
    pub rev: Option<String>,

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

    /// Fit the table to N columns, cutting long keys and values with `…`
    /// (default: the terminal's width; a pipe gets them whole).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,

    /// Show secrets in clear text.
    #[arg(long)]
    pub reveal: bool,

    /// Compare values with their `${VAR}` references resolved from the
    /// env's dotenv layers (this folder and its parents, nearest first) or
    /// their inline default; JSON cells get `resolved`.
    #[arg(long)]
    pub resolve: bool,

    /// Only keys whose effective value changed since this git revision in
    /// at least one env, each cell as `old → new` (JSON: `before`).
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// Key path as `envlens diff` prints it, e.g. `database.pool_size`.
    pub key: String,

    /// The new value, e.g. `32`, `true`, `db.internal`.
    pub value: String,

    /// Project folder (default: the current folder).
    pub path: Option<PathBuf>,

    /// The env whose file is changed, e.g. `prod`.
    #[arg(long)]
    pub env: String,

    /// The config set, e.g. `services/api/config` (needed with several sets).
    #[arg(long = "set", value_name = "NAME")]
    pub set: Option<String>,

    /// Give the key this type on purpose (else the value must read as the
    /// key's current type).
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub value_type: Option<ValueTypeArg>,

    /// The key is meant to be new: add it although no env of the set has
    /// it (else such a key is refused as a likely typo).
    #[arg(long)]
    pub new: bool,
}

/// The types `envlens set --type` can give a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValueTypeArg {
    String,
    Int,
    Float,
    Bool,
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` is set or `CLICOLOR=0`;
    /// `CLICOLOR_FORCE=1` colours a pipe too (`NO_COLOR` wins over it).
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Project folder (default: the current folder).
    pub path: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Warnings count as errors for the exit code.
    #[arg(long)]
    pub strict: bool,

    /// References are always resolved for `unresolved-reference`; accepted
    /// so that one flag works for diff and check alike.
    #[arg(long)]
    pub resolve: bool,

    /// For a deploy job: also resolve references from this process's
    /// environment, and make every reference that still does not resolve
    /// an error. Findings name variables only, never their values.
    #[arg(long)]
    pub env_from_process: bool,

    /// Report only findings that this git revision did not have (matched
    /// by rule, set, key and envs, never by line): fail CI on new problems.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Grouped by file, coloured on a terminal.
    Text,
    Json,
    /// GitHub Actions workflow commands (annotations on a pull request).
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF readers.
    Sarif,
    /// GitLab Code Quality JSON (the merge request widget).
    Gitlab,
    /// JUnit XML: a test case per set and rule, a failure per finding.
    Junit,
}

#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Project folder (default: the current folder).
    pub path: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DocsFormat::Markdown)]
    pub format: DocsFormat,
}

#[derive(Debug, Args)]
pub struct SetsArgs {
    /// Project folder (default: the current folder).
    pub path: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = SetsFormat::Text)]
    pub format: SetsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SetsFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocsFormat {
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct DifftoolArgs {
    /// LEFT RIGHT (files or folders), or the seven arguments git gives
    /// `GIT_EXTERNAL_DIFF`: path old-file old-hex old-mode new-file new-hex new-mode.
    #[arg(value_name = "LEFT RIGHT", num_args = 2..=7, required = true)]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Fit the table to N columns (default: the terminal's width).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,

    /// Show secrets in clear text.
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
pub struct BlameArgs {
    /// Key path as `envlens diff` prints it, e.g. `database.pool_size`.
    pub key: String,

    /// Project folder (default: the current folder).
    pub path: Option<PathBuf>,

    /// The env whose effective value is followed, e.g. `prod`.
    #[arg(long)]
    pub env: String,

    /// The config set, e.g. `services/api/config` (needed with several sets).
    #[arg(long = "set", value_name = "NAME")]
    pub set: Option<String>,

    /// Show secrets in clear text.
    #[arg(long)]
    pub reveal: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = SetsFormat::Text)]
    pub format: SetsFormat,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// Key path as `envlens diff` prints it, e.g. `database.pool_size`.
    pub key: String,

    /// Project folder (default: the current folder).
    pub path: Option<PathBuf>,

    /// The env to read, e.g. `prod`.
    #[arg(long)]
    pub env: String,

    /// The config set, e.g. `services/api/config` (needed with several sets).
    #[arg(long = "set", value_name = "NAME")]
    pub set: Option<String>,

    /// Show a secret in clear text.
    #[arg(long)]
    pub reveal: bool,
}
