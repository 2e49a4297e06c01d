//! Documentation comments of TOML keys, read from the source text around a
//! key or value (the same text `toml_edit` keeps as decor, but reachable for
//! dotted keys and array elements too).

use std::ops::Range;

/// Offset of the first byte of the line holding `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset).and_then(|before| before.rfind('\n')).map_or(0, |nl| nl + 1)
}

/// A comment's text: `#` and one following space removed.
fn comment_text(comment: &str) -> &str {
    let comment = comment.strip_prefix('#').unwrap_or(comment);
    comment.strip_prefix(' ').unwrap_or(comment).trim_end()
}

/// The contiguous `#` lines right above the line of `start`, joined with
/// `\n`, when only white space precedes `start` on its line. A blank line
/// or any other text ends the block.
pub(super) fn above(text: &str, start: usize) -> Option<String> {
    let first = line_start(text, start);
    if !text.get(first..start)?.trim().is_empty() {
        return None;
    }
    let mut lines = Vec::new();
    let mut end = first;
    while end > 0 {
        let newline = end - 1;
        let begin = line_start(text, newline);
        let line = text.get(begin..newline)?.trim();
        if !line.starts_with('#') {
            break;
        }
        lines.push(comment_text(line));
        end = begin;
    }
    lines.reverse();
    let doc = lines.join("\n");
    let doc = doc.trim_matches('\n');
    (!doc.is_empty()).then(|| doc.to_owned())
}

/// The comment that ends the line where a value ends at `end` (after an
/// optional `,` separating it from the next array element).
pub(super) fn trailing(text: &str, end: usize) -> Option<String> {
    let rest = text.get(end..)?;
    let line = rest.split('\n').next().unwrap_or_default();
    let line = line.trim_start_matches([' ', '\t']);
    let line = line.strip_prefix(',').unwrap_or(line);
    let line = line.trim_start_matches([' ', '\t']);
    if !line.starts_with('#') {
        return None;
    }
    let doc = comment_text(line);
    (!doc.is_empty()).then(|| doc.to_owned())
}

/// Where the (possibly dotted) key whose last segment is `key` starts, when
/// that key is the first thing on its line: only then do the comment lines
/// above belong to it. Scans forward from the line start, since quoted
/// segments cannot be read backwards reliably.
pub(super) fn key_line_start(text: &str, key: &Range<usize>) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = line_start(text, key.start);
    skip_blanks(bytes, &mut i);
    let start = i;
    loop {
        match *bytes.get(i)? {
            b'"' => {
                i += 1;
                loop {
                    match *bytes.get(i)? {
                        b'\\' => i += 2,
                        b'"' => break,
                        b'\n' => return None,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'\'' => {
                i += 1;
                i += text.get(i..)?.find(['\'', '\n'])?;
                if bytes.get(i) != Some(&b'\'') {
                    return None;
                }
                i += 1;
            }
            _ => {
                let segment = i;
                while bytes.get(i).is_some_and(|&b| is_bare(b)) {
                    i += 1;
                }
                if i == segment {
                    return None;
                }
            }
        }
        if i >= key.end {
            return (i == key.end).then_some(start);
        }
        skip_blanks(bytes, &mut i);
        if bytes.get(i) != Some(&b'.') {
            return None;
        }
        i += 1;
        skip_blanks(bytes, &mut i);
    }
}

/// Start of the key text of a `[name]` / `[[name]]` header.
pub(super) fn header_key_start(text: &str, header: &Range<usize>) -> usize {
    let written = text.get(header.clone()).unwrap_or_default();
    header.start + written.len() - written.trim_start_matches(['[', ' ', '\t']).len()
}

fn skip_blanks(bytes: &[u8], i: &mut usize) {
    while matches!(bytes.get(*i), Some(b' ' | b'\t')) {
        *i += 1;
    }
}

/// Bytes that may be part of an unquoted key; non-ASCII bytes are let
/// through since TOML 1.1 parsers differ on Unicode bare keys and the key
/// was already accepted by the parser.
fn is_bare(b: u8) -> bool {
    !matches!(
        b,
        b' ' | b'\t'
            | b'\r'
            | b'\n'
            | b'.'
            | b'='
            | b'"'
            | b'\''
            | b'#'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b','
    )
}
