//! The YAML fast path: a single line-oriented pass over the block-YAML
//! subset config files are made of (block mappings and sequences, one-line
//! plain and quoted scalars, one-line flow sequences of scalars, `{}`,
//! comments), producing the same events granit-parser would and feeding
//! them to the same `Walker`, so that paths, typing, positions, spans and
//! doc comments come from one implementation. It gives up (`None`) on
//! anything else or anything doubtful, and on any error: the full parser
//! then reads the file and reports errors. `fast_tests.rs` checks that
//! every file it accepts reads exactly as the full parser reads it.

use std::borrow::Cow;

use granit_parser::ScalarStyle;

use super::event::{Ev, Kind, TagKind};
use super::fast_scan::{self as scan, Chars, Token, Trail};
use super::walk::Walker;
use crate::core::flatten::Flattener;
use crate::core::leaf::{Parsed, Position};

/// Deepest block nesting the fast path takes on: well below the limits of
/// the Flattener and granit, whose errors only the full parser reports.
const MAX_BLOCKS: usize = 100;

/// Reads `text` if it lies within the subset; `None` hands it over.
pub(super) fn try_parse(text: &str) -> Option<Parsed> {
    if u32::try_from(text.len()).is_err() {
        return None;
    }
    let chars = scan::clean(text.as_bytes());
    if chars == Chars::Refused {
        return None;
    }
    let mut fast = Fast { all_ascii: chars == Chars::Ascii, ..Fast::default() };
    fast.walker.flat = Flattener::for_text_keeping(text.len(), &mut fast.walker.leaves);
    for (start, line) in scan::Lines::new(text) {
        fast.no += 1;
        fast.start = start;
        fast.line(line)?;
    }
    fast.finish(text.len())?;
    let documents = std::mem::take(&mut fast.doc_starts);
    let mut parsed = fast.walker.finish();
    if documents.len() > 1 {
        parsed.paths = super::prefix_documents(&parsed, &documents);
    }
    Some(parsed)
}

/// A literal block scalar being read (§ 8.1.2 of YAML 1.2): `|` keeps
/// one final line break (clip), `|-` none (strip).
#[derive(Debug)]
struct Literal {
    /// The column of its key: content lines are indented more.
    parent: usize,
    strip: bool,
    /// Where the `|` is: the value's span starts there.
    start: u32,
    pos: Position,
    /// The column of its content, from its first line.
    indent: Option<usize>,
    text: String,
    /// Blank lines since the last content line.
    blanks: usize,
    /// The end of the last content line: the value's span ends there.
    end: u32,
}

/// One open block collection: the column of its keys or `-`.
#[derive(Debug, Clone, Copy)]
struct Block {
    indent: usize,
    seq: bool,
    /// A sequence at the indentation of the mapping holding it (`k:\n- a`).
    indentless: bool,
}

/// A key whose value is not on its line: nested lines or an empty value.
#[derive(Debug)]
struct Pending {
    /// Indentation of the key.
    indent: usize,
    /// Where the empty scalar it holds if nothing nested follows is: the
    /// span is just after the `:`, the position just after the key.
    colon: u32,
    at: Position,
}

#[derive(Debug, Default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "each flag is one fact about the line or the document being read"
)]
struct Fast<'a> {
    walker: Walker<'a>,
    blocks: Vec<Block>,
    pending: Option<Pending>,
    /// Comments met while a key's value is undecided: granit gives them
    /// after an empty value but before a nested collection.
    held: Vec<Ev<'a>>,
    started: bool,
    /// Index of the first leaf of each document after the first (a
    /// multi-document stream of manifests); empty until a `---` ends one.
    doc_starts: Vec<usize>,
    /// A `---` opened the current document and nothing followed it yet.
    marked: bool,
    /// A literal block scalar (`key: |`) whose lines are being read.
    block: Option<Literal>,
    /// The current line, its number, byte offset and whether it is ASCII.
    line: &'a str,
    no: u32,
    start: usize,
    ascii: bool,
    /// The whole text is ASCII: no line needs checking.
    all_ascii: bool,
}

