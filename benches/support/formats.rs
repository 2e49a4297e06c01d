//! The generated JSON config rewritten in the formats of §11, so each
//! parser is timed on the same keys and values: JSON with comments, JSON5
//! and the rest of §11 as their parsers land.

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
