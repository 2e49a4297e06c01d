//! Adding an item to a list (§12): a new item of a list keyed by identity
//! (`env[name=EXTRA].value` adds `- name: EXTRA` with `value:` under it,
//! after the list's last item, in YAML block style or as a JSON object),
//! and a new `NAME=value` item of a compose list that compose reads as a
//! map (`environment`, `labels`). The item is written in the style of the
//! list's last item; a list written inline is refused.

use super::{after_line, eol, indent_unit, key_column, keys_of, line_start, skip_json_gap};
use crate::core::edit::render::{render, yaml_key};
use crate::core::edit::splice::Change;
use crate::core::key_path::{self, Segment};
use crate::core::leaf::{Origin, Spelled, Value};
use crate::core::parse::Format;
use crate::core::validate;

/// An item the edit adds to a keyed list.
#[derive(Debug)]
pub(in crate::core::edit) struct NewItem<'a> {
    /// The list's key path (`spec.containers[name=web].env`).
    pub list: String,
    /// The new item's key path (`…env[name=EXTRA]`).
    pub item: String,
    /// Its identity fields with their values, typed as the other items'.
    pub fields: Vec<(String, Value)>,
    /// The keys from the item to the edited value (`value`).
    pub rest: Vec<&'a str>,
}

impl NewItem<'_> {
    /// The leaves the new item brings besides the edited key: its identity
    /// fields, by path.
    pub(in crate::core::edit) fn field_leaves(&self) -> Vec<(String, Value)> {
        let path = |name: &str| format!("{}.{}", self.item, field_key(name));
        self.fields.iter().map(|(name, value)| (path(name), value.clone())).collect()
    }
}

fn field_key(name: &str) -> String {
    key_path::format(&[Segment::Key(name.to_owned())])
}

/// The item `segments` adds to a keyed list of the file, when it names
/// one that does not exist yet; an error when the list cannot take it.
pub(in crate::core::edit) fn new_item<'a>(
    leaves: &[Spelled<'_>],
    segments: &'a [Segment],
) -> Result<Option<NewItem<'a>>, String> {
    for (at, segment) in segments.iter().enumerate() {
        let Segment::Identity(wanted) = segment else { continue };
        let item = key_path::format(&segments[..=at]);
        if leaves.iter().any(|l| is_at_or_below(l.path, &item)) {
            continue;
        }
        let list = key_path::format(&segments[..at]);
        let open = format!("{list}[");
        let items: Vec<&Spelled<'_>> =
            leaves.iter().filter(|l| l.path.starts_with(&open)).collect();
        if items.is_empty() {
            return Ok(None);
        }
        let names: Vec<&str> = wanted.iter().map(|(name, _)| name.as_str()).collect();
        for leaf in &items {
            match key_path::bracket(&leaf.path[open.len()..]).map(|(s, _)| s) {
                Ok(Segment::Identity(fields))
                    if fields.iter().map(|(n, _)| n.as_str()).eq(names.iter().copied()) => {}
                Ok(Segment::Identity(fields)) => {
                    let by = fields.iter().map(|(n, _)| format!("`{n}`")).collect::<Vec<_>>();
                    return Err(format!("`{list}` is keyed by {}", by.join(" and ")));
                }
                _ => {
                    return Err(format!(
                        "`{list}` is compared by position; add the item in the file"
                    ));
                }
            }
        }
        let rest = keys_of(&segments[at + 1..])
            .map_err(|_| format!("`{item}` is new: add one list item at a time"))?;
        match rest.as_slice() {
            [] => return Err(format!("give a field of the new item, e.g. `{item}.value`")),
            [field] if names.contains(field) => {
                return Err(format!(
                    "`{field}` is the new item's identity; set another of its fields"
                ));
            }
            _ => {}
        }
        let fields = wanted
            .iter()
            .map(|(name, text)| (name.clone(), typed_like_siblings(&items, &list, name, text)))
            .collect();
        return Ok(Some(NewItem { list, item, fields, rest }));
    }
    Ok(None)
}

