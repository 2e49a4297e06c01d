//! envlens: a project's environment config files side by side.
//!
//! The data flows one way: **files → model → diff → view**.
//!
//! - [`core`] finds the config sets of a project (`discover`), reads each
//!   file into leaves with positions (`source`, `parse`, `flatten`), lays
//!   each env over its set's base file (`inherit`), gives every key a status
//!   across the envs (`diff`) and decides what is secret (`secret`).
//!   `project` ties these into one `Project::load`.
//! - [`cli`] is the command line over the core: argument parsing and the
//!   table, JSON and Markdown writers.
//! - [`tui`] is the interactive view (to come).

pub mod cli;
pub mod core;
pub mod tui;
