//! Comments of JSON with comments and JSON5: skipping them between tokens,
//! and reading a member's documentation from the text around it (the `//`
//! lines or `/* */` block right above its key, else the comment that ends
//! its value's line).

use super::Parser;

impl Parser<'_> {
    /// Skips one comment, or one JSON5 white-space character beyond the
    /// ASCII ones, at `pos`; false when there is none.
    pub(super) fn skip_comment_or_space(&mut self) -> bool {
        let rest = &self.bytes[self.pos..];
        if rest.starts_with(b"//") {
            // To the line break, which the caller counts (a lone `\r` ends
            // a line comment too).
            let len = rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len());
            self.pos += len;
            return true;
        }
        if rest.starts_with(b"/*") {
            let body = &self.text[self.pos + 2..];
            let len = body.find("*/").map_or(body.len(), |end| end + 2);
            let end = self.pos + 2 + len;
            for (i, _) in self.text[self.pos..end].match_indices('\n') {
                self.line += 1;
                self.line_start = self.pos + i + 1;
            }
            if len == body.len() && !body.ends_with("*/") {
                self.open_comment = Some(self.pos);
            }
            self.pos = end;
            return true;
        }
        if !self.json5() {
            return false;
        }
        let Some(c) = self.text[self.pos..].chars().next() else { return false };
        let space = matches!(
            c,
            '\u{b}' | '\u{c}' | '\u{a0}' | '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{1680}'
        ) || ('\u{2000}'..='\u{200a}').contains(&c)
            || matches!(c, '\u{202f}' | '\u{205f}' | '\u{3000}');
        if space {
            self.pos += c.len_utf8();
        }
        space
    }

    /// Whether the innermost container closes at `pos`.
    pub(super) fn at_close(&self, frame: usize) -> bool {
        let close = if self.frames[frame].is_object { b'}' } else { b']' };
        self.bytes.get(self.pos) == Some(&close)
    }

    /// The documentation of the value just read: comments above its key
    /// (or above the array item), else at the end of its line, else its
    /// array's.
    pub(super) fn doc(&self) -> Option<String> {
        above(self.text, self.doc_at).or_else(|| trailing(self.text, self.pos)).or_else(|| {
            let frame = self.frames.get(self.depth.checked_sub(1)?)?;
            if frame.is_object { None } else { frame.doc.clone() }
        })
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset).and_then(|before| before.rfind('\n')).map_or(0, |nl| nl + 1)
}

/// The comment lines right above the line of `start`, when only white
/// space precedes `start` on its line: `//` lines and `/* */` blocks, read
/// upward until a line that is neither. Joined with `\n`.
pub(super) fn above(text: &str, start: usize) -> Option<String> {
    let first = line_start(text, start);
    if !text.get(first..start)?.trim().is_empty() {
        return None;
    }
    let mut lines: Vec<&str> = Vec::new();
    let mut end = first;
    let mut in_block = false;
    while end > 0 {
        let begin = line_start(text, end - 1);
        let line = text.get(begin..end - 1)?.trim();
        end = begin;
        if in_block {
            match line.find("/*") {
                Some(open) if line[..open].trim().is_empty() => {
                    lines.push(block_line(&line[open + 2..]));
                    in_block = false;
                }
                Some(_) => return None,
                None => lines.push(block_line(line)),
            }
        } else if let Some(comment) = line.strip_prefix("//") {
            lines.push(comment.strip_prefix(' ').unwrap_or(comment).trim_end());
        } else if let Some(inner) = line.strip_suffix("*/") {
            match (inner.strip_prefix("/*"), inner.contains("/*")) {
                (Some(one), _) => lines.push(block_line(one)),
                // Code before the comment: it belongs to that code.
                (None, true) => break,
                (None, false) => {
                    lines.push(block_line(inner));
                    in_block = true;
                }
            }
        } else {
            break;
        }
    }
    if in_block {
        return None;
    }
    lines.reverse();
    let doc = lines.join("\n");
    let doc = doc.trim_matches('\n');
    (!doc.is_empty()).then(|| doc.to_owned())
}

/// One line of a block comment without its frame: a leading `*` of the
/// usual ` * ` style goes, and the blanks around it.
fn block_line(line: &str) -> &str {
    let line = line.trim();
    let line = line.strip_prefix('*').filter(|rest| !rest.starts_with('/')).unwrap_or(line);
    line.trim()
}

/// The comment after the value that ends at `end`, on the same line (after
/// an optional `,`).
pub(super) fn trailing(text: &str, end: usize) -> Option<String> {
    let rest = text.get(end..)?;
    let line = rest.split(['\n', '\r']).next().unwrap_or_default();
    let line = line.trim_start_matches([' ', '\t']);
    let line = line.strip_prefix(',').unwrap_or(line).trim_start_matches([' ', '\t']);
    let doc = if let Some(comment) = line.strip_prefix("//") {
        comment.trim()
    } else {
        let inner = line.strip_prefix("/*")?;
        block_line(&inner[..inner.find("*/")?])
    };
    (!doc.is_empty()).then(|| doc.to_owned())
}
