//! Lays an env file over its set's base file (§4): a deep merge of
//! mappings where sequences and scalars replace, done on flattened leaves by
//! looking at what kind of node each side has at every path prefix.

use rustc_hash::FxHashMap;

use super::key_path::prefix_ends;
use super::keys::{KeyId, KeyTable};
use super::leaf::{Leaf, Value};

/// One leaf of an env's effective document.
#[derive(Debug, Clone, Copy)]
pub struct Effective<'a> {
    pub leaf: &'a Leaf,
    /// The value comes from the base file.
    pub inherited: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    /// A mapping with entries.
    Map,
    /// A sequence with items.
    Seq,
    EmptyMap,
    /// A scalar or an empty sequence: replaces whatever the base has.
    Other,
}

/// The kind of node a document has at each path that holds something.
fn node_kinds<'a>(keys: &'a KeyTable, leaves: &[Leaf]) -> FxHashMap<&'a str, Node> {
    let mut kinds = FxHashMap::default();
    for leaf in leaves {
        let path = keys.path(leaf.key);
        for end in prefix_ends(path) {
            let kind = if path.as_bytes()[end] == b'[' { Node::Seq } else { Node::Map };
            kinds.insert(&path[..end], kind);
        }
        let own = if leaf.value == Value::EmptyMap { Node::EmptyMap } else { Node::Other };
        kinds.insert(path, own);
    }
    kinds
}

/// The effective leaves of an env: base values the env does not override,
/// then the env's own; base order first, so a key keeps its place.
/// Base and env leaves are keyed in the same table (`keys`).
pub fn effective<'a>(
    keys: &KeyTable,
    base: Option<&'a [Leaf]>,
    env: &'a [Leaf],
) -> Vec<Effective<'a>> {
    let Some(base) = base else {
        return env.iter().map(|leaf| Effective { leaf, inherited: false }).collect();
    };
    let env_kinds = node_kinds(keys, env);
    let base_kinds = node_kinds(keys, base);
    let env_index: FxHashMap<KeyId, usize> =
        env.iter().enumerate().map(|(i, l)| (l.key, i)).collect();
    let mut used = vec![false; env.len()];
    let mut out = Vec::with_capacity(base.len().max(env.len()));
    for leaf in base {
        if base_leaf_survives(keys.path(leaf.key), &env_kinds) {
            out.push(Effective { leaf, inherited: true });
        } else if let Some(&i) = env_index.get(&leaf.key)
            && !used[i]
            && env_leaf_survives(keys, &env[i], &base_kinds)
        {
            used[i] = true;
            out.push(Effective { leaf: &env[i], inherited: false });
        }
    }
    for (i, leaf) in env.iter().enumerate() {
        if !used[i] && env_leaf_survives(keys, leaf, &base_kinds) {
            out.push(Effective { leaf, inherited: false });
        }
    }
    out
}

/// A base leaf stays unless the env replaces it or one of its ancestors.
fn base_leaf_survives(path: &str, env_kinds: &FxHashMap<&str, Node>) -> bool {
    for end in prefix_ends(path) {
        let base_kind = if path.as_bytes()[end] == b'[' { Node::Seq } else { Node::Map };
        match (env_kinds.get(&path[..end]), base_kind) {
            (None, _) => return true,
            // The env's mapping (even an empty one) merges with the base's.
            (Some(Node::Map | Node::EmptyMap), Node::Map) => {}
            _ => return false,
        }
    }
    !env_kinds.contains_key(path)
}

/// An env's empty mapping gives way to the base's entries under it.
fn env_leaf_survives(keys: &KeyTable, leaf: &Leaf, base_kinds: &FxHashMap<&str, Node>) -> bool {
    !(leaf.value == Value::EmptyMap && base_kinds.get(keys.path(leaf.key)) == Some(&Node::Map))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::leaf::bare_all;

    fn leaf(path: &str, value: Value) -> (&str, Value) {
        (path, value)
    }

    fn merged(base: &[(&str, Value)], env: &[(&str, Value)]) -> Vec<String> {
        let mut keys = KeyTable::new();
        let base = bare_all(&mut keys, base);
        let env = bare_all(&mut keys, env);
        effective(&keys, Some(&base), &env)
            .iter()
            .map(|e| {
                let from = if e.inherited { "base" } else { "env" };
                format!("{}={}@{from}", keys.path(e.leaf.key), e.leaf.value.display_text())
            })
            .collect()
    }

    #[test]
    fn no_base_means_env_as_is() {
        let mut keys = KeyTable::new();
        let env = bare_all(&mut keys, &[leaf("a", Value::Int(1))]);
        let out = effective(&keys, None, &env);
        assert_eq!(out.len(), 1);
        assert!(!out[0].inherited);
    }

    #[test]
    fn mappings_merge_deeply_and_scalars_override() {
        let base = [
            leaf("db.host", Value::String("localhost".into())),
            leaf("db.port", Value::Int(5432)),
            leaf("log.level", Value::String("info".into())),
        ];
        let env =
            [leaf("db.host", Value::String("db.prod".into())), leaf("extra", Value::Bool(true))];
        assert_eq!(
            merged(&base, &env),
            vec![
                "db.host=db.prod@env",
                "db.port=5432@base",
                "log.level=info@base",
                "extra=true@env"
            ]
        );
    }

    #[test]
    fn sequences_replace_whole() {
        let base = [
            leaf("hosts[0]", Value::String("a".into())),
            leaf("hosts[1]", Value::String("b".into())),
        ];
        let env = [leaf("hosts[0]", Value::String("c".into()))];
        assert_eq!(merged(&base, &env), vec!["hosts[0]=c@env"]);
        let env_empty = [leaf("hosts", Value::EmptyList)];
        assert_eq!(merged(&base, &env_empty), vec!["hosts=[]@env"]);
    }

    #[test]
    fn empty_mapping_in_env_keeps_base() {
        let base = [leaf("db.host", Value::String("h".into()))];
        let env = [leaf("db", Value::EmptyMap)];
        assert_eq!(merged(&base, &env), vec!["db.host=h@base"]);
    }

    #[test]
    fn scalar_replaces_mapping_and_mapping_replaces_scalar() {
        let base = [leaf("db.host", Value::String("h".into())), leaf("cache", Value::Null)];
        let env = [leaf("db", Value::Null), leaf("cache.size", Value::Int(3))];
        assert_eq!(merged(&base, &env), vec!["db=null@env", "cache.size=3@env"]);
    }

    #[test]
    fn env_empty_map_over_base_empty_map() {
        let base = [leaf("a", Value::EmptyMap)];
        let env = [leaf("a", Value::EmptyMap)];
        assert_eq!(merged(&base, &env), vec!["a={}@env"]);
    }
}
