//! The text a new value is written as, per format: quoted exactly as much
//! as the format needs for the value to read back with the same type and
//! text, and in the quoting style the old value used where that style can
//! hold the new one (a `'single'` YAML string stays single-quoted).

use crate::core::leaf::Value;
use crate::core::parse::{self, Format};

/// The written form of `value` in `format`. `old` is the text being
/// replaced (None when a key is added). `Err` says why the format cannot
/// hold the value (no `null` in TOML, no infinity in JSON).
pub(super) fn render(format: Format, value: &Value, old: Option<&str>) -> Result<String, String> {
    let old = old.unwrap_or("");
    // A flag file's values are written as its JSON or YAML writes them.
    let format = format.text_format();
    if format == Format::Hcl && !old.is_empty() && !parse::hcl::is_literal(old) {
        return Err(
            "the value is an HCL expression, not a literal; edit the expression by hand".to_owned()
        );
    }
    match (format, value) {
        (_, Value::Bytes(_)) => {
            Err("the value is binary data; write it with kubectl or by hand".to_owned())
        }
        (Format::Dotenv, Value::String(s)) => Ok(dotenv_string(s, old)),
        (Format::Dotenv, _) => Err("dotenv values are all strings".to_owned()),
        (Format::Properties, Value::String(s)) => Ok(properties_string(s)),
        (Format::Properties, _) => Err(".properties values are all strings".to_owned()),
        (Format::Ini, Value::String(s)) => ini_string(s),
        (Format::Ini, _) => Err("INI values are all strings".to_owned()),
        (Format::Hcl, Value::String(s)) => Ok(hcl_string(s)),
        (_, Value::Int(i)) => Ok(i.to_string()),
        (_, Value::Bool(b)) => Ok(b.to_string()),
        (_, Value::Float(f)) => float_text(format, *f),
        (Format::Toml, Value::Null) => {
            Err("TOML has no null: remove the key by hand, or give it another type".to_owned())
        }
        (_, Value::Null) => Ok("null".to_owned()),
        (Format::Yaml, Value::String(s)) => Ok(yaml_string(s, old)),
        (Format::Json | Format::Jsonc | Format::Json5, Value::String(s)) => {
            serde_json::to_string(s.as_str()).map_err(|e| format!("cannot write the string: {e}"))
        }
        (Format::Toml, Value::String(s)) => Ok(toml_string(s, old)),
        (Format::Toml, Value::Datetime(d)) => toml_datetime(d),
        (_, Value::Datetime(_)) => Err("only TOML has datetimes".to_owned()),
        (_, Value::EmptyMap | Value::EmptyList) => {
            Err("an empty mapping or list cannot be written as a value here".to_owned())
        }
        (_, Value::Encrypted(_)) => {
            Err("an encrypted value is written by its encryption tool, not by envlens".to_owned())
        }
        (Format::Flagd | Format::Goff | Format::Flipt | Format::Unleash, Value::String(_)) => {
            Err("a flag file is written as its JSON or YAML".to_owned())
        }
    }
}

/// Shortest text that reads back as the same float and as a float (never
/// as an int: `2` is written `2.0`).
fn float_text(format: Format, f: f64) -> Result<String, String> {
    if f.is_finite() {
        let text = format!("{f:?}");
        return Ok(if text.contains(['.', 'e', 'E']) { text } else { format!("{text}.0") });
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    match format {
        Format::Yaml if f.is_nan() => Ok(".nan".to_owned()),
        Format::Yaml => Ok(format!("{sign}.inf")),
        Format::Toml if f.is_nan() => Ok("nan".to_owned()),
        Format::Toml => Ok(format!("{sign}inf")),
        Format::Json5 if f.is_nan() => Ok("NaN".to_owned()),
        Format::Json5 => Ok(format!("{sign}Infinity")),
        Format::Hcl => Err("HCL cannot hold infinity or NaN".to_owned()),
        _ => Err("JSON cannot hold infinity or NaN".to_owned()),
    }
}

/// A mapping key as YAML writes it: plain when it reads back as itself.
pub(super) fn yaml_key(key: &str) -> String {
    yaml_string(key, "")
}

/// A TOML key segment: bare when it can be, else a basic string.
pub(super) fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
    if bare { key.to_owned() } else { toml_string(key, "") }
}

