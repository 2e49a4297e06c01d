//! Properties of flatten + diff on random nested documents: a document
//! against itself is all `same`; one changed leaf makes exactly that key
//! differ; one removed leaf makes exactly that key `missing`. The YAML
//! parser must read JSON text (YAML's flow syntax) to the same leaves.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use envlens::core::diff::{Status, diff};
use envlens::core::inherit::effective;
use envlens::core::keys::KeyTable;
use envlens::core::leaf::Parsed;
use envlens::core::parse::{Format, parse};
use proptest::prelude::*;
use serde_json::{Map, Value as J};

fn scalar() -> impl Strategy<Value = J> {
    prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(J::from),
        (-1e12f64..1e12).prop_map(J::from),
        "[ -~é日]{0,12}".prop_map(J::String),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![4 => "[a-z_]{1,8}", 1 => "[a-z. \\[\\]\"-]{0,6}"]
}

fn document() -> impl Strategy<Value = J> {
    let tree = scalar().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(J::Array),
            prop::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| J::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    });
    prop::collection::btree_map(key(), tree, 1..6).prop_map(|m| J::Object(m.into_iter().collect()))
}

fn leaves(format: Format, doc: &J) -> Parsed {
    parse(format, &serde_json::to_string_pretty(doc).unwrap()).unwrap()
}

/// Both files keyed in one table, as the files of a set are.
fn statuses(a: &Parsed, b: &Parsed) -> Vec<(String, Status)> {
    let mut keys = KeyTable::new();
    let a = a.clone().join(&mut keys);
    let b = b.clone().join(&mut keys);
    let envs = vec![effective(&keys, None, &a), effective(&keys, None, &b)];
    diff(&keys, envs).iter().map(|r| (r.key.to_owned(), r.status)).collect()
}

/// Paths of the scalar leaves, with a pointer to reach each in the JSON.
fn scalar_pointers(doc: &J, pointer: String, out: &mut Vec<String>) {
    match doc {
        J::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                scalar_pointers(
                    v,
                    format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        J::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                scalar_pointers(v, format!("{pointer}/{i}"), out);
            }
        }
        J::Object(_) | J::Array(_) => {}
        _ => out.push(pointer),
    }
}

/// A value of the same JSON type as `old` but different.
fn changed(old: &J) -> J {
    match old {
        J::Null => J::Bool(true),
        J::Bool(b) => J::Bool(!b),
        J::Number(n) if n.is_i64() => J::from(n.as_i64().unwrap().wrapping_add(1)),
        J::Number(n) => J::from(n.as_f64().unwrap() + 1.0),
        J::String(s) => J::String(format!("{s}!")),
        other => other.clone(),
    }
}

fn pick(n: usize, seed: usize) -> usize {
    seed % n
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_document_equals_itself(doc in document()) {
        let a = leaves(Format::Json, &doc);
        for (_, status) in statuses(&a, &a) {
            prop_assert_eq!(status, Status::Same);
        }
    }

    #[test]
    fn yaml_reads_json_text_to_the_same_leaves(doc in document()) {
        let from_json = leaves(Format::Json, &doc);
        let from_yaml = leaves(Format::Yaml, &doc);
        let paths = |p: &Parsed| p.clone().named().into_iter().map(|n| n.path).collect::<Vec<_>>();
        prop_assert_eq!(paths(&from_json), paths(&from_yaml));
        for (key, status) in statuses(&from_json, &from_yaml) {
            prop_assert_eq!(status, Status::Same, "{}", key);
        }
    }

    #[test]
    fn one_changed_leaf_differs_alone(doc in document(), seed in any::<usize>()) {
        let mut pointers = Vec::new();
        scalar_pointers(&doc, String::new(), &mut pointers);
        prop_assume!(!pointers.is_empty());
        let pointer = &pointers[pick(pointers.len(), seed)];
        let mut other = doc.clone();
        let target = other.pointer_mut(pointer).unwrap();
        let expected = if target.is_null() { Status::TypeChanged } else { Status::Differs };
        *target = changed(target);
        let a = leaves(Format::Json, &doc);
        let b = leaves(Format::Json, &other);
        let not_same: Vec<_> = statuses(&a, &b).into_iter().filter(|(_, s)| *s != Status::Same).collect();
        prop_assert_eq!(not_same.len(), 1);
        prop_assert_eq!(not_same[0].1, expected);
    }

    #[test]
    fn one_removed_leaf_is_missing_alone(doc in document(), seed in any::<usize>()) {
        // Remove one entry of an object that keeps at least one other entry,
        // so no empty container appears in its place.
        let mut pointers = Vec::new();
        scalar_pointers(&doc, String::new(), &mut pointers);
        let removable: Vec<&String> = pointers.iter().filter(|p| {
            let (parent, _) = p.rsplit_once('/').unwrap();
            doc.pointer(parent).and_then(J::as_object).is_some_and(|m| m.len() > 1)
        }).collect();
        prop_assume!(!removable.is_empty());
        let pointer = removable[pick(removable.len(), seed)];
        let (parent, last) = pointer.rsplit_once('/').unwrap();
        let mut other = doc.clone();
        let name = last.replace("~1", "/").replace("~0", "~");
        other.pointer_mut(parent).unwrap().as_object_mut().unwrap().shift_remove(&name);
        let a = leaves(Format::Json, &doc);
        let b = leaves(Format::Json, &other);
        let not_same: Vec<_> = statuses(&a, &b).into_iter().filter(|(_, s)| *s != Status::Same).collect();
        prop_assert_eq!(not_same.len(), 1);
        prop_assert_eq!(not_same[0].1, Status::Missing);
    }
}
