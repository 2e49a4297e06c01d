//! Env names (§2): which names are valid, which are templates, which
//! group an env belongs to and the order envs are shown in. Discovery, the
//! layouts and the checks all read these; none of them owns the rules.

/// Env groups in display order; unknown envs follow them, then `LAST_GROUP`.
const ENV_GROUPS: &[&[&str]] = &[
    &["local"],
    &["dev", "development"],
    &["test", "qa", "ci"],
    &["stage", "staging", "uat", "preprod"],
    &["prod", "production", "live"],
];
const LAST_GROUP: &[&str] = &["example", "sample", "template"];

/// Env name endings that make a template env (§2).
const TEMPLATE_SUFFIXES: &[&str] = &[".example", ".sample", ".template", ".dist"];

/// Env names are `[A-Za-z0-9][A-Za-z0-9_.-]*` (§2).
pub fn valid_env(env: &str) -> bool {
    let mut chars = env.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A template env (§2): `example`, `sample`, `template`, or a name ending
/// in `.example`, `.sample`, `.template` or `.dist`; compared for keys only.
pub fn is_template(env: &str) -> bool {
    let lower = env.to_ascii_lowercase();
    LAST_GROUP.contains(&lower.as_str()) || TEMPLATE_SUFFIXES.iter().any(|s| lower.ends_with(s))
}

/// True for an env of the stage or prod groups (§2), where a loopback host
/// cannot be what was meant.
pub fn is_stage_or_prod(env: &str) -> bool {
    let lower = env.to_ascii_lowercase();
    ENV_GROUPS[3..].iter().any(|group| group.contains(&lower.as_str()))
}

/// The §2 env group of a name (0 = local … 4 = prod), case-insensitive.
pub fn env_group(env: &str) -> Option<usize> {
    let lower = env.to_ascii_lowercase();
    ENV_GROUPS.iter().position(|g| g.contains(&lower.as_str()))
}

/// Sort key of an env: its group (§2: local, dev, test, stage, prod, the
/// rest, example and the template envs), then its name.
pub(crate) fn env_rank(env: &str, explicit: &[String]) -> (usize, String) {
    let lower = env.to_ascii_lowercase();
    if !explicit.is_empty() {
        let at = explicit.iter().position(|e| e.eq_ignore_ascii_case(env));
        return (at.unwrap_or(explicit.len()), lower);
    }
    let group = env_group(env)
        .unwrap_or_else(|| if is_template(env) { ENV_GROUPS.len() + 1 } else { ENV_GROUPS.len() });
    (group, lower)
}
