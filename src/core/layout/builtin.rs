//! The built-in rules (§2) on the files no preset claimed:
//! `config_<env>.<ext>` with `config_base` / `config_default` /
//! `config_common` as the base layer, `.env.<env>`, and the settings'
//! file-name patterns. One set per folder and prefix.

use std::collections::BTreeMap;

use super::Grouping;
use super::{Draft, Placed, Tree, join};
use crate::core::config_set::{Mount, SetProblem};
use crate::core::file_name::match_with_patterns;
use crate::core::inherit::Merge;

/// Env names that mark a set's base layer instead of an environment.
const BASE_NAMES: &[&str] = &["base", "default", "common"];

/// Which file wins when one env has several: yaml, yml, json, toml.
fn extension_rank(rel_path: &str) -> u8 {
    match rel_path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("yaml") => 0,
        Some("yml") => 1,
        Some("json") => 2,
        Some("toml") => 3,
        _ => 4,
    }
}

pub(super) fn detect(tree: &Tree, options: &Grouping<'_>) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for (dir, _) in tree.dirs() {
        let mut by_prefix: BTreeMap<String, Vec<(Placed, u8)>> = BTreeMap::new();
        for (i, file) in tree.in_dir(dir) {
            let Some(matched) = match_with_patterns(&file.name, options.patterns) else {
                continue;
            };
            let placed = Placed {
                env: matched.env,
                file: i,
                format: Some(matched.format),
                mount: Mount::Whole,
            };
            by_prefix
                .entry(matched.prefix)
                .or_default()
                .push((placed, extension_rank(&file.rel_path)));
        }
        for (prefix, files) in by_prefix {
            drafts.push(draft(tree, join(dir, &prefix), &prefix, files));
        }
    }
    drafts
}

fn draft(tree: &Tree, name: String, prefix: &str, mut files: Vec<(Placed, u8)>) -> Draft {
    files.sort_by(|(a, ra), (b, rb)| a.env.cmp(&b.env).then(ra.cmp(rb)));
    let rule = if prefix == ".env" {
        "built-in: .env.<env> files".to_owned()
    } else if prefix == "config" {
        "built-in: config_<env> files".to_owned()
    } else {
        format!("pattern: {prefix} files")
    };
    let merge = if prefix == ".env" { Merge::Flat } else { Merge::Deep };
    let mut draft = Draft::new(name, "builtin", rule, merge);
    let mut bases: Vec<Placed> = Vec::new();
    for (placed, _) in files {
        if BASE_NAMES.contains(&placed.env.as_str()) {
            bases.push(placed);
        } else {
            draft.envs.push(placed);
        }
    }
    bases.sort_by_key(|b| (BASE_NAMES.iter().position(|n| *n == b.env), b.file));
    let mut bases = bases.into_iter();
    draft.base = bases.next();
    let kept = draft.base.as_ref().map_or("", |b| tree.file(b.file).rel_path.as_str());
    for extra in bases {
        let extra_path = &tree.file(extra.file).rel_path;
        let message = format!("two base files: {kept} and {extra_path}; using {kept}");
        draft.unplaced.push((extra.file, message.clone()));
        draft.problems.push(SetProblem { env: None, rel_path: extra_path.clone(), message });
    }
    draft
}
