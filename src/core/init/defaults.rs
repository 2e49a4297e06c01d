//! The schema's defaults for keys that no env of the set has (§7): each is
//! added to the new file where the schema puts it; one that cannot be
//! added (the format has no such value, a parent is a plain value) is
//! left out and said why.

use serde_json::Value as J;

use crate::core::edit::{self, Step};
use crate::core::key_path;
use crate::core::leaf::Value;
use crate::core::parse::Format;
use crate::core::project::LoadedSet;

/// Adds the defaults to `text`; returns the keys added and the ones left
/// out with why.
pub(super) fn add(
    set: &LoadedSet,
    format: Format,
    text: &mut String,
) -> (Vec<String>, Vec<String>) {
    let Some(schema) = &set.schema else { return (Vec::new(), Vec::new()) };
    let mut found = Vec::new();
    walk(&schema.document, &mut String::new(), &mut found);
    let (mut added, mut skipped) = (Vec::new(), Vec::new());
    for (key, default) in found {
        if set.key(&key).is_some() {
            continue;
        }
        let Some(value) = leaf_value(format, default) else {
            skipped.push(format!("{key}: its default is not a plain value"));
            continue;
        };
        // A secret's default is not copied either: the schema said so.
        if set.secret_of(&key, &value).is_some() {
            skipped.push(format!("{key}: a secret"));
            continue;
        }
        match edit::derive(format, text, &[Step::Add { key: key.clone(), value }]) {
            Ok(next) => {
                *text = next;
                added.push(key);
            }
            Err(why) => skipped.push(why),
        }
    }
    (added, skipped)
}

/// `(key, default)` of every schema node reached through `properties` that
/// has a `default` and no `properties` of its own.
fn walk<'s>(node: &'s J, path: &mut String, out: &mut Vec<(String, &'s J)>) {
    match node.get("properties").and_then(J::as_object) {
        Some(properties) => {
            for (name, child) in properties {
                let mark = path.len();
                key_path::push_key(path, name);
                walk(child, path, out);
                path.truncate(mark);
            }
        }
        None => {
            if let Some(default) = node.get("default").filter(|_| !path.is_empty()) {
                out.push((path.clone(), default));
            }
        }
    }
}

/// A JSON default as a leaf value of `format` (dotenv values are strings).
fn leaf_value(format: Format, default: &J) -> Option<Value> {
    let value = match default {
        J::String(s) => Value::String(s.as_str().into()),
        J::Bool(b) => Value::Bool(*b),
        J::Null => Value::Null,
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64()?),
        },
        J::Array(_) | J::Object(_) => return None,
    };
    Some(match (format, value) {
        (Format::Dotenv, Value::String(s)) => Value::String(s),
        (Format::Dotenv, Value::Null) => Value::String("".into()),
        (Format::Dotenv, other) => Value::String(other.display_text().into()),
        (_, value) => value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_found_below_properties() {
        let schema = serde_json::json!({
            "type": "object",
            "default": {},
            "properties": {
                "a": {"type": "integer", "default": 3},
                "b": {"properties": {"c d": {"default": "x"}, "e": {"type": "string"}}},
                "f": {"default": [1]},
            }
        });
        let mut found = Vec::new();
        walk(&schema, &mut String::new(), &mut found);
        let keys: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "b.\"c d\"", "f"]);
        assert_eq!(leaf_value(Format::Yaml, &serde_json::json!(3)), Some(Value::Int(3)));
        assert_eq!(
            leaf_value(Format::Dotenv, &serde_json::json!(3)),
            Some(Value::String("3".into()))
        );
        assert_eq!(leaf_value(Format::Yaml, &serde_json::json!([1])), None);
    }
}
