//! A leaf together with its key path: what a parser returns (leaves and
//! the list of their paths), and leaves with their paths spelled out for
//! the code that works on one file's text rather than across a set.

use super::Leaf;
use crate::core::keys::{KeyTable, PathList};

/// A leaf with its key path spelled out, for code that works on one
/// file's text (an edit) rather than across a set. It reads as the leaf.
#[derive(Debug, Clone, Copy)]
pub struct Spelled<'a> {
    pub path: &'a str,
    pub leaf: &'a Leaf,
}

impl std::ops::Deref for Spelled<'_> {
    type Target = Leaf;

    fn deref(&self) -> &Leaf {
        self.leaf
    }
}

/// Gives `leaves`, keyed in `from`, the ids of table `into` for their
/// paths (a file moving to another set).
pub fn rekey(leaves: &mut [Leaf], from: &KeyTable, into: &mut KeyTable) {
    let mut paths = PathList::new();
    for leaf in leaves.iter() {
        paths.push(from.path(leaf.key));
    }
    for (leaf, key) in leaves.iter_mut().zip(into.absorb(&paths)) {
        leaf.key = key;
    }
}

/// Each leaf with its path from `keys`.
pub fn spell<'a>(keys: &'a KeyTable, leaves: &'a [Leaf]) -> Vec<Spelled<'a>> {
    leaves.iter().map(|leaf| Spelled { path: keys.path(leaf.key), leaf }).collect()
}

/// What a parser returns: the leaves in document order, and their paths,
/// each leaf's `key` being its path's place in `paths`.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub leaves: Vec<Leaf>,
    pub paths: PathList,
    /// What the file's encryption says, when something in it is encrypted
    /// (set by `parse::parse`, not by the format parsers).
    pub encryption: Option<super::Encryption>,
}

impl Parsed {
    /// The path of one of these leaves.
    pub fn path(&self, leaf: &Leaf) -> String {
        self.paths.get(leaf.key).unwrap_or_default()
    }

    /// The leaves keyed in `keys` (a set's table, shared with other files).
    pub fn join(self, keys: &mut KeyTable) -> Vec<Leaf> {
        let ids = keys.absorb(&self.paths);
        let mut leaves = self.leaves;
        for leaf in &mut leaves {
            leaf.key = ids.get(leaf.key.index()).copied().unwrap_or_default();
        }
        leaves
    }

    /// The leaves with a table of their own paths (a file read on its own,
    /// outside a set). Ids do not change: a list absorbed into an empty
    /// table keeps its order.
    pub fn into_table(self) -> (KeyTable, Vec<Leaf>) {
        let mut table = KeyTable::new();
        table.absorb(&self.paths);
        (table, self.leaves)
    }

    /// Each leaf with its own copy of its path, for tests and small files.
    pub fn named(self) -> Vec<Named> {
        let (table, leaves) = self.into_table();
        leaves
            .into_iter()
            .map(|leaf| Named { path: table.path(leaf.key).to_owned(), leaf })
            .collect()
    }
}

/// A leaf with its own copy of its path. It reads as the leaf.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub path: String,
    pub leaf: Leaf,
}

impl std::ops::Deref for Named {
    type Target = Leaf;

    fn deref(&self) -> &Leaf {
        &self.leaf
    }
}
