//! JSON5's values and keys beyond JSON: single-quoted strings with the
//! ECMAScript escapes and escaped line breaks, unquoted keys, and the
//! number forms `0x1F`, `+1`, `.5`, `5.`, `Infinity` and `NaN`.

use std::borrow::Cow;

use super::{Parser, Step};
use crate::core::leaf::{ParseError, Position, Value};

impl<'a> Parser<'a> {
    /// A JSON5 value at `pos` (see `value` for `holder`).
    pub(super) fn value5(&mut self, holder: Position) -> Result<Step, ParseError> {
        let start = self.pos;
        let value = match self.bytes.get(start) {
            Some(&open @ (b'{' | b'[')) => return Ok(self.open(open == b'{', holder)),
            Some(&quote @ (b'"' | b'\'')) => {
                let at = self.position(start);
                let text = self.string5(quote)?.into_owned();
                self.emit(Value::String(text.into()), at, start);
                return Ok(Step::Complete);
            }
            Some(b'-' | b'+' | b'.' | b'0'..=b'9' | b'I' | b'N') => self.number5()?,
            Some(b't') => self.word("true", Value::Bool(true))?,
            Some(b'f') => self.word("false", Value::Bool(false))?,
            Some(b'n') => self.word("null", Value::Null)?,
            Some(_) => return Err(self.error(start, "expected a value")),
            None => return Err(self.error(start, "unexpected end of file: expected a value")),
        };
        let at = self.position(start);
        self.emit(value, at, start);
        Ok(Step::Complete)
    }

    /// A JSON5 number: an optional sign, then `Infinity`, `NaN`, a hex
    /// integer or a decimal that may start or end with its point.
    fn number5(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        let negative = self.bytes.get(start) == Some(&b'-');
        if matches!(self.bytes.get(start), Some(b'-' | b'+')) {
            self.pos += 1;
        }
        let rest = &self.bytes[self.pos..];
        if rest.starts_with(b"Infinity") {
            self.pos += "Infinity".len();
            return Ok(Value::Float(if negative { f64::NEG_INFINITY } else { f64::INFINITY }));
        }
        if rest.starts_with(b"NaN") {
            self.pos += "NaN".len();
            return Ok(Value::Float(f64::NAN));
        }
        if rest.starts_with(b"0x") || rest.starts_with(b"0X") {
            self.pos += 2;
            let digits = self.pos;
            while self.bytes.get(self.pos).is_some_and(u8::is_ascii_hexdigit) {
                self.pos += 1;
            }
            let hex = &self.text[digits..self.pos];
            let magnitude = i64::from_str_radix(hex, 16).ok().filter(|_| !hex.is_empty());
            return match magnitude {
                Some(m) => Ok(Value::Int(if negative { -m } else { m })),
                None if hex.is_empty() => {
                    Err(self.error(start, "invalid number: expected hex digits"))
                }
                None => Err(self.error(start, "number out of range")),
            };
        }
        self.decimal5(start)
    }

    fn decimal5(&mut self, start: usize) -> Result<Value, ParseError> {
        let int_start = self.pos;
        if self.bytes.get(self.pos) == Some(&b'0')
            && self.bytes.get(self.pos + 1).is_some_and(u8::is_ascii_digit)
        {
            return Err(self.error(start, "a number cannot start with `0` followed by digits"));
        }
        self.digits();
        let mut digits = self.pos - int_start;
        let mut is_float = false;
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            let frac = self.pos;
            self.digits();
            digits += self.pos - frac;
            is_float = true;
        }
        if digits == 0 {
            return Err(self.error(start, "invalid number: expected a digit"));
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            let exp = self.pos;
            self.digits();
            if self.pos == exp {
                return Err(self.error(start, "invalid number: expected a digit in the exponent"));
            }
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

    /// A string in `quote`s with JSON5's escapes; a line break inside it
    /// must be escaped (and the escaped break is no character).
    pub(super) fn string5(&mut self, quote: u8) -> Result<Cow<'a, str>, ParseError> {
        let open = self.pos;
        let mut i = open + 1;
        let mut run = i;
        let mut out = String::new();
        let mut escaped = false;
        loop {
            match self.bytes.get(i) {
                None => return Err(self.error(open, "unterminated string")),
                Some(&b) if b == quote => {
                    self.pos = i + 1;
                    if !escaped {
                        return Ok(Cow::Borrowed(&self.text[run..i]));
                    }
                    out.push_str(&self.text[run..i]);
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    escaped = true;
                    out.push_str(&self.text[run..i]);
                    i = self.escape5(i, &mut out)?;
                    run = i;
                }
                Some(b'\n' | b'\r') => {
                    return Err(self.error(i, "line break in a string (end the line with `\\`)"));
                }
                Some(_) => i += 1,
            }
        }
    }

