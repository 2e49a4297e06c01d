//! INI files (`.ini`, `.cfg`) → leaves, by the rules of Python's
//! `configparser` with its defaults: `[section]` headers (the first key
//! segment), `key = value` or `key: value` (keys lowercased, as
//! `optionxform` does), values continued on more-indented lines, `#` and
//! `;` comment lines (documentation, §6), no inline comments, duplicates
//! refused (`strict`), and `[DEFAULT]` as a base layer of the file's other
//! sections: a default a section does not set is a leaf of that section
//! too, reached through a merge (`Origin::Merge`), so an edit of it says
//! where it lives. Values are strings, kept as written (`%(name)s` is not
//! interpolated).

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::core::flatten::Flattener;
use crate::core::leaf::{Origin, ParseError, Parsed, Position, Value};
use crate::core::source::{LineCursor, LineIndex};

#[cfg(test)]
mod tests;

/// The section whose options every other section inherits.
pub const DEFAULT_SECTION: &str = "DEFAULT";

/// Parses an INI file; every value is a string.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let mut reader = Reader {
        text,
        cursor: LineCursor::new(text),
        sections: Vec::new(),
        by_name: FxHashMap::default(),
        current: None,
        indent: usize::MAX,
        doc_lines: Vec::new(),
    };
    let mut start = 0;
    while start < text.len() {
        let end = text.as_bytes()[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |i| start + i);
        reader.line(start, end)?;
        start = end + 1;
    }
    Ok(reader.flatten(text.len()))
}

/// One option as read; text borrowed from the file where it can be.
struct Option_<'a> {
    name: Cow<'a, str>,
    at: Position,
    /// Where the value's text starts, when that is on the option's line.
    value_at: Option<Position>,
    /// The lines of the value, each stripped, joined with `\n`.
    value: Cow<'a, str>,
    /// Where the value's text starts and ends in the file.
    span: (usize, usize),
    doc: Option<String>,
}

struct Section<'a> {
    name: &'a str,
    at: Position,
    header: (usize, usize),
    doc: Option<String>,
    options: Vec<Option_<'a>>,
    /// Option names seen, with their line.
    seen: FxHashMap<Cow<'a, str>, u32>,
}

struct Reader<'a> {
    text: &'a str,
    cursor: LineCursor<'a>,
    sections: Vec<Section<'a>>,
    by_name: FxHashMap<&'a str, usize>,
    /// The section being read, and whether its last option takes
    /// continuation lines.
    current: Option<(usize, bool)>,
    /// Indentation of the last header or option line.
    indent: usize,
    doc_lines: Vec<&'a str>,
}

/// Python's `str.strip()` white space, as far as config files hold it.
fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// `text` without leading and trailing white space (bytes first: lines are
/// ASCII at their ends nearly always).
fn strip(text: &str) -> &str {
    let bytes = text.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => text,
        _ => text.trim_matches(is_space),
    }
}

impl<'a> Reader<'a> {
    fn line(&mut self, start: usize, end: usize) -> Result<(), ParseError> {
        let line = &self.text[start..end];
        let stripped = strip(line);
        if stripped.starts_with(['#', ';']) {
            let comment = stripped[1..].strip_prefix(' ').unwrap_or(&stripped[1..]);
            self.doc_lines.push(comment.trim_end());
            return Ok(());
        }
        if stripped.is_empty() {
            self.doc_lines.clear();
            if let Some(option) = self.open_option() {
                option.value.to_mut().push('\n');
            }
            return Ok(());
        }
        let indent = if line.as_bytes().first().is_some_and(u8::is_ascii_graphic) {
            0
        } else {
            line.len() - line.trim_start_matches(is_space).len()
        };
        let content = start + indent;
        if indent > self.indent
            && let Some(option) = self.open_option()
        {
            let value = option.value.to_mut();
            value.push('\n');
            value.push_str(stripped);
            option.span.1 = content + stripped.len();
            return Ok(());
        }
        self.indent = indent;
        if let Some(header) = section_header(stripped) {
            return self.section(header, content, content + stripped.len());
        }
        self.option(content, stripped)
    }

