//! The `dotenv` preset (§10): in a folder with `.env.<env>` files, `.env`
//! is the base layer of each `.env.<env>`; `.env.<env>.local` is the local
//! layer of `<env>` (applied with `--local`); `.env.local` stays env `local`.

use super::{Draft, Placed, Tree, join};
use crate::core::env_name::valid_env;
use crate::core::inherit::Merge;

pub(super) fn detect(tree: &Tree) -> Vec<Draft> {
    tree.dirs().filter_map(|(dir, _)| in_dir(tree, dir)).collect()
}

fn in_dir(tree: &Tree, dir: &str) -> Option<Draft> {
    let mut envs = Vec::new();
    let mut locals = Vec::new();
    for (i, file) in tree.in_dir(dir) {
        let Some(env) = file.name.strip_prefix(".env.").filter(|env| valid_env(env)) else {
            continue;
        };
        match env.strip_suffix(".local") {
            Some(of) if !of.is_empty() => locals.push((of.to_owned(), i)),
            _ => envs.push(Placed::whole(env.to_owned(), i)),
        }
    }
    if envs.is_empty() {
        return None;
    }
    let base = tree.find(dir, ".env");
    let rule = if base.is_some() {
        "dotenv: .env beside .env.<env> files"
    } else {
        "dotenv: .env.<env> files"
    };
    let mut draft = Draft::new(join(dir, ".env"), "dotenv", rule.to_owned(), Merge::Flat);
    draft.base = base.map(|file| Placed::whole("base", file));
    for (env, file) in locals {
        if envs.iter().any(|e| e.env == env) {
            draft.locals.push(Placed::whole(env, file));
        } else {
            let why = format!("the local layer of env `{env}`, but there is no .env.{env}");
            draft.unplaced.push((file, why));
        }
    }
    draft.envs = envs;
    Some(draft)
}
