//! Column widths of `envlens diff`'s table. Without a width (a pipe) every
//! column is as wide as its content, so nothing is cut. With one (a
//! terminal, `--width N`) the columns share it: the key column first takes
//! up to two fifths, each env column then gets what it needs or a fair
//! share, and what the envs leave goes back to the keys. Cut keys never
//! read the same: the key column widens until they differ.

use std::collections::HashSet;

use unicode_width::UnicodeWidthStr;

use super::cut;
use crate::core::report::{CellReport, RowReport, SetReport};

pub const MISSING: &str = "—";
pub const INHERITED: &str = "↑";
/// Between a value at REV and today's (`--since`).
pub const CHANGED: &str = "→";
pub const GAP: usize = 2;
const MIN_ENV_WIDTH: usize = 8;
const MIN_KEY_WIDTH: usize = 16;

/// Widths and the keys as they will be printed, for one set.
#[derive(Debug)]
pub struct Layout {
    pub key: usize,
    pub envs: Vec<usize>,
    pub keys: Vec<String>,
    pub labels: Vec<String>,
}

/// A cell as printed before any cut: `↑` for an inherited value, `—` for
/// a missing one.
pub fn cell_text(cell: Option<&CellReport>) -> String {
    match cell {
        None => MISSING.to_owned(),
        Some(c) if c.inherited => format!("{INHERITED}{}", c.text),
        Some(c) => c.text.clone(),
    }
}

/// The cell at `i` of a row as printed: with `--since`, `old → new` where
/// the value changed since REV.
pub fn row_cell_text(row: &RowReport, i: usize) -> String {
    let now = row.cells.get(i).and_then(Option::as_ref);
    match &row.before {
        Some(before) if row.changed_at(i) => {
            let then = before.get(i).and_then(Option::as_ref);
            format!("{} {CHANGED} {}", cell_text(then), cell_text(now))
        }
        _ => cell_text(now),
    }
}

/// The width of `cell_text`, without building it (a large set has many).
fn cell_width(cell: Option<&CellReport>) -> usize {
    match cell {
        None => MISSING.width(),
        Some(c) => c.text.width() + if c.inherited { INHERITED.width() } else { 0 },
    }
}

impl Layout {
    pub fn new(set: &SetReport, width: Option<usize>) -> Self {
        let labels = labels(set);
        let key_natural = set.rows.iter().map(|r| r.key.width()).max().unwrap_or(0).max(3);
        let natural: Vec<usize> = (0..set.envs.len())
            .map(|i| {
                let cells = set.rows.iter().map(|r| {
                    if r.before.is_some() {
                        row_cell_text(r, i).width()
                    } else {
                        cell_width(r.cells.get(i).and_then(Option::as_ref))
                    }
                });
                cells.chain(std::iter::once(labels[i].width())).max().unwrap_or(0)
            })
            .collect();
        let keys: Vec<String> = set.rows.iter().map(|r| r.key.clone()).collect();
        let Some(width) = width else {
            return Self { key: key_natural, envs: natural, keys, labels };
        };
        // Two columns for the status mark and its space, a gap per env.
        let room = width.saturating_sub(2 + GAP * natural.len());
        if key_natural + natural.iter().sum::<usize>() <= room {
            return Self { key: key_natural, envs: natural, keys, labels };
        }
        let mut key = key_natural.min((room * 2 / 5).max(MIN_KEY_WIDTH));
        let envs = share(&natural, room.saturating_sub(key));
        key = key_natural.min(room.saturating_sub(envs.iter().sum::<usize>()).max(key));
        let (_, keys) = distinct_keys(&keys, key, key_natural);
        // Cut keys may come out shorter than the column given to them.
        let key = keys.iter().map(|k| k.width()).max().unwrap_or(0).max(3);
        let envs = share(&natural, room.saturating_sub(key));
        let labels = labels.iter().zip(&envs).map(|(l, &w)| cut::fit(l, w)).collect();
        Self { key, envs, keys, labels }
    }
}

/// Env names for the header, `(error)` after one whose file did not load.
fn labels(set: &SetReport) -> Vec<String> {
    set.envs
        .iter()
        .map(|env| {
            let broken = set.errors.iter().any(|e| e.env.as_deref() == Some(env.as_str()));
            if broken { format!("{env} (error)") } else { env.clone() }
        })
        .collect()
}

/// Water-filling: the narrowest columns get what they need, the others an
/// equal share of what is left (never under `MIN_ENV_WIDTH` unless they
/// need less).
fn share(natural: &[usize], room: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..natural.len()).collect();
    order.sort_by_key(|&i| natural[i]);
    let mut widths = vec![0; natural.len()];
    let mut remaining = room;
    for (done, &i) in order.iter().enumerate() {
        let fair = remaining / (natural.len() - done);
        widths[i] = natural[i].min(fair.max(MIN_ENV_WIDTH));
        remaining = remaining.saturating_sub(widths[i]);
    }
    widths
}

/// The keys cut to `width`, widened column by column until no two of them
/// print the same (at `natural` none is cut).
fn distinct_keys(keys: &[String], width: usize, natural: usize) -> (usize, Vec<String>) {
    for w in width..natural {
        let shown: Vec<String> = keys.iter().map(|k| cut::key(k, w)).collect();
        let mut seen = HashSet::with_capacity(shown.len());
        if shown.iter().all(|k| seen.insert(k.as_str())) {
            return (w, shown);
        }
    }
    (natural, keys.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_gives_narrow_columns_what_they_need() {
        assert_eq!(share(&[5, 40, 40], 45), vec![5, 20, 20]);
        assert_eq!(share(&[5, 6], 100), vec![5, 6]);
        assert_eq!(share(&[30, 30], 10), vec![8, 8], "never under the minimum");
    }

    #[test]
    fn keys_widen_until_they_differ() {
        let keys = vec!["app.srv.one.x.port".to_owned(), "app.srv.two.x.port".to_owned()];
        // At 10 both would read `app…x.port`.
        assert_eq!(cut::key(&keys[0], 10), cut::key(&keys[1], 10));
        let (width, shown) = distinct_keys(&keys, 10, 18);
        assert_eq!((width, shown), (14, vec!["app…one.x.port".into(), "app…two.x.port".into()]));
        // Keys that differ only in their second segment are never cut.
        let keys = vec!["a.one.x.port".to_owned(), "a.two.x.port".to_owned()];
        assert_eq!(distinct_keys(&keys, 6, 12), (12, keys.clone()));
    }
}
