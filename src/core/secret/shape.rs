//! Token shapes (§5): values that are secrets whatever their key is called.

/// Fewest token characters after an open-ended prefix (`github_pat_`,
/// `xoxb-`, `sk_live_`) for the value to count as a token.
pub(super) const MIN_OPEN_TAIL: usize = 10;

/// True when the whole string has a known token shape (§5): AWS access key
/// id, GitHub, Slack, Stripe, JWT, PEM private key, Google API key.
#[must_use]
pub fn has_token_shape(text: &str) -> bool {
    let text = text.trim();
    is_aws_key_id(text)
        || is_github_token(text)
        || is_slack_token(text)
        || is_stripe_key(text)
        || is_jwt(text)
        || has_pem_private_key(text)
        || is_google_api_key(text)
}

/// `AKIA`/`ASIA` + exactly 16 upper-case letters or digits.
fn is_aws_key_id(text: &str) -> bool {
    ["AKIA", "ASIA"].iter().any(|prefix| {
        text.strip_prefix(prefix).is_some_and(|rest| {
            rest.len() == 16 && rest.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        })
    })
}

/// `ghp_`/`gho_`/`ghs_`/`ghu_` + exactly 36 letters or digits, or a
/// fine-grained `github_pat_` token.
fn is_github_token(text: &str) -> bool {
    let classic = ["ghp_", "gho_", "ghs_", "ghu_"].iter().any(|prefix| {
        text.strip_prefix(prefix)
            .is_some_and(|rest| rest.len() == 36 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
    });
    classic
        || text
            .strip_prefix("github_pat_")
            .is_some_and(|rest| open_tail(rest, |b| b.is_ascii_alphanumeric() || b == b'_'))
}

/// `xoxa-`, `xoxb-`, `xoxp-`, `xoxr-` + letters, digits and dashes.
fn is_slack_token(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.starts_with(b"xox")
        && matches!(bytes.get(3), Some(b'a' | b'b' | b'p' | b'r'))
        && bytes.get(4) == Some(&b'-')
        && text
            .get(5..)
            .is_some_and(|rest| open_tail(rest, |b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// `sk_live_`/`rk_live_` + letters and digits.
fn is_stripe_key(text: &str) -> bool {
    ["sk_live_", "rk_live_"].iter().any(|prefix| {
        text.strip_prefix(prefix).is_some_and(|rest| open_tail(rest, |b| b.is_ascii_alphanumeric()))
    })
}

/// At least `MIN_OPEN_TAIL` bytes, all accepted by `allowed`.
fn open_tail(rest: &str, allowed: impl Fn(u8) -> bool) -> bool {
    rest.len() >= MIN_OPEN_TAIL && rest.bytes().all(allowed)
}

/// `eyJ….eyJ….…`: a header and payload that are base64url JSON objects, and
/// a signature that may be empty (an unsigned token still leaks its claims).
fn is_jwt(text: &str) -> bool {
    let mut parts = text.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let json_part = |part: &str| part.len() > 3 && part.starts_with("eyJ") && is_base64url(part);
    json_part(header) && json_part(payload) && is_base64url(signature)
}

fn is_base64url(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A `-----BEGIN … PRIVATE KEY-----` header anywhere in the value (`…` is an
/// optional label such as `RSA` or `OPENSSH`; PGP's `PRIVATE KEY BLOCK` too).
fn has_pem_private_key(text: &str) -> bool {
    text.match_indices("-----BEGIN ").any(|(at, begin)| {
        let Some(after) = text.get(at + begin.len()..) else {
            return false;
        };
        let Some(end) = after.find("-----") else {
            return false;
        };
        let Some(label) = after.get(..end) else {
            return false;
        };
        let kind =
            label.strip_suffix("PRIVATE KEY").or_else(|| label.strip_suffix("PRIVATE KEY BLOCK"));
        kind.is_some_and(|kind| {
            kind.is_empty()
                || (kind.ends_with(' ')
                    && kind
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' '))
        })
    })
}

/// `AIza` + exactly 35 letters, digits, `_` or `-`.
fn is_google_api_key(text: &str) -> bool {
    text.strip_prefix("AIza").is_some_and(|rest| rest.len() == 35 && is_base64url(rest))
}

/// A value that looks generated (§5, for names ending in `key`): 16 or more
/// characters, no white space, only letters, digits and `+/=_-`, holding
/// both letters and digits. `created_at` and `id` do not; `3f9a…` does.
#[must_use]
pub fn looks_generated(text: &str) -> bool {
    let text = text.trim();
    text.len() >= 16
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-'))
        && text.bytes().any(|b| b.is_ascii_alphabetic())
        && text.bytes().any(|b| b.is_ascii_digit())
}
