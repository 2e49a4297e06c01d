//! The dotenv parser: `.env.<env>` files → one string leaf per `KEY=value`
//! line, with quoting, comments as documentation, and no `$VAR` expansion.

use rustc_hash::FxHashMap;

use crate::core::flatten::Flattener;
use crate::core::leaf::{ParseError, Parsed, Value, Written};
use crate::core::source::LineIndex;

/// Parses a dotenv file. Every value is a string; references such as
/// `${VAR}` are kept as written.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        index: LineIndex::new(text),
        flat: Flattener::for_text(text.len()),
        seen: FxHashMap::default(),
        doc_lines: Vec::new(),
    };
    let mut pos = 0;
    while pos < text.len() {
        pos = parser.line(pos)?;
    }
    Ok(parser.flat.into_parsed())
}

/// A value as read: its text, where it is written and its inline comment.
struct Read<'a> {
    value: String,
    span: (usize, usize),
    comment: Option<&'a str>,
    /// Offset after the value and its comment (end of its last line).
    end: usize,
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    index: LineIndex<'a>,
    flat: Flattener,
    /// Keys seen so far, with the line of their first assignment.
    seen: FxHashMap<&'a str, u32>,
    /// The `#` lines read since the last blank line or assignment.
    doc_lines: Vec<&'a str>,
}

impl<'a> Parser<'a> {
    /// Reads the line starting at `start`; returns where the next one starts.
    fn line(&mut self, start: usize) -> Result<usize, ParseError> {
        let end = self.line_end(start);
        let line = trim_cr(&self.text[start..end]);
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() {
            self.doc_lines.clear();
        } else if let Some(comment) = trimmed.strip_prefix('#') {
            let comment = comment.strip_prefix(' ').unwrap_or(comment);
            self.doc_lines.push(comment.trim_end());
        } else {
            let at = start + (line.len() - trimmed.len());
            let after = self.assignment(at)?;
            return Ok(self.next_line(after));
        }
        Ok(self.next_line(end))
    }

