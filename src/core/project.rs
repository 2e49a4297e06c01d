//! `Project::load`: discovery, then every file read and parsed, each error
//! kept beside its file so a broken file never hides the healthy ones.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::diff::{self, Rows};
use super::discover::{ConfigFile, ConfigSet, DiscoverOptions, Role, SetProblem};
use super::files::Files;
use super::glob::KeyGlob;
use super::identity::{self, ListRule, Lists};
use super::inherit::{self, Effective, Layer, Merge};
use super::keys::{KeyId, KeyTable};
use super::leaf::{Leaf, Value};
use super::parse::Format;
use super::schema::{self, Schema};
use super::secret::{self, Secret, SecretReason};
use super::settings::{self, Settings, SettingsError};

mod columns;
mod mount;
mod read;

pub use read::{
    Fingerprint, Progress, ReadFile, load_file, load_file_from, shape_and_mount, shape_context,
};
// Where a file's error is located is the source's business; projects,
// schemas and reloads all report it.
pub use super::source::FileError;
use read::{PARALLEL_FILES, load_files};

pub use columns::{
    Expanded, SourceColumn, SourceState, attach, expand, keep_column, loading_columns, store_column,
};

/// One config file after loading: its leaves, or its error (then no leaves).
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub file: ConfigFile,
    /// Keyed in the set's `KeyTable`.
    pub leaves: Vec<Leaf>,
    pub error: Option<FileError>,
    /// Errors of single keys that do not stop the file loading (§12: a
    /// Secret's `data` value that is not base64); the key keeps its text.
    pub key_errors: Vec<FileError>,
    /// The bytes that were parsed, summed up, so that an edit can tell the
    /// file was changed on disk since (None when it could not be read).
    pub fingerprint: Option<Fingerprint>,
    /// Set by a live reload only (never by `load`): the file stopped
    /// parsing, `leaves` and `fingerprint` are its last good state, and
    /// this is why the disk no longer matches them. `error` stays None.
    pub stale: Option<FileError>,
    /// What the file's encryption says (a sops file, its plain values that
    /// sops would have encrypted), when something in it is encrypted.
    pub encryption: Option<super::encrypted::Encryption>,
    /// Set for an env column that a source gives (§13: a store, an ML
    /// run, `dvc.lock`): read-only, its values have no line.
    pub source: Option<SourceColumn>,
}

impl LoadedFile {
    /// True for a column from a source (never written).
    pub fn is_source(&self) -> bool {
        self.source.is_some()
    }
}

/// A further layer of a set (§10), loaded.
#[derive(Debug, Clone)]
pub struct LoadedLayer {
    pub file: LoadedFile,
    pub role: Role,
}

/// A config set with its files loaded.
#[derive(Debug, Clone)]
pub struct LoadedSet {
    pub name: String,
    /// The layout that made the set and its rule (§10).
    pub layout: &'static str,
    pub rule: String,
    pub merge: Merge,
    /// In env order.
    pub envs: Vec<LoadedFile>,
    pub base: Option<LoadedFile>,
    /// Further layers (§10) by their role, in the order they apply.
    pub layers: Vec<LoadedLayer>,
    /// Local layers (§10), loaded and applied over their env's file only
    /// with `--local`; `file.env` is their env, "" for every env.
    pub locals: Vec<LoadedFile>,
    pub problems: Vec<SetProblem>,
    /// The set's JSON Schema, when one sits beside it.
    pub schema: Option<Schema>,
    /// A schema file that did not load.
    pub schema_error: Option<FileError>,
    /// Keys marked secret by the schema or the settings.
    pub secret_marks: Vec<(KeyGlob, SecretReason)>,
    /// Every key path of the set's files, once. Shared: a view's model of
    /// the set reads its paths from the same table (a change to the set
    /// copies it first, `Arc::make_mut`, so that model keeps its paths).
    pub keys: Arc<KeyTable>,
    /// Read at a revision (`--since`) whose files of this set are, path
    /// for path and byte for byte, the ones the caller has now: left
    /// unparsed, with no files, as nothing of it can have changed.
    pub as_now: bool,
    /// How the set's lists are keyed (§12).
    pub lists: Lists,
}

impl LoadedSet {
    /// The path of its first file (the base, else the first env's): where
    /// the set is, for the settings of the folders above it (§8).
    pub fn first_path(&self) -> &str {
        self.base.iter().chain(&self.envs).next().map_or("", |f| f.file.rel_path.as_str())
    }

