//! `envlens diff`'s table: a block per set with a key column, a status mark
//! and a column per env. `table_layout` decides the widths; this file only
//! writes the header and the rows in them.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use super::cut;
use super::style::Painter;
use super::table_layout::{GAP, INHERITED, Layout, row_cell_text};
use crate::core::diff::Status;
use crate::core::report::{DiffReport, RowReport, SetReport};

/// Lays out every set of the report in `width` columns, or, without a
/// width, with every column as wide as its content.
pub fn diff(report: &DiffReport, width: Option<usize>, paint: Painter) -> String {
    let mut out = String::new();
    for (i, set) in report.sets.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_set(&mut out, set, width, paint);
    }
    out
}

fn write_set(out: &mut String, set: &SetReport, width: Option<usize>, paint: Painter) {
    let _ = writeln!(out, "{}  {}", paint.bold(&set.name), summary(set, paint));
    if set.rows.is_empty() {
        let note = if set.since.is_some() {
            "no key changed"
        } else if set.counts.same > 0 || set.counts.not_same() > 0 {
            "every key is the same in every env"
        } else {
            "no keys"
        };
        let _ = writeln!(out, "  {}", paint.dim(note));
        return;
    }
    let layout = Layout::new(set, width);
    let mut header = format!("  {}", pad("key", layout.key));
    for (label, &w) in layout.labels.iter().zip(&layout.envs) {
        header.push_str(&" ".repeat(GAP));
        header.push_str(&pad(label, w));
    }
    let _ = writeln!(out, "{}", paint.dim(header.trim_end()));
    for (row, key) in set.rows.iter().zip(&layout.keys) {
        write_row(out, row, key, &layout, paint);
    }
    if set.rows.iter().flat_map(|r| r.cells.iter().flatten()).any(|c| c.inherited) {
        let base = set.base.as_deref().unwrap_or("the base file");
        let _ = writeln!(out, "  {}", paint.dim(&format!("{INHERITED} inherited from {base}")));
    }
}

fn summary(set: &SetReport, paint: Painter) -> String {
    let c = set.counts;
    let mut parts = vec![set.envs.join(" · ")];
    if let Some(since) = set.since {
        let text = if since.new_set {
            format!("new set: {} keys", since.changed)
        } else {
            format!("{} changed", since.changed)
        };
        parts.push(paint.bold(&text));
    }
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

fn write_row(out: &mut String, row: &RowReport, key: &str, layout: &Layout, paint: Painter) {
    let mark = row.status.mark().to_string();
    let mut line = format!("{} {}", paint.status(row.status, &mark, false), pad(key, layout.key));
    let last = row.cells.len().saturating_sub(1);
    for (i, (cell, &w)) in row.cells.iter().zip(&layout.envs).enumerate() {
        line.push_str(&" ".repeat(GAP));
        let text = cut::fit(&row_cell_text(row, i), w);
        let strong = cell.as_ref().is_none_or(|c| c.differs_from_reference);
        let shown = if i == last { text } else { pad(&text, w) };
        line.push_str(&match row.status {
            Status::Same => paint.dim(&shown),
            status if strong => paint.status(status, &shown, true),
            _ => shown,
        });
    }
    let _ = writeln!(out, "{}", line.trim_end());
}

fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    if w >= width { text.to_owned() } else { format!("{text}{}", " ".repeat(width - w)) }
}