fn is_at_or_below(path: &str, item: &str) -> bool {
    path.strip_prefix(item).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// The identity text read as the type the field has in the other items
/// (`containerPort=8080` an integer), a string otherwise.
fn typed_like_siblings(items: &[&Spelled<'_>], list: &str, name: &str, text: &str) -> Value {
    let field = format!(".{}", field_key(name));
    let sibling = items.iter().find(|l| {
        l.path.strip_suffix(field.as_str()).is_some_and(|item| {
            item.len() > list.len() + 1
                && key_path::bracket(&item[list.len() + 1..])
                    .is_ok_and(|(_, after)| after.is_empty())
        })
    });
    let string = || Value::String(text.into());
    match sibling {
        Some(leaf) => {
            validate::read_as(text, leaf.value.value_type(), text).unwrap_or_else(|_| string())
        }
        None => string(),
    }
}

/// The change that writes `item` with the edited `value` (written text).
pub(super) fn add(
    format: Format,
    text: &str,
    leaves: &[Spelled<'_>],
    item: &NewItem<'_>,
    value: &str,
) -> Result<Change, String> {
    let open = format!("{}[", item.list);
    let items: Vec<&Spelled<'_>> =
        leaves.iter().filter(|l| l.origin == Origin::Direct && l.path.starts_with(&open)).collect();
    let last = items
        .iter()
        .max_by_key(|l| l.span.1)
        .ok_or_else(|| format!("cannot find the items of `{}` in the file", item.list))?;
    match format {
        Format::Yaml => yaml(text, &items, last, item, value),
        Format::Json | Format::Jsonc | Format::Json5 => json(format, text, last, item, value),
        _ => Err(format!("adding an item to `{}` is supported in YAML and JSON files", item.list)),
    }
}

/// The path of the item holding `leaf`: its list's path and its bracket.
fn item_of<'a>(leaf: &Spelled<'a>, list: &str) -> &'a str {
    let inner = leaf.path.get(list.len() + 1..).unwrap_or("");
    let after = key_path::bracket(inner).map_or("", |(_, after)| after);
    &leaf.path[..leaf.path.len() - after.len()]
}

fn yaml(
    text: &str,
    items: &[&Spelled<'_>],
    last: &Spelled<'_>,
    item: &NewItem<'_>,
    value: &str,
) -> Result<Change, String> {
    let last_item = item_of(last, &item.list);
    let first = items
        .iter()
        .filter(|l| item_of(l, &item.list) == last_item)
        .min_by_key(|l| l.span.0)
        .unwrap_or(&last);
    let inline = || format!("the items of `{}` are not written one per `- ` line", item.list);
    let dash_line = dash_line(text, first.span.0 as usize).ok_or_else(inline)?;
    let line = &text[dash_line..after_line(text, dash_line)];
    let dash = line.len() - line.trim_start_matches(' ').len();
    let after_dash = line[dash..].strip_prefix("- ").ok_or_else(inline)?.trim_start();
    if after_dash.starts_with(['{', '[', '-', '"', '\'']) && !is_quoted_key(after_dash) {
        return Err(inline());
    }
    let keys = " ".repeat(key_column(line));
    let eol = eol(text);
    let unit = indent_unit(text);
    let at = after_line(text, last.span.1 as usize);
    let mut out = super::at_end(text, at, eol);
    for (n, (name, field)) in item.fields.iter().enumerate() {
        if n == 0 {
            out.push_str(&" ".repeat(dash));
            out.push_str("- ");
        } else {
            out.push_str(&keys);
        }
        out.push_str(&yaml_key(name));
        out.push_str(": ");
        out.push_str(&render(Format::Yaml, field, None)?);
        out.push_str(eol);
    }
    let mut range = 0..0;
    for (level, key) in item.rest.iter().enumerate() {
        out.push_str(&keys);
        out.push_str(&unit.repeat(level));
        out.push_str(&yaml_key(key));
        out.push(':');
        if level + 1 == item.rest.len() {
            out.push(' ');
            range = out.len()..out.len() + value.len();
            out.push_str(value);
        }
        out.push_str(eol);
    }
    Ok(Change { start: at, end: at, text: out, value: range })
}

fn is_quoted_key(text: &str) -> bool {
    let Some(quote) = text.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
        return false;
    };
    text[1..].find(quote).is_some_and(|end| text[1 + end + 1..].starts_with(':'))
}

/// The start of the `- ` line that begins the item holding the value at
/// `at`: that value's line, or the nearest line above it that is less
/// indented and starts with `- `.
fn dash_line(text: &str, at: usize) -> Option<usize> {
    let mut start = line_start(text, at);
    let column = key_column(&text[start..after_line(text, start)]);
    loop {
        let line = &text[start..after_line(text, start)];
        let blanks = line.len() - line.trim_start_matches(' ').len();
        if line[blanks..].starts_with("- ") && blanks < column {
            return Some(start);
        }
        if start == 0 {
            return None;
        }
        start = line_start(text, start - 1);
    }
}

fn json(
    format: Format,
    text: &str,
    last: &Spelled<'_>,
    item: &NewItem<'_>,
    value: &str,
) -> Result<Change, String> {
    let lenient = format != Format::Json;
    let unsupported = || format!("cannot find the end of the last item of `{}`", item.list);
    let last_item = item_of(last, &item.list);
    let levels = key_path::parse(&last.path[last_item.len()..]).map_or(1, |s| s.len());
    let mut at = last.span.1 as usize;
    for _ in 0..levels {
        at = skip_json_gap(text, at, lenient);
        if !matches!(text.as_bytes().get(at), Some(b'}' | b']')) {
            return Err(unsupported());
        }
        at += 1;
    }
    let close = skip_json_gap(text, at, lenient);
    if text.as_bytes().get(close) != Some(&b']') {
        return Err(unsupported());
    }
    let item_close_line = &text[line_start(text, at - 1)..at - 1];
    let multiline = item_close_line.trim().is_empty();
    let eol = eol(text);
    let unit = indent_unit(text);
    let mut members: Vec<String> = Vec::new();
    for (name, field) in &item.fields {
        members.push(format!("{}: {}", json_string(name)?, render(format, field, None)?));
    }
    let mut tail = String::new();
    for (level, key) in item.rest.iter().enumerate() {
        tail.push_str(&json_string(key)?);
        tail.push_str(": ");
        if level + 1 < item.rest.len() {
            tail.push('{');
        }
    }
    let closing = "}".repeat(item.rest.len().saturating_sub(1));
    let (open, between, end) = if multiline {
        let inner = format!("{item_close_line}{unit}");
        (
            format!(",{eol}{item_close_line}{{{eol}{inner}"),
            format!(",{eol}{inner}"),
            format!("{eol}{item_close_line}}}"),
        )
    } else {
        (", {".to_owned(), ", ".to_owned(), "}".to_owned())
    };
    let mut out = open;
    for member in &members {
        out.push_str(member);
        out.push_str(&between);
    }
    out.push_str(&tail);
    let range = out.len()..out.len() + value.len();
    out.push_str(value);
    out.push_str(&closing);
    out.push_str(&end);
    Ok(Change { start: at, end: at, text: out, value: range })
}

fn json_string(text: &str) -> Result<String, String> {
    serde_json::to_string(text).map_err(|e| e.to_string())
}

/// Whether the mapping `parent` is a compose list of `NAME=value` items
/// (§12: compose reads it as a map): its entries are such items.
pub(in crate::core::edit) fn is_list_form(leaves: &[Spelled<'_>], parent: &[Segment]) -> bool {
    let prefix = format!("{}.", key_path::format(parent));
    let mut children = leaves.iter().filter(|l| l.path.starts_with(&prefix)).peekable();
    children.peek().is_some() && children.all(|l| l.origin == Origin::ListItem)
}

/// A `- NAME=value` line after the last item of the compose list at
/// `parent`, `value` written as the whole item (`"NAME=value"`).
pub(super) fn add_list_form(
    text: &str,
    leaves: &[Spelled<'_>],
    parent: &[Segment],
    value: &str,
) -> Result<Change, String> {
    let prefix = format!("{}.", key_path::format(parent));
    let last = leaves
        .iter()
        .filter(|l| l.path.starts_with(&prefix))
        .max_by_key(|l| l.span.1)
        .ok_or_else(|| "the list has no items to add after".to_owned())?;
    let start = line_start(text, last.span.0 as usize);
    let line = &text[start..after_line(text, start)];
    let dash = line.len() - line.trim_start_matches(' ').len();
    if !line[dash..].starts_with("- ") {
        return Err(format!(
            "the items of `{}` are not written one per `- ` line",
            key_path::format(parent)
        ));
    }
    let eol = eol(text);
    let at = after_line(text, last.span.1 as usize);
    let mut out = super::at_end(text, at, eol);
    out.push_str(&" ".repeat(dash));
    out.push_str("- ");
    let range = out.len()..out.len() + value.len();
    out.push_str(value);
    out.push_str(eol);
    Ok(Change { start: at, end: at, text: out, value: range })
}
