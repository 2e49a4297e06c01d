//! Which rows of the tree are drawn: the filter (fuzzy on the key path, by
//! words on documentation and on values that are not secret),
//! only-differences and folds decide; the cursor stays on the same key, or
//! the nearest row above it, when the rows change, and a new filter puts it
//! on the best match.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use std::borrow::Cow;
use std::ops::Range;

use super::App;
use super::model::{self, SetModel};
use crate::core::diff::Status;
use crate::core::leaf::Value;
use crate::core::project::LoadedSet;
use crate::core::report;

/// Per key of `set`: whether it matches `query` (smart case), and the key
/// that matches best. Fuzzy on its path; by words on its documentation and
/// on the values shown in clear (a masked secret is never searched: a match
/// would tell what it holds), read from `loaded`, the set the rows came
/// from. Fuzzy on prose would match almost any sentence, since a long text
/// holds most letters in most orders. The best key has the highest path
/// score; without a path match, the first key found by its words. A large
/// set is searched on every core, in chunks.
pub fn filter_matches(
    set: &SetModel,
    loaded: Option<&LoadedSet>,
    query: &str,
) -> (Vec<bool>, Option<usize>) {
    let chunk = |range: Range<usize>| search(set, loaded, query, range);
    let parts = if set.keys.len() < PARALLEL_KEYS {
        vec![chunk(0..set.keys.len())]
    } else {
        let chunks: Vec<Range<usize>> = (0..set.keys.len())
            .step_by(PARALLEL_KEYS)
            .map(|start| start..(start + PARALLEL_KEYS).min(set.keys.len()))
            .collect();
        crate::core::parallel::map(&chunks, true, |range| chunk(range.clone()))
    };
    let mut hits = Vec::with_capacity(set.keys.len());
    let mut best: Option<(u32, usize)> = None;
    let mut first_by_words = None;
    for part in parts {
        hits.extend(part.hits);
        if let Some((points, i)) = part.best
            && best.is_none_or(|(b, _)| points > b)
        {
            best = Some((points, i));
        }
        first_by_words = first_by_words.or(part.first_by_words);
    }
    (hits, best.map(|(_, i)| i).or(first_by_words))
}

/// Rows from this many keys on are searched on every core, in chunks.
const PARALLEL_KEYS: usize = 20_000;

/// What the filter found in one range of rows.
struct Found {
    hits: Vec<bool>,
    /// The best path score and its row (the first of equal scores).
    best: Option<(u32, usize)>,
    first_by_words: Option<usize>,
}

fn search(set: &SetModel, loaded: Option<&LoadedSet>, query: &str, rows: Range<usize>) -> Found {
    let on_path = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let on_words =
        Pattern::new(query, CaseMatching::Smart, Normalization::Smart, AtomKind::Substring);
    let mut fuzzy = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut points_of =
        |pattern: &Pattern, text: &str| pattern.score(Utf32Str::new(text, &mut buf), &mut fuzzy);
    let mut found =
        Found { hits: Vec::with_capacity(rows.len()), best: None, first_by_words: None };
    // A string that reads as another type is shown quoted (`"8080"`): a
    // query with a quote or backslash is matched on that form.
    let quoted_query = query.contains(['"', '\\']);
    for i in rows {
        let path = set.keys.key(i).unwrap_or("");
        if let Some(points) = points_of(&on_path, path) {
            if found.best.is_none_or(|(b, _)| points > b) {
                found.best = Some((points, i));
            }
            found.hits.push(true);
            continue;
        }
        let cells = loaded.and_then(|l| Some((l, set.keys.cells(i, l)?)));
        let in_words = cells.is_some_and(|(loaded, cells)| {
            let in_doc = model::doc_text(loaded, path, &cells)
                .is_some_and(|d| points_of(&on_words, &d).is_some());
            in_doc || {
                // A cell in clear shows its value's display text: only a
                // value whose text matches is classified (the costly part)
                // to see that it is not a masked secret.
                let mut rules = None;
                cells.iter().flatten().any(|cell| {
                    let text = match &cell.leaf.value {
                        Value::String(s) if !quoted_query => Cow::Borrowed(s.as_str()),
                        other => Cow::Owned(other.display_text()),
                    };
                    if points_of(&on_words, &text).is_none() {
                        return false;
                    }
                    let rules = *rules.get_or_insert_with(|| loaded.key_rules(path));
                    let shown = report::shown(rules, cell.leaf, false);
                    shown.hidden.is_none() && points_of(&on_words, &shown.text).is_some()
                })
            }
        });
        if in_words && found.first_by_words.is_none() {
            found.first_by_words = Some(i);
        }
        found.hits.push(in_words);
    }
    found
}

