//! Adding a key a file does not have: after the last entry of the deepest
//! mapping that already exists on its path, with that mapping's indentation
//! and the file's line ending, creating the missing parent mappings (YAML
//! block style, JSON objects, a dotted TOML key in the right table, a line
//! at the end of a dotenv file). The result is verified like every edit, so
//! a layout this module reads wrongly is refused, never written.

use toml_edit::{Document, Item, Table};

use super::render::{toml_key, yaml_key};
use super::splice::Change;
use crate::core::key_path::{self, Segment};
use crate::core::leaf::{Origin, Spelled, Value};
use crate::core::parse::Format;

/// The change that adds `segments` with the written `value` to `text`.
pub(super) fn insert(
    format: Format,
    text: &str,
    leaves: &[Spelled<'_>],
    segments: &[Segment],
    value: &str,
) -> Result<Change, String> {
    if let Some(item) = item::new_item(leaves, segments)? {
        return item::add(format, text, leaves, &item, value);
    }
    if let [parent @ .., Segment::Key(_)] = segments
        && format == Format::Yaml
        && item::is_list_form(leaves, parent)
    {
        return item::add_list_form(text, leaves, parent, value);
    }
    let (depth, empty) = existing_depth(leaves, segments)?;
    let rest = keys_of(&segments[depth..])?;
    match (format, empty) {
        (Format::Yaml, Some(empty)) => return fill::yaml(text, &empty, &rest, value),
        (Format::Json | Format::Jsonc | Format::Json5, Some(empty)) => {
            return fill::json(text, &empty, &rest, value);
        }
        // TOML's empty tables are found by `toml`, inline or with a header.
        (Format::Toml, _) | (_, None) => {}
        (_, Some(empty)) => return Err(holds_a_value(&empty)),
    }
    match format {
        Format::Yaml => yaml(text, leaves, &segments[..depth], &rest, value),
        Format::Json | Format::Jsonc | Format::Json5 => {
            json(format, text, leaves, &segments[..depth], &rest, value)
        }
        Format::Toml => match fill::toml_inline(text, segments, value)? {
            Some(change) => Ok(change),
            None => toml(text, segments, value),
        },
        Format::Dotenv => dotenv(text, &rest, value),
        Format::Properties | Format::SpringProperties => {
            lines::properties(text, leaves, segments, value)
        }
        Format::Ini => lines::ini(text, leaves, segments, value),
        Format::Hcl => lines::hcl(text, segments, value),
        Format::Flagd | Format::Goff | Format::Flipt | Format::Unleash => {
            Err("a flag file's keys are its flags' fields: add the flag in the file".to_owned())
        }
    }
}

/// How many leading segments already exist as a mapping: one with
/// entries, or an empty one (`{}`, returned too: the new key goes into it).
fn existing_depth<'a>(
    leaves: &[Spelled<'a>],
    segments: &[Segment],
) -> Result<(usize, Option<Spelled<'a>>), String> {
    for depth in (1..segments.len()).rev() {
        let prefix = key_path::format(&segments[..depth]);
        if let Some(leaf) = leaves.iter().find(|l| l.path == prefix) {
            if leaf.value == Value::EmptyMap && leaf.origin == Origin::Direct {
                return Ok((depth, Some(*leaf)));
            }
            return Err(holds_a_value(leaf));
        }
        if leaves.iter().any(|l| l.path.starts_with(&format!("{prefix}["))) {
            return Err(format!("`{prefix}` is a list; adding list items is not supported"));
        }
        if leaves.iter().any(|l| l.path.starts_with(&format!("{prefix}."))) {
            return Ok((depth, None));
        }
    }
    Ok((0, None))
}

fn holds_a_value(leaf: &Spelled<'_>) -> String {
    format!(
        "`{}` holds a value ({}), not a mapping to add a key to",
        leaf.path,
        leaf.value.value_type()
    )
}

fn keys_of(segments: &[Segment]) -> Result<Vec<&str>, String> {
    segments
        .iter()
        .map(|s| match s {
            Segment::Key(k) => Ok(k.as_str()),
            Segment::Index(_) | Segment::Identity(_) => {
                Err("adding list items is not supported".to_owned())
            }
        })
        .collect()
}

/// The leaves written under the mapping at `parent` (the root when
/// empty): its own, and a compose list's `NAME=value` items.
fn under<'a>(leaves: &[Spelled<'a>], parent: &[Segment]) -> Vec<Spelled<'a>> {
    let prefix = key_path::format(parent);
    leaves
        .iter()
        .filter(|l| matches!(l.origin, Origin::Direct | Origin::ListItem))
        .filter(|l| prefix.is_empty() || l.path.starts_with(&format!("{prefix}.")))
        .copied()
        .collect()
}

fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset just after the line holding `at` (its line break included).
fn after_line(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

fn leading_blanks(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// One level of indentation as the file writes it: a tab, or the smallest
/// run of leading spaces on a line (2 when nothing is indented).
fn indent_unit(text: &str) -> String {
    if text.lines().any(|l| l.starts_with('\t')) {
        return "\t".to_owned();
    }
    let spaces = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .filter(|&n| n > 0)
        .min()
        .unwrap_or(2);
    " ".repeat(spaces)
}

/// Joins the text before the change, so a file without a final line break
/// gets one before the added lines.
fn at_end(text: &str, at: usize, eol: &str) -> String {
    if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
        eol.to_owned()
    } else {
        String::new()
    }
}

fn yaml(
    text: &str,
    leaves: &[Spelled<'_>],
    parent: &[Segment],
    rest: &[&str],
    value: &str,
) -> Result<Change, String> {
    let eol = eol(text);
    let siblings = under(leaves, parent);
    let (indent, at) = match siblings.iter().max_by_key(|l| l.span.1) {
        Some(last) => (
            yaml_child_indent(text, &siblings, parent.len()),
            after_line(text, last.span.1 as usize),
        ),
        None if parent.is_empty() => (0, text.len()),
        None => return Err(no_place(parent)),
    };
    let unit = indent_unit(text);
    let mut out = at_end(text, at, eol);
    let mut value_range = 0..0;
    for (level, key) in rest.iter().enumerate() {
        out.push_str(&" ".repeat(indent));
        out.push_str(&unit.repeat(level));
        out.push_str(&yaml_key(key));
        out.push(':');
        if level + 1 == rest.len() {
            out.push(' ');
            value_range = out.len()..out.len() + value.len();
            out.push_str(value);
        }
        out.push_str(eol);
    }
    Ok(Change { start: at, end: at, text: out, value: value_range })
}

/// The column at which the keys of the mapping at `depth` are written:
/// found from the sibling with the fewest segments below that mapping, by
/// climbing from its line to the line of its ancestor key at that level.
fn yaml_child_indent(text: &str, siblings: &[Spelled<'_>], depth: usize) -> usize {
    let below =
        |l: &Spelled<'_>| key_path::parse(l.path).map_or(0, |s| s.len() - depth.min(s.len()));
    let Some(nearest) = siblings
        .iter()
        .filter(|l| {
            key_path::parse(l.path)
                .is_ok_and(|s| s[depth.min(s.len())..].iter().all(|s| matches!(s, Segment::Key(_))))
        })
        .min_by_key(|l| below(l))
    else {
        return 0;
    };
    let mut start = line_start(text, nearest.span.0 as usize);
    let mut column = key_column(&text[start..]);
    for _ in 1..below(nearest) {
        while start > 0 {
            start = line_start(text, start - 1);
            let line = &text[start..after_line(text, start)];
            let content = line.trim_start();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let col = key_column(line);
            if col < column {
                column = col;
                break;
            }
        }
    }
    column
}

/// Where the key of a block mapping line starts: after its indentation and
/// any `- ` sequence markers.
fn key_column(line: &str) -> usize {
    let mut column = 0;
    let mut rest = line;
    loop {
        let blanks = rest.len() - rest.trim_start_matches(' ').len();
        column += blanks;
        rest = &rest[blanks..];
        match rest.strip_prefix("- ") {
            Some(after) => {
                column += 2;
                rest = after;
            }
            None => return column,
        }
    }
}

fn no_place(parent: &[Segment]) -> String {
    format!(
        "cannot find where to add a key under `{}` (its entries all come from an anchor or merge)",
        key_path::format(parent)
    )
}

fn json(
    format: Format,
    text: &str,
    leaves: &[Spelled<'_>],
    parent: &[Segment],
    rest: &[&str],
    value: &str,
) -> Result<Change, String> {
    let unsupported =
        || format!("cannot add a key to {}: it is not an object with entries", shown(parent));
    if parent.is_empty() && leaves.iter().any(|l| l.path.is_empty() || l.path.starts_with('[')) {
        return Err(unsupported());
    }
    let siblings = under(leaves, parent);
    let last = siblings.iter().max_by_key(|l| l.span.1).ok_or_else(unsupported)?;
    let levels = key_path::parse(last.path).map_or(1, |s| s.len() - parent.len());
    let mut at = last.span.1 as usize;
    let lenient = format != Format::Json;
    for _ in 1..levels {
        at = skip_json_gap(text, at, lenient);
        if !matches!(text.as_bytes().get(at), Some(b'}' | b']')) {
            return Err(unsupported());
        }
        at += 1;
    }
    let close = skip_json_gap(text, at, lenient);
    if text.as_bytes().get(close) != Some(&b'}') {
        return Err(unsupported());
    }
    let eol = eol(text);
    let multiline = text[at..close].contains('\n');
    let unit = indent_unit(text);
    let close_line = &text[line_start(text, close)..close];
    let indent = if multiline && close_line.trim().is_empty() {
        format!("{close_line}{unit}")
    } else {
        String::new()
    };
    let (mut out, inner_eol) =
        if multiline { (format!(",{eol}"), eol) } else { (", ".to_owned(), "") };
    let pad = |level: usize| {
        if multiline { format!("{indent}{}", unit.repeat(level)) } else { String::new() }
    };
    let mut value_range = 0..0;
    for (level, key) in rest.iter().enumerate() {
        out.push_str(&pad(level));
        out.push_str(&serde_json::to_string(key).map_err(|e| e.to_string())?);
        out.push_str(": ");
        if level + 1 == rest.len() {
            value_range = out.len()..out.len() + value.len();
            out.push_str(value);
        } else {
            out.push('{');
            out.push_str(inner_eol);
        }
    }
    for level in (0..rest.len().saturating_sub(1)).rev() {
        out.push_str(inner_eol);
        out.push_str(&pad(level));
        out.push('}');
    }
    Ok(Change { start: at, end: at, text: out, value: value_range })
}

fn skip_ws(text: &str, mut at: usize) -> usize {
    while matches!(text.as_bytes().get(at), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        at += 1;
    }
    at
}

/// White space, and in JSON with comments also comments and a trailing
/// comma before a closing bracket, from `at` to the next token.
fn skip_json_gap(text: &str, at: usize, lenient: bool) -> usize {
    let skip = |mut at: usize| loop {
        at = skip_ws(text, at);
        let rest = &text[at..];
        if !lenient {
            return at;
        } else if rest.starts_with("//") {
            at += rest.find('\n').unwrap_or(rest.len());
        } else if let Some(body) = rest.strip_prefix("/*") {
            at += body.find("*/").map_or(rest.len(), |end| end + 4);
        } else {
            return at;
        }
    };
    let next = skip(at);
    if lenient && text[next..].starts_with(',') {
        let after = skip(next + 1);
        if matches!(text.as_bytes().get(after), Some(b'}' | b']')) {
            return after;
        }
    }
    next
}

fn shown(parent: &[Segment]) -> String {
    if parent.is_empty() {
        "the top level".to_owned()
    } else {
        format!("`{}`", key_path::format(parent))
    }
}

/// A `[table]` or `[[array]]` of a TOML file, or the root table.
#[derive(Debug)]
struct TomlSection {
    segments: Vec<Segment>,
    header_end: Option<usize>,
    /// The span of the last value written in this section.
    last_value: Option<(usize, usize)>,
}

fn toml(text: &str, segments: &[Segment], value: &str) -> Result<Change, String> {
    let document = Document::parse(text).map_err(|e| e.message().to_owned())?;
    let mut sections =
        vec![TomlSection { segments: Vec::new(), header_end: None, last_value: None }];
    toml_walk(document.as_table(), &mut Vec::new(), &mut sections, 0);
    let section = sections
        .iter()
        .filter(|s| s.segments.len() < segments.len() && segments.starts_with(&s.segments))
        .max_by_key(|s| s.segments.len())
        .ok_or_else(|| "cannot find the table to add the key to".to_owned())?;
    let rest = keys_of(&segments[section.segments.len()..])?;
    let eol = eol(text);
    let (at, indent) = match (section.last_value, section.header_end) {
        (Some((start, end)), _) => {
            let line = &text[line_start(text, start)..];
            (after_line(text, end), leading_blanks(line).to_owned())
        }
        (None, Some(header)) => (after_line(text, header), String::new()),
        (None, None) => (0, String::new()),
    };
    let key = rest.iter().map(|k| toml_key(k)).collect::<Vec<_>>().join(".");
    let mut out = at_end(text, at, eol);
    out.push_str(&indent);
    out.push_str(&key);
    out.push_str(" = ");
    let value_range = out.len()..out.len() + value.len();
    out.push_str(value);
    out.push_str(eol);
    Ok(Change { start: at, end: at, text: out, value: value_range })
}

/// Collects every section with a header; values go to the section whose
/// header they are written under (dotted keys stay in their section).
fn toml_walk(
    table: &Table,
    path: &mut Vec<Segment>,
    sections: &mut Vec<TomlSection>,
    current: usize,
) {
    for (key, item) in table {
        path.push(Segment::Key(key.to_owned()));
        match item {
            Item::Value(v) => {
                if let (Some(span), Some(section)) = (v.span(), sections.get_mut(current)) {
                    let later = section.last_value.is_none_or(|(_, end)| span.end > end);
                    if later {
                        section.last_value = Some((span.start, span.end));
                    }
                }
            }
            Item::Table(t) if t.is_dotted() || t.is_implicit() => {
                toml_walk(t, path, sections, current);
            }
            Item::Table(t) => {
                sections.push(TomlSection {
                    segments: path.clone(),
                    header_end: t.span().map(|s| s.end),
                    last_value: None,
                });
                toml_walk(t, path, sections, sections.len() - 1);
            }
            Item::ArrayOfTables(tables) => {
                for (i, t) in tables.iter().enumerate() {
                    path.push(Segment::Index(i));
                    sections.push(TomlSection {
                        segments: path.clone(),
                        header_end: t.span().map(|s| s.end),
                        last_value: None,
                    });
                    toml_walk(t, path, sections, sections.len() - 1);
                    path.pop();
                }
            }
            Item::None => {}
        }
        path.pop();
    }
}

fn dotenv(text: &str, rest: &[&str], value: &str) -> Result<Change, String> {
    let [key] = rest else {
        return Err("dotenv keys have no dots for nesting; give one `KEY`".to_owned());
    };
    let valid = key.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if !valid {
        return Err(format!("`{key}` is not a dotenv key (letters, digits and `_.-`)"));
    }
    let eol = eol(text);
    let mut out = at_end(text, text.len(), eol);
    out.push_str(key);
    out.push('=');
    let value_range = out.len()..out.len() + value.len();
    out.push_str(value);
    out.push_str(eol);
    Ok(Change { start: text.len(), end: text.len(), text: out, value: value_range })
}

mod fill;
pub(super) mod item;
mod lines;
#[cfg(test)]
mod tests;
