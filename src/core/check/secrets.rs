//! `shared-secret` and `plaintext-secret` (§7): one secret value reused by
//! several envs of a set, and secrets written literally in files git tracks
//! or could track. Both name keys and envs, never a value.
//!
//! Readings: `null`, `""` and booleans (also the dotenv texts `true` and
//! `false`, since dotenv has only strings) are not secrets worth reporting here
//! (a shared `false` or an empty password says nothing about reuse, and has
//! nothing to move into a secret store). For a URL with a password, the
//! password alone is compared, so one password behind two hosts is still
//! shared. A value from the base file that two envs inherit is shared too.

use super::{Finding, Rule, SetView, Severity, and_list};
use crate::core::key_path;
use crate::core::leaf::{Leaf, Value, Written};
use crate::core::project::LoadedFile;
use crate::core::secret::{self, Secret, SecretReason};

/// A secret's text to compare with (the part §5 masks), or None when it
/// does not count.
fn compared(leaf: &Leaf, secret: Secret) -> Option<String> {
    match &leaf.value {
        // Dotenv has only strings: `USE_AUTH=true` is a flag, not a secret.
        Value::String(s) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => {
            None
        }
        value => secret::hidden_text(value, secret),
    }
}

pub(super) fn shared(view: &SetView<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in &view.rows {
        let texts: Vec<Option<_>> = row
            .cells
            .iter()
            .map(|cell| {
                let leaf = cell.as_ref()?.leaf;
                compared(leaf, view.secret(leaf)?)
            })
            .collect();
        let mut taken = vec![false; texts.len()];
        for (i, text) in texts.iter().enumerate() {
            let Some(text) = text else { continue };
            if taken[i] {
                continue;
            }
            let group: Vec<usize> =
                (i..texts.len()).filter(|&j| texts[j].as_ref() == Some(text)).collect();
            if group.len() < 2 {
                continue;
            }
            for &j in &group {
                taken[j] = true;
            }
            let envs: Vec<String> = group.iter().map(|&j| view.envs[j].clone()).collect();
            let cell = row.cells[i].as_ref().map(|c| (c.inherited, c.leaf.position.line));
            let (inherited, line) = cell.unwrap_or((false, 0));
            out.push(
                Finding::new(Rule::SharedSecret, Severity::Error, &view.set.name, envs.clone())
                    .at(view.file_of(i, inherited), Some(line))
                    .key(row.key)
                    .message(format!(
                        "the same secret value is used in {}; give each env its own secret",
                        and_list(&envs)
                    )),
            );
        }
    }
    out
}

pub(super) fn plaintext(view: &SetView<'_>, trackable: &dyn Fn(&str) -> bool) -> Vec<Finding> {
    let set = view.set;
    let all: Vec<String> = set.env_names().into_iter().map(str::to_owned).collect();
    let files =
        set.base.iter().map(|b| (b, all.clone())).chain(
            set.envs.iter().filter(|f| !f.is_source()).map(|f| (f, vec![f.file.env.clone()])),
        );
    let mut out = Vec::new();
    for (file, envs) in files {
        if file.error.is_some() || !trackable(&file.file.rel_path) {
            continue;
        }
        out.extend(file_secrets(view, file, &envs));
    }
    out
}

fn file_secrets(view: &SetView<'_>, file: &LoadedFile, envs: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    for leaf in &file.leaves {
        let Some(found) = view.secret(leaf) else { continue };
        if compared(leaf, found).is_none() {
            continue;
        }
        let message = format!(
            "a secret ({}) written in plain text in a file git tracks or could track; {}",
            why(found.reason),
            suggestion(view.set.path(leaf), leaf, found)
        );
        out.push(
            Finding::new(Rule::PlaintextSecret, Severity::Warning, &view.set.name, envs.to_vec())
                .at(&file.file.rel_path, Some(leaf.position.line))
                .key(view.set.path(leaf))
                .message(message),
        );
    }
    out
}

fn why(reason: SecretReason) -> &'static str {
    match reason {
        SecretReason::Name => "by its name",
        SecretReason::GeneratedKey => "a generated value under a key name",
        SecretReason::TokenShape => "it has the shape of an access token",
        SecretReason::UrlPassword => "the password in a URL",
        SecretReason::ConnectionString => "a password in a connection string",
        SecretReason::Schema => "the schema marks it",
        SecretReason::Settings => "`secret_keys` in .envlens.toml marks it",
        SecretReason::Store => "its store keeps it as a secret",
        SecretReason::KubernetesSecret => "it is a value of a Kubernetes Secret",
    }
}

/// The reference to write instead: `${DB_PASSWORD}`, or the URL with its
/// password replaced by one (the URL as `diff` shows it, so no secret).
fn suggestion(path: &str, leaf: &Leaf, found: Secret) -> String {
    let var = variable_name(path);
    if leaf.written == Written::Expression {
        return "the expression holds it as text; take it from a variable or a secret store"
            .to_owned();
    }
    if leaf.is_reference() {
        return "drop the secret default from the reference and keep the value in a secret store"
            .to_owned();
    }
    if let Value::String(url) = &leaf.value
        && let Some(range) = secret::url_password(url)
        && let (Some(head), Some(tail)) = (url.get(..range.start), url.get(range.end..))
        && secret::display(&leaf.value, Some(found), false)
            == format!("{head}{}{tail}", secret::MASK)
    {
        return format!("use a reference for the password, e.g. `{head}${{{var}_PASSWORD}}{tail}`");
    }
    format!("use a reference such as `${{{var}}}` and keep the value in a secret store")
}

/// `database.password` → `DATABASE_PASSWORD`; `DB_PASSWORD` stays.
pub fn variable_name(path: &str) -> String {
    let segments = key_path::parse(path).unwrap_or_default();
    let words: Vec<String> = segments
        .iter()
        .filter_map(|s| match s {
            key_path::Segment::Key(k) => Some(k.clone()),
            key_path::Segment::Index(_) | key_path::Segment::Identity(_) => None,
        })
        .collect();
    let joined = if words.is_empty() { path.to_owned() } else { words.join("_") };
    let mut name: String = joined
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_names() {
        assert_eq!(variable_name("DB_PASSWORD"), "DB_PASSWORD");
        assert_eq!(variable_name("database.password"), "DATABASE_PASSWORD");
        assert_eq!(variable_name("keys[0].token"), "KEYS_TOKEN");
        assert_eq!(variable_name(r#"a."b-c""#), "A_B_C");
    }
}
