//! One row per key of a set with a cell per env and the key's status (§4).
//! Rows point into the envs' effective leaves, so the diff owns no values.

use super::inherit::Effective;
use super::keys::{KeyId, KeyTable};
use super::leaf::Leaf;

/// What a key looks like across the envs shown (§4), in evaluation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Same,
    Differs,
    TypeChanged,
    Missing,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Same => "same",
            Self::Differs => "differs",
            Self::TypeChanged => "type_changed",
            Self::Missing => "missing",
        }
    }

    /// The mark that tells the status without colour (§9).
    pub fn mark(self) -> char {
        match self {
            Self::Same => '=',
            Self::Differs => '≠',
            Self::TypeChanged => '~',
            Self::Missing => '∅',
        }
    }
}

/// A key's value in one env.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    pub leaf: &'a Leaf,
    pub inherited: bool,
}

/// One key across the envs of a set.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub key: &'a str,
    pub id: KeyId,
    pub status: Status,
    /// One entry per env, in env order; `None` where the key is missing.
    pub cells: &'a [Option<Cell<'a>>],
}

/// The rows of a set, their cells in one flat array (a row per key of a
/// large file would otherwise be a small allocation each).
#[derive(Debug, Clone)]
pub struct Rows<'a> {
    keys: &'a KeyTable,
    ids: Vec<KeyId>,
    statuses: Vec<Status>,
    cells: Vec<Option<Cell<'a>>>,
    width: usize,
}

impl<'a> Rows<'a> {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<Row<'_>> {
        (index < self.len()).then(|| self.row(index))
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Row<'_>> + ExactSizeIterator {
        (0..self.len()).map(|i| self.row(i))
    }

    fn row(&self, index: usize) -> Row<'_> {
        let id = self.ids[index];
        Row {
            key: self.keys.path(id),
            id,
            status: self.statuses[index],
            cells: &self.cells[index * self.width..(index + 1) * self.width],
        }
    }
}

impl<'r> IntoIterator for &'r Rows<'_> {
    type Item = Row<'r>;
    type IntoIter = Box<dyn DoubleEndedIterator<Item = Row<'r>> + 'r>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// Builds the rows of a set from each env's effective leaves (in env
/// order). Keys come in the order they first appear, env by env. Leaves
/// of one key share its id, so a row is found by indexing, not hashing.
pub fn diff<'a>(keys: &'a KeyTable, envs: &[Vec<Effective<'a>>]) -> Rows<'a> {
    let capacity = envs.iter().map(Vec::len).max().unwrap_or(0);
    let cells = envs.iter().enumerate().flat_map(|(env_at, leaves)| {
        leaves.iter().map(move |e| (env_at, Cell { leaf: e.leaf, inherited: e.inherited }))
    });
    build(keys, envs.len(), capacity, cells)
}

/// `diff` of envs without a base file: their own leaves are their
/// effective ones, with no list of them made first.
pub fn diff_own<'a>(keys: &'a KeyTable, envs: &[&'a [Leaf]]) -> Rows<'a> {
    let capacity = envs.iter().map(|leaves| leaves.len()).max().unwrap_or(0);
    let cells = envs.iter().enumerate().flat_map(|(env_at, leaves)| {
        leaves.iter().map(move |leaf| (env_at, Cell { leaf, inherited: false }))
    });
    build(keys, envs.len(), capacity, cells)
}

fn build<'a>(
    keys: &'a KeyTable,
    width: usize,
    capacity: usize,
    env_cells: impl Iterator<Item = (usize, Cell<'a>)>,
) -> Rows<'a> {
    const NONE: u32 = u32::MAX;
    let mut row_of = vec![NONE; keys.len()];
    let mut ids = Vec::with_capacity(capacity);
    let mut cells = Vec::with_capacity(capacity * width);
    for (env_at, cell) in env_cells {
        let id = cell.leaf.key;
        if id.index() >= row_of.len() {
            row_of.resize(id.index() + 1, NONE);
        }
        let row = match row_of[id.index()] {
            NONE => {
                row_of[id.index()] = u32::try_from(ids.len()).unwrap_or(NONE);
                ids.push(id);
                cells.resize(cells.len() + width, None);
                ids.len() - 1
            }
            row => row as usize,
        };
        cells[row * width + env_at] = Some(cell);
    }
    let statuses = if width == 0 {
        vec![Status::Same; ids.len()]
    } else {
        cells.chunks(width).map(status_of).collect()
    };
    Rows { keys, ids, statuses, cells, width }
}

/// §4 in its order: missing, then type change (int and float are one
/// number), then differing values.
pub fn status_of(cells: &[Option<Cell<'_>>]) -> Status {
    if cells.iter().any(Option::is_none) {
        return Status::Missing;
    }
    let mut present = cells.iter().flatten().map(|cell| &cell.leaf.value);
    let Some(first) = present.next() else {
        return Status::Same;
    };
    let family = first.value_type().family();
    let mut status = Status::Same;
    for value in present {
        if value.value_type().family() != family {
            return Status::TypeChanged;
        }
        if !value.same_as(first) {
            status = Status::Differs;
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::inherit::effective;
    use crate::core::keys::KeyTable;
    use crate::core::leaf::{Value, bare_all};

    fn statuses(envs: &[Vec<(&str, Value)>]) -> Vec<(String, Status)> {
        let mut keys = KeyTable::new();
        let leaves: Vec<Vec<Leaf>> = envs.iter().map(|e| bare_all(&mut keys, e)).collect();
        let effective: Vec<_> = leaves.iter().map(|e| effective(&keys, None, e)).collect();
        diff(&keys, &effective).iter().map(|r| (r.key.to_owned(), r.status)).collect()
    }

    fn leaf(path: &str, value: Value) -> (&str, Value) {
        (path, value)
    }

    #[test]
    fn statuses_follow_the_contract_order() {
        let dev = vec![
            leaf("same", Value::Int(1)),
            leaf("num", Value::Int(1)),
            leaf("ty", Value::Int(1)),
            leaf("gone", Value::Bool(true)),
            leaf("f", Value::Float(1.50)),
        ];
        let prod = vec![
            leaf("same", Value::Int(1)),
            leaf("num", Value::Float(1.0)),
            leaf("ty", Value::String("1".into())),
            leaf("f", Value::Float(1.5)),
            leaf("new", Value::Null),
        ];
        assert_eq!(
            statuses(&[dev, prod]),
            vec![
                ("same".into(), Status::Same),
                ("num".into(), Status::Differs),
                ("ty".into(), Status::TypeChanged),
                ("gone".into(), Status::Missing),
                ("f".into(), Status::Same),
                ("new".into(), Status::Missing),
            ]
        );
    }

    #[test]
    fn missing_wins_over_type_change() {
        let a = vec![leaf("k", Value::Int(1))];
        let b = vec![leaf("k", Value::String("x".into()))];
        let c = vec![];
        assert_eq!(statuses(&[a, b, c]), vec![("k".into(), Status::Missing)]);
    }

    #[test]
    fn strings_compare_exactly() {
        let a = vec![leaf("k", Value::String("a ".into()))];
        let b = vec![leaf("k", Value::String("a".into()))];
        assert_eq!(statuses(&[a, b]), vec![("k".into(), Status::Differs)]);
    }
}