/// Whether a string may be written as a plain YAML scalar: only when no
/// YAML 1.1 or 1.2 reader could read it as anything else (§ the quoting
/// trap in docs/dependencies.md). Quoting too much is harmless.
fn yaml_plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let safe_start = first.is_alphabetic() || matches!(first, '/' | '_' | '$');
    let safe_chars = s.chars().all(|c| {
        !c.is_control()
            && !matches!(c, ',' | '[' | ']' | '{' | '}' | '#' | '"' | '\'' | '`' | '\\')
            && (c == ' ' || !c.is_whitespace())
            && c != '\u{feff}'
    });
    safe_start
        && safe_chars
        && !s.contains(": ")
        && !s.ends_with(':')
        && !s.ends_with(' ')
        && !crate::core::leaf::looks_like_other_type(s)
        && reads_back_plain(s)
}

/// The proof: `k: <s>` parsed by envlens's YAML reader gives the string.
fn reads_back_plain(s: &str) -> bool {
    let doc = format!("k: {s}\n");
    let Ok(parsed) = parse::parse(Format::Yaml, &doc) else { return false };
    matches!(parsed.leaves.as_slice(),
        [leaf] if parsed.path(leaf) == "k" && leaf.value == Value::String(s.into()))
}

fn yaml_string(s: &str, old: &str) -> String {
    if old.starts_with('\'') && !needs_escape(s) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    if !old.starts_with('"') && yaml_plain_ok(s) {
        return s.to_owned();
    }
    yaml_double_quoted(s)
}

/// Characters a single-quoted or literal string cannot hold as written.
fn needs_escape(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'))
        || s.starts_with(' ')
        || s.ends_with(' ')
}

fn yaml_double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c.is_control() || c == '\u{feff}' => push_unicode_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn push_unicode_escape(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = write!(out, "\\u{:04X}", u32::from(c));
}

fn toml_string(s: &str, old: &str) -> String {
    let literal_ok = !s.contains('\'') && !needs_escape(s) && !s.contains('\n');
    if old.starts_with('\'') && !old.starts_with("'''") && literal_ok {
        return format!("'{s}'");
    }
    double_quoted(s, true)
}

/// A datetime is written as typed, once TOML has read it as one.
fn toml_datetime(text: &str) -> Result<String, String> {
    let doc = format!("k = {text}\n");
    match parse::parse(Format::Toml, &doc).as_ref().map(|p| p.leaves.as_slice()) {
        Ok([leaf]) if matches!(leaf.value, Value::Datetime(_)) => Ok(text.to_owned()),
        _ => Err(format!("{text:?} is not a TOML date or time (e.g. 2024-05-01T12:00:00Z)")),
    }
}

/// Plain when the text has nothing a dotenv or shell reader treats
/// specially; else single quotes when the old value used them and they
/// can hold it, else double quotes with `\n`, `\"`, `\\` escapes. `$` is
/// left as written, so that a `${VAR}` reference stays one.
fn dotenv_string(s: &str, old: &str) -> String {
    let plain = s.chars().all(|c| {
        !c.is_whitespace() && !c.is_control() && !matches!(c, '#' | '"' | '\'' | '\\' | '`')
    });
    if plain {
        return s.to_owned();
    }
    if old.starts_with('\'') && !s.contains('\'') && !needs_escape(s) {
        return format!("'{s}'");
    }
    double_quoted(s, false)
}

/// An HCL quoted string: JSON's escapes, and `${` / `%{` doubled so that
/// the text is not read as a template.
fn hcl_string(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"));
    quoted.replace("${", "$${").replace("%{", "%%{")
}

/// An INI value as configparser reads it back: written as is (INI has no
/// quoting or escapes), a line break as a continuation line indented by
/// four spaces. What configparser would strip or read as a comment is
/// refused.
fn ini_string(s: &str) -> Result<String, String> {
    if s.trim() != s {
        return Err("an INI value cannot start or end with blanks or line breaks (configparser strips them)".to_owned());
    }
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            let blank = line.is_empty();
            if line.trim() != line || line.starts_with(['#', ';']) {
                return Err("a line of an INI value cannot start with blanks, `#` or `;`, or end with blanks".to_owned());
            }
            out.push('\n');
            if !blank {
                out.push_str("    ");
            }
        }
        if line.contains('\r') {
            return Err("an INI value cannot hold a carriage return".to_owned());
        }
        out.push_str(line);
    }
    Ok(out)
}

/// A `.properties` value as `Properties.store` escapes it: `\\`, the
/// control escapes, `=`, `:`, `#`, `!`, a leading blank, and everything
/// outside printable ASCII as `\uXXXX` (so the file reads the same as
/// ISO-8859-1 and as UTF-8).
pub(super) fn properties_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{c}' => out.push_str("\\f"),
            '=' | ':' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            ' ' if i == 0 => out.push_str("\\ "),
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    use std::fmt::Write as _;
                    let _ = write!(out, "\\u{unit:04X}");
                }
            }
        }
    }
    out
}

