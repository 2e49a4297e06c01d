//! Flipt declarative state (`features.yml`): `flags` is a list of flags
//! with `key`, `enabled`, `variants` (each a `key` with an optional
//! `attachment`, which is the variant's value; without one the value is
//! the key), `default_variant`, `rules` (segment rules) and `rollouts`
//! (boolean flags; the first `threshold.percentage` is the rollout).

use super::tree::Doc;
use super::{Flag, Variant, shape_error};
use crate::core::leaf::{ParseError, Written};

pub(super) fn read(doc: &Doc) -> Result<Vec<Flag>, ParseError> {
    let Some(flags) = doc.get(Doc::ROOT, "flags") else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for node in doc.items(flags) {
        let Some(anchor) = doc.first_leaf(*node) else { continue };
        let Some(name) = doc.get(*node, "key").and_then(|k| doc.text(k)) else {
            return Err(shape_error(doc, Some(anchor), "a Flipt flag needs a `key`"));
        };
        let mut flag = Flag { name: name.to_owned(), anchor, ..Flag::default() };
        flag.enabled = match doc.get(*node, "enabled") {
            Some(enabled) => {
                doc.first_leaf(enabled).map(|l| (doc.bool(enabled).unwrap_or(false), Some(l)))
            }
            None => Some((false, None)),
        };
        for variant in doc.get(*node, "variants").map_or(&[][..], |v| doc.items(v)) {
            let Some(key) = doc.get(*variant, "key") else { continue };
            let (Some(text), Some(leaf)) = (doc.text(key), doc.first_leaf(key)) else { continue };
            let value = match doc.get(*variant, "attachment") {
                Some(attachment) => Variant::Node(attachment),
                None => Variant::Text(text.to_owned(), leaf),
            };
            flag.variants.push((text.to_owned(), value));
        }
        if let Some(default) = doc.get(*node, "default_variant")
            && let (Some(text), Some(leaf)) = (doc.text(default), doc.first_leaf(default))
        {
            flag.default = Some((text.to_owned(), leaf));
        }
        flag.rules = Some(doc.get(*node, "rules").map_or(0, |r| doc.len(r)));
        let rollouts = doc.get(*node, "rollouts").map_or(&[][..], |r| doc.items(r));
        flag.rollout = rollouts.iter().find_map(|rollout| {
            let percentage = doc.at(*rollout, &["threshold", "percentage"])?;
            Some((doc.number(percentage)?, doc.first_leaf(percentage)?, Written::Literal))
        });
        out.push(flag);
    }
    Ok(out)
}
