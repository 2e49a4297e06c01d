//! What changed since a revision (`--since REV`, §13): a set's effective
//! cells at REV, looked up by key and env name beside today's rows, and
//! whether a key's effective value changed in at least one env shown.
//! Values compare as §4 compares them (encrypted cells by presence).

use std::collections::HashMap;

use super::diff::{Cell, Row, Rows};
use super::project::LoadedSet;

/// One set's cells at the earlier revision, for the envs shown now.
#[derive(Debug)]
pub struct Before<'a> {
    /// The set at REV, when it had one of that name.
    pub set: Option<&'a LoadedSet>,
    rows: Option<Rows<'a>>,
    by_key: HashMap<&'a str, usize>,
    /// Per env shown now (in its order): its column in `rows`, or None
    /// when REV had no such env.
    columns: Vec<Option<usize>>,
}

impl<'a> Before<'a> {
    /// `old` is the set of the same name at REV; `envs` the env names shown now.
    pub fn new(old: Option<&'a LoadedSet>, envs: &[&str]) -> Self {
        let Some(old) = old else {
            return Self {
                set: None,
                rows: None,
                by_key: HashMap::new(),
                columns: vec![None; envs.len()],
            };
        };
        let old_envs = old.env_names();
        let mut indices = Vec::new();
        let columns = envs
            .iter()
            .map(|env| {
                let at = old_envs.iter().position(|e| e == env)?;
                indices.push(at);
                Some(indices.len() - 1)
            })
            .collect();
        let rows = old.rows(&indices);
        let by_key = rows.iter().enumerate().map(|(i, row)| (row.key, i)).collect();
        Self { set: Some(old), rows: Some(rows), by_key, columns }
    }

    /// The cell of `key` in the env shown at `column`, at REV.
    pub fn cell(&self, key: &str, column: usize) -> Option<Cell<'a>> {
        let rows = self.rows.as_ref()?;
        let at = (*self.columns.get(column)?)?;
        let row = rows.get(*self.by_key.get(key)?)?;
        row.cells.get(at).copied().flatten()
    }

    /// Whether `row`'s effective value changed since REV in an env shown.
    pub fn changed(&self, row: &Row<'_>) -> bool {
        row.cells.iter().enumerate().any(|(column, now)| {
            let then = self.cell(row.key, column);
            !same(now.as_ref(), then.as_ref())
        })
    }

    /// Keys REV had in an env shown that no env shown has now, in REV's
    /// key order: they changed too (to absent).
    pub fn removed<'k>(&self, now: &'k Rows<'_>) -> Vec<&'a str> {
        let Some(rows) = &self.rows else { return Vec::new() };
        let present: std::collections::HashSet<&str> = now.iter().map(|r| r.key).collect();
        rows.iter()
            .filter(|row| !present.contains(row.key))
            .filter(|row| {
                self.columns
                    .iter()
                    .flatten()
                    .any(|&at| row.cells.get(at).is_some_and(Option::is_some))
            })
            .map(|row| row.key)
            .collect()
    }
}

/// Two cells hold one effective value: both absent, or equal as §4 says.
pub fn same(now: Option<&Cell<'_>>, then: Option<&Cell<'_>>) -> bool {
    match (now, then) {
        (None, None) => true,
        (Some(a), Some(b)) => a.leaf.value.same_as(&b.leaf.value),
        _ => false,
    }
}
