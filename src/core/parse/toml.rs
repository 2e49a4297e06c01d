//! TOML text → leaves: walks `toml_edit`'s span-keeping `Document` and emits
//! leaves in the order they are written in the file. Files in the common
//! subset are read by a hand-written fast path (`fast.rs`) with the same
//! result; it hands everything else, errors included, to `toml_edit`.

mod doc;
mod fast;
#[cfg(test)]
mod fast_gen;
mod fast_inline;
#[cfg(test)]
mod fast_tests;
mod fast_tree;
mod fast_value;
#[cfg(test)]
mod tests;

use std::ops::Range;

use toml_edit::{Document, Item, Table, TomlError, Value as TomlValue};

use crate::core::flatten::{Flattener, MAX_DEPTH};
use crate::core::leaf::{ParseError, Parsed, Position, Value};
use crate::core::source::LineIndex;

/// Parses a TOML document into leaves in file order.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    // Most config files lie in the subset the fast path reads, several
    // times faster than toml_edit; it hands anything else over.
    if let Some(parsed) = fast::try_parse(text) {
        return Ok(parsed);
    }
    parse_full(text)
}

/// The full parser: every file, every error. `parse` goes here when its
/// fast path hands a text over (`benches/core.rs` times both).
pub fn parse_full(text: &str) -> Result<Parsed, ParseError> {
    let index = LineIndex::new(text);
    if text.starts_with('\u{feff}') {
        // `source::decode` already removed the file's BOM, and toml_edit
        // would silently drop one more: a second BOM is not valid TOML.
        return Err(ParseError::at(
            index.position(0),
            "byte order mark (U+FEFF) after the start of the file",
        ));
    }
    let document = Document::parse(text).map_err(|err| to_parse_error(&err, text, &index))?;
    let mut walker = Walker { text, index, out: Flattener::for_text(text.len()) };
    walker.table(document.as_table())?;
    let mut parsed = walker.out.into_parsed();
    // toml_edit groups entries by table (and moves a table defined after its
    // sub-tables to the end of its parent), while the contract wants the
    // order of the file: every leaf's position is distinct, so sorting by it
    // restores that order. The sort is stable and linear on sorted input.
    parsed.leaves.sort_by_key(|leaf| (leaf.position.line, leaf.position.column));
    Ok(parsed)
}

/// `toml_edit`'s `Display` adds a multi-line snippet; its `message()` is the
/// one line the contract wants, and the span gives our own line/column.
fn to_parse_error(err: &TomlError, text: &str, index: &LineIndex<'_>) -> ParseError {
    let message = err
        .message()
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("invalid TOML");
    let written = err
        .span()
        .and_then(|span| text.get(span))
        .filter(|key| !key.is_empty() && key.len() <= 80 && !key.contains('\n'));
    let message = if message.contains("max recursion depth") || message == "recursion limit" {
        // The parser's own limit (80 nested inline arrays/tables or dotted
        // key segments) is stricter than the contract's 256; say so plainly.
        "nesting too deep for the TOML parser (more than 80 levels)".to_owned()
    } else if let (Some(key), "duplicate key") = (written, message) {
        // toml_edit points at the key but does not name it.
        format!("duplicate key `{key}`")
    } else {
        message.to_owned()
    };
    match err.span() {
        Some(span) => ParseError::at(index.position(span.start), message),
        None => ParseError::nowhere(message),
    }
}

struct Walker<'a> {
    text: &'a str,
    index: LineIndex<'a>,
    out: Flattener,
}

