//! `Project::apply_changes`: a batch of changed paths applied to a loaded
//! project. Only changed files are read and parsed; discovery runs again
//! only when the set of files may have changed (a config file created or
//! removed, ignore rules or settings changed), and then every file it
//! finds again keeps its parsed state unless it changed too.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::filter::{Kind, kind_of, relative};
use crate::core::discover::{ConfigFile, DiscoverOptions};
use crate::core::keys::KeyTable;
use crate::core::project::secret_marks;
use crate::core::project::{
    FileError, LoadedFile, LoadedLayer, LoadedSet, Project, ReadFile, load_file,
};
use crate::core::schema::{self, Schema};
use crate::core::settings;

/// What a reload changed, for the front end to redraw and tell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReloadOutcome {
    /// Config files added, changed or removed, in path order.
    pub files: Vec<FileChange>,
    /// Names of the sets whose rows may differ (added and removed sets
    /// too: a name no longer in the project is a set that went), sorted.
    pub sets: Vec<String>,
    /// Files that fail to load as of this reload: a file with last good
    /// values has them kept, marked `stale`.
    pub failed: Vec<FileError>,
    /// Files that load again after failing.
    pub recovered: Vec<String>,
    /// Files whose failure is held back for a re-check (see `Reloader`).
    pub held: Vec<String>,
    /// Discovery ran again.
    pub rediscovered: bool,
    /// The settings file changed but does not load; nothing else was done
    /// with it (the rules in force stay).
    pub settings_error: Option<String>,
}

impl ReloadOutcome {
    /// Nothing to redraw or tell.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
            && self.sets.is_empty()
            && self.failed.is_empty()
            && self.recovered.is_empty()
            && self.settings_error.is_none()
    }

    /// Whether any change came from another program than envlens.
    pub fn has_outside_change(&self) -> bool {
        self.files.iter().any(|f| !f.ours)
    }

    fn touch(&mut self, kind: FileChangeKind, set: &str, file: &ConfigFile) {
        self.sets.push(set.to_owned());
        self.files.push(FileChange {
            rel_path: file.rel_path.clone(),
            set: set.to_owned(),
            env: file.env.clone(),
            kind,
            ours: false,
        });
    }

    fn finish(&mut self) {
        self.sets.sort();
        self.sets.dedup();
        self.files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    }
}

/// One config file that changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub rel_path: String,
    pub set: String,
    /// The env name, or the base name for a base file.
    pub env: String,
    pub kind: FileChangeKind,
    /// Written by envlens itself (see `Reloader::expect_write`): no
    /// "changed on disk" warning.
    pub ours: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileChangeKind {
    Added,
    Modified,
    Removed,
}

/// Decides, per failing file that had good values, whether to keep its
/// failure back for a re-check (true) instead of showing it now.
pub(crate) type Hold<'a> = &'a mut dyn FnMut(&str) -> bool;

/// What a changed batch asks for.
#[derive(Default)]
struct Plan {
    modified: BTreeSet<String>,
    schemas: Vec<String>,
    rediscover: bool,
    settings: bool,
}

impl Project {
    /// Applies changed paths (absolute, or relative to the root) under
    /// `options`; see the module header. Failures are shown at once; the
    /// TUI goes through `Reloader`, which re-checks them first. A settings
    /// change needs the new settings' options: pass them.
    pub fn apply_changes(
        &mut self,
        options: &DiscoverOptions,
        changed: &[PathBuf],
    ) -> ReloadOutcome {
        self.apply_changes_with(options, changed, &mut |_| false)
    }

    pub(crate) fn apply_changes_with(
        &mut self,
        options: &DiscoverOptions,
        changed: &[PathBuf],
        hold: Hold<'_>,
    ) -> ReloadOutcome {
        let plan = self.plan(options, changed);
        let mut outcome = ReloadOutcome { rediscovered: plan.rediscover, ..Default::default() };
        if plan.rediscover {
            self.rediscover(options, &plan.modified, hold, &mut outcome);
        } else {
            for rel in &plan.modified {
                self.refresh_known(rel, hold, &mut outcome);
            }
        }
        let schemas = settings::schemas_with(&self.scoped, &options.schemas);
        for set in &mut self.sets {
            let named = |rel: &String| {
                schema_stem(rel) == Some(set.name.as_str())
                    || schemas.iter().any(|o| o.set == set.name && &o.rel_path == rel)
            };
            if plan.settings || plan.schemas.iter().any(named) {
                load_schema(&self.root, set, options, &schemas, &self.scoped);
                outcome.sets.push(set.name.clone());
                outcome.failed.extend(set.schema_error.clone());
            }
        }
        outcome.finish();
        outcome
    }

