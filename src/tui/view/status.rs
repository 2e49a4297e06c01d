//! The header (project, counts by status) and the status line (the keys
//! that work here, the filter being typed, the editor's keys, the last
//! thing that happened).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::tui::action::Action;
use crate::tui::app::{App, LoadState, Mode};

/// The top line.
pub struct Header<'a>(pub &'a App);

impl Widget for Header<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let left = Line::from(vec![
            Span::styled(" envlens ", theme.title().add_modifier(Modifier::REVERSED)),
            Span::raw(format!("  {}", app.options.root)),
        ]);
        left.render(area, buf);
        let mut facts = Vec::new();
        if app.load == LoadState::Ready {
            let [_, differs, types, missing] = app.totals();
            let sets = app.model.sets.len();
            facts.push(format!("{sets} set{}", if sets == 1 { "" } else { "s" }));
            facts.push(format!("{differs} differ"));
            facts.push(format!("{missing} missing"));
            facts.push(format!("{types} type"));
        }
        if let Some(rev) = &app.options.rev {
            facts.push(format!("at {rev}"));
        }
        if let (Some(rev), LoadState::Ready) = (&app.options.since, &app.load) {
            let changed: usize = app
                .model
                .sets
                .iter()
                .filter_map(|s| s.since.as_ref())
                .map(crate::tui::app::model::SinceMarks::changed_keys)
                .sum();
            facts.push(format!("{changed} changed since {rev}"));
        }
        if app.options.readonly {
            facts.push("read-only".into());
        }
        facts.extend(super::stale::watching(app).map(String::from));
        let right = Line::styled(format!("{} ", facts.join(" · ")), theme.hint()).right_aligned();
        right.render(area, buf);
    }
}

/// The bottom line.
pub struct StatusLine<'a>(pub &'a App);

/// Actions the status line advertises (two for a pair like `j/k`), with a
/// short label each.
const HINTS: [(Action, Option<Action>, &str); 10] = [
    (Action::MoveDown, Some(Action::MoveUp), "move"),
    (Action::EnvLeft, Some(Action::EnvRight), "env"),
    (Action::Edit, None, "edit"),
    (Action::Filter, None, "filter"),
    (Action::OnlyDifferences, None, "only diffs"),
    (Action::ToggleReveal, None, "reveal"),
    (Action::ReferenceEnv, None, "reference"),
    (Action::NextSet, None, "set"),
    (Action::Help, None, "help"),
    (Action::Quit, None, "quit"),
];

impl Widget for StatusLine<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        // The message wins the space it needs; the key hints get the rest,
        // whole hints only.
        let note = app.message.as_deref().or(app.loaded_note.as_deref()).unwrap_or_default();
        let note = if note.is_empty() { String::new() } else { format!(" {note} ") };
        let note_width = unicode_width::UnicodeWidthStr::width(note.as_str());
        let room = usize::from(area.width).saturating_sub(note_width);
        let left = if app.mode == Mode::Edit {
            Line::from(vec![
                Span::styled(" editing  ", theme.title()),
                Span::styled(
                    "Enter save · Esc cancel · ←/→ Home End · Ctrl-u/k/w delete",
                    theme.hint(),
                ),
            ])
        } else if app.mode == Mode::Filter {
            Line::from(vec![
                Span::styled(" filter keys, docs, values /", theme.title()),
                Span::raw(app.filter.clone()),
                Span::styled("█", theme.hint()),
                Span::styled(
                    if app.search.pending.is_some() { "  searching…" } else { "" },
                    theme.title(),
                ),
                Span::styled("  Enter keep · Esc clear · secrets are never searched", theme.hint()),
            ])
        } else if app.mode == Mode::Jump {
            Line::from(vec![
                Span::styled(" set :", theme.title()),
                Span::raw(app.jump.clone()),
                Span::styled("█", theme.hint()),
                Span::styled("  Enter open · Esc cancel", theme.hint()),
            ])
        } else {
            hints(app, room)
        };
        let left_area = Rect { width: u16::try_from(room).unwrap_or(area.width), ..area };
        left.render(left_area, buf);
        if !note.is_empty() {
            let x = area.right().saturating_sub(u16::try_from(note_width).unwrap_or(area.width));
            buf.set_stringn(
                x,
                area.y,
                note,
                usize::from(area.width),
                theme.hint().remove_modifier(Modifier::DIM),
            );
        }
    }
}

/// The table's status line: the filter and findings marks, then as many
/// whole key hints as fit in `room` columns.
fn hints(app: &App, room: usize) -> Line<'static> {
    let theme = &app.theme;
    let mut spans = vec![Span::raw(" ")];
    if !app.filter.is_empty() {
        spans.push(Span::styled(format!("filter: {}  ", app.filter), theme.title()));
    }
    if app.only_findings {
        spans.push(Span::styled("only findings  ", theme.title()));
    }
    let mut used: usize = spans.iter().map(Span::width).sum();
    for (action, pair, label) in &HINTS {
        let Some(mut keys) = app.keymap.keys_for(action).into_iter().next() else {
            continue;
        };
        if let Some(other) = pair.as_ref().and_then(|p| app.keymap.keys_for(p).into_iter().next()) {
            keys = format!("{keys}/{other}");
        }
        let hint = format!(" {label}  ");
        used += unicode_width::UnicodeWidthStr::width(keys.as_str())
            + unicode_width::UnicodeWidthStr::width(hint.as_str());
        if used > room {
            break;
        }
        spans.push(Span::styled(keys, Modifier::BOLD));
        spans.push(Span::styled(hint, theme.hint()));
    }
    Line::from(spans)
}
