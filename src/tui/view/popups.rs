//! Boxes over the table: the whole value of a cell (`K`), scrollable, and
//! the set names matching what is typed after `:`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::text::{clean, fit};
use crate::tui::app::App;

/// A box `width` x `height` centred in `area`, at most as large.
fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let (width, height) = (width.min(area.width), height.min(area.height));
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

pub struct ValueView<'a>(pub &'a App);

impl Widget for ValueView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let Some(value) = &app.value_box else { return };
        let width = area.width.saturating_sub(8).max(20);
        let room = area.height.saturating_sub(4);
        let height = u16::try_from(value.lines.len()).unwrap_or(u16::MAX).min(room) + 2;
        let popup = centred(area, width, height.max(3));
        Clear.render(popup, buf);
        let total = value.lines.len();
        let shown = usize::from(popup.height.saturating_sub(2));
        let position = if total > shown {
            format!(
                " {}–{} of {total} · j/k scroll · Esc closes ",
                value.scroll + 1,
                (value.scroll + shown).min(total)
            )
        } else {
            " Esc closes ".to_owned()
        };
        let block = Block::bordered()
            .border_style(app.theme.border(true))
            .title(Line::styled(clean(&value.title).into_owned(), app.theme.title()))
            .title_bottom(Line::styled(position, app.theme.hint()).right_aligned());
        let lines: Vec<Line<'_>> =
            value.lines.iter().skip(value.scroll).map(|l| Line::raw(clean(l))).collect();
        Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).render(popup, buf);
    }
}

/// Sets listed under the `:` prompt.
const JUMP_ROWS: usize = 12;

pub struct JumpView<'a>(pub &'a App);

impl Widget for JumpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let matches = app.jump_matches();
        let width = area.width.min(60);
        let rows = matches.len().clamp(1, JUMP_ROWS);
        let popup = centred(area, width, u16::try_from(rows).unwrap_or(1) + 2);
        Clear.render(popup, buf);
        let inner = usize::from(width.saturating_sub(4));
        let mut lines: Vec<Line<'_>> = matches
            .iter()
            .take(JUMP_ROWS)
            .enumerate()
            .filter_map(|(i, &set)| {
                let name = &app.model.sets.get(set)?.name;
                let text = format!("{} {}", if i == 0 { "▶" } else { " " }, fit(name, inner));
                Some(if i == 0 { Line::styled(text, Modifier::BOLD) } else { Line::raw(text) })
            })
            .collect();
        if lines.is_empty() {
            lines.push(Line::styled("  no set matches", app.theme.hint()));
        }
        let block = Block::bordered()
            .border_style(app.theme.border(true))
            .title(Line::styled(format!(" :{} ", app.jump), app.theme.title()));
        Paragraph::new(lines).block(block).render(popup, buf);
    }
}