    /// Whether a secret (§5) of the set sits at `key` or under it among an
    /// env's effective leaves: what `CompiledSchema::violations` asks
    /// before quoting a value.
    pub fn secret_at(&self, leaves: &[Effective<'_>], key: &str) -> bool {
        leaves.iter().any(|e| {
            let path = self.path(e.leaf);
            let under = key.is_empty()
                || path == key
                || path.strip_prefix(key).is_some_and(|rest| rest.starts_with(['.', '[']));
            under && self.secret(e.leaf).is_some()
        })
    }

    /// A set with no files yet (one that only sources give).
    pub fn empty(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            layout: "sources",
            rule: "sources: [[source]] tables".to_owned(),
            merge: Merge::Deep,
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
            lists: Lists::default(),
        }
    }

    /// Keys the set's lists by identity (§12), over all of its files:
    /// into a fresh table on a load, into the kept one on a reload (ids
    /// are only ever added to it).
    pub fn key_lists(&mut self, rules: &[ListRule], fresh: bool) {
        let files: Vec<&[Leaf]> = self.files().map(|f| f.leaves.as_slice()).collect();
        let Some(identity::Keyed { rekeyed, lists }) =
            identity::rekey(&self.keys, &files, rules, None)
        else {
            self.lists = Lists::default();
            return;
        };
        self.lists = lists;
        // Every list kept its positions: the table already holds every path.
        let Some(rekeyed) = rekeyed else { return };
        let kept = (!fresh).then(|| std::mem::take(Arc::make_mut(&mut self.keys)));
        let from = fresh.then(|| Arc::clone(&self.keys));
        let mut into = kept.unwrap_or_default();
        let mut files: Vec<&mut [Leaf]> = self
            .base
            .iter_mut()
            .chain(&mut self.envs)
            .chain(self.layers.iter_mut().map(|l| &mut l.file))
            .chain(&mut self.locals)
            .map(|f| f.leaves.as_mut_slice())
            .collect();
        identity::apply(rekeyed, &mut files, from.as_deref(), &mut into);
        into.drop_index();
        self.keys = Arc::new(into);
    }

    /// Every file of the set: the base file, the env files in env order,
    /// the further layers, then the local layers that were loaded.
    pub fn files(&self) -> impl Iterator<Item = &LoadedFile> {
        self.base
            .iter()
            .chain(&self.envs)
            .chain(self.layers.iter().map(|l| &l.file))
            .chain(&self.locals)
    }

    /// The base layers in merge order: the base file, then the `Base` layers.
    pub fn base_layers(&self) -> impl Iterator<Item = &LoadedFile> {
        self.base.iter().chain(self.layers.iter().filter(|l| l.role == Role::Base).map(|l| &l.file))
    }

    /// The local layers applied over `env`'s file, in order.
    pub fn locals_of<'s>(&'s self, env: &'s str) -> impl Iterator<Item = &'s LoadedFile> {
        self.locals.iter().filter(move |l| l.file.env.is_empty() || l.file.env == env)
    }

    /// The file of the set that holds `leaf` (one of its files' leaves):
    /// where an effective value comes from, its layer when inherited.
    pub fn holder(&self, leaf: &Leaf) -> Option<&LoadedFile> {
        self.files().find(|f| super::layers::holds(&f.leaves, leaf))
    }

    /// The layer an inherited value comes from, when it is not the one
    /// base file (§7: JSON `inherited` then names the layer's file).
    pub fn named_layer(&self, leaf: &Leaf) -> Option<&str> {
        let holder = self.holder(leaf)?;
        let is_base = self.base.as_ref().is_some_and(|b| std::ptr::eq(b, holder));
        (!is_base).then_some(holder.file.rel_path.as_str())
    }

    /// The key path of one of this set's leaves.
    pub fn path(&self, leaf: &Leaf) -> &str {
        self.keys.path(leaf.key)
    }

    /// The key of a path, when one of the set's files has it.
    pub fn key(&self, path: &str) -> Option<KeyId> {
        self.keys.find(path)
    }

    /// Whether a leaf of this set is secret, and why (§5).
    pub fn secret(&self, leaf: &Leaf) -> Option<Secret> {
        self.key_rules(self.path(leaf)).classify_leaf(leaf)
    }

