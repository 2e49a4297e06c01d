//! The editor box, anchored at the cell it edits (screens.md, "Editing a
//! cell"): the env and key with the type in the title, the input with its
//! cursor (a secret as dots), the line the edit will change or why it was
//! refused, the question of where to write a shared value, and a hint line
//! with the schema's rules.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::text::{clean, wrap};
use crate::core::edit::{Shared, Via};
use crate::tui::app::App;
use crate::tui::app::edit::{Editor, via_text};
use crate::tui::theme::Slot;

/// Narrower than this, a reason wraps into too many lines.
const MIN_WIDTH: u16 = 48;

/// Draws the open editor over `area` (the screen between header and
/// status line).
pub struct EditorBox<'a>(pub &'a App);

impl Widget for EditorBox<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let Some(editor) = &app.editor else { return };
        if area.width < 4 || area.height < 3 {
            return;
        }
        let (cell_x, cell_y) = anchor(app);
        let shown = app.view().map_or(0, |v| v.env.saturating_sub(v.env_offset));
        let width = (app.columns().env(shown) + 2).max(MIN_WIDTH).min(area.width);
        let inner = usize::from(width - 2);
        let mut lines = vec![input_line(app, editor, inner)];
        lines.extend(body_lines(app, editor, inner));
        let hint = app.theme.hint();
        lines.extend(
            wrap(&footer(editor), inner - 1)
                .into_iter()
                .map(|l| Line::styled(format!(" {l}"), hint)),
        );
        let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX).min(area.height);
        // Inside the table when it fits, so its border stays whole.
        let table = app.areas().table;
        let right = if table.width > width { table.right() - 1 } else { area.right() };
        let x = cell_x.saturating_sub(1).clamp(area.x, right - width);
        // Below the cell when it fits, else ending on the cell's row.
        let y = if cell_y + height <= area.bottom() {
            cell_y
        } else {
            (cell_y + 1).saturating_sub(height).max(area.y)
        };
        let popup = Rect { x, y, width, height };
        Clear.render(popup, buf);
        let what = if editor.adding { "add " } else { "" };
        let kind = if editor.masked() {
            format!("{}, secret", editor.type_name)
        } else {
            editor.type_name.clone()
        };
        let title = format!(" {} · {what}{} ({kind}) ", editor.env, clean(&editor.key));
        let block = Block::bordered()
            .border_style(app.theme.border(true))
            .title(Line::styled(title, app.theme.title()));
        Paragraph::new(lines).block(block).render(popup, buf);
    }
}

/// The top-left corner of the focused cell on screen.
fn anchor(app: &App) -> (u16, u16) {
    let body = app.areas().body;
    let cols = app.columns();
    let Some(view) = app.view() else { return (body.x, body.y) };
    let row = u16::try_from(view.cursor.saturating_sub(view.scroll)).unwrap_or(0);
    let x = body.x + cols.env_x(view.env.saturating_sub(view.env_offset));
    (x, (body.y + row).min(body.bottom().saturating_sub(1)))
}

/// ` 16█`: the text scrolled so the cursor shows, the cursor drawn as a
/// reversed character (or a block at the end).
fn input_line(app: &App, editor: &Editor, inner: usize) -> Line<'static> {
    let chars: Vec<char> = clean(&editor.shown_text()).chars().collect();
    let cursor = editor.shown_cursor().min(chars.len());
    let room = inner.saturating_sub(2).max(1);
    let start = (cursor + 1).saturating_sub(room);
    let end = (start + room).min(chars.len());
    let text = |from: usize, to: usize| {
        let from = from.min(chars.len());
        chars[from..to.clamp(from, chars.len())].iter().collect::<String>()
    };
    let style = if editor.masked() { app.theme.fg(Slot::Secret) } else { Style::new() };
    let mut spans = vec![Span::raw(" "), Span::styled(text(start, cursor), style)];
    match chars.get(cursor) {
        Some(c) => spans.push(Span::styled(c.to_string(), style.add_modifier(Modifier::REVERSED))),
        None => spans.push(Span::raw("█")),
    }
    spans.push(Span::styled(text(cursor + 1, end), style));
    Line::from(spans)
}

/// The question, else the refusal, else the preview.
fn body_lines(app: &App, editor: &Editor, inner: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let width = inner.saturating_sub(2);
    let indented = |text: &str, style: Style| -> Vec<Line<'static>> {
        wrap(text, width).into_iter().map(|l| Line::styled(format!(" {l}"), style)).collect()
    };
    if let Some(shared) = &editor.question {
        return question(editor, shared)
            .iter()
            .flat_map(|text| indented(text, Style::new()))
            .collect();
    }
    if let Some(refusal) = &editor.refusal {
        let mut lines = indented(&format!("✗ {}", refusal.reason), theme.fg(Slot::Error));
        if let Some(hint) = &refusal.hint {
            lines.extend(indented(hint, theme.hint()));
        }
        return lines;
    }
    editor.preview.as_deref().map(|p| indented(p, theme.hint())).unwrap_or_default()
}

/// Where a shared value lives and the two places it can be written.
fn question(editor: &Editor, shared: &Shared) -> Vec<String> {
    let mut lines = vec![format!(
        "This value lives in {}:{} ({}). Write it where?",
        shared.rel_path,
        shared.line,
        via_text(shared.via)
    )];
    let who = match shared.via {
        Via::Base | Via::After => "every env that inherits it",
        Via::Local => "the local layer's value",
        Via::Alias | Via::Merge => "every key that shares it",
    };
    lines.push(format!("s — write it there: {who} changes"));
    if shared.can_override {
        lines.push(format!("o — add an override to {}'s own file", editor.env));
    } else {
        lines.push("(no override can be added here)".into());
    }
    lines
}

/// `Enter save · Esc cancel · 1 to 64`.
fn footer(editor: &Editor) -> String {
    if editor.question.is_some() {
        let o = editor.question.as_ref().is_some_and(|q| q.can_override);
        return format!("s there{} · Esc back", if o { " · o override" } else { "" });
    }
    let mut parts = vec!["Enter save", "Esc cancel"];
    if editor.pristine() {
        parts.push("typing replaces the secret");
    }
    let mut text = parts.join(" · ");
    if let Some(rules) = &editor.rules {
        text.push_str(" · ");
        text.push_str(rules);
    }
    text
}