impl<'a> Fast<'a> {
    fn line(&mut self, line: &'a str) -> Option<()> {
        self.line = line;
        if self.block.is_some() && self.literal_line(line)? {
            return Some(());
        }
        let indent = line.bytes().take_while(|&b| b == b' ').count();
        let rest = &line[indent..];
        if rest.is_empty() {
            return Some(());
        }
        if indent == 0 && line.trim_end_matches(' ') == "---" {
            return self.next_document();
        }
        if rest.starts_with('#') {
            // The indentation is ASCII: the column needs no counting.
            self.ascii = true;
            return self.comment(indent, Kind::CommentAbove);
        }
        self.ascii = self.all_ascii || line.is_ascii();
        let item = rest == "-" || rest.starts_with("- ");
        self.settle(indent, item)?;
        if item {
            self.item(indent)
        } else {
            let (key, after) = scan::key(line, indent)?;
            self.entry(key, after, indent)
        }
    }

    /// Decides the value of a pending key, closes the blocks the line
    /// leaves and checks that it continues the block it lands in.
    fn settle(&mut self, indent: usize, item: bool) -> Option<()> {
        if let Some(pending) = self.pending.take() {
            if indent > pending.indent || (indent == pending.indent && item) {
                self.flush_held()?;
                return self.open(indent, item, indent == pending.indent);
            }
            self.empty(&pending)?;
        }
        if self.blocks.is_empty() {
            if self.started {
                return None;
            }
            self.started = true;
            self.marked = false;
            return self.open(indent, item, false);
        }
        while let Some(top) = self.blocks.last().copied() {
            if top.indent < indent || (top.indent == indent && (!top.indentless || item)) {
                return (top.indent == indent && top.seq == item).then_some(());
            }
            self.blocks.pop();
            self.close(top, self.line_offset(0))?;
        }
        // Below the root's indentation: another root, or an error.
        None
    }

    fn open(&mut self, indent: usize, seq: bool, indentless: bool) -> Option<()> {
        if self.blocks.len() >= MAX_BLOCKS {
            return None;
        }
        self.blocks.push(Block { indent, seq, indentless });
        let kind = if seq { Kind::SeqStart } else { Kind::MapStart };
        let at = self.line_offset(indent);
        self.emit(&self.ev(kind, Cow::Borrowed(""), at, at, indent))
    }

    fn close(&mut self, block: Block, at: u32) -> Option<()> {
        let kind = if block.seq { Kind::SeqEnd } else { Kind::MapEnd };
        let ev = Ev {
            pos: Position { line: self.no, column: 1 },
            ..self.ev(kind, "".into(), at, at, 0)
        };
        self.emit(&ev)
    }

    /// A `- ` line: a scalar or flow item, or the first key of a mapping.
    fn item(&mut self, indent: usize) -> Option<()> {
        let bytes = self.line.as_bytes();
        let at = scan::skip_spaces(self.line, indent + 1);
        match bytes.get(at) {
            // An empty item, or one whose value is on the next lines.
            None | Some(b'#') => return None,
            Some(b'-') if matches!(bytes.get(at + 1), None | Some(b' ')) => return None,
            _ => {}
        }
        if let Some((key, after)) = scan::key(self.line, at) {
            self.open(at, false, false)?;
            return self.entry(key, after, at);
        }
        self.value(at)
    }

    /// A key and what follows it on its line.
    fn entry(&mut self, key: Token<'a>, after: usize, indent: usize) -> Option<()> {
        let key_end = key.end;
        let parent = key.start;
        self.scalar(key)?;
        let at = scan::skip_spaces(self.line, after);
        if self.line.as_bytes().get(at) == Some(&b'|') {
            return self.literal(parent, at);
        }
        match self.line.as_bytes().get(at) {
            None | Some(b'#') => {
                let (colon, at_key_end) = (self.line_offset(after), self.pos(key_end));
                self.pending = Some(Pending { indent, colon, at: at_key_end });
                if at < self.line.len() {
                    return self.comment(at, Kind::CommentRight);
                }
                Some(())
            }
            Some(_) => self.value(at),
        }
    }

