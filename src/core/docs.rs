//! Documentation of a key (§6): from the set's JSON Schema when it
//! describes the key, else from the comment above the key (or at the end of
//! its line) in the first env file, in env order, that has one.

use rustc_hash::FxHashMap;
use serde_json::Value as J;

use super::key_path::{self, Segment};
use super::keys::KeyId;
use super::leaf::{Leaf, Value};
use super::project::{LoadedFile, LoadedSet};
use super::secret::{self, KeyRules};

/// Where a key's description came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocSource {
    Schema { rel_path: String },
    Comment { env: String, rel_path: String, line: u32 },
}

/// Everything known about a key besides its values.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyDoc {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Where `title`/`description` came from.
    pub source: Option<DocSource>,
    /// The schema's `type` as written (`integer`, `["string", "null"]`, …).
    pub schema_type: Option<String>,
    pub allowed: Vec<J>,
    pub default: Option<J>,
    pub minimum: Option<J>,
    pub maximum: Option<J>,
    pub pattern: Option<String>,
    pub format: Option<String>,
    pub examples: Vec<J>,
    pub deprecated: bool,
}

impl KeyDoc {
    /// True when there is a title or a description to read.
    pub fn has_text(&self) -> bool {
        self.title.is_some() || self.description.is_some()
    }
}

/// The documentation of `key` in `set` (one key: its comment is looked
/// for by a scan; `Comments` serves a whole set). `secret` says whether a
/// value of the key is a secret in some env (the caller has its cells): the
/// schema's values are then masked as §5 says.
pub fn for_key(set: &LoadedSet, key: &str, secret: bool) -> KeyDoc {
    let comment = set.key(key).and_then(|id| {
        set.envs.iter().chain(&set.base).find_map(|file| {
            let leaf = file.leaves.iter().find(|l| l.key == id && l.doc.is_some())?;
            comment_at(file, leaf)
        })
    });
    describe(set, key, comment, secret)
}

/// `for_key` with the key's comment already found: `commented` is the
/// first leaf of the key with a comment (env files in order, then the base
/// file), as `for_key` looks for it, when the caller keeps where it is.
pub fn for_key_commented(
    set: &LoadedSet,
    key: &str,
    commented: Option<(&LoadedFile, &Leaf)>,
    secret: bool,
) -> KeyDoc {
    describe(set, key, commented.and_then(|(file, leaf)| comment_at(file, leaf)), secret)
}

/// The comment of each key of a set, found in one pass: the first leaf
/// with a comment, in env order, then the base file.
#[derive(Debug, Default)]
pub struct Comments<'a> {
    first: FxHashMap<KeyId, (&'a LoadedFile, &'a Leaf)>,
}

impl<'a> Comments<'a> {
    pub fn of(set: &'a LoadedSet) -> Self {
        let mut first = FxHashMap::default();
        for file in set.envs.iter().chain(&set.base) {
            for leaf in file.leaves.iter().filter(|l| l.doc.is_some()) {
                first.entry(leaf.key).or_insert((file, leaf));
            }
        }
        Self { first }
    }

    /// Env, file, line and text of the comment of key `id`.
    fn get(&self, id: KeyId) -> Option<(String, String, u32, String)> {
        let (file, leaf) = self.first.get(&id)?;
        comment_at(file, leaf)
    }
}

fn comment_at(file: &LoadedFile, leaf: &Leaf) -> Option<(String, String, u32, String)> {
    let text = leaf.doc.as_deref()?;
    Some((file.file.env.clone(), file.file.rel_path.clone(), leaf.position.line, text.to_owned()))
}

/// `for_key` for key `id` of a set whose `Comments` are known; `secret`
/// says whether a value of the key in some env is a secret.
pub fn for_key_in(
    set: &LoadedSet,
    key: &str,
    id: KeyId,
    comments: &Comments<'_>,
    secret: bool,
) -> KeyDoc {
    describe(set, key, comments.get(id), secret)
}

fn describe(
    set: &LoadedSet,
    key: &str,
    comment: Option<(String, String, u32, String)>,
    secret: bool,
) -> KeyDoc {
    let mut doc = set
        .schema
        .as_ref()
        .and_then(|schema| {
            let node = schema_node(&schema.document, key)?;
            Some(from_schema(node, &schema.document, &schema.rel_path))
        })
        .unwrap_or_default();
    if !doc.has_text()
        && let Some((env, rel_path, line, text)) = comment
    {
        doc.description = Some(text);
        doc.source = Some(DocSource::Comment { env, rel_path, line });
    }
    mask_values(&mut doc, set.key_rules(key), secret);
    doc
}

