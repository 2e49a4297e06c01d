//! The TOML fast path: one line-oriented pass over the subset config files
//! are made of (`[a.b]` headers and `a.b = value` lines with bare keys,
//! one-line strings, numbers, booleans, dates, arrays and inline tables
//! that close on their line, comments, blank lines, LF or CRLF), producing the leaves `toml::parse`
//! would, in file order, without building a document. It gives up (`None`)
//! on anything else, anything doubtful and any error: the full parser then
//! reads the file and reports errors. `fast_tests.rs` checks that every
//! file it accepts reads exactly as the full parser reads it.

use super::doc;
use super::fast_tree::{ROOT, Tree};
use super::fast_value::is_control;
use crate::core::keys::PathList;
use crate::core::leaf::{Leaf, Origin, Parsed, Position, Value, Written};

/// Deepest key path taken on (header and key segments, array and inline
/// table levels, inline keys' segments): far below the Flattener's 256
/// levels and `toml_edit`'s limit of 80, whose errors only the full parser
/// reports.
pub(super) const MAX_DEPTH: usize = 64;

/// Reads `text` if it lies within the subset; `None` hands it over.
pub(super) fn try_parse(text: &str) -> Option<Parsed> {
    if u32::try_from(text.len()).is_err() || text.starts_with('\u{feff}') {
        return None;
    }
    let mut fast = Fast::new(text);
    let mut start = 0;
    while start < text.len() {
        // A plain loop: lines are short, and beat `memchr`'s set-up here.
        let (end, next) = text.as_bytes()[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or((text.len(), text.len()), |i| (start + i, start + i + 1));
        let mut line = &text[start..end];
        if next > end {
            // CRLF; a CR anywhere else is a control character.
            line = line.strip_suffix('\r').unwrap_or(line);
        }
        fast.no += 1;
        fast.start = start;
        fast.line(line)?;
        start = next;
    }
    Some(fast.finish())
}

/// The leaf of a `[header]` not yet known to be empty.
#[derive(Debug)]
struct EmptyTable {
    node: u32,
    leaf: Leaf,
}

pub(super) struct Fast<'a> {
    text: &'a str,
    pub(super) leaves: Vec<Leaf>,
    paths: PathList,
    pub(super) tree: Tree<'a>,
    /// The table of the current section, its path as written and depth.
    table: u32,
    table_path: &'a str,
    table_depth: usize,
    /// The current section's header, while no key followed it.
    pending: Option<EmptyTable>,
    /// The current line, its number and byte offset; the previous line
    /// was a full-line comment (only then can a key have comments above).
    pub(super) line: &'a str,
    no: u32,
    start: usize,
    after_comment: bool,
    /// Byte offset and 1-based column last counted on this line.
    cursor: (usize, u32),
}

