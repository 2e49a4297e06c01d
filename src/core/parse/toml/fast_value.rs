//! Scalar values of the TOML fast path: one-line basic and literal strings,
//! integers, floats, booleans and dates/times, each read from a line at a
//! byte offset. Every reader accepts a strict subset of what `toml_edit`
//! accepts and decodes it to the very value `toml_edit` produces (numbers go
//! through the same `str::parse`/`from_str_radix` calls); anything doubtful
//! is `None`, which hands the whole file to the full parser.

use std::borrow::Cow;

use crate::core::leaf::Value;

/// Reads the scalar starting at `at`; returns it and the offset after it.
pub(super) fn read(line: &str, at: usize) -> Option<(Value, usize)> {
    match *line.as_bytes().get(at)? {
        b'"' => basic(line, at),
        b'\'' => literal(line, at),
        _ => unquoted(line, at),
    }
}

/// Control characters other than tab, which TOML refuses in strings and
/// comments; a lone CR is one too.
pub(super) fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// A `"…"` string on one line, with the TOML 1.0 escapes. `"""` and the
/// 1.1-only escapes (`\e`, `\x`) are left to the full parser.
fn basic(line: &str, at: usize) -> Option<(Value, usize)> {
    let bytes = line.as_bytes();
    if bytes.get(at + 1..at + 3) == Some(b"\"\"") {
        return None;
    }
    let start = at + 1;
    let mut i = start;
    let mut out: Option<String> = None;
    loop {
        match *bytes.get(i)? {
            b'"' => break,
            b'\\' => {
                let buf = match &mut out {
                    Some(buf) => buf,
                    None => out.insert(line[start..i].to_owned()),
                };
                i = escape(line, i + 1, buf)?;
            }
            b if is_control(b) => return None,
            _ => {
                // Plain text after an escape: copy it up to the next one.
                let run =
                    bytes[i..].iter().position(|&b| matches!(b, b'"' | b'\\') || is_control(b));
                let end = i + run?;
                if let Some(buf) = out.as_mut() {
                    buf.push_str(&line[i..end]);
                }
                i = end;
            }
        }
    }
    let text = out.unwrap_or_else(|| line[start..i].to_owned());
    Some((Value::String(text.into()), i + 1))
}

/// Decodes the escape whose letter is at `i`; returns the offset after it.
fn escape(line: &str, i: usize, out: &mut String) -> Option<usize> {
    let (c, len) = match *line.as_bytes().get(i)? {
        b'b' => ('\u{8}', 1),
        b't' => ('\t', 1),
        b'n' => ('\n', 1),
        b'f' => ('\u{c}', 1),
        b'r' => ('\r', 1),
        b'"' => ('"', 1),
        b'\\' => ('\\', 1),
        b'u' => (unicode(line.get(i + 1..i + 5)?)?, 5),
        b'U' => (unicode(line.get(i + 1..i + 9)?)?, 9),
        _ => return None,
    };
    out.push(c);
    Some(i + len)
}

/// The scalar value written as hex digits (no sign, no `_`); surrogates
/// and values past U+10FFFF are invalid TOML.
fn unicode(hex: &str) -> Option<char> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    char::from_u32(u32::from_str_radix(hex, 16).ok()?)
}

/// A `'…'` string on one line; `'''` is left to the full parser.
fn literal(line: &str, at: usize) -> Option<(Value, usize)> {
    let bytes = line.as_bytes();
    if bytes.get(at + 1..at + 3) == Some(b"''") {
        return None;
    }
    let len = bytes[at + 1..].iter().position(|&b| b == b'\'' || is_control(b))?;
    let end = at + 1 + len;
    (bytes[end] == b'\'').then(|| (Value::String(line[at + 1..end].into()), end + 1))
}

/// Bytes an unquoted value (number, boolean, date) is made of.
fn is_atom(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-' | b'.' | b':')
}

/// A number, boolean or date/time. It must be followed by white space, a
/// `,` or `]`, or the end of the line: `1#c` and the like are left to the
/// full parser.
fn unquoted(line: &str, at: usize) -> Option<(Value, usize)> {
    let bytes = line.as_bytes();
    let mut end = at + bytes[at..].iter().position(|&b| !is_atom(b)).unwrap_or(bytes.len() - at);
    let token = &line[at..end];
    let value = match token {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "inf" | "+inf" | "-inf" | "nan" | "+nan" | "-nan" => Value::Float(token.parse().ok()?),
        _ if is_date(token.as_bytes()) => {
            datetime(token.as_bytes())?;
            let spaced = token.len() == 10
                && bytes.get(end) == Some(&b' ')
                && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
            if spaced {
                // `1979-05-27 07:32:00`: a space may join date and time.
                let time = &bytes[end + 1..];
                let len = time.iter().position(|&b| !is_atom(b)).unwrap_or(time.len());
                time_with_offset(&time[..len])?;
                end += 1 + len;
            }
            Value::Datetime(line[at..end].to_owned())
        }
        _ if token.as_bytes().get(2) == Some(&b':') => {
            time(token.as_bytes()).filter(|rest| rest.is_empty())?;
            Value::Datetime(token.to_owned())
        }
        _ => number(token)?,
    };
    matches!(bytes.get(end), None | Some(b' ' | b'\t' | b',' | b']')).then_some((value, end))
}

