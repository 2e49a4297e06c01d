//! `.envlens.toml` files below the root (§8): each applies to the sets at
//! and below its folder, so pointing envlens at a parent folder keeps a
//! subproject's secret marks and finds its sets as its settings say.
//! Its `secret_keys` add to those of every file above it (a secret stays
//! masked whichever file marks it), and so do its `ignore` lines (the
//! walk has applied the root's already); every other key replaces the
//! one above it (nearest wins, the root's the default). `[[source]]`
//! tables are read from the root's file only, and a nested file that has
//! them says so.

use std::path::Path;

use ignore::gitignore::Gitignore;

use super::{DriftPolicy, FlagPolicy, ReferencePolicy, Settings, SettingsError, parse};
use crate::core::discover::{self, DiscoverOptions, Discovery, NamePattern, SchemaOverride, Scope};
use crate::core::files::Files;
use crate::core::glob::KeyGlob;
use crate::core::identity::ListRule;
use crate::core::layout::Preset;
use crate::core::layout::declared::DeclaredSet;

/// One nested settings file, read; paths in it made relative to the root.
#[derive(Debug, Clone)]
pub struct Scoped {
    /// Its folder, relative to the root.
    pub dir: String,
    pub secret_keys: Vec<KeyGlob>,
    pub lists: Vec<ListRule>,
    /// Its `[drift]` policy, when it has that table.
    pub drift: Option<DriftPolicy>,
    /// Its `[flags]` policy, when it has that table.
    pub flags: Option<FlagPolicy>,
    /// Its `[references]`, when it names injected variables.
    pub references: Option<ReferencePolicy>,
    /// Its schema files per set, set names and paths from the root.
    pub schemas: Vec<SchemaOverride>,
    /// Its discovery keys; empty or `None` where it leaves them out.
    pub env_order: Vec<String>,
    pub patterns: Vec<NamePattern>,
    pub presets: Option<Vec<Preset>>,
    pub ignore: Option<Gitignore>,
    pub declared: Vec<DeclaredSet>,
}

impl Scoped {
    /// Whether it applies to the file at `rel_path`.
    pub fn covers(&self, rel_path: &str) -> bool {
        rel_path.strip_prefix(self.dir.as_str()).is_some_and(|rest| rest.starts_with('/'))
    }

    /// Whether it changes how the files below it are grouped into sets.
    fn groups(&self) -> bool {
        !self.env_order.is_empty()
            || !self.patterns.is_empty()
            || self.presets.is_some()
            || self.ignore.is_some()
            || !self.declared.is_empty()
    }

    /// `options` with its discovery keys put over them.
    fn over(&self, mut options: DiscoverOptions) -> DiscoverOptions {
        if !self.env_order.is_empty() {
            options.env_order.clone_from(&self.env_order);
        }
        if !self.patterns.is_empty() {
            options.patterns.clone_from(&self.patterns);
        }
        if let Some(presets) = &self.presets {
            options.presets.clone_from(presets);
        }
        if !self.declared.is_empty() {
            options.declared.clone_from(&self.declared);
        }
        options
    }
}

/// What a discovery that applies every nested `.envlens.toml` found.
#[derive(Debug)]
pub struct ScopedDiscovery {
    pub discovery: Discovery,
    /// The nested files that could be read.
    pub scoped: Vec<Scoped>,
    /// The broken ones.
    pub errors: Vec<SettingsError>,
}

/// Discovers the sets under `root`, each nested `.envlens.toml` governing
/// the files below its folder (§8). Its warnings (keys a nested file sets
/// that apply from the root only) join the discovery's.
pub fn discover(root: &Path, options: &DiscoverOptions) -> ScopedDiscovery {
    let mut read = None;
    let mut scopes_of = |rel_paths: &[String]| {
        let (scoped, errors, warnings) = read_nested(&options.files, root, rel_paths);
        let grouping = scopes(options, &scoped);
        read = Some((scoped, errors, warnings));
        grouping
    };
    let mut discovery = discover::discover_scoped(root, options, &mut scopes_of);
    let (scoped, errors, warnings) = read.unwrap_or_default();
    discovery.warnings.extend(warnings);
    ScopedDiscovery { discovery, scoped, errors }
}

