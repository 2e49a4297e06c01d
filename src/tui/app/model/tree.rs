//! The tree of key paths the table draws: parents gather their children
//! even when the files list them apart, in the order each path first
//! appears, with the worst status and counts of every subtree. A node's
//! label is a range of one of the set's key paths, not a string of its own.

use std::ops::Range;

use hashbrown::HashTable;

use super::key_rows::KeyRows;
use crate::core::diff::Status;
use crate::core::key_path::for_each_prefix_end;

/// A row of the tree: a parent key (`database`) or a key, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeNode {
    /// The label is bytes `label.1..label.2` of row `label.0`'s key path
    /// (`SetModel::label` reads it): `port`, `[0]`, `"app.name"`.
    pub(crate) label: (u32, u32, u32),
    pub depth: u16,
    /// Index just past this node's subtree.
    pub end: u32,
    /// The key this node shows, if it holds a value.
    pub key: Option<u32>,
    /// The worst status in the subtree (for a folded parent).
    pub worst: Status,
    /// Keys in the subtree, and how many of them are not `same`.
    pub leaves: u32,
    pub drift: u32,
}

impl TreeNode {
    pub fn is_parent(&self, at: usize) -> bool {
        self.end as usize > at + 1
    }
}

const NO_NODE: u32 = u32::MAX;

/// Scratch node while the tree is assembled; children are a linked list.
struct Tmp {
    label: (u32, u32, u32),
    key: u32,
    first_child: u32,
    last_child: u32,
    next: u32,
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(NO_NODE)
}

/// The path of `node` up to the end of its label.
fn node_path<'a>(keys: &'a KeyRows, node: &Tmp) -> &'a str {
    keys.key(node.label.0 as usize).and_then(|p| p.get(..node.label.2 as usize)).unwrap_or("")
}

fn hash(path: &str) -> u64 {
    use std::hash::BuildHasher as _;
    rustc_hash::FxBuildHasher.hash_one(path)
}

/// The tree of `keys` in drawing (pre-)order.
pub fn build(keys: &KeyRows) -> Vec<TreeNode> {
    if keys.in_tree_order() {
        let statuses = keys.statuses().iter().copied();
        return in_order(keys.paths().zip(statuses), keys.len());
    }
    let mut nodes = Nodes::new(keys);
    // The previous key's nodes by level (where its prefix ends, the node):
    // a key under the same parents as the one before finds them without
    // looking a prefix up, which on a large file is most of them.
    let mut chain: Vec<(usize, u32)> = Vec::new();
    let mut previous = "";
    // Where each prefix of the key ends, then the key's own end.
    let mut ends: Vec<usize> = Vec::new();
    for (row, path) in keys.paths().enumerate() {
        ends.clear();
        for_each_prefix_end(path, |end| ends.push(end));
        ends.push(path.len());
        let mut parent = NO_NODE;
        let mut start = 0;
        let mut same = true;
        for (level, &end) in ends.iter().enumerate() {
            same = same
                && chain.get(level).is_some_and(|&(e, _)| e == end)
                && previous.get(start..end) == path.get(start..end);
            if same {
                parent = chain[level].1;
            } else {
                parent = nodes.find_or_add(row, path, start..end, parent);
                // This level and the ones below it are this key's own now;
                // a shared level keeps its entry (truncating it would lose
                // the deeper ones the next level compares with).
                chain.truncate(level);
                chain.push((end, parent));
            }
            start = end;
        }
        chain.truncate(ends.len());
        previous = path;
        if let Some(node) = nodes.list.get_mut(parent as usize) {
            node.key = index(row);
        }
    }
    let Nodes { list, roots, .. } = nodes;
    let mut out = Vec::with_capacity(list.len());
    let mut root = roots.0;
    while root != NO_NODE {
        emit(&list, root, 0, keys, &mut out);
        root = list[root as usize].next;
    }
    out
}

/// The tree of keys in the diff's merged-tree order (§4), where the keys
/// under each parent are together: each node is made after its parent and
/// its elder siblings' subtrees, so nodes come in drawing order as they
/// are made, and a node is complete (its end and counts known) once a key
/// leaves it. `rows` are each row's key path and status, `len` their count.
pub fn in_order<'p>(rows: impl Iterator<Item = (&'p str, Status)>, len: usize) -> Vec<TreeNode> {
    let mut out: Vec<TreeNode> = Vec::with_capacity(len + len / 4);
    // The previous key's nodes, outermost first: where each one's path
    // ends, and its place in `out`.
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut previous = "";
    let mut ends: Vec<usize> = Vec::new();
    for (row, (path, status)) in rows.enumerate() {
        ends.clear();
        for_each_prefix_end(path, |end| ends.push(end));
        ends.push(path.len());
        // A level is the previous key's when it ends at the same place
        // within the bytes the two paths share.
        let shared = common_prefix(previous.as_bytes(), path.as_bytes());
        let kept = open
            .iter()
            .zip(&ends)
            .take_while(|&(&(open_end, _), &end)| open_end == end && end <= shared)
            .count();
        close(&mut out, &mut open, kept);
        for (level, &end) in ends.iter().enumerate().skip(kept) {
            let start = if level == 0 { 0 } else { ends[level - 1] };
            let label_start = start + usize::from(path[start..end].starts_with('.'));
            open.push((end, out.len()));
            out.push(TreeNode {
                label: (index(row), index(label_start), index(end)),
                depth: u16::try_from(level).unwrap_or(u16::MAX),
                end: 0,
                key: None,
                worst: Status::Same,
                leaves: 0,
                drift: 0,
            });
        }
        if let Some(&(_, at)) = open.last() {
            let node = &mut out[at];
            node.key = Some(index(row));
            node.worst = node.worst.max(status);
            node.leaves += 1;
            node.drift += u32::from(status != Status::Same);
        }
        previous = path;
    }
    close(&mut out, &mut open, 0);
    out
}

