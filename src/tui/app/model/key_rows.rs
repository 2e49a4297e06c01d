//! The rows of a set as the view keeps them: per key its id, status and,
//! per env shown, where its leaf is and a fingerprint of its value — about
//! a dozen bytes a key. A row's cells (display text, masked) are built
//! when it is drawn or read, from the loaded set the rows came from: a
//! huge file costs no text per key until its row is on screen.

use std::hash::{Hash as _, Hasher as _};
use std::sync::Arc;

use smallvec::SmallVec;

use super::widths::{RowRules, cell_width, width_at_most};
use crate::core::diff::{Cell, Cells, Rows, Status};
use crate::core::keys::{KeyId, KeyTable};
use crate::core::leaf::{Leaf, Value};
use crate::core::project::{LoadedFile, LoadedSet};

/// No leaf: the key is missing in this env.
const NONE: u32 = u32::MAX;
/// In `CellColumn::from`: the value is inherited (from another layer than
/// the env's own files); the other bits are the file (`file_slot`).
const INHERITED: u8 = 1 << 7;

/// Rows from this many keys on are indexed on every core, in chunks.
pub(super) const PARALLEL_KEYS: usize = 50_000;

/// One env column of the rows.
#[derive(Debug, Clone, Default)]
struct CellColumn {
    /// The env's index in the loaded set's `envs`.
    env: usize,
    /// Per row: the leaf's index in its file's leaves; `NONE` where the
    /// key is missing.
    at: Vec<u32>,
    /// Per row: which file holds the leaf (`file_slot`), with `INHERITED`.
    from: Vec<u8>,
    /// Per row: a fingerprint of the value, so the marks of a live reload
    /// can tell changed cells after the old leaves are gone.
    prints: Vec<u32>,
    /// The widest cell of the column as the table draws it (`widths`).
    widest: u16,
}

/// The rows of one set over the envs shown, in the diff's order.
#[derive(Debug, Clone, Default)]
pub struct KeyRows {
    /// The set's key paths (shared with the loaded set; a reload copies the
    /// table before changing it, so these paths stay the rows' own).
    paths: Arc<KeyTable>,
    ids: Vec<KeyId>,
    statuses: Vec<Status>,
    columns: Vec<CellColumn>,
    /// The rows are in the diff's merged-tree order (§4): the keys under
    /// each parent are together, so the tree is built without looking a
    /// parent up.
    tree_order: bool,
}

impl KeyRows {
    /// Indexes `rows` of `set`, whose columns are the envs at `indices`.
    pub fn new(set: &LoadedSet, indices: &[usize], rows: &Rows<'_>) -> Self {
        let empty = || Self {
            paths: Arc::clone(&set.keys),
            ids: Vec::new(),
            statuses: Vec::new(),
            columns: indices
                .iter()
                .map(|&env| CellColumn { env, ..CellColumn::default() })
                .collect(),
            tree_order: true,
        };
        let index = |range: std::ops::Range<usize>| {
            let mut part = empty();
            part.reserve(range.len());
            for row in range.filter_map(|i| rows.get(i)) {
                part.push(set, row.id, row.status, &row.cells);
            }
            part
        };
        if rows.len() < PARALLEL_KEYS {
            return index(0..rows.len());
        }
        let chunks: Vec<std::ops::Range<usize>> = (0..rows.len())
            .step_by(PARALLEL_KEYS)
            .map(|start| start..(start + PARALLEL_KEYS).min(rows.len()))
            .collect();
        let parts = crate::core::parallel::map(&chunks, true, |range| index(range.clone()));
        let mut all = empty();
        all.reserve(rows.len());
        for part in parts {
            all.ids.extend(part.ids);
            all.statuses.extend(part.statuses);
            for (column, from) in all.columns.iter_mut().zip(part.columns) {
                column.at.extend(from.at);
                column.from.extend(from.from);
                column.prints.extend(from.prints);
                column.widest = column.widest.max(from.widest);
            }
        }
        all
    }

    fn reserve(&mut self, rows: usize) {
        self.ids.reserve_exact(rows);
        self.statuses.reserve_exact(rows);
        for column in &mut self.columns {
            column.at.reserve_exact(rows);
            column.from.reserve_exact(rows);
            column.prints.reserve_exact(rows);
        }
    }

