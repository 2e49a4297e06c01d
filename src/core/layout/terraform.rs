//! The `terraform` preset (§10): two or more `<env>.tfvars` in a folder
//! holding `*.tf`, or `envs/<env>/*.tfvars` (also `environments/`). The
//! defaults of `variables.tf` (of the folder holding the `*.tf`; for an
//! `envs/<env>/` folder, the nearest such folder above it) are the base
//! layer, `terraform.tfvars` and `*.auto.tfvars` beside the env files
//! apply to every env as terraform loads them, and a variable an env sets
//! replaces the default's whole value.

use std::collections::BTreeMap;

use super::tree::parent;
use super::{Draft, Placed, Tree, join};
use crate::core::config_set::Role;
use crate::core::env_name::valid_env;
use crate::core::inherit::Merge;

/// Folder names whose sub-folders are envs.
const ENV_FOLDERS: &[&str] = &["envs", "environments"];

pub(super) fn detect(tree: &Tree) -> Vec<Draft> {
    let mut drafts: Vec<Draft> = tree.dirs().filter_map(|(dir, _)| flat(tree, dir)).collect();
    let mut by_folder: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (dir, _) in tree.dirs() {
        let (up, env) = dir.rsplit_once('/').unwrap_or(("", dir));
        let folder = up.rsplit_once('/').map_or(up, |(_, name)| name);
        if ENV_FOLDERS.contains(&folder) && valid_env(env) && tfvars(tree, dir).next().is_some() {
            by_folder.entry(up).or_default().push((env, dir));
        }
    }
    drafts.extend(by_folder.into_iter().map(|(up, envs)| per_folder(tree, up, &envs)));
    drafts
}

fn tfvars<'t>(tree: &'t Tree, dir: &str) -> impl Iterator<Item = (usize, &'t str)> + 't {
    tree.in_dir(dir).filter(|(_, f)| f.name.ends_with(".tfvars")).map(|(i, f)| (i, f.name.as_str()))
}

/// Files terraform loads for every run: `terraform.tfvars`, `*.auto.tfvars`.
fn loaded_always(name: &str) -> bool {
    name == "terraform.tfvars" || name.ends_with(".auto.tfvars")
}

fn holds_tf(tree: &Tree, dir: &str) -> bool {
    let is_tf = |name: &str| name.rsplit_once('.').is_some_and(|(_, ext)| ext == "tf");
    tree.in_dir(dir).any(|(_, f)| is_tf(&f.name))
        || tree.has(dir, "variables.tf")
        || tree.has(dir, "main.tf")
}

/// `dev.tfvars` and `prod.tfvars` beside `main.tf`.
fn flat(tree: &Tree, dir: &str) -> Option<Draft> {
    if !holds_tf(tree, dir) {
        return None;
    }
    let mut always = Vec::new();
    let mut envs = Vec::new();
    for (i, name) in tfvars(tree, dir) {
        let env = name.strip_suffix(".tfvars").unwrap_or(name);
        if loaded_always(name) {
            always.push(i);
        } else if valid_env(env) {
            envs.push(Placed::whole(env, i));
        }
    }
    if envs.len() < 2 {
        return None;
    }
    let mut draft = Draft::new(
        join(dir, "terraform"),
        "terraform",
        "terraform: <env>.tfvars beside *.tf".to_owned(),
        Merge::Terraform,
    );
    draft.base = tree.find(dir, "variables.tf").map(|f| Placed::whole("variables.tf", f));
    draft.layers = always.into_iter().map(|f| (Placed::whole("tfvars", f), Role::Base)).collect();
    draft.envs = envs;
    Some(draft)
}

/// `envs/dev/terraform.tfvars`, `envs/prod/terraform.tfvars`, …
fn per_folder(tree: &Tree, up: &str, envs: &[(&str, &str)]) -> Draft {
    let folder = up.rsplit_once('/').map_or(up, |(_, name)| name);
    let mut draft = Draft::new(
        up.to_owned(),
        "terraform",
        format!("terraform: {folder}/<env>/*.tfvars"),
        Merge::Terraform,
    );
    let mut above = Some(up);
    while let Some(dir) = above {
        if holds_tf(tree, dir) {
            draft.base = tree.find(dir, "variables.tf").map(|f| Placed::whole("variables.tf", f));
            break;
        }
        above = parent(dir);
    }
    for &(env, dir) in envs {
        let mut files: Vec<(usize, &str)> = tfvars(tree, dir).collect();
        // As terraform orders them: terraform.tfvars, *.auto.tfvars, then the rest.
        files.sort_by_key(|&(_, name)| (name != "terraform.tfvars", !loaded_always(name), name));
        let mut files = files.into_iter();
        if let Some((first, _)) = files.next() {
            draft.envs.push(Placed::whole(env, first));
        }
        draft.layers.extend(files.map(|(f, _)| (Placed::whole(env, f), Role::Env)));
    }
    draft
}