/// A schema's `default`, `examples` and `enum` for a secret key may be real
/// secrets (§5): masked like a value of the key. For a key no env holds a
/// secret in, each is judged as a value of the key on its own (an example
/// with a token's shape is masked too).
fn mask_values(doc: &mut KeyDoc, rules: KeyRules, secret: bool) {
    let mask = |v: &mut J| {
        let hidden = match v {
            J::Null | J::Bool(_) => None,
            J::String(s) if s.is_empty() => None,
            J::String(s) => {
                let value = Value::String(s.as_str().into());
                let found = rules.classify(&value);
                match found {
                    Some(_) => Some(secret::display(&value, found, false)),
                    None if secret && !secret::is_reference(s) => Some(secret::MASK.to_owned()),
                    None => None,
                }
            }
            _ if secret || rules.classify(&Value::Int(0)).is_some() => {
                Some(secret::MASK.to_owned())
            }
            _ => None,
        };
        if let Some(text) = hidden {
            *v = J::String(text);
        }
    };
    doc.default.iter_mut().for_each(mask);
    doc.examples.iter_mut().for_each(mask);
    doc.allowed.iter_mut().for_each(mask);
}

fn from_schema(node: &J, root: &J, rel_path: &str) -> KeyDoc {
    let node = resolve(node, root);
    let text = |field: &str| node.get(field).and_then(J::as_str).map(str::to_owned);
    let title = text("title");
    let description = text("description");
    let source = (title.is_some() || description.is_some())
        .then(|| DocSource::Schema { rel_path: rel_path.to_owned() });
    KeyDoc {
        title,
        description,
        source,
        schema_type: node.get("type").map(|t| match t {
            J::String(s) => s.clone(),
            other => other.to_string(),
        }),
        allowed: node.get("enum").and_then(J::as_array).cloned().unwrap_or_default(),
        default: node.get("default").cloned(),
        minimum: node.get("minimum").or_else(|| node.get("exclusiveMinimum")).cloned(),
        maximum: node.get("maximum").or_else(|| node.get("exclusiveMaximum")).cloned(),
        pattern: text("pattern"),
        format: text("format"),
        examples: node.get("examples").and_then(J::as_array).cloned().unwrap_or_default(),
        deprecated: node.get("deprecated") == Some(&J::Bool(true)),
    }
}

/// The schema node that describes `key`, following `properties`, `items`,
/// `prefixItems`, `additionalProperties`, local `$ref`s and the branches of
/// `allOf`/`anyOf`/`oneOf`.
pub fn schema_node<'a>(root: &'a J, key: &str) -> Option<&'a J> {
    let segments = key_path::parse(key).ok()?;
    descend(root, root, &segments, 0)
}

fn descend<'a>(node: &'a J, root: &'a J, segments: &[Segment], depth: usize) -> Option<&'a J> {
    // `$ref` cycles cannot recurse forever.
    if depth > 64 {
        return None;
    }
    let node = resolve(node, root);
    let Some((first, rest)) = segments.split_first() else { return Some(node) };
    let direct = match first {
        Segment::Key(k) => node
            .get("properties")
            .and_then(|p| p.get(k))
            .or_else(|| node.get("additionalProperties").filter(|a| a.is_object())),
        Segment::Index(i) => node
            .get("prefixItems")
            .and_then(|p| p.get(*i))
            .or_else(|| node.get("items").filter(|a| a.is_object())),
        Segment::Identity(_) => node.get("items").filter(|a| a.is_object()),
    };
    if let Some(found) = direct.and_then(|child| descend(child, root, rest, depth + 1)) {
        return Some(found);
    }
    ["allOf", "anyOf", "oneOf"]
        .iter()
        .filter_map(|c| node.get(c).and_then(J::as_array))
        .flatten()
        .find_map(|branch| descend(branch, root, segments, depth + 1))
}

/// Follows a local `$ref` (`#/$defs/port`); anything else stays as it is.
fn resolve<'a>(node: &'a J, root: &'a J) -> &'a J {
    let mut node = node;
    for _ in 0..16 {
        match node.get("$ref").and_then(J::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => match root.pointer(pointer) {
                Some(target) => node = target,
                None => break,
            },
            None => break,
        }
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_nodes_through_every_kind_of_step() {
        let schema = json!({
            "$defs": {"port": {"type": "integer", "description": "A TCP port.", "maximum": 65535}},
            "properties": {
                "server": {"properties": {"port": {"$ref": "#/$defs/port"}}},
                "hosts": {"items": {"type": "string", "description": "A host."}},
                "pair": {"prefixItems": [{"description": "first"}, {"description": "second"}]},
                "labels": {"additionalProperties": {"description": "A label."}},
                "mode": {"allOf": [{"properties": {"fast": {"type": "boolean", "deprecated": true}}}]}
            }
        });
        let doc = |key: &str| from_schema(schema_node(&schema, key).unwrap(), &schema, "s.json");
        assert_eq!(doc("server.port").description.as_deref(), Some("A TCP port."));
        assert_eq!(doc("server.port").maximum, Some(json!(65535)));
        assert_eq!(doc("hosts[3]").description.as_deref(), Some("A host."));
        assert_eq!(doc("pair[1]").description.as_deref(), Some("second"));
        assert_eq!(
            doc(r#"labels."app.kubernetes.io/name""#).description.as_deref(),
            Some("A label.")
        );
        assert!(doc("mode.fast").deprecated);
        assert!(schema_node(&schema, "server.nope").is_none());
    }

    #[test]
    fn ref_cycles_end() {
        let schema = json!({"$defs": {"a": {"$ref": "#/$defs/a"}}, "properties": {"x": {"$ref": "#/$defs/a"}}});
        assert!(schema_node(&schema, "x.y").is_none());
    }
}