/// Tree nodes to draw, in order.
pub fn visible(
    set: &SetModel,
    folded: &[bool],
    matches: Option<&[bool]>,
    only_diffs: bool,
) -> Vec<u32> {
    let tree = &set.tree;
    let key_shown = |key: Option<u32>| {
        key.is_some_and(|k| {
            let k = k as usize;
            matches.is_none_or(|m| m.get(k).copied().unwrap_or(false))
                && (!only_diffs || set.keys.status(k).is_some_and(|s| s != Status::Same))
        })
    };
    let everything = matches.is_none() && !only_diffs;
    // A parent is drawn when something below it is: mark each shown key's
    // ancestors, stopping at the first already marked.
    let mut shown = vec![everything; tree.len()];
    if !everything {
        let mut ancestors: Vec<usize> = Vec::new();
        for (i, node) in tree.iter().enumerate() {
            ancestors.truncate(usize::from(node.depth));
            if key_shown(node.key) {
                shown[i] = true;
                for &a in ancestors.iter().rev() {
                    if shown[a] {
                        break;
                    }
                    shown[a] = true;
                }
            }
            ancestors.push(i);
        }
    }
    let mut out = Vec::with_capacity(tree.len());
    let mut i = 0;
    while let Some(node) = tree.get(i) {
        let next = if shown[i] {
            out.push(u32::try_from(i).unwrap_or(u32::MAX));
            if folded.get(i).copied().unwrap_or(false) && node.is_parent(i) {
                node.end as usize
            } else {
                i + 1
            }
        } else {
            node.end as usize
        };
        i = next.max(i + 1);
    }
    out
}

impl App {
    /// Recomputes the filter of the shown set and the rows drawn.
    pub(super) fn refilter(&mut self) {
        let (matches, best) = match self.current_set() {
            Some(set) if !self.filter.is_empty() => {
                let (matches, best) = filter_matches(set, self.loaded_set(), &self.filter);
                (Some(matches), best)
            }
            _ => (None, None),
        };
        self.matches = matches;
        self.relayout_rows();
        match best.and_then(|key| self.row_of_key(key)) {
            Some(row) => self.set_cursor(row),
            None => self.cursor_to_leaf(),
        }
    }

    /// The drawn row that shows key `key` of the shown set.
    fn row_of_key(&self, key: usize) -> Option<usize> {
        let set = self.current_set()?;
        let key = u32::try_from(key).ok()?;
        self.visible
            .iter()
            .position(|&at| set.tree.get(at as usize).and_then(|n| n.key) == Some(key))
    }

    /// Moves the cursor off a row that only holds other keys: to the first
    /// row below that holds a value (or the last one above, when none).
    pub(super) fn cursor_to_leaf(&mut self) {
        let (Some(set), Some(view)) = (self.current_set(), self.view()) else { return };
        let holds = |row: &usize| {
            self.visible
                .get(*row)
                .and_then(|&at| set.tree.get(at as usize))
                .is_some_and(|n| n.key.is_some())
        };
        if holds(&view.cursor) {
            return;
        }
        let below = (view.cursor..self.visible.len()).find(holds);
        let target = below.or_else(|| (0..view.cursor).rev().find(holds));
        if let Some(row) = target {
            self.set_cursor(row);
        }
    }

