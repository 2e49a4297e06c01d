//! The filter's search: which keys of a set match a query, and the best
//! one. Pure and shareable, so a large set is searched on a worker while
//! the view goes on reading keys (`Effect::Filter`), and a query that only
//! grows is searched among the keys the shorter one found.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use std::borrow::Cow;
use std::ops::Range;

use super::model::{self, KeyRows};
use crate::core::leaf::Value;
use crate::core::project::LoadedSet;
use crate::core::report;

/// What a search found: per key whether it matches, and the key that
/// matches best.
pub type Found = (Vec<bool>, Option<usize>);

/// Per key of `keys`: whether it matches `query` (smart case), and the key
/// that matches best. Fuzzy on its path; by words on its documentation and
/// on the values shown in clear (a masked secret is never searched: a match
/// would tell what it holds), read from `loaded`, the set the rows came
/// from. Fuzzy on prose would match almost any sentence, since a long text
/// holds most letters in most orders. The best key has the highest path
/// score; without a path match, the first key found by its words. A large
/// set is searched on every core, in chunks.
pub fn filter_matches(keys: &KeyRows, loaded: Option<&LoadedSet>, query: &str) -> Found {
    search_within(keys, loaded, query, None, &|| false).unwrap_or_default()
}

/// `filter_matches` among the keys `within` marks (the others do not
/// match; `narrows` tells when that holds), giving up (None) as soon as
/// `cancelled` says the answer is no longer wanted: it is asked between
/// chunks of keys.
pub fn search_within(
    keys: &KeyRows,
    loaded: Option<&LoadedSet>,
    query: &str,
    within: Option<&[bool]>,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Found> {
    let chunk = |range: Range<usize>| -> Option<Chunk> {
        let mut found = Chunk::with_capacity(range.len());
        let mut searcher = Searcher::new(query);
        let mut start = range.start;
        while start < range.end {
            if cancelled() {
                return None;
            }
            let end = (start + CANCEL_KEYS).min(range.end);
            searcher.search(keys, loaded, within, start..end, &mut found);
            start = end;
        }
        Some(found)
    };
    let parts: Vec<Option<Chunk>> = if keys.len() < PARALLEL_KEYS {
        vec![chunk(0..keys.len())]
    } else {
        let chunks: Vec<Range<usize>> = (0..keys.len())
            .step_by(PARALLEL_KEYS)
            .map(|start| start..(start + PARALLEL_KEYS).min(keys.len()))
            .collect();
        crate::core::parallel::map(&chunks, true, |range| chunk(range.clone()))
    };
    let mut hits = Vec::with_capacity(keys.len());
    let mut best: Option<(u32, usize)> = None;
    let mut first_by_words = None;
    for part in parts {
        let part = part?;
        hits.extend(part.hits);
        if let Some((points, i)) = part.best
            && best.is_none_or(|(b, _)| points > b)
        {
            best = Some((points, i));
        }
        first_by_words = first_by_words.or(part.first_by_words);
    }
    Some((hits, best.map(|(_, i)| i).or(first_by_words)))
}

/// Whether every key that does not match `old` cannot match `new` either,
/// so `new` need only be searched among `old`'s matches: `new` is `old`
/// with more typed after it, and neither holds a character that can make
/// a longer query match more (`!` negates, `^`, `$` and `'` anchor or
/// make a word exact, and a quote or backslash changes which text of a
/// value is searched). Fuzzy and word matching only narrow as a query
/// grows, and smart case only turns stricter.
pub fn narrows(old: &str, new: &str) -> bool {
    !old.is_empty()
        && new.len() > old.len()
        && new.starts_with(old)
        && !new.contains(['!', '^', '$', '\'', '"', '\\'])
}

/// Rows from this many keys on are searched on every core, in chunks.
pub const PARALLEL_KEYS: usize = 20_000;

/// How many keys are searched between two looks at whether the search is
/// still wanted.
const CANCEL_KEYS: usize = 4_096;

/// What the search found in one range of rows.
struct Chunk {
    hits: Vec<bool>,
    /// The best path score and its row (the first of equal scores).
    best: Option<(u32, usize)>,
    first_by_words: Option<usize>,
}

impl Chunk {
    fn with_capacity(rows: usize) -> Self {
        Self { hits: Vec::with_capacity(rows), best: None, first_by_words: None }
    }
}

/// The query compiled for matching, and the matcher's buffers, kept for
/// every row of a chunk.
struct Searcher {
    on_path: Pattern,
    on_words: Pattern,
    fuzzy: Matcher,
    buf: Vec<char>,
    /// A string that reads as another type is shown quoted (`"8080"`): a
    /// query with a quote or backslash is matched on that form.
    quoted_query: bool,
}

impl Searcher {
    fn new(query: &str) -> Self {
        Self {
            on_path: Pattern::parse(query, CaseMatching::Smart, Normalization::Smart),
            on_words: Pattern::new(
                query,
                CaseMatching::Smart,
                Normalization::Smart,
                AtomKind::Substring,
            ),
            fuzzy: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
            quoted_query: query.contains(['"', '\\']),
        }
    }

    fn points(
        fuzzy: &mut Matcher,
        buf: &mut Vec<char>,
        pattern: &Pattern,
        text: &str,
    ) -> Option<u32> {
        pattern.score(Utf32Str::new(text, buf), fuzzy)
    }

    fn search(
        &mut self,
        keys: &KeyRows,
        loaded: Option<&LoadedSet>,
        within: Option<&[bool]>,
        rows: Range<usize>,
        found: &mut Chunk,
    ) {
        let Self { on_path, on_words, fuzzy, buf, quoted_query } = self;
        let mut points_of = |pattern: &Pattern, text: &str| Self::points(fuzzy, buf, pattern, text);
        for i in rows {
            if within.is_some_and(|w| !w.get(i).copied().unwrap_or(false)) {
                found.hits.push(false);
                continue;
            }
            let path = keys.key(i).unwrap_or("");
            if let Some(points) = points_of(on_path, path) {
                if found.best.is_none_or(|(b, _)| points > b) {
                    found.best = Some((points, i));
                }
                found.hits.push(true);
                continue;
            }
            let cells = loaded.and_then(|l| Some((l, keys.cells(i, l)?)));
            let in_words = cells.is_some_and(|(loaded, cells)| {
                let in_doc = model::doc_text(loaded, path, &cells)
                    .is_some_and(|d| points_of(on_words, &d).is_some());
                in_doc || {
                    // A cell in clear shows its value's display text: only
                    // a value whose text matches is classified (the costly
                    // part) to see that it is not a masked secret.
                    let mut rules = None;
                    cells.iter().flatten().any(|cell| {
                        let text = match &cell.leaf.value {
                            Value::String(s) if !*quoted_query => Cow::Borrowed(s.as_str()),
                            other => Cow::Owned(other.display_text()),
                        };
                        if points_of(on_words, &text).is_none() {
                            return false;
                        }
                        let rules = *rules.get_or_insert_with(|| loaded.key_rules(path));
                        let shown = report::shown(rules, cell.leaf, false);
                        shown.hidden.is_none() && points_of(on_words, &shown.text).is_some()
                    })
                }
            });
            if in_words && found.first_by_words.is_none() {
                found.first_by_words = Some(i);
            }
            found.hits.push(in_words);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::project::Project;
    use crate::tui::app::model::{KeyRow, SetModel, build_set};

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
            let lazy = filter_matches(&set.keys, Some(loaded), query);
            assert_eq!(lazy, eager(&set, loaded, query), "{query}");
        }
        // A query that grows is searched among the shorter one's matches
        // and finds what a search of every key finds.
        for (old, new) in [
            ("e", "en"),
            ("en", "entry_12"),
            ("w", "word7"),
            ("ab", "about entry 9"),
            ("8", "808"),
            ("ex", "exa"),
            ("O", "ON"),
            ("z", "zz"),
        ] {
            assert!(narrows(old, new), "{old} -> {new}");
            let (within, _) = filter_matches(&set.keys, Some(loaded), old);
            let narrowed = search_within(&set.keys, Some(loaded), new, Some(&within), &|| false);
            assert_eq!(narrowed, Some(filter_matches(&set.keys, Some(loaded), new)), "{new}");
        }
        // Keys outside `within` are not searched at all.
        let none = vec![false; set.keys.len()];
        let (hits, best) =
            search_within(&set.keys, Some(loaded), "entry", Some(&none), &|| false).unwrap();
        assert!(hits.iter().all(|&m| !m) && best.is_none());
        // A search no longer wanted gives up.
        assert_eq!(search_within(&set.keys, Some(loaded), "entry", None, &|| true), None);
    }

    #[test]
    fn only_a_query_that_grows_without_operators_narrows() {
        assert!(narrows("db", "db.h"));
        assert!(narrows("db", "db host"));
        for (old, new) in [
            ("", "a"),
            ("db", "db"),
            ("db", "d"),
            ("db", "dx.b"),
            ("db", "db !host"),
            ("db", "db$"),
            ("db", "db ^x"),
            ("db", "db 'x"),
            ("80", "80\""),
            ("80", "80\\"),
        ] {
            assert!(!narrows(old, new), "{old:?} -> {new:?}");
        }
    }
}
