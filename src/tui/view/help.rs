//! `?`: every bound action with its keys, the editor's keys, and what the
//! marks mean. When the list is taller than the screen it goes in two
//! columns, and when that does not fit either (80x24) it scrolls.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::text::fit;
use crate::tui::action::Action;
use crate::tui::app::App;

/// Columns for the keys of one action.
const KEYS_WIDTH: usize = 14;

pub struct Help<'a>(pub &'a App);

/// The help's lines before scrolling: the keys (in two columns when they
/// do not fit one and the screen is wide), then the legend.
fn help_lines(app: &App, area: Rect) -> (Vec<Line<'static>>, u16) {
    let entries: Vec<(String, &str)> = Action::BINDABLE
        .iter()
        .filter_map(|action| {
            let keys = app.keymap.keys_for(action);
            (!keys.is_empty()).then(|| (keys.join(" "), action.description()))
        })
        .collect();
    let room = usize::from(area.height.saturating_sub(2)).saturating_sub(LEGEND.len() + 1);
    let two = entries.len() > room && area.width >= 100;
    let width = if two { area.width.min(120) } else { area.width.min(84) };
    let per_column = if two { entries.len().div_ceil(2) } else { entries.len() };
    let column = if two { usize::from(width - 2) / 2 } else { usize::from(width - 2) };
    let entry = |(keys, text): &(String, &str)| -> Vec<Span<'static>> {
        let text = fit(text, column.saturating_sub(KEYS_WIDTH + 2));
        vec![
            Span::styled(format!(" {keys:<KEYS_WIDTH$}"), Modifier::BOLD),
            Span::raw(format!("{text:<w$}", w = column.saturating_sub(KEYS_WIDTH + 1))),
        ]
    };
    let mut lines: Vec<Line<'static>> = (0..per_column)
        .map(|i| {
            let mut spans = entry(&entries[i]);
            if let Some(right) = entries.get(i + per_column).filter(|_| two) {
                spans.extend(entry(right));
            }
            Line::from(spans)
        })
        .collect();
    lines.push(Line::raw(""));
    lines.extend(LEGEND.iter().map(|text| Line::styled(*text, app.theme.hint())));
    (lines, width)
}

/// What the marks and the other modes' keys mean.
const LEGEND: [&str; 6] = [
    " In the editor: ← → · Home/Ctrl-a · End/Ctrl-e · Backspace · Delete · Ctrl-u/k/w",
    " = same  ≠ differs  ~ type changed  ∅ missing (— in its cell)",
    " ↑ inherited from the base file  •••••••• masked secret  (ref) reference env",
    " ▶ focused row  ! a check finding (the detail pane names it)",
    " In the value box (K) and here: j/k, PgUp/PgDn scroll",
    " Mouse: wheel scrolls, a click focuses a cell",
];

impl Widget for Help<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let (lines, width) = help_lines(app, area);
        let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX).min(area.height);
        // Taller than the screen (80x24): it scrolls.
        let fits = usize::from(height.saturating_sub(2));
        let scroll = app.help_scroll.min(lines.len().saturating_sub(fits));
        let more = lines.len() > fits;
        let lines: Vec<Line<'_>> = lines.into_iter().skip(scroll).collect();
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        };
        Clear.render(popup, buf);
        let title = if more {
            " Keys — j/k scroll · Esc or ? closes "
        } else {
            " Keys — Esc or ? closes "
        };
        let block = Block::bordered()
            .border_style(theme.border(true))
            .title(Line::styled(title, theme.title()));
        Paragraph::new(lines).block(block).render(popup, buf);
    }
}