    /// `[export ]KEY = value [# comment]` starting at `at`.
    fn assignment(&mut self, mut at: usize) -> Result<usize, ParseError> {
        if let Some(rest) = self.text[at..].strip_prefix("export")
            && rest.starts_with([' ', '\t'])
        {
            at = self.skip_blanks(at + "export".len());
        }
        let key_start = at;
        if !self.bytes.get(at).is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_') {
            return Err(self.error(
                at,
                "expected `KEY=value`, a `# comment` or a blank line (keys are letters, digits and `_.-`, not starting with a digit)",
            ));
        }
        while self
            .bytes
            .get(at)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        {
            at += 1;
        }
        let key = &self.text[key_start..at];
        let key_pos = self.index.position(key_start);
        at = self.skip_blanks(at);
        if self.bytes.get(at) != Some(&b'=') {
            return Err(self.error(at, &format!("expected `=` after the key `{key}`")));
        }
        at = self.skip_blanks(at + 1);
        let literal = self.bytes.get(at) == Some(&b'\'');
        let read = match self.bytes.get(at) {
            Some(b'\'') => self.single_quoted(at)?,
            Some(b'"') => self.double_quoted(at)?,
            _ => self.unquoted(at),
        };
        if let Some(first) = self.seen.insert(key, key_pos.line) {
            return Err(ParseError::at(
                key_pos,
                format!("duplicate key `{key}` (first at line {first})"),
            ));
        }
        let position =
            if read.span.0 == read.span.1 { key_pos } else { self.index.position(read.span.0) };
        let doc = self.take_doc().or_else(|| read.comment.map(str::to_owned));
        self.flat.enter_key(key, key_pos)?;
        self.flat.leaf(
            Value::String(read.value.into()),
            position,
            (read.span.0 as u32, read.span.1 as u32),
            doc,
        );
        if literal {
            self.flat.mark_written(Written::Literal);
        }
        self.flat.leave();
        Ok(read.end)
    }

    /// The value runs to the end of the line; a `#` after white space starts
    /// a comment, so `a#b` keeps its `#` but `a # b` does not.
    fn unquoted(&self, start: usize) -> Read<'a> {
        let end = self.line_end(start);
        let rest = trim_cr(&self.text[start..end]);
        // `start` follows the blanks after `=`, so a `#` there is a comment
        // only when a blank came before it (`A= #x`, not `A=#x`).
        let hash = rest
            .char_indices()
            .find(|&(i, c)| c == '#' && self.text[..start + i].ends_with([' ', '\t']));
        let (value, comment) = match hash {
            Some((i, _)) => (&rest[..i], Some(rest[i + 1..].trim())),
            None => (rest, None),
        };
        let value = value.trim_end_matches([' ', '\t']);
        Read {
            value: value.to_owned(),
            span: (start, start + value.len()),
            comment: comment.filter(|c| !c.is_empty()),
            end,
        }
    }

    /// `'…'`: literal text, possibly over several lines.
    fn single_quoted(&self, open: usize) -> Result<Read<'a>, ParseError> {
        let Some(len) = self.text[open + 1..].find('\'') else {
            return Err(self.error(open, "unterminated `'` quote: the value is not closed"));
        };
        let close = open + 1 + len;
        let value = self.text[open + 1..close].replace("\r\n", "\n");
        self.after_quote(open, close + 1, value)
    }

    /// `"…"`: `\n`, `\t`, `\r`, `\"`, `\\` and `\$` are escapes; any other
    /// backslash is kept as written.
    fn double_quoted(&self, open: usize) -> Result<Read<'a>, ParseError> {
        let mut value = String::new();
        let mut run = open + 1;
        let mut i = run;
        loop {
            match self.bytes.get(i) {
                None => {
                    return Err(
                        self.error(open, "unterminated `\"` quote: the value is not closed")
                    );
                }
                Some(b'"') => break,
                Some(b'\\') => {
                    let decoded = match self.bytes.get(i + 1) {
                        Some(b'n') => '\n',
                        Some(b't') => '\t',
                        Some(b'r') => '\r',
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'$') => '$',
                        _ => {
                            i += 1;
                            continue;
                        }
                    };
                    value.push_str(&self.text[run..i]);
                    value.push(decoded);
                    i += 2;
                    run = i;
                }
                Some(b'\r') if self.bytes.get(i + 1) == Some(&b'\n') => {
                    // A CRLF file's line break inside the value is one `\n`.
                    value.push_str(&self.text[run..i]);
                    i += 1;
                    run = i;
                }
                Some(_) => i += 1,
            }
        }
        value.push_str(&self.text[run..i]);
        self.after_quote(open, i + 1, value)
    }

    /// After a closing quote only blanks and a comment may follow.
    fn after_quote(
        &self,
        open: usize,
        after: usize,
        value: String,
    ) -> Result<Read<'a>, ParseError> {
        let end = self.line_end(after);
        let rest = trim_cr(&self.text[after..end]).trim_start_matches([' ', '\t']);
        let comment = match rest.strip_prefix('#') {
            Some(comment) => Some(comment.trim()),
            None if rest.is_empty() => None,
            None => {
                return Err(
                    self.error(self.skip_blanks(after), "unexpected text after the closing quote")
                );
            }
        };
        Ok(Read { value, span: (open, after), comment: comment.filter(|c| !c.is_empty()), end })
    }

    /// The comment lines right above the current assignment, if any says
    /// something.
    fn take_doc(&mut self) -> Option<String> {
        let doc = self.doc_lines.join("\n");
        self.doc_lines.clear();
        (!doc.trim().is_empty()).then_some(doc)
    }

    fn skip_blanks(&self, mut at: usize) -> usize {
        while matches!(self.bytes.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        at
    }

    /// Offset of the `\n` ending the line that holds `at` (or the end).
    fn line_end(&self, at: usize) -> usize {
        self.text[at..].find('\n').map_or(self.text.len(), |i| at + i)
    }

    /// The start of the line after the one ending at `end`.
    fn next_line(&self, end: usize) -> usize {
        (end + 1).min(self.text.len())
    }

    #[cold]
    fn error(&self, offset: usize, message: &str) -> ParseError {
        ParseError::at(self.index.position(offset), message)
    }
}

fn trim_cr(line: &str) -> &str {
    line.strip_suffix('\r').unwrap_or(line)
}

#[cfg(test)]
mod tests;
