//! Drawing: a pure function of `&App`. Every part reads the state and the
//! layout of `layout.rs`; nothing here changes the state.

mod detail;
mod editor;
mod help;
pub mod layout;
mod popups;
mod sets;
mod stale;
mod status;
pub(crate) mod table;
pub mod text;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::app::{App, LoadState, Mode};
use crate::tui::theme::Slot;

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame<'_>) {
    Screen(app).render(frame.area(), frame.buffer_mut());
}

/// The whole screen as a widget, so tests and benchmarks can draw it into a
/// plain `Buffer`.
#[derive(Debug, Clone, Copy)]
pub struct Screen<'a>(pub &'a App);

impl Widget for Screen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let areas = app.areas();
        status::Header(app).render(areas.header.intersection(area), buf);
        status::StatusLine(app).render(areas.status.intersection(area), buf);
        let middle = Rect {
            y: areas.header.bottom(),
            height: areas.status.y.saturating_sub(areas.header.bottom()),
            ..area
        };
        match (&app.load, app.current_set(), app.view()) {
            (LoadState::Ready, Some(set), Some(view)) => {
                if areas.narrow {
                    sets::SetTabs(app).render(areas.sets, buf);
                } else {
                    sets::SetList(app).render(areas.sets, buf);
                }
                table::TableView { app, set, view, cols: app.columns() }.render(areas.table, buf);
                detail::Detail { app, set }.render(areas.detail, buf);
            }
            (LoadState::Ready, ..) => notice(
                app,
                middle,
                buf,
                &[
                    format!("No config files under {}.", app.options.root),
                    "envlens looks for config_<env>.yaml|yml|json|toml and .env.<env>; \
                     --no-ignore also reads files .gitignore skips."
                        .into(),
                ],
            ),
            (LoadState::Loading { found, parsed }, ..) => {
                let counts = if *found == 0 {
                    "looking for config files…".to_owned()
                } else {
                    format!("{found} config files found · {parsed} parsed")
                };
                notice(app, middle, buf, &[format!("Reading {}", app.options.root), counts]);
            }
            (LoadState::Failed(message), ..) => {
                notice(
                    app,
                    middle,
                    buf,
                    &[format!("Cannot open {}:", app.options.root), message.clone()],
                );
            }
        }
        overlay(app, middle, buf);
    }
}

/// The window the mode opens over the middle, if any.
fn overlay(app: &App, middle: Rect, buf: &mut Buffer) {
    match app.mode {
        Mode::Edit => editor::EditorBox(app).render(middle, buf),
        Mode::Help => help::Help(app).render(middle, buf),
        Mode::Value => popups::ValueView(app).render(middle, buf),
        Mode::Jump => popups::JumpView(app).render(middle, buf),
        Mode::Flags => popups::FlagView(app).render(middle, buf),
        Mode::Table | Mode::Filter => {}
    }
}

/// A few centred lines in an otherwise empty middle.
fn notice(app: &App, area: Rect, buf: &mut Buffer, text: &[String]) {
    let mut lines: Vec<Line<'_>> = text.iter().map(|t| Line::raw(t.as_str()).centered()).collect();
    lines.push(Line::styled("q quits", app.theme.fg(Slot::Hint)).centered());
    let height = u16::try_from(lines.len() * 2).unwrap_or(0);
    let y = area.y + area.height.saturating_sub(height) / 2;
    let area = Rect { y, height: area.bottom().saturating_sub(y), ..area };
    Paragraph::new(lines).wrap(Wrap { trim: true }).render(area, buf);
}