    fn plan(&self, options: &DiscoverOptions, changed: &[PathBuf]) -> Plan {
        let mut plan = Plan::default();
        for path in changed {
            let rel = if path.is_absolute() {
                let Some(rel) = relative(&self.root, path) else { continue };
                rel
            } else {
                path.to_string_lossy().replace('\\', "/")
            };
            let known = self.file(&rel).is_some();
            match kind_of(&rel, options) {
                _ if known && self.root.join(&rel).is_file() => {
                    plan.modified.insert(rel);
                }
                Some(Kind::Settings) => {
                    plan.settings = true;
                    plan.rediscover = true;
                }
                Some(Kind::Schema) => plan.schemas.push(rel),
                Some(Kind::Config | Kind::IgnoreRules) => plan.rediscover = true,
                None => plan.rediscover |= known,
            }
        }
        plan
    }

    fn file(&self, rel: &str) -> Option<&LoadedFile> {
        self.sets.iter().flat_map(LoadedSet::files).find(|f| f.file.rel_path == rel)
    }

    fn refresh_known(&mut self, rel: &str, hold: Hold<'_>, outcome: &mut ReloadOutcome) {
        // One file may be several slots of its set: the sections of a
        // Rails `database.yml`, the documents of an `application.yml`.
        for set in &mut self.sets {
            let name = &set.name;
            let keys = Arc::make_mut(&mut set.keys);
            let mut found = false;
            for slot in files_mut(&mut set.base, &mut set.envs, &mut set.layers, &mut set.locals)
                .filter(|f| f.file.rel_path == rel)
            {
                record(refresh(&self.root, slot, keys, &mut *hold), name, slot, outcome);
                found = true;
            }
            if found {
                return;
            }
        }
    }

    /// Nested `.envlens.toml` files read again (one may have changed): taken
    /// when none is broken, else the marks read before are kept and the
    /// broken files reported.
    fn keep_nested(
        &mut self,
        scoped: Vec<settings::Scoped>,
        errors: Vec<settings::SettingsError>,
        outcome: &mut ReloadOutcome,
    ) {
        if errors.is_empty() {
            self.scoped = scoped;
        }
        let root = format!("{}/", self.root.display());
        outcome.failed.extend(errors.into_iter().map(|err| FileError {
            rel_path: err.file.strip_prefix(&root).unwrap_or(&err.file).to_owned(),
            position: Some(crate::core::leaf::Position { line: err.line, column: 1 }),
            message: err.message,
        }));
    }

    /// Discovery again; files found again keep their parsed state.
    fn rediscover(
        &mut self,
        options: &DiscoverOptions,
        modified: &BTreeSet<String>,
        hold: Hold<'_>,
        outcome: &mut ReloadOutcome,
    ) {
        let settings::ScopedDiscovery { discovery, scoped, errors } =
            settings::discover(&self.root, options);
        self.keep_nested(scoped, errors, outcome);
        let schemas = settings::schemas_with(&self.scoped, &options.schemas);
        let mut previous = Previous::take_apart(std::mem::take(&mut self.sets));
        for found in discovery.sets {
            // The set's table is kept: ids only ever get added to it. A
            // file that comes from another set is keyed again.
            let mut keys = previous
                .sets
                .get_mut(&found.name)
                .map(|s| Arc::unwrap_or_clone(std::mem::take(&mut s.keys)))
                .unwrap_or_default();
            let mut again =
                Again { root: &self.root, set: &found.name, modified, hold: &mut *hold };
            let mut reuse = |file: &ConfigFile| previous.file(&mut again, file, &mut keys, outcome);
            let base = found.base.as_ref().map(&mut reuse);
            let envs: Vec<LoadedFile> = found.envs.iter().map(&mut reuse).collect();
            let layers: Vec<LoadedLayer> = found
                .layers
                .iter()
                .map(|l| LoadedLayer { file: reuse(&l.file), role: l.role })
                .collect();
            let locals_read = if options.local { found.locals.as_slice() } else { &[] };
            let locals: Vec<LoadedFile> = locals_read.iter().map(&mut reuse).collect();
            let first = found.first_path();
            let mut set = previous.sets.remove(&found.name).unwrap_or_else(|| {
                let mut set = empty_set(&found.name);
                load_schema(&self.root, &mut set, options, &schemas, &self.scoped);
                set
            });
            set.secret_marks = secret_marks(set.schema.as_ref(), options, &self.scoped, first);
            if set.envs.len() != envs.len() || set.problems != found.problems {
                outcome.sets.push(found.name.clone());
            }
            set.layout = found.layout;
            found.rule.clone_into(&mut set.rule);
            set.merge = found.merge;
            set.base = base;
            set.envs = envs;
            set.layers = layers;
            set.locals = locals;
            set.keys = Arc::new(keys);
            set.key_lists(
                settings::lists_for(&self.scoped, first).unwrap_or(&options.lists),
                false,
            );
            set.problems = found.problems;
            self.sets.push(set);
        }
        for (set, slot) in previous.files.into_values() {
            outcome.touch(FileChangeKind::Removed, &set, &slot.file);
        }
        // Source columns are not files: a reload keeps them as they were.
        for (set, column) in previous.columns {
            let old = previous.sets.remove(&set);
            crate::core::project::keep_column(&mut self.sets, &set, column, old);
        }
        self.warnings = discovery.warnings;
        self.key_files = discovery.key_files;
    }
}

