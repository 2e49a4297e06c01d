//! Java `.properties` → leaves, by the line rules of
//! `java.util.Properties.load`: `=`, `:` or white space between key and
//! value, `\` line continuations, `\uXXXX` and the other escapes, `#`/`!`
//! comment lines as documentation, and Spring's `#---` document
//! separators. Keys are split at `.` into segments and `name[0]` into
//! indices (Spring's binding); values are strings.

use std::borrow::Cow;

use crate::core::flatten::Flattener;
use crate::core::leaf::{ParseError, Parsed, Position, Value};
use crate::core::source::{LineCursor, LineIndex};

mod build;
#[cfg(test)]
mod build_tests;
mod keys;
#[cfg(test)]
mod tests;

/// Parses a `.properties` file; every value is a string.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    parse_typed(text, false)
}

/// Parses a `.properties` file whose values are typed as YAML 1.2 plain
/// scalars, the way Spring compares them with YAML (`server.port=8080`
/// is the int 8080): for the `spring` layout only (§11).
pub fn parse_spring(text: &str) -> Result<Parsed, ParseError> {
    parse_typed(text, true)
}

fn parse_typed(text: &str, typed: bool) -> Result<Parsed, ParseError> {
    let (entries, documents) = read(text)?;
    // Files whose keys are all distinct and none the parent of another (the
    // usual case) take the one pass of `build`; any other file the checks
    // of `checked`, which say what is wrong.
    if let Some(parsed) = build::build(&entries, documents, |v| value_of(v, typed)) {
        return Ok(parsed);
    }
    checked(text.len(), entries, documents, typed)
}

/// The entries of a file, and whether it has several documents.
fn read(text: &str) -> Result<(Vec<Entry<'_>>, bool), ParseError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        cursor: LineCursor::new(text),
        entries: Vec::with_capacity(text.len() / 48),
        doc_lines: Vec::new(),
        document: 0,
    };
    let documents = text.contains("---") && text.lines().any(is_separator);
    let mut pos = 0;
    while pos < text.len() {
        pos = reader.line(pos)?;
    }
    Ok((reader.entries, documents))
}

/// The leaves of entries after the key checks, key by key through the
/// Flattener.
fn checked(
    len: usize,
    entries: Vec<Entry<'_>>,
    documents: bool,
    typed: bool,
) -> Result<Parsed, ParseError> {
    keys::check_unique(&entries)?;
    let mut flat = Flattener::for_text(len);
    for entry in entries {
        let value = value_of(&entry.value, typed);
        let depth =
            keys::enter(&mut flat, documents.then_some(entry.document), &entry.key, entry.at)?;
        flat.leaf(value, entry.position, entry.span, entry.doc);
        for _ in 0..depth {
            flat.leave();
        }
    }
    Ok(flat.into_parsed())
}

/// An entry's value: a string, or typed as Spring's YAML would read it.
fn value_of(text: &str, typed: bool) -> Value {
    if typed { typed_value(text) } else { Value::String(text.into()) }
}

/// A `#---` or `!---` line: a new document starts (Spring).
fn is_separator(line: &str) -> bool {
    matches!(line.strip_suffix('\r').unwrap_or(line), "#---" | "!---")
}

/// A value typed as Spring's YAML would read it; text with surrounding
/// blanks stays a string.
fn typed_value(text: &str) -> Value {
    if text.is_empty() || text.trim() != text {
        return Value::String(text.into());
    }
    super::yaml::plain_scalar(text)
}

/// One `key=value` as read, before its key is split into segments.
struct Entry<'a> {
    document: usize,
    key: Cow<'a, str>,
    /// Where the key starts, for errors about it.
    at: Position,
    value: Cow<'a, str>,
    position: Position,
    span: (u32, u32),
    doc: Option<String>,
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    cursor: LineCursor<'a>,
    entries: Vec<Entry<'a>>,
    /// The comment lines read since the last blank line or entry.
    doc_lines: Vec<&'a str>,
    document: usize,
}

