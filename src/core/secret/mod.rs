//! Secret rules of §5: which leaves are secrets (by name, a generated
//! value under a `…key` name, token shape, URL password, connection-string
//! pairs, a mark from the schema or settings), which values are mere
//! references, and the one masking every output uses.
//!
//! A classification is a [`Secret`]: why the value is secret and which part
//! of its text is hidden, so that display and the checks agree on exactly
//! what is secret (what is masked is what `shared-secret` compares).
//!
//! Decisions where §5 is silent, so every caller behaves alike:
//! - A reference (`${VAR}`, `vault:…`, …) is never a secret, whatever its
//!   name or marks, unless its inline default is one (`${JWT_SECRET:-…}`):
//!   then only the default is masked. A URL whose password is itself a
//!   whole reference (`postgres://app:${DB_PASSWORD}@db/app`) is not a
//!   URL-password secret.
//! - An expression of its format (HCL `var.db_password`, `file("key.pem")`,
//!   a `"${…}"` template) is a reference too: no name or mark makes it
//!   secret. Only a secret written in it as text is masked, as in any
//!   value (`"postgres://app:…@${var.host}/app"`: the password), so a
//!   template cannot carry a password into the output.
//! - Under a secret name or mark, a URL with a password masks only the
//!   password and a connection string only its secret pairs' values: the
//!   host is what a reviewer compares. Any other value is masked whole.
//!   Among the reasons, `Name` wins, then the caller's mark, then the
//!   token shape, a generated `…key`, the URL password, the pairs.
//! - Numbers and datetimes under a secret name are masked (a numeric PIN is
//!   still a secret). `null`, `""` and booleans are classified but shown as
//!   they are. Empty containers (`{}`, `[]`) are never secrets: there is no
//!   value in them, and counting them would make `credentials: {}` in two
//!   envs a "shared secret". Encrypted values are never secrets in clear.
//! - Token shapes and URL passwords ignore surrounding white space (a YAML
//!   block scalar ends in a newline). A PEM private key is recognised
//!   wherever its `-----BEGIN … PRIVATE KEY-----` header stands in the value,
//!   so a certificate bundle that carries a key is masked too.
//! - Open-ended tokens (`github_pat_`, Slack, Stripe) need at least
//!   `MIN_OPEN_TAIL` token characters after their prefix, so a bare prefix or
//!   a placeholder like `sk_live_` is not taken for a token.

mod connection;
mod mask;
mod name;
mod reference;
mod shape;
mod url;

use std::fmt;
use std::ops::Range;

use super::key_path;
use super::leaf::{Leaf, Value, Written};

pub use connection::secret_pairs;
pub use mask::{display, display_json, hidden_text, is_masked};
pub use name::{ends_in_key, is_secret_name};
pub use reference::{Reference, is_reference, reference};
pub use shape::{has_token_shape, looks_generated};
pub use url::url_password;

/// The mask shown for a secret, whatever its length: eight U+2022.
pub const MASK: &str = "••••••••";

pub use super::leaf::ENCRYPTED;

/// Why a leaf is secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretReason {
    /// The leaf's name ends in a secret word.
    Name,
    /// The name ends in `key` and the value looks generated.
    GeneratedKey,
    /// The whole value has a known token shape.
    TokenShape,
    /// The value is a URL whose user-info holds a password.
    UrlPassword,
    /// The value is a connection string with a password or key pair.
    ConnectionString,
    /// The schema marks it (`writeOnly`, `format: password`, `x-secret`).
    Schema,
    /// The project settings name it (`secret_keys`).
    Settings,
    /// Its store keeps it as a secret (SSM SecureString, Vault, §13).
    Store,
    /// A value of a Kubernetes Secret's `data` (§12).
    KubernetesSecret,
}

impl SecretReason {
    /// The snake-case name used in JSON and messages.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::GeneratedKey => "generated_key",
            Self::TokenShape => "token_shape",
            Self::UrlPassword => "url_password",
            Self::ConnectionString => "connection_string",
            Self::Schema => "schema",
            Self::Settings => "settings",
            Self::Store => "store",
            Self::KubernetesSecret => "kubernetes_secret",
        }
    }
}

impl fmt::Display for SecretReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secret value: why, and which part of its text is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Secret {
    pub reason: SecretReason,
    /// The part of the text the secret sits in.
    within: Within,
    /// What of that part is hidden.
    part: Part,
}

