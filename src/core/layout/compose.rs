//! The `compose` preset (§10): the main compose file (`compose.yaml`,
//! `docker-compose.yml`, …) is the base layer of each
//! `compose.<env>.yaml` / `docker-compose.<env>.yml` beside it;
//! `compose.override.yaml` is env `override`.

use super::{Draft, Placed, Tree, join};
use crate::core::env_name::valid_env;
use crate::core::inherit::Merge;

const STEMS: &[&str] = &["compose", "docker-compose"];

pub(super) fn detect(tree: &Tree) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for (dir, _) in tree.dirs() {
        drafts.extend(STEMS.iter().filter_map(|stem| in_dir(tree, dir, stem)));
    }
    drafts
}

fn in_dir(tree: &Tree, dir: &str, stem: &str) -> Option<Draft> {
    let base = ["yaml", "yml"].iter().find_map(|ext| tree.find(dir, &format!("{stem}.{ext}")))?;
    let base_name = tree.file(base).name.clone();
    let mut draft = Draft::new(
        join(dir, stem),
        "compose",
        format!("compose: {base_name} beside {stem}.<env>.yaml"),
        Merge::Compose,
    );
    draft.base = Some(Placed::whole("base", base));
    let prefix = format!("{stem}.");
    for (i, file) in tree.in_dir(dir) {
        let rest = file.name.strip_prefix(&prefix);
        let env = rest.and_then(|r| r.strip_suffix(".yaml").or_else(|| r.strip_suffix(".yml")));
        if let Some(env) = env.filter(|env| valid_env(env)) {
            draft.envs.push(Placed::whole(env.to_owned(), i));
        }
    }
    Some(draft)
}
