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

/// Widths inside the table: the key column and the env columns shown side
/// by side (from the first env not scrolled out), each followed by one
/// column of air.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub key: u16,
    /// Per env column shown, its width; as many as fit.
    pub envs: Vec<u16>,
    pub fit: usize,
}

impl Columns {
    /// Where shown env column `shown` starts, from the left of the body.
    pub fn env_x(&self, shown: usize) -> u16 {
        let before: u16 = self.envs.iter().take(shown).map(|w| w + 1).sum();
        MARK_WIDTH + self.key + before
    }

    /// The width of shown env column `shown` (0 past the last one).
    pub fn env(&self, shown: usize) -> u16 {
        self.envs.get(shown).copied().unwrap_or(0)
    }

    /// The shown env column under `x` (from the left of the body).
    pub fn env_at(&self, x: u16) -> Option<usize> {
        (0..self.fit).find(|&shown| {
            let start = self.env_x(shown);
            (start..start + self.env(shown) + 1).contains(&x)
        })
    }
}

/// Narrowest the key column gets while its keys are wider.
const MIN_KEY_WIDTH: u16 = 16;

/// Column widths for a table `width` wide whose widest key cell is
/// `key_text` wide, and whose env columns, from the first one shown, want
/// `env_texts` (their widest cell or header). Sized by content: when every
/// column fits, each gets what it wants (nothing is cut) and the room left
/// widens the env columns up to `MAX_ENV_WIDTH`; when they do not, each
/// column gets at least a readable minimum (or what it wants, when less)
/// and the rest is shared out evenly among the columns that want more, so
/// short columns keep their width and the columns with the longest content
/// get the most (the widths of a lazygit or k9s table). As many env
/// columns are shown as fit at their minimum; the others scroll.
pub fn columns(width: u16, key_text: usize, env_texts: &[usize]) -> Columns {
    let usable = width.saturating_sub(MARK_WIDTH);
    let want = |text: usize| u16::try_from(text).unwrap_or(u16::MAX).max(1);
    // The key cell's own column of air is counted in its width.
    // Keys are what a row is read by: the key column keeps up to 2/5 of
    // the width before env columns share the rest.
    let key = (want(key_text).saturating_add(1), (usable * 2 / 5).max(MIN_KEY_WIDTH));
    let envs: Vec<(u16, u16)> = env_texts.iter().map(|&t| (want(t), MIN_ENV_WIDTH)).collect();
    let least = |(want, min): (u16, u16)| want.min(min);
    let mut used = least(key);
    let fit = envs
        .iter()
        .take_while(|&&env| {
            used = used.saturating_add(least(env) + 1);
            used <= usable
        })
        .count()
        .clamp(usize::from(!envs.is_empty()), envs.len());
    let room = usable.saturating_sub(u16::try_from(fit).unwrap_or(u16::MAX));
    let mut wants = vec![key];
    wants.extend_from_slice(&envs[..fit]);
    let mut widths = share(room, &wants);
    // Room left once all fit widens the env columns, as far as they read
    // well.
    let left = room.saturating_sub(widths.iter().sum());
    if left > 0 && fit > 0 {
        let widest: Vec<(u16, u16)> =
            widths[1..].iter().map(|&w| (w.max(MAX_ENV_WIDTH), w)).collect();
        let wider = share(left + widths[1..].iter().sum::<u16>(), &widest);
        widths.splice(1.., wider);
    }
    let key = widths[0];
    Columns { key, envs: widths.split_off(1), fit }
}

/// `room` shared among columns of `(want, min)`: each starts at its least
/// (`min`, or `want` when less); then the columns still short of what they
/// want each get an equal part of the rest, again and again, none past its
/// want. Less room than the least widths: they shrink alike, the key
/// column (the first) keeping the most.
fn share(room: u16, columns: &[(u16, u16)]) -> Vec<u16> {
    let mut widths: Vec<u16> = columns.iter().map(|&(want, min)| want.min(min)).collect();
    let least: u16 = widths.iter().sum();
    if least > room {
        let keep = |w: u16| u16::try_from(u32::from(w) * u32::from(room) / u32::from(least));
        return widths.iter().map(|&w| keep(w).unwrap_or(0).max(1)).collect();
    }
    let mut left = room - least;
    loop {
        let short: Vec<usize> = (0..columns.len()).filter(|&i| widths[i] < columns[i].0).collect();
        if short.is_empty() || left == 0 {
            return widths;
        }
        let count = u16::try_from(short.len()).unwrap_or(u16::MAX);
        // Fewer columns of room than short columns: one each, in order.
        let part = (left / count).max(1);
        for i in short {
            let more = part.min(columns[i].0 - widths[i]).min(left);
            widths[i] += more;
            left -= more;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(cols: &Columns) -> u16 {
        MARK_WIDTH + cols.key + cols.envs.iter().map(|w| w + 1).sum::<u16>()
    }

    #[test]
    fn everything_fits_uncut_and_short_values_leave_room() {
        // Key 20 wide, a short column and a long one: nothing is cut.
        let cols = columns(120, 20, &[4, 60]);
        assert_eq!(cols.fit, 2);
        assert_eq!(cols.key, 21, "the key's width and its column of air");
        assert!(cols.env(0) >= 4 && cols.env(1) >= 60, "{cols:?}");
        assert!(cols.env(1) > cols.env(0), "the long column is the wider");
        assert!(total(&cols) <= 120);
    }

    #[test]
    fn the_longest_content_gets_the_most_when_nothing_fits() {
        let cols = columns(100, 40, &[6, 80, 30]);
        assert_eq!(cols.fit, 3);
        assert_eq!(cols.env(0), 6, "a short column keeps its width");
        assert!(cols.env(1) >= cols.env(2), "{cols:?}");
        assert!(cols.key >= MIN_KEY_WIDTH && cols.env(2) >= MIN_ENV_WIDTH);
        assert_eq!(total(&cols), 100, "the width is used up");
    }

    #[test]
    fn no_column_goes_below_its_minimum_the_rest_scroll() {
        let cols = columns(80, 60, &[50; 8]);
        assert!(cols.fit < 8, "columns scroll");
        assert!(cols.key >= MIN_KEY_WIDTH, "{cols:?}");
        assert!(cols.envs.iter().all(|&w| w >= MIN_ENV_WIDTH), "{cols:?}");
        assert!(total(&cols) <= 80);
        assert_eq!(cols.env_at(cols.env_x(1)), Some(1));
    }
}
