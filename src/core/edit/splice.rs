//! One change to a file's text: a byte range replaced by new text, and the
//! preview of the line it changes, with a secret's text masked.

use crate::core::secret::MASK;

/// A replacement of `start..end` of the (BOM-less) text by `text`, where
/// `value` is the range of the value's own text inside `text` (an added
/// key's change also holds the key and line break).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Change {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub value: std::ops::Range<usize>,
}

impl Change {
    /// A value replaced in place. An empty YAML value right after its `:`
    /// gets a space, or `key:32` would be one plain string.
    pub fn value(source: &str, span: (u32, u32), value: String) -> Self {
        let (start, end) = (span.0 as usize, span.1 as usize);
        let pad = start == end && source[..start].ends_with(':');
        let text = if pad { format!(" {value}") } else { value };
        let value = usize::from(pad)..text.len();
        Self { start, end, text, value }
    }

    pub fn apply(&self, source: &str) -> String {
        let mut out = String::with_capacity(source.len() + self.text.len());
        out.push_str(&source[..self.start]);
        out.push_str(&self.text);
        out.push_str(&source[self.end..]);
        out
    }

    /// Offset of the value's first byte in the new text.
    pub fn value_offset(&self) -> usize {
        self.start + self.value.start
    }
}

/// The line a change touches, before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// 1-based line of the value in the new file.
    pub line: u32,
    /// The old line (None for an added key).
    pub before: Option<String>,
    pub after: String,
}

impl std::fmt::Display for Preview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.before {
            Some(before) => write!(f, "{}: {} → {}", self.line, before.trim(), self.after.trim()),
            None => write!(f, "{}: + {}", self.line, self.after.trim()),
        }
    }
}

/// The preview of `change` on `source` (whose new form is `new`); the
/// value's text is replaced by `MASK` on both sides when `mask`.
pub(super) fn preview(
    source: &str,
    new: &str,
    change: &Change,
    added: bool,
    mask: bool,
) -> Preview {
    let at = change.value_offset();
    let value_end = change.start + change.value.end;
    let line = new[..at].matches('\n').count() as u32 + 1;
    let after = line_around(new, at, value_end, mask);
    let before = (!added).then(|| line_around(source, change.start, change.end, mask));
    Preview { line, before, after }
}

/// The line holding `start`, from its start to the end of the line holding
/// `end`; a value over several lines shows as its first line and `…`.
fn line_around(text: &str, start: usize, end: usize, mask: bool) -> String {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let (head, value, tail) = (&text[line_start..start], &text[start..end], &text[end..line_end]);
    let value = if mask { MASK } else { value };
    let whole = format!("{head}{value}{tail}");
    let mut lines = whole.lines();
    let first = lines.next().unwrap_or_default().trim_end_matches('\r').to_owned();
    if lines.next().is_some() { format!("{first} …") } else { first }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_previews_one_line() {
        let source = "a: 1\r\nbb: old # c\r\n";
        let change = Change::value(source, (10, 13), "new".to_owned());
        let new = change.apply(source);
        assert_eq!(new, "a: 1\r\nbb: new # c\r\n");
        let p = preview(source, &new, &change, false, false);
        assert_eq!(p.to_string(), "2: bb: old # c → bb: new # c");
        let p = preview(source, &new, &change, false, true);
        assert_eq!(p.to_string(), "2: bb: •••••••• # c → bb: •••••••• # c");
    }

    #[test]
    fn pads_an_empty_yaml_value() {
        let source = "a:\nb: 1\n";
        let change = Change::value(source, (2, 2), "32".to_owned());
        assert_eq!(change.apply(source), "a: 32\nb: 1\n");
    }
}