    /// The escape at `at` (a backslash) into `out`; returns the offset after.
    fn escape5(&mut self, at: usize, out: &mut String) -> Result<usize, ParseError> {
        let simple = match self.bytes.get(at + 1) {
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'v') => '\u{b}',
            Some(b'0') if !self.bytes.get(at + 2).is_some_and(u8::is_ascii_digit) => '\0',
            Some(b'u') => return self.unicode_escape(at, out),
            Some(b'x') => {
                let hex = self
                    .text
                    .get(at + 2..at + 4)
                    .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                let Some(code) = hex else {
                    return Err(self.error(at, "invalid `\\x` escape: expected 2 hex digits"));
                };
                out.push(char::from(code));
                return Ok(at + 4);
            }
            Some(b'\n') => return Ok(self.escaped_break(at + 2)),
            Some(b'\r') => {
                let after = at + 2 + usize::from(self.bytes.get(at + 2) == Some(&b'\n'));
                return Ok(self.escaped_break(after));
            }
            Some(b'1'..=b'9') => return Err(self.error(at, "invalid escape in a string")),
            Some(_) => {
                // Any other character stands for itself (`\'`, `\"`, `\\`,
                // `\/`, an escaped U+2028 line break too).
                let Some(c) = self.text[at + 1..].chars().next() else {
                    return Err(self.error(at, "unterminated string"));
                };
                if !matches!(c, '\u{2028}' | '\u{2029}') {
                    out.push(c);
                }
                return Ok(at + 1 + c.len_utf8());
            }
            None => return Err(self.error(at, "unterminated string")),
        };
        out.push(simple);
        Ok(at + 2)
    }

    /// After an escaped line break ending at `after`: the next line starts.
    fn escaped_break(&mut self, after: usize) -> usize {
        if self.bytes.get(after - 1) == Some(&b'\n') {
            self.line += 1;
            self.line_start = after;
        }
        after
    }

    /// An unquoted key: an ECMAScript identifier name (letters, `$`, `_`,
    /// then digits too; `\uXXXX` escapes allowed).
    pub(super) fn identifier(&mut self) -> Result<Cow<'a, str>, ParseError> {
        let start = self.pos;
        let mut i = start;
        let mut out: Option<String> = None;
        while let Some(c) = self.text[i..].chars().next() {
            let first = i == start;
            if c == '\\' {
                let mut decoded = String::new();
                if self.bytes.get(i + 1) != Some(&b'u') {
                    return Err(self.error(i, "invalid escape in a key"));
                }
                let end = self.unicode_escape(i, &mut decoded)?;
                let ok = decoded.chars().all(|d| is_id_char(d, first));
                if !ok {
                    return Err(self.error(i, "the escape is not a letter a key can hold"));
                }
                out.get_or_insert_with(|| self.text[start..i].to_owned()).push_str(&decoded);
                i = end;
                continue;
            }
            if !is_id_char(c, first) {
                break;
            }
            if let Some(out) = &mut out {
                out.push(c);
            }
            i += c.len_utf8();
        }
        if i == start {
            return Err(self.error(start, "expected a key: a name, or a string in quotes"));
        }
        self.pos = i;
        Ok(out.map_or(Cow::Borrowed(&self.text[start..i]), Cow::Owned))
    }
}

/// Whether `c` may be part of an identifier name (at its start when
/// `first`): ASCII letters, `$`, `_`, Unicode letters; digits, Unicode
/// digits and the joiners after the first.
fn is_id_char(c: char, first: bool) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic() || c == '$' || c == '_' || (!first && c.is_ascii_digit());
    }
    c.is_alphabetic() || (!first && (c.is_alphanumeric() || matches!(c, '\u{200c}' | '\u{200d}')))
}
