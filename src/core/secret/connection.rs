//! Connection strings (§5): `;`-separated `name=value` pairs (ADO.NET,
//! ODBC, JDBC properties) whose `Password`, `Pwd`, `AccountKey`,
//! `SharedAccessKey` or `Token` values are masked in place, so the server
//! and database stay readable.

use std::ops::Range;

/// Pair names whose values are secret, lower case without spaces.
const SECRET_PAIRS: &[&str] = &["password", "pwd", "accountkey", "sharedaccesskey", "token"];

/// Byte ranges of the secret pairs' values in `text`, when the whole text
/// is a connection string; empty otherwise.
///
/// The text needs a `;`. Every segment but the first must be a pair; the
/// first may be a JDBC URL (`jdbc:sqlserver://db:1433;password=…`). A
/// value may be quoted (`"…"`, `'…'`, a doubled quote inside) or braced
/// (`{…}`, ODBC), and then holds `;` freely.
#[must_use]
pub fn secret_pairs(text: &str) -> Vec<Range<usize>> {
    if !text.contains(';') || !text.contains('=') {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    let mut first = true;
    while at < bytes.len() {
        let segment_end = next_semicolon(text, at);
        let segment = &text[at..segment_end];
        match segment.find('=') {
            Some(eq) => {
                let name = &segment[..eq];
                if !is_pair_name(name) {
                    return Vec::new();
                }
                let value_start = at + eq + 1;
                let value_end = value_end(text, value_start);
                if is_secret_pair(name) {
                    let value = trimmed(text, value_start..value_end);
                    if !value.is_empty() {
                        out.push(value);
                    }
                }
                at = next_semicolon(text, value_end);
            }
            None if segment.trim().is_empty() || first => at = segment_end,
            None => return Vec::new(),
        }
        first = false;
        at += 1;
    }
    out
}

fn is_pair_name(name: &str) -> bool {
    let name = name.trim();
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '.' | '-'))
}

fn is_secret_pair(name: &str) -> bool {
    let squeezed: String =
        name.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect();
    SECRET_PAIRS.contains(&squeezed.as_str())
}

/// Where a value starting at `start` ends: at its closing quote or brace,
/// else at the next `;`.
fn value_end(text: &str, start: usize) -> usize {
    let lead = text[start..].len() - text[start..].trim_start().len();
    let open = start + lead;
    let close = match text.as_bytes().get(open) {
        Some(b'"') => Some('"'),
        Some(b'\'') => Some('\''),
        Some(b'{') => Some('}'),
        _ => None,
    };
    let Some(close) = close else { return next_semicolon(text, start) };
    let mut i = open + 1;
    while let Some(found) = text[i..].find(close) {
        let at = i + found;
        // A doubled quote is an escaped one; braces do not nest.
        if close != '}' && text[at + 1..].starts_with(close) {
            i = at + 2;
            continue;
        }
        return at + 1;
    }
    text.len()
}

fn next_semicolon(text: &str, from: usize) -> usize {
    text[from..].find(';').map_or(text.len(), |i| from + i)
}

fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let part = &text[range.clone()];
    let start = range.start + (part.len() - part.trim_start().len());
    let end = range.start + part.trim_end().len();
    start..end.max(start)
}
