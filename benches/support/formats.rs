//! The generated JSON config rewritten in the formats of §11, so each
//! parser is timed on the same keys and values: JSON with comments, JSON5,
//! Java properties, INI and HCL (`.tfvars`).

use std::fmt::Write as _;

use serde_json::Value as J;

/// JSON with a `//` comment above every fifth member and trailing commas
/// (the text stays pretty-printed JSON otherwise).
pub fn jsonc(json: &str) -> String {
    let mut out = String::with_capacity(json.len() * 11 / 10);
    for (n, line) in json.lines().enumerate() {
        let trimmed = line.trim_start();
        if n % 5 == 0 && trimmed.starts_with('"') {
            let indent = &line[..line.len() - trimmed.len()];
            let _ = writeln!(out, "{indent}// note {n}: what this key is for");
        }
        out.push_str(line);
        if (trimmed.ends_with('"') || trimmed.ends_with(|c: char| c.is_ascii_alphanumeric()))
            && !trimmed.ends_with(',')
        {
            // The last member of its object: JSONC takes a trailing comma.
            out.push(',');
        }
        out.push('\n');
    }
    out
}

/// JSON5: unquoted keys where they are names, single-quoted strings,
/// trailing commas, a comment above every fifth key.
pub fn json5(value: &J) -> String {
    let mut out = String::new();
    json5_value(value, 0, &mut out);
    out.push('\n');
    out
}

fn json5_value(value: &J, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent + 1);
    match value {
        J::Object(map) => {
            out.push_str("{\n");
            for (n, (key, item)) in map.iter().enumerate() {
                if n % 5 == 0 {
                    let _ = writeln!(out, "{pad}// {key}");
                }
                let name = key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
                out.push_str(&pad);
                if name {
                    out.push_str(key);
                } else {
                    out.push_str(&single(key));
                }
                out.push_str(": ");
                json5_value(item, indent + 1, out);
                out.push_str(",\n");
            }
            let _ = write!(out, "{}}}", "  ".repeat(indent));
        }
        J::Array(items) => {
            out.push('[');
            for item in items {
                json5_value(item, indent + 1, out);
                out.push_str(", ");
            }
            out.push(']');
        }
        J::String(s) => out.push_str(&single(s)),
        other => out.push_str(&other.to_string()),
    }
}

fn single(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Every leaf as a `key.path[0]=value` line, a `#` comment above every
/// fifth.
pub fn properties(value: &J) -> String {
    let mut out = String::new();
    let mut n = 0;
    leaves(value, &mut String::new(), &mut |path, leaf| {
        if n % 5 == 0 {
            let _ = writeln!(out, "# note {n}");
        }
        n += 1;
        let text = match leaf {
            J::String(s) => s.replace('\\', "\\\\").replace('\n', "\\n"),
            J::Null => String::new(),
            other => other.to_string(),
        };
        let _ = writeln!(out, "{path}={text}");
    });
    out
}

/// One `[section]` per top-level key, its leaves as `dotted.name = value`.
pub fn ini(value: &J) -> String {
    let mut out = String::new();
    let J::Object(map) = value else { return out };
    for (section, inner) in map {
        let _ = writeln!(out, "[{section}]");
        let mut n = 0;
        leaves(inner, &mut String::new(), &mut |path, leaf| {
            if n % 5 == 0 {
                let _ = writeln!(out, "; note {n}");
            }
            n += 1;
            let text = match leaf {
                J::String(s) => s.replace('\n', "\n  "),
                J::Null => String::new(),
                other => other.to_string(),
            };
            let name = if path.is_empty() { "value" } else { path };
            let _ = writeln!(out, "{name} = {text}");
        });
        out.push('\n');
    }
    out
}

/// `.tfvars`: top-level attributes, objects and lists as HCL literals.
pub fn hcl(value: &J) -> String {
    let mut out = String::new();
    let J::Object(map) = value else { return out };
    for (n, (key, item)) in map.iter().enumerate() {
        if n % 5 == 0 {
            let _ = writeln!(out, "# {key}");
        }
        let _ = write!(out, "{} = ", hcl_key(key));
        hcl_value(item, 0, &mut out);
        out.push('\n');
    }
    out
}

fn hcl_key(key: &str) -> String {
    let name = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if name { key.to_owned() } else { serde_json::to_string(key).unwrap_or_default() }
}

fn hcl_value(value: &J, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent + 1);
    match value {
        J::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            for (key, item) in map {
                let _ = write!(out, "{pad}{} = ", hcl_key(key));
                hcl_value(item, indent + 1, out);
                out.push('\n');
            }
            let _ = write!(out, "{}}}", "  ".repeat(indent));
        }
        J::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                hcl_value(item, indent + 1, out);
            }
            out.push(']');
        }
        J::String(s) => {
            let quoted = serde_json::to_string(s).unwrap_or_default();
            out.push_str(&quoted.replace("${", "$${").replace("%{", "%%{"));
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Calls `each` with every leaf's dotted path and value.
fn leaves(value: &J, path: &mut String, each: &mut dyn FnMut(&str, &J)) {
    let mark = path.len();
    match value {
        J::Object(map) if !map.is_empty() => {
            for (key, item) in map {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                leaves(item, path, each);
                path.truncate(mark);
            }
        }
        J::Array(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                let _ = write!(path, "[{i}]");
                leaves(item, path, each);
                path.truncate(mark);
            }
        }
        J::Object(_) | J::Array(_) => {}
        leaf => each(path, leaf),
    }
}
