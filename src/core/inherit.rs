//! Lays an env file over its set's base layer (§4, §10), by the set's
//! merge rule: every rule lives here. The default is a deep merge of
//! mappings where sequences and scalars replace, done on flattened leaves by
//! looking at what kind of node each side has at every path prefix; the
//! layouts' rules change one decision each (helm: `null` deletes; dotnet:
//! lists merge by index, keys match without case; dynaconf and terraform:
//! a top-level key replaces whole).

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::key_path::prefix_ends;
use super::keys::{KeyId, KeyTable};
use super::leaf::{Leaf, Value};

/// How an env's file merges over its base layer (§10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Merge {
    /// Mappings merge deeply; sequences and scalars replace.
    #[default]
    Deep,
    /// Dotenv: one level of keys, the env's value wins.
    Flat,
    /// Deep, and an env's `null` deletes the key (Helm values).
    Helm,
    /// Deep, lists merge by index, keys match case-insensitively (.NET).
    Dotnet,
    /// The compose merge: mappings deep (`environment` and `labels` are
    /// mappings, §12), lists by identity (`ports`, `volumes`, `secrets` by
    /// `target`) merge item by item, other lists replace.
    Compose,
    /// Kubernetes strategic merge (kustomize patches): mappings deep,
    /// lists by identity (`containers[name=web]`) item by item, other
    /// lists replace.
    Kustomize,
    /// A top-level key of the env replaces the base's whole (dynaconf).
    Dynaconf,
    /// A variable of the env replaces the base's whole (terraform).
    Terraform,
}

impl Merge {
    /// The name `.envlens.toml` and `envlens sets` use.
    pub fn name(self) -> &'static str {
        match self {
            Self::Deep => "deep",
            Self::Flat => "flat",
            Self::Helm => "helm",
            Self::Dotnet => "dotnet",
            Self::Compose => "compose",
            Self::Kustomize => "kustomize",
            Self::Dynaconf => "dynaconf",
            Self::Terraform => "terraform",
        }
    }

    /// The rule of a name written in `.envlens.toml` (`kustomize` is the
    /// kustomize preset's own, not a `merge =` of the contract).
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::Deep,
            Self::Flat,
            Self::Helm,
            Self::Dotnet,
            Self::Compose,
            Self::Dynaconf,
            Self::Terraform,
        ]
        .into_iter()
        .find(|m| m.name() == name)
    }

    /// Sequences of base and env merge item by item instead of replacing.
    fn lists_by_index(self) -> bool {
        self == Self::Dotnet
    }

    /// Lists keyed by identity (§12) merge item by item, as their tool
    /// merges them.
    fn lists_by_identity(self) -> bool {
        matches!(self, Self::Compose | Self::Kustomize)
    }

    /// An env value replaces the base's whole top-level entry.
    fn top_level_replace(self) -> bool {
        matches!(self, Self::Dynaconf | Self::Terraform)
    }
}

/// One leaf of an env's effective document.
#[derive(Debug, Clone, Copy)]
pub struct Effective<'a> {
    pub leaf: &'a Leaf,
    /// The value comes from a base layer, not the env's own files.
    pub inherited: bool,
    /// Which layer holds it: 0 the env's file, 1 the set's base file, and
    /// the numbers a stack gives its layers (`stacked`).
    pub layer: u16,
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

/// A path as the merge compares it: as written, or lowercased for a
/// rule whose keys match without case.
fn fold(path: &str, merge: Merge) -> Cow<'_, str> {
    if merge == Merge::Dotnet { Cow::Owned(path.to_ascii_lowercase()) } else { Cow::Borrowed(path) }
}

/// The kind of node a document has at each path that holds something.
fn node_kinds<'a, 'l>(
    keys: &'a KeyTable,
    leaves: impl Iterator<Item = &'l Leaf>,
    merge: Merge,
) -> FxHashMap<Cow<'a, str>, Node> {
    let mut kinds = FxHashMap::default();
    for leaf in leaves {
        let path = keys.path(leaf.key);
        super::key_path::for_each_prefix_end(path, |end| {
            let kind = if path.as_bytes()[end] == b'[' { Node::Seq } else { Node::Map };
            kinds.insert(fold(&path[..end], merge), kind);
        });
        let own = if leaf.value == Value::EmptyMap { Node::EmptyMap } else { Node::Other };
        kinds.insert(fold(path, merge), own);
    }
    kinds
}