/// The bytes a key's plain run stops at: its ends (a separator, a blank,
/// a line break) and a backslash. One lookup per byte, where a chain of
/// comparisons cost a tenth of a parse.
static ENDS_KEY: [bool; 256] = {
    let mut ends = [false; 256];
    let stops = *b"=: \t\x0c\n\r\\";
    let mut i = 0;
    while i < stops.len() {
        ends[stops[i] as usize] = true;
        i += 1;
    }
    ends
};

/// The offset of the first line break or backslash at or after `from`
/// (the length when there is none), read eight bytes at a time: values
/// are most of a file's bytes.
fn value_run(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // High bits at the bytes of `word` equal to `b`: exact at the lowest
    // one, which is all that is read.
    let equal = |word: u64, b: u8| {
        let x = word ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    let rest = &bytes[from..];
    let mut chunks = rest.chunks_exact(8);
    let mut at = from;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        let found = equal(word, b'\n') | equal(word, b'\r') | equal(word, b'\\');
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let tail = chunks.remainder();
    at + tail.iter().position(|&b| matches!(b, b'\n' | b'\r' | b'\\')).unwrap_or(tail.len())
}

/// The white space of `.properties` files.
fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0c')
}

impl<'a> Reader<'a> {
    /// Reads the logical line starting at `start`; returns where the next
    /// one starts.
    fn line(&mut self, start: usize) -> Result<usize, ParseError> {
        let mut at = start;
        while self.bytes.get(at).copied().is_some_and(is_blank) {
            at += 1;
        }
        match self.bytes.get(at) {
            None | Some(b'\n' | b'\r') => {
                self.doc_lines.clear();
                Ok(self.next_line(at))
            }
            Some(b'#' | b'!') => {
                let end = self.line_end(at);
                let line = &self.text[at..end];
                if at == start && is_separator(line) {
                    self.document += 1;
                    self.doc_lines.clear();
                } else {
                    let comment = &line[1..];
                    self.doc_lines.push(comment.strip_prefix(' ').unwrap_or(comment).trim_end());
                }
                Ok(self.next_line(end))
            }
            Some(_) => self.entry(at),
        }
    }

    /// `key = value` from `at` (the key's first byte) to the end of its
    /// logical line.
    fn entry(&mut self, at: usize) -> Result<usize, ParseError> {
        let (key, mut i) = self.read(at, true)?;
        // A key without escapes and a separator without a continuation
        // leave the value on the key's line.
        let mut same_line = matches!(key, Cow::Borrowed(_));
        let mut separated = false;
        loop {
            let next = self.skip_continuation(i);
            same_line &= next == i;
            i = next;
            match self.bytes.get(i) {
                Some(&b) if is_blank(b) => i += 1,
                Some(b'=' | b':') if !separated => {
                    separated = true;
                    i += 1;
                }
                _ => break,
            }
        }
        let value_start = i;
        let (value, end) = self.read(value_start, false)?;
        let key_at = self.cursor.position(at);
        let position = if value.is_empty() {
            key_at
        } else if same_line {
            let between = &self.text[at..value_start];
            let width = if between.is_ascii() { between.len() } else { between.chars().count() };
            Position { line: key_at.line, column: key_at.column + width as u32 }
        } else {
            self.cursor.position(value_start)
        };
        let doc = self.take_doc();
        self.entries.push(Entry {
            document: self.document,
            key,
            at: key_at,
            value,
            position,
            span: (value_start as u32, end as u32),
            doc,
        });
        Ok(self.next_line(end))
    }

    /// Reads escaped text from `start`: a key up to its first unescaped
    /// `=`, `:` or blank, or a value up to the end of its logical line.
    /// Returns the text and the offset where it stops. Borrows from the
    /// file unless the text holds escapes or continuations.
    fn read(&self, start: usize, is_key: bool) -> Result<(Cow<'a, str>, usize), ParseError> {
        let mut i = start;
        let mut out: Option<String> = None;
        let mut run = start;
        while i < self.bytes.len() {
            if is_key {
                while self.bytes.get(i).is_some_and(|&b| !ENDS_KEY[usize::from(b)]) {
                    i += 1;
                }
            } else {
                // A value runs to its line's end but for its escapes.
                i = value_run(self.bytes, i);
            }
            if i == self.bytes.len() {
                break;
            }
            match self.bytes[i] {
                b'\n' | b'\r' => break,
                b'=' | b':' if is_key => break,
                b if is_key && is_blank(b) => break,
                b'\\' => {
                    let buf = out.get_or_insert_with(String::new);
                    buf.push_str(&self.text[run..i]);
                    i = self.escape(i, buf)?;
                    run = i;
                }
                _ => i += 1,
            }
        }
        let text = match out {
            None => Cow::Borrowed(&self.text[start..i]),
            Some(mut out) => {
                out.push_str(&self.text[run..i]);
                Cow::Owned(out)
            }
        };
        Ok((text, i))
    }

