//! The one masking of §5: which bytes of a secret value are hidden, and the
//! text every face shows for a value.

use std::ops::Range;

use super::{ENCRYPTED, MASK, Part, Secret, Within, reference, secret_pairs, url_secret};
use crate::core::leaf::Value;

/// The byte ranges of `text` that a secret hides, in order, never empty
/// ranges. A part that cannot be found (it always should) hides the whole
/// text: more is masked, never less.
fn hidden_ranges(text: &str, secret: Secret) -> Vec<Range<usize>> {
    let region = match secret.within {
        Within::Whole => Some(0..text.len()),
        Within::Default => reference(text).and_then(|r| r.default),
        Within::Item => text.find('=').map(|eq| eq + 1..text.len()),
        Within::Quoted => super::quoted_inside(text).map(|inner| 1..1 + inner.len()),
    };
    let whole = std::iter::once(0..text.len()).collect();
    let Some(region) = region else { return whole };
    let Some(inner) = text.get(region.clone()) else { return whole };
    let shift = |r: Range<usize>| r.start + region.start..r.end + region.start;
    let found = match secret.part {
        Part::All => vec![region.clone()],
        Part::UrlPassword => url_secret(inner).map(shift).into_iter().collect(),
        Part::Pairs => secret_pairs(inner).into_iter().map(shift).collect(),
    };
    let found: Vec<_> = found.into_iter().filter(|r| !r.is_empty()).collect();
    if found.is_empty() && !region.is_empty() { std::iter::once(region).collect() } else { found }
}

/// What a value shows without reveal.
enum Shown {
    /// Nothing to hide, or not a secret: the value as it is.
    Plain,
    /// Encrypted: `[encrypted]`, revealed or not.
    Encrypted,
    /// The whole value is replaced by `MASK`.
    Whole,
    /// Parts of the text replaced by `MASK` (a URL's password, a reference's
    /// default, a connection string's password).
    InPlace(String),
}

fn shown(value: &Value, secret: Option<Secret>, reveal: bool) -> Shown {
    if matches!(value, Value::Encrypted(_)) {
        return Shown::Encrypted;
    }
    let Some(secret) = secret else { return Shown::Plain };
    if reveal {
        return Shown::Plain;
    }
    match value {
        Value::Null | Value::Bool(_) | Value::EmptyMap | Value::EmptyList => Shown::Plain,
        Value::String(s) if s.is_empty() => Shown::Plain,
        Value::String(s) => {
            let ranges = hidden_ranges(s, secret);
            match ranges.as_slice() {
                [] => Shown::Plain,
                [one] if *one == (0..s.len()) => Shown::Whole,
                _ => Shown::InPlace(replace(s, &ranges)),
            }
        }
        _ => Shown::Whole,
    }
}

fn replace(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        out.push_str(text.get(at..range.start).unwrap_or_default());
        out.push_str(MASK);
        at = range.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// True when `display` without reveal hides anything of this value.
#[must_use]
pub fn is_masked(value: &Value, secret: Option<Secret>) -> bool {
    matches!(shown(value, secret, false), Shown::Whole | Shown::InPlace(_))
}

/// The text to display for a value: `Value::display_text()` for non-secrets,
/// for references, and for `null`/`""`/booleans even under a secret name;
/// `MASK` for other secrets, or the text with only its secret parts masked
/// (`postgres://app:••••••••@db.internal:5432/app`); `[encrypted]` for an
/// encrypted value.
#[must_use]
pub fn display(value: &Value, secret: Option<Secret>, reveal: bool) -> String {
    match shown(value, secret, reveal) {
        Shown::Plain => value.display_text(),
        Shown::Encrypted => ENCRYPTED.to_owned(),
        Shown::Whole => MASK.to_owned(),
        Shown::InPlace(text) => text,
    }
}

/// The JSON `value` field of §7 for a leaf: `value.to_json()` unless
/// masked, then the masked string.
#[must_use]
pub fn display_json(value: &Value, secret: Option<Secret>, reveal: bool) -> serde_json::Value {
    match shown(value, secret, reveal) {
        Shown::Plain => value.to_json(),
        Shown::Encrypted => serde_json::Value::String(ENCRYPTED.to_owned()),
        Shown::Whole => serde_json::Value::String(MASK.to_owned()),
        Shown::InPlace(text) => serde_json::Value::String(text),
    }
}

/// The secret's own text, which is what the checks compare (a password
/// reused behind two hosts is still shared): the hidden parts joined, or
/// None when nothing is hidden (`null`, `""`, booleans, references).
#[must_use]
pub fn hidden_text(value: &Value, secret: Secret) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => {
            let parts: Vec<&str> =
                hidden_ranges(s, secret).into_iter().filter_map(|r| s.get(r)).collect();
            (!parts.is_empty()).then(|| parts.join("\u{0}"))
        }
        Value::Int(_) | Value::Float(_) | Value::Datetime(_) => Some(value.display_text()),
        _ => None,
    }
}
