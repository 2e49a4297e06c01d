//! Where the cursor, the folds and the env columns of a set go when its
//! rows are built again (live reload): found by key path, not by index, so
//! a key added or removed above does not move them. When the focused key
//! went, the nearest row that is still drawn takes the cursor, at the same
//! row on screen.

use rustc_hash::{FxHashMap, FxHashSet};

use super::model::SetModel;
use super::{App, SetPlace};

/// Rows on each side of the cursor tried when its key is gone.
const NEIGHBOURS: usize = 50;
/// Joins the labels of a tree path (a character no key label holds).
const SEP: char = '\u{1f}';

/// Where the cursor was, to find it again after a rebuild.
pub(super) struct Anchor {
    /// The focused row's path, then its neighbours nearest first.
    paths: Vec<String>,
    cursor: usize,
    /// The cursor's row on screen, kept so the table does not jump.
    row_on_screen: usize,
}

impl App {
    /// The cursor's path and its neighbours' in the shown set.
    pub(super) fn anchor(&self) -> Option<Anchor> {
        let (set, view) = (self.current_set()?, self.view()?);
        let cursor = view.cursor;
        let mut rows = vec![cursor];
        for d in 1..=NEIGHBOURS {
            rows.extend([cursor.checked_add(d), cursor.checked_sub(d)].into_iter().flatten());
        }
        let paths = rows
            .into_iter()
            .filter_map(|row| self.visible.get(row))
            .map(|&at| path_of(set, at as usize))
            .collect();
        Some(Anchor { paths, cursor, row_on_screen: cursor.saturating_sub(view.scroll) })
    }

    /// Puts the cursor back on the anchor's key, or its nearest neighbour
    /// still drawn, at the same row on screen.
    pub(super) fn restore(&mut self, anchor: Option<Anchor>) {
        let Some(anchor) = anchor else {
            self.set_cursor(0);
            return;
        };
        let Some(set) = self.current_set() else { return };
        let index = paths_of(set);
        let found = anchor.paths.iter().find_map(|path| {
            let node = u32::try_from(*index.get(path.as_str())?).ok()?;
            self.visible.binary_search(&node).ok()
        });
        let target = found.unwrap_or(anchor.cursor);
        if let Some(view) = self.views.get_mut(self.set) {
            view.scroll = target.saturating_sub(anchor.row_on_screen);
        }
        self.set_cursor(target);
        if found.is_none() {
            self.cursor_to_leaf();
        }
        let env = self.view().map_or(0, |v| v.env);
        self.set_env(env);
    }
}

/// The path of node `at`: the labels from its root down, joined.
pub(super) fn path_of(set: &SetModel, at: usize) -> String {
    let Some(nodes) = set.tree.get(..=at) else { return String::new() };
    let mut parts = Vec::new();
    let mut depth = nodes.last().map_or(0, |n| n.depth) + 1;
    for node in nodes.iter().rev() {
        if node.depth < depth {
            parts.push(set.label(node));
            depth = node.depth;
        }
    }
    parts.reverse();
    parts.join(&SEP.to_string())
}

/// Every node's path, to its index.
fn paths_of(set: &SetModel) -> FxHashMap<String, usize> {
    let mut stack: Vec<&str> = Vec::new();
    let mut out = FxHashMap::default();
    for (i, node) in set.tree.iter().enumerate() {
        stack.truncate(usize::from(node.depth));
        stack.push(set.label(node));
        out.insert(stack.join(&SEP.to_string()), i);
    }
    out
}

/// The view of a rebuilt set: env columns by name, folds by path; cursor
/// and scroll as they were (the shown set's are restored from its anchor).
pub(super) fn carry_view(before: Option<&(SetModel, SetPlace)>, set: &SetModel) -> SetPlace {
    let folded = vec![false; set.tree.len()];
    let Some((old, view)) = before else { return SetPlace { folded, ..SetPlace::default() } };
    let column = |i: usize| {
        let name = old.envs.get(i).map(|e| e.name.as_str());
        set.envs
            .iter()
            .position(|e| Some(e.name.as_str()) == name)
            .unwrap_or(i.min(set.envs.len().saturating_sub(1)))
    };
    let mut carried = SetPlace {
        env: column(view.env),
        reference: column(view.reference),
        folded,
        ..view.clone()
    };
    if view.folded.iter().any(|f| *f) {
        let was: FxHashSet<String> = view
            .folded
            .iter()
            .enumerate()
            .filter(|(_, f)| **f)
            .map(|(at, _)| path_of(old, at))
            .collect();
        for (path, at) in paths_of(set) {
            if was.contains(&path) {
                carried.folded[at] = true;
            }
        }
    }
    carried
}
