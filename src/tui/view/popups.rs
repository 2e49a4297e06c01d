//! Boxes over the table: the whole value of a cell (`K`), scrollable, and
//! the set names matching what is typed after `:`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
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

/// The matrix's key, also what makes it read without colour.
const LEGEND: &str =
    " ● on  ○ off  — missing  ! on before an earlier env · Enter key · a all sets · Esc ";

/// The flag matrix (`F`): a row per flag, a column per env.
pub struct FlagView<'a>(pub &'a App);

impl Widget for FlagView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        use ratatui::text::Span;
        let app = self.0;
        let Some(matrix) = &app.flags else { return };
        let theme = &app.theme;
        let label = |row: &crate::tui::app::flags::FlagRow| {
            if matrix.every_set {
                format!("{} · {}", row.set_name, row.name)
            } else {
                row.name.clone()
            }
        };
        let name_w = matrix.rows.iter().map(|r| label(r).chars().count()).max().unwrap_or(4).max(4);
        let env_w: Vec<usize> = matrix.envs.iter().map(|e| e.chars().count().max(2)).collect();
        let wanted = 2 + name_w + env_w.iter().map(|w| w + 2).sum::<usize>() + 4;
        let wanted = wanted.max(LEGEND.chars().count() + 2);
        let width = u16::try_from(wanted).unwrap_or(u16::MAX).min(area.width);
        let room = usize::from(area.height.saturating_sub(6));
        let height = u16::try_from(matrix.rows.len().clamp(1, room.max(1)) + 4).unwrap_or(6);
        let popup = centred(area, width, height);
        Clear.render(popup, buf);
        let name_w = name_w
            .min(usize::from(width).saturating_sub(6 + env_w.iter().map(|w| w + 2).sum::<usize>()));
        let mut header = vec![Span::raw(format!("  {:<name_w$}", "flag"))];
        for (env, w) in matrix.envs.iter().zip(&env_w) {
            header.push(Span::styled(format!("  {env:<w$}"), Modifier::BOLD));
        }
        let mut lines = vec![Line::from(header)];
        let shown = room.max(1);
        let first = matrix.cursor.saturating_sub(shown.saturating_sub(1));
        for (i, row) in matrix.rows.iter().enumerate().skip(first).take(shown) {
            let focused = i == matrix.cursor;
            let mut spans = vec![Span::styled(
                format!(
                    "{}{:<name_w$}",
                    if focused { "▶ " } else { "  " },
                    fit(&label(row), name_w)
                ),
                if focused { Style::new().add_modifier(Modifier::BOLD) } else { Style::new() },
            )];
            spans.extend(cell_spans(theme, &row.cells, &env_w));
            lines.push(Line::from(spans));
        }
        if matrix.rows.is_empty() {
            lines.push(Line::styled("  no flags here", theme.hint()));
        }
        let scope = if matrix.every_set { "every set" } else { "this set" };
        let block = Block::bordered()
            .border_style(theme.border(true))
            .title(Line::styled(format!(" Flags · {scope} "), theme.title()))
            .title_bottom(Line::styled(LEGEND, theme.hint()).right_aligned());
        Paragraph::new(lines).block(block).render(popup, buf);
    }
}

/// A flag row's cells: the state's mark, then `!` when out of order.
fn cell_spans(
    theme: &crate::tui::theme::Theme,
    cells: &[crate::tui::app::flags::FlagCell],
    env_w: &[usize],
) -> Vec<ratatui::text::Span<'static>> {
    use crate::tui::app::flags::FlagState;
    use crate::tui::theme::Slot;
    use ratatui::text::Span;
    let mut spans = Vec::new();
    for (cell, w) in cells.iter().zip(env_w) {
        let (mark, slot) = match cell.state {
            FlagState::On => ("●", Slot::Same),
            FlagState::Off => ("○", Slot::Hint),
            FlagState::Missing => ("—", Slot::Missing),
            FlagState::NoEnv => (" ", Slot::Hint),
        };
        let late = if cell.out_of_order { "!" } else { " " };
        let style = if cell.out_of_order {
            theme.fg(Slot::Error).add_modifier(Modifier::BOLD)
        } else {
            theme.fg(slot)
        };
        spans.push(Span::raw("  "));
        spans.push(Span::styled(format!("{mark}{late}"), style));
        spans.push(Span::raw(" ".repeat(w.saturating_sub(2))));
    }
    spans
}
