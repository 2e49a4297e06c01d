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
    /// Which of the file's keys the set reads, and as what (§10).
    pub mount: Mount,
}

impl ConfigFile {
    /// The whole file, its keys as written.
    pub fn whole(env: String, rel_path: String, format: Format) -> Self {
        Self { env, rel_path, format, mount: Mount::Whole }
    }
}

/// Which part of a file a set reads (§10), and under what key path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Mount {
    /// Every key as written.
    #[default]
    Whole,
    /// The keys inside one section, with the section's path taken off
    /// (`production` of a Rails `database.yml`, the document `[1]` of a
    /// multi-document `application.yml`); keys in `without` (after the
    /// path is taken off) are the section's selector and left out.
    Section { path: String, without: Vec<String> },
    /// Every key, below this path: a folder-per-env set's file keyed by
    /// its path inside the env folder (`configmap.yaml.data.LOG_LEVEL`).
    Under(String),
}

/// What a further layer of a set is (§10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Below every env, above the set's base file, in list order.
    Base,
    /// One more file of the env its `env` names, over the env's file
    /// (`application-prod.properties` beside `application-prod.yml`, a
    /// second `.tfvars`, an overlay folder's other files).
    Env,
    /// Over every env (dynaconf's `[global]`).
    After,
}

/// A further layer of a set, beyond its base file and env files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    pub file: ConfigFile,
    pub role: Role,
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
    /// Further layers, each applied by its role (§10).
    pub layers: Vec<Layer>,
    /// Local layers (applied with `--local`), their env as `env` ("" for every env).
    pub locals: Vec<ConfigFile>,
    pub problems: Vec<SetProblem>,
}

impl ConfigSet {
    pub fn env_names(&self) -> impl Iterator<Item = &str> {
        self.envs.iter().map(|f| f.env.as_str())
    }

    /// The path of its first file (the base, else the first env's): where
    /// the set is, for the settings of the folders above it (§8).
    pub fn first_path(&self) -> &str {
        self.base.iter().chain(&self.envs).next().map_or("", |f| f.rel_path.as_str())
    }
}
