//! `envlens --since REV` in the view (§13): the project as it was at REV,
//! read once when the view loads, and per set the cells whose effective
//! value changed since then, with what they were (masked as the view masks
//! today's cells). Built with the set's model, so a live reload marks the
//! cells against REV again; compared as `diff --since` compares (§4).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::{CellModel, key_row};
use crate::core::diff::{Cell, Rows};
use crate::core::project::{LoadedSet, Project};
use crate::core::since::{Before, same};

/// The project at the revision the view compares with. One load of REV is
/// equal only to itself (a job naming it names that load).
pub struct Past {
    /// The revision as the user gave it (`HEAD~1`, a tag, …).
    pub rev: String,
    pub project: Project,
}

impl std::fmt::Debug for Past {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Past").field("rev", &self.rev).finish_non_exhaustive()
    }
}

impl PartialEq for Past {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Past {}

impl Past {
    pub fn new(rev: String, project: Project) -> Arc<Self> {
        Arc::new(Self { rev, project })
    }
}

/// What a changed cell was at REV.
#[derive(Debug, Clone)]
pub enum Was {
    /// The env had no such key then (or no such file).
    Absent,
    /// Its value then, as the view shows a value: masked when secret.
    Value(CellModel),
}

/// One set's cells changed since REV.
#[derive(Debug, Clone, Default)]
pub struct SinceMarks {
    pub rev: String,
    /// The set did not exist at REV: every cell is new.
    pub new_set: bool,
    /// Per row index, per column shown: what the cell was, when it changed.
    changed: FxHashMap<u32, Box<[Option<Was>]>>,
    /// Keys REV had in an env shown that no env has now.
    pub removed: usize,
}

impl SinceMarks {
    /// What the cell at `row`, `column` was at REV, when it changed since.
    pub fn was(&self, row: u32, column: usize) -> Option<&Was> {
        self.changed.get(&row)?.get(column)?.as_ref()
    }

    /// Keys with at least one cell changed since REV.
    pub fn changed_keys(&self) -> usize {
        self.changed.len()
    }
}

/// The marks of `set` (its columns the envs at `indices`, its rows `rows`)
/// against the set of the same name in `past`. A store's column is left
/// unmarked: REV is read without stores (§13), so it has nothing to be
/// compared with.
pub fn marks(set: &LoadedSet, indices: &[usize], rows: &Rows<'_>, past: &Past) -> SinceMarks {
    let rev = past.rev.clone();
    let Some(old) = past.project.set(&set.name) else {
        return SinceMarks { rev, new_set: true, ..SinceMarks::default() };
    };
    let envs: Vec<&str> = indices.iter().map(|&i| set.envs[i].file.env.as_str()).collect();
    let before = Before::new(Some(old), &envs);
    if before.is_unchanged() {
        return SinceMarks { rev, ..SinceMarks::default() };
    }
    let compared: Vec<bool> = indices.iter().map(|&i| !set.envs[i].is_source()).collect();
    let mut changed = FxHashMap::default();
    for (index, row) in rows.iter().enumerate() {
        let cells: Box<[Option<Was>]> = row
            .cells
            .iter()
            .enumerate()
            .map(|(column, now)| {
                let then = before.cell(row.key, column);
                if !compared[column] || same(now.as_ref(), then.as_ref()) {
                    return None;
                }
                Some(then.map_or(Was::Absent, |cell| was(old, row.key, cell)))
            })
            .collect();
        if cells.iter().any(Option::is_some) {
            changed.insert(u32::try_from(index).unwrap_or(u32::MAX), cells);
        }
    }
    let removed = before.removed(rows).len();
    SinceMarks { rev, new_set: false, changed, removed }
}

/// A cell of the set at REV as the view shows it.
fn was(old: &LoadedSet, key: &str, cell: Cell<'_>) -> Was {
    let status = crate::core::diff::Status::Same;
    let row = key_row(old, key, status, &[Some(cell)]);
    row.cells.into_iter().next().flatten().map_or(Was::Absent, Was::Value)
}
