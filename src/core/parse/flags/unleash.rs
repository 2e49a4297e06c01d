//! An Unleash export of one environment (`features-batch/export`, also
//! the older `state/export`): `features` (name, `stale`), and per feature
//! its `featureEnvironments` entry (`enabled`, `variants`) and its
//! `featureStrategies` (one rule each; the first `parameters.rollout` is
//! the rollout). The variants are the env entry's (Unleash 4) and its
//! strategies' (Unleash 5 on); a variant's value is its payload's `value`,
//! else its name. Unleash has no default variant.

use super::tree::Doc;
use super::{Flag, Variant, shape_error};
use crate::core::leaf::{ParseError, Written};

pub(super) fn read(doc: &Doc) -> Result<Vec<Flag>, ParseError> {
    let Some(features) = doc.get(Doc::ROOT, "features") else {
        return Err(shape_error(
            doc,
            doc.first_leaf(Doc::ROOT),
            "an Unleash export needs a `features` list",
        ));
    };
    let named = |list: &str, name: &str| -> Vec<usize> {
        let items = doc.get(Doc::ROOT, list).map_or(&[][..], |l| doc.items(l));
        items
            .iter()
            .copied()
            .filter(|item| doc.get(*item, "featureName").and_then(|n| doc.text(n)) == Some(name))
            .collect()
    };
    let mut out = Vec::new();
    for node in doc.items(features) {
        let Some(anchor) = doc.first_leaf(*node) else { continue };
        let Some(name) = doc.get(*node, "name").and_then(|n| doc.text(n)) else {
            return Err(shape_error(doc, Some(anchor), "an Unleash feature needs a `name`"));
        };
        let mut flag = Flag { name: name.to_owned(), anchor, ..Flag::default() };
        let environment = named("featureEnvironments", name).into_iter().next();
        // The older export keeps `enabled`, `strategies` and `variants` on
        // the feature itself.
        let holder = environment.unwrap_or(*node);
        flag.enabled = match doc.get(holder, "enabled") {
            Some(enabled) => {
                doc.first_leaf(enabled).map(|l| (doc.bool(enabled).unwrap_or(false), Some(l)))
            }
            None => Some((false, None)),
        };
        let mut strategies = named("featureStrategies", name);
        if strategies.is_empty()
            && let Some(own) = doc.get(*node, "strategies")
        {
            strategies = doc.items(own).to_vec();
        }
        flag.variants = variants(doc, holder, &strategies);
        flag.rules = Some(strategies.len());
        flag.rollout = strategies.iter().find_map(|s| {
            let rollout = doc.at(*s, &["parameters", "rollout"])?;
            Some((doc.number(rollout)?, doc.first_leaf(rollout)?, Written::Expression))
        });
        flag.stale = doc.get(*node, "stale").and_then(|s| Some((doc.bool(s)?, doc.first_leaf(s)?)));
        out.push(flag);
    }
    Ok(out)
}

/// The env's variants (Unleash 4) and then its strategies' (Unleash 5 on,
/// where the env's are deprecated), each name once, the first kept.
fn variants(doc: &Doc, holder: usize, strategies: &[usize]) -> Vec<(String, Variant)> {
    let mut out: Vec<(String, Variant)> = Vec::new();
    let lists = std::iter::once(holder).chain(strategies.iter().copied());
    for variant in lists.flat_map(|n| doc.get(n, "variants").map_or(&[][..], |v| doc.items(v))) {
        let Some(vname) = doc.get(*variant, "name").and_then(|n| doc.text(n)) else { continue };
        if out.iter().any(|(n, _)| n == vname) {
            continue;
        }
        let value = match doc.at(*variant, &["payload", "value"]) {
            Some(payload) => Variant::Node(payload),
            None => match doc.get(*variant, "name").and_then(|n| doc.first_leaf(n)) {
                Some(leaf) => Variant::Text(vname.to_owned(), leaf),
                None => continue,
            },
        };
        out.push((vname.to_owned(), value));
    }
    out
}
