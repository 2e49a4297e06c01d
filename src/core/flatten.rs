//! Turns a parser's walk of a document into ordered leaves without building
//! a tree first: parsers call `enter_*`/`leave` as they descend and `leaf`
//! for each scalar or empty container.

use super::key_path;
use super::keys::{KeyId, KeyTable, PathList};
use super::leaf::{Leaf, Origin, ParseError, Parsed, Position, Value, Written};

fn expected_leaves(bytes: usize) -> usize {
    bytes / 32
}

/// Deepest nesting of mappings and sequences a file may have (§2).
pub const MAX_DEPTH: usize = 256;

/// Builds key paths incrementally and collects leaves in document order.
#[derive(Debug, Default)]
pub struct Flattener {
    path: String,
    marks: Vec<usize>,
    leaves: Vec<Leaf>,
    paths: PathList,
    /// How much of the path recorded last is still the current path's
    /// start: the walk has not gone above it since.
    kept: usize,
}

impl Flattener {
    pub fn new() -> Self {
        Self::default()
    }

    /// A flattener sized for a text of `bytes` bytes: config files run
    /// at about one leaf per 35 bytes, and growing by doubling copies and
    /// touches every page again (a third of the time on a 1 MB file).
    pub fn for_text(bytes: usize) -> Self {
        let leaves = expected_leaves(bytes);
        Self {
            leaves: Vec::with_capacity(leaves),
            paths: PathList::with_capacity(leaves),
            ..Self::default()
        }
    }

    /// `for_text` for a parser that keeps its own leaves (reserved too).
    pub fn for_text_keeping(bytes: usize, leaves: &mut Vec<Leaf>) -> Self {
        leaves.reserve(expected_leaves(bytes));
        Self { paths: PathList::with_capacity(expected_leaves(bytes)), ..Self::default() }
    }

    /// Descends into a mapping entry. Fails past `MAX_DEPTH`.
    pub fn enter_key(&mut self, key: &str, at: Position) -> Result<(), ParseError> {
        self.check_depth(at)?;
        self.marks.push(self.path.len());
        key_path::push_key(&mut self.path, key);
        Ok(())
    }

    /// Descends into a sequence item. Fails past `MAX_DEPTH`.
    pub fn enter_index(&mut self, index: usize, at: Position) -> Result<(), ParseError> {
        self.check_depth(at)?;
        self.marks.push(self.path.len());
        key_path::push_index(&mut self.path, index);
        Ok(())
    }

    /// Goes back up one level.
    pub fn leave(&mut self) {
        if let Some(mark) = self.marks.pop() {
            self.path.truncate(mark);
            self.kept = self.kept.min(mark);
        }
    }

    pub fn depth(&self) -> usize {
        self.marks.len()
    }

    /// The path of the current position.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Records a leaf at the current path.
    pub fn leaf(
        &mut self,
        value: Value,
        position: Position,
        span: (u32, u32),
        doc: Option<String>,
    ) {
        self.leaf_from(value, position, span, doc, Origin::Direct);
    }

    /// Records a leaf reached through an alias or a merge key.
    pub fn leaf_from(
        &mut self,
        value: Value,
        position: Position,
        span: (u32, u32),
        doc: Option<String>,
        origin: Origin,
    ) {
        let key = self.key();
        self.leaves.push(Leaf {
            key,
            value,
            position,
            span,
            doc: doc.map(Into::into),
            origin,
            written: Written::Text,
        });
    }

    /// Marks how the leaf just recorded was written: a literal is never a
    /// reference, an expression always is (§5).
    pub fn mark_written(&mut self, written: Written) {
        if let Some(leaf) = self.leaves.last_mut() {
            leaf.written = written;
        }
    }

    /// Records the current path and returns its id, for a parser that
    /// keeps its own leaves.
    pub fn key(&mut self) -> KeyId {
        let (id, _) = self.paths.push_sharing(&self.path, self.kept);
        self.kept = self.path.len();
        id
    }

    pub fn leaf_count(&self) -> usize {
        self.leaves.len()
    }

    pub fn into_parsed(self) -> Parsed {
        Parsed { leaves: self.leaves, paths: self.paths, encryption: None }
    }

    /// The paths recorded so far, for a parser that keeps its own leaves.
    pub fn into_paths(self) -> PathList {
        self.paths
    }

    fn check_depth(&self, at: Position) -> Result<(), ParseError> {
        if self.marks.len() >= MAX_DEPTH {
            Err(ParseError::at(at, format!("nesting deeper than {MAX_DEPTH} levels")))
        } else {
            Ok(())
        }
    }
}

