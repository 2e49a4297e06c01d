//! Sources as env columns of their sets: `[[source]]` declarations expanded
//! per env (`{env}`), fetched (remote stores in parallel, each on its own
//! deadline), and added to the set as read-only env columns placed right
//! after the files' env they mirror (`prod`, then `prod@ssm`). A source
//! that fails is a column with its error: the files' envs are all there.

use std::path::Path;
use std::sync::Arc;

use super::{FileError, LoadedFile, LoadedSet, Project};
use crate::core::discover::ConfigFile;
use crate::core::keys::{KeyId, KeyTable, PathList};
use crate::core::leaf::{Leaf, Origin, Parsed, Position, Written};
use crate::core::parse::Format;
use crate::core::sources::{
    Entry, FetchOptions, Kind, Source, SourceDecl, SourceError, dvc, fetch, mlflow,
};

/// What an env column from a source is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceColumn {
    pub kind: Kind,
    /// What it reads (`ssm:/api/prod/`), never a credential.
    pub label: String,
    /// The files' env it is compared with by `store-drift` (`prod` for
    /// `prod@ssm`, the params file's env for `dvc.lock`); None for runs.
    pub counterpart: Option<String>,
    /// Only keys the source has are compared (`dvc.lock` records only the
    /// params a stage uses).
    pub own_keys_only: bool,
    pub state: SourceState,
}

/// Where a source's column stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceState {
    /// Being read (the TUI shows `prod@ssm loading…`).
    Loading,
    /// Read: this many keys.
    Loaded(usize),
    /// Could not be read: the column's error says why.
    Failed,
}

/// One remote source of a set, expanded for an env.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub set: String,
    pub source: Source,
}

/// The remote sources the declarations give over `project`'s sets: one
/// per env of the set for `{env}` (template envs and sources left out).
pub fn expand(project: &Project, decls: &[SourceDecl]) -> Vec<Expanded> {
    let mut out = Vec::new();
    for decl in decls.iter().filter(|d| d.kind.is_remote()) {
        let env = decl.env.as_deref().unwrap_or("{env}");
        let envs: Vec<String> = if env.contains("{env}") {
            project
                .set(&decl.set)
                .map(|set| {
                    set.envs
                        .iter()
                        .filter(|f| f.source.is_none() && !is_template(&f.file.env))
                        .map(|f| f.file.env.clone())
                        .collect()
                })
                .unwrap_or_default()
        } else {
            vec![env.to_owned()]
        };
        for name in envs {
            let expand = |text: &str| text.replace("{env}", &name);
            out.push(Expanded {
                set: decl.set.clone(),
                source: Source {
                    kind: decl.kind,
                    env: expand(env),
                    path: expand(&decl.path),
                    address: decl.address.as_deref().map(expand),
                    value_format: decl.value_format,
                },
            });
        }
    }
    out
}

fn is_template(env: &str) -> bool {
    [".example", ".sample", ".template", ".dist"].iter().any(|s| env.ends_with(s))
}

/// The columns of `expanded` in the Loading state, so a front end can show
/// them before they are read.
pub fn loading_columns(project: &mut Project, expanded: &[Expanded]) {
    for e in expanded {
        let column = column(&e.source, SourceState::Loading);
        place(project, &e.set, empty_file(&e.source, column));
    }
}

/// A source's column after a fetch: its leaves, or its error.
pub fn store_column(
    keys: &mut KeyTable,
    source: &Source,
    fetched: Result<Vec<Entry>, SourceError>,
) -> LoadedFile {
    match fetched {
        Ok(entries) => {
            let column = column(source, SourceState::Loaded(0));
            let mut file = empty_file(source, column);
            fill(&mut file, keys, entries);
            file
        }
        Err(err) => {
            let mut file = empty_file(source, column(source, SourceState::Failed));
            file.error =
                Some(FileError { rel_path: source.label(), position: None, message: err.message });
            file
        }
    }
}