    /// The option that a continuation line would extend.
    fn open_option(&mut self) -> Option<&mut Option_<'a>> {
        match self.current {
            Some((section, true)) => self.sections[section].options.last_mut(),
            _ => None,
        }
    }

    fn section(&mut self, name: &'a str, at: usize, end: usize) -> Result<(), ParseError> {
        let position = self.cursor.position(at);
        let doc = self.take_doc();
        if let Some(&existing) = self.by_name.get(name) {
            if name != DEFAULT_SECTION {
                let first = self.sections[existing].at.line;
                return Err(ParseError::at(
                    position,
                    format!("duplicate section `[{name}]` (first at line {first})"),
                ));
            }
            self.current = Some((existing, false));
            return Ok(());
        }
        self.by_name.insert(name, self.sections.len());
        self.current = Some((self.sections.len(), false));
        self.sections.push(Section {
            name,
            at: position,
            header: (at, end),
            doc,
            options: Vec::new(),
            seen: FxHashMap::default(),
        });
        Ok(())
    }

    /// `name = value` or `name: value` at `at` (the line's first byte after
    /// its indentation).
    fn option(&mut self, at: usize, stripped: &'a str) -> Result<(), ParseError> {
        let position = self.cursor.position(at);
        let Some((section, _)) = self.current else {
            return Err(ParseError::at(
                position,
                "expected a `[section]` header before the first option",
            ));
        };
        let Some(delimiter) = stripped.bytes().position(|b| b == b'=' || b == b':') else {
            return Err(ParseError::at(
                position,
                "expected `name = value`, `name: value`, a `[section]`, a comment or a blank line",
            ));
        };
        let name = stripped[..delimiter].trim_end_matches(is_space);
        if name.is_empty() {
            return Err(ParseError::at(position, "an option needs a name before `=` or `:`"));
        }
        let name = if name.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
            Cow::Owned(name.to_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        let after = &stripped[delimiter + 1..];
        let value = strip(after);
        let value_start =
            at + delimiter + 1 + (after.len() - after.trim_start_matches(is_space).len());
        let doc = self.take_doc();
        let target = &mut self.sections[section];
        if let Some(first) = target.seen.insert(name.clone(), position.line) {
            return Err(ParseError::at(
                position,
                format!("duplicate option `{name}` in `[{}]` (first at line {first})", target.name),
            ));
        }
        let value_at = (!value.is_empty()).then(|| self.cursor.position(value_start));
        let target = &mut self.sections[section];
        target.options.push(Option_ {
            name,
            at: position,
            value_at,
            value: Cow::Borrowed(value),
            span: (value_start, value_start + value.len()),
            doc,
        });
        self.current = Some((section, true));
        Ok(())
    }

    fn take_doc(&mut self) -> Option<String> {
        let doc = self.doc_lines.join("\n");
        self.doc_lines.clear();
        let doc = doc.trim_matches('\n');
        (!doc.trim().is_empty()).then(|| doc.to_owned())
    }

    /// The leaves in file order: each section's options, then the defaults
    /// it inherits; `[DEFAULT]` itself as the section it is.
    fn flatten(self, len: usize) -> Parsed {
        let mut flat = Flattener::for_text(len);
        let defaults = self.by_name.get(DEFAULT_SECTION).map(|&i| &self.sections[i]);
        for section in &self.sections {
            let is_default = section.name == DEFAULT_SECTION;
            let inherited: Vec<&Option_<'_>> = match defaults {
                Some(defaults) if !is_default => defaults
                    .options
                    .iter()
                    .filter(|o| !section.seen.contains_key(&o.name))
                    .collect(),
                _ => Vec::new(),
            };
            // No nesting below a section: depth errors cannot happen.
            let _ = flat.enter_key(section.name, section.at);
            if section.options.is_empty() && inherited.is_empty() {
                let span = (section.header.0 as u32, section.header.1 as u32);
                flat.leaf(Value::EmptyMap, section.at, span, section.doc.clone());
            }
            let own = section.options.iter().map(|o| (o, Origin::Direct));
            for (option, origin) in own.chain(inherited.into_iter().map(|o| (o, Origin::Merge))) {
                let _ = flat.enter_key(&option.name, option.at);
                self.emit(&mut flat, option, origin);
                flat.leave();
            }
            flat.leave();
        }
        flat.into_parsed()
    }

    fn emit(&self, flat: &mut Flattener, option: &Option_<'_>, origin: Origin) {
        let value = option.value.trim_end_matches(is_space);
        let position = match option.value_at {
            _ if value.is_empty() => option.at,
            Some(at) => at,
            // The value starts on a continuation line: rare enough to
            // find it again.
            None => {
                let first_text =
                    self.text[option.span.0..option.span.1].find(|c: char| !is_space(c));
                first_text.map_or(option.at, |offset| {
                    LineIndex::new(self.text).position(option.span.0 + offset)
                })
            }
        };
        let span = (option.span.0 as u32, option.span.1 as u32);
        flat.leaf_from(Value::String(value.into()), position, span, option.doc.clone(), origin);
    }
}

/// The name of a `[section]` line: between its first `[` and its last `]`
/// (as configparser's `\[(?P<header>.+)\]` reads it, text after the `]`
/// is ignored).
fn section_header(stripped: &str) -> Option<&str> {
    let inner = stripped.strip_prefix('[')?;
    let close = inner.rfind(']')?;
    (close > 0).then(|| &inner[..close])
}
