//! Sources beyond the working tree (§13): configuration stores (etcd,
//! Consul, Vault/OpenBao KV, AWS SSM Parameter Store, Spring Cloud Config)
//! and ML runs (MLflow file stores, `dvc.lock`), each read into the leaves
//! of an env column. One module per kind; this one holds what they share:
//! the declaration, the entries a store gives back, the error type and the
//! one dispatch every front end calls (`fetch`).
//!
//! Rules every adapter keeps:
//! - Read-only: no adapter sends a request that writes.
//! - Credentials come only from the tool's usual variables and files, and
//!   never reach a message: errors name the variable, never its value.
//! - Timeouts (5 s to connect, 30 s in all) and no retry of a 4xx answer
//!   live in `http`, so no adapter can forget them.

mod consul;
pub mod dvc;
mod etcd;
mod http;
pub mod mlflow;
pub mod sigv4;
mod spring;
mod ssm;
mod vault;

use std::path::Path;

use super::key_path;
use super::leaf::Value;
use super::parse::Format;

/// The kinds of `[[source]]` (§13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Etcd,
    Consul,
    Vault,
    Ssm,
    Spring,
    Mlflow,
    Dvc,
}

impl Kind {
    pub const NAMES: &'static [&'static str] =
        &["etcd", "consul", "vault", "ssm", "spring", "mlflow", "dvc"];

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "etcd" => Self::Etcd,
            "consul" => Self::Consul,
            "vault" => Self::Vault,
            "ssm" => Self::Ssm,
            "spring" => Self::Spring,
            "mlflow" => Self::Mlflow,
            "dvc" => Self::Dvc,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// A remote store (reached over HTTP), as opposed to an ML run on disk.
    pub fn is_remote(self) -> bool {
        !matches!(self, Self::Mlflow | Self::Dvc)
    }

    /// The variable that gives the store's address when `address` is not
    /// written, and the address used when neither is.
    fn address_variables(self) -> (&'static [&'static str], &'static str) {
        match self {
            Self::Etcd => (&["ETCD_ENDPOINTS", "ETCDCTL_ENDPOINTS"], "http://127.0.0.1:2379"),
            Self::Consul => (&["CONSUL_HTTP_ADDR"], "http://127.0.0.1:8500"),
            Self::Vault => (&["VAULT_ADDR", "BAO_ADDR"], "https://127.0.0.1:8200"),
            Self::Ssm => (&["AWS_ENDPOINT_URL_SSM", "AWS_ENDPOINT_URL"], ""),
            Self::Spring => (&["SPRING_CLOUD_CONFIG_URI"], "http://localhost:8888"),
            Self::Mlflow | Self::Dvc => (&[], ""),
        }
    }
}

/// One `[[source]]` table of `.envlens.toml`, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDecl {
    /// The set it joins (or names).
    pub set: String,
    pub kind: Kind,
    /// The env, possibly `{env}` (one source per env of the set).
    pub env: Option<String>,
    /// The prefix (`/api/{env}/`, `secret/api/prod/`, `app/prod`, `mlruns`).
    pub path: String,
    pub address: Option<String>,
    pub value_format: Option<Format>,
    /// MLflow: `"latest"` keeps the newest run per run name.
    pub latest_runs: bool,
    /// Line of the table in the settings file.
    pub line: u32,
}

/// A declaration expanded for one env.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub kind: Kind,
    /// The files' env it mirrors (`prod` for `prod@ssm`).
    pub env: String,
    pub path: String,
    pub address: Option<String>,
    pub value_format: Option<Format>,
}

impl Source {
    /// The env column's name: `prod@ssm`.
    pub fn column(&self) -> String {
        format!("{}@{}", self.env, self.kind.as_str())
    }

    /// What the column reads, for `files` and messages: `ssm:/api/prod/`.
    /// Never holds credentials (an address's user-info is left out).
    pub fn label(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.path)
    }

    /// The address in use: `address`, else the tool's variable, else the
    /// tool's default.
    pub fn address(&self, env: &dyn Fn(&str) -> Option<String>) -> String {
        let (vars, default) = self.kind.address_variables();
        let found = self
            .address
            .clone()
            .or_else(|| vars.iter().find_map(|v| env(v).filter(|s| !s.trim().is_empty())));
        let text = found.unwrap_or_else(|| default.to_owned());
        // ETCD_ENDPOINTS may list several: the first is asked.
        let first = text.split(',').next().unwrap_or_default().trim();
        first.trim_end_matches('/').to_owned()
    }
}

/// How a fetch is made.
#[derive(Clone, Copy)]
pub struct FetchOptions<'a> {
    /// `--reveal`: SSM is asked to decrypt SecureStrings.
    pub reveal: bool,
    /// The project root (ML runs are read below it).
    pub root: &'a Path,
    /// The process environment (a test passes its own).
    pub env: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