    /// `|` or `|-` at `at`, ending its line: a literal block scalar whose
    /// lines follow. An indentation digit, `|+` or a comment after it is
    /// the full parser's.
    fn literal(&mut self, parent: usize, at: usize) -> Option<()> {
        let header = self.line[at + 1..].trim_end_matches(' ');
        let strip = match header {
            "" => false,
            "-" => true,
            _ => return None,
        };
        self.block = Some(Literal {
            parent,
            strip,
            start: self.line_offset(at),
            pos: self.pos(at),
            indent: None,
            text: String::new(),
            blanks: 0,
            end: 0,
        });
        Some(())
    }

    /// A line while a literal block scalar is open: true when it is one of
    /// its lines, false when it ends it (the scalar is then given).
    fn literal_line(&mut self, line: &'a str) -> Option<bool> {
        let start = self.start;
        let block = self.block.as_mut()?;
        let spaces = line.bytes().take_while(|&b| b == b' ').count();
        if spaces == line.len() {
            // A blank line: inside the scalar when content follows. Blank
            // lines before its first line, or with more spaces than its
            // indentation, are left to the full parser.
            match block.indent {
                Some(indent) if spaces <= indent => block.blanks += 1,
                _ => return None,
            }
            return Some(true);
        }
        let indent = match block.indent {
            Some(indent) => indent,
            None if spaces > block.parent => *block.indent.insert(spaces),
            // No content at all: an empty scalar.
            None => return None,
        };
        if spaces < indent {
            self.end_literal()?;
            return Some(false);
        }
        if block.end != 0 {
            block.text.push('\n');
        }
        block.text.extend(std::iter::repeat_n('\n', block.blanks));
        block.blanks = 0;
        block.text.push_str(&line[indent..]);
        block.end = u32::try_from(start + line.len()).ok()?;
        Some(true)
    }

    /// Gives the literal block scalar read so far.
    fn end_literal(&mut self) -> Option<()> {
        let Some(block) = self.block.take() else { return Some(()) };
        if block.end == 0 {
            return None;
        }
        let mut text = block.text;
        if !block.strip {
            text.push('\n');
        }
        let mut ev = self.ev(Kind::Scalar, Cow::Owned(text), block.start, block.end, 0);
        ev.pos = block.pos;
        ev.style = ScalarStyle::Literal;
        self.emit(&ev)
    }

    /// A value starting at `at` and the rest of its line.
    fn value(&mut self, at: usize) -> Option<()> {
        let bytes = self.line.as_bytes();
        let end = match bytes.get(at)? {
            b'"' => self.scalar(scan::double(self.line, at)?)?,
            b'\'' => self.scalar(scan::single(self.line, at)?)?,
            b'[' => self.flow_seq(at)?,
            b'{' if bytes.get(at + 1) == Some(&b'}') => {
                let (open, close) = (self.line_offset(at), self.line_offset(at + 1));
                self.emit(&self.ev(Kind::MapStart, "".into(), open, open + 1, at))?;
                self.emit(&self.ev(Kind::MapEnd, "".into(), close, close + 1, at + 1))?;
                at + 2
            }
            _ => self.scalar(scan::plain(self.line, at)?)?,
        };
        match scan::trail(self.line, end)? {
            Trail::Comment(hash) => self.comment(hash, Kind::CommentRight),
            Trail::End => Some(()),
        }
    }

    /// A flow sequence of scalars closing on its line; returns its end.
    fn flow_seq(&mut self, at: usize) -> Option<usize> {
        let bytes = self.line.as_bytes();
        let open = self.line_offset(at);
        self.emit(&self.ev(Kind::SeqStart, "".into(), open, open + 1, at))?;
        let mut i = scan::skip_spaces(self.line, at + 1);
        if bytes.get(i) != Some(&b']') {
            loop {
                let token = match bytes.get(i)? {
                    b'"' => scan::double(self.line, i)?,
                    b'\'' => scan::single(self.line, i)?,
                    _ => scan::flow_plain(self.line, i)?,
                };
                i = scan::skip_spaces(self.line, self.scalar(token)?);
                match bytes.get(i)? {
                    b']' => break,
                    // A `,` before `]` (an empty entry) is left to granit.
                    b',' => i = scan::skip_spaces(self.line, i + 1),
                    _ => return None,
                }
                if matches!(bytes.get(i), None | Some(b']' | b',')) {
                    return None;
                }
            }
        }
        let close = self.line_offset(i);
        self.emit(&self.ev(Kind::SeqEnd, "".into(), close, close + 1, i))?;
        Some(i + 1)
    }

