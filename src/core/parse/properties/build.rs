//! The leaves of a `.properties` file in one pass over its entries, for
//! the usual file whose keys are all distinct and none the parent of
//! another: a tree of the keys' steps tells both at once, and the paths
//! are written straight into the leaves. Any other file (a duplicate, a
//! conflict, a key too deep) gets `None`, and the checks of `keys.rs` and
//! the Flattener say what is wrong, exactly as before this pass existed.

use rustc_hash::FxHashMap;

use super::Entry;
use super::keys::{Step, steps_into};
use crate::core::flatten::MAX_DEPTH;
use crate::core::key_path;
use crate::core::keys::PathList;
use crate::core::leaf::{Leaf, Origin, Parsed, Value, Written};

/// Node 0 is the root; a node holds a value or has children, never both.
const ROOT: u32 = 0;

/// No node: the end of a list of children.
const NONE: u32 = u32::MAX;

/// Children a node keeps in its list; past this many they are looked up
/// in the tree's map. A hash map of every node cost most of this pass: one
/// cache miss per key step, where a key's siblings lie side by side.
const LISTED: u32 = 8;

/// One key step below its parent.
struct Node<'a> {
    step: Step<'a>,
    holds_value: bool,
    children: u32,
    /// The last child added, and the sibling added before this node.
    first: u32,
    next: u32,
}

/// The key paths seen: whether each holds a value, and its children.
struct Tree<'a> {
    nodes: Vec<Node<'a>>,
    /// The children of nodes with more than `LISTED`.
    many: FxHashMap<(u32, Step<'a>), u32>,
}

impl<'a> Tree<'a> {
    fn with_capacity(nodes: usize) -> Self {
        let mut list = Vec::with_capacity(nodes);
        list.push(Node {
            step: Step::Index(0),
            holds_value: false,
            children: 0,
            first: NONE,
            next: NONE,
        });
        Self { nodes: list, many: FxHashMap::default() }
    }

    fn find(&self, parent: u32, step: Step<'a>) -> Option<u32> {
        let node = &self.nodes[parent as usize];
        if node.children > LISTED {
            return self.many.get(&(parent, step)).copied();
        }
        let mut at = node.first;
        while at != NONE {
            let child = &self.nodes[at as usize];
            if child.step == step {
                return Some(at);
            }
            at = child.next;
        }
        None
    }

    fn add(&mut self, parent: u32, step: Step<'a>, last: bool) -> u32 {
        let id = self.nodes.len() as u32;
        let node = &mut self.nodes[parent as usize];
        let next = std::mem::replace(&mut node.first, id);
        node.children += 1;
        let children = node.children;
        self.nodes.push(Node { step, holds_value: last, children: 0, first: NONE, next });
        if children == LISTED + 1 {
            let mut at = id;
            while at != NONE {
                let child = &self.nodes[at as usize];
                self.many.insert((parent, child.step), at);
                at = child.next;
            }
        } else if children > LISTED {
            self.many.insert((parent, step), id);
        }
        id
    }

    /// The node of `step` below `parent`, new; `None` when a value would
    /// be both a parent and a value, or be there twice.
    fn step(&mut self, parent: u32, step: Step<'a>, last: bool) -> Option<u32> {
        match self.find(parent, step) {
            None => Some(self.add(parent, step, last)),
            Some(id) if last || self.nodes[id as usize].holds_value => None,
            Some(id) => Some(id),
        }
    }

    fn holds_value(&self, node: u32) -> bool {
        self.nodes[node as usize].holds_value
    }
}

/// The leaves of `entries` (below their document's `[i]` when `documents`),
/// or `None` when two keys are the same or one is the other's parent.
pub(super) fn build(
    entries: &[Entry<'_>],
    documents: bool,
    value_of: impl Fn(&str) -> Value,
) -> Option<Parsed> {
    let mut tree = Tree::with_capacity(entries.len() * 2 + 1);
    let mut paths = PathList::with_capacity(entries.len());
    let mut leaves = Vec::with_capacity(entries.len());
    let mut steps: Vec<Step<'_>> = Vec::new();
    // The previous entry's steps, the node each reached and the length of
    // the path after it: a key shares most of its steps with the one
    // before, and those need no lookup and no writing again.
    let mut previous: Vec<(Step<'_>, u32, usize)> = Vec::new();
    let mut path = String::new();
    for entry in entries {
        steps.clear();
        if documents {
            steps.push(Step::Index(entry.document));
        }
        steps_into(&entry.key, &mut steps);
        let shared = steps.iter().zip(&previous).take_while(|(s, p)| **s == p.0).count();
        if steps.len() > MAX_DEPTH || shared == steps.len() {
            return None;
        }
        previous.truncate(shared);
        let (mut parent, kept) = previous.last().map_or((ROOT, 0), |p| (p.1, p.2));
        if tree.holds_value(parent) {
            // The previous key is this one's parent.
            return None;
        }
        path.truncate(kept);
        for (i, &step) in steps.iter().enumerate().skip(shared) {
            parent = tree.step(parent, step, i + 1 == steps.len())?;
            match step {
                Step::Name(name) => key_path::push_key(&mut path, name),
                Step::Index(index) => key_path::push_index(&mut path, index),
            }
            previous.push((step, parent, path.len()));
        }
        let (key, _) = paths.push_sharing(&path, kept);
        leaves.push(Leaf {
            key,
            value: value_of(&entry.value),
            position: entry.position,
            span: entry.span,
            doc: entry.doc.clone().map(Into::into),
            origin: Origin::Direct,
            written: Written::Text,
        });
    }
    Some(Parsed { leaves, paths, encryption: None })
}
