//! The JSON parser: RFC 8259 text → leaves, flattened while reading (no
//! document tree), iterative so that hostile nesting cannot overflow the
//! stack. Strict by default; the dialects of `lenient.rs` add comments and
//! trailing commas (JSON with comments) and the rest of JSON5.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::core::flatten::Flattener;
use crate::core::leaf::{ParseError, Parsed, Position, Value};
use crate::core::source::LineIndex;

mod comment;
mod lenient;
mod scalar;

/// Which JSON a file is written in (§11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// RFC 8259.
    Strict,
    /// JSON with `//` and `/* */` comments and trailing commas
    /// (`appsettings.json`, `*.jsonc`).
    Comments,
    /// JSON5: comments, trailing commas, unquoted keys, single quotes,
    /// hex, `+`, `.5`, `Infinity`, `NaN`, escaped line breaks.
    Json5,
}

/// Parses a strict JSON config file. The top level must be an object or an
/// array.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    parse_with(text, Dialect::Strict)
}

/// Parses a JSON config file of the given dialect. Comments above a key or
/// at the end of its value's line are its documentation (§6).
pub fn parse_with(text: &str, dialect: Dialect) -> Result<Parsed, ParseError> {
    let mut parser = Parser::new(text, dialect);
    parser.document()?;
    Ok(parser.flat.into_parsed())
}

/// Below this many keys an object checks duplicates by a linear scan, which
/// beats hashing for the small objects config files are made of.
const SMALL_OBJECT: usize = 12;

/// Whether a value finished, or opened a container whose members follow.
enum Step {
    Complete,
    Opened,
}

/// One open object or array. Frames are reused between containers of the
/// same depth so that their key sets keep their allocations.
#[derive(Default)]
struct Frame<'a> {
    is_object: bool,
    count: usize,
    /// Keys seen so far with the line they were written on, while few.
    small: Vec<(Cow<'a, str>, u32)>,
    /// The same, once the object grows past `SMALL_OBJECT` keys.
    large: FxHashMap<Cow<'a, str>, u32>,
    /// An array's documentation, which its items without their own share
    /// (lenient dialects only).
    doc: Option<String>,
}

impl<'a> Frame<'a> {
    fn reset(&mut self, is_object: bool) {
        self.is_object = is_object;
        self.count = 0;
        self.small.clear();
        self.large.clear();
        self.doc = None;
    }

