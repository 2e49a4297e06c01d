//! Which rows of the tree are drawn: the filter (fuzzy, on key path and
//! documentation), only-differences and folds decide; the cursor stays on
//! the same key, or the nearest row above it, when the rows change.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::App;
use super::model::SetModel;
use crate::core::diff::Status;

/// Per key of `set`: whether it matches `query` (smart case): fuzzy on its
/// path, by words on its documentation. Fuzzy on prose would match almost
/// any sentence, since a long text holds most letters in most orders.
pub fn filter_matches(set: &SetModel, query: &str) -> Vec<bool> {
    let on_path = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let on_doc =
        Pattern::new(query, CaseMatching::Smart, Normalization::Smart, AtomKind::Substring);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut hit = |pattern: &Pattern, text: &str| {
        pattern.score(Utf32Str::new(text, &mut buf), &mut matcher).is_some()
    };
    set.keys
        .iter()
        .map(|row| hit(&on_path, &row.key) || row.doc.as_deref().is_some_and(|d| hit(&on_doc, d)))
        .collect()
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
        self.matches = match self.current_set() {
            Some(set) if !self.filter.is_empty() => Some(filter_matches(set, &self.filter)),
            _ => None,
        };
        self.relayout_rows();
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
        self.visible = visible(set, &view.folded, self.matches.as_deref(), self.only_diffs);
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
        let m = filter_matches(&set, "ay");
        assert_eq!(m, vec![false, true, false]);
        assert_eq!(visible(&set, &[false; 4], Some(&m), false), vec![0, 2]);
    }
}