/// The loaded state before a new discovery, taken apart for reuse.
struct Previous {
    /// Files by path and the part of them read (`slot_key`), with the set
    /// they were in.
    files: HashMap<String, (String, LoadedFile)>,
    /// Sets by name, without their files.
    sets: HashMap<String, LoadedSet>,
    /// Source columns by set name.
    columns: Vec<(String, LoadedFile)>,
}

/// Where a file found again is being placed.
struct Again<'a> {
    root: &'a Path,
    set: &'a str,
    modified: &'a BTreeSet<String>,
    hold: Hold<'a>,
}

impl Previous {
    fn take_apart(sets: Vec<LoadedSet>) -> Self {
        let mut previous =
            Self { files: HashMap::new(), sets: HashMap::new(), columns: Vec::new() };
        for mut set in sets {
            let layers = std::mem::take(&mut set.layers).into_iter().map(|l| l.file);
            let files = set.base.take().into_iter().chain(std::mem::take(&mut set.envs));
            for file in files.chain(layers).chain(std::mem::take(&mut set.locals)) {
                if file.is_source() {
                    previous.columns.push((set.name.clone(), file));
                    continue;
                }
                previous.files.insert(slot_key(&file.file), (set.name.clone(), file));
            }
            previous.sets.insert(set.name.clone(), set);
        }
        previous
    }

    /// A file of the new discovery: its old parsed state when it was loaded
    /// before in the same format (keyed again when it moved sets, read again
    /// when modified), else read now.
    fn file(
        &mut self,
        again: &mut Again<'_>,
        file: &ConfigFile,
        keys: &mut KeyTable,
        outcome: &mut ReloadOutcome,
    ) -> LoadedFile {
        match self.files.remove(&slot_key(file)) {
            Some((from, mut slot)) if slot.file.format == file.format => {
                slot.file = file.clone();
                if from != again.set {
                    let empty = KeyTable::new();
                    let old = self.sets.get(&from).map_or(&empty, |s| &s.keys);
                    crate::core::leaf::rekey(&mut slot.leaves, old, keys);
                }
                if again.modified.contains(&file.rel_path) {
                    let refreshed = refresh(again.root, &mut slot, keys, &mut *again.hold);
                    record(refreshed, again.set, &slot, outcome);
                }
                slot
            }
            _ => {
                let read = load_file(again.root, file);
                outcome.failed.extend(read.file.error.clone());
                outcome.touch(FileChangeKind::Added, again.set, file);
                read.join(keys)
            }
        }
    }
}

/// A loaded file's place: its path and, for a file read in parts
/// (sections, documents), which part.
fn slot_key(file: &ConfigFile) -> String {
    match &file.mount {
        crate::core::config_set::Mount::Whole => file.rel_path.clone(),
        mount => format!("{}\0{mount:?}", file.rel_path),
    }
}

/// Every file slot of a set, mutable: base, envs, layers, locals.
fn files_mut<'s>(
    base: &'s mut Option<LoadedFile>,
    envs: &'s mut [LoadedFile],
    layers: &'s mut [LoadedLayer],
    locals: &'s mut [LoadedFile],
) -> impl Iterator<Item = &'s mut LoadedFile> {
    base.iter_mut().chain(envs).chain(layers.iter_mut().map(|l| &mut l.file)).chain(locals)
}

