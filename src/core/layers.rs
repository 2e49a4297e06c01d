//! Stacks of more than two layers (§4, §10): several base layers (a
//! `[[set]]`'s `base = [...]`) and local layers over an env's own file
//! (`.env.prod.local`, node-config `local*.json`, applied with `--local`).
//! Each step is the set's two-layer merge of `inherit`, so every merge
//! rule holds at every layer; this module only carries the leaves through
//! and keeps each value pointing at the leaf of the file that holds it, so
//! that "inherited" can name its layer.

use super::inherit::{self, Effective, Merge};
use super::keys::KeyTable;
use super::leaf::Leaf;

/// The effective leaves of one env whose file is `layers[own]`, the layers
/// applied in order. A value is `inherited` when a layer other than the
/// env's own file holds it (a base layer below, or a local layer above).
pub fn stacked<'a>(
    keys: &KeyTable,
    layers: &[&'a [Leaf]],
    own: usize,
    merge: Merge,
) -> Vec<Effective<'a>> {
    let Some((first, rest)) = layers.split_first() else {
        return Vec::new();
    };
    // `inherit` merges slices: each step merges a copy of the leaves so far
    // with the next layer, and maps the copies back to the real leaves.
    let mut acc: Vec<(&'a Leaf, usize)> =
        inherit::effective_with(keys, None, first, merge).iter().map(|e| (e.leaf, 0)).collect();
    for (step, layer) in rest.iter().enumerate() {
        let copies: Vec<Leaf> = acc.iter().map(|(leaf, _)| (*leaf).clone()).collect();
        let merged = inherit::effective_with(keys, Some(&copies), layer, merge);
        acc = merged
            .iter()
            .filter_map(|e| match index_in(&copies, e.leaf) {
                Some(i) => Some(acc[i]),
                None => index_in(layer, e.leaf).map(|i| (&layer[i], step + 1)),
            })
            .collect();
    }
    acc.into_iter().map(|(leaf, layer)| Effective { leaf, inherited: layer != own }).collect()
}

/// The index of `leaf` in `slice` when it is one of its elements (not an
/// equal copy elsewhere).
pub fn index_in(slice: &[Leaf], leaf: &Leaf) -> Option<usize> {
    slice.iter().position(|l| std::ptr::eq(l, leaf))
}

/// Whether `leaf` is one of the elements of `slice`.
pub fn holds(slice: &[Leaf], leaf: &Leaf) -> bool {
    slice.as_ptr_range().contains(&std::ptr::from_ref(leaf))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::leaf::{Value, bare_all};

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    /// `key=value@layer` of an env stacked over `layers`.
    fn stack(merge: Merge, layers: &[&[(&str, Value)]], own: usize) -> Vec<String> {
        let mut keys = KeyTable::new();
        let leaves: Vec<Vec<Leaf>> = layers.iter().map(|l| bare_all(&mut keys, l)).collect();
        let slices: Vec<&[Leaf]> = leaves.iter().map(Vec::as_slice).collect();
        stacked(&keys, &slices, own, merge)
            .iter()
            .map(|e| {
                let layer = leaves.iter().position(|l| holds(l, e.leaf)).unwrap_or(99);
                let mark = if e.inherited { "↑" } else { "" };
                format!("{}={}@{layer}{mark}", keys.path(e.leaf.key), e.leaf.value.display_text())
            })
            .collect()
    }

    #[test]
    fn each_layer_overrides_the_ones_below_and_values_point_at_their_layer() {
        let common: &[(&str, Value)] = &[("db.host", s("h0")), ("db.port", Value::Int(1))];
        let region: &[(&str, Value)] = &[("db.host", s("h1")), ("region", s("eu"))];
        let env: &[(&str, Value)] = &[("db.port", Value::Int(2))];
        let local: &[(&str, Value)] = &[("region", s("local"))];
        assert_eq!(
            stack(Merge::Deep, &[common, region, env, local], 2),
            ["db.host=h1@1↑", "db.port=2@2", "region=local@3↑"]
        );
    }

    #[test]
    fn the_merge_rule_holds_at_every_layer() {
        // helm: a null in a later layer deletes what the layers below hold.
        let base: &[(&str, Value)] = &[("probe.path", s("/h")), ("tag", s("1"))];
        let more: &[(&str, Value)] = &[("probe", Value::Null)];
        let env: &[(&str, Value)] = &[("tag", s("v2"))];
        assert_eq!(stack(Merge::Helm, &[base, more, env], 2), ["tag=v2@2"]);
        // dynaconf: a top-level key of a layer replaces the table below.
        let base: &[(&str, Value)] = &[("db.host", s("a")), ("db.port", Value::Int(1))];
        let env: &[(&str, Value)] = &[("db.host", s("b"))];
        let local: &[(&str, Value)] = &[("db.user", s("me"))];
        assert_eq!(stack(Merge::Dynaconf, &[base, env, local], 1), ["db.user=me@2↑"]);
    }

    #[test]
    fn one_layer_is_the_env_as_is() {
        let env: &[(&str, Value)] = &[("a", s("1"))];
        assert_eq!(stack(Merge::Deep, &[env], 0), ["a=\"1\"@0"]);
        assert!(stack(Merge::Deep, &[], 0).is_empty());
    }
}