    fn push(&mut self, set: &LoadedSet, id: KeyId, status: Status, cells: &[Option<Cell<'_>>]) {
        self.ids.push(id);
        self.statuses.push(status);
        let mut rules = RowRules::new(set, set.keys.path(id));
        for (column, cell) in self.columns.iter_mut().zip(cells) {
            let ((at, from), print) = cell.map_or(((NONE, 0), 0), |cell| {
                if width_at_most(cell.leaf, cell.inherited).is_none_or(|most| most > column.widest)
                {
                    let width = cell_width(cell.leaf, cell.inherited, &mut rules);
                    column.widest = column.widest.max(width);
                }
                (locate(set, column.env, &cell), fingerprint(cell.leaf, cell.inherited))
            });
            column.at.push(at);
            column.from.push(from);
            column.prints.push(print);
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the rows are in merged-tree order (see `tree_order`).
    pub fn in_tree_order(&self) -> bool {
        self.tree_order
    }

    /// Takes each key's status from `statuses` (by key id) where it has
    /// one: `--resolve`'s statuses over the same rows.
    pub fn follow(&mut self, statuses: &rustc_hash::FxHashMap<KeyId, Status>) {
        for (id, status) in self.ids.iter().zip(&mut self.statuses) {
            if let Some(&new) = statuses.get(id) {
                *status = new;
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The key path of row `row`.
    pub fn key(&self, row: usize) -> Option<&str> {
        self.ids.get(row).map(|&id| self.paths.path(id))
    }

    /// The key id of row `row` in the loaded set's key table.
    pub fn id(&self, row: usize) -> Option<KeyId> {
        self.ids.get(row).copied()
    }

    pub fn status(&self, row: usize) -> Option<Status> {
        self.statuses.get(row).copied()
    }

    pub fn statuses(&self) -> &[Status] {
        &self.statuses
    }

    /// Every row's key path, in order.
    pub fn paths(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.ids.iter().map(|&id| self.paths.path(id))
    }

    /// The row of key `path` (a scan: for one-off lookups).
    pub fn position(&self, path: &str) -> Option<usize> {
        self.paths().position(|p| p == path)
    }

    /// The fingerprint of row `row`'s value in column `column`; None where
    /// the key is missing there.
    pub fn print(&self, row: usize, column: usize) -> Option<u32> {
        let column = self.columns.get(column)?;
        (*column.at.get(row)? != NONE).then(|| column.prints.get(row).copied()).flatten()
    }

    /// The widest cell of column `column` over every row, as the table
    /// draws it unrevealed (a secret as its mask); 1 (`—`) where no row
    /// has a value.
    pub fn widest(&self, column: usize) -> u16 {
        self.columns.get(column).map_or(1, |c| c.widest.max(1))
    }

    /// The index in the loaded set's `envs` of column `column`'s env.
    pub fn env_of(&self, column: usize) -> Option<usize> {
        self.columns.get(column).map(|c| c.env)
    }

    /// Widens column `column` to at least `width` (capped like every
    /// width): a cell drawn with more than its value (`--resolve`).
    pub fn widen(&mut self, column: usize, width: usize) {
        if let Some(column) = self.columns.get_mut(column) {
            let width = u16::try_from(width).unwrap_or(super::widths::WIDEST);
            column.widest = column.widest.max(width.min(super::widths::WIDEST));
        }
    }

    /// The leaves of row `row`, one per column, read from `set` (the loaded
    /// set these rows were built from).
    pub fn cells<'s>(&self, row: usize, set: &'s LoadedSet) -> Option<Cells<'s>> {
        if row >= self.len() {
            return None;
        }
        let cells: SmallVec<_> = self
            .columns
            .iter()
            .map(|column| {
                let at = *column.at.get(row)?;
                if at == NONE {
                    return None;
                }
                let from = *column.from.get(row)?;
                let file = file_slot(set, column.env, from & !INHERITED)?;
                let leaf = file.leaves.get(at as usize)?;
                Some(Cell { leaf, inherited: from & INHERITED != 0 })
            })
            .collect();
        Some(cells)
    }
}

/// The file of slot `slot` for env `env`: 0 the env's own file, 1 the
/// base file, then the further layers and the local layers in order (the
/// numbers of `Effective::layer`).
fn file_slot(set: &LoadedSet, env: usize, slot: u8) -> Option<&LoadedFile> {
    match slot {
        0 => set.envs.get(env),
        n => set.file_of_layer(env, u16::from(n)),
    }
}

/// Where `cell`'s leaf sits in the set: its index in the leaves of the file
/// that holds it, and that file's slot (`file_slot`) with `INHERITED`.
fn locate(set: &LoadedSet, env: usize, cell: &Cell<'_>) -> (u32, u8) {
    let flag = if cell.inherited { INHERITED } else { 0 };
    for slot in 0..INHERITED {
        let Some(file) = file_slot(set, env, slot) else {
            if slot >= 2 {
                break;
            }
            continue;
        };
        if let Some(at) = crate::core::layers::index_in(&file.leaves, cell.leaf)
            .and_then(|at| u32::try_from(at).ok())
            .filter(|&at| at != NONE)
        {
            return (at, slot | flag);
        }
    }
    (NONE, 0)
}

/// A value and where it comes from, in 32 bits: equal cells print alike,
/// a changed one almost surely not.
fn fingerprint(leaf: &Leaf, inherited: bool) -> u32 {
    let mut hasher = rustc_hash::FxHasher::default();
    inherited.hash(&mut hasher);
    leaf.value.value_type().hash(&mut hasher);
    match &leaf.value {
        Value::String(s) => s.as_str().hash(&mut hasher),
        Value::Datetime(s) => s.hash(&mut hasher),
        Value::Int(i) => i.hash(&mut hasher),
        Value::Float(f) => {
            let bits = if f.is_nan() { f64::NAN.to_bits() } else { f.to_bits() };
            bits.hash(&mut hasher);
        }
        Value::Bool(b) => b.hash(&mut hasher),
        Value::Bytes(b) => b.hash(&mut hasher),
        Value::Null | Value::EmptyMap | Value::EmptyList | Value::Encrypted(_) => {}
    }
    let full = hasher.finish();
    (full ^ (full >> 32)) as u32
}

#[cfg(test)]
impl KeyRows {
    /// Rows of these paths and statuses, with no env columns.
    pub(crate) fn of_paths(paths: &[(&str, Status)]) -> Self {
        let mut list = crate::core::keys::PathList::new();
        for (path, _) in paths {
            list.push(path);
        }
        let mut table = KeyTable::new();
        let ids = table.absorb(&list);
        Self {
            paths: Arc::new(table),
            ids,
            statuses: paths.iter().map(|&(_, s)| s).collect(),
            columns: Vec::new(),
            tree_order: false,
        }
    }

    /// These rows, said to be in merged-tree order.
    pub(crate) fn in_diff_order(mut self) -> Self {
        self.tree_order = true;
        self
    }
}
