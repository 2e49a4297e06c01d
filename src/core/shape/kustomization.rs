//! A kustomization's generator `literals` read as maps (§10): the
//! `- LOG_LEVEL=warn` items of a `configMapGenerator` or `secretGenerator`
//! are `configMapGenerator[name=shop-config].literals.LOG_LEVEL` with the
//! value `warn`, so an overlay that changes one literal changes one row
//! and the order of the literals is not a difference.

use super::Spelled;
use crate::core::leaf::{Parsed, Value};

/// `kustomization.yaml`, `kustomization.yml`, `Kustomization`.
pub(super) fn is_kustomization(name: &str) -> bool {
    matches!(name, "kustomization.yaml" | "kustomization.yml" | "Kustomization")
}

/// Where the items of a generator's `literals` start in `path`: the byte
/// after `configMapGenerator[0].literals`.
fn literals_end(path: &str) -> Option<usize> {
    let generator =
        ["configMapGenerator[", "secretGenerator["].iter().find(|g| path.starts_with(**g))?;
    let inside = &path[generator.len()..];
    let close = inside.find(']')?;
    let after = &inside[close + 1..];
    after
        .strip_prefix(".literals")
        .filter(|tail| tail.starts_with('['))
        .map(|_| generator.len() + close + 1 + ".literals".len())
}

/// The leaves of a kustomization with its generators' literals as maps.
pub(super) fn map_literals(parsed: Parsed) -> Parsed {
    let mut file = Spelled::of(parsed);
    for (leaf, path) in file.leaves.iter_mut().zip(file.paths.iter_mut()) {
        let Some(end) = literals_end(path) else { continue };
        let item = &path[end + 1..];
        let is_item = item.find(']').is_some_and(|close| close + 1 == item.len());
        let Value::String(text) = &leaf.value else { continue };
        let Some((name, value)) = text.split_once('=') else { continue };
        if !is_item || name.is_empty() {
            continue;
        }
        let (name, value) = (name.to_owned(), Value::String(value.into()));
        super::as_map_entry(leaf, path, end, &name, value);
    }
    file.into_parsed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::parse::{self, Format};

    #[test]
    fn generator_literals_are_maps_and_other_lists_stay() {
        let text = "resources: [../../base]\nconfigMapGenerator:\n  - name: shop\n    behavior: merge\n    literals:\n      - LOG_LEVEL=warn\n      - URL=a=b\n      - NOVALUE\nsecretGenerator:\n  - name: db\n    literals: [PASSWORD=fake-pw]\n    files: [a=b.txt]\n";
        let read: Vec<(String, Value)> = map_literals(parse::parse(Format::Yaml, text).unwrap())
            .named()
            .into_iter()
            .map(|n| (n.path.clone(), n.leaf.value.clone()))
            .collect();
        let s = |t: &str| Value::String(t.into());
        assert_eq!(
            read,
            vec![
                ("resources[0]".to_owned(), s("../../base")),
                ("configMapGenerator[0].name".to_owned(), s("shop")),
                ("configMapGenerator[0].behavior".to_owned(), s("merge")),
                ("configMapGenerator[0].literals.LOG_LEVEL".to_owned(), s("warn")),
                ("configMapGenerator[0].literals.URL".to_owned(), s("a=b")),
                ("configMapGenerator[0].literals[2]".to_owned(), s("NOVALUE")),
                ("secretGenerator[0].name".to_owned(), s("db")),
                ("secretGenerator[0].literals.PASSWORD".to_owned(), s("fake-pw")),
                ("secretGenerator[0].files[0]".to_owned(), s("a=b.txt")),
            ]
        );
        assert!(is_kustomization("kustomization.yml") && !is_kustomization("kustomize.yaml"));
    }
}
