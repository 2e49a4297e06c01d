//! Flag files (§14) form flag sets, one per folder and format:
//! `flags_<env>.json` and `<env>.flagd.json` (`OpenFeature` flagd),
//! `flags.<env>.goff.yaml` (GO Feature Flag), `<env>.features.yml` (Flipt)
//! and `unleash-<env>.json` (an Unleash export per env). They claim their
//! files before the presets: those names mean flags wherever they are.

use super::{Draft, Placed, Tree, join};
use crate::core::env_name::valid_env;
use crate::core::inherit::Merge;
use crate::core::parse::Format;

/// A flag file name rule: the set's name, its format, and the env of a
/// file name it takes.
struct Rule {
    set: &'static str,
    format: Format,
    what: &'static str,
    env_of: fn(&str) -> Option<&str>,
}

const RULES: &[Rule] = &[
    Rule {
        set: "flags",
        format: Format::Flagd,
        what: "flags: flagd files flags_<env>.json",
        env_of: |name| name.strip_prefix("flags_")?.strip_suffix(".json"),
    },
    Rule {
        set: "flagd",
        format: Format::Flagd,
        what: "flags: flagd files <env>.flagd.json",
        env_of: |name| name.strip_suffix(".flagd.json"),
    },
    Rule {
        set: "flags.goff",
        format: Format::Goff,
        what: "flags: GO Feature Flag files flags.<env>.goff.yaml",
        env_of: |name| {
            let rest = name.strip_prefix("flags.")?;
            rest.strip_suffix(".goff.yaml").or_else(|| rest.strip_suffix(".goff.yml"))
        },
    },
    Rule {
        set: "features",
        format: Format::Flipt,
        what: "flags: Flipt files <env>.features.yml",
        env_of: |name| {
            name.strip_suffix(".features.yml").or_else(|| name.strip_suffix(".features.yaml"))
        },
    },
    Rule {
        set: "unleash",
        format: Format::Unleash,
        what: "flags: Unleash exports unleash-<env>.json",
        env_of: |name| name.strip_prefix("unleash-")?.strip_suffix(".json"),
    },
];

pub(super) fn detect(tree: &Tree) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for (dir, _) in tree.dirs() {
        for rule in RULES {
            let mut draft =
                Draft::new(join(dir, rule.set), "flags", rule.what.to_owned(), Merge::Deep);
            for (i, file) in tree.in_dir(dir) {
                let Some(env) = (rule.env_of)(&file.name).filter(|env| valid_env(env)) else {
                    continue;
                };
                draft.envs.push(Placed { format: Some(rule.format), ..Placed::whole(env, i) });
            }
            if !draft.envs.is_empty() {
                drafts.push(draft);
            }
        }
    }
    drafts
}
