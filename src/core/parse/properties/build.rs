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

/// The key paths seen: whether each holds a value, and its children.
struct Tree<'a> {
    holds_value: Vec<bool>,
    children: FxHashMap<(u32, Step<'a>), u32>,
}

impl<'a> Tree<'a> {
    /// The node of `step` below `parent`, new; `None` when a value would
    /// be both a parent and a value, or be there twice.
    fn step(&mut self, parent: u32, step: Step<'a>, last: bool) -> Option<u32> {
        let fresh = self.holds_value.len() as u32;
        let id = *self.children.entry((parent, step)).or_insert(fresh);
        if id == fresh {
            self.holds_value.push(last);
            Some(id)
        } else if last || self.holds_value[id as usize] {
            None
        } else {
            Some(id)
        }
    }
}

/// The leaves of `entries` (below their document's `[i]` when `documents`),
/// or `None` when two keys are the same or one is the other's parent.
pub(super) fn build(
    entries: &[Entry<'_>],
    documents: bool,
    value_of: impl Fn(&str) -> Value,
) -> Option<Parsed> {
    let mut tree = Tree {
        holds_value: Vec::with_capacity(entries.len() * 2 + 1),
        children: FxHashMap::with_capacity_and_hasher(entries.len() * 2, rustc_hash::FxBuildHasher),
    };
    tree.holds_value.push(false);
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
        if tree.holds_value[parent as usize] {
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
