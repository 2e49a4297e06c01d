//! JSON scalars: numbers, the words `true`/`false`/`null`, and strings with
//! their escapes, read by the parser of the parent module.

use std::borrow::Cow;

use super::Parser;
use crate::core::leaf::{ParseError, Value};

/// Bytes that end the fast scan of a string: the closing quote, an escape,
/// or a control character (which JSON forbids unescaped).
static STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = true;
        i += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

impl<'a> Parser<'a> {
    pub(super) fn word(&mut self, word: &str, value: Value) -> Result<Value, ParseError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error(
                self.pos,
                "expected a value (`true`, `false`, `null`, a number, a string, `{` or `[`)",
            ))
        }
    }

    pub(super) fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => {
                self.pos += 1;
                if self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
                    return Err(
                        self.error(start, "a number cannot start with `0` followed by digits")
                    );
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error(start, "invalid number: expected a digit")),
        }
        let mut is_float = false;
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            self.required_digits(start, "invalid number: expected a digit after `.`")?;
            is_float = true;
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.required_digits(start, "invalid number: expected a digit in the exponent")?;
            is_float = true;
        }
        let literal = &self.text[start..self.pos];
        if !is_float && let Ok(int) = literal.parse::<i64>() {
            return Ok(Value::Int(int));
        }
        match literal.parse::<f64>() {
            Ok(float) if float.is_finite() => Ok(Value::Float(float)),
            _ => Err(self.error(start, "number out of range")),
        }
    }

    pub(super) fn digits(&mut self) {
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
    }

    fn required_digits(&mut self, start: usize, message: &str) -> Result<(), ParseError> {
        let before = self.pos;
        self.digits();
        if self.pos == before {
            return Err(self.error(start, message));
        }
        Ok(())
    }

    /// Reads the string whose opening quote is at `pos`. Borrows from the
    /// text unless it holds escapes.
    pub(super) fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        let open = self.pos;
        let start = open + 1;
        let mut i = self.scan_plain(start);
        match self.bytes.get(i) {
            Some(b'"') => {
                self.pos = i + 1;
                return Ok(Cow::Borrowed(&self.text[start..i]));
            }
            Some(b'\\') => {}
            Some(_) => {
                return Err(self.error(i, "control character in a string (write it as an escape)"));
            }
            None => return Err(self.error(open, "unterminated string")),
        }
        let mut out = String::with_capacity(i - start + 16);
        out.push_str(&self.text[start..i]);
        loop {
            match self.bytes.get(i) {
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => i = self.escape(i, &mut out)?,
                Some(_) => {
                    return Err(
                        self.error(i, "control character in a string (write it as an escape)")
                    );
                }
                None => return Err(self.error(open, "unterminated string")),
            }
            let run = self.scan_plain(i);
            out.push_str(&self.text[i..run]);
            i = run;
        }
    }

    /// The first offset from `i` that holds a quote, backslash or control
    /// character (or the end).
    fn scan_plain(&self, mut i: usize) -> usize {
        while let Some(&b) = self.bytes.get(i) {
            if STRING_STOP[usize::from(b)] {
                break;
            }
            i += 1;
        }
        i
    }

    /// Decodes the escape at `at` (a backslash) into `out`; returns the
    /// offset after it.
    fn escape(&self, at: usize, out: &mut String) -> Result<usize, ParseError> {
        let decoded = match self.bytes.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(at, out),
            _ => return Err(self.error(at, "invalid escape in a string")),
        };
        out.push(decoded);
        Ok(at + 2)
    }

    /// `\uXXXX`, or a surrogate pair `\uD8xx\uDCxx`: JSON strings must become
    /// valid Unicode, so a lone surrogate is refused.
    pub(super) fn unicode_escape(&self, at: usize, out: &mut String) -> Result<usize, ParseError> {
        let unit = self
            .hex4(at + 2)
            .ok_or_else(|| self.error(at, "invalid `\\u` escape: expected 4 hex digits"))?;
        let (code, end) = match unit {
            0xD800..=0xDBFF => {
                let low = (self.bytes.get(at + 6..at + 8) == Some(b"\\u"))
                    .then(|| self.hex4(at + 8))
                    .flatten()
                    .filter(|low| (0xDC00..=0xDFFF).contains(low));
                let Some(low) = low else {
                    return Err(
                        self.error(at, "lone surrogate in a `\\u` escape (not valid Unicode)")
                    );
                };
                (0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), at + 12)
            }
            0xDC00..=0xDFFF => {
                return Err(self.error(at, "lone surrogate in a `\\u` escape (not valid Unicode)"));
            }
            _ => (unit, at + 6),
        };
        let c = char::from_u32(code).ok_or_else(|| self.error(at, "invalid `\\u` escape"))?;
        out.push(c);
        Ok(end)
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.bytes.get(at..at + 4)?;
        digits.iter().try_fold(0, |acc, &b| Some(acc * 16 + char::from(b).to_digit(16)?))
    }
}
