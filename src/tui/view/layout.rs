//! Where each part of the screen goes, as a pure function of the terminal
//! size and the set shown. `App::update` uses it for page sizes, scrolling
//! and mouse clicks; the view uses it to draw, so both agree.

use ratatui::layout::Rect;

/// Below this width the set list becomes a tab bar and the detail pane
/// moves under the table, shorter.
pub const NARROW_BELOW: u16 = 100;
/// Narrowest an env column gets before columns scroll instead.
const MIN_ENV_WIDTH: u16 = 14;
/// Widest an env column gets: wider reads worse than a cut with `…`.
const MAX_ENV_WIDTH: u16 = 44;
/// The gutter and mark columns: `▶≠ ` (the `▶` on the focused row only,
/// so the cursor reads without colour).
pub const MARK_WIDTH: u16 = 3;

/// The parts of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub header: Rect,
    /// The set list (wide) or the set tab bar (narrow).
    pub sets: Rect,
    pub narrow: bool,
    /// The table's block, borders included.
    pub table: Rect,
    /// Rows of keys inside the table (below its column header line).
    pub body: Rect,
    pub detail: Rect,
    pub status: Rect,
}

/// Splits a `width` x `height` screen for a set of `envs` env columns.
pub fn areas(width: u16, height: u16, envs: usize) -> Areas {
    let full = Rect::new(0, 0, width, height);
    let narrow = width < NARROW_BELOW;
    let header = Rect { height: height.min(1), ..full };
    let status = Rect { y: height.saturating_sub(1), height: height.min(1), ..full };
    let middle_y = header.bottom();
    let middle_h = status.y.saturating_sub(middle_y);
    let envs = u16::try_from(envs).unwrap_or(u16::MAX);
    let detail_h = if narrow {
        4
    } else {
        // Two borders, the doc line, one line per env, one for messages.
        envs.saturating_add(4).clamp(5, 12).min(middle_h / 3)
    }
    .min(middle_h / 2);
    let detail = Rect { y: middle_y + middle_h - detail_h, height: detail_h, ..full };
    let upper = Rect { y: middle_y, height: middle_h - detail_h, ..full };
    let (sets, table) = if narrow {
        let tabs = Rect { height: upper.height.min(1), ..upper };
        (tabs, Rect { y: tabs.bottom(), height: upper.height - tabs.height, ..upper })
    } else {
        let list_w = (width / 5).clamp(18, 32);
        (Rect { width: list_w, ..upper }, Rect { x: list_w, width: width - list_w, ..upper })
    };
    // One column of air inside the left border, as lazygit and k9s keep.
    let body = Rect {
        x: table.x.saturating_add(2),
        y: table.y.saturating_add(2),
        width: table.width.saturating_sub(3),
        height: table.height.saturating_sub(3),
    };
    Areas { header, sets, narrow, table, body, detail, status }
}

/// Widths inside the table: the key column, each env column, and how many
/// env columns fit side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub key: u16,
    pub env: u16,
    pub fit: usize,
}

/// Column widths for a table `width` wide whose longest indented key is
/// `key_text` wide, with `envs` env columns.
pub fn columns(width: u16, key_text: usize, envs: usize) -> Columns {
    let usable = width.saturating_sub(MARK_WIDTH);
    let key_cap = (usable * 2 / 5).max(12);
    let key = u16::try_from(key_text + 1).unwrap_or(u16::MAX).clamp(8, key_cap);
    let rest = usable.saturating_sub(key);
    let per_fit = usize::from(rest / (MIN_ENV_WIDTH + 1)).max(1);
    let fit = envs.clamp(1, per_fit.max(1)).min(envs.max(1));
    let shown = u16::try_from(fit).unwrap_or(1).max(1);
    let env = (rest / shown).saturating_sub(1).clamp(4, MAX_ENV_WIDTH);
    Columns { key, env, fit }
}
