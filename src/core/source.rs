//! A loaded file's text: the checks every format shares (size, NUL, UTF-8,
//! BOM), the map from byte offsets to 1-based line and column, and a
//! file's error located for the user.

use super::leaf::{ParseError, Position};

/// A file that did not load, located for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub rel_path: String,
    pub position: Option<Position>,
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some(p) => write!(f, "{}:{}:{}: {}", self.rel_path, p.line, p.column, self.message),
            None => write!(f, "{}: {}", self.rel_path, self.message),
        }
    }
}

/// Largest config file envlens reads (§2).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

const BOM: &str = "\u{feff}";

/// Checks raw bytes and returns the text to parse, without a UTF-8 BOM,
/// and the number of bytes the BOM took (0 or 3).
pub fn decode(bytes: &[u8]) -> Result<(&str, usize), ParseError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ParseError::nowhere(format!(
            "file is {} bytes, over the 64 MiB limit",
            bytes.len()
        )));
    }
    if let Some(encoding) = wide_encoding(bytes) {
        return Err(ParseError::nowhere(format!("file is {encoding}; config files must be UTF-8")));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let at = LineIndex::new(&String::from_utf8_lossy(&bytes[..err.valid_up_to()]))
                .position(err.valid_up_to());
            return Err(ParseError::at(at, "invalid UTF-8"));
        }
    };
    if let Some(nul) = text.find('\0') {
        return Err(ParseError::at(LineIndex::new(text).position(nul), "NUL byte in a text file"));
    }
    Ok(match text.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (text, 0),
    })
}

/// The name of a UTF-16 or UTF-32 encoding the bytes are in, by their
/// byte-order mark, or for UTF-16 without one by a NUL in the first pair
/// beside a non-NUL (ASCII text in UTF-16): "NUL byte" would not tell a
/// user what is wrong with a file an editor saved as "Unicode".
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some("UTF-32");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("UTF-16");
    }
    match bytes {
        [0, b, ..] | [b, 0, ..] if *b != 0 => Some("UTF-16 (without a byte-order mark)"),
        _ => None,
    }
}

/// Byte offset → line and column (columns count characters, from 1).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, line_starts }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        Position { line: line as u32 + 1, column: column as u32 + 1 }
    }
}

/// Byte offset → line and column like `LineIndex`, for a parser that asks
/// in increasing order (one pass over the text): it counts the line breaks
/// since the offset asked last instead of building a table of every line
/// start first. An offset before the last line asked starts it over.
#[derive(Debug, Clone)]
pub struct LineCursor<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
    line_start: usize,
}

impl<'a> LineCursor<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { text, offset: 0, line: 1, line_start: 0 }
    }

    pub fn position(&mut self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        if offset < self.line_start {
            *self = Self::new(self.text);
        }
        if offset > self.offset {
            let between = &self.text.as_bytes()[self.offset..offset];
            if let Some(last) = between.iter().rposition(|&b| b == b'\n') {
                #[allow(
                    clippy::naive_bytecount,
                    reason = "offsets asked in turn are a line or two apart: a crate would not pay"
                )]
                let breaks = between.iter().filter(|&&b| b == b'\n').count();
                self.line += breaks as u32;
                self.line_start = self.offset + last + 1;
            }
        }
        self.offset = self.offset.max(offset);
        let start = self.line_start;
        let column = match self.text.get(start..offset) {
            Some(s) if s.is_ascii() => s.len(),
            Some(s) => s.chars().count(),
            None => offset - start,
        };
        Position { line: self.line, column: column as u32 + 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let index = LineIndex::new("ab\nxé: 1\r\nlast");
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(index.position(3), Position { line: 2, column: 1 });
        assert_eq!(index.position(7), Position { line: 2, column: 4 });
        assert_eq!(index.position(11), Position { line: 3, column: 1 });
    }

    #[test]
    fn cursor_agrees_with_the_index_in_any_order() {
        let text = "ab\nxé: 1\r\n\nlast\n";
        let index = LineIndex::new(text);
        let mut cursor = LineCursor::new(text);
        let offsets = [0, 1, 3, 7, 5, 11, 12, 2, 13, 14, 17, 99];
        for offset in offsets {
            assert_eq!(cursor.position(offset), index.position(offset), "offset {offset}");
        }
    }

    #[test]
    fn strips_bom_and_refuses_bad_bytes() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1").unwrap(), ("a: 1", 3));
        let err = decode(b"a: 1\nb: \xFF\n").unwrap_err();
        assert_eq!(err.position, Some(Position { line: 2, column: 4 }));
        let err = decode(b"a: 1\n\0").unwrap_err();
        assert!(err.message.contains("NUL"));
        assert!(decode(b"\xFF\xFEa\0").unwrap_err().message.contains("UTF-16"));
        assert!(decode(b"a\x00=\x001\x00").unwrap_err().message.contains("UTF-16"));
        assert!(decode(b"\xFF\xFE\0\0a\0\0\0").unwrap_err().message.contains("UTF-32"));
    }
}
