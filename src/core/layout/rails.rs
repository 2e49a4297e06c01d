//! The `rails` preset (§10): in a Rails app (`config/application.rb`),
//! each `config/*.yml` whose top-level keys include two or more env words
//! (`database.yml`, `cable.yml`, …) is a set of env sections; its
//! `default` or `shared` section is their base layer (`<<: *default` is
//! resolved by the YAML reader already). `config/locales/` is never looked
//! at: it is not directly in `config/`.

use super::tree::parent;
use super::{Draft, Placed, Tree, is_env_word, join};
use crate::core::env_name::valid_env;
use crate::core::inherit::Merge;
use crate::core::parse::Format;

/// Section names that are the base layer, not an env.
const BASE_SECTIONS: &[&str] = &["default", "shared"];

pub(super) fn detect(tree: &Tree) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for (dir, _) in tree.dirs() {
        let is_config = dir == "config" || dir.ends_with("/config");
        let app = parent(dir).is_some_and(|up| tree.has(&join(up, "config"), "application.rb"));
        if !is_config || !app {
            continue;
        }
        let files: Vec<usize> = tree
            .in_dir(dir)
            .filter(|(_, f)| f.format() == Some(Format::Yaml))
            .map(|(i, _)| i)
            .collect();
        drafts.extend(files.into_iter().filter_map(|file| of_file(tree, file)));
    }
    drafts
}

fn of_file(tree: &Tree, file: usize) -> Option<Draft> {
    let top = tree.read(file, Format::Yaml)?.top_level();
    let env_words = top.iter().filter(|k| k.name.as_deref().is_some_and(is_env_word)).count();
    if env_words < 2 {
        return None;
    }
    let candidate = tree.file(file);
    let stem = candidate.name.rsplit_once('.').map_or(candidate.name.as_str(), |(s, _)| s);
    let mut draft = Draft::new(
        join(&candidate.dir, stem),
        "rails",
        format!("rails: {} with env sections beside config/application.rb", candidate.name),
        Merge::Deep,
    );
    for key in top.iter().filter(|k| k.map) {
        let Some(name) = key.name.as_deref() else { continue };
        if BASE_SECTIONS.contains(&name) {
            if draft.base.is_none() {
                draft.base = Some(Placed::section(name, file, &key.path));
            }
        } else if valid_env(name) {
            draft.envs.push(Placed::section(name, file, &key.path));
        }
    }
    Some(draft)
}