/// Rebuilds a JSON document from leaves (for schemas and validation).
/// Paths that cannot be read back are skipped.
pub fn to_json<'a>(
    keys: &KeyTable,
    leaves: impl IntoIterator<Item = &'a Leaf>,
) -> serde_json::Value {
    use super::key_path::{Segment, parse};
    use serde_json::Value as J;
    let mut root = J::Null;
    for leaf in leaves {
        let Ok(segments) = parse(keys.path(leaf.key)) else { continue };
        let mut node = &mut root;
        for segment in &segments {
            node = match segment {
                Segment::Key(key) => {
                    if !node.is_object() {
                        *node = J::Object(serde_json::Map::new());
                    }
                    let J::Object(map) = node else { break };
                    map.entry(key.clone()).or_insert(J::Null)
                }
                Segment::Index(i) => {
                    if !node.is_array() {
                        *node = J::Array(Vec::new());
                    }
                    let J::Array(items) = node else { break };
                    if items.len() <= *i {
                        items.resize(i + 1, J::Null);
                    }
                    &mut items[*i]
                }
                Segment::Identity(fields) => {
                    if !node.is_array() {
                        *node = J::Array(Vec::new());
                    }
                    let J::Array(items) = node else { break };
                    identified_item(items, fields)
                }
            };
        }
        *node = leaf.value.to_json();
    }
    root
}

/// The item of `items` with these identity fields, added (holding the
/// fields as text until their own leaves set them) when there is none.
fn identified_item<'a>(
    items: &'a mut Vec<serde_json::Value>,
    fields: &[(String, String)],
) -> &'a mut serde_json::Value {
    use serde_json::Value as J;
    let text = |value: &J| match value {
        J::String(s) => s.clone(),
        other => other.to_string(),
    };
    let found = items.iter().position(|item| {
        fields.iter().all(|(field, value)| item.get(field).is_some_and(|v| text(v) == *value))
    });
    let at = found.unwrap_or_else(|| {
        let map = fields.iter().map(|(f, v)| (f.clone(), J::String(v.clone()))).collect();
        items.push(J::Object(map));
        items.len() - 1
    });
    &mut items[at]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_paths_and_unwinds() {
        let at = Position { line: 1, column: 1 };
        let mut f = Flattener::new();
        f.enter_key("a", at).unwrap();
        f.enter_key("b.c", at).unwrap();
        f.enter_index(3, at).unwrap();
        f.leaf(Value::Int(1), at, (0, 1), None);
        f.leave();
        f.leave();
        f.enter_key("d", at).unwrap();
        f.leaf(Value::Null, at, (0, 1), None);
        let paths: Vec<String> = f.into_parsed().named().into_iter().map(|n| n.path).collect();
        assert_eq!(paths, vec![r#"a."b.c"[3]"#, "a.d"]);
    }

    #[test]
    fn rebuilds_json_from_leaves() {
        let at = Position { line: 1, column: 1 };
        let mut f = Flattener::new();
        f.enter_key("a", at).unwrap();
        f.enter_index(1, at).unwrap();
        f.enter_key("x.y", at).unwrap();
        f.leaf(Value::Int(1), at, (0, 1), None);
        f.leave();
        f.leave();
        f.enter_index(0, at).unwrap();
        f.leaf(Value::EmptyMap, at, (0, 1), None);
        f.leave();
        f.leave();
        f.enter_key("b", at).unwrap();
        f.leaf(Value::String("s".into()), at, (0, 1), None);
        let (keys, leaves) = f.into_parsed().into_table();
        let json = to_json(&keys, &leaves);
        assert_eq!(json, serde_json::json!({"a": [{}, {"x.y": 1}], "b": "s"}));
    }

    #[test]
    fn recorded_paths_read_back_after_any_walk() {
        // A fixed pseudo-random walk: up, down and records in every order,
        // across the list's restart points, with keys that share prefixes.
        let at = Position { line: 1, column: 1 };
        let mut f = Flattener::new();
        let mut seed: u32 = 7;
        let mut recorded = Vec::new();
        for _ in 0..2000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let deep = f.depth() > 8;
            match (seed >> 16) % 4 {
                _ if deep => f.leave(),
                0 if f.depth() > 0 => f.leave(),
                1 => f.enter_index(((seed >> 8) % 3) as usize, at).unwrap(),
                2 => {
                    let key = ["db", "dbx", "é", "d", "a.b"][((seed >> 8) % 5) as usize];
                    f.enter_key(key, at).unwrap();
                }
                _ => {
                    recorded.push(f.path().to_owned());
                    f.key();
                }
            }
        }
        let paths = f.into_paths();
        let mut cursor = paths.cursor();
        for want in &recorded {
            assert_eq!(cursor.advance(), Some(want.as_str()));
        }
        assert_eq!(cursor.advance(), None);
    }

    #[test]
    fn refuses_deep_nesting() {
        let at = Position { line: 9, column: 2 };
        let mut f = Flattener::new();
        for _ in 0..MAX_DEPTH {
            f.enter_index(0, at).unwrap();
        }
        let err = f.enter_index(0, at).unwrap_err();
        assert_eq!(err.position, Some(at));
        assert!(err.message.contains("256"));
    }
}
