//! A flag file's parsed leaves as a tree again, so a format can walk its
//! flags by field; every node keeps the leaves that hold its text.

use crate::core::key_path::{self, Segment};
use crate::core::leaf::{Leaf, Parsed, Value};

/// A node of the document: a leaf (its index), a map or a list (child
/// node indices).
#[derive(Debug, Clone)]
pub enum Node {
    Leaf(usize),
    Map(Vec<(String, usize)>),
    List(Vec<usize>),
}

/// The document: its leaves and the nodes over them; node 0 is the root.
#[derive(Debug)]
pub struct Doc {
    leaves: Vec<Leaf>,
    nodes: Vec<Node>,
}

impl Doc {
    pub fn new(parsed: &Parsed) -> Self {
        let mut doc = Self { leaves: parsed.leaves.clone(), nodes: vec![Node::Map(Vec::new())] };
        for (i, leaf) in parsed.leaves.iter().enumerate() {
            let Ok(segments) = key_path::parse(&parsed.path(leaf)) else { continue };
            doc.insert(&segments, i);
        }
        doc
    }

    fn insert(&mut self, segments: &[Segment], leaf: usize) {
        let mut at = 0;
        for (depth, segment) in segments.iter().enumerate() {
            let last = depth + 1 == segments.len();
            let fresh = if last {
                Node::Leaf(leaf)
            } else {
                match segments[depth + 1] {
                    Segment::Key(_) => Node::Map(Vec::new()),
                    Segment::Index(_) => Node::List(Vec::new()),
                    // A parser's paths have no identity segments (lists are
                    // keyed by identity after parsing, §12): nothing to build.
                    Segment::Identity(_) => return,
                }
            };
            let next = self.nodes.len();
            let child = match (&mut self.nodes[at], segment) {
                (Node::Map(entries), Segment::Key(key)) => {
                    let found = entries.iter().find(|(k, _)| k == key).map(|(_, c)| *c);
                    if found.is_none() {
                        entries.push((key.clone(), next));
                    }
                    found
                }
                (Node::List(items), Segment::Index(index)) => {
                    if let Some(child) = items.get(*index) {
                        Some(*child)
                    } else {
                        items.push(next);
                        None
                    }
                }
                _ => return,
            };
            at = child.unwrap_or_else(|| {
                self.nodes.push(fresh);
                next
            });
        }
    }

    pub const ROOT: usize = 0;

    /// The child `key` of a map node.
    pub fn get(&self, node: usize, key: &str) -> Option<usize> {
        match self.nodes.get(node)? {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, c)| *c),
            _ => None,
        }
    }

    /// The node at `keys` below `node`.
    pub fn at(&self, node: usize, keys: &[&str]) -> Option<usize> {
        keys.iter().try_fold(node, |at, key| self.get(at, key))
    }

    pub fn entries(&self, node: usize) -> &[(String, usize)] {
        match self.nodes.get(node) {
            Some(Node::Map(entries)) => entries,
            _ => &[],
        }
    }

    pub fn items(&self, node: usize) -> &[usize] {
        match self.nodes.get(node) {
            Some(Node::List(items)) => items,
            _ => &[],
        }
    }

    /// A map's entry count, a list's length; 0 for an empty container.
    pub fn len(&self, node: usize) -> usize {
        match self.nodes.get(node) {
            Some(Node::Map(entries)) => entries.len(),
            Some(Node::List(items)) => items.len(),
            _ => 0,
        }
    }

    pub fn value(&self, node: usize) -> Option<&Value> {
        match self.nodes.get(node)? {
            Node::Leaf(leaf) => self.leaves.get(*leaf).map(|l| &l.value),
            _ => None,
        }
    }

    pub fn text(&self, node: usize) -> Option<&str> {
        match self.value(node)? {
            Value::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    pub fn bool(&self, node: usize) -> Option<bool> {
        match self.value(node)? {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A number, or a string that holds one (Unleash writes `"50"`).
    pub fn number(&self, node: usize) -> Option<f64> {
        #[allow(clippy::cast_precision_loss, reason = "percentages are small")]
        match self.value(node)? {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The first leaf at or below a node, in file order.
    pub fn first_leaf(&self, node: usize) -> Option<usize> {
        match self.nodes.get(node)? {
            Node::Leaf(leaf) => Some(*leaf),
            Node::Map(entries) => entries.iter().find_map(|(_, c)| self.first_leaf(*c)),
            Node::List(items) => items.iter().find_map(|c| self.first_leaf(*c)),
        }
    }

    pub fn leaf(&self, index: usize) -> Option<&Leaf> {
        self.leaves.get(index)
    }

    /// Every leaf at or below a node with its path below it (`""` for the
    /// node itself, `.color`, `[0]`), in file order.
    pub fn leaves_below(&self, node: usize) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        self.collect(node, &mut String::new(), &mut out);
        out
    }

    fn collect(&self, node: usize, rest: &mut String, out: &mut Vec<(String, usize)>) {
        match self.nodes.get(node) {
            Some(Node::Leaf(leaf)) => out.push((rest.clone(), *leaf)),
            Some(Node::Map(entries)) => {
                for (key, child) in entries {
                    let keep = rest.len();
                    // A relative path: `.key`, so that it appends to a base.
                    let mut segment = String::from("x");
                    key_path::push_key(&mut segment, key);
                    rest.push_str(&segment[1..]);
                    self.collect(*child, rest, out);
                    rest.truncate(keep);
                }
            }
            Some(Node::List(items)) => {
                for (i, child) in items.iter().enumerate() {
                    let keep = rest.len();
                    key_path::push_index(rest, i);
                    self.collect(*child, rest, out);
                    rest.truncate(keep);
                }
            }
            None => {}
        }
    }
}