    /// Records a key; returns the line of an earlier occurrence.
    fn insert_key(&mut self, key: Cow<'a, str>, line: u32) -> Option<u32> {
        if self.large.is_empty() {
            if let Some((_, first)) = self.small.iter().find(|(k, _)| *k == key) {
                return Some(*first);
            }
            if self.small.len() < SMALL_OBJECT {
                self.small.push((key, line));
                return None;
            }
            self.large.extend(self.small.drain(..));
        }
        match self.large.entry(key) {
            std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(line);
                None
            }
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Line of `pos` and where it starts; only white space holds newlines in
    /// valid JSON, so `skip_ws` is the one place that moves them.
    line: u32,
    line_start: usize,
    /// The last offset whose column was computed: columns are counted
    /// forward from there, so one long minified line stays linear.
    col_at: usize,
    col: u32,
    flat: Flattener,
    frames: Vec<Frame<'a>>,
    depth: usize,
    dialect: Dialect,
    /// Where the member being read starts (its key, or an array item):
    /// the comments above it document it. Lenient dialects only.
    doc_at: usize,
    /// A `/*` that never closed, for the error at the end of the file.
    open_comment: Option<usize>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, dialect: Dialect) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
            line_start: 0,
            col_at: 0,
            col: 1,
            flat: Flattener::for_text(text.len()),
            frames: Vec::new(),
            depth: 0,
            dialect,
            doc_at: usize::MAX,
            open_comment: None,
        }
    }

    fn lenient(&self) -> bool {
        self.dialect != Dialect::Strict
    }

    fn json5(&self) -> bool {
        self.dialect == Dialect::Json5
    }

    fn document(&mut self) -> Result<(), ParseError> {
        self.skip_ws();
        match self.bytes.get(self.pos) {
            None => {
                return Err(self.error(
                    self.pos,
                    "the file is empty: a JSON config holds an object or an array",
                ));
            }
            Some(b'{' | b'[') => {}
            Some(b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
                return Err(self.error(
                    self.pos,
                    "a config file must hold an object or an array, not a single value",
                ));
            }
            Some(_) => return Err(self.error(self.pos, "expected `{` or `[` to start the file")),
        }
        let at = self.position(self.pos);
        let mut step = self.value(at)?;
        loop {
            step = match step {
                Step::Opened => self.member()?,
                Step::Complete => {
                    if self.depth == 0 {
                        break;
                    }
                    // The finished value was a member of the innermost frame.
                    self.flat.leave();
                    self.after_member()?
                }
            };
        }
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(self.error(self.pos, "unexpected text after the end of the JSON value"));
        }
        Ok(())
    }

    /// After a member: a comma and the next member, or the container's end.
    fn after_member(&mut self) -> Result<Step, ParseError> {
        self.skip_ws();
        let is_object = self.frames[self.depth - 1].is_object;
        match (self.bytes.get(self.pos), is_object) {
            (Some(b','), _) => {
                self.pos += 1;
                self.frames[self.depth - 1].count += 1;
                self.member()
            }
            (Some(b'}'), true) | (Some(b']'), false) => {
                self.pos += 1;
                self.depth -= 1;
                Ok(Step::Complete)
            }
            (None, _) => {
                Err(self.error(self.pos, "unexpected end of file: a container is not closed"))
            }
            (Some(_), true) => {
                Err(self.error(self.pos, "expected `,` or `}` after an object member"))
            }
            (Some(_), false) => {
                Err(self.error(self.pos, "expected `,` or `]` after an array item"))
            }
        }
    }

    /// Reads one member of the innermost container (key and `:` for an
    /// object), enters its path segment and starts its value.
    fn member(&mut self) -> Result<Step, ParseError> {
        self.skip_ws();
        let frame = self.depth - 1;
        if self.lenient() && self.frames[frame].count > 0 && self.at_close(frame) {
            // A trailing comma.
            self.pos += 1;
            self.depth -= 1;
            return Ok(Step::Complete);
        }
        self.doc_at = self.pos;
        if !self.frames[frame].is_object {
            let at = self.position(self.pos);
            self.flat.enter_index(self.frames[frame].count, at)?;
            return self.value(at);
        }
        let key_offset = self.pos;
        let at = self.position(key_offset);
        let key = match self.bytes.get(self.pos) {
            Some(b'"') if !self.json5() => self.string()?,
            Some(&quote @ (b'"' | b'\'')) if self.json5() => self.string5(quote)?,
            Some(_) if self.json5() => self.identifier()?,
            _ => return Err(self.error(self.pos, "expected a key in double quotes")),
        };
        if let Some(first) = self.frames[frame].insert_key(key.clone(), at.line) {
            return Err(ParseError::at(
                at,
                format!("duplicate key `{key}` (first at line {first})"),
            ));
        }
        self.skip_ws();
        if self.bytes.get(self.pos) != Some(&b':') {
            return Err(self.error(self.pos, "expected `:` after the key"));
        }
        self.pos += 1;
        self.flat.enter_key(&key, at)?;
        self.skip_ws();
        self.value(at)
    }

    /// Reads the value at `pos`. `holder` is where an empty container's leaf
    /// points: its key, or the container itself where there is no key.
    fn value(&mut self, holder: Position) -> Result<Step, ParseError> {
        let start = self.pos;
        if self.json5() {
            return self.value5(holder);
        }
        let value = match self.bytes.get(start) {
            Some(&open @ (b'{' | b'[')) => return Ok(self.open(open == b'{', holder)),
            Some(b'"') => {
                let at = self.position(start);
                let text = self.string()?.into_owned();
                self.emit(Value::String(text.into()), at, start);
                return Ok(Step::Complete);
            }
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.word("true", Value::Bool(true))?,
            Some(b'f') => self.word("false", Value::Bool(false))?,
            Some(b'n') => self.word("null", Value::Null)?,
            Some(_) => return Err(self.error(start, "expected a value")),
            None => return Err(self.error(start, "unexpected end of file: expected a value")),
        };
        let at = self.position(start);
        self.emit(value, at, start);
        Ok(Step::Complete)
    }

    fn emit(&mut self, value: Value, at: Position, start: usize) {
        let doc = if self.lenient() { self.doc() } else { None };
        self.flat.leaf(value, at, (start as u32, self.pos as u32), doc);
    }

    fn open(&mut self, is_object: bool, holder: Position) -> Step {
        let start = self.pos;
        self.pos += 1;
        self.skip_ws();
        let close = if is_object { b'}' } else { b']' };
        if self.bytes.get(self.pos) == Some(&close) {
            self.pos += 1;
            // A file that is only `{}` or `[]` has no keys at all.
            if self.flat.depth() > 0 {
                let value = if is_object { Value::EmptyMap } else { Value::EmptyList };
                self.emit(value, holder, start);
            }
            return Step::Complete;
        }
        // Depth stays bounded: every frame but the top one sits under an
        // `enter_*` that the flattener already allowed.
        if self.depth == self.frames.len() {
            self.frames.push(Frame::default());
        }
        self.frames[self.depth].reset(is_object);
        if self.lenient() && !is_object {
            self.frames[self.depth].doc = comment::above(self.text, self.doc_at);
        }
        self.depth += 1;
        Step::Opened
    }

    fn skip_ws(&mut self) {
        loop {
            while let Some(&b) = self.bytes.get(self.pos) {
                match b {
                    b' ' | b'\t' | b'\r' => {}
                    b'\n' => {
                        self.line += 1;
                        self.line_start = self.pos + 1;
                    }
                    _ => break,
                }
                self.pos += 1;
            }
            if !self.lenient() || !self.skip_comment_or_space() {
                return;
            }
        }
    }

    /// Position of an offset on the current line, at or after the last one
    /// asked for.
    fn position(&mut self, offset: usize) -> Position {
        if self.col_at < self.line_start || self.col_at > offset {
            self.col_at = self.line_start;
            self.col = 1;
        }
        let chars = self.bytes[self.col_at..offset].iter().filter(|&&b| b & 0xC0 != 0x80).count();
        self.col += chars as u32;
        self.col_at = offset;
        Position { line: self.line, column: self.col }
    }

    /// An error at a byte offset. Cold: the line index is built only here.
    #[cold]
    fn error(&self, offset: usize, message: &str) -> ParseError {
        let index = LineIndex::new(self.text);
        match self.open_comment {
            Some(open) if offset >= self.text.len() => {
                ParseError::at(index.position(open), "unterminated `/*` comment")
            }
            _ => ParseError::at(index.position(offset), message),
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod lenient_tests;
