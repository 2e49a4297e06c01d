//! The literals the HCL fast path reads, lexed by hand the way `hcl-edit`
//! reads them: quoted strings without interpolation, numbers, `true`,
//! `false` and `null`. Each returns what it read and the offset after it,
//! or `None` for anything it does not read exactly as `hcl-edit` would.

use std::borrow::Cow;

use hcl_edit::Number;

use crate::core::leaf::Value;

/// The quoted string at `start` (its `"`): the text between the quotes,
/// unescaped, and the offset after the closing quote. Borrows from the
/// file unless the text holds an escape.
pub(super) fn string(text: &str, start: usize) -> Option<(Cow<'_, str>, usize)> {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    let mut run = i;
    let mut out: Option<String> = None;
    loop {
        match *bytes.get(i)? {
            b'"' => break,
            b'\\' => {
                let buf = out.get_or_insert_with(String::new);
                buf.push_str(&text[run..i]);
                i = escape(text, i, buf)?;
                run = i;
            }
            // `$${` and `%%{` are the escaped markers, read as `${` and
            // `%{`; an unescaped `${` or `%{` starts a template, which
            // the full parser reads.
            marker @ (b'$' | b'%') => match (bytes.get(i + 1), bytes.get(i + 2)) {
                (Some(b'{'), _) => return None,
                (Some(&m), Some(b'{')) if m == marker => {
                    let buf = out.get_or_insert_with(String::new);
                    buf.push_str(&text[run..=i]);
                    buf.push('{');
                    i += 3;
                    run = i;
                }
                _ => i += 1,
            },
            // `hcl-edit` takes raw control characters (a line break, too)
            // inside quotes; the fast path leaves that to it.
            b if b < 0x20 || b == 0x7f => return None,
            _ => i += 1,
        }
    }
    let value = match out {
        None => Cow::Borrowed(&text[run..i]),
        Some(mut buf) => {
            buf.push_str(&text[run..i]);
            Cow::Owned(buf)
        }
    };
    Some((value, i + 1))
}

/// The escape at `at` (a backslash) into `out`; the offset after it.
fn escape(text: &str, at: usize, out: &mut String) -> Option<usize> {
    let c = match text.as_bytes().get(at + 1)? {
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'\\' => '\\',
        b'"' => '"',
        b'u' => return hex(text, at + 2, 4, out),
        b'U' => return hex(text, at + 2, 8, out),
        _ => return None,
    };
    out.push(c);
    Some(at + 2)
}

/// `digits` hex digits from `from`, as one character (never a surrogate).
fn hex(text: &str, from: usize, digits: usize, out: &mut String) -> Option<usize> {
    let hex = text.get(from..from + digits)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
    Some(from + digits)
}

/// The number at `start` (its first digit), negated when a `-` came
/// before it: typed as `hcl-edit`'s `Number` types it (an integral float
/// such as `1.0` is an int, an int beyond `u64` a float).
pub(super) fn number(text: &str, start: usize, negative: bool) -> Option<(Value, usize)> {
    let bytes = text.as_bytes();
    let digits =
        |from: usize| from + bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut end = digits(start);
    let mut float = false;
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end = digits(end + 1);
        float = true;
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let mut at = end + 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        if !bytes.get(at).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        end = digits(at);
        float = true;
    }
    let literal = &text[start..end];
    let n = match literal.parse::<u64>() {
        Ok(int) if !float => Number::from(int),
        _ => Number::from_f64(literal.parse::<f64>().ok()?)?,
    };
    let n = if negative { -n } else { n };
    Some((super::number(&n, false), end))
}

/// `true`, `false` or `null` at `start`, when the word ends there (else
/// it is a longer name, a variable).
pub(super) fn keyword(text: &str, start: usize) -> Option<(Value, usize)> {
    let rest = &text.as_bytes()[start..];
    let (value, len) = if rest.starts_with(b"true") {
        (Value::Bool(true), 4)
    } else if rest.starts_with(b"false") {
        (Value::Bool(false), 5)
    } else if rest.starts_with(b"null") {
        (Value::Null, 4)
    } else {
        return None;
    };
    let next = rest.get(len).copied().unwrap_or(b' ');
    (!next.is_ascii_alphanumeric() && !matches!(next, b'_' | b'-') && next.is_ascii())
        .then_some((value, start + len))
}

/// An ASCII identifier at `start` (`[A-Za-z_][A-Za-z0-9_-]*`): its end.
/// `None` when a character that could continue an identifier beyond
/// ASCII follows, which the full parser reads.
pub(super) fn ident(bytes: &[u8], start: usize) -> Option<usize> {
    let first = *bytes.get(start)?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let len = bytes[start..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        .count();
    let end = start + len;
    bytes.get(end).is_none_or(u8::is_ascii).then_some(end)
}
