//! The HCL fast path: one pass over the files `.tfvars` usually are, top-
//! level `name = literal` attributes whose values are quoted strings
//! without interpolation, numbers, `true`, `false`, `null`, and tuples and
//! objects of those, with `#`, `//` and `/* */` comments between them. It
//! produces the leaves the `hcl-edit` walker would (paths, values, types,
//! positions, spans, documentation), without building a syntax tree. On
//! anything else (a block, an expression, a template, a heredoc, a
//! duplicate, any doubt) it gives up with `None`, and `hcl-edit` reads the
//! file and reports its errors. `fast_tests.rs` holds the two to the same
//! leaves.

use std::borrow::Cow;

use rustc_hash::FxHashSet;

use super::{doc, fast_scalar};
use crate::core::flatten::Flattener;
use crate::core::leaf::{Leaf, Origin, Parsed, Position, Value, Written};

/// Deepest nesting of tuples and objects taken on: well inside
/// `hcl-edit`'s 64 levels, whose error only the full parser reports.
const MAX_DEPTH: usize = 32;

/// An object with more keys than this checks them for duplicates in a
/// hash set; a smaller one (most of them) by comparing them in turn.
const FEW_KEYS: usize = 12;

/// Reads `text` if it lies within the subset; `None` hands it over.
pub(super) fn try_parse(text: &str) -> Option<Parsed> {
    u32::try_from(text.len()).ok()?;
    let mut leaves = Vec::new();
    let out = Flattener::for_text_keeping(text.len(), &mut leaves);
    let mut fast = Fast {
        text,
        bytes: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        out,
        leaves,
        pending: Vec::new(),
        names: Vec::new(),
        depth: 0,
        comment_line: 0,
    };
    fast.body()?;
    Some(Parsed { leaves: fast.leaves, paths: fast.out.into_paths(), encryption: None })
}

/// Where a value's key starts (the value itself for a tuple item), and
/// whether it is a tuple item, which takes its tuple's documentation when
/// it has none of its own.
#[derive(Clone, Copy)]
struct Key {
    start: usize,
    line: u32,
    line_start: usize,
    item: bool,
    /// Whether the key starts its line below a line that may hold a
    /// comment: only then can comment lines above document it.
    below_comment: bool,
}

struct Fast<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// The offset read up to, the 1-based line it is on and where that
    /// line starts.
    i: usize,
    line: u32,
    line_start: usize,
    out: Flattener,
    leaves: Vec<Leaf>,
    /// Tuple items without documentation of their own, waiting for their
    /// tuple's (known only once it closes, from the comment after it).
    pending: Vec<usize>,
    /// The keys of the objects open, innermost last, for duplicates.
    names: Vec<Cow<'a, str>>,
    depth: usize,
    /// The last line a comment was read on (a block comment: where it
    /// ends), 0 before any.
    comment_line: u32,
}

