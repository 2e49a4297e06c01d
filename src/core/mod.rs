//! The pure library: discovery, parsing with positions, flattening, base
//! inheritance, diffing and secret rules. Nothing here knows of terminals,
//! argument parsing or printing.

pub mod check;
pub mod config_set;
pub mod diff;
pub mod discover;
pub mod docs;
pub mod edit;
pub mod encrypted;
pub mod env_name;
pub mod file_name;
pub mod files;
pub mod fingerprint;
pub mod flatten;
pub mod glob;
pub mod identity;
pub mod inherit;
pub mod init;
pub mod key_path;
pub mod keys;
pub mod layout;
pub mod leaf;
pub mod pair;
pub mod parallel;
pub mod parse;
pub mod project;
pub mod references;
pub mod report;
pub mod revision;
pub mod schema;
pub mod secret;
pub mod settings;
pub mod shape;
pub mod since;
pub mod source;
pub mod sources;
pub mod validate;
pub mod watch;