/// The effective leaves of an env under the deep merge (§4).
pub fn effective<'a>(
    keys: &KeyTable,
    base: Option<&'a [Leaf]>,
    env: &'a [Leaf],
) -> Vec<Effective<'a>> {
    effective_with(keys, base, env, Merge::Deep)
}

/// The effective leaves of an env under `merge`: base values the env does
/// not override, then the env's own; base order first, so a key keeps its
/// place. Base and env leaves are keyed in the same table (`keys`).
pub fn effective_with<'a>(
    keys: &KeyTable,
    base: Option<&'a [Leaf]>,
    env: &'a [Leaf],
    merge: Merge,
) -> Vec<Effective<'a>> {
    let below = base.map_or_else(Vec::new, |base| own(base, true, 1));
    lay(keys, below, env, false, 0, merge)
}

/// One layer of a stack (§10): its leaves, whether its values count as
/// inherited (a base layer) or as the env's own (an env's further file),
/// and the number `Effective::layer` gives its values.
#[derive(Debug, Clone, Copy)]
pub struct Layer<'a> {
    pub leaves: &'a [Leaf],
    pub inherited: bool,
    pub number: u16,
}

/// The effective leaves of a stack of layers, bottom first, each laid
/// over what is below it by `merge`.
pub fn stacked<'a>(keys: &KeyTable, layers: &[Layer<'a>], merge: Merge) -> Vec<Effective<'a>> {
    let mut below = Vec::new();
    for layer in layers {
        below = lay(keys, below, layer.leaves, layer.inherited, layer.number, merge);
    }
    below
}

fn own(leaves: &[Leaf], inherited: bool, layer: u16) -> Vec<Effective<'_>> {
    leaves.iter().map(|leaf| Effective { leaf, inherited, layer }).collect()
}

/// Lays `over` on what is `below` it: values below that `over` does not
/// override keep their place, `over`'s own follow.
fn lay<'a>(
    keys: &KeyTable,
    below: Vec<Effective<'a>>,
    over: &'a [Leaf],
    inherited: bool,
    layer: u16,
    merge: Merge,
) -> Vec<Effective<'a>> {
    let mine = |leaf| Effective { leaf, inherited, layer };
    if below.is_empty() {
        return over.iter().filter(|leaf| !deletes(leaf, merge)).map(mine).collect();
    }
    let env_kinds = node_kinds(keys, over.iter(), merge);
    let base_kinds = node_kinds(keys, below.iter().map(|e| e.leaf), merge);
    let env_index = EnvIndex::new(keys, over, merge);
    let mut used = vec![false; over.len()];
    let mut out = Vec::with_capacity(below.len().max(over.len()));
    for kept in below {
        if base_leaf_survives(keys.path(kept.leaf.key), &env_kinds, merge) {
            out.push(kept);
        } else if let Some(i) = env_index.get(keys, kept.leaf)
            && !used[i]
        {
            used[i] = true;
            if env_leaf_survives(keys, &over[i], &base_kinds, merge) {
                out.push(mine(&over[i]));
            }
        }
    }
    for (i, leaf) in over.iter().enumerate() {
        if !used[i] && env_leaf_survives(keys, leaf, &base_kinds, merge) {
            out.push(mine(leaf));
        }
    }
    out
}

/// Where an env leaf sits by its key: by id, or by folded path.
enum EnvIndex<'a> {
    Exact(FxHashMap<KeyId, usize>),
    Folded(FxHashMap<Cow<'a, str>, usize>),
}

impl<'a> EnvIndex<'a> {
    fn new(keys: &'a KeyTable, env: &[Leaf], merge: Merge) -> Self {
        if merge == Merge::Dotnet {
            let index = env.iter().enumerate().map(|(i, l)| (fold(keys.path(l.key), merge), i));
            Self::Folded(index.collect())
        } else {
            Self::Exact(env.iter().enumerate().map(|(i, l)| (l.key, i)).collect())
        }
    }

    fn get(&self, keys: &KeyTable, base_leaf: &Leaf) -> Option<usize> {
        match self {
            Self::Exact(index) => index.get(&base_leaf.key).copied(),
            Self::Folded(index) => {
                index.get(keys.path(base_leaf.key).to_ascii_lowercase().as_str()).copied()
            }
        }
    }
}

