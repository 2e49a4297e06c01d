//! The key table: a tree of keys with a status mark, one column per env,
//! colours by status, the cells that differ from the reference env standing
//! out, `—` for missing, masked secrets, `↑` before inherited values, a
//! cell just written in reverse video for a moment, and a `▶` gutter on the
//! focused row so the cursor reads without colour.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use super::layout::{Columns, MARK_WIDTH};
use super::text::fit;
use crate::core::diff::Status;
use crate::tui::app::model::{KeyRow, SetModel, TreeNode};
use crate::tui::app::{App, Mode, SetPlace};
use crate::tui::theme::Slot;

/// Env column `env`'s header: its name, a source's state, a broken or
/// stale file's sign and `(ref)` on the reference env, with its style.
fn header_text(app: &App, set: &SetModel, view: &SetPlace, env: usize) -> (String, Style) {
    let mut style = Style::new().add_modifier(Modifier::BOLD);
    let Some(column) = set.envs.get(env) else { return (String::new(), style) };
    let mut name = column.name.clone();
    if let Some(note) = &column.source {
        name.push(' ');
        name.push_str(note);
    }
    if let Some((sign, sign_style)) = super::stale::column_sign(app, column) {
        name.push_str(sign);
        style = style.patch(sign_style);
    }
    if env == view.reference && set.envs.len() > 1 {
        name.push_str(" (ref)");
        style = style.patch(app.theme.fg(Slot::Reference)).add_modifier(Modifier::UNDERLINED);
    }
    (name, style)
}

/// How wide env column `env` wants to be: its widest cell over every row
/// (one more for `--since`'s `Δ`), or its header when wider.
pub fn column_want(app: &App, set: &SetModel, view: &SetPlace, env: usize) -> usize {
    let header = super::text::width(&header_text(app, set, view, env).0);
    let cells = usize::from(set.keys.widest(env)) + usize::from(set.since.is_some());
    header.max(cells)
}

/// Draws the shown set's table into its block.
pub struct TableView<'a> {
    pub app: &'a App,
    pub set: &'a SetModel,
    pub view: &'a SetPlace,
    /// The column widths, worked out once per frame.
    pub cols: Columns,
}

impl Widget for TableView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = &app.theme;
        let block = Block::bordered()
            .border_style(theme.border(app.mode == Mode::Table))
            .title(Line::from(vec![
                Span::styled(format!(" {} ", self.set.name), theme.title()),
                Span::styled(format!("· {} ", self.set.layout), theme.hint()),
            ]))
            .title(Line::styled(self.title_right(), theme.hint()).right_aligned());
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return;
        }
        let body = app.areas().body;
        self.header(Rect { y: inner.y, height: 1, ..body }, buf);
        let rows =
            app.visible.iter().enumerate().skip(self.view.scroll).take(usize::from(body.height));
        for (y, (index, &node_at)) in (body.y..).zip(rows) {
            let node_at = node_at as usize;
            let Some(node) = self.set.tree.get(node_at) else { continue };
            let line = Rect { y, height: 1, ..body };
            let cursor = index == self.view.cursor;
            if cursor {
                buf.set_style(line, theme.cursor_row());
            }
            self.row(line, buf, node_at, node, cursor);
        }
        if app.visible.is_empty() {
            let text = if app.filter.is_empty() && app.only_diffs {
                "every key is the same in every env (d shows all)"
            } else if app.filter.is_empty() {
                "no keys in this set"
            } else {
                "no key matches the filter (Esc clears it)"
            };
            buf.set_stringn(body.x + 2, body.y, text, usize::from(body.width), theme.hint());
        }
    }
}