    /// Whether `value` at `path` would be secret in this set, and why (§5).
    pub fn secret_of(&self, path: &str, value: &Value) -> Option<Secret> {
        self.key_rules(path).classify(value)
    }

    /// The secret rules of one key of this set, for all of its values.
    pub fn key_rules(&self, path: &str) -> secret::KeyRules {
        let marked = if self.secret_marks.is_empty() {
            None
        } else {
            super::key_path::parse(path).ok().and_then(|segments| {
                self.secret_marks
                    .iter()
                    .find(|(glob, _)| glob.matches_segments(&segments))
                    .map(|(_, reason)| *reason)
            })
        };
        secret::KeyRules::of(path, marked)
    }

    pub fn env_names(&self) -> Vec<&str> {
        self.envs.iter().map(|f| f.file.env.as_str()).collect()
    }

    /// Every file error of the set with its env (None for the schema),
    /// base first, then envs in order, then the further layers, then the schema.
    pub fn file_errors(&self) -> impl Iterator<Item = (Option<&str>, &FileError)> {
        self.base
            .iter()
            .chain(&self.envs)
            .chain(self.layers.iter().map(|l| &l.file))
            .filter_map(|f| f.error.as_ref().map(|e| (Some(f.file.env.as_str()), e)))
            .chain(self.schema_error.iter().map(|e| (None, e)))
    }

    /// Whether an env's values are more than its own file's: a base file
    /// or further layers.
    pub fn is_layered(&self) -> bool {
        self.base.is_some() || !self.layers.is_empty() || !self.locals.is_empty()
    }

    /// The file that holds a value of env `env_index` from layer `layer`
    /// (`Effective::layer`): the env's file, the base file or a further layer.
    pub fn file_of_layer(&self, env_index: usize, layer: u16) -> Option<&LoadedFile> {
        match layer {
            0 => self.envs.get(env_index),
            1 => self.base.as_ref(),
            n => {
                let at = usize::from(n) - 2;
                self.layers
                    .get(at)
                    .map(|l| &l.file)
                    .or_else(|| self.locals.get(at.checked_sub(self.layers.len())?))
            }
        }
    }

    /// Every key error of the set's files with its env (§12), base first.
    pub fn key_errors(&self) -> impl Iterator<Item = (&str, &FileError)> {
        self.base
            .iter()
            .chain(&self.envs)
            .chain(self.layers.iter().map(|l| &l.file))
            .flat_map(|f| f.key_errors.iter().map(|e| (f.file.env.as_str(), e)))
    }

    /// The effective leaves of the envs at `env_indices` (base applied).
    pub fn effective(&self, env_indices: &[usize]) -> Vec<Vec<Effective<'_>>> {
        let base = self.base.as_ref().map(|b| b.leaves.as_slice());
        env_indices
            .iter()
            .filter_map(|&i| self.envs.get(i))
            .map(|env| {
                if env.is_source() {
                    inherit::effective_with(&self.keys, None, &env.leaves, self.merge)
                } else if self.layers.is_empty() && self.locals_of(&env.file.env).next().is_none() {
                    inherit::effective_with(&self.keys, base, &env.leaves, self.merge)
                } else {
                    inherit::stacked(&self.keys, &self.stack(env), self.merge)
                }
            })
            .collect()
    }

    /// An env's layers bottom first: the base file, the `Base` layers, the
    /// env's file and its `Env` layers, the `After` layers, then (with
    /// `--local`) the env's local layers.
    fn stack<'s>(&'s self, env: &'s LoadedFile) -> Vec<Layer<'s>> {
        let numbered = |role: Role| {
            self.layers.iter().zip(2u16..).filter(move |(l, _)| {
                l.role == role && (role != Role::Env || l.file.file.env == env.file.env)
            })
        };
        let layer = |file: &'s LoadedFile, inherited, number| Layer {
            leaves: file.leaves.as_slice(),
            inherited,
            number,
        };
        let mut stack: Vec<Layer<'s>> = self.base.iter().map(|b| layer(b, true, 1)).collect();
        stack.extend(numbered(Role::Base).map(|(l, n)| layer(&l.file, true, n)));
        stack.push(layer(env, false, 0));
        stack.extend(numbered(Role::Env).map(|(l, n)| layer(&l.file, false, n)));
        stack.extend(numbered(Role::After).map(|(l, n)| layer(&l.file, true, n)));
        let first_local = 2 + u16::try_from(self.layers.len()).unwrap_or(u16::MAX - 2);
        stack.extend(
            self.locals
                .iter()
                .zip(first_local..)
                .filter(|(l, _)| l.file.env.is_empty() || l.file.env == env.file.env)
                .map(|(l, n)| layer(l, true, n)),
        );
        stack
    }

    /// Rows of the envs at `env_indices`.
    pub fn rows(&self, env_indices: &[usize]) -> Rows<'_> {
        if self.is_layered() {
            return diff::diff(&self.keys, self.effective(env_indices));
        }
        let own: Vec<&[Leaf]> = env_indices
            .iter()
            .filter_map(|&i| self.envs.get(i))
            .map(|f| f.leaves.as_slice())
            .collect();
        diff::diff_own(&self.keys, &own)
    }
}

