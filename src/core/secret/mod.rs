//! Secret rules of §5: which leaves are secrets (by name, token shape, URL
//! password, or a mark from the schema or settings), which values are mere
//! references, and the one masking every output uses.
//!
//! Decisions where §5 is silent, so every caller behaves alike:
//! - A reference (`${VAR}`, `vault:…`, …) is never a secret, whatever its
//!   name or marks; a URL whose password is itself a whole reference
//!   (`postgres://app:${DB_PASSWORD}@db/app`) is not a URL-password secret.
//! - A secret name masks the whole value, even when it holds a URL with a
//!   password (safer: the user name and host may be sensitive too); only
//!   when the URL rule alone applies is just the password masked. Among the
//!   reasons, `Name` wins, then the caller's mark, then the token shape,
//!   then the URL password.
//! - Numbers and datetimes under a secret name are masked (a numeric PIN is
//!   still a secret). `null`, `""` and booleans are classified but shown as
//!   they are. Empty containers (`{}`, `[]`) are never secrets: there is no
//!   value in them, and counting them would make `credentials: {}` in two
//!   envs a "shared secret".
//! - Token shapes and URL passwords ignore surrounding white space (a YAML
//!   block scalar ends in a newline). A PEM private key is recognised
//!   wherever its `-----BEGIN … PRIVATE KEY-----` header stands in the value,
//!   so a certificate bundle that carries a key is masked too.
//! - Open-ended tokens (`github_pat_`, Slack, Stripe) need at least
//!   `MIN_OPEN_TAIL` token characters after their prefix, so a bare prefix or
//!   a placeholder like `sk_live_` is not taken for a token.

mod name;
mod reference;
mod shape;
mod url;

use std::fmt;
use std::ops::Range;

use super::key_path;
use super::leaf::Value;

pub use name::is_secret_name;
pub use reference::is_reference;
pub use shape::has_token_shape;
pub use url::url_password;

/// The mask shown for a secret, whatever its length: eight U+2022.
pub const MASK: &str = "••••••••";

/// Why a leaf is secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretReason {
    /// The leaf's name ends in a secret word.
    Name,
    /// The whole value has a known token shape.
    TokenShape,
    /// The value is a URL whose user-info holds a password.
    UrlPassword,
    /// The schema marks it (`writeOnly`, `format: password`, `x-secret`).
    Schema,
    /// The project settings name it (`secret_keys`).
    Settings,
}

impl SecretReason {
    /// The snake-case name used in JSON and messages.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::TokenShape => "token_shape",
            Self::UrlPassword => "url_password",
            Self::Schema => "schema",
            Self::Settings => "settings",
        }
    }
}

impl fmt::Display for SecretReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The password range of `text` when it is worth masking: not a reference
/// itself (`postgres://app:${DB_PASSWORD}@db`).
fn url_secret(text: &str) -> Option<Range<usize>> {
    url_password(text).filter(|range| !text.get(range.clone()).is_some_and(is_reference))
}

/// How a leaf is secret, decided from its key path and value, plus the
/// extra reason the caller knows (schema or settings mark).
///
/// A reference is never a secret; an empty container never is either.
/// `null`, `""` and booleans under a secret name or mark are secrets (for
/// the checks) that `display` shows as they are.
#[must_use]
pub fn classify(path: &str, value: &Value, marked: Option<SecretReason>) -> Option<SecretReason> {
    KeyRules::of(path, marked).classify(value)
}

/// What §5 decides from a key alone, worked out once for all the values
/// the key has across envs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRules {
    name: bool,
    marked: Option<SecretReason>,
}

impl KeyRules {
    pub fn of(path: &str, marked: Option<SecretReason>) -> Self {
        Self { name: name_is_secret(path), marked }
    }

