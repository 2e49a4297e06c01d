//! Adding a key to the line-based formats of §11: a `key=value` line at
//! the end of a `.properties` file, an option after the last one of its
//! INI section (or a new section), a top-level `name = value` of a
//! `.tfvars` file.

use super::{after_line, at_end, eol};
use crate::core::edit::render::properties_string;
use crate::core::edit::splice::Change;
use crate::core::key_path::{self, Segment};
use crate::core::leaf::{Origin, Spelled};

/// A `key=value` line at the end of a `.properties` file, the key written
/// from its segments (`a.b[0].c`) and escaped as `Properties.store` does.
pub(super) fn properties(
    text: &str,
    leaves: &[Spelled<'_>],
    segments: &[Segment],
    value: &str,
) -> Result<Change, String> {
    if leaves.iter().any(|l| l.path.starts_with('[')) {
        return Err(
            "the file has several documents (`#---`); add the key to one by hand".to_owned()
        );
    }
    let mut key = String::new();
    for segment in segments {
        match segment {
            Segment::Key(name) => {
                if !key.is_empty() {
                    key.push('.');
                }
                if name.contains(['.', '[']) {
                    return Err(format!("`{name}` cannot be one segment of a .properties key"));
                }
                for c in name.chars() {
                    // Blanks end a key: every one is escaped, not only a leading one.
                    key.push_str(
                        &properties_string(c.encode_utf8(&mut [0; 4])).replace(' ', "\\ "),
                    );
                }
            }
            Segment::Index(i) => key_path::push_index(&mut key, *i),
            Segment::Identity(_) => {
                return Err("a .properties file has no lists by identity".to_owned());
            }
        }
    }
    let eol = eol(text);
    let mut out = at_end(text, text.len(), eol);
    out.push_str(&key);
    out.push('=');
    let value_range = out.len()..out.len() + value.len();
    out.push_str(value);
    out.push_str(eol);
    Ok(Change { start: text.len(), end: text.len(), text: out, value: value_range })
}

/// The offset after the `[section]` header line of `section`.
fn ini_header_end(text: &str, section: &str) -> Option<usize> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let stripped = line.trim();
        let name =
            stripped.strip_prefix('[').and_then(|inner| inner.rfind(']').map(|c| &inner[..c]));
        if name == Some(section) {
            return Some(start + line.len());
        }
        start += line.len();
    }
    None
}

/// `name = value` after the last option of its section, or a new
/// `[section]` at the end of the file.
pub(super) fn ini(
    text: &str,
    leaves: &[Spelled<'_>],
    segments: &[Segment],
    value: &str,
) -> Result<Change, String> {
    let [Segment::Key(section), Segment::Key(name)] = segments else {
        return Err("an INI key is `section.option`".to_owned());
    };
    if name.contains(['=', ':', '['])
        || name.trim() != name
        || name.is_empty()
        || name.starts_with(['#', ';'])
    {
        return Err(format!("`{name}` cannot be an INI option name"));
    }
    let eol = eol(text);
    let prefix = key_path::format(&segments[..1]);
    let last = leaves
        .iter()
        .filter(|l| l.origin == Origin::Direct && l.path.starts_with(&format!("{prefix}.")))
        .max_by_key(|l| l.span.1);
    let (at, mut out) = match last {
        Some(last) => {
            let at = after_line(text, last.span.1 as usize);
            (at, at_end(text, at, eol))
        }
        None => {
            if let Some(at) = ini_header_end(text, section) {
                (at, at_end(text, at, eol))
            } else {
                let mut out = at_end(text, text.len(), eol);
                out.push('[');
                out.push_str(section);
                out.push(']');
                out.push_str(eol);
                (text.len(), out)
            }
        }
    };
    out.push_str(name);
    out.push_str(" = ");
    let value_range = out.len()..out.len() + value.len();
    out.push_str(value);
    out.push_str(eol);
    Ok(Change { start: at, end: at, text: out, value: value_range })
}

/// `name = value` at the end of a `.tfvars` file. Only top-level names:
/// a nested value or a file of blocks (`variables.tf`) is edited by hand.
pub(super) fn hcl(text: &str, segments: &[Segment], value: &str) -> Result<Change, String> {
    let [Segment::Key(name)] = segments else {
        return Err("only a top-level variable can be added to an HCL file".to_owned());
    };
    let ident = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
    if !ident {
        return Err(format!("`{name}` is not an HCL identifier"));
    }
    let body = hcl_edit::parser::parse_body(text).map_err(|e| e.message().to_owned())?;
    if body.blocks().next().is_some() {
        return Err("the file holds blocks (variables.tf): add the variable by hand".to_owned());
    }
    let eol = eol(text);
    let mut out = at_end(text, text.len(), eol);
    out.push_str(name);
    out.push_str(" = ");
    let value_range = out.len()..out.len() + value.len();
    out.push_str(value);
    out.push_str(eol);
    Ok(Change { start: text.len(), end: text.len(), text: out, value: value_range })
}
