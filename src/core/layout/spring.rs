//! The `spring` preset (§10): `application.{yml,yaml,properties}` is the
//! base layer of each `application-<profile>.…` beside it, in a folder
//! named `src/main/resources` or under one holding `pom.xml` or
//! `build.gradle[.kts]`.

use super::tree::parent;
use super::{Draft, Placed, Tree, join};
use crate::core::env_name::valid_env;
use crate::core::inherit::Merge;

const EXTENSIONS: &[&str] = &["yml", "yaml", "properties"];
const BUILD_FILES: &[&str] = &["pom.xml", "build.gradle", "build.gradle.kts"];

pub(super) fn detect(tree: &Tree) -> Vec<Draft> {
    tree.dirs().filter_map(|(dir, _)| in_dir(tree, dir)).collect()
}

/// The folder is a Spring project's resources folder.
fn guarded(tree: &Tree, dir: &str) -> bool {
    if dir == "src/main/resources" || dir.ends_with("/src/main/resources") {
        return true;
    }
    let mut at = Some(dir);
    while let Some(folder) = at {
        if BUILD_FILES.iter().any(|name| tree.has(folder, name)) {
            return true;
        }
        at = parent(folder);
    }
    false
}

/// `application-prod.yml` → (`prod`, rank of its extension).
fn profile_of(name: &str) -> Option<(&str, usize)> {
    let rest = name.strip_prefix("application-")?;
    let (profile, ext) = rest.rsplit_once('.')?;
    let rank = EXTENSIONS.iter().position(|e| *e == ext)?;
    valid_env(profile).then_some((profile, rank))
}

fn in_dir(tree: &Tree, dir: &str) -> Option<Draft> {
    let mut bases =
        EXTENSIONS.iter().filter_map(|ext| tree.find(dir, &format!("application.{ext}")));
    let base = bases.next()?;
    let mut profiles: Vec<(String, usize, usize)> = tree
        .in_dir(dir)
        .filter_map(|(i, f)| profile_of(&f.name).map(|(p, rank)| (p.to_owned(), rank, i)))
        .collect();
    if profiles.is_empty() || !guarded(tree, dir) {
        return None;
    }
    let base_name = tree.file(base).name.clone();
    let mut draft = Draft::new(
        join(dir, "application"),
        "spring",
        format!("spring: {base_name} beside application-<profile> files"),
        Merge::Deep,
    );
    draft.base = Some(Placed { env: "base".to_owned(), file: base, format: None });
    for extra in bases {
        let why = format!("a second base layer beside {base_name}; envlens reads one per set");
        draft.unplaced.push((extra, why));
    }
    profiles.sort();
    draft.envs =
        profiles.into_iter().map(|(env, _, file)| Placed { env, file, format: None }).collect();
    Some(draft)
}