/// What refreshing one file did.
enum Refresh {
    Unchanged,
    Held,
    Replaced { recovered: bool, failed: Option<FileError> },
}

fn record(refresh: Refresh, set: &str, slot: &LoadedFile, outcome: &mut ReloadOutcome) {
    match refresh {
        Refresh::Unchanged => {}
        Refresh::Held => outcome.held.push(slot.file.rel_path.clone()),
        Refresh::Replaced { recovered, failed } => {
            outcome.touch(FileChangeKind::Modified, set, &slot.file);
            if recovered {
                outcome.recovered.push(slot.file.rel_path.clone());
            }
            outcome.failed.extend(failed);
        }
    }
}

/// Reads one known file again. The same bytes cost a read, not a parse;
/// a file with good values that fails keeps them, marked stale.
fn refresh(root: &Path, slot: &mut LoadedFile, keys: &mut KeyTable, hold: Hold<'_>) -> Refresh {
    let bytes = std::fs::read(root.join(&slot.file.rel_path));
    if let (Some(known), Ok(bytes)) = (slot.fingerprint, &bytes)
        && known.matches(bytes)
    {
        // Back to the last good bytes (an undo): the kept leaves are theirs.
        return match slot.stale.take() {
            Some(_) => Refresh::Replaced { recovered: true, failed: None },
            None => Refresh::Unchanged,
        };
    }
    let ReadFile { file: fresh, paths } = load_file(root, &slot.file);
    let had_good = slot.error.is_none();
    // A file truncated to nothing is most likely being written.
    let emptied = fresh.fingerprint.is_some_and(|f| f.len == 0)
        && slot.fingerprint.is_some_and(|f| f.len > 0);
    if (fresh.error.is_some() || emptied) && had_good && hold(&slot.file.rel_path) {
        return Refresh::Held;
    }
    if let Some(err) = fresh.error.clone().filter(|_| had_good) {
        slot.stale = Some(err.clone());
        return Refresh::Replaced { recovered: false, failed: Some(err) };
    }
    let failed = fresh.error.clone();
    let recovered = failed.is_none() && (slot.error.is_some() || slot.stale.is_some());
    *slot = ReadFile { file: fresh, paths }.join(keys);
    Refresh::Replaced { recovered, failed }
}

fn empty_set(name: &str) -> LoadedSet {
    LoadedSet {
        name: name.to_owned(),
        layout: "builtin",
        rule: String::new(),
        merge: crate::core::inherit::Merge::Deep,
        envs: Vec::new(),
        base: None,
        layers: Vec::new(),
        locals: Vec::new(),
        problems: Vec::new(),
        schema: None,
        schema_error: None,
        secret_marks: Vec::new(),
        keys: Arc::default(),
        as_now: false,
        lists: crate::core::identity::Lists::default(),
    }
}

/// The set's schema and secret marks, as `Project::load` finds them;
/// `schemas` are the schema files the settings name (`schemas_with`).
fn load_schema(
    root: &Path,
    set: &mut LoadedSet,
    options: &DiscoverOptions,
    schemas: &[crate::core::discover::SchemaOverride],
    scoped: &[settings::Scoped],
) {
    let (schema, schema_error): (Option<Schema>, _) =
        match schema::find_for(&options.files, root, &set.name, schemas) {
            Some(Ok(schema)) => (Some(schema), None),
            Some(Err(err)) => (None, Some(err)),
            None => (None, None),
        };
    set.secret_marks = secret_marks(schema.as_ref(), options, scoped, set.first_path());
    set.schema = schema;
    set.schema_error = schema_error;
}

/// `services/api/config.schema.json` → `services/api/config`.
fn schema_stem(rel: &str) -> Option<&str> {
    [".schema.json", ".schema.yaml", ".schema.yml"].iter().find_map(|s| rel.strip_suffix(s))
}

impl LoadedSet {
    /// Files that stopped parsing, with their error; their last good
    /// values are still in `leaves` (live reload only).
    pub fn stale_files(&self) -> impl Iterator<Item = (&str, &FileError)> {
        self.files().filter_map(|f| f.stale.as_ref().map(|e| (f.file.env.as_str(), e)))
    }
}
