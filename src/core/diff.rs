//! One row per key of a set with a cell per env and the key's status (§4).
//! Rows point into the envs' effective leaves, so the diff owns no values.

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use super::inherit::Effective;
use super::key_path;
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

/// The cells of one row: up to four envs without an allocation.
pub type Cells<'a> = SmallVec<[Option<Cell<'a>>; 4]>;

/// One key across the envs of a set.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub key: &'a str,
    pub id: KeyId,
    pub status: Status,
    /// One entry per env, in env order; `None` where the key is missing.
    pub cells: Cells<'a>,
}

/// Where one env's leaves come from: its own file, or its file laid over
/// the base (§4).
#[derive(Debug, Clone)]
enum Source<'a> {
    Own(&'a [Leaf]),
    Merged(Vec<Effective<'a>>),
}

/// One env of the rows: its leaves, and which of them holds each key.
#[derive(Debug, Clone)]
struct Column<'a> {
    source: Source<'a>,
    /// By key id: the index of the key's leaf in `source`, or `NONE`.
    at: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl<'a> Column<'a> {
    fn new(keys: &KeyTable, source: Source<'a>) -> Self {
        let mut at = vec![NONE; keys.len()];
        let mut mark = |i: usize, leaf: &Leaf| {
            if leaf.key.index() >= at.len() {
                at.resize(leaf.key.index() + 1, NONE);
            }
            at[leaf.key.index()] = u32::try_from(i).unwrap_or(NONE);
        };
        match &source {
            Source::Own(leaves) => leaves.iter().enumerate().for_each(|(i, l)| mark(i, l)),
            Source::Merged(list) => list.iter().enumerate().for_each(|(i, e)| mark(i, e.leaf)),
        }
        Self { source, at }
    }

    fn cell(&self, id: KeyId) -> Option<Cell<'a>> {
        let i = *self.at.get(id.index()).filter(|&&i| i != NONE)? as usize;
        match &self.source {
            Source::Own(leaves) => leaves.get(i).map(|leaf| Cell { leaf, inherited: false }),
            Source::Merged(list) => {
                list.get(i).map(|e| Cell { leaf: e.leaf, inherited: e.inherited })
            }
        }
    }

    /// The keys of this env in its order, each once (a key's index
    /// points at its last leaf).
    fn keys(&self) -> Vec<KeyId> {
        let ids: Vec<KeyId> = match &self.source {
            Source::Own(leaves) => leaves.iter().map(|l| l.key).collect(),
            Source::Merged(list) => list.iter().map(|e| e.leaf.key).collect(),
        };
        let last = |i: usize, id: KeyId| self.at.get(id.index()) == Some(&(i as u32));
        ids.iter().enumerate().filter(|&(i, &id)| last(i, id)).map(|(_, &id)| id).collect()
    }
}

/// The rows of a set. A cell is looked up when a row is read, from one
/// index per env: a large file's rows cost a few bytes per key, not a
/// list of cells.
#[derive(Debug, Clone)]
pub struct Rows<'a> {
    keys: &'a KeyTable,
    columns: Vec<Column<'a>>,
    /// Row order: keys as they first appear, env by env.
    order: Vec<KeyId>,
    statuses: Vec<Status>,
}

impl<'a> Rows<'a> {
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<Row<'a>> {
        (index < self.len()).then(|| self.row(index))
    }

    /// The effective leaves of column `env`, when the rows were built
    /// from them (`diff`; not `diff_own`, whose envs have none listed).
    pub fn effective(&self, env: usize) -> Option<&[Effective<'a>]> {
        match &self.columns.get(env)?.source {
            Source::Merged(list) => Some(list),
            Source::Own(_) => None,
        }
    }

    /// Each row's key path and status, in row order, without its cells.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = (&'a str, Status)> + '_ {
        self.order.iter().zip(&self.statuses).map(|(&id, &status)| (self.keys.path(id), status))
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Row<'a>> + ExactSizeIterator + '_ {
        (0..self.len()).map(|i| self.row(i))
    }

    fn row(&self, index: usize) -> Row<'a> {
        let id = self.order[index];
        Row { key: self.keys.path(id), id, status: self.statuses[index], cells: self.cells(id) }
    }

    fn cells(&self, id: KeyId) -> Cells<'a> {
        self.columns.iter().map(|column| column.cell(id)).collect()
    }
}

