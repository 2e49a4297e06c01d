//! Token scanners of the YAML fast path (`fast.rs`): each reads one key or
//! scalar inside a single line and answers `None` for anything outside the
//! subset, so that the caller hands the file to the full parser. Offsets
//! are byte offsets into the line.

use std::borrow::Cow;

use granit_parser::ScalarStyle;

/// A scalar read from a line: its value, style and text range (quotes
/// included).
#[derive(Debug)]
pub(super) struct Token<'a> {
    pub text: Cow<'a, str>,
    pub style: ScalarStyle,
    pub start: usize,
    pub end: usize,
}

/// True when every byte is printable ASCII or `\n`, or the non-ASCII text
/// holds none of the characters YAML treats specially (C1 controls, NEL,
/// no-break space, line and paragraph separators, BOM, non-characters).
/// Tabs and `\r` are refused too: their rules are the full parser's job.
pub(super) fn clean(bytes: &[u8]) -> bool {
    let plain = |b: u8| b.wrapping_sub(0x20) < 0x5f || b == b'\n';
    // Chunks keep the common all-ASCII check vectorizable.
    let mut at = 0;
    for chunk in bytes.chunks(64) {
        if !chunk.iter().all(|&b| plain(b)) && !clean_slow(bytes, at, at + chunk.len()) {
            return false;
        }
        at += chunk.len();
    }
    true
}

fn clean_slow(bytes: &[u8], from: usize, to: usize) -> bool {
    (from..to).all(|i| {
        let b = bytes[i];
        let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
        match b {
            b'\n' | 0x20..=0x7e => true,
            0xc2 => !(0x80..=0xa0).contains(&next(1)),
            0xe2 => !(next(1) == 0x80 && matches!(next(2), 0xa8 | 0xa9)),
            0xef => !((next(1) == 0xbb && next(2) == 0xbf) || (next(1) == 0xbf && next(2) >= 0xbe)),
            0x80.. => true,
            _ => false,
        }
    })
}

/// Bytes a plain key may hold: enough for config keys, none that YAML
/// reads as an indicator, a separator or white space.
fn key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/') || b >= 0x80
}

/// A mapping key at `at` followed by `:` and a space or the line end;
/// returns it with the offset just past the `:`.
pub(super) fn key(line: &str, at: usize) -> Option<(Token<'_>, usize)> {
    let bytes = line.as_bytes();
    let token = match *bytes.get(at)? {
        b'"' => double(line, at)?,
        b'\'' => single(line, at)?,
        // Not `-`, `.`: `- `, `---` and `...` mean other things at a line start.
        b if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 => {
            let len = bytes[at..].iter().position(|&b| !key_byte(b)).unwrap_or(bytes.len() - at);
            let end = at + len;
            Token { text: Cow::Borrowed(&line[at..end]), style: ScalarStyle::Plain, start: at, end }
        }
        _ => return None,
    };
    let colon = token.end;
    if bytes.get(colon) != Some(&b':') {
        return None;
    }
    matches!(bytes.get(colon + 1), None | Some(b' ')).then_some((token, colon + 1))
}

/// A double-quoted scalar opening at `at` and closing on the same line.
pub(super) fn double(line: &str, at: usize) -> Option<Token<'_>> {
    let bytes = line.as_bytes();
    let body = at + 1;
    let stop = body + bytes.get(body..)?.iter().position(|&b| b == b'"' || b == b'\\')?;
    if bytes[stop] == b'"' {
        let text = Cow::Borrowed(&line[body..stop]);
        return Some(Token { text, style: ScalarStyle::DoubleQuoted, start: at, end: stop + 1 });
    }
    let mut text = String::with_capacity(stop - body + 8);
    let mut run = body;
    let mut i = stop;
    loop {
        match *bytes.get(i)? {
            b'"' => break,
            b'\\' => {
                text.push_str(&line[run..i]);
                let (c, len) = escape(line, i + 1)?;
                text.push(c);
                i += 1 + len;
                run = i;
            }
            _ => i += 1,
        }
    }
    text.push_str(&line[run..i]);
    Some(Token { text: Cow::Owned(text), style: ScalarStyle::DoubleQuoted, start: at, end: i + 1 })
}

