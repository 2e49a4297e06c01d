//! `unencrypted-value` and `private-key-file` (§5, §7): a plain value in a
//! sops file where sops would have encrypted it, and a key file that git
//! tracks or could track. Neither quotes a value or a key file's text.

use super::{Finding, Rule, SetView, Severity};
use crate::core::project::Project;

pub(super) fn unencrypted(view: &SetView<'_>) -> Vec<Finding> {
    let set = view.set;
    let all: Vec<String> = set.env_names().into_iter().map(str::to_owned).collect();
    let files =
        set.base.iter().map(|b| (b, all.clone())).chain(
            set.envs.iter().filter(|f| !f.is_source()).map(|f| (f, vec![f.file.env.clone()])),
        );
    let mut out = Vec::new();
    for (file, envs) in files {
        let Some(encryption) = &file.encryption else { continue };
        for leaf in encryption.plain.iter().filter_map(|&i| file.leaves.get(i)) {
            let key = set.path(leaf);
            out.push(
                Finding::new(Rule::UnencryptedValue, Severity::Error, &set.name, envs.clone())
                    .at(&file.file.rel_path, Some(leaf.position.line))
                    .key(key)
                    .message(
                        "a plain value in a sops file where sops would encrypt it; \
                         encrypt it with `sops` (or name it in the file's unencrypted rules)"
                            .to_owned(),
                    ),
            );
        }
    }
    out
}

pub(super) fn key_files(project: &Project, trackable: &dyn Fn(&str) -> bool) -> Vec<Finding> {
    project
        .key_files
        .iter()
        .filter(|path| trackable(path))
        .map(|path| {
            let mut finding = Finding::new(Rule::PrivateKeyFile, Severity::Error, "", Vec::new())
                .at(path, None)
                .message(
                    "a private key file that git tracks or could track; add it to .gitignore \
                     and keep the key in a secret store"
                        .to_owned(),
                );
            finding.set.clear();
            finding
        })
        .collect()
}
