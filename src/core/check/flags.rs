//! The flag rules (§14): `flag-order` (a flag on in an env while it is off
//! or missing in an earlier env of the promotion order; an error with a
//! `[flags]` policy, else a warning), `flag-unknown-variant` (a flag's
//! default names no variant) and `flag-stale` (a flag an Unleash export
//! marks stale).
//!
//! Flags are a flag set's `<flag>.enabled` keys, and in other config the
//! bool leaves below a `features`, `flags`, `feature_flags` or `toggles`
//! segment and the keys `[flags] keys` names. The promotion order is
//! `[flags] promotion` (its envs this set has), else the set's env order
//! without `local`, the test group and template envs.

use rustc_hash::FxHashMap;

use super::{Finding, Rule, SetView, Severity};
use crate::core::diff::Row;
use crate::core::discover;
use crate::core::inherit::Effective;
use crate::core::key_path::{self, Segment};
use crate::core::leaf::{Leaf, Value};
use crate::core::settings::FlagPolicy;

/// Segments under which a config file's bools are flags.
const FLAG_PARENTS: &[&str] = &["features", "flags", "feature_flags", "toggles"];

/// Whether `path` of a set of `layout` is a flag's on/off key.
pub fn is_flag_key(layout: &str, path: &str, policy: Option<&FlagPolicy>) -> bool {
    let Ok(segments) = key_path::parse(path) else { return false };
    if layout == "flags" {
        return matches!(segments.as_slice(), [Segment::Key(_), Segment::Key(f)] if f == "enabled");
    }
    let under = segments.iter().rev().skip(1).any(
        |s| matches!(s, Segment::Key(k) if FLAG_PARENTS.contains(&k.to_ascii_lowercase().as_str())),
    );
    under || policy.is_some_and(|p| p.keys.iter().any(|glob| glob.matches(path)))
}

/// The name a flag is shown by: a flag set's flag, or the key itself.
pub fn flag_name(layout: &str, path: &str) -> String {
    if layout == "flags"
        && let Ok(segments) = key_path::parse(path)
        && let Some(first) = segments.first()
    {
        return key_path::format(std::slice::from_ref(first));
    }
    path.to_owned()
}

/// The envs of the view in promotion order, as indices into `view.envs`.
pub fn promotion(envs: &[String], policy: Option<&FlagPolicy>) -> Vec<usize> {
    match policy.filter(|p| !p.promotion.is_empty()) {
        Some(policy) => policy
            .promotion
            .iter()
            .filter_map(|name| envs.iter().position(|e| e.eq_ignore_ascii_case(name)))
            .collect(),
        None => (0..envs.len())
            .filter(|&i| {
                let env = &envs[i];
                !discover::is_template(env) && !matches!(discover::env_group(env), Some(0 | 2))
            })
            .collect(),
    }
}

pub(super) fn check(view: &SetView<'_>, policy: Option<&FlagPolicy>) -> Vec<Finding> {
    let mut out = order(view, policy);
    if view.set.layout == "flags" {
        out.extend(unknown_variants(view));
        out.extend(stale(view));
    }
    out
}

/// A row's value in env `at` of the view, and whether it is inherited
/// (the rows hold every env's leaf of the key: no map by key is built).
fn cell<'v>(row: &Row<'v>, at: usize) -> Option<(&'v Leaf, bool)> {
    row.cells.get(at).copied().flatten().map(|c| (c.leaf, c.inherited))
}

fn order(view: &SetView<'_>, policy: Option<&FlagPolicy>) -> Vec<Finding> {
    let severity = if policy.is_some() { Severity::Error } else { Severity::Warning };
    let order = promotion(&view.envs, policy);
    if order.len() < 2 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for row in &view.rows {
        if !is_flag_key(view.set.layout, row.key, policy) {
            continue;
        }
        // A config key is a flag where it holds a bool.
        let state = |at: usize| -> Option<Option<bool>> {
            match cell(&row, at) {
                Some((leaf, _)) => match leaf.value {
                    Value::Bool(on) => Some(Some(on)),
                    _ => None,
                },
                None => Some(None),
            }
        };
        if view.set.layout != "flags" && !order.iter().any(|&at| matches!(state(at), Some(Some(_))))
        {
            continue;
        }
        let name = flag_name(view.set.layout, row.key);
        for (k, &at) in order.iter().enumerate() {
            if state(at) != Some(Some(true)) {
                continue;
            }
            let behind: Vec<(usize, &str)> = order[..k]
                .iter()
                .filter_map(|&before| match state(before) {
                    Some(Some(true)) | None => None,
                    Some(Some(false)) => Some((before, "off")),
                    Some(None) => Some((before, "missing")),
                })
                .collect();
            let Some(&(first, _)) = behind.first() else { continue };
            let Some((leaf, inherited)) = cell(&row, at) else { continue };
            let said: Vec<String> =
                behind.iter().map(|(e, how)| format!("{how} in {}", view.envs[*e])).collect();
            let mut envs = vec![view.envs[at].clone()];
            envs.extend(behind.iter().map(|(e, _)| view.envs[*e].clone()));
            let mut finding = Finding::new(Rule::FlagOrder, severity, &view.set.name, envs)
                .key(row.key)
                .at(view.file_of(at, inherited), Some(leaf.position.line))
                .message(format!(
                    "`{name}` is on in {} but {}; promote it in order ({})",
                    view.envs[at],
                    super::and_list(&said),
                    order.iter().map(|&e| view.envs[e].as_str()).collect::<Vec<_>>().join(" → "),
                ));
            finding.env = Some(view.envs[at].clone());
            let _ = first;
            out.push(finding);
        }
    }
    out
}