    /// The escape at `at` (a backslash) into `out`; returns the offset
    /// after it. A backslash ending a line continues the logical line on
    /// the next, without that line's leading blanks.
    fn escape(&self, at: usize, out: &mut String) -> Result<usize, ParseError> {
        let decoded = match self.bytes.get(at + 1) {
            None => return Ok(at + 1),
            Some(b'\n' | b'\r') => return Ok(self.skip_continuation(at)),
            Some(b't') => '\t',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b'f') => '\u{c}',
            Some(b'u') => return self.unicode(at, out),
            Some(_) => {
                let c = self.text[at + 1..].chars().next().unwrap_or('\\');
                out.push(c);
                return Ok(at + 1 + c.len_utf8());
            }
        };
        out.push(decoded);
        Ok(at + 2)
    }

    /// `\uXXXX`, with UTF-16 surrogate pairs as Java writes characters
    /// beyond the first plane; a lone surrogate cannot be UTF-8 text.
    fn unicode(&self, at: usize, out: &mut String) -> Result<usize, ParseError> {
        let unit = |from: usize| {
            let digits = self.text.get(from..from + 4)?;
            digits
                .bytes()
                .all(|b| b.is_ascii_hexdigit())
                .then(|| u32::from_str_radix(digits, 16).ok())?
        };
        let Some(high) = unit(at + 2) else {
            return Err(self.error(at, "malformed `\\uXXXX` escape: expected 4 hex digits"));
        };
        let (code, end) = if (0xD800..0xDC00).contains(&high) {
            let low =
                (self.text.get(at + 6..at + 8) == Some("\\u")).then(|| unit(at + 8)).flatten();
            match low {
                Some(low @ 0xDC00..=0xDFFF) => {
                    (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00), at + 12)
                }
                _ => {
                    return Err(
                        self.error(at, "lone surrogate in a `\\u` escape (not valid Unicode)")
                    );
                }
            }
        } else {
            (high, at + 6)
        };
        let Some(c) = char::from_u32(code) else {
            return Err(self.error(at, "lone surrogate in a `\\u` escape (not valid Unicode)"));
        };
        out.push(c);
        Ok(end)
    }

    /// When `at` is a backslash before a line break: the offset after the
    /// break and the next line's leading blanks. Else `at`.
    fn skip_continuation(&self, at: usize) -> usize {
        if self.bytes.get(at) != Some(&b'\\') {
            return at;
        }
        let mut i = at + 1;
        match self.bytes.get(i) {
            Some(b'\r') if self.bytes.get(i + 1) == Some(&b'\n') => i += 2,
            Some(b'\n' | b'\r') => i += 1,
            _ => return at,
        }
        while self.bytes.get(i).copied().is_some_and(is_blank) {
            i += 1;
        }
        i
    }

    fn take_doc(&mut self) -> Option<String> {
        let doc = self.doc_lines.join("\n");
        self.doc_lines.clear();
        let doc = doc.trim_matches('\n');
        (!doc.trim().is_empty()).then(|| doc.to_owned())
    }

    /// The end of the natural line holding `at` (before its break).
    fn line_end(&self, at: usize) -> usize {
        self.bytes[at..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(self.text.len(), |i| at + i)
    }

    /// The start of the line after a line that ends (before its break) at `end`.
    fn next_line(&self, end: usize) -> usize {
        match self.bytes.get(end) {
            Some(b'\r') if self.bytes.get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => end,
        }
    }

    #[cold]
    fn error(&self, offset: usize, message: &str) -> ParseError {
        ParseError::at(LineIndex::new(self.text).position(offset), message)
    }
}
