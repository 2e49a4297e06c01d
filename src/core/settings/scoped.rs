//! `.envlens.toml` files below the root (§8): each applies to the sets at
//! and below its folder, so pointing envlens at a parent folder keeps a
//! subproject's secret marks. Its `secret_keys` add to those of every file
//! above it (a secret stays masked whichever file marks it); its `[lists]`
//! and its `[drift]` policy replace those above it (nearest wins, the
//! root's the default). Its other keys are read from the root's file only,
//! for now, and a nested file that sets them says so.

use std::path::Path;

use super::{DriftPolicy, Settings, SettingsError, parse};
use crate::core::files::Files;
use crate::core::glob::KeyGlob;
use crate::core::identity::ListRule;

/// One nested settings file, read.
#[derive(Debug, Clone)]
pub struct Scoped {
    /// Its folder, relative to the root.
    pub dir: String,
    pub secret_keys: Vec<KeyGlob>,
    pub lists: Vec<ListRule>,
    /// Its `[drift]` policy, when it has that table.
    pub drift: Option<DriftPolicy>,
}

impl Scoped {
    /// Whether it applies to the file at `rel_path`.
    pub fn covers(&self, rel_path: &str) -> bool {
        rel_path.strip_prefix(self.dir.as_str()).is_some_and(|rest| rest.starts_with('/'))
    }
}

/// The nested files at `rel_paths` (from discovery), read from `files`;
/// a broken one is an error as the root's is, and one that sets keys
/// that do not apply below its folder yet gives a warning.
pub fn read_nested(
    files: &Files,
    root: &Path,
    rel_paths: &[String],
) -> (Vec<Scoped>, Vec<SettingsError>, Vec<String>) {
    let mut scoped = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for rel in rel_paths {
        let dir = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
        let label = match files.snapshot() {
            None => root.join(rel).display().to_string(),
            Some(snapshot) => format!("{}:{rel}", snapshot.rev),
        };
        let text = match files.read(root, rel).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                errors.push(unreadable(&label, "the settings file is not valid UTF-8"));
                continue;
            }
            Err(err) => {
                errors.push(unreadable(&label, &format!("cannot read the settings file: {err}")));
                continue;
            }
        };
        match parse(&text, &label, &root.join(dir)) {
            Ok(settings) => {
                let ignored = root_only_keys(&settings);
                if !ignored.is_empty() {
                    warnings.push(format!(
                        "{label}: below its folder only `secret_keys`, `[lists]` and `[drift]` apply; \
                         {} are read from the root's .envlens.toml only",
                        ignored.join(", ")
                    ));
                }
                scoped.push(Scoped {
                    dir: dir.to_owned(),
                    secret_keys: settings.secret_keys,
                    lists: settings.lists,
                    drift: settings.drift,
                });
            }
            Err(err) => errors.push(err),
        }
    }
    (scoped, errors, warnings)
}

fn unreadable(label: &str, message: &str) -> SettingsError {
    SettingsError {
        file: label.to_owned(),
        line: 1,
        key: String::new(),
        message: message.to_owned(),
        hint: Some("fix or remove the file: its secret marks would be lost".to_owned()),
    }
}

/// The keys a nested file sets that only the root's file applies.
fn root_only_keys(settings: &Settings) -> Vec<&'static str> {
    let defaults = Settings::default();
    let set = [
        ("`env_order`", !settings.env_order.is_empty()),
        ("`patterns`", !settings.patterns.is_empty()),
        ("`schema`", !settings.schemas.is_empty()),
        ("`ignore`", settings.ignore.is_some()),
        ("`presets`", settings.presets != defaults.presets),
        ("`[[source]]`", !settings.sources.is_empty()),
        ("`[flags]`", settings.flags.is_some()),
        ("`[[set]]`", !settings.sets.is_empty()),
    ];
    set.into_iter().filter(|(_, on)| *on).map(|(name, _)| name).collect()
}

/// The secret marks of every nested file above `rel_path`.
pub fn secret_keys_for<'s>(
    scoped: &'s [Scoped],
    rel_path: &str,
) -> impl Iterator<Item = &'s KeyGlob> {
    scoped.iter().filter(move |s| s.covers(rel_path)).flat_map(|s| &s.secret_keys)
}

/// The `[drift]` policy of the nearest nested file above `rel_path` that
/// has one; the root's applies where none has (§8).
pub fn drift_for<'s>(scoped: &'s [Scoped], rel_path: &str) -> Option<&'s DriftPolicy> {
    scoped
        .iter()
        .filter(|s| s.covers(rel_path) && s.drift.is_some())
        .max_by_key(|s| s.dir.len())
        .and_then(|s| s.drift.as_ref())
}

/// The `[lists]` of the nearest nested file above `rel_path` that has any.
pub fn lists_for<'s>(scoped: &'s [Scoped], rel_path: &str) -> Option<&'s [ListRule]> {
    scoped
        .iter()
        .filter(|s| s.covers(rel_path) && !s.lists.is_empty())
        .max_by_key(|s| s.dir.len())
        .map(|s| s.lists.as_slice())
}
