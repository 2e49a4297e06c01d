//! `K`: the focused cell's whole value in a scrollable box — a long string,
//! or for a parent row every key below it in the focused env. A secret
//! shows only as the table shows it (masked unless revealed).

use super::{App, Mode};

/// The box's content and how far it is scrolled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueBox {
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: usize,
}

impl App {
    pub(super) fn show_value(&mut self) {
        let env = self.view().map_or(0, |v| v.env);
        let env_name = self.env_name(env);
        let Some(path) = self.focused_path() else { return };
        let lines = match self.focused_key() {
            Some((key, row)) => match row.cells.get(env).and_then(Option::as_ref) {
                Some(cell) => {
                    let text = match &cell.secret {
                        Some(secret) if self.is_revealed(key, env) => secret.expose().to_owned(),
                        _ => cell.text.clone(),
                    };
                    text.lines().map(str::to_owned).collect()
                }
                None => vec![format!("(no value in {env_name})")],
            },
            None => self.subtree_lines(env),
        };
        let title = format!(" {env_name} · {path} ");
        self.value_box = Some(ValueBox { title, lines, scroll: 0 });
        self.mode = Mode::Value;
    }

    /// `key = value` for every key under the focused parent, in one env.
    fn subtree_lines(&self, env: usize) -> Vec<String> {
        let (Some((at, node)), Some(set)) = (self.focused_node(), self.current_set()) else {
            return Vec::new();
        };
        let nodes = set.tree.get(at..node.end as usize).unwrap_or_default();
        nodes
            .iter()
            .filter_map(|n| n.key)
            .filter_map(|k| self.key_row(k).map(|row| (k, row)))
            .map(|(k, row)| match row.cells.get(env).and_then(Option::as_ref) {
                Some(cell) => {
                    let text = match &cell.secret {
                        Some(secret) if self.is_revealed(k, env) => secret.expose().to_owned(),
                        _ => cell.text.clone(),
                    };
                    format!("{} = {}", row.key, text.replace('\n', "↵"))
                }
                None => format!("{} —", row.key),
            })
            .collect()
    }

    pub(super) fn scroll_value(&mut self, by: i32) {
        let page = usize::from(self.height.saturating_sub(6)).max(1);
        if let Some(value) = &mut self.value_box {
            let most = value.lines.len().saturating_sub(page);
            let by = isize::try_from(by).unwrap_or(0);
            value.scroll = value.scroll.saturating_add_signed(by).min(most);
        }
    }

    pub(super) fn close_value(&mut self) {
        self.value_box = None;
        self.mode = Mode::Table;
    }
}
