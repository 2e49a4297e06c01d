//! `cross-env-reference` (§7): a value of one env that names another env of
//! its set as a word of a host, bucket or path (prod's
//! `s3://shop-staging-data/`), or a loopback host in a stage or prod env.
//!
//! Readings: a value is a location when it holds `://` or `/`, or looks
//! like a host name (dotted, no spaces, a last label starting with a
//! letter), or its key's name is one of `LOCATION_NAMES`; a plain word like
//! an experiment name `churn-staging` is not a location. Words are split at
//! every character that is not a letter or digit (§7 names `.`, `-`, `_`,
//! `/`, `:`, `@`; query strings add `?`, `=`, `&`), compared without case;
//! an env named `eu-prod` matches the words `eu`, `prod` in a row. Loopback
//! hosts are `localhost`, `127.0.0.0/8` and `::1`.

use super::{Finding, Rule, SetView, Severity};
use crate::core::discover::is_stage_or_prod;
use crate::core::key_path;
use crate::core::leaf::Value;

/// Key names whose values are places even without `/` or dots.
const LOCATION_NAMES: &[&str] = &[
    "host", "hostname", "url", "uri", "endpoint", "bucket", "path", "dir", "domain", "address",
    "addr", "server",
];

pub(super) fn check(view: &SetView<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (env_at, env) in view.envs.iter().enumerate() {
        let Some(leaves) = view.effective(env_at) else { continue };
        for effective in leaves {
            let leaf = effective.leaf;
            let Value::String(text) = &leaf.value else { continue };
            let problem = if let Some(other) = named_env(view, env, view.set.path(leaf), text) {
                format!("in {env} names the {other} env: `{}`", view.shown(leaf))
            } else if is_stage_or_prod(env)
                && let Some(host) = loopback(text)
            {
                format!(
                    "in {env} points at the loopback host `{host}`: `{}`; a {env} deployment \
                     needs a real host",
                    view.shown(leaf)
                )
            } else {
                continue;
            };
            out.push(
                Finding::new(
                    Rule::CrossEnvReference,
                    Severity::Error,
                    &view.set.name,
                    vec![env.clone()],
                )
                .at(view.file_holding(env_at, leaf, effective.inherited), Some(leaf.position.line))
                .key(view.set.path(leaf))
                .message(problem),
            );
        }
    }
    out
}

/// Another env of the set that the value names, when it is a location.
fn named_env<'v>(view: &'v SetView<'_>, env: &str, path: &str, text: &str) -> Option<&'v str> {
    if !is_location(path, text) {
        return None;
    }
    let value_words = words(text);
    view.envs.iter().filter(|other| !other.eq_ignore_ascii_case(env)).map(String::as_str).find(
        |other| {
            let env_words = words(other);
            !env_words.is_empty() && value_words.windows(env_words.len()).any(|w| w == env_words)
        },
    )
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn is_location(path: &str, text: &str) -> bool {
    if text.contains("://") || (text.contains('/') && !text.contains(char::is_whitespace)) {
        return true;
    }
    if looks_like_host(text) {
        return true;
    }
    key_path::leaf_name(path).is_some_and(|name| {
        let last = name.rsplit(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or(&name);
        LOCATION_NAMES.contains(&last.to_ascii_lowercase().as_str())
    })
}

/// `api.staging.example.com`, `db.prod.internal:5432`; not `1.4.0`.
fn looks_like_host(text: &str) -> bool {
    let host = text
        .rsplit_once(':')
        .map_or(text, |(h, port)| if port.chars().all(|c| c.is_ascii_digit()) { h } else { text });
    host.contains('.')
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && host
            .rsplit('.')
            .next()
            .is_some_and(|last| last.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// The loopback host a value points at, if any.
fn loopback(text: &str) -> Option<String> {
    let text = text.trim();
    let authority = match text.split_once("://") {
        Some((_, rest)) => rest.split(['/', '?', '#']).next().unwrap_or(rest),
        None => text,
    };
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(inner) = host_port.strip_prefix('[') {
        inner.split(']').next().unwrap_or(inner)
    } else if host_port.matches(':').count() == 1 {
        host_port.split(':').next().unwrap_or(host_port)
    } else {
        host_port
    };
    let lower = host.to_ascii_lowercase();
    let is_loopback = lower == "localhost"
        || lower == "::1"
        || lower == "0:0:0:0:0:0:0:1"
        || lower.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback());
    is_loopback.then(|| host.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_loopback_hosts() {
        for text in [
            "localhost",
            "localhost:5432",
            "http://localhost:5000",
            "postgres://u:p@127.0.0.1:5432/db",
            "http://[::1]:8080/x",
            "::1",
            "127.0.1.1",
        ] {
            assert!(loopback(text).is_some(), "{text}");
        }
        for text in
            ["0.0.0.0", "https://example.com", "localhost-proxy.example.com", "my-localhost"]
        {
            assert!(loopback(text).is_none(), "{text}");
        }
    }

    #[test]
    fn locations_and_words() {
        assert!(is_location("x", "s3://shop-staging-data/"));
        assert!(is_location("x", "api.staging.example.com"));
        assert!(is_location("x", "db.prod.internal:5432"));
        assert!(!is_location("x", "1.4.0-staging"));
        assert!(!is_location("experiment", "churn-forecast-staging"));
        assert!(is_location("bucket", "churn-staging"));
        assert!(!is_location("note", "deploy to staging/prod first"));
        assert_eq!(words("s3://shop-staging-data/"), ["s3", "shop", "staging", "data"]);
    }
}