/// Completes the open nodes past the first `keep`, innermost first: each
/// one's subtree ends here, and its counts go to its parent.
fn close(out: &mut [TreeNode], open: &mut Vec<(usize, usize)>, keep: usize) {
    let end = index(out.len());
    while open.len() > keep {
        let Some((_, at)) = open.pop() else { break };
        out[at].end = end;
        let (worst, leaves, drift) = (out[at].worst, out[at].leaves, out[at].drift);
        if let Some(&(_, parent)) = open.last() {
            let parent = &mut out[parent];
            parent.worst = parent.worst.max(worst);
            parent.leaves += leaves;
            parent.drift += drift;
        }
    }
}

/// How many leading bytes `a` and `b` share, eight at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n && a[i..i + 8] == b[i..i + 8] {
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// The nodes while the tree is assembled.
struct Nodes<'k> {
    keys: &'k KeyRows,
    list: Vec<Tmp>,
    roots: (u32, u32),
    /// Nodes by the hash of their path, for keys listed apart from their
    /// parents; 4 bytes a node.
    by_path: HashTable<u32>,
}

impl<'k> Nodes<'k> {
    fn new(keys: &'k KeyRows) -> Self {
        let by_path = HashTable::with_capacity(keys.len());
        Self { keys, list: Vec::new(), roots: (NO_NODE, NO_NODE), by_path }
    }

    /// The node of `path` up to `label.end` (row `row`'s key), the label
    /// starting at `label.start`, under `parent`: found, or added.
    fn find_or_add(&mut self, row: usize, path: &str, label: Range<usize>, parent: u32) -> u32 {
        let prefix = &path[..label.end];
        let h = hash(prefix);
        let (keys, list) = (self.keys, &self.list);
        if let Some(&n) = self.by_path.find(h, |&n| node_path(keys, &list[n as usize]) == prefix) {
            return n;
        }
        let label_start = label.start + usize::from(path[label.clone()].starts_with('.'));
        let id = index(self.list.len());
        self.list.push(Tmp {
            label: (index(row), index(label_start), index(label.end)),
            key: NO_NODE,
            first_child: NO_NODE,
            last_child: NO_NODE,
            next: NO_NODE,
        });
        link(&mut self.list, &mut self.roots, parent, id);
        let (keys, list) = (self.keys, &self.list);
        self.by_path.insert_unique(h, id, |&n| hash(node_path(keys, &list[n as usize])));
        id
    }
}

/// Appends `id` to `parent`'s children (or to the roots).
fn link(nodes: &mut [Tmp], roots: &mut (u32, u32), parent: u32, id: u32) {
    let (first, last) = match nodes.get_mut(parent as usize) {
        Some(p) => (&mut p.first_child, &mut p.last_child),
        None => (&mut roots.0, &mut roots.1),
    };
    let previous = *last;
    if *first == NO_NODE {
        *first = id;
    }
    *last = id;
    if let Some(before) = nodes.get_mut(previous as usize) {
        before.next = id;
    }
}

/// Writes `id` and its subtree in pre-order, filling in the aggregates.
fn emit(nodes: &[Tmp], id: u32, depth: u16, keys: &KeyRows, out: &mut Vec<TreeNode>) {
    let node = &nodes[id as usize];
    let at = out.len();
    let key = (node.key != NO_NODE).then_some(node.key);
    let own = key.and_then(|k| keys.status(k as usize));
    out.push(TreeNode {
        label: node.label,
        depth,
        end: 0,
        key,
        worst: own.unwrap_or(Status::Same),
        leaves: u32::from(own.is_some()),
        drift: u32::from(own.is_some_and(|s| s != Status::Same)),
    });
    let mut child = node.first_child;
    while child != NO_NODE {
        let child_at = out.len();
        emit(nodes, child, depth.saturating_add(1), keys, out);
        let (worst, leaves, drift) =
            (out[child_at].worst, out[child_at].leaves, out[child_at].drift);
        let parent = &mut out[at];
        parent.worst = parent.worst.max(worst);
        parent.leaves += leaves;
        parent.drift += drift;
        child = nodes[child as usize].next;
    }
    out[at].end = index(out.len());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::diff::{TREE_ORDER_PATHS as PATHS, diff_own};
    use crate::core::keys::KeyTable;
    use crate::core::leaf::{Value, bare_all};

    proptest::proptest! {
        /// The diff's rows need no parent looked up: their tree is the
        /// one built by looking every parent up.
        #[test]
        fn rows_in_diff_order_give_the_tree_of_looked_up_parents(
            dev in proptest::collection::vec(0usize..PATHS.len(), 0..12),
            prod in proptest::collection::vec(0usize..PATHS.len(), 0..12),
        ) {
            let mut table = KeyTable::new();
            let mut leaves = |picks: &[usize]| {
                let mut seen: Vec<(&str, Value)> = Vec::new();
                for &pick in picks {
                    if !seen.iter().any(|(p, _)| *p == PATHS[pick]) {
                        seen.push((PATHS[pick], Value::Int(1)));
                    }
                }
                bare_all(&mut table, &seen)
            };
            let (dev, prod) = (leaves(&dev), leaves(&prod));
            let rows = diff_own(&table, &[&dev, &prod]);
            let paths: Vec<(&str, Status)> = rows.iter().map(|r| (r.key, r.status)).collect();
            let looked_up = build(&KeyRows::of_paths(&paths));
            let trusted = build(&KeyRows::of_paths(&paths).in_diff_order());
            proptest::prop_assert_eq!(trusted, looked_up);
        }
    }
}
