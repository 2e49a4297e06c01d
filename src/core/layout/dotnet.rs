//! The `dotnet` preset (§10): `appsettings.json` is the base layer of each
//! `appsettings.<Env>.json` beside it (read as JSON with comments); lists
//! merge by index and keys match without case, as .NET's configuration does.

use super::{Draft, Placed, Tree, join};
use crate::core::env_name::valid_env;
use crate::core::inherit::Merge;

pub(super) fn detect(tree: &Tree) -> Vec<Draft> {
    tree.dirs().filter_map(|(dir, _)| in_dir(tree, dir)).collect()
}

fn in_dir(tree: &Tree, dir: &str) -> Option<Draft> {
    let base = tree.find(dir, "appsettings.json")?;
    let mut draft = Draft::new(
        join(dir, "appsettings"),
        "dotnet",
        "dotnet: appsettings.json beside appsettings.<Env>.json".to_owned(),
        Merge::Dotnet,
    );
    draft.base = Some(Placed::whole("base", base));
    for (i, file) in tree.in_dir(dir) {
        let env = file.name.strip_prefix("appsettings.").and_then(|r| r.strip_suffix(".json"));
        if let Some(env) = env.filter(|env| valid_env(env)) {
            draft.envs.push(Placed::whole(env.to_owned(), i));
        }
    }
    Some(draft)
}
