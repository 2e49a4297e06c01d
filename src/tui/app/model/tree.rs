//! The tree of key paths the table draws: parents gather their children
//! even when the files list them apart, in the order each path first
//! appears, with the worst status and counts of every subtree. A node's
//! label is a range of one of the set's key paths, not a string of its own.

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
    let mut nodes: Vec<Tmp> = Vec::new();
    let mut roots = (NO_NODE, NO_NODE);
    // Nodes by the hash of their path, for keys listed apart from their
    // parents; 4 bytes a node.
    let mut by_path: HashTable<u32> = HashTable::with_capacity(keys.len());
    // The previous key's nodes by level (where its prefix ends, the node):
    // a key under the same parents as the one before finds them without
    // hashing a prefix, which on a large file is most of them.
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
        let mut level = 0;
        let mut same = true;
        for &end in &ends {
            same = same
                && chain.get(level).is_some_and(|&(e, _)| e == end)
                && previous.get(start..end) == path.get(start..end);
            let node = if same {
                chain[level].1
            } else {
                let prefix = &path[..end];
                let h = hash(prefix);
                let found =
                    by_path.find(h, |&n| node_path(keys, &nodes[n as usize]) == prefix).copied();
                found.unwrap_or_else(|| {
                    let label_start = start + usize::from(path[start..end].starts_with('.'));
                    let id = index(nodes.len());
                    nodes.push(Tmp {
                        label: (index(row), index(label_start), index(end)),
                        key: NO_NODE,
                        first_child: NO_NODE,
                        last_child: NO_NODE,
                        next: NO_NODE,
                    });
                    link(&mut nodes, &mut roots, parent, id);
                    by_path.insert_unique(h, id, |&n| hash(node_path(keys, &nodes[n as usize])));
                    id
                })
            };
            chain.truncate(level);
            chain.push((end, node));
            parent = node;
            start = end;
            level += 1;
        }
        chain.truncate(level);
        previous = path;
        if let Some(node) = nodes.get_mut(parent as usize) {
            node.key = index(row);
        }
    }
    drop(by_path);
    let mut out = Vec::with_capacity(nodes.len());
    let mut root = roots.0;
    while root != NO_NODE {
        emit(&nodes, root, 0, keys, &mut out);
        root = nodes[root as usize].next;
    }
    out
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
