//! Moving around: the cursor over rows, env columns, sets, folds, the mouse.
//! Scroll offsets are settled here so that drawing never changes state.

use super::{App, SetPlace};

impl App {
    fn view_mut(&mut self) -> Option<&mut SetPlace> {
        self.views.get_mut(self.set)
    }

    /// Rows of keys the table shows at once.
    pub fn page_rows(&self) -> usize {
        usize::from(self.areas().body.height).max(1)
    }

    /// Puts the cursor on row `cursor` (clamped) and scrolls to keep it in view.
    pub(super) fn set_cursor(&mut self, cursor: usize) {
        let rows = self.visible.len();
        let page = self.page_rows();
        let Some(view) = self.views.get_mut(self.set) else { return };
        view.cursor = cursor.min(rows.saturating_sub(1));
        let max_scroll = rows.saturating_sub(page);
        if view.cursor < view.scroll {
            view.scroll = view.cursor;
        } else if view.cursor >= view.scroll + page {
            view.scroll = view.cursor + 1 - page;
        }
        view.scroll = view.scroll.min(max_scroll);
    }

    pub(super) fn move_cursor(&mut self, by: isize) {
        let Some(view) = self.view() else { return };
        self.set_cursor(view.cursor.saturating_add_signed(by));
    }

    /// Scrolls the rows (mouse wheel), dragging the cursor along when it
    /// would leave the screen.
    pub(super) fn scroll_rows(&mut self, by: isize) {
        let rows = self.visible.len();
        let page = self.page_rows();
        let Some(view) = self.views.get_mut(self.set) else { return };
        view.scroll = view.scroll.saturating_add_signed(by).min(rows.saturating_sub(page));
        view.cursor = view.cursor.clamp(view.scroll, (view.scroll + page).saturating_sub(1));
        view.cursor = view.cursor.min(rows.saturating_sub(1));
    }

    /// Focuses env column `env` (clamped), scrolling columns to show it.
    /// How many fit depends on which are shown (columns are sized by
    /// content), so the first one shown moves until `env` fits, then back
    /// while the columns to the last still fit.
    pub(super) fn set_env(&mut self, env: usize) {
        let envs = self.current_set().map_or(0, |s| s.envs.len());
        let Some(view) = self.view() else { return };
        let env = env.min(envs.saturating_sub(1));
        let fit_from = |offset: usize| self.columns_from(offset).fit.max(1);
        let mut offset = view.env_offset.min(env);
        while env >= offset + fit_from(offset) {
            offset += 1;
        }
        while offset > 0 && offset - 1 + fit_from(offset - 1) >= envs {
            offset -= 1;
        }
        let Some(view) = self.view_mut() else { return };
        view.env = env;
        view.env_offset = offset;
    }

    pub(super) fn move_env(&mut self, by: isize) {
        let Some(view) = self.view() else { return };
        self.set_env(view.env.saturating_add_signed(by));
    }

    /// Shows set `set` (wrapping), with its own cursor and folds.
    pub(super) fn show_set(&mut self, set: usize) {
        let count = self.model.sets.len();
        if count == 0 {
            return;
        }
        self.set = set % count;
        // A secret stays revealed only while its set is on screen.
        self.revealed.clear();
        let list_rows = usize::from(self.areas().sets.height.saturating_sub(2)).max(1);
        if self.set < self.sets_scroll {
            self.sets_scroll = self.set;
        } else if self.set >= self.sets_scroll + list_rows {
            self.sets_scroll = self.set + 1 - list_rows;
        }
        self.refilter();
        let env = self.view().map_or(0, |v| v.env);
        self.set_env(env);
    }

    /// Folds or unfolds the focused parent (`None` toggles). Folding a key
    /// that is not a parent folds its parent and moves the cursor there.
    pub(super) fn fold_focused(&mut self, fold: Option<bool>) {
        let Some((at, node)) = self.focused_node() else { return };
        let target = if node.is_parent(at) {
            Some(at)
        } else if fold == Some(true) {
            self.parent_of(at)
        } else {
            None
        };
        let Some(target) = target else { return };
        let Some(view) = self.view_mut() else { return };
        let Some(flag) = view.folded.get_mut(target) else { return };
        *flag = fold.unwrap_or(!*flag);
        let cursor_node = u32::try_from(target).unwrap_or(u32::MAX);
        self.relayout_rows();
        if let Ok(i) = self.visible.binary_search(&cursor_node)
            && at != target
        {
            self.set_cursor(i);
        }
    }

    /// The tree node that holds node `at`.
    fn parent_of(&self, at: usize) -> Option<usize> {
        let tree = &self.current_set()?.tree;
        let depth = tree.get(at)?.depth;
        (0..at).rev().find(|&i| tree[i].depth < depth)
    }

    pub(super) fn fold_all(&mut self, fold: bool) {
        let Some(set) = self.model.sets.get(self.set) else { return };
        let parents: Vec<bool> =
            set.tree.iter().enumerate().map(|(i, n)| fold && n.is_parent(i)).collect();
        if let Some(view) = self.view_mut() {
            view.folded = parents;
        }
        self.relayout_rows();
    }

    /// A click focuses the set, row or cell under it.
    pub(super) fn click(&mut self, column: u16, row: u16) {
        let areas = self.areas();
        let at = ratatui::layout::Position::new(column, row);
        if areas.sets.contains(at) && !areas.narrow {
            let index = self.sets_scroll + usize::from(row.saturating_sub(areas.sets.y + 1));
            if index < self.model.sets.len() && row > areas.sets.y {
                self.show_set(index);
            }
        } else if areas.body.contains(at) {
            let Some(view) = self.view() else { return };
            let (scroll, env_offset) = (view.scroll, view.env_offset);
            self.set_cursor(scroll + usize::from(row - areas.body.y));
            if let Some(env) = self.columns().env_at(column - areas.body.x) {
                self.set_env(env_offset + env);
            }
        }
    }
}