/// The discovery scopes of the nested files that change grouping, each
/// over the scope above it (or the root's options).
fn scopes(root: &DiscoverOptions, scoped: &[Scoped]) -> Vec<Scope> {
    let mut by_depth: Vec<&Scoped> = scoped.iter().filter(|s| s.groups()).collect();
    // A folder's path is shorter than any below it: outer scopes first.
    by_depth.sort_by_key(|s| s.dir.len());
    let mut out: Vec<Scope> = Vec::new();
    for nested in by_depth {
        let above = out.iter().filter(|s| s.covers(&nested.dir)).max_by_key(|s| s.dir.len());
        let (options, mut ignore) = match above {
            Some(scope) => (scope.options.clone(), scope.ignore.clone()),
            None => (root.clone(), Vec::new()),
        };
        ignore.extend(nested.ignore.clone());
        out.push(Scope { dir: nested.dir.clone(), options: nested.over(options), ignore });
    }
    out
}

/// The schema files named for sets: those of the nested files, the
/// deepest first, before the root's, so the nearest naming a set wins.
pub fn schemas_with(scoped: &[Scoped], root: &[SchemaOverride]) -> Vec<SchemaOverride> {
    let mut nested: Vec<&Scoped> = scoped.iter().filter(|s| !s.schemas.is_empty()).collect();
    nested.sort_by_key(|s| std::cmp::Reverse(s.dir.len()));
    nested.iter().flat_map(|s| s.schemas.iter().cloned()).chain(root.iter().cloned()).collect()
}

/// The nested files at `rel_paths` (from discovery), read from `files`;
/// a broken one is an error as the root's is, and one that has tables
/// read from the root's file only gives a warning.
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
                if !settings.sources.is_empty() {
                    warnings.push(format!(
                        "{label}: `[[source]]` tables are read from the root's .envlens.toml only"
                    ));
                }
                scoped.push(rebased(dir, settings));
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

/// A nested file's settings with its paths and set names made relative
/// to the root.
fn rebased(dir: &str, settings: Settings) -> Scoped {
    let rebase = |path: &str| format!("{dir}/{path}");
    let presets = (settings.presets != Settings::default().presets).then_some(settings.presets);
    Scoped {
        dir: dir.to_owned(),
        secret_keys: settings.secret_keys,
        lists: settings.lists,
        drift: settings.drift,
        flags: settings.flags,
        references: (!settings.references.external.is_empty()).then_some(settings.references),
        schemas: settings
            .schemas
            .into_iter()
            .map(|o| SchemaOverride { set: rebase(&o.set), rel_path: rebase(&o.rel_path), ..o })
            .collect(),
        env_order: settings.env_order,
        patterns: settings.patterns,
        presets,
        ignore: settings.ignore,
        declared: settings.sets.into_iter().map(|set| set.under(dir)).collect(),
    }
}

/// The secret marks of every nested file above `rel_path`.
pub fn secret_keys_for<'s>(
    scoped: &'s [Scoped],
    rel_path: &str,
) -> impl Iterator<Item = &'s KeyGlob> {
    scoped.iter().filter(move |s| s.covers(rel_path)).flat_map(|s| &s.secret_keys)
}

/// What `pick` finds in the nearest nested file above `rel_path` that
/// has it (nearest wins, §8); `None` where none has, and the root's
/// applies.
fn nearest<'s, T: ?Sized>(
    scoped: &'s [Scoped],
    rel_path: &str,
    pick: impl Fn(&'s Scoped) -> Option<&'s T>,
) -> Option<&'s T> {
    scoped
        .iter()
        .filter(|s| s.covers(rel_path))
        .filter_map(|s| Some((s.dir.len(), pick(s)?)))
        .max_by_key(|(depth, _)| *depth)
        .map(|(_, found)| found)
}

/// The nearest `[drift]` policy above `rel_path`.
pub fn drift_for<'s>(scoped: &'s [Scoped], rel_path: &str) -> Option<&'s DriftPolicy> {
    nearest(scoped, rel_path, |s| s.drift.as_ref())
}

/// The nearest `[flags]` policy above `rel_path`.
pub fn flags_for<'s>(scoped: &'s [Scoped], rel_path: &str) -> Option<&'s FlagPolicy> {
    nearest(scoped, rel_path, |s| s.flags.as_ref())
}

/// The nearest `[references]` above `rel_path` that names injected
/// variables.
pub fn references_for<'s>(scoped: &'s [Scoped], rel_path: &str) -> Option<&'s ReferencePolicy> {
    nearest(scoped, rel_path, |s| s.references.as_ref())
}

/// The nearest `[lists]` above `rel_path` that has any.
pub fn lists_for<'s>(scoped: &'s [Scoped], rel_path: &str) -> Option<&'s [ListRule]> {
    nearest(scoped, rel_path, |s| (!s.lists.is_empty()).then_some(s.lists.as_slice()))
}