    /// Recomputes the rows drawn, keeping the cursor on its node (or the
    /// closest drawn row above it).
    pub(super) fn relayout_rows(&mut self) {
        let focused = self.focused_node().map(|(at, _)| at);
        let Some(set) = self.model.sets.get(self.set) else {
            self.visible.clear();
            return;
        };
        let Some(view) = self.views.get(self.set) else { return };
        let with_findings = self.only_findings.then(|| self.findings_mask()).flatten();
        let matches = match (self.matches.as_deref(), with_findings) {
            (Some(m), Some(f)) => Some(m.iter().zip(&f).map(|(a, b)| *a && *b).collect()),
            (Some(m), None) => Some(m.to_vec()),
            (None, Some(f)) => Some(f),
            (None, None) => None,
        };
        self.visible = visible(set, &view.folded, matches.as_deref(), self.only_diffs);
        let cursor = focused.map_or(0, |at| {
            let at = u32::try_from(at).unwrap_or(u32::MAX);
            match self.visible.binary_search(&at) {
                Ok(i) => i,
                Err(i) => i.saturating_sub(1),
            }
        });
        self.set_cursor(cursor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::project::Project;
    use crate::tui::app::model::{KeyRow, build_set};

    /// The filter as it read the rows built whole, before rows were read on
    /// demand: the reference the chunked, lazy search must equal.
    fn eager(set: &SetModel, loaded: &LoadedSet, query: &str) -> (Vec<bool>, Option<usize>) {
        let on_path = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        let on_words =
            Pattern::new(query, CaseMatching::Smart, Normalization::Smart, AtomKind::Substring);
        let mut fuzzy = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut points_of = |pattern: &Pattern, text: &str| {
            pattern.score(Utf32Str::new(text, &mut buf), &mut fuzzy)
        };
        let rows: Vec<KeyRow> = (0..set.keys.len()).map(|i| set.row(i, loaded).unwrap()).collect();
        let (mut best, mut first, mut hits): (Option<(u32, usize)>, _, _) = (None, None, vec![]);
        for (i, row) in rows.iter().enumerate() {
            if let Some(points) = points_of(&on_path, &row.key) {
                if best.is_none_or(|(b, _)| points > b) {
                    best = Some((points, i));
                }
                hits.push(true);
                continue;
            }
            let in_doc = row.doc.as_deref().is_some_and(|d| points_of(&on_words, d).is_some());
            let in_value = row
                .cells
                .iter()
                .flatten()
                .any(|c| c.secret.is_none() && points_of(&on_words, &c.text).is_some());
            if (in_doc || in_value) && first.is_none() {
                first = Some(i);
            }
            hits.push(in_doc || in_value);
        }
        (hits, best.map(|(_, i)| i).or(first))
    }

    #[test]
    fn the_filter_in_chunks_equals_the_filter_over_whole_rows() {
        use std::fmt::Write as _;
        let dir = tempfile::tempdir().unwrap();
        for (env, shift) in [("dev", 0), ("prod", 3)] {
            let mut text = String::new();
            for i in 0..(PARALLEL_KEYS * 2 + 77) {
                if i % 40 == 0 {
                    let _ = writeln!(text, "group{}:", i / 40);
                }
                let value = match (i + shift) % 6 {
                    0 => format!("host-{i}.example.com"),
                    1 => "\"8080\"".to_owned(),
                    2 => format!("{}", i % 97),
                    3 => "on".to_owned(),
                    _ => format!("word{}", i % 13),
                };
                let _ = writeln!(text, "  # about entry {i}\n  entry_{i}: {value}");
                if i % 500 == 0 {
                    let _ = writeln!(text, "  password_{i}: word7-secret");
                }
            }
            std::fs::write(dir.path().join(format!("config_{env}.yaml")), text).unwrap();
        }
        let options = crate::core::discover::DiscoverOptions::default();
        let project = Project::load(dir.path(), &options);
        let loaded = &project.sets[0];
        let set = build_set(loaded, &[], None, None);
        assert!(set.keys.len() > PARALLEL_KEYS * 2, "searched in several chunks");
        for query in
            ["entry_12", "word7", "8080", "\"8080\"", "about entry 99", "ON", "example", "zzz"]
        {
            let lazy = filter_matches(&set, Some(loaded), query);
            assert_eq!(lazy, eager(&set, loaded, query), "{query}");
        }
    }
}