impl Walker<'_> {
    fn pos(&self, offset: usize) -> Position {
        self.index.position(offset)
    }

    /// Where a nesting error would be reported: the Flattener only reads
    /// it once `MAX_DEPTH` is reached, so the lookup is skipped before that
    /// (it is a binary search and a character count per key otherwise).
    fn depth_pos(&self, offset: usize) -> Position {
        if self.out.depth() >= MAX_DEPTH { self.pos(offset) } else { Position::default() }
    }

    fn table(&mut self, table: &Table) -> Result<(), ParseError> {
        for (name, item) in table {
            let key_span = table.key(name).and_then(toml_edit::Key::span);
            let at = key_span.as_ref().map_or(0, |span| span.start);
            self.out.enter_key(name, self.depth_pos(at))?;
            self.item(item, key_span)?;
            self.out.leave();
        }
        Ok(())
    }

    fn item(&mut self, item: &Item, key_span: Option<Range<usize>>) -> Result<(), ParseError> {
        match item {
            Item::None => Ok(()),
            Item::Value(value) => self.value(value, key_span.as_ref(), None),
            Item::Table(table) if table.is_empty() => {
                let header = table.span().or_else(|| key_span.clone());
                let at = key_span.or_else(|| header.clone()).map_or(0, |s| s.start);
                self.empty_header_table(header, at);
                Ok(())
            }
            Item::Table(table) => self.table(table),
            Item::ArrayOfTables(tables) => {
                for (i, table) in tables.iter().enumerate() {
                    let header = table.span();
                    // Only the first `[[name]]` header's key is kept by
                    // toml_edit, so each element points at its own header.
                    let at =
                        header.as_ref().map_or(0, |span| doc::header_key_start(self.text, span));
                    self.out.enter_index(i, self.depth_pos(at))?;
                    if table.is_empty() {
                        self.empty_header_table(header, at);
                    } else {
                        self.table(table)?;
                    }
                    self.out.leave();
                }
                Ok(())
            }
        }
    }

    /// A `[name]` or `[[name]]` with no keys: an empty map at its key, whose
    /// span is the header (there is no value text to edit).
    fn empty_header_table(&mut self, header: Option<Range<usize>>, key_at: usize) {
        let doc = header.as_ref().and_then(|span| {
            doc::above(self.text, span.start).or_else(|| doc::trailing(self.text, span.end))
        });
        let span =
            header.map_or((key_at as u32, key_at as u32), |s| (s.start as u32, s.end as u32));
        self.out.leaf(Value::EmptyMap, self.pos(key_at), span, doc);
    }

    /// `key` is the span of the key this value is written under (None for
    /// an array element); `inherited` is the doc of the inline array or
    /// table around it, since a comment at the end of `ports = [80, 443]`
    /// documents every element.
    fn value(
        &mut self,
        value: &TomlValue,
        key: Option<&Range<usize>>,
        inherited: Option<&str>,
    ) -> Result<(), ParseError> {
        let span = value.span();
        let doc = span
            .as_ref()
            .and_then(|span| self.own_doc(key, span))
            .or_else(|| inherited.map(str::to_owned));
        let span = span.or_else(|| key.cloned()).unwrap_or_default();
        let key_at = key.map_or(span.start, |key| key.start);
        let (leaf, at) = match value {
            TomlValue::Array(items) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    let at = item.span().map_or(span.start, |s| s.start);
                    self.out.enter_index(i, self.depth_pos(at))?;
                    self.value(item, None, doc.as_deref())?;
                    self.out.leave();
                }
                return Ok(());
            }
            TomlValue::InlineTable(table) if !table.is_empty() => {
                for (name, item) in table {
                    let key_span = table.key(name).and_then(toml_edit::Key::span);
                    let at = key_span.as_ref().map_or(span.start, |s| s.start);
                    self.out.enter_key(name, self.depth_pos(at))?;
                    self.value(item, key_span.as_ref(), doc.as_deref())?;
                    self.out.leave();
                }
                return Ok(());
            }
            TomlValue::Array(_) => (Value::EmptyList, key_at),
            TomlValue::InlineTable(_) => (Value::EmptyMap, key_at),
            TomlValue::String(s) => (Value::String(s.value().as_str().into()), span.start),
            TomlValue::Integer(i) => (Value::Int(*i.value()), span.start),
            TomlValue::Float(f) => (Value::Float(*f.value()), span.start),
            TomlValue::Boolean(b) => (Value::Bool(*b.value()), span.start),
            TomlValue::Datetime(d) => {
                let written = self
                    .text
                    .get(span.clone())
                    .map_or_else(|| d.value().to_string(), str::to_owned);
                (Value::Datetime(written), span.start)
            }
        };
        let span = (span.start as u32, span.end as u32);
        self.out.leaf(leaf, self.pos(at), span, doc);
        Ok(())
    }

    /// The comment lines above the key (or above an array element that
    /// starts its line), else the comment ending the value's line.
    fn own_doc(&self, key: Option<&Range<usize>>, value: &Range<usize>) -> Option<String> {
        let start = match key {
            Some(key) => doc::key_line_start(self.text, key),
            None => Some(value.start),
        };
        start
            .and_then(|start| doc::above(self.text, start))
            .or_else(|| doc::trailing(self.text, value.end))
    }
}
