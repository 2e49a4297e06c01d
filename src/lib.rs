//! envlens: a project's environment config files side by side.
//!
//! The data flows one way: **files → model → diff → view**.
//!
//! - [`core`] finds the config sets of a project (`discover`), reads each
//!   file into leaves with positions (`source`, `parse`, `flatten`), lays
//!   each env over its set's base file (`inherit`), gives every key a status
//!   across the envs (`diff`), decides what is secret (`secret`), checks,
//!   edits and watches files. `project` ties the reading into one
//!   `Project::load`. It names no terminal or argument crate.
//! - [`args`] is the command line as clap reads it; `main` (the binary)
//!   parses it once and hands each face its options.
//! - [`cli`] is the subcommands over the core (`diff`, `check`, `docs`,
//!   `get`, `set`) and their table, JSON and Markdown writers.
//! - [`tui`] is the interactive view that `envlens [PATH]` opens.
//!
//! The faces never name each other: `main` → `cli` → `core` and
//! `main` → `tui` → `core`, each face reading `args` (`.ci/run` checks it).

pub mod args;
pub mod cli;
pub mod core;
pub mod tui;
