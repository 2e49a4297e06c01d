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

/// What `clean` found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Chars {
    /// Printable ASCII and `\n` only: columns are byte offsets.
    Ascii,
    /// Also non-ASCII characters, none of them special to YAML.
    Unicode,
    /// A tab, `\r`, another control character, or a non-ASCII character
    /// YAML treats specially (C1 controls, NEL, no-break space, line and
    /// paragraph separators, BOM, non-characters): the full parser's job.
    Refused,
}

/// Sorts a text by the characters it holds.
pub(super) fn clean(bytes: &[u8]) -> Chars {
    let mut chars = Chars::Ascii;
    let mut at = 0;
    for chunk in bytes.chunks(64) {
        // A fold without early exit, so that the common check vectorizes.
        let odd =
            chunk.iter().fold(false, |odd, &b| odd | (b.wrapping_sub(0x20) >= 0x5f && b != b'\n'));
        if odd {
            if !clean_slow(bytes, at, at + chunk.len()) {
                return Chars::Refused;
            }
            chars = Chars::Unicode;
        }
        at += chunk.len();
    }
    chars
}

fn clean_slow(bytes: &[u8], from: usize, to: usize) -> bool {
    (from..to).all(|i| {
        let b = bytes[i];
        let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
        match b {
            0xc2 => !(0x80..=0xa0).contains(&next(1)),
            0xe2 => !(next(1) == 0x80 && matches!(next(2), 0xa8 | 0xa9)),
            0xef => !((next(1) == 0xbb && next(2) == 0xbf) || (next(1) == 0xbf && next(2) >= 0xbe)),
            b'\n' | 0x20..=0x7e | 0x80.. => true,
            _ => false,
        }
    })
}

/// The lines of a text without their `\n`, with their byte offsets.
/// Config lines are short: a word-at-a-time search beats a search call
/// per line.
#[derive(Debug)]
pub(super) struct Lines<'a> {
    text: &'a str,
    /// Start of the next line; past the end once the last one is out.
    start: usize,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { text, start: 0 }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.start;
        let rest = self.text.as_bytes().get(start..)?;
        let end = start + newline(rest).unwrap_or(rest.len());
        self.start = end + 1;
        Some((start, &self.text[start..end]))
    }
}

/// Offset of the first `\n`, 8 bytes at a time: in `x ^ 0x0a…`, a newline
/// is a zero byte, and the lowest byte the zero-byte test flags is always
/// a true one.
fn newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const NEWLINES: u64 = u64::from_ne_bytes([b'\n'; 8]);
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let mut le = [0; 8];
        le.copy_from_slice(word);
        let x = u64::from_le_bytes(le) ^ NEWLINES;
        let found = x.wrapping_sub(ONES) & !x & HIGHS;
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    words.remainder().iter().position(|&b| b == b'\n').map(|i| at + i)
}

/// Bytes a plain key may hold: enough for config keys, none that YAML
/// reads as an indicator, a separator or white space.
const KEY_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'/') || c >= 0x80;
        b += 1;
    }
    table
};

/// A mapping key at `at` followed by `:` and a space or the line end;
/// returns it with the offset just past the `:`.
pub(super) fn key(line: &str, at: usize) -> Option<(Token<'_>, usize)> {
    let bytes = line.as_bytes();
    let token = match *bytes.get(at)? {
        b'"' => double(line, at)?,
        b'\'' => single(line, at)?,
        // Not `-`, `.`: `- `, `---` and `...` mean other things at a line start.
        b if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 => {
            let len = bytes[at..]
                .iter()
                .position(|&b| !KEY_BYTES[usize::from(b)])
                .unwrap_or(bytes.len() - at);
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
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
        | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' => true,
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

/// How a line goes on after a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trail {
    End,
    /// A comment whose `#` is at this offset.
    Comment(usize),
}

/// What follows a value from `from`: spaces, then the line end or a
/// comment after at least one space; `None` for anything else.
pub(super) fn trail(line: &str, from: usize) -> Option<Trail> {
    let bytes = line.as_bytes();
    let at = from + bytes.get(from..)?.iter().take_while(|&&b| b == b' ').count();
    match bytes.get(at) {
        None => Some(Trail::End),
        Some(b'#') if at > from => Some(Trail::Comment(at)),
        _ => None,
    }
}

/// Offset of the first byte after `from` that is not a space.
pub(super) fn skip_spaces(line: &str, from: usize) -> usize {
    from + line
        .as_bytes()
        .get(from..)
        .map_or(0, |rest| rest.iter().take_while(|&&b| b == b' ').count())
}
