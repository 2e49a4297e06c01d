//! URL passwords (§5): only the password of a URL's user-info is masked.

use std::ops::Range;

/// Byte range of the password inside a URL's user-info
/// (`scheme://user:PASSWORD@host…`), if any. Only a real URL (`scheme://`
/// at the start, after white space), and only a non-empty password.
///
/// The password runs from after `user:` to the last `@` of the URL, so it
/// may hold raw `@`, `/`, `?`, `#` or `:` (generated passwords do, and a
/// strict URL parser would then show the rest of them as host or path).
/// The one exception: `host:8080/…@…`, where the text after `:` up to the
/// first `/`, `?` or `#` is a port and holds no `@`, is a URL without
/// user-info. The cost of this safety is that an `@` in the path or query
/// of a URL that has a password (`?from=me@example.com`) hides the text up
/// to it too: more is masked, never less.
#[must_use]
pub fn url_password(text: &str) -> Option<Range<usize>> {
    let start = text.len() - text.trim_start().len();
    let url = text.get(start..)?.trim_end();
    let scheme_end = url.find("://")?;
    let scheme = url.get(..scheme_end)?;
    // `jdbc:postgresql://…` is common in configs: `:` may join scheme parts.
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-' | b':'));
    if !scheme_ok {
        return None;
    }
    let rest_start = scheme_end + 3;
    let rest = url.get(rest_start..)?;
    let user_end = rest.find([':', '@', '/', '?', '#'])?;
    if rest.as_bytes().get(user_end) != Some(&b':') {
        return None;
    }
    let pass_start = user_end + 1;
    let after_colon = rest.get(pass_start..)?;
    let authority_len = after_colon.find(['/', '?', '#']).unwrap_or(after_colon.len());
    // Where a strict parser ends the host: only used to tell a port.
    let authority = after_colon.get(..authority_len)?;
    let pass_len = after_colon.rfind('@')?;
    if pass_len >= authority_len && authority.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if pass_len == 0 {
        return None;
    }
    let from = start + rest_start + pass_start;
    Some(from..from + pass_len)
}
