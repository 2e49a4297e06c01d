//! The `kustomize` preset (§10): two or more folders with a
//! `kustomization.{yaml,yml}` whose `resources` (or legacy `bases`) reach
//! one common base folder. The base folder's files are the base layers of
//! every overlay folder (env = the overlay folder's name), files compared
//! by their path inside the folder: each file's keys start with that path
//! (`configmap.yaml.data.LOG_LEVEL`).
//!
//! The manifests inside are keyed `Kind/name` (§12) below that path, and
//! layered by kustomize's strategic merge: mappings deep, lists keyed by
//! identity (`containers[name=web]`) item by item, other lists replaced.

use std::collections::BTreeMap;

use super::{Draft, Placed, Tree};
use crate::core::config_set::{Mount, Role};
use crate::core::env_name::valid_env;
use crate::core::inherit::Merge;
use crate::core::parse::Format;

const KUSTOMIZATIONS: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

pub(super) fn detect(tree: &Tree) -> Vec<Draft> {
    let folders: Vec<&str> =
        tree.dirs().map(|(dir, _)| dir).filter(|dir| kustomization(tree, dir).is_some()).collect();
    let mut overlays: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for &dir in &folders {
        for base in reached(tree, dir) {
            if base != dir && folders.contains(&base.as_str()) {
                overlays.entry(base).or_default().push(dir);
            }
        }
    }
    overlays
        .into_iter()
        .filter(|(_, on)| on.len() >= 2)
        .map(|(base, on)| draft(tree, &base, &on, &folders))
        .collect()
}

fn kustomization(tree: &Tree, dir: &str) -> Option<usize> {
    KUSTOMIZATIONS
        .iter()
        .find_map(|name| tree.in_dir(dir).find(|(_, f)| f.name == *name).map(|(i, _)| i))
}

/// The folders a kustomization's `resources` and `bases` name.
fn reached(tree: &Tree, dir: &str) -> Vec<String> {
    let Some(file) = kustomization(tree, dir) else { return Vec::new() };
    let Some(keys) = tree.read(file, Format::Yaml) else { return Vec::new() };
    keys.values
        .iter()
        .filter(|(path, _)| path.starts_with("resources[") || path.starts_with("bases["))
        .filter_map(|(_, value)| match value {
            crate::core::leaf::Value::String(target) => resolve(dir, target),
            _ => None,
        })
        .collect()
}

/// `k8s/overlays/prod` + `../../base` → `k8s/base`; None above the root
/// or for a remote resource.
fn resolve(dir: &str, target: &str) -> Option<String> {
    if target.contains("://") || target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.trim_end_matches('/').split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    Some(parts.join("/"))
}

/// The files of a kustomize folder with their path inside it; folders
/// below it that are kustomizations of their own are left to them.
pub(super) fn files_of(tree: &Tree, root: &str, folders: &[&str]) -> Vec<(usize, String)> {
    let inside = |dir: &str| -> Option<String> {
        if dir == root {
            return Some(String::new());
        }
        let rest = if root.is_empty() { dir } else { dir.strip_prefix(root)?.strip_prefix('/')? };
        Some(rest.to_owned())
    };
    let mut out = Vec::new();
    for (dir, _) in tree.dirs() {
        let Some(rel_dir) = inside(dir) else { continue };
        let nested = folders.iter().any(|f| {
            *f != root
                && inside(f).is_some()
                && (dir == *f || dir.strip_prefix(*f).is_some_and(|r| r.starts_with('/')))
        });
        if nested {
            continue;
        }
        for (i, file) in tree.in_dir(dir) {
            if file.format().is_some() && !file.is_marker() {
                let rel = if rel_dir.is_empty() {
                    file.name.clone()
                } else {
                    format!("{rel_dir}/{}", file.name)
                };
                out.push((i, rel));
            }
        }
    }
    out
}

fn draft(tree: &Tree, base: &str, overlays: &[&str], folders: &[&str]) -> Draft {
    let (up, base_name) = base.rsplit_once('/').unwrap_or(("", base));
    let name = if base_name == "base" && !up.is_empty() { up.to_owned() } else { base.to_owned() };
    let mut draft = Draft::new(
        name,
        "kustomize",
        format!("kustomize: {} overlays whose resources reach {base}", overlays.len()),
        Merge::Kustomize,
    );
    let mut base_files = files_of(tree, base, folders).into_iter();
    if let Some((first, rel)) = base_files.next() {
        draft.base = Some(under("base", first, rel));
    }
    draft.layers.extend(base_files.map(|(f, rel)| (under("base", f, rel), Role::Base)));
    for overlay in overlays {
        let env = overlay.rsplit_once('/').map_or(*overlay, |(_, name)| name);
        if !valid_env(env) {
            continue;
        }
        let mut files = files_of(tree, overlay, folders).into_iter();
        if let Some((first, rel)) = files.next() {
            draft.envs.push(under(env, first, rel));
        }
        draft.layers.extend(files.map(|(f, rel)| (under(env, f, rel), Role::Env)));
    }
    draft
}

fn under(env: &str, file: usize, rel: String) -> Placed {
    Placed { env: env.to_owned(), file, format: None, mount: Mount::Under(rel) }
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn resources_resolve_against_the_kustomization_folder() {
        assert_eq!(resolve("k8s/overlays/prod", "../../base").as_deref(), Some("k8s/base"));
        assert_eq!(resolve("overlays/prod", "../../base/"), Some("base".to_owned()));
        assert_eq!(resolve("prod", "../../base"), None);
        assert_eq!(resolve("a", "https://github.com/x/y//base"), None);
        assert_eq!(resolve("a", "./b"), Some("a/b".to_owned()));
    }
}
