//! `?`: every bound action with its keys, and what the marks mean.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::tui::action::Action;
use crate::tui::app::App;

pub struct Help<'a>(pub &'a App);

impl Widget for Help<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let mut lines = Vec::new();
        for action in &Action::BINDABLE {
            let keys = app.keymap.keys_for(action);
            if keys.is_empty() {
                continue;
            }
            lines.push(Line::from(vec![
                Span::styled(format!(" {:<16}", keys.join(" ")), Modifier::BOLD),
                Span::raw(action.description()),
            ]));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            " = same  ≠ differs  ~ type changed  ∅ missing (— in its cell)",
            theme.hint(),
        ));
        lines.push(Line::styled(
            " ↑ inherited from the base file  •••••••• masked secret  (ref) reference env",
            theme.hint(),
        ));
        lines.push(Line::styled(" Mouse: wheel scrolls, a click focuses a cell", theme.hint()));
        let width = area.width.min(84);
        let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX).min(area.height);
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        };
        Clear.render(popup, buf);
        let block = Block::bordered()
            .border_style(theme.border(true))
            .title(Line::styled(" Keys — Esc or ? closes ", theme.title()));
        Paragraph::new(lines).block(block).render(popup, buf);
    }
}
