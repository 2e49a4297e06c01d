//! The `node-config` preset (§10): a `config/` folder holding
//! `default.{json,json5,yaml,yml,toml}` with `package.json` beside the
//! folder. `default` is the base layer of every other file there; `local*`
//! files are local layers (`local.json` of every env, `local-<env>.json` of
//! one); `custom-environment-variables.*` maps variables and is no env.

use super::tree::parent;
use super::{Draft, Placed, Tree};
use crate::core::env_name::valid_env;
use crate::core::inherit::Merge;

const EXTENSIONS: &[&str] = &["json", "json5", "yaml", "yml", "toml"];

pub(super) fn detect(tree: &Tree) -> Vec<Draft> {
    tree.dirs().filter_map(|(dir, _)| in_dir(tree, dir)).collect()
}

fn stem_of(name: &str) -> Option<&str> {
    let (stem, ext) = name.rsplit_once('.')?;
    EXTENSIONS.contains(&ext).then_some(stem)
}

fn in_dir(tree: &Tree, dir: &str) -> Option<Draft> {
    let is_config = dir == "config" || dir.ends_with("/config");
    if !is_config || !parent(dir).is_some_and(|up| tree.has(up, "package.json")) {
        return None;
    }
    let base = EXTENSIONS.iter().find_map(|ext| tree.find(dir, &format!("default.{ext}")))?;
    let mut draft = Draft::new(
        dir.to_owned(),
        "node-config",
        "node-config: config/default beside package.json".to_owned(),
        Merge::Deep,
    );
    draft.base = Some(Placed::whole("base", base));
    for (i, file) in tree.in_dir(dir) {
        let Some(stem) = stem_of(&file.name).filter(|_| i != base) else { continue };
        if stem == "custom-environment-variables" {
            let why = "node-config maps environment variables here; it is no env".to_owned();
            draft.unplaced.push((i, why));
        } else if stem == "default" {
            let why = "a second default file; envlens reads one base layer per set".to_owned();
            draft.unplaced.push((i, why));
        } else if stem == "local" {
            draft.locals.push(Placed::whole(String::new(), i));
        } else if let Some(env) = stem.strip_prefix("local-") {
            draft.locals.push(Placed::whole(env.to_owned(), i));
        } else if valid_env(stem) {
            draft.envs.push(Placed::whole(stem.to_owned(), i));
        }
    }
    Some(draft)
}
