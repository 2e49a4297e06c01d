//! How live reload shows (§9): `watching` or `polling every 2 s` in the
//! header, a cell another program just changed underlined in bold, the
//! last good values of a file that stopped parsing dimmed under a
//! `⚠ stale` column header, and a `⚠` on a set with a broken file. Each
//! sign is a mark or a modifier, so it reads without colour too.

use ratatui::style::{Modifier, Style};

use crate::tui::app::App;
use crate::tui::app::model::{EnvColumn, SetModel};
use crate::tui::app::reload::Watching;
use crate::tui::theme::Slot;

/// The header's word on watching, once the watcher reported.
pub fn watching(app: &App) -> Option<&'static str> {
    match app.live.watching {
        Watching::Off => None,
        Watching::Events => Some("watching"),
        Watching::Polling => Some("polling every 2 s"),
    }
}

/// What an env column's header adds, and its style, for a file that did
/// not load or stopped parsing.
pub fn column_sign(app: &App, column: &EnvColumn) -> Option<(&'static str, Style)> {
    let style = app.theme.fg(Slot::Error);
    if column.broken {
        Some((" ⚠", style))
    } else if column.stale.is_some() {
        Some((" ⚠ stale", style))
    } else {
        None
    }
}

/// A cell's style with the live-reload signs on top.
pub fn cell(app: &App, set: &SetModel, key: u32, env: usize, style: Style) -> Style {
    let mut style = style;
    if set.envs.get(env).is_some_and(|c| c.stale.is_some()) {
        style = style.add_modifier(Modifier::DIM);
    }
    let names = set.keys.key(key as usize).zip(set.envs.get(env));
    if names.is_some_and(|(path, column)| app.live.marks.is_recent(&set.name, path, &column.name)) {
        style = style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    }
    style
}

/// The set has a file that did not load or went stale, a schema that did
/// not load, or a discovery problem: the set list flags it.
pub fn set_flag(set: &SetModel) -> bool {
    !set.errors.is_empty()
}
