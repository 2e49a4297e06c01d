//! The `helm` preset (§10): a chart folder (`Chart.yaml` beside
//! `values.yaml`) whose `values-<env>.yaml`, `values.<env>.yaml` or
//! `values/<env>.yaml` files are the envs, `values.yaml` their base; an
//! env's `null` deletes the key. A lone `values.yaml` makes no set.

use super::{Draft, Placed, Tree, join};
use crate::core::env_name::valid_env;
use crate::core::inherit::Merge;

pub(super) fn detect(tree: &Tree) -> Vec<Draft> {
    tree.dirs().filter_map(|(dir, _)| in_dir(tree, dir)).collect()
}

/// `values-prod.yaml` or `values.prod.yml` → `prod`.
fn env_of(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("values-").or_else(|| name.strip_prefix("values."))?;
    let env = rest.strip_suffix(".yaml").or_else(|| rest.strip_suffix(".yml"))?;
    valid_env(env).then_some(env)
}

fn in_dir(tree: &Tree, dir: &str) -> Option<Draft> {
    if !tree.has(dir, "Chart.yaml") {
        return None;
    }
    let base = tree.find(dir, "values.yaml").or_else(|| tree.find(dir, "values.yml"))?;
    let mut draft = Draft::new(
        join(dir, "values"),
        "helm",
        "helm: Chart.yaml beside values.yaml".to_owned(),
        Merge::Helm,
    );
    draft.base = Some(Placed::whole("base", base));
    for (i, file) in tree.in_dir(dir) {
        if let Some(env) = env_of(&file.name) {
            draft.envs.push(Placed::whole(env.to_owned(), i));
        }
    }
    for (i, file) in tree.in_dir(&join(dir, "values")) {
        let env = file.name.strip_suffix(".yaml").or_else(|| file.name.strip_suffix(".yml"));
        if let Some(env) = env.filter(|env| valid_env(env)) {
            draft.envs.push(Placed::whole(env.to_owned(), i));
        }
    }
    Some(draft)
}
