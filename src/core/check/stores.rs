//! The rules about sources (§13, §14): `store-drift` (a store column's key
//! whose value differs from the files' env it mirrors, or that one of the
//! two lacks), `source-error` (a source that could not be read: the other
//! rules still run) and `unresolved-reference` for `ssm:` and `vault:`
//! references whose target a declared source of that store does not have
//! (existence only: the value is never looked at).
//!
//! Readings: a SecureString read without `--reveal` is compared by
//! presence (its text is ciphertext), and so is a file value that is a
//! reference; a store of strings matches typed file values by their text
//! (see `same`); `dvc.lock` is compared on the keys it records only (it
//! holds the params a stage uses, not the whole file).

use rustc_hash::FxHashMap;

use super::{Finding, Rule, SetView, Severity};
use crate::core::keys::KeyId;
use crate::core::leaf::{Leaf, Value};
use crate::core::project::SourceState;
use crate::core::project::{LoadedFile, Project};
use crate::core::sources::{self, Kind};

pub(super) fn check(view: &SetView<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for column in view.set.envs.iter().filter(|f| f.is_source()) {
        if let Some(err) = &column.error {
            out.push(
                Finding::new(
                    Rule::SourceError,
                    Severity::Error,
                    &view.set.name,
                    vec![column.file.env.clone()],
                )
                .at(&err.rel_path, None)
                .message(format!("{} cannot be read: {}", column.file.env, err.message)),
            );
            continue;
        }
        out.extend(drift(view, column));
    }
    out
}

/// `store-drift` between one store column and the files' env it mirrors.
fn drift(view: &SetView<'_>, column: &LoadedFile) -> Vec<Finding> {
    let Some(meta) = &column.source else { return Vec::new() };
    let Some(env) = meta.counterpart.as_deref() else { return Vec::new() };
    let Some(at) = view.envs.iter().position(|e| e == env) else { return Vec::new() };
    let files: FxHashMap<KeyId, (&Leaf, bool)> = view
        .effective(at)
        .unwrap_or_default()
        .iter()
        .map(|e| (e.leaf.key, (e.leaf, e.inherited)))
        .collect();
    let store: FxHashMap<KeyId, &Leaf> = column.leaves.iter().map(|l| (l.key, l)).collect();
    let mut keys: Vec<KeyId> = store.keys().copied().collect();
    if !meta.own_keys_only {
        keys.extend(files.keys().filter(|k| !store.contains_key(k)));
    }
    keys.sort_unstable_by_key(|k| k.index());
    let name = &column.file.env;
    let mut out = Vec::new();
    for key in keys {
        let path = view.set.keys.path(key);
        let (file_leaf, stored) = (files.get(&key), store.get(&key));
        let message = match (file_leaf, stored) {
            (Some((f, _)), Some(s)) if !same(f, s) => {
                format!("`{path}` is {} in {name} but {} in {env}", view.shown(s), view.shown(f))
            }
            (Some(_), None) => format!("`{path}` is in {env} but not in {name}"),
            (None, Some(_)) => format!("`{path}` is in {name} but not in {env}"),
            _ => continue,
        };
        let (file, line) = match file_leaf {
            Some((f, inherited)) => (view.file_of(at, *inherited), Some(f.position.line)),
            None => (view.file_of(at, false), None),
        };
        out.push(
            Finding::new(
                Rule::StoreDrift,
                Severity::Error,
                &view.set.name,
                vec![env.to_owned(), name.clone()],
            )
            .key(path)
            .at(file, line)
            .message(message),
        );
    }
    out
}

/// Equal as §3 says, with three readings for stores: an undecrypted
/// store value and a file value that is a reference (`${DB_PASSWORD}`,
/// `vault:…`, an HCL expression: the file points at the store) count by
/// presence; a store that has only strings (etcd, Consul, SSM, a field the
/// Vault CLI wrote) matches a typed file value by its text (`"5432"` and
/// `5432`).
fn same(file: &Leaf, store: &Leaf) -> bool {
    if matches!(store.value, Value::Encrypted(_)) {
        return true;
    }
    match (&file.value, &store.value) {
        (Value::String(_), _) if file.is_reference() => true,
        (
            Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Null | Value::Datetime(_),
            Value::String(text),
        ) => typed_text(&file.value) == text.as_str(),
        _ => file.value.same_as(&store.value),
    }
}

