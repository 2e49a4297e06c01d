//! Which rows of the tree are drawn: the filter (fuzzy on the key path, by
//! words on documentation and on values that are not secret),
//! only-differences and folds decide; the cursor stays on the same key, or
//! the nearest row above it, when the rows change, and a new filter puts it
//! on the best match.

use std::sync::Arc;

use super::App;
use super::model::{SetModel, TreeNode};
use super::search::{self, filter_matches};
use crate::core::diff::Status;
use crate::tui::effect::{Effect, FilterJob};
use crate::tui::event::Filtered;

/// Tree nodes to draw, in order.
#[cfg(test)]
pub fn visible(
    set: &SetModel,
    folded: &[bool],
    matches: Option<&[bool]>,
    only_diffs: bool,
) -> Vec<u32> {
    let mut out = Vec::new();
    visible_into(set, folded, matches, only_diffs, &mut out);
    out
}

/// `visible` written into `out`, whose buffer is reused: on a large set a
/// fresh one is megabytes of pages touched for the first time on every
/// toggle.
pub fn visible_into(
    set: &SetModel,
    folded: &[bool],
    matches: Option<&[bool]>,
    only_diffs: bool,
    out: &mut Vec<u32>,
) {
    let tree = &set.tree;
    let key_shown = |key: Option<u32>| {
        key.is_some_and(|k| {
            let k = k as usize;
            matches.is_none_or(|m| m.get(k).copied().unwrap_or(false))
                && (!only_diffs || set.keys.status(k).is_some_and(|s| s != Status::Same))
        })
    };
    // A parent is drawn when something below it is: mark each shown key's
    // ancestors, stopping at the first already marked. Every node, or only
    // differences and nothing else, needs no marks: what the tree counts
    // already says it (a node is drawn when its subtree holds a key that is
    // not `same`).
    let marked: Option<Vec<bool>> = (matches.is_some()).then(|| {
        let mut shown = vec![false; tree.len()];
        let mut ancestors: Vec<usize> = Vec::new();
        for (i, node) in tree.iter().enumerate() {
            ancestors.truncate(usize::from(node.depth));
            if key_shown(node.key) {
                shown[i] = true;
                for &a in ancestors.iter().rev() {
                    if shown[a] {
                        break;
                    }
                    shown[a] = true;
                }
            }
            ancestors.push(i);
        }
        shown
    });
    let shown = |i: usize, node: &TreeNode| match &marked {
        Some(marked) => marked[i],
        None => !only_diffs || node.drift > 0,
    };
    out.clear();
    let mut i = 0;
    while let Some(node) = tree.get(i) {
        let next = if shown(i, node) {
            out.push(u32::try_from(i).unwrap_or(u32::MAX));
            if folded.get(i).copied().unwrap_or(false) && node.is_parent(i) {
                node.end as usize
            } else {
                i + 1
            }
        } else {
            node.end as usize
        };
        i = next.max(i + 1);
    }
}

/// Sets from this many keys on are searched on a worker as the filter is
/// typed: a keystroke is answered at once and the rows follow when the
/// search is done (a million keys take about a second).
pub const SEARCH_ON_A_WORKER_KEYS: usize = search::PARALLEL_KEYS;

/// The filter's search on a worker.
#[derive(Debug, Default)]
pub struct FilterSearch {
    /// Numbers the searches asked for.
    pub seq: u64,
    /// The search whose answer is awaited, while one is.
    pub pending: Option<u64>,
    /// The query that `App::matches` answers: a longer one is searched
    /// among its matches.
    pub answered: String,
}

impl App {
    /// The filter after a keystroke: searched here for a small set; for a
    /// large one, on a worker (the rows keep the last answer until the new
    /// one comes), among the last answer's matches when the query only
    /// grew.
    pub(super) fn filter_typed(&mut self) -> Vec<Effect> {
        let Some(set) = self.current_set() else { return Vec::new() };
        if self.filter.is_empty() || set.keys.len() < SEARCH_ON_A_WORKER_KEYS {
            self.refilter();
            return Vec::new();
        }
        let within = match &self.matches {
            Some(matches) if search::narrows(&self.search.answered, &self.filter) => {
                Some(Arc::new(matches.clone()))
            }
            _ => None,
        };
        let job = FilterJob {
            seq: self.search.seq + 1,
            set: self.set,
            set_name: set.name.clone(),
            query: self.filter.clone(),
            within,
        };
        self.search.seq = job.seq;
        self.search.pending = Some(job.seq);
        vec![Effect::Filter(job)]
    }

    /// A search's answer: shown when it is the one awaited.
    pub(super) fn filtered(&mut self, found: Filtered) {
        if self.search.pending != Some(found.seq) || found.query != self.filter {
            return;
        }
        self.search.pending = None;
        self.show_matches(Some(found.matches), found.best, found.query);
    }

