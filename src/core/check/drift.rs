//! `drift` and `required` (§7, §8): keys that differ or are missing where
//! the `[drift]` policy does not expect it, `must_match` keys that differ,
//! `must_differ` keys equal in two envs, and `required` keys an env lacks.
//!
//! Readings: a policy glob covers a key when it matches the key or one of
//! its parents (`database` covers `database.url`). `must_match` wins over
//! `expected`. A `must_differ` key may differ without a finding; it is
//! still reported when it is missing and `expected` does not cover that.
//! `required` is checked in each set where at least one env has the key:
//! settings are project-wide, and most keys belong to one set.

use std::collections::BTreeSet;

use super::{Finding, Rule, SetView, Severity, and_list, covered_prefix};
use crate::core::diff::{Cell, Row, Status};
use crate::core::settings::DriftPolicy;

/// The drift findings of one set under `policy`: the `[drift]` of the
/// nearest `.envlens.toml` that has one (§8), None when none has.
pub(super) fn check(view: &SetView<'_>, policy: Option<&DriftPolicy>) -> Vec<Finding> {
    let empty = DriftPolicy::default();
    let severity = if policy.is_some() { Severity::Error } else { Severity::Warning };
    let policy = policy.unwrap_or(&empty);
    let (mut out, required) = required(view, policy);
    if view.envs.len() < 2 {
        return out;
    }
    for row in &view.rows {
        if required.contains(row.key) {
            continue;
        }
        let finding = if let Some(glob) = covered_prefix(&policy.must_match, row.key) {
            (row.status != Status::Same).then(|| {
                let found = difference(view, &row);
                let message =
                    format!("must be equal in every env (must_match \"{glob}\") but {found}");
                drift(view, &row, severity, message)
            })
        } else if covered_prefix(&policy.must_differ, row.key).is_some() {
            out.extend(equal_groups(view, &row, severity));
            (row.status == Status::Missing && covered_prefix(&policy.expected, row.key).is_none())
                .then(|| plain_drift(view, &row, severity))
        } else {
            (row.status != Status::Same && covered_prefix(&policy.expected, row.key).is_none())
                .then(|| plain_drift(view, &row, severity))
        };
        out.extend(finding);
    }
    out
}

fn plain_drift(view: &SetView<'_>, row: &Row<'_>, severity: Severity) -> Finding {
    let message = format!(
        "{}; if that is intended, add it to `expected` in [drift] of .envlens.toml",
        difference(view, row)
    );
    drift(view, row, severity, message)
}

/// A drift finding: about the envs missing the key, else about all.
fn drift(view: &SetView<'_>, row: &Row<'_>, severity: Severity, message: String) -> Finding {
    let missing: Vec<usize> = (0..row.cells.len()).filter(|&i| row.cells[i].is_none()).collect();
    let finding = if missing.is_empty() {
        let first = row.cells.iter().position(Option::is_some).unwrap_or(0);
        let cell = row.cells.get(first).copied().flatten();
        Finding::new(Rule::Drift, severity, &view.set.name, view.envs.clone()).at(
            view.file_of(first, cell.is_some_and(|c| c.inherited)),
            cell.map(|c| c.leaf.position.line),
        )
    } else {
        let envs = missing.iter().map(|&i| view.envs[i].clone()).collect();
        Finding::new(Rule::Drift, severity, &view.set.name, envs)
            .at(view.file_of(missing[0], false), None)
    };
    finding.key(row.key).message(message)
}

/// How a row fails to be `same`, in words, values masked.
fn difference(view: &SetView<'_>, row: &Row<'_>) -> String {
    let present = |cell: &Option<Cell<'_>>| cell.is_some();
    match row.status {
        Status::Missing => {
            let (have, lack): (Vec<_>, Vec<_>) = view
                .envs
                .iter()
                .cloned()
                .zip(row.cells.iter().copied())
                .partition(|(_, c)| present(c));
            let lack: Vec<String> = lack.into_iter().map(|(env, _)| env).collect();
            let have: Vec<String> = have.into_iter().map(|(env, _)| env).collect();
            format!("missing in {} (present in {})", and_list(&lack), and_list(&have))
        }
        Status::TypeChanged => {
            let types: Vec<String> = view
                .envs
                .iter()
                .zip(row.cells.iter().copied())
                .filter_map(|(env, c)| c.map(|c| format!("{env} {}", c.leaf.value.value_type())))
                .collect();
            format!("has a different type per env: {}", types.join(", "))
        }
        Status::Differs | Status::Same => {
            let values: Vec<String> = view
                .envs
                .iter()
                .zip(row.cells.iter().copied())
                .filter_map(|(env, c)| c.map(|c| format!("{env} `{}`", view.shown(c.leaf))))
                .collect();
            format!("differs between envs: {}", values.join(", "))
        }
    }
}

/// `must_differ`: one finding per group of envs holding one value.
fn equal_groups(view: &SetView<'_>, row: &Row<'_>, severity: Severity) -> Vec<Finding> {
    let mut taken = vec![false; row.cells.len()];
    let mut out = Vec::new();
    for (i, cell) in row.cells.iter().enumerate() {
        let Some(cell) = cell else { continue };
        if taken[i] {
            continue;
        }
        let group: Vec<usize> = (i..row.cells.len())
            .filter(|&j| {
                row.cells[j].is_some_and(|other| other.leaf.value.same_as(&cell.leaf.value))
            })
            .collect();
        if group.len() < 2 {
            continue;
        }
        for &j in &group {
            taken[j] = true;
        }
        let envs: Vec<String> = group.iter().map(|&j| view.envs[j].clone()).collect();
        let message = format!(
            "must differ between envs (must_differ) but is the same in {}",
            and_list(&envs)
        );
        out.push(
            Finding::new(Rule::Drift, severity, &view.set.name, envs)
                .at(view.file_holding(i, cell.leaf, cell.inherited), Some(cell.leaf.position.line))
                .key(row.key)
                .message(message),
        );
    }
    out
}

/// `required` findings, and the keys they were about (drift skips those).
fn required<'r>(view: &'r SetView<'_>, policy: &DriftPolicy) -> (Vec<Finding>, BTreeSet<&'r str>) {
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for row in &view.rows {
        if let Some(name) = covered_prefix(&policy.required, row.key) {
            names.insert(name);
        }
    }
    let mut out = Vec::new();
    let mut reported = BTreeSet::new();
    for name in names {
        for (env_at, env) in view.envs.iter().enumerate() {
            if view.has_key(env_at, name) {
                continue;
            }
            reported.insert(name);
            let glob = policy.required.iter().find(|g| g.matches(name)).map_or("", |g| g.as_str());
            out.push(
                Finding::new(Rule::Required, Severity::Error, &view.set.name, vec![env.clone()])
                    .at(view.file_of(env_at, false), None)
                    .key(name)
                    .message(format!(
                        "missing in {env}, but `required` in [drift] names it (\"{glob}\")"
                    )),
            );
        }
    }
    (out, reported)
}
