//! Cells that another program changed on disk (§9, live reload): marked
//! for a few seconds so the eye finds them, and remembered for the session
//! ("changed since you opened"). Kept by set, key path and env name.

use std::time::Instant;

use rustc_hash::FxHashMap;

use super::model::SetModel;

/// The marks of one set, by key path, then env name.
#[derive(Debug, Clone, Default)]
struct SetMarks {
    /// When each recent mark ends.
    recent: FxHashMap<String, Vec<(String, Instant)>>,
    since_open: FxHashMap<String, Vec<String>>,
}

/// The marks of every set, by set name. Names, not indices: a full reload
/// (`r`, or the one after a save) builds every model again and the marks
/// still point at the right cells.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    by_set: FxHashMap<String, SetMarks>,
    /// The earliest end of a recent mark (or earlier: waking early finds
    /// nothing to clear), so the deadline does not walk every mark.
    next: Option<Instant>,
}

impl Marks {
    /// The cell changed on disk a moment ago.
    pub fn is_recent(&self, set: &str, key: &str, env: &str) -> bool {
        let envs = self.by_set.get(set).and_then(|m| m.recent.get(key));
        envs.is_some_and(|envs| envs.iter().any(|(e, _)| e == env))
    }

    /// The cell changed on disk since the view opened.
    pub fn changed_since_open(&self, set: &str, key: &str, env: &str) -> bool {
        let envs = self.by_set.get(set).and_then(|m| m.since_open.get(key));
        envs.is_some_and(|envs| envs.iter().any(|e| e == env))
    }

    /// Recent marks, over every set.
    pub fn recent_count(&self) -> usize {
        self.by_set.values().flat_map(|m| m.recent.values()).map(Vec::len).sum()
    }

    /// When the next recent mark ends.
    pub fn deadline(&self) -> Option<Instant> {
        self.next
    }

    /// Drops the recent marks that ended by `now`.
    pub fn expire(&mut self, now: Instant) {
        if self.next.is_none_or(|next| next > now) {
            return;
        }
        for marks in self.by_set.values_mut() {
            marks.recent.retain(|_, envs| {
                envs.retain(|(_, until)| *until > now);
                !envs.is_empty()
            });
        }
        self.by_set.retain(|_, m| !m.recent.is_empty() || !m.since_open.is_empty());
        let ends = self.by_set.values().flat_map(|m| m.recent.values().flatten());
        self.next = ends.map(|(_, until)| *until).min();
    }

    /// Set `new` replaces `old` (None: the set is new) after another
    /// program changed its files: every cell whose value differs is marked
    /// until `until`.
    pub fn changed(&mut self, old: Option<&SetModel>, new: &SetModel, until: Instant) {
        let cells = changed_cells(old, new);
        if cells.is_empty() {
            return;
        }
        let marks = self.by_set.entry(new.name.clone()).or_default();
        for (key, env) in cells {
            let recent = marks.recent.entry(key.to_owned()).or_default();
            recent.retain(|(e, _)| e != env);
            recent.push((env.to_owned(), until));
            let since = marks.since_open.entry(key.to_owned()).or_default();
            if !since.iter().any(|e| e == env) {
                since.push(env.to_owned());
            }
        }
        self.next = Some(self.next.map_or(until, |next| next.min(until)));
    }

    /// A set that went: its marks go with it.
    pub fn removed(&mut self, set: &str) {
        self.by_set.remove(set);
    }
}

/// The cells of `new` whose value is not the one `old` showed: changed,
/// added or removed (a removed value leaves a `—` that is marked). Told by
/// the values' fingerprints: the old leaves may be gone by now.
fn changed_cells<'a>(old: Option<&SetModel>, new: &'a SetModel) -> Vec<(&'a str, &'a str)> {
    let old_keys: FxHashMap<&str, usize> = old
        .map(|o| o.keys.paths().enumerate().map(|(i, path)| (path, i)).collect())
        .unwrap_or_default();
    // Column of `new` → column of `old`, by env name.
    let back: Vec<Option<usize>> = new
        .envs
        .iter()
        .map(|e| old.and_then(|o| o.envs.iter().position(|c| c.name == e.name)))
        .collect();
    let mut out = Vec::new();
    for (row, path) in new.keys.paths().enumerate() {
        let old_row = old.zip(old_keys.get(path));
        for ((column, was), env) in back.iter().enumerate().zip(&new.envs) {
            let print = new.keys.print(row, column);
            let differs = match (old_row, was) {
                (Some((old, &old_row)), Some(was)) => old.keys.print(old_row, *was) != print,
                _ => print.is_some(),
            };
            if differs {
                out.push((path, env.name.as_str()));
            }
        }
    }
    out
}
