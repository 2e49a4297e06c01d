//! `OpenFeature` flagd flag definitions (JSON): `flags.<name>` with
//! `state` (`ENABLED`/`DISABLED`), `variants`, `defaultVariant` and an
//! optional `JsonLogic` `targeting`, which may name shared rules under
//! `$evaluators` with `{"$ref": "name"}`. Rules: the conditions of the
//! targeting's top-level `if` (`[cond, value, cond, value, fallback]`), or
//! one for any other non-empty targeting. flagd has no rollout of its own.

use super::tree::Doc;
use super::{Flag, Variant, shape_error};
use crate::core::leaf::ParseError;

pub(super) fn read(doc: &Doc) -> Result<Vec<Flag>, ParseError> {
    let Some(flags) = doc.get(Doc::ROOT, "flags") else {
        return Err(shape_error(
            doc,
            doc.first_leaf(Doc::ROOT),
            "a flagd file needs a `flags` object",
        ));
    };
    let mut out = Vec::new();
    for (name, node) in doc.entries(flags) {
        let Some(anchor) = doc.first_leaf(*node) else { continue };
        let mut flag = Flag { name: name.clone(), anchor, ..Flag::default() };
        if let Some(state) = doc.get(*node, "state") {
            let on = match doc.text(state) {
                Some("ENABLED") => true,
                Some("DISABLED") => false,
                _ => {
                    return Err(shape_error(
                        doc,
                        doc.first_leaf(state),
                        format!("flag `{name}`: `state` must be \"ENABLED\" or \"DISABLED\""),
                    ));
                }
            };
            flag.enabled = doc.first_leaf(state).map(|leaf| (on, Some(leaf)));
        }
        if let Some(variants) = doc.get(*node, "variants") {
            flag.variants =
                doc.entries(variants).iter().map(|(n, v)| (n.clone(), Variant::Node(*v))).collect();
        }
        if let Some(default) = doc.get(*node, "defaultVariant")
            && let (Some(text), Some(leaf)) = (doc.text(default), doc.first_leaf(default))
        {
            flag.default = Some((text.to_owned(), leaf));
        }
        flag.rules = doc.get(*node, "targeting").map(|t| rules(doc, t));
        out.push(flag);
    }
    Ok(out)
}

/// The number of rules of a targeting expression, through `$ref`s.
fn rules(doc: &Doc, targeting: usize) -> usize {
    let mut node = targeting;
    // `{"$ref": "name"}` stands for `$evaluators.name`.
    for _ in 0..8 {
        let Some(name) = doc.get(node, "$ref").and_then(|r| doc.text(r)) else { break };
        match doc.at(Doc::ROOT, &["$evaluators", name]) {
            Some(evaluator) => node = evaluator,
            None => return 1,
        }
    }
    if let Some(branches) = doc.get(node, "if") {
        return doc.len(branches) / 2;
    }
    usize::from(doc.len(node) > 0)
}