impl<'r, 'a> IntoIterator for &'r Rows<'a> {
    type Item = Row<'a>;
    type IntoIter = Box<dyn DoubleEndedIterator<Item = Row<'a>> + 'r>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// Builds the rows of a set from each env's effective leaves (in env
/// order). Keys come in the order they first appear, env by env. Leaves
/// of one key share its id, so a key is found by indexing, not hashing.
pub fn diff<'a>(keys: &'a KeyTable, envs: Vec<Vec<Effective<'a>>>) -> Rows<'a> {
    build(keys, envs.into_iter().map(Source::Merged).collect())
}

/// `diff` of envs without a base file: their own leaves are their
/// effective ones, with no list of them made first.
pub fn diff_own<'a>(keys: &'a KeyTable, envs: &[&'a [Leaf]]) -> Rows<'a> {
    build(keys, envs.iter().map(|leaves| Source::Own(leaves)).collect())
}

fn build<'a>(keys: &'a KeyTable, sources: Vec<Source<'a>>) -> Rows<'a> {
    let columns: Vec<Column<'a>> = sources.into_iter().map(|s| Column::new(keys, s)).collect();
    let mut order = Vec::new();
    for (env_at, column) in columns.iter().enumerate() {
        let first_here = |id: KeyId| columns[..env_at].iter().all(|c| c.cell(id).is_none());
        order.extend(column.keys().into_iter().filter(|&id| first_here(id)));
    }
    let order = tree_order(keys, order);
    let mut rows = Rows { keys, columns, order, statuses: Vec::new() };
    rows.statuses = rows.order.iter().map(|&id| status_of(&rows.cells(id))).collect();
    rows
}

/// Keys as one merged tree (§4): a key placed with its siblings under its
/// parent, parents in the order they first appear in `first_seen`. A key's
/// rank is where each of its ancestors first appeared, then where it did;
/// keys already in that order (the usual case: one file, or envs that add
/// no key of their own) are not sorted.
fn tree_order(keys: &KeyTable, first_seen: Vec<KeyId>) -> Vec<KeyId> {
    let n = first_seen.len();
    let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    // Every key's prefix ends in one list, and how many of its leading
    // prefixes it shares with the key before it: those are in `first`
    // already, with the same place, so neither the map nor a rank looks
    // them up again (neighbours share most of their prefixes).
    let mut ends: Vec<u32> = Vec::with_capacity(n * 4);
    let mut starts: Vec<u32> = Vec::with_capacity(n + 1);
    let mut shared: Vec<u32> = Vec::with_capacity(n);
    let mut first: FxHashMap<&str, u32> = FxHashMap::default();
    let mut prev: (&str, usize) = ("", 0);
    // Whether a prefix comes back after keys outside it: only then can
    // a key be out of tree order (see below).
    let mut reopened = false;
    for (i, &id) in first_seen.iter().enumerate() {
        let path = keys.path(id);
        let from = ends.len();
        starts.push(at(from));
        key_path::for_each_prefix_end(path, |end| ends.push(at(end)));
        let (prev_path, prev_from) = prev;
        let same = shared_prefixes(path, &ends[from..], prev_path, &ends[prev_from..from]);
        for &end in &ends[from + same..] {
            match first.entry(&path[..end as usize]) {
                Entry::Occupied(_) => reopened = true,
                Entry::Vacant(slot) => {
                    slot.insert(at(i));
                }
            }
        }
        shared.push(at(same));
        prev = (path, from);
    }
    starts.push(at(ends.len()));
    // Keys are already in tree order when no prefix is entered twice and
    // no key is also a parent: two keys that part at sibling prefixes
    // rank by where those first appear, and the earlier key's sibling
    // came first, or the later key's would have been entered twice. This
    // is the usual case (one file's keys, envs that add none of their
    // own), and it needs no ranks.
    if !reopened && first_seen.iter().all(|&id| !first.contains_key(keys.path(id))) {
        return first_seen;
    }
    let mut ranks: Vec<SmallVec<[u32; 8]>> = Vec::with_capacity(n);
    for (i, &id) in first_seen.iter().enumerate() {
        let path = keys.path(id);
        let mine = &ends[starts[i] as usize..starts[i + 1] as usize];
        let same = shared[i] as usize;
        let mut rank: SmallVec<[u32; 8]> = SmallVec::with_capacity(mine.len() + 1);
        if let Some(before) = i.checked_sub(1).map(|b| &ranks[b]) {
            rank.extend_from_slice(&before[..same]);
        }
        rank.extend(mine[same..].iter().map(|&end| first[&path[..end as usize]]));
        rank.push(first.get(path).copied().unwrap_or(at(i)));
        ranks.push(rank);
    }
    if ranks.is_sorted() {
        return first_seen;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| ranks[a].cmp(&ranks[b]));
    order.into_iter().map(|i| first_seen[i]).collect()
}

/// How many leading prefixes two paths share, by their prefix ends: a
/// prefix that is the same text ends at the same place in both.
fn shared_prefixes(path: &str, ends: &[u32], other: &str, other_ends: &[u32]) -> usize {
    let mut checked = 0;
    ends.iter()
        .zip(other_ends)
        .take_while(|&(&end, &other_end)| {
            let end = end as usize;
            let same = end == other_end as usize
                && path.as_bytes()[checked..end] == other.as_bytes()[checked..end];
            checked = end;
            same
        })
        .count()
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

/// Paths the tree-order tests pick from (here and in the view's tree): shared
/// and conflicting prefixes (a leaf that is also a parent), lists, quoted
/// keys and identities.
#[cfg(test)]
pub(crate) const TREE_ORDER_PATHS: [&str; 16] = [
    "a",
    "a.b",
    "a.b.c",
    "a.d",
    "a.b.e",
    "b",
    "b.x[0]",
    "b.x[1]",
    "b.x[0].y",
    "\"q.r\".s",
    "\"q.r\".t",
    "q.r",
    "c[name=w].v",
    "c[name=w].u",
    "c[name=v].v",
    "[0].a",
];

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
        diff(&keys, effective).iter().map(|r| (r.key.to_owned(), r.status)).collect()
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
    fn keys_are_listed_as_one_merged_tree() {
        let mut keys = KeyTable::new();
        let base = bare_all(
            &mut keys,
            &[
                leaf("database.host", Value::Int(1)),
                leaf("database.port", Value::Int(1)),
                leaf("log.level", Value::Int(1)),
            ],
        );
        let dev = bare_all(
            &mut keys,
            &[leaf("database.password", Value::Int(1)), leaf("cache.ttl", Value::Int(1))],
        );
        let prod = bare_all(
            &mut keys,
            &[leaf("log.format", Value::Int(1)), leaf("database.pool.max", Value::Int(1))],
        );
        let envs = vec![effective(&keys, Some(&base), &dev), effective(&keys, Some(&base), &prod)];
        let order: Vec<String> = diff(&keys, envs).iter().map(|r| r.key.to_owned()).collect();
        assert_eq!(
            order,
            [
                "database.host",
                "database.port",
                "database.password",
                "database.pool.max",
                "log.level",
                "log.format",
                "cache.ttl",
            ]
        );
    }

    #[test]
    fn strings_compare_exactly() {
        let a = vec![leaf("k", Value::String("a ".into()))];
        let b = vec![leaf("k", Value::String("a".into()))];
        assert_eq!(statuses(&[a, b]), vec![("k".into(), Status::Differs)]);
    }

    /// The tree order as first written: every prefix of every key looked
    /// up, no sharing with the key before.
    fn tree_order_by_every_prefix(keys: &KeyTable, first_seen: &[KeyId]) -> Vec<KeyId> {
        let mut first: FxHashMap<&str, usize> = FxHashMap::default();
        for (i, &id) in first_seen.iter().enumerate() {
            let path = keys.path(id);
            for end in key_path::prefix_ends(path) {
                first.entry(&path[..end]).or_insert(i);
            }
        }
        let rank = |i: usize| -> Vec<usize> {
            let path = keys.path(first_seen[i]);
            let own = first.get(path).copied().unwrap_or(i);
            key_path::prefix_ends(path)
                .iter()
                .map(|&end| first[&path[..end]])
                .chain([own])
                .collect()
        };
        let mut order: Vec<usize> = (0..first_seen.len()).collect();
        order.sort_by_key(|&i| rank(i));
        order.into_iter().map(|i| first_seen[i]).collect()
    }

    proptest::proptest! {
        #[test]
        fn sharing_prefixes_gives_the_order_of_every_prefix(
            picks in proptest::collection::vec(0usize..TREE_ORDER_PATHS.len(), 0..40)
        ) {
            let mut keys = KeyTable::new();
            let mut seen: Vec<usize> = Vec::new();
            let mut ids: Vec<KeyId> = Vec::new();
            for &pick in &picks {
                if !seen.contains(&pick) {
                    seen.push(pick);
                    ids.push(keys.append(TREE_ORDER_PATHS[pick]));
                }
            }
            let paths = |ids: &[KeyId]| ids.iter().map(|&id| keys.path(id).to_owned()).collect::<Vec<_>>();
            proptest::prop_assert_eq!(
                paths(&tree_order(&keys, ids.clone())),
                paths(&tree_order_by_every_prefix(&keys, &ids))
            );
        }
    }
}