/// `"…"` with `\"`, `\\`, `\n`, `\r`, `\t` escapes; other control
/// characters as `\uXXXX` where the format has that escape (TOML does,
/// dotenv readers do not).
fn double_quoted(s: &str, unicode_escapes: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if unicode_escapes && (c.is_control() || c == '\u{feff}') => {
                push_unicode_escape(&mut out, c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> String {
        render(Format::Yaml, &Value::String(s.into()), None).unwrap()
    }

    #[test]
    fn yaml_quotes_strings_that_read_as_something_else() {
        for s in [
            "yes",
            "No",
            "on",
            "y",
            "0123",
            "1e3",
            "null",
            "~",
            ": x",
            "a: b",
            "a #b",
            "-x",
            "12:30",
            "2024-01-01",
            "",
            " pad",
            "x,y",
            "[a]",
            "*ref",
            "&a",
            "!tag",
            "|",
            ">",
            "%x",
            "@x",
            "'q'",
            "\"q\"",
            "a\nb",
            "0x1F",
            "1_000",
            ".inf",
            "true",
            "#c",
            "?x",
            "x:",
        ] {
            let written = yaml(s);
            assert!(written.starts_with('"'), "{s:?} written as {written}");
            let doc = format!("k: {written}\n");
            let leaves = parse::parse(Format::Yaml, &doc).unwrap().leaves;
            assert_eq!(leaves[0].value, Value::String(s.into()), "{s:?} as {written}");
        }
        for s in ["hello", "db.internal", "/var/log", "ünïcode", "a b c", "$HOME", "snake_case"] {
            assert_eq!(yaml(s), s);
        }
    }

    #[test]
    fn yaml_keeps_single_quotes_when_it_can() {
        let v = Value::String("it's".into());
        assert_eq!(render(Format::Yaml, &v, Some("'old'")).unwrap(), "'it''s'");
        let v = Value::String("two\nlines".into());
        assert_eq!(render(Format::Yaml, &v, Some("'old'")).unwrap(), "\"two\\nlines\"");
        let v = Value::String("plain".into());
        assert_eq!(render(Format::Yaml, &v, Some("\"old\"")).unwrap(), "\"plain\"");
    }

    #[test]
    fn numbers_keep_their_type() {
        assert_eq!(render(Format::Yaml, &Value::Float(2.0), None).unwrap(), "2.0");
        assert_eq!(render(Format::Json, &Value::Float(1e-7), None).unwrap(), "1e-7");
        assert_eq!(render(Format::Toml, &Value::Float(f64::NEG_INFINITY), None).unwrap(), "-inf");
        assert_eq!(render(Format::Yaml, &Value::Float(f64::NAN), None).unwrap(), ".nan");
        assert!(render(Format::Json, &Value::Float(f64::INFINITY), None).is_err());
        assert!(render(Format::Toml, &Value::Null, None).is_err());
        assert!(render(Format::Dotenv, &Value::Int(1), None).is_err());
    }

    #[test]
    fn json_toml_and_dotenv_strings() {
        let s = Value::String("a \"q\" \\ \n é".into());
        assert_eq!(render(Format::Json, &s, None).unwrap(), r#""a \"q\" \\ \n é""#);
        assert_eq!(render(Format::Toml, &s, None).unwrap(), r#""a \"q\" \\ \n é""#);
        assert_eq!(render(Format::Dotenv, &s, None).unwrap(), r#""a \"q\" \\ \n é""#);
        let lit = Value::String(r"C:\path".into());
        assert_eq!(render(Format::Toml, &lit, Some("'x'")).unwrap(), r"'C:\path'");
        assert_eq!(render(Format::Dotenv, &Value::String("${A}".into()), None).unwrap(), "${A}");
        assert_eq!(render(Format::Dotenv, &Value::String("a#b".into()), None).unwrap(), "\"a#b\"");
        assert_eq!(
            render(Format::Dotenv, &Value::String("a b".into()), Some("'x'")).unwrap(),
            "'a b'"
        );
    }

    #[test]
    fn toml_datetimes_are_checked() {
        let ok = Value::Datetime("2024-05-01T12:00:00Z".into());
        assert_eq!(render(Format::Toml, &ok, None).unwrap(), "2024-05-01T12:00:00Z");
        assert!(render(Format::Toml, &Value::Datetime("soon".into()), None).is_err());
    }
}
