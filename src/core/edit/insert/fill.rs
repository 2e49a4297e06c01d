//! Adding a key into a mapping written inline: an empty `{}` (YAML, JSON,
//! TOML) takes the new entry — in block form when the YAML file writes the
//! mapping's key in block style — and a TOML inline table
//! (`db = { host = "h" }`) gets the new pair before its closing brace.
//! Every byte around the change stays as it was.

use toml_edit::{Document, Item, Value};

use super::{after_line, eol, indent_unit, key_column, keys_of, line_start};
use crate::core::edit::render::{toml_key, yaml_key};
use crate::core::edit::splice::Change;
use crate::core::key_path::Segment;
use crate::core::leaf::Spelled;

/// The `{…}` of the empty map `leaf`, or why it is not one.
fn braces(text: &str, leaf: &Spelled<'_>) -> Result<(usize, usize), String> {
    let (start, end) = (leaf.span.0 as usize, leaf.span.1 as usize);
    let written = text.get(start..end).unwrap_or("");
    let empty = written.strip_prefix('{').and_then(|w| w.strip_suffix('}'));
    if empty.is_some_and(|inner| inner.trim().is_empty()) {
        Ok((start, end))
    } else {
        Err(format!("`{}` is an empty mapping that is not written as `{{}}`", leaf.path))
    }
}

/// `debug: {}` with `rest` = [`sql_echo`] becomes `debug:\n  sql_echo: true`
/// when `debug:` starts its line (block style), else `debug: {sql_echo: true}`.
pub(super) fn yaml(
    text: &str,
    leaf: &Spelled<'_>,
    rest: &[&str],
    value: &str,
) -> Result<Change, String> {
    let (start, end) = braces(text, leaf)?;
    let line = line_start(text, start);
    let before = &text[line..start];
    let block = before.trim_end().ends_with(':') && !before.contains(['{', '[', ',']);
    if !block {
        let (out, value) = nested(rest, value, |k| format!("{}: ", yaml_key(k)));
        return Ok(Change { start, end, text: out, value });
    }
    let eol = eol(text);
    let unit = indent_unit(text);
    let indent = " ".repeat(key_column(before)) + &unit;
    // The `{}` and the blanks before it go; a comment after it stays on the
    // key's line, and the entries follow that line.
    let cut = line + before.trim_end().len();
    let line_end = after_line(text, end);
    let mut out = text[end..line_end].trim_end_matches(['\r', '\n']).to_owned();
    out.push_str(eol);
    let mut range = 0..0;
    for (level, key) in rest.iter().enumerate() {
        out.push_str(&indent);
        out.push_str(&unit.repeat(level));
        out.push_str(&yaml_key(key));
        out.push(':');
        if level + 1 == rest.len() {
            out.push(' ');
            range = out.len()..out.len() + value.len();
            out.push_str(value);
        }
        out.push_str(eol);
    }
    Ok(Change { start: cut, end: line_end, text: out, value: range })
}

/// `"debug": {}` becomes `"debug": {"sql_echo": true}`, over several lines
/// indented as the file is when the file spans several lines.
pub(super) fn json(
    text: &str,
    leaf: &Spelled<'_>,
    rest: &[&str],
    value: &str,
) -> Result<Change, String> {
    let (start, end) = braces(text, leaf)?;
    let key = |k: &str| serde_json::to_string(k).map(|k| format!("{k}: ")).unwrap_or_default();
    if !text.trim().contains('\n') {
        let (out, value) = nested(rest, value, key);
        return Ok(Change { start, end, text: out, value });
    }
    let eol = eol(text);
    let unit = indent_unit(text);
    let line = &text[line_start(text, start)..start];
    let outer = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    let mut out = String::from("{");
    let mut range = 0..0;
    for (level, name) in rest.iter().enumerate() {
        out.push_str(eol);
        out.push_str(outer);
        out.push_str(&unit.repeat(level + 1));
        out.push_str(&key(name));
        if level + 1 == rest.len() {
            range = out.len()..out.len() + value.len();
            out.push_str(value);
        } else {
            out.push('{');
        }
    }
    for level in (0..rest.len()).rev() {
        out.push_str(eol);
        out.push_str(outer);
        out.push_str(&unit.repeat(level));
        out.push('}');
    }
    Ok(Change { start, end, text: out, value: range })
}

/// `{k1: {k2: value}}` for the keys of `rest` (each written by `key`), and
/// where the value is in it.
fn nested(
    rest: &[&str],
    value: &str,
    key: impl Fn(&str) -> String,
) -> (String, std::ops::Range<usize>) {
    let mut out = String::new();
    let mut range = 0..0;
    for (level, name) in rest.iter().enumerate() {
        out.push('{');
        out.push_str(&key(name));
        if level + 1 == rest.len() {
            range = out.len()..out.len() + value.len();
            out.push_str(value);
        }
    }
    out.push_str(&"}".repeat(rest.len()));
    (out, range)
}

/// The deepest inline table on the path of `segments` (not the key itself):
/// how many segments lead to it, and its span.
fn inline_table(
    document: &Document<&str>,
    segments: &[Segment],
) -> Option<(usize, (usize, usize))> {
    let key = |i: usize| match segments.get(i) {
        Some(Segment::Key(k)) => Some(k.as_str()),
        _ => None,
    };
    let mut table = document.as_table();
    let mut depth = 0;
    let mut value = loop {
        if depth + 1 >= segments.len() {
            return None;
        }
        match table.get(key(depth)?)? {
            Item::Table(t) => table = t,
            Item::Value(v) => break v,
            Item::ArrayOfTables(_) | Item::None => return None,
        }
        depth += 1;
    };
    let mut found = None;
    while let Value::InlineTable(inline) = value {
        depth += 1;
        let span = value.span()?;
        found = Some((depth, (span.start, span.end)));
        if depth + 1 >= segments.len() {
            break;
        }
        match key(depth).and_then(|k| inline.get(k)) {
            Some(inner) => value = inner,
            None => break,
        }
    }
    found
}

/// A TOML key whose path goes through an inline table: the pair written
/// into that table (`{ host = "h", port = 1 }`); None when no inline table
/// is on the path.
pub(super) fn toml_inline(
    text: &str,
    segments: &[Segment],
    value: &str,
) -> Result<Option<Change>, String> {
    let document = Document::parse(text).map_err(|e| e.message().to_owned())?;
    let Some((depth, (start, end))) = inline_table(&document, segments) else { return Ok(None) };
    let rest = keys_of(&segments[depth..])?;
    let pair = format!("{} = ", rest.iter().map(|k| toml_key(k)).collect::<Vec<_>>().join("."));
    let close = end.saturating_sub(1);
    if text.as_bytes().get(close) != Some(&b'}') {
        return Err("cannot find the end of the inline table".to_owned());
    }
    let inner = &text[start + 1..close];
    if inner.trim().is_empty() {
        let out = format!("{{ {pair}{value} }}");
        let at = 2 + pair.len();
        return Ok(Some(Change { start, end, text: out, value: at..at + value.len() }));
    }
    let at = start + 1 + inner.trim_end().len();
    let out = format!(", {pair}{value}");
    let from = 2 + pair.len();
    Ok(Some(Change { start: at, end: at, text: out, value: from..from + value.len() }))
}