/// Where in a value's text a secret sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Within {
    /// The whole text.
    Whole,
    /// A reference's inline default (`${JWT_SECRET:-here}`).
    Default,
    /// The value of a list item `NAME=value` (compose `environment:`).
    Item,
    /// The inside of a quoted template expression (HCL `"…${var.x}…"`).
    Quoted,
}

/// What of a secret's text is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    All,
    /// Only a URL's password.
    UrlPassword,
    /// Only the secret pairs' values of a connection string.
    Pairs,
}

impl Secret {
    fn whole(reason: SecretReason, part: Part) -> Self {
        Self { reason, within: Within::Whole, part }
    }

    /// The masking a reason gives a plain value, for tests that speak in
    /// reasons.
    #[cfg(test)]
    pub(crate) fn of(reason: SecretReason) -> Self {
        let part = match reason {
            SecretReason::UrlPassword => Part::UrlPassword,
            SecretReason::ConnectionString => Part::Pairs,
            _ => Part::All,
        };
        Self::whole(reason, part)
    }

    /// A secret that hides the whole text, for a value judged by what it
    /// was reached through (a secret variable behind a reference, §14).
    #[must_use]
    pub fn all_of(reason: SecretReason) -> Self {
        Self::whole(reason, Part::All)
    }

    /// True when the reason is the key's name or a mark: the value would be
    /// secret whatever it held.
    #[must_use]
    pub fn by_key(self) -> bool {
        matches!(
            self.reason,
            SecretReason::Name
                | SecretReason::Schema
                | SecretReason::Settings
                | SecretReason::Store
                | SecretReason::KubernetesSecret
        )
    }
}

/// The password range of `text` when it is worth masking: not a reference
/// itself (`postgres://app:${DB_PASSWORD}@db`).
fn url_secret(text: &str) -> Option<Range<usize>> {
    url_password(text).filter(|range| !text.get(range.clone()).is_some_and(is_reference))
}

/// How a leaf is secret, decided from its key path and value, plus the
/// extra reason the caller knows (schema or settings mark).
#[must_use]
pub fn classify(path: &str, value: &Value, marked: Option<SecretReason>) -> Option<Secret> {
    KeyRules::of(path, marked).classify(value)
}

/// List items that compose reads as `NAME=value` maps (§12).
const MAP_LISTS: &[&str] = &["environment", "labels", "args", "extra_hosts"];

/// What §5 decides from a key alone, worked out once for all the values
/// the key has across envs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRules {
    name: bool,
    /// The name's last word is `key`.
    key_word: bool,
    marked: Option<SecretReason>,
    /// An item of a list compose reads as a map (`environment[0]`).
    map_item: bool,
}

impl KeyRules {
    pub fn of(path: &str, marked: Option<SecretReason>) -> Self {
        let marked =
            marked.or_else(|| in_kubernetes_secret(path).then_some(SecretReason::KubernetesSecret));
        let name = leaf_name(path);
        let map_item = path.trim_end().ends_with(']')
            && name.as_deref().is_some_and(|n| MAP_LISTS.contains(&n));
        let (secret, key_word) = name.as_deref().map_or((false, false), name::name_rules);
        Self { name: secret, key_word, marked, map_item }
    }

    /// The rules of a variable name (`POSTGRES_PASSWORD` of an item).
    fn of_name(name: &str) -> Self {
        let (secret, key_word) = name::name_rules(name);
        Self { name: secret, key_word, marked: None, map_item: false }
    }

    /// `classify` for a value of this key, as a format would read it with
    /// references recognised by their text.
    #[must_use]
    pub fn classify(self, value: &Value) -> Option<Secret> {
        self.judge(value, Written::Text)
    }

    /// `classify` for a leaf, as its format wrote it: a literal (a
    /// single-quoted dotenv string) is never a reference, an expression (an
    /// HCL `var.db_password`) always is.
    #[must_use]
    pub fn classify_leaf(self, leaf: &Leaf) -> Option<Secret> {
        if leaf.origin == crate::core::leaf::Origin::StoreSecret
            && !matches!(leaf.value, Value::EmptyMap | Value::EmptyList | Value::Encrypted(_))
        {
            return Some(Secret::whole(SecretReason::Store, Part::All));
        }
        self.judge(&leaf.value, leaf.written)
    }

    fn judge(self, value: &Value, written: Written) -> Option<Secret> {
        match value {
            Value::EmptyMap | Value::EmptyList | Value::Encrypted(_) => None,
            Value::String(s) => self.judge_text(s, written),
            _ => self.by_key().map(|reason| Secret::whole(reason, Part::All)),
        }
    }