/// Starts like `YYYY-`.
fn is_date(b: &[u8]) -> bool {
    b.len() >= 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

/// `YYYY-MM-DD`, optionally `T` and a time with an optional offset.
/// Lower-case `t`/`z` and 1.1's times without seconds are left out.
fn datetime(b: &[u8]) -> Option<()> {
    date(b.get(..10)?)?;
    match b.get(10) {
        None => Some(()),
        Some(b'T') => time_with_offset(&b[11..]),
        Some(_) => None,
    }
}

fn date(b: &[u8]) -> Option<()> {
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    if b[4] != b'-' || b[7] != b'-' || !(1..=12).contains(&month) {
        return None;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&day).then_some(())
}

/// A time, then nothing, `Z` or `±HH:MM`.
fn time_with_offset(b: &[u8]) -> Option<()> {
    let rest = time(b)?;
    match rest {
        [] | [b'Z'] => Some(()),
        [b'+' | b'-', offset @ ..] if offset.len() == 5 && offset[2] == b':' => {
            let hours = digits(offset, 0, 2)?;
            let minutes = digits(offset, 3, 2)?;
            (hours <= 23 && minutes <= 59).then_some(())
        }
        _ => None,
    }
}

/// `HH:MM:SS` with an optional `.` and 1 to 9 digits; returns what follows.
/// A leap second (`:60`) is left to the full parser.
fn time(b: &[u8]) -> Option<&[u8]> {
    let hour = digits(b, 0, 2)?;
    let minute = digits(b, 3, 2)?;
    let second = digits(b, 6, 2)?;
    if b[2] != b':' || b[5] != b':' || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let rest = &b[8..];
    let Some(fraction) = rest.strip_prefix(b".") else {
        return Some(rest);
    };
    let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
    (1..=9).contains(&count).then(|| &fraction[count..])
}

/// The decimal number in `b[at..at + len]`, all digits.
fn digits(b: &[u8], at: usize, len: usize) -> Option<u32> {
    let field = b.get(at..at + len)?;
    field.iter().try_fold(0, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
}

/// An integer or float, decoded as `toml_edit` does: `_` removed, then
/// `i64::from_str_radix` or `f64`'s `parse`; overflow is left to it.
fn number(token: &str) -> Option<Value> {
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(body) = token.strip_prefix(prefix) {
            let body = grouped(body, |b| char::from(b).is_digit(radix))?;
            return i64::from_str_radix(&body, radix).ok().map(Value::Int);
        }
    }
    let unsigned = token.strip_prefix(['+', '-']).unwrap_or(token);
    let int_len = unsigned.find(['.', 'e', 'E']).unwrap_or(unsigned.len());
    let (int, mut rest) = unsigned.split_at(int_len);
    if int.len() > 1 && int.starts_with('0') {
        return None;
    }
    grouped(int, |b| b.is_ascii_digit())?;
    if rest.is_empty() {
        return grouped(token, |b| b.is_ascii_digit() || matches!(b, b'+' | b'-'))?
            .parse()
            .ok()
            .map(Value::Int);
    }
    if let Some(after) = rest.strip_prefix('.') {
        let frac_len = after.find(['e', 'E']).unwrap_or(after.len());
        grouped(&after[..frac_len], |b| b.is_ascii_digit())?;
        rest = &after[frac_len..];
    }
    if !rest.is_empty() {
        let exp = rest[1..].strip_prefix(['+', '-']).unwrap_or(&rest[1..]);
        grouped(exp, |b| b.is_ascii_digit())?;
    }
    let value: f64 = grouped(token, |_| true)?.parse().ok()?;
    value.is_finite().then_some(Value::Float(value))
}

/// Digits (as `is_digit` says) in groups joined by single `_`, at least
/// one; returns the text without the `_`.
fn grouped(text: &str, is_digit: impl Fn(u8) -> bool) -> Option<Cow<'_, str>> {
    let bytes = text.as_bytes();
    let mut after_digit = false;
    for &b in bytes {
        after_digit = match b {
            b'_' if after_digit => false,
            b'_' => return None,
            _ if is_digit(b) => true,
            _ => return None,
        };
    }
    if !after_digit {
        return None;
    }
    Some(if bytes.contains(&b'_') {
        Cow::Owned(text.replace('_', ""))
    } else {
        Cow::Borrowed(text)
    })
}