    /// `classify` for a value of this key.
    #[must_use]
    pub fn classify(self, value: &Value) -> Option<SecretReason> {
        let text = match value {
            Value::String(s) if is_reference(s) => return None,
            Value::EmptyMap | Value::EmptyList => return None,
            Value::String(s) => Some(s.as_str()),
            _ => None,
        };
        if self.name {
            return Some(SecretReason::Name);
        }
        if self.marked.is_some() {
            return self.marked;
        }
        let text = text?;
        if has_token_shape(text) {
            return Some(SecretReason::TokenShape);
        }
        url_secret(text).map(|_| SecretReason::UrlPassword)
    }
}

/// The name rule on a key path. A path that does not parse (it should
/// always, coming from the flattener) falls back to its raw text without
/// trailing indices, so a malformed path cannot turn a secret visible.
fn name_is_secret(path: &str) -> bool {
    match key_path::leaf_name(path) {
        Some(name) => is_secret_name(&name),
        None if key_path::parse(path).is_ok() => false,
        None => {
            let mut raw = path.trim_end();
            while let Some(open) = raw.strip_suffix(']').and_then(|r| r.rfind('[')) {
                raw = raw.get(..open).unwrap_or_default();
            }
            is_secret_name(&raw.replace('"', ""))
        }
    }
}

/// What a secret value shows without reveal.
enum Masked {
    /// Nothing to hide, or not a secret: the value as it is.
    Plain,
    /// The whole value is replaced by `MASK`.
    Whole,
    /// A URL with only its password replaced by `MASK`.
    Url(String),
}

fn masking(value: &Value, reason: Option<SecretReason>, reveal: bool) -> Masked {
    let Some(reason) = reason else {
        return Masked::Plain;
    };
    if reveal {
        return Masked::Plain;
    }
    match value {
        Value::Null | Value::Bool(_) | Value::EmptyMap | Value::EmptyList => Masked::Plain,
        Value::String(s) if s.is_empty() || is_reference(s) => Masked::Plain,
        Value::String(s) if reason == SecretReason::UrlPassword => match url_password(s) {
            Some(range) => match (s.get(..range.start), s.get(range.end..)) {
                (Some(head), Some(tail)) => Masked::Url(format!("{head}{MASK}{tail}")),
                _ => Masked::Whole,
            },
            // Told it is a URL password but none is found: hide it all.
            None => Masked::Whole,
        },
        _ => Masked::Whole,
    }
}

/// True when `display` without reveal hides anything of this value.
#[must_use]
pub fn is_masked(value: &Value, reason: Option<SecretReason>) -> bool {
    !matches!(masking(value, reason, false), Masked::Plain)
}

/// The text to display for a value: `Value::display_text()` for non-secrets,
/// for references, and for `null`/`""`/booleans even under a secret name;
/// `MASK` for other secrets; for `UrlPassword` the URL with only the
/// password masked (`postgres://app:••••••••@db.internal:5432/app`).
#[must_use]
pub fn display(value: &Value, reason: Option<SecretReason>, reveal: bool) -> String {
    match masking(value, reason, reveal) {
        Masked::Plain => value.display_text(),
        Masked::Whole => MASK.to_owned(),
        Masked::Url(text) => text,
    }
}

/// The JSON `value` field of §7 for a leaf: `value.to_json()` unless
/// masked, then the masked string (for `UrlPassword` the URL with only the
/// password masked).
#[must_use]
pub fn display_json(
    value: &Value,
    reason: Option<SecretReason>,
    reveal: bool,
) -> serde_json::Value {
    match masking(value, reason, reveal) {
        Masked::Plain => value.to_json(),
        Masked::Whole => serde_json::Value::String(MASK.to_owned()),
        Masked::Url(text) => serde_json::Value::String(text),
    }
}

/// A secret's real text, for code that must carry it (checks comparing
/// values, the editor). `Debug` and `Display` print `MASK`, never the text,
/// and there is no `Serialize`: reading it takes an explicit `expose`.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct SecretText(String);

impl SecretText {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The real text. Call it only where the text must be used, never to
    /// print it unless the user revealed it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The real text, owned (for the editor's buffer).
    #[must_use]
    pub fn into_exposed(self) -> String {
        self.0
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl fmt::Display for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(MASK)
    }
}

#[cfg(test)]
mod tests;
