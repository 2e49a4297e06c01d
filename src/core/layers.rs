//! Where a value of a stack of layers lives (§4, §10): the stacking itself
//! is `inherit::stacked`, each step the set's merge rule; these helpers
//! find the file that holds an effective leaf, so that "inherited" can name
//! its layer.

use super::leaf::Leaf;

/// The index of `leaf` in `slice` when it is one of its elements (not an
/// equal copy elsewhere).
pub fn index_in(slice: &[Leaf], leaf: &Leaf) -> Option<usize> {
    if !holds(slice, leaf) {
        return None;
    }
    let offset = std::ptr::from_ref(leaf).addr() - slice.as_ptr().addr();
    Some(offset / size_of::<Leaf>())
}

/// Whether `leaf` is one of the elements of `slice`.
pub fn holds(slice: &[Leaf], leaf: &Leaf) -> bool {
    slice.as_ptr_range().contains(&std::ptr::from_ref(leaf))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::inherit::{Layer, Merge, stacked};
    use crate::core::keys::KeyTable;
    use crate::core::leaf::{Value, bare_all};

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    /// `key=value@layer` of an env stacked over `layers`, the env's own
    /// file at `own`.
    fn stack(merge: Merge, layers: &[&[(&str, Value)]], own: usize) -> Vec<String> {
        let mut keys = KeyTable::new();
        let leaves: Vec<Vec<Leaf>> = layers.iter().map(|l| bare_all(&mut keys, l)).collect();
        let stack: Vec<Layer<'_>> = leaves
            .iter()
            .enumerate()
            .map(|(i, l)| Layer {
                leaves: l.as_slice(),
                inherited: i != own,
                number: u16::try_from(i).unwrap_or(u16::MAX),
            })
            .collect();
        stacked(&keys, &stack, merge)
            .iter()
            .map(|e| {
                let layer = leaves.iter().position(|l| holds(l, e.leaf)).unwrap_or(99);
                assert_eq!(usize::from(e.layer), layer, "the layer number names the holder");
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
    fn a_leaf_is_found_in_its_own_slice_only() {
        let mut keys = KeyTable::new();
        let a = bare_all(&mut keys, &[("x", s("1")), ("y", s("2"))]);
        let b = a.clone();
        assert_eq!(index_in(&a, &a[1]), Some(1));
        assert_eq!(index_in(&b, &a[1]), None, "an equal copy is not the leaf");
    }

    #[test]
    fn one_layer_is_the_env_as_is() {
        let env: &[(&str, Value)] = &[("a", s("1"))];
        assert_eq!(stack(Merge::Deep, &[env], 0), ["a=\"1\"@0"]);
        assert!(stack(Merge::Deep, &[], 0).is_empty());
    }
}