/// Reads every declared source into `project` (remote stores in parallel)
/// and the ML runs. `offline` skips the remote stores (§13 `--offline`).
pub fn attach(
    project: &mut Project,
    decls: &[SourceDecl],
    options: &FetchOptions<'_>,
    offline: bool,
) {
    if !offline {
        let expanded = expand(project, decls);
        let fetched: Vec<Result<Vec<Entry>, SourceError>> = std::thread::scope(|scope| {
            let handles: Vec<_> =
                expanded.iter().map(|e| scope.spawn(|| fetch(&e.source, options))).collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| Err(SourceError::new("the source's reader failed")))
                })
                .collect()
        });
        for (e, result) in expanded.iter().zip(fetched) {
            let set = set_mut(project, &e.set);
            let file = store_column(Arc::make_mut(&mut set.keys), &e.source, result);
            insert(set, file);
        }
    }
    for decl in decls.iter().filter(|d| !d.kind.is_remote()) {
        match decl.kind {
            Kind::Mlflow => attach_runs(project, decl, options.root),
            Kind::Dvc => attach_lock(project, decl, options.root),
            _ => {}
        }
    }
}

fn column(source: &Source, state: SourceState) -> SourceColumn {
    SourceColumn {
        kind: source.kind,
        label: source.label(),
        counterpart: Some(source.env.clone()),
        own_keys_only: false,
        state,
    }
}

fn empty_file(source: &Source, column: SourceColumn) -> LoadedFile {
    LoadedFile {
        file: ConfigFile { env: source.column(), rel_path: source.label(), format: Format::Yaml },
        leaves: Vec::new(),
        error: None,
        key_errors: Vec::new(),
        fingerprint: None,
        stale: None,
        encryption: None,
        source: Some(column),
    }
}

/// Gives `file` the entries as leaves keyed in `keys` (a repeated key:
/// the first one wins) and its key count.
fn fill(file: &mut LoadedFile, keys: &mut KeyTable, entries: Vec<Entry>) {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut paths = PathList::with_capacity(entries.len());
    let mut leaves = Vec::with_capacity(entries.len());
    for entry in entries {
        if entry.path.is_empty() || !seen.insert(entry.path.clone()) {
            continue;
        }
        let key = paths.push(&entry.path);
        leaves.push(store_leaf(key, entry));
    }
    let count = leaves.len();
    file.leaves = Parsed { leaves, paths, encryption: None }.join(keys);
    if let Some(column) = &mut file.source {
        column.state = SourceState::Loaded(count);
    }
}

fn store_leaf(key: KeyId, entry: Entry) -> Leaf {
    Leaf {
        key,
        value: entry.value,
        position: Position::default(),
        span: (0, 0),
        doc: None,
        origin: if entry.secret { Origin::StoreSecret } else { Origin::Store },
        written: Written::Text,
    }
}

/// Puts a column into its set (a new set when the name is not one).
fn place(project: &mut Project, set_name: &str, file: LoadedFile) {
    let set = set_mut(project, set_name);
    insert(set, file);
}

/// Replaces a column of the same name, or puts it after the env it mirrors
/// (after the last column of that env), or at the end.
fn insert(set: &mut LoadedSet, file: LoadedFile) {
    if let Some(same) = set.envs.iter_mut().find(|f| f.file.env == file.file.env) {
        *same = file;
        return;
    }
    let mirrors = file.source.as_ref().and_then(|s| s.counterpart.clone());
    let at = mirrors.and_then(|env| {
        let last = set.envs.iter().rposition(|f| {
            f.file.env == env
                || f.source.as_ref().is_some_and(|s| s.counterpart.as_deref() == Some(env.as_str()))
        })?;
        Some(last + 1)
    });
    let at = at.unwrap_or(set.envs.len());
    set.envs.insert(at, file);
}

/// The set named `name`, made (empty, in name order) when there is none.
fn set_mut<'p>(project: &'p mut Project, name: &str) -> &'p mut LoadedSet {
    set_in(&mut project.sets, name)
}

/// `set_mut` over a list of sets sorted by name.
fn set_in<'s>(sets: &'s mut Vec<LoadedSet>, name: &str) -> &'s mut LoadedSet {
    let name = name.trim_end_matches('/');
    let at = match sets.binary_search_by(|s| s.name.as_str().cmp(name)) {
        Ok(at) => at,
        Err(at) => {
            sets.insert(at, LoadedSet::empty(name));
            at
        }
    };
    &mut sets[at]
}

