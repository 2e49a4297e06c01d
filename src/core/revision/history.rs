//! The history of one key's effective value in one env (`envlens blame`,
//! §13): the commits reachable from a start, newest first, each compared
//! with its parents through the files that give the value (the env's file
//! and the set's base layer), renames followed from child to parent. A
//! file is parsed only at commits where one of those files' blobs differ
//! from the last ones parsed, so a long history costs one tree lookup per
//! commit and file.

use std::collections::HashMap;

use gix::ObjectId;

use super::{CommitInfo, RevisionError, commit_info, resolve};
use crate::core::inherit::{self, Merge};
use crate::core::keys::KeyTable;
use crate::core::leaf::{Leaf, Value};
use crate::core::parse::{self, Format};
use crate::core::source;

/// One file the value comes from: its path inside the repository now.
#[derive(Debug, Clone)]
pub struct Layer {
    pub repo_path: String,
    pub format: Format,
}

/// What the key was at one commit.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// The effective value (None: the key was absent).
    Value(Option<Value>),
    /// A file giving the value did not load there: the message, no text.
    Broken(String),
}

/// One commit that changed the key's effective value.
#[derive(Debug, Clone)]
pub struct Change {
    pub commit: CommitInfo,
    pub old: State,
    pub new: State,
    /// The env file's path at that commit (it moves with renames).
    pub path: String,
}

/// What `blame` is asked about: the layers in merge order (base first,
/// the env's file last), how they merge, and the key.
#[derive(Debug, Clone)]
pub struct Query<'a> {
    pub layers: Vec<Layer>,
    pub merge: Merge,
    pub key: &'a str,
}

/// The changes of `query`'s key reachable from `start` (a revision, or
/// HEAD), newest first.
pub fn blame(
    repo: &gix::Repository,
    start: &str,
    query: &Query<'_>,
) -> Result<Vec<Change>, RevisionError> {
    let tip = resolve(repo, start)?.id;
    let walk = repo
        .rev_walk([tip])
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
        ))
        .all()
        .map_err(|e| walk_error(start, &e))?;
    let mut paths: HashMap<ObjectId, Vec<Option<String>>> = HashMap::new();
    paths.insert(tip, query.layers.iter().map(|l| Some(l.repo_path.clone())).collect());
    let mut values = Values::default();
    let mut changes = Vec::new();
    for info in walk {
        // A shallow clone ends where its history does.
        let Ok(info) = info else { break };
        let id = info.id;
        let Ok(commit) = info.object() else { break };
        let here = paths.remove(&id).unwrap_or_else(|| vec![None; query.layers.len()]);
        let Ok(tree) = commit.tree() else { continue };
        let blobs = blobs_at(&tree, &here);
        let now = values.state(repo, query, &blobs);
        let parents: Vec<ObjectId> = commit.parent_ids().map(gix::Id::detach).collect();
        let mut parent_states = Vec::new();
        for parent in &parents {
            let Some(parent_tree) = repo.find_commit(*parent).ok().and_then(|c| c.tree().ok())
            else {
                continue;
            };
            let before = paths_in_parent(&parent_tree, &tree, &here);
            let state = values.state(repo, query, &blobs_at(&parent_tree, &before));
            paths.entry(*parent).or_insert(before);
            parent_states.push(state);
        }
        // A merge that kept one parent's value changed nothing itself; the
        // commit that brought the value in is reported where it was made.
        let is_change = match parent_states.as_slice() {
            [] => now != State::Value(None),
            [only] => *only != now,
            several => !several.contains(&now),
        };
        if is_change {
            let old = parent_states.into_iter().next().unwrap_or(State::Value(None));
            let path = here.last().cloned().flatten().unwrap_or_default();
            changes.push(Change { commit: commit_info(&commit), old, new: now, path });
        }
    }
    Ok(changes)
}

fn walk_error(start: &str, err: &impl std::fmt::Display) -> RevisionError {
    RevisionError {
        message: format!("cannot walk the history of `{start}`: {err}"),
        hint: Some("the repository may be damaged; `git fsck` says more".to_owned()),
    }
}

/// The blob at each layer's path in `tree` (None: no such file there).
fn blobs_at(tree: &gix::Tree<'_>, paths: &[Option<String>]) -> Vec<Option<ObjectId>> {
    paths
        .iter()
        .map(|path| {
            let path = path.as_deref()?;
            let entry = tree.lookup_entry_by_path(path).ok()??;
            entry.mode().is_blob().then(|| entry.object_id())
        })
        .collect()
}

/// Where each layer's file was in the parent: the same path when the
/// parent has it, else the source of a rename to it.
fn paths_in_parent(
    parent: &gix::Tree<'_>,
    child: &gix::Tree<'_>,
    paths: &[Option<String>],
) -> Vec<Option<String>> {
    let missing: Vec<usize> = (0..paths.len())
        .filter(|&i| {
            paths[i]
                .as_deref()
                .is_some_and(|p| parent.lookup_entry_by_path(p).ok().flatten().is_none())
        })
        .collect();
    let mut before = paths.to_vec();
    if missing.is_empty() {
        return before;
    }
    let Ok(mut platform) = parent.changes() else { return before };
    platform.options(|o| {
        o.track_path().track_rewrites(Some(gix::diff::Rewrites::default()));
    });
    let _ = platform.for_each_to_obtain_tree(child, |change| {
        if let gix::object::tree::diff::Change::Rewrite {
            source_location,
            location,
            copy: false,
            ..
        } = change
        {
            for &i in &missing {
                if paths[i].as_deref().is_some_and(|p| location == p.as_bytes()) {
                    before[i] = Some(source_location.to_string());
                }
            }
        }
        Ok::<_, gix::Error>(std::ops::ControlFlow::Continue(()))
    });
    before
}

/// The key's state by the blobs of its layers: each combination parsed once.
#[derive(Default)]
struct Values {
    known: HashMap<Vec<Option<ObjectId>>, State>,
}

impl Values {
    fn state(
        &mut self,
        repo: &gix::Repository,
        query: &Query<'_>,
        blobs: &[Option<ObjectId>],
    ) -> State {
        if let Some(state) = self.known.get(blobs) {
            return state.clone();
        }
        let state = compute(repo, query, blobs);
        self.known.insert(blobs.to_vec(), state.clone());
        state
    }
}

fn compute(repo: &gix::Repository, query: &Query<'_>, blobs: &[Option<ObjectId>]) -> State {
    let mut keys = KeyTable::new();
    let mut files: Vec<Option<Vec<Leaf>>> = Vec::new();
    for (layer, blob) in query.layers.iter().zip(blobs) {
        let Some(id) = blob else {
            files.push(None);
            continue;
        };
        let parsed = repo.find_blob(*id).map_err(|e| e.to_string()).and_then(|blob| {
            let (text, _) = source::decode(&blob.data).map_err(|e| e.message)?;
            parse::parse(layer.format, text).map_err(|e| e.message)
        });
        match parsed {
            Ok(parsed) => files.push(Some(parsed.join(&mut keys))),
            Err(message) => return State::Broken(format!("{}: {message}", layer.repo_path)),
        }
    }
    let Some(id) = keys.find(query.key) else { return State::Value(None) };
    let env = files.pop().flatten();
    let Some(env) = env else {
        // No env file at that commit: the env did not exist.
        return State::Value(None);
    };
    let base = files.first().and_then(Option::as_deref);
    let effective = inherit::effective_with(&keys, base, &env, query.merge);
    let leaf = effective.iter().rev().find(|e| e.leaf.key == id);
    State::Value(leaf.map(|e| e.leaf.value.clone()))
}