impl<'a> Fast<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            leaves: Vec::with_capacity(text.len() / 32),
            paths: PathList::with_capacity(text.len() / 32),
            tree: Tree::new(text.len() / 40),
            table: ROOT,
            table_path: "",
            table_depth: 0,
            pending: None,
            line: "",
            no: 0,
            start: 0,
            after_comment: false,
            cursor: (0, 1),
        }
    }

    fn line(&mut self, line: &'a str) -> Option<()> {
        self.line = line;
        self.cursor = (0, 1);
        let at = skip_blanks(line, 0);
        let comment = match line.as_bytes().get(at) {
            None => false,
            Some(b'#') => {
                comment_ok(&line[at..])?;
                true
            }
            Some(b'[') => {
                self.header(at)?;
                false
            }
            Some(_) => {
                self.entry(at)?;
                false
            }
        };
        self.after_comment = comment;
        Some(())
    }

    /// A `[a.b]` header whose `[` is at `at`; `[[…]]` is left out.
    fn header(&mut self, at: usize) -> Option<()> {
        self.flush_pending();
        let Key { text: path, end: key_end, last, segments: depth } = key(self.line, at + 1)?;
        if self.line.as_bytes().get(key_end) != Some(&b']') {
            return None;
        }
        let comment = trail(self.line, key_end + 1)?;
        if depth > MAX_DEPTH {
            return None;
        }
        let (node, created) = self.tree.header(path)?;
        self.table = node;
        self.table_path = path;
        self.table_depth = depth;
        if created {
            // Empty unless a key or a sub-table follows: an empty map at
            // its key, spanning the header.
            let span = (self.offset(at), self.offset(key_end + 1));
            let doc = self.doc(at, comment.then_some(key_end + 1));
            // toml_edit keeps the span of the last segment as the key's.
            let position = self.pos(last);
            let leaf = self.new_leaf(path, Value::EmptyMap, position, span, doc);
            self.pending = Some(EmptyTable { node, leaf });
        }
        Some(())
    }

    /// A `key = value` line whose key starts at `at`.
    fn entry(&mut self, at: usize) -> Option<()> {
        self.pending = None;
        let Key { text: key, end: key_end, last, segments } = key(self.line, at)?;
        let eq = skip_blanks(self.line, key_end);
        if self.line.as_bytes().get(eq) != Some(&b'=') {
            return None;
        }
        let depth = self.table_depth + segments;
        if depth > MAX_DEPTH {
            return None;
        }
        let node = self.tree.key(self.table, key)?;
        let mut path = String::with_capacity(self.table_path.len() + key.len() + 8);
        if !self.table_path.is_empty() {
            path.push_str(self.table_path);
            path.push('.');
        }
        path.push_str(key);
        let value_at = skip_blanks(self.line, eq + 1);
        let first = self.leaves.len();
        let end = self.value(&mut path, value_at, Some(last), (Some(node), depth))?;
        let comment = trail(self.line, end)?;
        // The leaves inside an array or inline table inherit its doc: none
        // has its own, as none starts its line or ends it before a comment.
        if let Some(doc) = self.doc(at, comment.then_some(end)) {
            for leaf in &mut self.leaves[first..] {
                leaf.doc = Some(doc.as_str().into());
            }
        }
        Some(())
    }

    /// The previous section's header had no key: its table is empty so
    /// far (a later sub-table header makes its leaf dead).
    fn flush_pending(&mut self) {
        if let Some(EmptyTable { node, leaf }) = self.pending.take() {
            self.tree.set_empty_leaf(node, self.leaves.len());
            self.leaves.push(leaf);
        }
    }

    /// A table's leaf that a later line shows not to be empty stays in
    /// the paths, unused: no other leaf can have its path.
    fn finish(mut self) -> Parsed {
        self.flush_pending();
        let mut leaves = self.leaves;
        self.tree.remove_dead(&mut leaves);
        Parsed { leaves, paths: self.paths, encryption: None }
    }

    pub(super) fn new_leaf(
        &mut self,
        path: &str,
        value: Value,
        position: Position,
        span: (u32, u32),
        doc: Option<String>,
    ) -> Leaf {
        let key = self.paths.push(path);
        Leaf {
            key,
            value,
            position,
            span,
            doc: doc.map(Into::into),
            origin: Origin::Direct,
            written: Written::Text,
        }
    }

    /// The doc of what starts its line at `at` (a key or header): the
    /// comment lines right above, else the comment after `end` if one is
    /// there. Both read by the full parser's own functions.
    fn doc(&self, at: usize, end: Option<usize>) -> Option<String> {
        let above = if self.after_comment { doc::above(self.text, self.start + at) } else { None };
        above.or_else(|| end.and_then(|end| doc::trailing(self.text, self.start + end)))
    }

    /// Line and column (in characters) of a byte offset in the line.
    pub(super) fn pos(&mut self, at: usize) -> Position {
        let (from, column) = if at >= self.cursor.0 { self.cursor } else { (0, 1) };
        let between = &self.line.as_bytes()[from..at];
        let chars =
            if between.is_ascii() { between.len() } else { self.line[from..at].chars().count() };
        let column = column + chars as u32;
        self.cursor = (at, column);
        Position { line: self.no, column }
    }

    pub(super) fn offset(&self, at: usize) -> u32 {
        (self.start + at) as u32
    }
}

/// A dotted bare key as written (`a.b-c.d_1`): no quotes, no blanks
/// around the dots.
pub(super) struct Key<'a> {
    pub(super) text: &'a str,
    /// Offsets in the line of its end and of its last segment.
    pub(super) end: usize,
    pub(super) last: usize,
    pub(super) segments: usize,
}

/// The key starting at `at`, if there is one.
pub(super) fn key(line: &str, at: usize) -> Option<Key<'_>> {
    let bytes = line.as_bytes();
    let mut i = at;
    let mut segments = 0;
    loop {
        let segment = i;
        while bytes.get(i).is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            i += 1;
        }
        if i == segment {
            return None;
        }
        segments += 1;
        if bytes.get(i) != Some(&b'.') {
            return Some(Key { text: &line[at..i], end: i, last: segment, segments });
        }
        i += 1;
    }
}

/// After a value or header: blanks, then the end of the line or a
/// comment. Returns whether there is a comment.
fn trail(line: &str, at: usize) -> Option<bool> {
    let i = skip_blanks(line, at);
    match line.as_bytes().get(i) {
        None => Some(false),
        Some(b'#') => comment_ok(&line[i..]).map(|()| true),
        Some(_) => None,
    }
}

/// A comment may hold anything but control characters.
fn comment_ok(comment: &str) -> Option<()> {
    (!comment.bytes().any(is_control)).then_some(())
}

pub(super) fn skip_blanks(line: &str, at: usize) -> usize {
    let rest = line.as_bytes().get(at..).unwrap_or_default();
    at + rest.iter().take_while(|&&b| b == b' ' || b == b'\t').count()
}