impl std::fmt::Debug for FetchOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FetchOptions").field("reveal", &self.reveal).finish_non_exhaustive()
    }
}

/// The process environment.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// One value a store gave back.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key path (§3), already spelled.
    pub path: String,
    pub value: Value,
    /// The store marks it secret (SSM SecureString, every Vault value).
    pub secret: bool,
}

/// Why a source could not be read. The message never holds a credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SourceError {
    pub message: String,
}

impl SourceError {
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }
}

/// Reads one source: every entry below its prefix, all pages.
pub fn fetch(source: &Source, options: &FetchOptions<'_>) -> Result<Vec<Entry>, SourceError> {
    let address = source.address(options.env);
    let mut entries = match source.kind {
        Kind::Etcd => etcd::fetch(&address, &source.path, options),
        Kind::Consul => consul::fetch(&address, &source.path, options),
        Kind::Vault => vault::fetch(&address, &source.path, options),
        Kind::Ssm => ssm::fetch(&address, &source.path, options),
        Kind::Spring => spring::fetch(&address, &source.path, options),
        Kind::Mlflow | Kind::Dvc => {
            Err(SourceError::new("ML runs are read by `runs`, not fetched"))
        }
    }?;
    if let Some(format) = source.value_format {
        entries = expand_documents(entries, format);
    }
    Ok(entries)
}

/// `value_format`: a string value holding a document becomes its keys
/// below the entry's key; a value that does not parse stays a string.
fn expand_documents(entries: Vec<Entry>, format: Format) -> Vec<Entry> {
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let Value::String(text) = &entry.value else {
            out.push(entry);
            continue;
        };
        let Ok(parsed) = super::parse::parse(format, text) else {
            out.push(entry);
            continue;
        };
        if parsed.leaves.is_empty() {
            out.push(entry);
            continue;
        }
        for leaf in &parsed.leaves {
            let inner = parsed.path(leaf);
            let path = if entry.path.is_empty() {
                inner
            } else if inner.starts_with('[') {
                format!("{}{inner}", entry.path)
            } else {
                format!("{}.{inner}", entry.path)
            };
            out.push(Entry { path, value: leaf.value.clone(), secret: entry.secret });
        }
    }
    out
}

/// A store key below the prefix as a key path: `db/host` → `db.host`.
/// Empty parts (`a//b`, a trailing `/`) are left out.
pub fn path_of(relative: &str) -> String {
    let mut path = String::new();
    for part in relative.split('/').filter(|p| !p.is_empty()) {
        key_path::push_key(&mut path, part);
    }
    path
}

/// A dotted name (Spring property, MLflow param, dvc param) as a key path:
/// `server.port` → `server.port`, `hosts[0]` → `hosts[0]`.
pub fn path_of_dotted(name: &str) -> String {
    let mut path = String::new();
    for part in name.split(['.', '/']).filter(|p| !p.is_empty()) {
        let (head, mut rest) = match part.find('[') {
            Some(i) if part.ends_with(']') => (&part[..i], &part[i..]),
            _ => (part, ""),
        };
        if !head.is_empty() {
            key_path::push_key(&mut path, head);
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let Some(end) = inner.find(']') else { break };
            match inner[..end].parse::<usize>() {
                Ok(index) => key_path::push_index(&mut path, index),
                Err(_) => key_path::push_key(&mut path, &inner[..end]),
            }
            rest = &inner[end + 1..];
        }
    }
    path
}

/// A JSON value from a typed store (Vault fields, Spring properties) as
/// entries: scalars as they are, objects and arrays flattened below `path`.
fn json_entries(path: &str, value: &serde_json::Value, secret: bool, out: &mut Vec<Entry>) {
    use serde_json::Value as J;
    let scalar = match value {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => {
            n.as_i64().map_or_else(|| Value::Float(n.as_f64().unwrap_or(0.0)), Value::Int)
        }
        J::String(s) if super::encrypted::is_spring_cipher(s) => {
            Value::Encrypted(super::leaf::ValueType::String)
        }
        J::String(s) => Value::String(s.as_str().into()),
        J::Array(items) if items.is_empty() => Value::EmptyList,
        J::Object(map) if map.is_empty() => Value::EmptyMap,
        J::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let mut inner = path.to_owned();
                key_path::push_index(&mut inner, i);
                json_entries(&inner, item, secret, out);
            }
            return;
        }
        J::Object(map) => {
            for (key, item) in map {
                let mut inner = path.to_owned();
                key_path::push_key(&mut inner, key);
                json_entries(&inner, item, secret, out);
            }
            return;
        }
    };
    out.push(Entry { path: path.to_owned(), value: scalar, secret });
}

#[cfg(test)]
mod tests;