impl TableView<'_> {
    /// Columns scrolled out of view, by side.
    fn title_right(&self) -> String {
        let fit = self.cols.fit;
        let left = self.view.env_offset;
        let right = self.set.envs.len().saturating_sub(left + fit);
        let mut parts = Vec::new();
        if left > 0 {
            parts.push(format!("◂ {left} more"));
        }
        if right > 0 {
            parts.push(format!("{right} more ▸"));
        }
        if parts.is_empty() { String::new() } else { format!(" {} ", parts.join(" · ")) }
    }

    fn env_x(&self, area: Rect, shown: usize) -> u16 {
        area.x + self.cols.env_x(shown)
    }

    fn shown_envs(&self) -> impl Iterator<Item = (usize, usize)> {
        let fit = self.cols.fit;
        (self.view.env_offset..self.set.envs.len()).take(fit).enumerate()
    }

    fn header(&self, area: Rect, buf: &mut Buffer) {
        let cols = &self.cols;
        let bold = Style::new().add_modifier(Modifier::BOLD);
        buf.set_stringn(area.x + MARK_WIDTH, area.y, "key", usize::from(cols.key), bold);
        for (shown, env) in self.shown_envs() {
            let (name, style) = header_text(self.app, self.set, self.view, env);
            let width = usize::from(cols.env(shown));
            let x = area.x + cols.env_x(shown);
            buf.set_stringn(x, area.y, fit(&name, width), width, style);
        }
    }

    fn row(&self, area: Rect, buf: &mut Buffer, at: usize, node: &TreeNode, cursor: bool) {
        let theme = &self.app.theme;
        let cols = &self.cols;
        let parent = node.is_parent(at);
        let folded = parent && self.view.folded.get(at).copied().unwrap_or(false);
        let key = node.key.and_then(|k| self.app.key_row(k));
        let status = if folded { Some(node.worst) } else { key.as_ref().map(|k| k.status) };
        if cursor {
            buf.set_stringn(
                area.x,
                area.y,
                "▶",
                1,
                theme.cursor_row().add_modifier(Modifier::BOLD),
            );
        } else if let Some(note) = key.as_ref().and_then(|k| self.app.notes_of(&k.key).first()) {
            // A `check` finding stands out even on a `same` row.
            let slot = match note.severity {
                crate::core::check::Severity::Error => Slot::Error,
                crate::core::check::Severity::Warning => Slot::Differs,
            };
            buf.set_stringn(area.x, area.y, "!", 1, theme.fg(slot).add_modifier(Modifier::BOLD));
        }
        if let Some(status) = status {
            let mut style = theme.status(status);
            if status != Status::Same {
                style = style.add_modifier(Modifier::BOLD);
            }
            buf.set_stringn(area.x + 1, area.y, status.mark().to_string(), 1, style);
        }
        let mut label = "  ".repeat(usize::from(node.depth));
        if parent {
            label.push_str(if folded { "▸ " } else { "▾ " });
        }
        label.push_str(self.set.label(node));
        let key_style = match &key {
            _ if parent => Style::new().add_modifier(Modifier::BOLD),
            Some(row) if row.status == Status::Same => theme.status(Status::Same),
            _ => Style::new(),
        };
        // The key column's last column is air before the first env.
        let width = usize::from(cols.key.saturating_sub(1));
        buf.set_stringn(area.x + MARK_WIDTH, area.y, fit(&label, width), width, key_style);
        if folded {
            let summary = match node.drift {
                0 => format!("({} keys)", node.leaves),
                d => format!("({} keys, {d} {})", node.leaves, Status::Differs.mark()),
            };
            let x = self.env_x(area, 0);
            let room = usize::from(area.right().saturating_sub(x));
            buf.set_stringn(x, area.y, summary, room, theme.hint());
        } else if let Some((index, row)) = node.key.zip(key) {
            self.cells(area, buf, index, &row, cursor);
        }
    }

    /// The cell was just written (`App::flash`).
    fn flashed(&self, row: &KeyRow, env: usize) -> bool {
        self.app.flash.as_ref().is_some_and(|f| {
            f.key == row.key
                && f.set == self.set.name
                && self.set.envs.get(env).is_some_and(|e| e.name == f.env)
        })
    }

    /// `--since`: a cell changed since REV starts with `Δ` (over the
    /// inherited arrow: the change is the news), readable without colour.
    /// Returns where the cell's text goes and the text, fitted.
    fn since_mark(
        &self,
        buf: &mut Buffer,
        (x, y): (u16, u16),
        (index, env, inherited): (u32, usize, bool),
        (text, width): (String, usize),
    ) -> (u16, String) {
        let Some(marks) = &self.set.since else { return (x, text) };
        if marks.was(index, env).is_none() {
            return (x, text);
        }
        let at = if inherited { x - 1 } else { x };
        let mark = self.app.theme.fg(Slot::Differs).add_modifier(Modifier::BOLD);
        buf.set_stringn(at, y, "Δ", 1, mark);
        (at + 1, fit(&text, width.saturating_sub(1)))
    }

    fn cells(&self, area: Rect, buf: &mut Buffer, index: u32, row: &KeyRow, cursor: bool) {
        let theme = &self.app.theme;
        let cols = &self.cols;
        let reference = row.cells.get(self.view.reference).and_then(Option::as_ref);
        for (shown, env) in self.shown_envs() {
            let x = area.x + cols.env_x(shown);
            let width = usize::from(cols.env(shown));
            let cell = row.cells.get(env).and_then(Option::as_ref);
            let differs = match (cell, reference) {
                (Some(c), Some(r)) => c.class != r.class,
                _ => true,
            };
            let mut style = match row.status {
                Status::Same => theme.status(Status::Same),
                status if differs => theme.status(status).add_modifier(Modifier::BOLD),
                _ => Style::new(),
            };
            let text = match cell {
                None => {
                    style = theme.status(Status::Missing).add_modifier(Modifier::BOLD);
                    "—".to_owned()
                }
                Some(cell) => {
                    let revealed = self.app.is_revealed(index, env);
                    let shown_text = match (&cell.secret, revealed) {
                        (Some(secret), true) => {
                            style = style
                                .patch(theme.fg(Slot::Secret))
                                .add_modifier(Modifier::UNDERLINED);
                            secret.expose()
                        }
                        (Some(_), false) => {
                            style = style.patch(theme.fg(Slot::Secret));
                            cell.text.as_str()
                        }
                        (None, _) => cell.text.as_str(),
                    };
                    if cell.inherited {
                        buf.set_stringn(x, area.y, "↑", 1, theme.fg(Slot::Inherited));
                        fit(shown_text, width.saturating_sub(1))
                    } else {
                        fit(shown_text, width)
                    }
                }
            };
            let inherited = cell.is_some_and(|c| c.inherited);
            let x = if inherited { x + 1 } else { x };
            let (x, text) =
                self.since_mark(buf, (x, area.y), (index, env, inherited), (text, width));
            if cursor && env == self.view.env {
                style = style.patch(theme.cursor_cell());
            }
            if self.flashed(row, env) {
                style = style.add_modifier(Modifier::BOLD | Modifier::REVERSED);
            }
            style = super::stale::cell(self.app, self.set, index, env, style);
            buf.set_stringn(x, area.y, text, width, style);
        }
    }
}
