//! GO Feature Flag configuration (YAML): each top-level key is a flag with
//! `variations`, `defaultRule` (`variation: name`, or `percentage: {name:
//! share}`), `targeting` (a list of rules) and `disable` (false when not
//! written). Rollout: the share of the default rule's percentage that goes
//! to the first variation whose value is `true` (else the first listed).

use super::tree::Doc;
use super::{Flag, Variant};
use crate::core::leaf::{Value, Written};

pub(super) fn read(doc: &Doc) -> Vec<Flag> {
    let mut out = Vec::new();
    for (name, node) in doc.entries(Doc::ROOT) {
        let Some(anchor) = doc.first_leaf(*node) else { continue };
        let mut flag = Flag { name: name.clone(), anchor, ..Flag::default() };
        flag.enabled = match doc.get(*node, "disable") {
            Some(disable) => {
                doc.first_leaf(disable).map(|l| (!doc.bool(disable).unwrap_or(false), Some(l)))
            }
            None => Some((true, None)),
        };
        if let Some(variations) = doc.get(*node, "variations") {
            flag.variants = doc
                .entries(variations)
                .iter()
                .map(|(n, v)| (n.clone(), Variant::Node(*v)))
                .collect();
        }
        if let Some(rule) = doc.get(*node, "defaultRule") {
            if let Some(variation) = doc.get(rule, "variation")
                && let (Some(text), Some(leaf)) = (doc.text(variation), doc.first_leaf(variation))
            {
                flag.default = Some((text.to_owned(), leaf));
            }
            if let Some(percentage) = doc.get(rule, "percentage") {
                let shares = doc.entries(percentage);
                let on = shares
                    .iter()
                    .find(|(n, _)| {
                        let value = doc.get(doc.get(*node, "variations").unwrap_or(usize::MAX), n);
                        value.and_then(|v| doc.value(v)) == Some(&Value::Bool(true))
                    })
                    .or_else(|| shares.first());
                flag.rollout = on.and_then(|(_, share)| {
                    Some((doc.number(*share)?, doc.first_leaf(*share)?, Written::Literal))
                });
            }
        }
        flag.rules = Some(doc.get(*node, "targeting").map_or(0, |t| doc.len(t)));
        out.push(flag);
    }
    out
}