impl<'a> Fast<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.i).copied()
    }

    fn body(&mut self) -> Option<()> {
        let mut seen: FxHashSet<&'a str> = FxHashSet::default();
        loop {
            self.skip_space()?;
            if self.i == self.bytes.len() {
                return Some(());
            }
            let key = self.key(false);
            let end = fast_scalar::ident(self.bytes, self.i)?;
            let name = &self.text[self.i..end];
            self.i = end;
            self.assignment()?;
            if !seen.insert(name) {
                return None;
            }
            self.out.enter_key(name, Position::default()).ok()?;
            self.value(key)?;
            self.out.leave();
            self.skip_blanks();
            self.line_end(true)?;
        }
    }

    /// `=` between blanks, after a key.
    fn assignment(&mut self) -> Option<()> {
        self.skip_blanks();
        if self.peek() != Some(b'=') {
            return None;
        }
        self.i += 1;
        self.skip_blanks();
        Some(())
    }

    /// The end of an attribute's or object item's line: an optional `#` or
    /// `//` comment, then a line break (or, for an attribute, the end).
    fn line_end(&mut self, may_end: bool) -> Option<()> {
        match self.peek() {
            None => return may_end.then_some(()),
            Some(b'#') => self.skip_line_comment()?,
            Some(b'/') if self.bytes.get(self.i + 1) == Some(&b'/') => self.skip_line_comment()?,
            _ => {}
        }
        match self.peek() {
            None => may_end.then_some(()),
            _ => self.line_break(),
        }
    }

    /// A `\n` or `\r\n` at the current offset.
    fn line_break(&mut self) -> Option<()> {
        match self.peek()? {
            b'\n' => self.i += 1,
            b'\r' if self.bytes.get(self.i + 1) == Some(&b'\n') => self.i += 2,
            _ => return None,
        }
        self.line += 1;
        self.line_start = self.i;
        Some(())
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// Blanks, line breaks and comments.
    fn skip_space(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.i += 1,
                Some(b'\n' | b'\r') => self.line_break()?,
                Some(b'#') => self.skip_line_comment()?,
                Some(b'/') => match self.bytes.get(self.i + 1) {
                    Some(b'/') => self.skip_line_comment()?,
                    Some(b'*') => self.skip_block_comment()?,
                    _ => return Some(()),
                },
                _ => return Some(()),
            }
        }
    }

    /// A `#` or `//` comment, up to its line break. A lone `\r` is one
    /// `hcl-edit` refuses there.
    fn skip_line_comment(&mut self) -> Option<()> {
        self.comment_line = self.line;
        let rest = &self.bytes[self.i..];
        let len = rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len());
        self.i += len;
        match self.peek() {
            Some(b'\r') if self.bytes.get(self.i + 1) != Some(&b'\n') => None,
            _ => Some(()),
        }
    }

    fn skip_block_comment(&mut self) -> Option<()> {
        let body = &self.bytes[self.i + 2..];
        let len = body.windows(2).position(|w| w == b"*/")?;
        let end = self.i + 2 + len + 2;
        for (at, &b) in self.bytes[self.i..end].iter().enumerate() {
            if b == b'\n' {
                self.line += 1;
                self.line_start = self.i + at + 1;
            }
        }
        self.i = end;
        self.comment_line = self.line;
        Some(())
    }

    fn key(&self, item: bool) -> Key {
        // A line above holds a comment line `doc::above` would read only
        // if a comment was read on it: a line's first token is read here,
        // and a line that starts inside a block comment is one where that
        // comment ends (a key below a comment ending on its own line, or
        // after one ending on the key's line, is no first token).
        let below_comment = self.comment_line + 1 == self.line
            && self.bytes[self.line_start..self.i].iter().all(|&b| b == b' ' || b == b'\t');
        Key { start: self.i, line: self.line, line_start: self.line_start, item, below_comment }
    }

    /// The position of `offset` on the line `key` was read on.
    fn position(&self, offset: usize, key: Key) -> Position {
        let before = &self.text[key.line_start..offset];
        let column = if before.is_ascii() { before.len() } else { before.chars().count() };
        Position { line: key.line, column: column as u32 + 1 }
    }

    /// The value at the current offset, written under `key`.
    fn value(&mut self, key: Key) -> Option<()> {
        let start = self.i;
        let (value, end) = match self.peek()? {
            b'"' => {
                let (text, end) = fast_scalar::string(self.text, start)?;
                (Value::String(text.as_ref().into()), end)
            }
            b'0'..=b'9' => fast_scalar::number(self.text, start, false)?,
            b'-' if self.bytes.get(start + 1).is_some_and(u8::is_ascii_digit) => {
                fast_scalar::number(self.text, start + 1, true)?
            }
            b't' | b'f' | b'n' => fast_scalar::keyword(self.text, start)?,
            b'[' => return self.tuple(key),
            b'{' => return self.object(key),
            _ => return None,
        };
        self.i = end;
        let position = self.position(start, key);
        self.leaf(value, position, key, (start, end));
        Some(())
    }

    /// Records a leaf with its documentation (or, for a tuple item
    /// without, its tuple's to come).
    fn leaf(&mut self, value: Value, position: Position, key: Key, span: (usize, usize)) {
        let doc = self.doc(key, span.1);
        if doc.is_none() && key.item {
            self.pending.push(self.leaves.len());
        }
        self.leaves.push(Leaf {
            key: self.out.key(),
            value,
            position,
            span: (span.0 as u32, span.1 as u32),
            doc: doc.map(Into::into),
            origin: Origin::Direct,
            written: Written::Text,
        });
    }

    /// `doc::of` for a key read at `key` and a value ending at `end`,
    /// without its scans of lines that cannot hold a comment.
    fn doc(&self, key: Key, end: usize) -> Option<String> {
        let above = if key.below_comment { doc::above(self.text, key.start) } else { None };
        above.or_else(|| {
            let mut i = end;
            let blanks = |i: &mut usize| {
                while matches!(self.bytes.get(*i), Some(b' ' | b'\t')) {
                    *i += 1;
                }
            };
            blanks(&mut i);
            if self.bytes.get(i) == Some(&b',') {
                i += 1;
                blanks(&mut i);
            }
            let comment = match self.bytes.get(i) {
                Some(b'#') => true,
                Some(b'/') => self.bytes.get(i + 1) == Some(&b'/'),
                _ => false,
            };
            if comment { doc::trailing(self.text, end) } else { None }
        })
    }

    fn descend(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// `[ item, … ]`, a trailing comma allowed, items on any lines.
    fn tuple(&mut self, key: Key) -> Option<()> {
        let start = self.i;
        let position = self.position(key.start, key);
        self.descend()?;
        self.i += 1;
        let pending = self.pending.len();
        let mut count = 0;
        loop {
            self.skip_space()?;
            if self.peek()? == b']' {
                break;
            }
            self.out.enter_index(count, Position::default()).ok()?;
            let item = self.key(true);
            self.value(item)?;
            self.out.leave();
            count += 1;
            self.skip_space()?;
            match self.peek()? {
                b',' => self.i += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.i += 1;
        self.depth -= 1;
        if count == 0 {
            self.leaf(Value::EmptyList, position, key, (start, self.i));
            return Some(());
        }
        // The items without documentation take the tuple's; a tuple under
        // a key hands on nothing further.
        if let Some(doc) = self.doc(key, self.i) {
            for at in self.pending.drain(pending..) {
                self.leaves[at].doc = Some(doc.as_str().into());
            }
        } else if !key.item {
            self.pending.truncate(pending);
        }
        Some(())
    }

    /// `{ key = value … }`, items ended by a comma or a line break; keys
    /// are identifiers or quoted strings.
    fn object(&mut self, key: Key) -> Option<()> {
        let start = self.i;
        let position = self.position(key.start, key);
        self.descend()?;
        self.i += 1;
        let names = self.names.len();
        let mut seen: Option<FxHashSet<Cow<'a, str>>> = None;
        let mut count = 0;
        loop {
            self.skip_space()?;
            let name_key = self.key(false);
            let name = match self.peek()? {
                b'}' => break,
                b'"' => {
                    let (name, end) = fast_scalar::string(self.text, self.i)?;
                    self.i = end;
                    name
                }
                _ => {
                    let end = fast_scalar::ident(self.bytes, self.i)?;
                    let name = &self.text[self.i..end];
                    // `{ for …` starts a `for` expression.
                    if name == "for" {
                        return None;
                    }
                    self.i = end;
                    Cow::Borrowed(name)
                }
            };
            self.assignment()?;
            self.out.enter_key(&name, Position::default()).ok()?;
            if !self.first_time(names, &mut seen, name) {
                return None;
            }
            self.value(name_key)?;
            self.out.leave();
            count += 1;
            self.skip_blanks();
            match self.peek()? {
                b'}' => break,
                b',' => self.i += 1,
                _ => self.line_end(false)?,
            }
        }
        self.i += 1;
        self.depth -= 1;
        if count == 0 {
            self.leaf(Value::EmptyMap, position, key, (start, self.i));
        }
        self.names.truncate(names);
        Some(())
    }

    /// Whether `name` is new among the keys of the object whose keys
    /// start at `names` in `self.names` (or, past `FEW_KEYS`, in `seen`).
    fn first_time(
        &mut self,
        names: usize,
        seen: &mut Option<FxHashSet<Cow<'a, str>>>,
        name: Cow<'a, str>,
    ) -> bool {
        if let Some(seen) = seen {
            return seen.insert(name);
        }
        if self.names[names..].contains(&name) {
            return false;
        }
        if self.names.len() - names < FEW_KEYS {
            self.names.push(name);
            return true;
        }
        let mut set: FxHashSet<Cow<'a, str>> = self.names.drain(names..).collect();
        let fresh = set.insert(name);
        *seen = Some(set);
        fresh
    }
}
