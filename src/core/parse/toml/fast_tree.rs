//! The keys and tables the TOML fast path has seen, enough to tell when a
//! file defines something twice or extends what TOML says is closed: the
//! fast path then gives up and the full parser reports the error. Keys are
//! borrowed from the text, so the map holds no strings of its own.

use rustc_hash::FxHashMap;

/// The root table.
pub(super) const ROOT: u32 = 0;

/// How a table or key came to exist, which decides what may follow:
/// TOML lets a `[header]` define a table that earlier headers only
/// implied, lets dotted keys of one section add to the tables they
/// created, and nothing else a second time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A value, inline table included: closed to everything outside it.
    Value,
    /// Defined by its own `[header]`.
    Header,
    /// Implied by a longer header (`a` of `[a.b]`).
    Implicit,
    /// Created by a dotted key (`a` of `a.b = 1`).
    Dotted,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    kind: Kind,
    /// The index of the `EmptyMap` leaf given to it while it was empty.
    empty_leaf: Option<usize>,
}

#[derive(Debug)]
pub(super) struct Tree<'a> {
    nodes: Vec<Node>,
    children: FxHashMap<(u32, &'a str), u32>,
    /// Leaves of empty tables that got a sub-table later after all.
    dead: Vec<usize>,
}

impl<'a> Tree<'a> {
    /// A tree for about `keys` keys (sized up front: growing the map
    /// would rehash it several times on a large file).
    pub(super) fn new(keys: usize) -> Self {
        let mut nodes = Vec::with_capacity(keys + 1);
        nodes.push(Node { kind: Kind::Header, empty_leaf: None });
        Self {
            nodes,
            children: FxHashMap::with_capacity_and_hasher(keys, rustc_hash::FxBuildHasher),
            dead: Vec::new(),
        }
    }

    /// The table of a `[a.b]` header and whether the header created it
    /// (only then may it be empty); `None` if TOML forbids the header.
    pub(super) fn header(&mut self, path: &'a str) -> Option<(u32, bool)> {
        let mut node = ROOT;
        let mut created = false;
        for (segment, last) in segments(path) {
            (node, created) = match self.children.get(&(node, segment)).copied() {
                None => {
                    let kind = if last { Kind::Header } else { Kind::Implicit };
                    (self.add(node, segment, kind), true)
                }
                Some(child) => match (self.nodes[child as usize].kind, last) {
                    (Kind::Header | Kind::Implicit, false) => (child, false),
                    (Kind::Implicit, true) => {
                        self.nodes[child as usize].kind = Kind::Header;
                        (child, false)
                    }
                    _ => return None,
                },
            };
        }
        Some((node, created))
    }

    /// The node of a new (possibly dotted) key in `table`; `None` if it
    /// exists or goes through anything but tables its own section's
    /// dotted keys created.
    pub(super) fn key(&mut self, table: u32, key: &'a str) -> Option<u32> {
        let mut node = table;
        for (segment, last) in segments(key) {
            node = match self.children.get(&(node, segment)).copied() {
                None if last => self.add(node, segment, Kind::Value),
                None => self.add(node, segment, Kind::Dotted),
                Some(child) if !last && self.nodes[child as usize].kind == Kind::Dotted => child,
                Some(_) => return None,
            };
        }
        Some(node)
    }

    /// A table with no key: an inline table in an array.
    pub(super) fn anonymous(&mut self) -> u32 {
        self.push(Kind::Value)
    }

    /// Records that `node`'s (empty so far) table got the leaf `leaf`.
    pub(super) fn set_empty_leaf(&mut self, node: u32, leaf: usize) {
        self.nodes[node as usize].empty_leaf = Some(leaf);
    }

    /// Drops the leaves of tables that turned out not to be empty.
    pub(super) fn remove_dead<T>(mut self, leaves: &mut Vec<T>) {
        if self.dead.is_empty() {
            return;
        }
        self.dead.sort_unstable();
        let mut dead = self.dead.iter().copied().peekable();
        let mut index = 0;
        leaves.retain(|_| {
            index += 1;
            dead.next_if_eq(&(index - 1)).is_none()
        });
    }

    /// A new child of `parent`, which is no longer empty.
    fn add(&mut self, parent: u32, segment: &'a str, kind: Kind) -> u32 {
        if let Some(leaf) = self.nodes[parent as usize].empty_leaf.take() {
            self.dead.push(leaf);
        }
        let id = self.push(kind);
        self.children.insert((parent, segment), id);
        id
    }

    fn push(&mut self, kind: Kind) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(Node { kind, empty_leaf: None });
        id
    }
}

/// The segments of a dotted bare key, each with whether it is the last
/// (bytes, not `split`: keys are short, and this is the hot loop).
fn segments(key: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut rest = Some(key);
    std::iter::from_fn(move || {
        let text = rest?;
        if let Some(dot) = text.as_bytes().iter().position(|&b| b == b'.') {
            rest = Some(&text[dot + 1..]);
            Some((&text[..dot], false))
        } else {
            rest = None;
            Some((text, true))
        }
    })
}
