//! The folders a nested `.envlens.toml` governs (§8): the files at and
//! below one are grouped into sets by its discovery keys (`env_order`,
//! `patterns`, `presets`, `[[set]]`, `ignore`), those it leaves out
//! coming from the files above it. Sets never span such a folder's edge:
//! a subproject with its own settings is grouped as if opened alone.

use std::path::Path;

use ignore::gitignore::Gitignore;

use super::DiscoverOptions;
use crate::core::layout::Candidate;

/// The discovery settings of one folder.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Relative to the root, with `/`.
    pub dir: String,
    /// How the files below it are grouped: the root's options with the
    /// keys of every nested file down to this one put over them.
    pub options: DiscoverOptions,
    /// The `ignore` lines of this file and of the nested files above it,
    /// each anchored at its own folder. They add to the root's, which the
    /// walk already applied.
    pub ignore: Vec<Gitignore>,
}

impl Scope {
    /// Whether it governs the file at `rel_path`.
    pub fn covers(&self, rel_path: &str) -> bool {
        rel_path.strip_prefix(self.dir.as_str()).is_some_and(|rest| rest.starts_with('/'))
    }

    fn ignores(&self, root: &Path, rel_path: &str) -> bool {
        let path = root.join(rel_path);
        self.ignore.iter().any(|g| g.matched_path_or_any_parents(&path, false).is_ignore())
    }
}

/// The options of a walk that also keeps the files a scope's `[[set]]`
/// tables name, when one names files the root's options would not keep
/// (a pattern always ends in a config extension, which every walk keeps).
pub(super) fn wider_walk(root: &DiscoverOptions, scopes: &[Scope]) -> Option<DiscoverOptions> {
    if scopes.iter().all(|s| s.options.declared == root.declared) {
        return None;
    }
    let mut wider = root.clone();
    for scope in scopes {
        wider.declared.extend(scope.options.declared.iter().cloned());
    }
    Some(wider)
}

/// The walked files split by the scope that governs each (the deepest
/// that covers it; the root's options for the rest), each part with its
/// options. A file a scope ignores is dropped, and so is one it would not
/// have kept when the walk was `wider` than the root's options.
pub(super) fn partition<'o>(
    root: &Path,
    root_options: &'o DiscoverOptions,
    scopes: &'o [Scope],
    candidates: Vec<Candidate>,
    wider: bool,
) -> Vec<(Vec<Candidate>, &'o DiscoverOptions)> {
    if scopes.is_empty() {
        // No nested file changes grouping: one part, as walked.
        return vec![(candidates, root_options)];
    }
    let mut parts: Vec<Vec<Candidate>> = vec![Vec::new(); scopes.len() + 1];
    for candidate in candidates {
        let nearest = scopes
            .iter()
            .enumerate()
            .filter(|(_, s)| s.covers(&candidate.rel_path))
            .max_by_key(|(_, s)| s.dir.len());
        let (slot, options) = match nearest {
            Some((i, scope)) => {
                if scope.ignores(root, &candidate.rel_path) {
                    continue;
                }
                (i + 1, &scope.options)
            }
            None => (0, root_options),
        };
        if !wider || options.keeps(&candidate.name, &candidate.rel_path) {
            parts[slot].push(candidate);
        }
    }
    let options = std::iter::once(root_options).chain(scopes.iter().map(|s| &s.options));
    // Empty parts are grouped too: a `[[set]]` that finds nothing says so.
    parts.into_iter().zip(options).collect()
}
