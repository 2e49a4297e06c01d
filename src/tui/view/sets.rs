//! The list of config sets with the number of keys that are not `same` in
//! each and the layout that made it (§10), marked and coloured by the set's
//! worst status, `⚠` for a broken or stale file; a one-line tab bar on a
//! narrow screen. `:` filters it by name.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use super::text::fit;
use crate::core::diff::Status;
use crate::tui::app::App;
use crate::tui::app::model::SetModel;

/// The drift count of a set as the list shows it, with the mark of its
/// worst status (`12 ∅` when a key is missing somewhere, `3 ~`, `8 ≠`, or
/// `=`).
fn badge(set: &SetModel) -> String {
    let flag = flag(set);
    match set.drift() {
        0 => format!("{flag}="),
        n => format!("{flag}{n} {}", worst(set).mark()),
    }
}

/// The worst status of any key of the set.
fn worst(set: &SetModel) -> Status {
    let [_, differs, type_changed, missing] = set.counts;
    if missing > 0 {
        Status::Missing
    } else if type_changed > 0 {
        Status::TypeChanged
    } else if differs > 0 {
        Status::Differs
    } else {
        Status::Same
    }
}

/// `⚠ ` before the badge of a set with a broken or stale file.
fn flag(set: &SetModel) -> &'static str {
    if super::stale::set_flag(set) { "⚠ " } else { "" }
}

/// The set list of the wide layout.
pub struct SetList<'a>(pub &'a App);

impl Widget for SetList<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let block = Block::bordered()
            .border_style(theme.border(false))
            .title(Line::styled(format!(" Sets {} ", app.model.sets.len()), theme.title()));
        let inner = block.inner(area);
        block.render(area, buf);
        let width = usize::from(inner.width);
        let rows = app.model.sets.iter().enumerate().skip(app.sets_scroll);
        for (y, (i, set)) in (inner.y..inner.bottom()).zip(rows) {
            let badge = badge(set);
            // The badge sized by bytes as without the flag (so rows line up
            // as they always did), plus the flag's two columns.
            let flag = flag(set);
            let flag_w = if flag.is_empty() { 0 } else { 2 };
            let name_w = width.saturating_sub(badge.len() - flag.len() + flag_w + 3);
            // The layout (§10) after the name, when the name keeps room.
            let layout = set.layout;
            let (name_w, layout) = if name_w >= layout.len() + 9 {
                (name_w - layout.len() - 1, format!(" {layout}"))
            } else {
                (name_w, String::new())
            };
            let name = fit(&set.name, name_w);
            let selected = i == app.set;
            let marker = if selected { "▶ " } else { "  " };
            let text = format!("{marker}{name:<name_w$}{layout} {badge}");
            let mut style = theme.status(worst(set));
            if selected {
                style = style.patch(theme.cursor_row()).add_modifier(Modifier::BOLD);
            }
            buf.set_stringn(inner.x, y, fit(&text, width), width, style);
        }
    }
}

/// The set tab bar of the narrow layout: the shown set and its neighbours.
pub struct SetTabs<'a>(pub &'a App);

impl Widget for SetTabs<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let mut spans = vec![Span::styled(
            format!(" set {}/{} ", app.set + 1, app.model.sets.len()),
            theme.hint(),
        )];
        for (i, set) in app.model.sets.iter().enumerate().skip(app.set) {
            let text = format!(" {} {} ", set.name, badge(set));
            let style = if i == app.set {
                theme.cursor_cell().add_modifier(Modifier::BOLD)
            } else {
                Style::new()
            };
            spans.push(Span::styled(text, style));
            spans.push(Span::raw("│"));
        }
        spans.pop();
        Line::from(spans).render(area, buf);
    }
}