    fn by_key(self) -> Option<SecretReason> {
        if self.name { Some(SecretReason::Name) } else { self.marked }
    }

    fn judge_text(self, text: &str, written: Written) -> Option<Secret> {
        if written == Written::Expression {
            let rules = Self::of_expression();
            if let Some(found) = rules.judge_plain(text) {
                return Some(found);
            }
            let inner = rules.judge_plain(quoted_inside(text)?)?;
            return Some(Secret { within: Within::Quoted, ..inner });
        }
        if written == Written::Text
            && let Some(found) = reference(text)
        {
            let default = text.get(found.default?)?;
            if default.is_empty() {
                return None;
            }
            let inner = self.judge_plain(default)?;
            return Some(Secret { within: Within::Default, ..inner });
        }
        if self.map_item
            && let Some((name, item)) = text.split_once('=')
            && is_item_name(name)
        {
            let rules = Self::of_name(name);
            let inner = rules.judge_text(item, written)?;
            // An item's own default or item is one level deep: the item's
            // value is judged plain when it is not a reference.
            return (inner.within == Within::Whole)
                .then_some(Secret { within: Within::Item, ..inner });
        }
        self.judge_plain(text)
    }

    /// The rules for an expression's source text: a reference, so neither
    /// the key's name nor a mark makes it secret; only a secret written
    /// inside it as text (a URL password, a connection string's pair) is.
    fn of_expression() -> Self {
        Self { name: false, key_word: false, marked: None, map_item: false }
    }

    /// The rules on a text that is not a reference.
    fn judge_plain(self, text: &str) -> Option<Secret> {
        let in_place = || {
            if url_secret(text).is_some() {
                Part::UrlPassword
            } else if !secret_pairs(text).is_empty() {
                Part::Pairs
            } else {
                Part::All
            }
        };
        if let Some(reason) = self.by_key() {
            return Some(Secret::whole(reason, in_place()));
        }
        if has_token_shape(text) {
            return Some(Secret::whole(SecretReason::TokenShape, Part::All));
        }
        if self.key_word && looks_generated(text) {
            return Some(Secret::whole(SecretReason::GeneratedKey, Part::All));
        }
        if url_secret(text).is_some() {
            return Some(Secret::whole(SecretReason::UrlPassword, Part::UrlPassword));
        }
        (!secret_pairs(text).is_empty())
            .then(|| Secret::whole(SecretReason::ConnectionString, Part::Pairs))
    }
}

/// Whether a key is a value of a Kubernetes Secret's `data` (§12: every
/// one is a secret): `Secret/db.data.PASSWORD`, wherever the document sits,
/// or a literal of a kustomization's `secretGenerator`.
fn in_kubernetes_secret(path: &str) -> bool {
    // A kustomization's `secretGenerator[…].literals.NAME` makes one.
    if path.contains("secretGenerator[") && path.contains("].literals.") {
        return true;
    }
    if !path.contains("Secret/") {
        return false;
    }
    let Ok(segments) = key_path::parse(path) else { return true };
    segments.windows(2).any(|pair| match pair {
        [key_path::Segment::Key(object), key_path::Segment::Key(data)] => {
            object.starts_with("Secret/") && data == "data"
        }
        _ => false,
    })
}

/// The text between the quotes of a quoted expression (`"…"`).
fn quoted_inside(text: &str) -> Option<&str> {
    text.strip_prefix('"')?.strip_suffix('"')
}

/// A compose variable name: `[A-Za-z_][A-Za-z0-9_.-]*`.
fn is_item_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// The last mapping-key segment of a path (indices skipped). A path that
/// does not parse (it should always, coming from the flattener) falls back
/// to its raw text without trailing indices, so a malformed path cannot
/// turn a secret visible.
fn leaf_name(path: &str) -> Option<std::borrow::Cow<'_, str>> {
    match key_path::leaf_name(path) {
        Some(name) => Some(name),
        None if key_path::parse(path).is_ok() => None,
        None => {
            let mut raw = path.trim_end();
            while let Some(open) = raw.strip_suffix(']').and_then(|r| r.rfind('[')) {
                raw = raw.get(..open).unwrap_or_default();
            }
            Some(raw.replace('"', "").into())
        }
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

#[cfg(test)]
mod shapes_tests;