/// Puts back a source column a live reload took out of its set. The set's
/// key table was kept by the reload (ids only get added), so the column's
/// keys still hold; a set that only sources gave comes back as `old`.
pub fn keep_column(
    sets: &mut Vec<LoadedSet>,
    set_name: &str,
    file: LoadedFile,
    old: Option<LoadedSet>,
) {
    if !sets.iter().any(|s| s.name == set_name)
        && let Some(mut set) = old
    {
        set.envs.clear();
        set.base = None;
        let at = sets.binary_search_by(|s| s.name.as_str().cmp(set_name)).unwrap_or_else(|at| at);
        sets.insert(at, set);
    }
    insert(set_in(sets, set_name), file);
}

fn attach_runs(project: &mut Project, decl: &SourceDecl, root: &Path) {
    let dir = root.join(&decl.path);
    let source = Source {
        kind: Kind::Mlflow,
        env: String::new(),
        path: decl.path.clone(),
        address: None,
        value_format: None,
    };
    let set = set_mut(project, &decl.set);
    match mlflow::runs(&dir, decl.latest_runs) {
        Ok(runs) => {
            for (env, entries) in runs {
                let mut column = column(&source, SourceState::Loaded(0));
                column.counterpart = None;
                let mut file = empty_file(&source, column);
                file.file.env = env;
                fill(&mut file, Arc::make_mut(&mut set.keys), entries);
                insert(set, file);
            }
        }
        Err(err) => {
            let mut column = column(&source, SourceState::Failed);
            column.counterpart = None;
            let mut file = empty_file(&source, column);
            "runs".clone_into(&mut file.file.env);
            file.error =
                Some(FileError { rel_path: source.label(), position: None, message: err.message });
            insert(set, file);
        }
    }
}

/// `dvc.lock` (at `path`, default the root's): an env `dvc.lock` in the set
/// of each params file it names.
fn attach_lock(project: &mut Project, decl: &SourceDecl, root: &Path) {
    let rel = if decl.path.is_empty() { "dvc.lock".to_owned() } else { decl.path.clone() };
    let dir = Path::new(&rel)
        .parent()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let source = Source {
        kind: Kind::Dvc,
        env: String::new(),
        path: rel.clone(),
        address: None,
        value_format: None,
    };
    let by_file = match dvc::params(&root.join(&rel)) {
        Ok(by_file) => by_file,
        Err(err) => {
            let set = set_mut(project, &decl.set);
            let mut file = empty_file(&source, column(&source, SourceState::Failed));
            "dvc.lock".clone_into(&mut file.file.env);
            file.error = Some(FileError { rel_path: rel, position: None, message: err.message });
            insert(set, file);
            return;
        }
    };
    for (params_file, entries) in by_file {
        let params_rel = if dir.is_empty() { params_file } else { format!("{dir}/{params_file}") };
        let holder = project.sets.iter().find_map(|s| {
            s.envs
                .iter()
                .find(|f| f.file.rel_path == params_rel)
                .map(|f| (s.name.clone(), f.file.env.clone()))
        });
        let (set_name, env) = match holder {
            Some(found) => found,
            None => workspace_set(project, decl, root, &params_rel),
        };
        let set = set_mut(project, &set_name);
        let mut column = column(&source, SourceState::Loaded(0));
        column.counterpart = (!env.is_empty()).then_some(env);
        column.own_keys_only = true;
        let mut file = empty_file(&source, column);
        "dvc.lock".clone_into(&mut file.file.env);
        fill(&mut file, Arc::make_mut(&mut set.keys), entries);
        insert(set, file);
    }
}

/// A params file that is in no set (`params.yaml`): a set of its own whose
/// env `workspace` is the file, named by `set` or by the file's path
/// without its extension. Returns the set and the env.
fn workspace_set(
    project: &mut Project,
    decl: &SourceDecl,
    root: &Path,
    rel: &str,
) -> (String, String) {
    let name = if decl.set.is_empty() {
        rel.rsplit_once('.').map_or(rel, |(stem, _)| stem).to_owned()
    } else {
        decl.set.clone()
    };
    let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
    let format = Format::from_extension(ext).unwrap_or(Format::Yaml);
    let file = ConfigFile { env: "workspace".to_owned(), rel_path: rel.to_owned(), format };
    let read = super::load_file(root, &file);
    let set = set_mut(project, &name);
    let loaded = read.join(Arc::make_mut(&mut set.keys));
    if !set.envs.iter().any(|f| f.file.env == "workspace") {
        set.envs.insert(0, loaded);
    }
    (name, "workspace".to_owned())
}