/// A loaded project.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    /// Sorted by name.
    pub sets: Vec<LoadedSet>,
    /// Walk problems that did not stop the walk (unreadable folders, …).
    pub warnings: Vec<String>,
    /// Key files found (§5), relative paths: never loaded, never shown.
    pub key_files: Vec<String>,
    /// Files that look like config but join no set, with why (§2).
    pub unmatched: Vec<super::layout::Unmatched>,
    /// Local layers per set name (§10), listed by `envlens sets`.
    pub locals: Vec<(String, Vec<ConfigFile>)>,
    /// Where the files were read from (a revision's tree is read-only).
    pub files: super::files::Files,
    /// The `.envlens.toml` files below the root (§8), read.
    pub scoped: Vec<settings::Scoped>,
    /// Nested settings files that are broken: `open` refuses them as it
    /// refuses a broken root file.
    pub settings_errors: Vec<settings::SettingsError>,
}

impl Project {
    /// Discovers and loads every config file under `root`.
    pub fn load(root: &Path, options: &DiscoverOptions) -> Self {
        Self::load_with_progress(root, options, &|_| {})
    }

    /// `load`, telling `on_progress` how many files were found and parsed
    /// so far, so a front end can show a long scan advancing. Called from
    /// the loading threads, at most once per file.
    pub fn load_with_progress(
        root: &Path,
        options: &DiscoverOptions,
        on_progress: &(dyn Fn(Progress) + Sync),
    ) -> Self {
        let settings::ScopedDiscovery { discovery, scoped, errors: settings_errors } =
            settings::discover(root, options);
        let with_schemas;
        let options = if scoped.iter().any(|s| !s.schemas.is_empty()) {
            with_schemas = DiscoverOptions {
                schemas: settings::schemas_with(&scoped, &options.schemas),
                ..options.clone()
            };
            &with_schemas
        } else {
            options
        };
        let as_now: Vec<bool> = discovery.sets.iter().map(|set| is_as_now(options, set)).collect();
        let files: Vec<&ConfigFile> = discovery
            .sets
            .iter()
            .zip(&as_now)
            .filter(|(_, same)| !**same)
            .flat_map(|(set, _)| set_files(set, options.local))
            .collect();
        on_progress(Progress { found: files.len(), parsed: 0 });
        let mut loaded = load_files(&options.files, root, &files, on_progress).into_iter();
        let groups: Vec<(&ConfigSet, Vec<ReadFile>, bool)> = discovery
            .sets
            .iter()
            .zip(&as_now)
            .map(|(set, &same)| {
                let count = if same { 0 } else { set_files(set, options.local).count() };
                (set, loaded.by_ref().take(count).collect(), same)
            })
            .collect();
        // Keying a set's files and finding its schema is per set work:
        // on a monorepo, hundreds of sets are worth a second core.
        let many = groups.len() >= PARALLEL_FILES;
        let sets = super::parallel::map_owned(groups, many, |(set, files, same)| {
            if same {
                let mut unread = LoadedSet::empty(&set.name);
                unread.layout = set.layout;
                unread.as_now = true;
                return unread;
            }
            assemble(root, options, &scoped, set, files)
        });
        Self {
            root: root.to_path_buf(),
            sets,
            warnings: discovery.warnings,
            key_files: discovery.key_files,
            locals: discovery
                .sets
                .iter()
                .filter(|s| !s.locals.is_empty())
                .map(|s| (s.name.clone(), s.locals.clone()))
                .collect(),
            unmatched: discovery.unmatched,
            files: options.files.clone(),
            scoped,
            settings_errors,
        }
    }

