//! `envlens diff`'s table: a block per set with a key column, a status mark
//! and a column per env, fitted to the terminal width with `…`.

use std::fmt::Write as _;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::style::Painter;
use crate::core::diff::Status;
use crate::core::report::{CellReport, DiffReport, RowReport, SetReport};

const MISSING: &str = "—";
const INHERITED: &str = "↑";
const MIN_ENV_WIDTH: usize = 8;
const GAP: usize = 2;

/// Lays out every set of the report in `width` columns.
pub fn diff(report: &DiffReport, width: usize, paint: Painter) -> String {
    let mut out = String::new();
    for (i, set) in report.sets.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_set(&mut out, set, width, paint);
    }
    out
}

fn write_set(out: &mut String, set: &SetReport, width: usize, paint: Painter) {
    let _ = writeln!(out, "{}  {}", paint.bold(&set.name), summary(set, paint));
    if set.rows.is_empty() {
        let note = if set.counts.same > 0 || set.counts.not_same() > 0 {
            "every key is the same in every env"
        } else {
            "no keys"
        };
        let _ = writeln!(out, "  {}", paint.dim(note));
        return;
    }
    let layout = Layout::new(set, width);
    let header_envs: Vec<String> = set
        .envs
        .iter()
        .map(|env| {
            let broken = set.errors.iter().any(|e| e.env.as_deref() == Some(env.as_str()));
            if broken { format!("{env} (error)") } else { env.clone() }
        })
        .collect();
    let mut header = format!("  {}", pad("key", layout.key));
    for env in &header_envs {
        header.push_str(&" ".repeat(GAP));
        header.push_str(&pad(env, layout.env));
    }
    let _ = writeln!(out, "{}", paint.dim(header.trim_end()));
    for row in &set.rows {
        write_row(out, row, &layout, paint);
    }
    if set.rows.iter().flat_map(|r| r.cells.iter().flatten()).any(|c| c.inherited) {
        let base = set.base.as_deref().unwrap_or("the base file");
        let _ = writeln!(out, "  {}", paint.dim(&format!("{INHERITED} inherited from {base}")));
    }
}

fn summary(set: &SetReport, paint: Painter) -> String {
    let c = set.counts;
    let mut parts = vec![set.envs.join(" · ")];
    for (n, word, status) in [
        (c.differs, "differ", Status::Differs),
        (c.missing, "missing", Status::Missing),
        (c.type_changed, "type changed", Status::TypeChanged),
    ] {
        if n > 0 {
            parts.push(paint.status(status, &format!("{n} {word}"), false));
        }
    }
    parts.push(paint.dim(&format!("{} same", c.same)));
    if !set.errors.is_empty() {
        let n = set.errors.len();
        parts.push(paint.error(&format!("{n} error{}", if n == 1 { "" } else { "s" })));
    }
    parts.join(" · ")
}

fn write_row(out: &mut String, row: &RowReport, layout: &Layout, paint: Painter) {
    let mark = row.status.mark().to_string();
    let mut line = format!(
        "{} {}",
        paint.status(row.status, &mark, false),
        pad(&fit(&row.key, layout.key), layout.key)
    );
    let last = row.cells.len().saturating_sub(1);
    for (i, cell) in row.cells.iter().enumerate() {
        line.push_str(&" ".repeat(GAP));
        let (text, strong) = cell_text(cell.as_ref(), layout.env);
        let shown = if i == last { text.clone() } else { pad(&text, layout.env) };
        line.push_str(&match row.status {
            Status::Same => paint.dim(&shown),
            status if strong => paint.status(status, &shown, true),
            _ => shown,
        });
    }
    let _ = writeln!(out, "{}", line.trim_end());
}

/// The cell's text cut to `width`, and whether it stands out.
fn cell_text(cell: Option<&CellReport>, width: usize) -> (String, bool) {
    match cell {
        None => (MISSING.to_owned(), true),
        Some(c) => {
            let text = if c.inherited { format!("{INHERITED}{}", c.text) } else { c.text.clone() };
            (fit(&text, width), c.differs_from_reference)
        }
    }
}

/// Column widths for one set.
struct Layout {
    key: usize,
    env: usize,
}

impl Layout {
    fn new(set: &SetReport, width: usize) -> Self {
        let envs = set.envs.len().max(1);
        let longest_key = set.rows.iter().map(|r| r.key.width()).max().unwrap_or(3).max(3);
        let longest_value = set
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().flatten())
            .map(|c| c.text.width() + usize::from(c.inherited))
            .chain(set.envs.iter().map(|e| e.width() + 8))
            .max()
            .unwrap_or(MIN_ENV_WIDTH);
        // Two columns for the mark, then the key, then the envs.
        let room = width.saturating_sub(2);
        let key = longest_key.min((room * 2 / 5).max(16));
        let env_room = room.saturating_sub(key) / envs;
        let env = longest_value.min(env_room.saturating_sub(GAP)).max(MIN_ENV_WIDTH);
        Self { key, env }
    }
}

/// Cuts text to `width` display columns, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    if w >= width { text.to_owned() } else { format!("{text}{}", " ".repeat(width - w)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_by_display_width() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("abcdefghij", 5), "abcd…");
        assert_eq!(fit("日本語テキスト", 6), "日本…");
    }
}