    /// Recomputes the filter of the shown set and the rows drawn.
    pub(super) fn refilter(&mut self) {
        let (matches, best) = match self.current_set() {
            Some(set) if !self.filter.is_empty() => {
                let (matches, best) = filter_matches(&set.keys, self.loaded_set(), &self.filter);
                (Some(matches), best)
            }
            _ => (None, None),
        };
        // A search still running answers an older query or set.
        self.search.pending = None;
        self.show_matches(matches, best, self.filter.clone());
    }

    /// Shows the keys `matches` marks (all keys: None), the cursor on the
    /// best match or else on a leaf.
    fn show_matches(&mut self, matches: Option<Vec<bool>>, best: Option<usize>, query: String) {
        self.matches = matches;
        self.search.answered = query;
        self.relayout_rows();
        match best.and_then(|key| self.row_of_key(key)) {
            Some(row) => self.set_cursor(row),
            None => self.cursor_to_leaf(),
        }
    }

    /// The drawn row that shows key `key` of the shown set.
    fn row_of_key(&self, key: usize) -> Option<usize> {
        let set = self.current_set()?;
        let key = u32::try_from(key).ok()?;
        self.visible
            .iter()
            .position(|&at| set.tree.get(at as usize).and_then(|n| n.key) == Some(key))
    }

    /// Moves the cursor off a row that only holds other keys: to the first
    /// row below that holds a value (or the last one above, when none).
    pub(super) fn cursor_to_leaf(&mut self) {
        let (Some(set), Some(view)) = (self.current_set(), self.view()) else { return };
        let holds = |row: &usize| {
            self.visible
                .get(*row)
                .and_then(|&at| set.tree.get(at as usize))
                .is_some_and(|n| n.key.is_some())
        };
        if holds(&view.cursor) {
            return;
        }
        let below = (view.cursor..self.visible.len()).find(holds);
        let target = below.or_else(|| (0..view.cursor).rev().find(holds));
        if let Some(row) = target {
            self.set_cursor(row);
        }
    }

    /// Recomputes the rows drawn, keeping the cursor on its node (or the
    /// closest drawn row above it).
    pub(super) fn relayout_rows(&mut self) {
        let focused = self.focused_node().map(|(at, _)| at);
        let Some(set) = self.model.sets.get(self.set) else {
            self.visible.clear();
            return;
        };
        let Some(view) = self.views.get(self.set) else { return };
        let with_findings = self.only_findings.then(|| self.findings_mask()).flatten();
        let matches = match (self.matches.as_deref(), with_findings) {
            (Some(m), Some(f)) => Some(m.iter().zip(&f).map(|(a, b)| *a && *b).collect()),
            (Some(m), None) => Some(m.to_vec()),
            (None, Some(f)) => Some(f),
            (None, None) => None,
        };
        let mut visible = std::mem::take(&mut self.visible);
        visible_into(set, &view.folded, matches.as_deref(), self.only_diffs, &mut visible);
        self.visible = visible;
        let cursor = focused.map_or(0, |at| {
            let at = u32::try_from(at).unwrap_or(u32::MAX);
            match self.visible.binary_search(&at) {
                Ok(i) => i,
                Err(i) => i.saturating_sub(1),
            }
        });
        self.set_cursor(cursor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::project::Project;
    use crate::tui::app::model::build_set;

    #[test]
    fn only_differences_by_the_tree_counts_draws_what_marking_each_key_draws() {
        let dir = tempfile::tempdir().unwrap();
        let dev = "a:\n  b: 1\n  c: 2\nd:\n  e:\n    f: x\n    g: y\n  h: 1\nlist:\n  - 1\n  - 2\nsame: 1\n";
        let prod = "a:\n  b: 1\n  c: 3\nd:\n  e:\n    f: x\n    g: z\n  h: 1\nlist:\n  - 1\nsame: 1\nnew: 1\n";
        std::fs::write(dir.path().join("config_dev.yaml"), dev).unwrap();
        std::fs::write(dir.path().join("config_prod.yaml"), prod).unwrap();
        let project = Project::load(dir.path(), &crate::core::discover::DiscoverOptions::default());
        let set = build_set(&project.sets[0], &[], None, None);
        let every_key = vec![true; set.keys.len()];
        let parents: Vec<usize> =
            (0..set.tree.len()).filter(|&i| set.tree[i].is_parent(i)).collect();
        assert!(parents.len() >= 3);
        for folded_one in [None].into_iter().chain(parents.iter().copied().map(Some)) {
            let mut folded = vec![false; set.tree.len()];
            if let Some(at) = folded_one {
                folded[at] = true;
            }
            let counted = visible(&set, &folded, None, true);
            assert_eq!(counted, visible(&set, &folded, Some(&every_key), true), "{folded_one:?}");
            assert!(counted.len() < visible(&set, &folded, None, false).len());
        }
    }
}
