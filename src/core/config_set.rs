//! A config set as the layouts make it (§10): its env files, base layer,
//! local layers, merge rule and the problems found while placing them.

use super::inherit::Merge;
use super::parse::Format;

/// One config file of a set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    /// The env name, or the base name for a base file.
    pub env: String,
    /// Path relative to the project root, with `/`.
    pub rel_path: String,
    pub format: Format,
}

/// A problem of a set that is not one file's parse error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetProblem {
    pub env: Option<String>,
    pub rel_path: String,
    pub message: String,
}

/// The files of one set and how they merge (§10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigSet {
    /// `services/api/config`, `.env`, `chart/values`, …
    pub name: String,
    /// The layout that made the set: `builtin`, a preset's name.
    pub layout: &'static str,
    /// The rule that made it, for `envlens sets` (`helm: Chart.yaml beside values.yaml`).
    pub rule: String,
    pub merge: Merge,
    /// Env files in env order.
    pub envs: Vec<ConfigFile>,
    pub base: Option<ConfigFile>,
    /// Local layers (applied with `--local`), their env as `env` ("" for every env).
    pub locals: Vec<ConfigFile>,
    pub problems: Vec<SetProblem>,
}

impl ConfigSet {
    pub fn env_names(&self) -> impl Iterator<Item = &str> {
        self.envs.iter().map(|f| f.env.as_str())
    }
}