    /// Emits a scalar; returns the offset after it.
    fn scalar(&mut self, token: Token<'a>) -> Option<usize> {
        let end = token.end;
        let mut ev = self.ev(
            Kind::Scalar,
            token.text,
            self.line_offset(token.start),
            self.line_offset(end),
            token.start,
        );
        ev.style = token.style;
        self.emit(&ev)?;
        Some(end)
    }

    /// A comment whose `#` is at `at`, held while a value is pending.
    fn comment(&mut self, at: usize, kind: Kind) -> Option<()> {
        let body = Cow::Borrowed(&self.line[at + 1..]);
        let ev = self.ev(kind, body, self.line_offset(at), self.line_offset(self.line.len()), at);
        if self.pending.is_some() {
            self.held.push(ev);
            return Some(());
        }
        self.emit(&ev)
    }

    /// A pending key turned out empty: its null, then the comments after.
    fn empty(&mut self, pending: &Pending) -> Option<()> {
        let (colon, pos) = (pending.colon, pending.at);
        self.emit(&Ev { pos, ..self.ev(Kind::Scalar, Cow::Borrowed(""), colon, colon, 0) })?;
        self.flush_held()
    }

    fn flush_held(&mut self) -> Option<()> {
        let mut held = std::mem::take(&mut self.held);
        for ev in &held {
            self.emit(ev)?;
        }
        held.clear();
        self.held = held;
        Some(())
    }

    /// A `---` line: the explicit start of the first document, or the end
    /// of one and the start of the next. An empty document (two markers in
    /// a row, a marker at the end) and comments waiting for a value are
    /// the full parser's.
    fn next_document(&mut self) -> Option<()> {
        if !self.held.is_empty() || self.marked {
            return None;
        }
        self.marked = true;
        if !self.started {
            return if self.doc_starts.is_empty() && self.no_leaves() { Some(()) } else { None };
        }
        if let Some(pending) = self.pending.take() {
            self.empty(&pending)?;
        }
        let at = self.line_offset(0);
        while let Some(block) = self.blocks.pop() {
            self.close(block, at)?;
        }
        self.walker.end_document();
        if self.doc_starts.is_empty() {
            self.doc_starts.push(0);
        }
        self.doc_starts.push(self.walker.leaves.len());
        self.started = false;
        Some(())
    }

    fn no_leaves(&self) -> bool {
        self.walker.leaves.is_empty()
    }

    /// The end of the text: a last pending key is empty, blocks close.
    fn finish(&mut self, len: usize) -> Option<()> {
        self.end_literal()?;
        if self.marked && !self.started && !self.doc_starts.is_empty() {
            return None;
        }
        if let Some(pending) = self.pending.take() {
            self.empty(&pending)?;
        }
        while let Some(block) = self.blocks.pop() {
            self.close(block, u32::try_from(len).ok()?)?;
        }
        Some(())
    }

    /// A walker error (a duplicate key, too deep) is the full parser's to
    /// report.
    fn emit(&mut self, ev: &Ev<'a>) -> Option<()> {
        self.walker.live(ev).ok()
    }

    fn ev(&self, kind: Kind, text: Cow<'a, str>, start: u32, end: u32, at: usize) -> Ev<'a> {
        Ev {
            kind,
            style: ScalarStyle::Plain,
            tag: TagKind::None,
            anchor: 0,
            text,
            start,
            end,
            pos: self.pos(at),
        }
    }

    /// Line and column (in characters) of a byte offset in the line.
    fn pos(&self, at: usize) -> Position {
        let chars = if self.ascii { at } else { self.line[..at].chars().count() };
        Position { line: self.no, column: chars as u32 + 1 }
    }

    fn line_offset(&self, at: usize) -> u32 {
        (self.start + at) as u32
    }
}
