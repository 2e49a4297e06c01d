//! Two sides of one comparison that are not a project (`envlens difftool`,
//! §13): two files, or two folders matched file by file by relative path
//! (what `git difftool -d` and `KUBECTL_EXTERNAL_DIFF` hand over). Each
//! file becomes a one-env set, the left side its earlier state; a side
//! that is `/dev/null` or missing has no keys.

use std::path::{Path, PathBuf};

use super::discover::{ConfigFile, match_file_name};
use super::identity;
use super::keys::KeyTable;
use super::parse::Format;
use super::project::{LoadedFile, LoadedSet, load_file};

/// The null device git and kubectl name for a side that does not exist.
pub const NULL_SIDE: &str = "/dev/null";

/// One file pair: the set on each side (the same name and env).
#[derive(Debug)]
pub struct Pair {
    pub left: LoadedSet,
    pub right: LoadedSet,
}

/// The format a file is read in: by its extension, dotenv by its name,
/// YAML for a name without one (kubectl's `group.version.kind.ns.name`
/// files hold YAML).
pub fn format_of(name: &str) -> Option<Format> {
    if name == ".env" || name.starts_with(".env.") {
        return Some(Format::Dotenv);
    }
    match name.rsplit_once('.') {
        Some((_, ext)) => {
            Format::from_extension(ext).or_else(|| kube_name(name).then_some(Format::Yaml))
        }
        None => None,
    }
}

/// `apps.v1.Deployment.default.web`, `v1.ConfigMap.default.settings`: at
/// least four dot-separated parts, the kind capitalised.
fn kube_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 4 && parts.iter().any(|p| p.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// The pair for two files; `name` names the set (a path git gives, or the
/// right file's name). The env is the file name's env when it has one.
pub fn files(left: &Path, right: &Path, name: &str) -> Pair {
    let file_name = |path: &Path| path.file_name().map(|n| n.to_string_lossy().into_owned());
    let shown = Path::new(name)
        .file_name()
        .map_or_else(|| name.to_owned(), |n| n.to_string_lossy().into_owned());
    let fallback = if is_null(right) { file_name(left) } else { file_name(right) };
    let format = format_of(&shown)
        .or_else(|| fallback.as_deref().and_then(format_of))
        .unwrap_or(Format::Yaml);
    let env = match_file_name(&shown).map_or_else(|| "value".to_owned(), |m| m.env);
    let mut pair =
        Pair { left: side(left, name, &env, format), right: side(right, name, &env, format) };
    key_lists(&mut pair);
    pair
}

/// Keys both sides' lists by identity (§12), decided over the two, so
/// that an item inserted on one side changes its own rows only.
fn key_lists(pair: &mut Pair) {
    let (Some(left), Some(right)) = (pair.left.envs.first(), pair.right.envs.first()) else {
        return;
    };
    let mut both = KeyTable::new();
    let mut left_leaves = left.leaves.clone();
    let mut right_leaves = right.leaves.clone();
    crate::core::leaf::rekey(&mut left_leaves, &pair.left.keys, &mut both);
    crate::core::leaf::rekey(&mut right_leaves, &pair.right.keys, &mut both);
    let files: [&[crate::core::leaf::Leaf]; 2] = [&left_leaves, &right_leaves];
    let Some(identity::Keyed { rekeyed, lists }) = identity::rekey(&both, &files, &[], None) else {
        return;
    };
    let Some(rekeyed) = rekeyed else {
        // Every list kept its positions: each side's own table is right.
        pair.left.lists = lists.clone();
        pair.right.lists = lists;
        return;
    };
    let mut rekeyed = rekeyed.into_iter();
    for (set, mut leaves) in [(&mut pair.left, left_leaves), (&mut pair.right, right_leaves)] {
        let Some(one) = rekeyed.next() else { return };
        let mut keys = KeyTable::new();
        identity::apply(vec![one], &mut [leaves.as_mut_slice()], Some(&both), &mut keys);
        if let Some(file) = set.envs.first_mut() {
            file.leaves = leaves;
        }
        set.keys = std::sync::Arc::new(keys);
        set.lists = lists.clone();
    }
}

/// The pairs of two folders, by relative path, sorted; files of neither a
/// config format nor a kubectl name are left out.
pub fn folders(left: &Path, right: &Path) -> Vec<Pair> {
    let mut names: Vec<String> = files_in(left).into_iter().chain(files_in(right)).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|rel| format_of(rel.rsplit('/').next().unwrap_or(rel)).is_some())
        .map(|rel| {
            let side_path = |dir: &Path| {
                let path = dir.join(&rel);
                if path.is_file() { path } else { PathBuf::from(NULL_SIDE) }
            };
            files(&side_path(left), &side_path(right), &rel)
        })
        .collect()
}

fn is_null(path: &Path) -> bool {
    path == Path::new(NULL_SIDE)
}

/// Files below `dir`, relative with `/`; links are followed (`git
/// difftool -d` puts links to the work tree on the right side).
fn files_in(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((at, rel)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&at) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let inner = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
            match std::fs::metadata(entry.path()) {
                Ok(meta) if meta.is_dir() && name != ".git" && stack.len() < 10_000 => {
                    stack.push((entry.path(), inner));
                }
                Ok(meta) if meta.is_file() => out.push(inner),
                _ => {}
            }
        }
    }
    out
}

/// One side as a one-env set: the file read and parsed, or no keys for
/// `/dev/null` or a file that is not there.
fn side(path: &Path, name: &str, env: &str, format: Format) -> LoadedSet {
    let mut set = LoadedSet::empty(name);
    set.layout = "difftool";
    "difftool: two files".clone_into(&mut set.rule);
    let file = ConfigFile::whole(env.to_owned(), name.to_owned(), format);
    let loaded = if is_null(path) || !path.exists() {
        LoadedFile {
            file,
            leaves: Vec::new(),
            error: None,
            key_errors: Vec::new(),
            fingerprint: None,
            stale: None,
            encryption: None,
            source: None,
        }
    } else {
        let dir = path.parent().unwrap_or_else(|| Path::new("."));
        let own = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let read = load_file(dir, &ConfigFile { rel_path: own, ..file.clone() });
        let mut keys = KeyTable::new();
        let mut loaded = read.join(&mut keys);
        set.keys = std::sync::Arc::new(keys);
        // Errors and cells name the file as the caller knows it, not a
        // temporary copy's name.
        loaded.file = file;
        if let Some(error) = &mut loaded.error {
            name.clone_into(&mut error.rel_path);
        }
        loaded
    };
    set.envs.push(loaded);
    std::sync::Arc::make_mut(&mut set.keys).drop_index();
    set
}