/// A typed scalar as a store holding strings would: `5432`, `true`, `0.5`.
fn typed_text(value: &Value) -> String {
    match value {
        Value::Float(f) => f.to_string(),
        other => other.display_text(),
    }
}

/// `unresolved-reference` for `ssm:`/`vault:` values of this set's envs.
pub(super) fn references(view: &SetView<'_>, project: &Project) -> Vec<Finding> {
    let columns: Vec<(&crate::core::project::LoadedSet, &LoadedFile)> = project
        .sets
        .iter()
        .flat_map(|s| s.envs.iter().map(move |f| (s, f)))
        .filter(|(_, f)| {
            f.source.as_ref().is_some_and(|c| {
                matches!(c.kind, Kind::Ssm | Kind::Vault)
                    && matches!(c.state, SourceState::Loaded(_))
            })
        })
        .collect();
    if columns.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (at, leaves) in view.each_effective().enumerate() {
        for e in leaves {
            let Value::String(text) = &e.leaf.value else { continue };
            let Some((kind, target)) = reference(text) else { continue };
            let covering: Vec<_> = columns
                .iter()
                .filter_map(|(set, f)| {
                    let c = f.source.as_ref()?;
                    let prefix = c.label.split_once(':')?.1;
                    (c.kind == kind).then(|| Some((set, f, target.strip_prefix(prefix)?)))?
                })
                .collect();
            if covering.is_empty() {
                continue;
            }
            let found = covering.iter().any(|(set, f, rest)| has(set, f, kind, rest));
            if !found {
                let names: Vec<&str> =
                    covering.iter().map(|(_, f, _)| f.file.env.as_str()).collect();
                out.push(
                    Finding::new(
                        Rule::UnresolvedReference,
                        Severity::Warning,
                        &view.set.name,
                        vec![view.envs[at].clone()],
                    )
                    .key(view.set.path(e.leaf))
                    .at(view.file_holding(at, e.leaf, e.inherited), Some(e.leaf.position.line))
                    .message(format!("`{text}` names nothing in {}", names.join(", "))),
                );
            }
        }
    }
    out
}

/// `ssm:/a/b` → (Ssm, `/a/b`); `vault:secret/data/a/b#f` → (Vault,
/// `secret/a/b#f`): the KV v2 API's `data/` is taken out, as a source's
/// path is written without it.
fn reference(text: &str) -> Option<(Kind, String)> {
    if let Some(rest) = text.strip_prefix("ssm:") {
        return Some((Kind::Ssm, rest.to_owned()));
    }
    let rest = text.strip_prefix("vault:")?.trim_start_matches('/');
    let rest = match rest.split_once("/data/") {
        Some((mount, tail)) if !mount.contains('/') => format!("{mount}/{tail}"),
        _ => rest.to_owned(),
    };
    Some((Kind::Vault, rest))
}

/// Whether the column has the key a reference's rest names (`db/password`,
/// Vault `db#password`), or anything under it.
fn has(set: &crate::core::project::LoadedSet, column: &LoadedFile, kind: Kind, rest: &str) -> bool {
    let (secret, field) = match kind {
        Kind::Vault => rest.split_once('#').map_or((rest, None), |(s, f)| (s, Some(f))),
        _ => (rest, None),
    };
    let mut path = sources::path_of(secret);
    if let Some(field) = field {
        crate::core::key_path::push_key(&mut path, field);
    }
    column.leaves.iter().any(|l| {
        let p = set.path(l);
        p == path
            || (!path.is_empty()
                && p.strip_prefix(path.as_str()).is_some_and(|r| r.starts_with(['.', '['])))
    })
}