    pub fn set(&self, name: &str) -> Option<&LoadedSet> {
        self.sets.iter().find(|s| s.name == name)
    }
}

/// A set's files in the order they are read: base, envs, further layers.
/// With `--local`, then the local layers.
fn set_files(set: &ConfigSet, local: bool) -> impl Iterator<Item = &ConfigFile> {
    let locals = if local { set.locals.as_slice() } else { &[] };
    set.base.iter().chain(&set.envs).chain(set.layers.iter().map(|l| &l.file)).chain(locals)
}

/// Whether a set read at a revision has, path for path, the bytes the
/// caller holds now (`Snapshot::known`): then it is not parsed at all.
fn is_as_now(options: &DiscoverOptions, set: &ConfigSet) -> bool {
    let Some(snapshot) = options.files.snapshot() else { return false };
    let Some(now) = snapshot.known.get(&set.name) else { return false };
    let files: Vec<&ConfigFile> = set_files(set, options.local).collect();
    files.len() == now.len()
        && files.iter().zip(now).all(|(file, (rel_path, fingerprint))| {
            file.rel_path == *rel_path
                && snapshot.read(&file.rel_path).is_ok_and(|bytes| fingerprint.matches(&bytes))
        })
}

/// The keys a set's schema and settings mark secret: the root's
/// `secret_keys` and those of every nested `.envlens.toml` above the
/// set's first file (`first`).
pub(crate) fn secret_marks(
    schema: Option<&Schema>,
    options: &DiscoverOptions,
    scoped: &[settings::Scoped],
    first: &str,
) -> Vec<(KeyGlob, SecretReason)> {
    let by_settings = options.secret_keys.iter().chain(settings::secret_keys_for(scoped, first));
    schema
        .iter()
        .flat_map(|s| &s.secret_keys)
        .map(|glob| (glob.clone(), SecretReason::Schema))
        .chain(by_settings.map(|g| (g.clone(), SecretReason::Settings)))
        .collect()
}

/// A set from its discovered files, read in order (base first).
fn assemble(
    root: &Path,
    options: &DiscoverOptions,
    scoped: &[settings::Scoped],
    set: &ConfigSet,
    files: Vec<ReadFile>,
) -> LoadedSet {
    let first = set.first_path();
    let (schema, schema_error) =
        match schema::find_for(&options.files, root, &set.name, &options.schemas) {
            Some(Ok(schema)) => (Some(schema), None),
            Some(Err(err)) => (None, Some(err)),
            None => (None, None),
        };
    let secret_marks = secret_marks(schema.as_ref(), options, scoped, first);
    let mut keys = KeyTable::new();
    let mut files = files.into_iter().map(|f| f.join(&mut keys));
    let base = if set.base.is_some() { files.next() } else { None };
    let envs: Vec<LoadedFile> = files.by_ref().take(set.envs.len()).collect();
    let layers = set
        .layers
        .iter()
        .zip(files.by_ref())
        .map(|(layer, file)| LoadedLayer { file, role: layer.role })
        .collect();
    let locals = files.collect();
    keys.drop_index();
    // §14: JSON files whose `$schema` names flagd form a flag set.
    let by_schema = set.layout != "flags"
        && !envs.is_empty()
        && envs.iter().chain(&base).all(|f| f.file.format == Format::Flagd);
    let (layout, rule) = if by_schema {
        ("flags", format!("flags: flagd files by their $schema ({})", set.rule))
    } else {
        (set.layout, set.rule.clone())
    };
    let mut set = LoadedSet {
        name: set.name.clone(),
        layout,
        rule,
        merge: set.merge,
        base,
        envs,
        layers,
        locals,
        problems: set.problems.clone(),
        schema,
        schema_error,
        secret_marks,
        keys: Arc::new(keys),
        as_now: false,
        lists: Lists::default(),
    };
    set.key_lists(settings::lists_for(scoped, first).unwrap_or(&options.lists), true);
    set
}