/// The leaves of one value by their path below it.
type Below<'l> = Vec<(String, &'l Leaf)>;

/// A flag's default leaves by their path below `default`, and its
/// variants by name with their leaves below each.
type FlagParts<'l> =
    (FxHashMap<String, Below<'l>>, FxHashMap<String, FxHashMap<String, Below<'l>>>);

/// `<flag>.default` leaves (and below) against each `<flag>.variants.<v>`.
fn unknown_variants(view: &SetView<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (at, leaves) in view.each_effective().enumerate() {
        let (defaults, variants) = flag_parts(view, leaves);
        let mut flags: Vec<&String> = defaults.keys().collect();
        flags.sort();
        for flag in flags {
            let default = &defaults[flag];
            let known = variants.get(flag).is_some_and(|vs| {
                vs.values().any(|v| {
                    v.len() == default.len()
                        && v.iter().all(|(rest, leaf)| {
                            default.iter().any(|(r, d)| r == rest && d.value.same_as(&leaf.value))
                        })
                })
            });
            if known {
                continue;
            }
            let Some((_, leaf)) = default.first() else { continue };
            let mut names: Vec<String> = variants
                .get(flag)
                .map(|vs| vs.keys().map(|k| format!("`{k}`")).collect())
                .unwrap_or_default();
            names.sort();
            let said = view.shown(leaf);
            out.push(
                Finding::new(
                    Rule::FlagUnknownVariant,
                    Severity::Error,
                    &view.set.name,
                    vec![view.envs[at].clone()],
                )
                .key(view.set.path(leaf))
                .at(view.file_of(at, false), Some(leaf.position.line))
                .message(if names.is_empty() {
                    format!("`{flag}`'s default variant `{said}` names no variant: it has none")
                } else {
                    format!(
                        "`{flag}`'s default variant `{said}` names no variant; its variants are {}",
                        names.join(", ")
                    )
                }),
            );
        }
    }
    out
}

/// The `<flag>.default…` and `<flag>.variants.<v>…` leaves of one env.
fn flag_parts<'l>(view: &SetView<'_>, leaves: &[Effective<'l>]) -> FlagParts<'l> {
    let mut defaults: FxHashMap<String, Below<'l>> = FxHashMap::default();
    let mut variants: FxHashMap<String, FxHashMap<String, Below<'l>>> = FxHashMap::default();
    for e in leaves {
        let Ok(segments) = key_path::parse(view.set.path(e.leaf)) else { continue };
        let Some((Segment::Key(_), rest)) = segments.split_first() else { continue };
        let flag = key_path::format(&segments[..1]);
        match rest {
            [Segment::Key(f), tail @ ..] if f == "default" => {
                defaults.entry(flag).or_default().push((key_path::format(tail), e.leaf));
            }
            [Segment::Key(f), Segment::Key(name), tail @ ..] if f == "variants" => {
                variants
                    .entry(flag)
                    .or_default()
                    .entry(name.clone())
                    .or_default()
                    .push((key_path::format(tail), e.leaf));
            }
            _ => {}
        }
    }
    (defaults, variants)
}

/// `flag-stale`: once per flag, with every env whose export marks it.
fn stale(view: &SetView<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in &view.rows {
        let Ok(segments) = key_path::parse(row.key) else { continue };
        if !matches!(segments.as_slice(), [Segment::Key(_), Segment::Key(f)] if f == "stale") {
            continue;
        }
        let marked: Vec<usize> = (0..view.envs.len())
            .filter(|&at| cell(&row, at).is_some_and(|(l, _)| l.value == Value::Bool(true)))
            .collect();
        let Some(&first) = marked.first() else { continue };
        let Some((leaf, inherited)) = cell(&row, first) else { continue };
        let envs: Vec<String> = marked.iter().map(|&e| view.envs[e].clone()).collect();
        let name = flag_name("flags", row.key);
        out.push(
            Finding::new(Rule::FlagStale, Severity::Warning, &view.set.name, envs.clone())
                .key(row.key)
                .at(view.file_of(first, inherited), Some(leaf.position.line))
                .message(format!(
                    "`{name}` is marked stale in {}: remove it from the code and archive it",
                    super::and_list(&envs)
                )),
        );
    }
    out
}