/// Helm: an env's `null` deletes the key instead of holding a value.
fn deletes(leaf: &Leaf, merge: Merge) -> bool {
    merge == Merge::Helm && leaf.value == Value::Null
}

/// A base leaf stays unless the env replaces it or one of its ancestors.
fn base_leaf_survives(path: &str, env_kinds: &FxHashMap<Cow<'_, str>, Node>, merge: Merge) -> bool {
    let ends = prefix_ends(path);
    if merge.top_level_replace() {
        let top = ends.first().map_or(path, |&end| &path[..end]);
        return !env_kinds.contains_key(top);
    }
    for end in ends {
        let base_kind = if path.as_bytes()[end] == b'[' { Node::Seq } else { Node::Map };
        match (env_kinds.get(&fold(&path[..end], merge)), base_kind) {
            (None, _) => return true,
            // The env's mapping (even an empty one) merges with the base's.
            (Some(Node::Map | Node::EmptyMap), Node::Map) => {}
            (Some(Node::Seq), Node::Seq) if merge.lists_by_index() => {}
            (Some(Node::Seq), Node::Seq)
                if merge.lists_by_identity() && is_identity_item(&path[end..]) => {}
            _ => return false,
        }
    }
    !env_kinds.contains_key(&fold(path, merge))
}

/// Whether the text at a `[` is an identity segment (`[name=web]`), not
/// an index.
fn is_identity_item(from_bracket: &str) -> bool {
    from_bracket.as_bytes().get(1).is_some_and(|b| !b.is_ascii_digit())
}

