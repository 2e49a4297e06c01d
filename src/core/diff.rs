//! One row per key of a set with a cell per env and the key's status (§4).
//! Rows point into the envs' effective leaves, so the diff owns no values.

use rustc_hash::FxHashMap;

use super::inherit::Effective;
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
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub key: &'a str,
    pub status: Status,
    /// One entry per env, in env order; `None` where the key is missing.
    pub cells: Vec<Option<Cell<'a>>>,
}

/// Builds the rows of a set from each env's effective leaves (in env
/// order). Keys come in the order they first appear, env by env.
pub fn diff<'a>(envs: &[Vec<Effective<'a>>]) -> Vec<Row<'a>> {
    let capacity = envs.iter().map(Vec::len).max().unwrap_or(0);
    let mut index: FxHashMap<&'a str, usize> = FxHashMap::default();
    index.reserve(capacity);
    let mut rows: Vec<Row<'a>> = Vec::with_capacity(capacity);
    for (env_at, leaves) in envs.iter().enumerate() {
        for effective in leaves {
            let key = effective.leaf.path.as_str();
            let row_at = *index.entry(key).or_insert_with(|| {
                rows.push(Row { key, status: Status::Same, cells: vec![None; envs.len()] });
                rows.len() - 1
            });
            rows[row_at].cells[env_at] =
                Some(Cell { leaf: effective.leaf, inherited: effective.inherited });
        }
    }
    for row in &mut rows {
        row.status = status_of(&row.cells);
    }
    rows
}

/// §4 in its order: missing, then type change (int and float are one
/// number), then differing values.
pub fn status_of(cells: &[Option<Cell<'_>>]) -> Status {
    let mut present = Vec::with_capacity(cells.len());
    for cell in cells {
        match cell {
            Some(cell) => present.push(&cell.leaf.value),
            None => return Status::Missing,
        }
    }
    let Some((first, rest)) = present.split_first() else {
        return Status::Same;
    };
    let family = first.value_type().family();
    if rest.iter().any(|v| v.value_type().family() != family) {
        Status::TypeChanged
    } else if rest.iter().any(|v| !v.same_as(first)) {
        Status::Differs
    } else {
        Status::Same
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::inherit::effective;
    use crate::core::leaf::{Value, bare as leaf};

    fn statuses(envs: &[Vec<Leaf>]) -> Vec<(String, Status)> {
        let effective: Vec<_> = envs.iter().map(|e| effective(None, e)).collect();
        diff(&effective).into_iter().map(|r| (r.key.to_owned(), r.status)).collect()
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