/// The character an escape (the text after its `\` at `at`) stands for,
/// with the length of that text; `None` for an escape YAML does not have
/// and for a `\` at the line end (a line continuation).
fn escape(line: &str, at: usize) -> Option<(char, usize)> {
    let c = match *line.as_bytes().get(at)? {
        b'0' => '\0',
        b'a' => '\x07',
        b'b' => '\x08',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\x0b',
        b'f' => '\x0c',
        b'r' => '\r',
        b'e' => '\x1b',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' => return hex(line, at + 1, 2),
        b'u' => return hex(line, at + 1, 4),
        b'U' => return hex(line, at + 1, 8),
        _ => return None,
    };
    Some((c, 1))
}

fn hex(line: &str, at: usize, digits: usize) -> Option<(char, usize)> {
    let text = line.get(at..at + digits)?;
    if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let c = char::from_u32(u32::from_str_radix(text, 16).ok()?)?;
    Some((c, 1 + digits))
}

/// A single-quoted scalar opening at `at` and closing on the same line.
pub(super) fn single(line: &str, at: usize) -> Option<Token<'_>> {
    let bytes = line.as_bytes();
    let body = at + 1;
    let mut i = body + bytes.get(body..)?.iter().position(|&b| b == b'\'')?;
    if bytes.get(i + 1) != Some(&b'\'') {
        let text = Cow::Borrowed(&line[body..i]);
        return Some(Token { text, style: ScalarStyle::SingleQuoted, start: at, end: i + 1 });
    }
    let mut text = String::with_capacity(i - body + 8);
    let mut run = body;
    loop {
        // `i` is at a quote: `''` is one quote, a lone one closes.
        text.push_str(&line[run..i]);
        if bytes.get(i + 1) != Some(&b'\'') {
            break;
        }
        text.push('\'');
        run = i + 2;
        i = run + bytes.get(run..)?.iter().position(|&b| b == b'\'')?;
    }
    Some(Token { text: Cow::Owned(text), style: ScalarStyle::SingleQuoted, start: at, end: i + 1 })
}

/// True when a plain scalar may not start with `b` followed by `next`.
fn indicator(b: u8, next: Option<u8>) -> bool {
    match b {
        b'-' => matches!(next, None | Some(b' ' | b',' | b']')),
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' => true,
        b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' => true,
        _ => false,
    }
}

/// A plain scalar of block context from `at` to the line end or a ` #`
/// comment. `None` if it holds `: ` or ends in `:` (a mapping where none
/// may start).
pub(super) fn plain(line: &str, at: usize) -> Option<Token<'_>> {
    let bytes = line.as_bytes();
    if indicator(*bytes.get(at)?, bytes.get(at + 1).copied()) {
        return None;
    }
    let mut end = at;
    for i in at..bytes.len() {
        match bytes[i] {
            b' ' if bytes.get(i + 1) == Some(&b'#') => break,
            b' ' => {}
            b':' if matches!(bytes.get(i + 1), None | Some(b' ')) => return None,
            _ => end = i + 1,
        }
    }
    Some(Token { text: Cow::Borrowed(&line[at..end]), style: ScalarStyle::Plain, start: at, end })
}

/// A plain scalar inside a one-line flow sequence, ending before `,` or
/// `]`. Restricted to text that cannot be read as anything else in flow
/// context: no flow indicators, quotes or `#`, and `:` only inside a word
/// (`a:b`, `http://x`).
pub(super) fn flow_plain(line: &str, at: usize) -> Option<Token<'_>> {
    let bytes = line.as_bytes();
    if indicator(*bytes.get(at)?, bytes.get(at + 1).copied()) {
        return None;
    }
    let mut end = at;
    for i in at..bytes.len() {
        match bytes[i] {
            b',' | b']' => break,
            b'[' | b'{' | b'}' | b'#' | b'\'' | b'"' => return None,
            b':' if !bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'/') => {
                return None;
            }
            b' ' => {}
            _ => end = i + 1,
        }
    }
    Some(Token { text: Cow::Borrowed(&line[at..end]), style: ScalarStyle::Plain, start: at, end })
}

/// What follows a value from `from`: spaces, then the line end (`Some(None)`)
/// or a comment after at least one space (`Some(Some(offset of '#'))`).
pub(super) fn trail(line: &str, from: usize) -> Option<Option<usize>> {
    let bytes = line.as_bytes();
    let at = from + bytes.get(from..)?.iter().take_while(|&&b| b == b' ').count();
    match bytes.get(at) {
        None => Some(None),
        Some(b'#') if at > from => Some(Some(at)),
        _ => None,
    }
}

/// Offset of the first byte after `from` that is not a space.
pub(super) fn skip_spaces(line: &str, from: usize) -> usize {
    from + line.as_bytes().get(from..).map_or(0, |rest| rest.iter().take_while(|&&b| b == b' ').count())
}