/// How a project is opened by any front end.
#[derive(Debug, Clone, Default)]
#[allow(clippy::struct_excessive_bools, reason = "independent switches, each its own flag")]
pub struct OpenOptions {
    /// Also take files that ignore rules skip (`--no-ignore`).
    pub no_ignore: bool,
    /// Skip the remote stores (`--offline`, §13).
    pub offline: bool,
    /// Ask stores to decrypt (`--reveal`: SSM SecureStrings).
    pub reveal: bool,
    /// Leave every source out (a front end that reads them itself, in the
    /// background).
    pub no_sources: bool,
    /// Apply local layers (`--local`, §10).
    pub local: bool,
    /// Read the project as it is at this git revision (`--rev`, §13).
    pub rev: Option<String>,
    /// With `rev`: the files the caller holds now, per set (base first),
    /// with their fingerprints; a set whose files are all the same at
    /// `rev` is not parsed (`LoadedSet::as_now`).
    pub known: Option<std::sync::Arc<Known>>,
}

pub use super::revision::Known;

/// What `known` is for a project: every file-backed set's files.
pub fn known_files(project: &Project) -> Known {
    project
        .sets
        .iter()
        .filter_map(|set| {
            let files: Option<Vec<(String, Fingerprint)>> = set
                .files()
                .map(|f| {
                    f.fingerprint.filter(|_| !f.is_source()).map(|fp| (f.file.rel_path.clone(), fp))
                })
                .collect();
            Some((set.name.clone(), files?))
        })
        .collect()
}

/// Why a project could not be opened at all (a broken file is not such a
/// reason: it stays in its set with its error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct OpenError {
    pub message: String,
    pub hint: Option<String>,
}

/// Opens the project at `root`: the one entry point of the CLI and the TUI,
/// so both see the same files with the same settings.
pub fn open(root: &Path, options: &OpenOptions) -> Result<Project, OpenError> {
    open_with_progress(root, options, &|_| {})
}

/// `open`, reporting files found and parsed as the load goes (see
/// `Project::load_with_progress`).
pub fn open_with_progress(
    root: &Path,
    options: &OpenOptions,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<Project, OpenError> {
    let files = match &options.rev {
        None => Files::WorkTree,
        Some(rev) => {
            let mut snapshot = super::revision::Snapshot::open(root, rev)
                .map_err(|err| OpenError { message: err.message, hint: err.hint })?;
            if let Some(known) = &options.known {
                snapshot.known = std::sync::Arc::clone(known);
            }
            Files::Revision(std::sync::Arc::new(snapshot))
        }
    };
    let settings = settings::load_from(&files, root).map_err(OpenError::from)?;
    let mut discover = settings.discover_options(options.no_ignore);
    discover.files = files;
    discover.local = options.local;
    let mut project = Project::load_with_progress(root, &discover, on_progress);
    if let Some(err) = project.settings_errors.first() {
        return Err(OpenError::from(err.clone()));
    }
    check_schema_sets(&project, &settings)?;
    // Stores and runs are read as they are now: beside a revision's files
    // they would pass today's values off as that revision's.
    let at_revision = options.rev.is_some();
    if !options.no_sources && !at_revision && !settings.sources.is_empty() {
        let fetch = super::sources::FetchOptions {
            reveal: options.reveal,
            root,
            env: &super::sources::process_env,
        };
        columns::attach(&mut project, &settings.sources, &fetch, options.offline);
    }
    Ok(project)
}

/// A `[schema]` entry must name a set that exists and a file that is there:
/// a typo would otherwise silently leave the set unvalidated.
fn check_schema_sets(project: &Project, settings: &Settings) -> Result<(), OpenError> {
    let file = settings.file.as_deref().unwrap_or(settings::FILE_NAME);
    for named in &settings.schemas {
        if project.set(&named.set).is_none() {
            let names: Vec<&str> = project.sets.iter().map(|s| s.name.as_str()).collect();
            return Err(OpenError {
                message: format!(
                    "{file}:{}: `schema.\"{}\"`: no config set named `{}`",
                    named.line, named.set, named.set
                ),
                hint: Some(format!("sets here: {}", names.join(", "))),
            });
        }
        if !project.files.is_file(&project.root, &named.rel_path) {
            return Err(OpenError {
                message: format!(
                    "{file}:{}: `schema.\"{}\"`: no schema file at {}",
                    named.line, named.set, named.rel_path
                ),
                hint: Some(
                    "give the path from the project root, e.g. \"schemas/api.json\"".to_owned(),
                ),
            });
        }
    }
    Ok(())
}

impl From<SettingsError> for OpenError {
    fn from(err: SettingsError) -> Self {
        Self { message: err.to_string(), hint: err.hint }
    }
}