/// An env's empty mapping gives way to the base's entries under it (not
/// where the env replaces a whole top-level entry); helm's `null` is no value.
fn env_leaf_survives(
    keys: &KeyTable,
    leaf: &Leaf,
    base_kinds: &FxHashMap<Cow<'_, str>, Node>,
    merge: Merge,
) -> bool {
    if deletes(leaf, merge) {
        return false;
    }
    let yields = leaf.value == Value::EmptyMap
        && !merge.top_level_replace()
        && base_kinds.get(&fold(keys.path(leaf.key), merge)) == Some(&Node::Map);
    !yields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::leaf::bare_all;

    fn leaf(path: &str, value: Value) -> (&str, Value) {
        (path, value)
    }

    fn merged(base: &[(&str, Value)], env: &[(&str, Value)]) -> Vec<String> {
        merged_by(Merge::Deep, base, env)
    }

    fn merged_by(merge: Merge, base: &[(&str, Value)], env: &[(&str, Value)]) -> Vec<String> {
        let mut keys = KeyTable::new();
        let base = bare_all(&mut keys, base);
        let env = bare_all(&mut keys, env);
        effective_with(&keys, Some(&base), &env, merge)
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

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    #[test]
    fn helm_null_deletes_the_key_and_what_is_under_it() {
        let base =
            [leaf("image.tag", s("1.0")), leaf("probe.path", s("/h")), leaf("debug", s("x"))];
        let env =
            [leaf("probe", Value::Null), leaf("debug", Value::Null), leaf("extra", Value::Null)];
        assert_eq!(merged_by(Merge::Helm, &base, &env), vec!["image.tag=\"1.0\"@base"]);
        // The deep merge keeps a null as a value.
        assert_eq!(
            merged(&base, &env),
            vec!["image.tag=\"1.0\"@base", "debug=null@env", "probe=null@env", "extra=null@env"]
        );
    }

    #[test]
    fn dotnet_lists_merge_by_index_and_keys_ignore_case() {
        let base = [
            leaf("Hosts[0]", s("a")),
            leaf("Hosts[1]", s("b")),
            leaf("Logging.LogLevel.Default", s("Information")),
        ];
        let env = [leaf("hosts[0]", s("c")), leaf("logging.loglevel.default", s("Warning"))];
        assert_eq!(
            merged_by(Merge::Dotnet, &base, &env),
            vec!["hosts[0]=c@env", "Hosts[1]=b@base", "logging.loglevel.default=Warning@env"]
        );
    }

    #[test]
    fn dynaconf_top_level_key_replaces_the_whole_table() {
        let base = [leaf("db.host", s("h")), leaf("db.port", Value::Int(1)), leaf("name", s("n"))];
        let env = [leaf("db.host", s("prod"))];
        assert_eq!(
            merged_by(Merge::Dynaconf, &base, &env),
            vec!["db.host=prod@env", "name=\"n\"@base"]
        );
        let empty = [leaf("db", Value::EmptyMap)];
        assert_eq!(merged_by(Merge::Dynaconf, &base, &empty), vec!["name=\"n\"@base", "db={}@env"]);
    }

    #[test]
    fn terraform_variable_replaces_whole() {
        let base =
            [leaf("tags.team", s("core")), leaf("tags.cost", s("1")), leaf("region", s("eu"))];
        let env = [leaf("tags.team", s("ml"))];
        assert_eq!(
            merged_by(Merge::Terraform, &base, &env),
            vec!["tags.team=ml@env", "region=eu@base"]
        );
    }

    #[test]
    fn flat_and_compose_override_like_deep() {
        let base = [leaf("A", s("1")), leaf("B", s("2")), leaf("svc.ports[0]", s("80"))];
        let env = [leaf("B", s("3")), leaf("svc.ports[0]", s("81"))];
        for merge in [Merge::Flat, Merge::Compose] {
            assert_eq!(
                merged_by(merge, &base, &env),
                vec!["A=\"1\"@base", "B=\"3\"@env", "svc.ports[0]=\"81\"@env"]
            );
        }
    }

    fn layer(leaves: &[Leaf], inherited: bool, number: u16) -> Layer<'_> {
        Layer { leaves, inherited, number }
    }

    #[test]
    fn a_stack_lays_each_layer_over_the_ones_below() {
        let mut keys = KeyTable::new();
        let base = bare_all(&mut keys, &[leaf("db.host", s("h")), leaf("db.port", s("1"))]);
        let more = bare_all(&mut keys, &[leaf("db.port", s("2")), leaf("log", s("info"))]);
        let env = bare_all(&mut keys, &[leaf("db.host", s("prod"))]);
        let part = bare_all(&mut keys, &[leaf("log", s("warn"))]);
        let after = bare_all(&mut keys, &[leaf("tz", s("UTC"))]);
        let stack = [
            layer(&base, true, 1),
            layer(&more, true, 2),
            layer(&env, false, 0),
            layer(&part, false, 3),
            layer(&after, true, 4),
        ];
        let out: Vec<String> = stacked(&keys, &stack, Merge::Deep)
            .iter()
            .map(|e| {
                let path = keys.path(e.leaf.key);
                format!(
                    "{path}={}@{}{}",
                    e.leaf.value.display_text(),
                    e.layer,
                    if e.inherited { "↑" } else { "" }
                )
            })
            .collect();
        assert_eq!(out, ["db.host=prod@0", "db.port=\"2\"@2↑", "log=warn@3", "tz=UTC@4↑"]);
    }

    #[test]
    fn keyed_lists_merge_by_identity_under_compose_and_kustomize() {
        let base = [
            leaf("c[name=web].image", s("web:1")),
            leaf("c[name=web].env[name=A].value", s("1")),
            leaf("c[name=side].image", s("side:1")),
            leaf("args[0]", s("a")),
        ];
        let env = [
            leaf("c[name=web].image", s("web:2")),
            leaf("c[name=web].env[name=B].value", s("2")),
            leaf("args[0]", s("b")),
        ];
        let by_identity = vec![
            "c[name=web].image=web:2@env",
            "c[name=web].env[name=A].value=\"1\"@base",
            "c[name=side].image=side:1@base",
            "args[0]=b@env",
            "c[name=web].env[name=B].value=\"2\"@env",
        ];
        assert_eq!(merged_by(Merge::Kustomize, &base, &env), by_identity);
        assert_eq!(merged_by(Merge::Compose, &base, &env), by_identity);
        // Helm replaces lists whole, keyed or not.
        assert_eq!(
            merged_by(Merge::Helm, &base, &env),
            vec![
                "c[name=web].image=web:2@env",
                "args[0]=b@env",
                "c[name=web].env[name=B].value=\"2\"@env"
            ]
        );
    }

    #[test]
    fn merge_names_round_trip() {
        for name in ["deep", "flat", "helm", "dotnet", "compose", "dynaconf", "terraform"] {
            assert_eq!(Merge::from_name(name).map(Merge::name), Some(name));
        }
        assert_eq!(Merge::from_name("kustomize"), None);
    }
}
