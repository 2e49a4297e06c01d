//! The `dynaconf` preset (§10): `settings.{toml,yaml,yml,json}` whose
//! top-level keys are `default` and at least one env word holds its envs
//! as sections. `[default]` is the base layer of every env section,
//! `[global]` applies after it, and `.secrets.<ext>` beside the file adds
//! its own `default`, env and `global` sections over the settings' ones;
//! an env's top-level key replaces the base's whole (dynaconf's merge).

use super::tree::TopKey;
use super::{Draft, Placed, Tree, is_env_word, join};
use crate::core::config_set::Role;
use crate::core::env_name::valid_env;
use crate::core::inherit::Merge;

const EXTENSIONS: &[&str] = &["toml", "yaml", "yml", "json"];
/// Top-level keys that are not envs.
const NOT_ENVS: &[&str] = &["default", "global"];

pub(super) fn detect(tree: &Tree) -> Vec<Draft> {
    tree.dirs().filter_map(|(dir, _)| in_dir(tree, dir)).collect()
}

/// The sections of a settings file, when its top level is envs.
fn sections(tree: &Tree, file: usize) -> Option<Vec<TopKey>> {
    let format = tree.file(file).format()?;
    let top = tree.read(file, format)?.top_level();
    let named = |want: &str| top.iter().any(|k| k.map && k.name.as_deref() == Some(want));
    let envs = top.iter().filter(|k| k.map && k.name.as_deref().is_some_and(is_env_word));
    (named("default") && envs.count() > 0).then_some(top)
}

fn in_dir(tree: &Tree, dir: &str) -> Option<Draft> {
    let (file, top) = EXTENSIONS.iter().find_map(|ext| {
        let file = tree.find(dir, &format!("settings.{ext}"))?;
        sections(tree, file).map(|top| (file, top))
    })?;
    let name = tree.file(file).name.clone();
    let mut draft = Draft::new(
        join(dir, "settings"),
        "dynaconf",
        format!("dynaconf: {name} with [default] and env sections"),
        Merge::Dynaconf,
    );
    draft.base = Some(Placed::section("default", file, "default"));
    let secrets = EXTENSIONS
        .iter()
        .find_map(|ext| tree.find(dir, &format!(".secrets.{ext}")))
        .and_then(|f| Some((f, tree.file(f).format()?)))
        .and_then(|(f, format)| Some((f, tree.read(f, format)?.top_level())));
    let has = |top: &[TopKey], want: &str| top.iter().any(|k| k.name.as_deref() == Some(want));
    if let Some((secrets, secret_top)) = &secrets
        && has(secret_top, "default")
    {
        draft.layers.push((Placed::section(".secrets", *secrets, "default"), Role::Base));
    }
    for key in top.iter().filter(|k| k.map) {
        let Some(env) = key.name.as_deref() else { continue };
        let lower = env.to_ascii_lowercase();
        if NOT_ENVS.contains(&lower.as_str()) || lower.starts_with("dynaconf") || !valid_env(env) {
            continue;
        }
        draft.envs.push(Placed::section(env, file, &key.path));
        if let Some((secrets, secret_top)) = &secrets
            && let Some(own) = secret_top.iter().find(|k| k.name.as_deref() == Some(env))
        {
            draft.layers.push((Placed::section(env, *secrets, &own.path), Role::Env));
        }
    }
    if has(&top, "global") {
        draft.layers.push((Placed::section("global", file, "global"), Role::After));
    }
    if let Some((secrets, secret_top)) = &secrets {
        if has(secret_top, "global") {
            draft
                .layers
                .push((Placed::section(".secrets global", *secrets, "global"), Role::After));
        }
        if draft.layers.iter().all(|(p, _)| p.file != *secrets) {
            let why = "its sections match no section of the settings file".to_owned();
            draft.unplaced.push((*secrets, why));
        }
    }
    Some(draft)
}
