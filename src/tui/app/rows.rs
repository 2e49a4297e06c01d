//! Which rows of the tree are drawn: the filter (fuzzy on the key path, by
//! words on documentation and on values that are not secret),
//! only-differences and folds decide; the cursor stays on the same key, or
//! the nearest row above it, when the rows change, and a new filter puts it
//! on the best match.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::App;
use super::model::SetModel;
use crate::core::diff::Status;

/// Per key of `set`: whether it matches `query` (smart case), and the key
/// that matches best. Fuzzy on its path; by words on its documentation and
/// on the values shown in clear (a masked secret is never searched: a match
/// would tell what it holds). Fuzzy on prose would match almost any
/// sentence, since a long text holds most letters in most orders. The best
/// key has the highest path score; without a path match, the first key
/// found by its words.
pub fn filter_matches(set: &SetModel, query: &str) -> (Vec<bool>, Option<usize>) {
    let on_path = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let on_words =
        Pattern::new(query, CaseMatching::Smart, Normalization::Smart, AtomKind::Substring);
    let mut fuzzy = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut points_of =
        |pattern: &Pattern, text: &str| pattern.score(Utf32Str::new(text, &mut buf), &mut fuzzy);
    let mut best: Option<(u32, usize)> = None;
    let mut first_by_words = None;
    let mut hits = Vec::with_capacity(set.keys.len());
    for (i, row) in set.keys.iter().enumerate() {
        if let Some(points) = points_of(&on_path, &row.key) {
            if best.is_none_or(|(b, _)| points > b) {
                best = Some((points, i));
            }
            hits.push(true);
            continue;
        }
        let in_doc = row.doc.as_deref().is_some_and(|d| points_of(&on_words, d).is_some());
        let in_value = row
            .cells
            .iter()
            .flatten()
            .any(|cell| cell.secret.is_none() && points_of(&on_words, &cell.text).is_some());
        if (in_doc || in_value) && first_by_words.is_none() {
            first_by_words = Some(i);
        }
        hits.push(in_doc || in_value);
    }
    (hits, best.map(|(_, i)| i).or(first_by_words))
}

/// Tree nodes to draw, in order.
pub fn visible(
    set: &SetModel,
    folded: &[bool],
    matches: Option<&[bool]>,
    only_diffs: bool,
) -> Vec<u32> {
    let tree = &set.tree;
    let key_shown = |key: Option<u32>| {
        key.is_some_and(|k| {
            let k = k as usize;
            matches.is_none_or(|m| m.get(k).copied().unwrap_or(false))
                && (!only_diffs || set.keys.get(k).is_some_and(|r| r.status != Status::Same))
        })
    };
    let everything = matches.is_none() && !only_diffs;
    // A parent is drawn when something below it is: mark each shown key's
    // ancestors, stopping at the first already marked.
    let mut shown = vec![everything; tree.len()];
    if !everything {
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
    }
    let mut out = Vec::with_capacity(tree.len());
    let mut i = 0;
    while let Some(node) = tree.get(i) {
        let next = if shown[i] {
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
    out
}

impl App {
    /// Recomputes the filter of the shown set and the rows drawn.
    pub(super) fn refilter(&mut self) {
        let (matches, best) = match self.current_set() {
            Some(set) if !self.filter.is_empty() => {
                let (matches, best) = filter_matches(set, &self.filter);
                (Some(matches), best)
            }
            _ => (None, None),
        };
        self.matches = matches;
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
        self.visible = visible(set, &view.folded, matches.as_deref(), self.only_diffs);
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
    use crate::tui::app::model::{KeyRow, TreeNode};

    fn node(label: &str, depth: u16, end: u32, key: Option<u32>) -> TreeNode {
        TreeNode { label: label.into(), depth, end, key, worst: Status::Same, leaves: 0, drift: 0 }
    }

    fn row(key: &str, status: Status) -> KeyRow {
        KeyRow { key: key.into(), status, cells: Vec::new(), doc: None }
    }

    #[test]
    fn parents_follow_their_children() {
        let set = SetModel {
            name: "s".into(),
            envs: Vec::new(),
            base_file: None,
            layer_files: Vec::new(),
            layout: "builtin",
            keys: vec![
                row("a.x", Status::Same),
                row("a.y", Status::Differs),
                row("b", Status::Same),
            ],
            tree: vec![
                node("a", 0, 3, None),
                node("x", 1, 2, Some(0)),
                node("y", 1, 3, Some(1)),
                node("b", 0, 4, Some(2)),
            ],
            counts: [2, 1, 0, 0],
            errors: Vec::new(),
            violations: Vec::new(),
            key_width: 4,
        };
        assert_eq!(visible(&set, &[false; 4], None, false), vec![0, 1, 2, 3]);
        assert_eq!(visible(&set, &[false; 4], None, true), vec![0, 2]);
        assert_eq!(visible(&set, &[true, false, false, false], None, false), vec![0, 3]);
        let (m, best) = filter_matches(&set, "ay");
        assert_eq!(m, vec![false, true, false]);
        assert_eq!(best, Some(1));
        assert_eq!(visible(&set, &[false; 4], Some(&m), false), vec![0, 2]);
    }
}
