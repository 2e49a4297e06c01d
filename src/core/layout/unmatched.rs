//! Why a file that looks like config joined no set (§2): the guard of the
//! preset its name belongs to, or the hint to write a `[[set]]` or a
//! pattern. A file that does not look like config (a locale, a package
//! manifest, a Hydra group) is not reported.

use super::{Candidate, Tree, Unmatched, is_env_word};

/// Name prefixes of the presets, with what their guard needs.
const PRESET_NAMES: &[(&str, &str)] = &[
    ("values-", "helm needs Chart.yaml and values.yaml beside it"),
    ("values.", "helm needs Chart.yaml and values.yaml beside it"),
    ("appsettings.", "dotnet needs appsettings.json beside it"),
    (
        "application-",
        "spring needs application.{yml,yaml,properties} beside it, in src/main/resources or \
         under a folder with pom.xml or build.gradle",
    ),
    ("compose.", "compose needs compose.yaml beside it"),
    ("docker-compose.", "compose needs docker-compose.yml beside it"),
];

pub(super) fn explain(tree: &Tree) -> Vec<Unmatched> {
    tree.unclaimed().filter_map(|(_, file)| reason(file)).collect()
}

fn reason(file: &Candidate) -> Option<Unmatched> {
    let name = file.name.as_str();
    let why = if let Some(env) = name.strip_prefix(".env.") {
        format!(
            "`{env}` is not an env name (a letter or digit, then letters, digits, `_`, `-`, `.`)"
        )
    } else {
        let stem = name.rsplit_once('.').map(|(stem, _)| stem)?;
        let (prefix, env) = split_env(stem)?;
        if !is_env_word(env) {
            return None;
        }
        let preset = PRESET_NAMES.iter().find(|(start, _)| name.starts_with(start));
        match preset {
            Some((_, needs)) => format!("no set takes it: {needs}"),
            None => format!(
                "no layout takes `{prefix}` files; add a [[set]] or a pattern to .envlens.toml"
            ),
        }
    };
    Some(Unmatched { rel_path: file.rel_path.clone(), reason: why })
}

/// `settings.prod` → (`settings`, `prod`), split at the last `_`, `-` or `.`.
fn split_env(stem: &str) -> Option<(&str, &str)> {
    let at = stem.rfind(['_', '-', '.'])?;
    let (prefix, env) = (&stem[..at], &stem[at + 1..]);
    (!prefix.is_empty() && !env.is_empty()).then_some((prefix, env))
}
