//! A proposed value against the rules it must meet before anything is
//! written: read as the key's type (`forty` is not an `int`), then the
//! set's JSON Schema over the whole resulting document. Every check returns
//! reasons a user can act on; none panics, and none quotes a secret's text
//! unless told it may.

use serde_json::Value as J;

use super::key_path::{self, Segment};
use super::leaf::{Value, ValueType};
use super::secret::MASK;

/// Why a text does not read as the wanted type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeMismatch {
    pub wanted: ValueType,
    /// The whole reason, e.g. `"forty" is not an int`.
    pub reason: String,
}

/// Reads `text` as a value of type `wanted`. `shown` is how the text may be
/// quoted in a reason (the text itself, or `MASK` for a secret).
///
/// `int` takes whole numbers only (`42`, `-7`, `1_000`), `float` any
/// decimal or exponent number (`2`, `1.5`, `1e-3`, `.inf`, `nan`), `bool`
/// `true`/`false`, `null` `null`; a `string` takes anything. A datetime is
/// checked by the TOML writer, the only format that has them.
pub fn read_as(text: &str, wanted: ValueType, shown: &str) -> Result<Value, TypeMismatch> {
    let value = match wanted {
        ValueType::String => Some(Value::String(text.into())),
        ValueType::Datetime => Some(Value::Datetime(text.trim().to_owned())),
        ValueType::Int => read_int(text.trim()).map(Value::Int),
        ValueType::Float => read_float(text.trim()).map(Value::Float),
        ValueType::Bool => match text.trim() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        ValueType::Null => (text.trim() == "null").then_some(Value::Null),
        ValueType::Map | ValueType::List => None,
    };
    value.ok_or_else(|| TypeMismatch { wanted, reason: mismatch_reason(text, wanted, shown) })
}

fn mismatch_reason(text: &str, wanted: ValueType, shown: &str) -> String {
    let quoted = serde_json::to_string(shown).unwrap_or_else(|_| "the value".to_owned());
    let article = if wanted == ValueType::Int { "an" } else { "a" };
    let extra = match wanted {
        ValueType::Int if read_float(text.trim()).is_some() => " (it holds whole numbers only)",
        ValueType::Bool => " (write true or false)",
        ValueType::Null => " (write null)",
        ValueType::Map | ValueType::List => " (an empty container cannot be given a value here)",
        _ => "",
    };
    format!("{quoted} is not {article} {wanted}{extra}")
}

/// The type a new key's text suggests when no env tells (a key new to the
/// whole set): what a YAML 1.2 reader would make of it, plainly written.
pub fn infer_type(text: &str) -> ValueType {
    let text = text.trim();
    if read_int(text).is_some() && !text.contains('_') {
        ValueType::Int
    } else if matches!(text, "true" | "false") {
        ValueType::Bool
    } else if text == "null" {
        ValueType::Null
    } else if read_float(text).is_some_and(f64::is_finite) && text.contains(['.', 'e', 'E']) {
        ValueType::Float
    } else {
        ValueType::String
    }
}

fn read_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    let unsigned = digits.strip_prefix('-').unwrap_or(digits);
    let well_formed = !unsigned.is_empty()
        && unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'_')
        && !unsigned.starts_with('_')
        && !unsigned.ends_with('_')
        && !unsigned.contains("__");
    if !well_formed {
        return None;
    }
    digits.replace('_', "").parse().ok()
}

fn read_float(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let negative = text.starts_with('-');
    match unsigned {
        ".inf" | "inf" => return Some(if negative { f64::NEG_INFINITY } else { f64::INFINITY }),
        ".nan" | "nan" => return Some(f64::NAN),
        _ => {}
    }
    // Rust also reads `infinity` and `1.` that no config format writes the
    // same way: only plain decimal and exponent forms are taken.
    let body = unsigned.as_bytes();
    let plain = body.first().is_some_and(u8::is_ascii_digit)
        && body.last().is_some_and(u8::is_ascii_digit)
        && body.iter().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !plain {
        return None;
    }
    text.parse::<f64>().ok()
}

/// One schema violation, located at a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The key path the violation is about (`""` for the document root).
    pub key: String,
    /// The JSON pointer `jsonschema` reported.
    pub pointer: String,
    /// Where in the schema the failing keyword sits, to tell violations apart.
    pub keyword: String,
    /// For a missing required property, its name.
    pub missing: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.key.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.key, self.message)
        }
    }
}

/// A set's JSON Schema compiled once, with the one set of options that
/// `check`, `set` and the TUI share (formats are validated: `nope` is not
/// an `email`).
#[derive(Clone)]
pub struct CompiledSchema(std::sync::Arc<jsonschema::Validator>);

impl std::fmt::Debug for CompiledSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CompiledSchema")
    }
}

impl CompiledSchema {
    /// Compiles `schema`; `Err` says why it cannot be used (no value of it
    /// is quoted: a schema's `default` may be a secret).
    pub fn new(schema: &J) -> Result<Self, String> {
        jsonschema::options()
            .should_validate_formats(true)
            .build(schema)
            .map(|v| Self(std::sync::Arc::new(v)))
            .map_err(|e| format!("the schema cannot be used: {}", e.masked_with(MASK)))
    }

    /// Checks `document`. A message quotes the value at fault unless
    /// `secret_at` says a secret sits at or under the violation's key
    /// (then the value is written `MASK`).
    pub fn violations(&self, document: &J, secret_at: &dyn Fn(&str) -> bool) -> Vec<Violation> {
        self.0
            .iter_errors(document)
            .map(|error| {
                let pointer = error.instance_path().as_str().to_owned();
                let key = pointer_to_key(&pointer);
                let message = if secret_at(&key) {
                    error.masked_with(MASK).to_string()
                } else {
                    error.to_string()
                };
                let missing = match error.kind() {
                    jsonschema::error::ValidationErrorKind::Required { property } => {
                        property.as_str().map(str::to_owned)
                    }
                    _ => None,
                };
                Violation {
                    key,
                    keyword: error.schema_path().as_str().to_owned(),
                    pointer,
                    missing,
                    message,
                }
            })
            .collect()
    }
}

/// Checks `document` against `schema` (compiled for this call). Values are
/// masked in the messages unless `show_values`. `Err` holds why the schema
/// itself cannot be used.
pub fn schema_violations(
    schema: &J,
    document: &J,
    show_values: bool,
) -> Result<Vec<Violation>, String> {
    Ok(CompiledSchema::new(schema)?.violations(document, &|_| !show_values))
}

/// The violations of `after` that `before` did not have: the ones an edit
/// causes. A violation already in the file never refuses an edit (§7).
pub fn new_violations(before: &[Violation], after: Vec<Violation>) -> Vec<Violation> {
    after
        .into_iter()
        .filter(|v| !before.iter().any(|b| b.pointer == v.pointer && b.keyword == v.keyword))
        .collect()
}

/// A JSON pointer (`/db/ports/0`) as a key path (`db.ports[0]`). Numeric
/// segments are read as indices, which is what they are in config files.
pub fn pointer_to_key(pointer: &str) -> String {
    let segments: Vec<Segment> = pointer
        .split('/')
        .skip(1)
        .map(|raw| {
            let raw = raw.replace("~1", "/").replace("~0", "~");
            match raw.parse::<usize>() {
                Ok(i) if !raw.starts_with('+') => Segment::Index(i),
                _ => Segment::Key(raw),
            }
        })
        .collect();
    key_path::format(&segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, ty: ValueType) -> Result<Value, String> {
        read_as(text, ty, text).map_err(|m| m.reason)
    }

    #[test]
    fn ints_take_whole_numbers_only() {
        assert_eq!(read("42", ValueType::Int), Ok(Value::Int(42)));
        assert_eq!(read("-7", ValueType::Int), Ok(Value::Int(-7)));
        assert_eq!(read("1_000", ValueType::Int), Ok(Value::Int(1000)));
        assert_eq!(
            read("42.5", ValueType::Int),
            Err("\"42.5\" is not an int (it holds whole numbers only)".into())
        );
        assert_eq!(read("forty", ValueType::Int), Err("\"forty\" is not an int".into()));
        assert!(read("", ValueType::Int).is_err());
        assert!(read("_1", ValueType::Int).is_err());
        assert!(read("99999999999999999999", ValueType::Int).is_err());
    }

    #[test]
    fn floats_bools_nulls_and_strings() {
        assert_eq!(read("1.5", ValueType::Float), Ok(Value::Float(1.5)));
        assert_eq!(read("2", ValueType::Float), Ok(Value::Float(2.0)));
        assert_eq!(read("1e-3", ValueType::Float), Ok(Value::Float(0.001)));
        assert!(read("infinity", ValueType::Float).is_err());
        assert!(read("1.", ValueType::Float).is_err());
        assert_eq!(read("true", ValueType::Bool), Ok(Value::Bool(true)));
        assert!(read("yes", ValueType::Bool).unwrap_err().contains("true or false"));
        assert_eq!(read("null", ValueType::Null), Ok(Value::Null));
        assert_eq!(read(" 42 ", ValueType::String), Ok(Value::String(" 42 ".into())));
    }

    #[test]
    fn secret_text_is_not_quoted() {
        let err = read_as("hunter2", ValueType::Int, MASK).unwrap_err();
        assert!(!err.reason.contains("hunter2"));
        assert!(err.reason.contains(MASK));
    }

    #[test]
    fn infers_types_of_new_keys() {
        assert_eq!(infer_type("32"), ValueType::Int);
        assert_eq!(infer_type("1.5"), ValueType::Float);
        assert_eq!(infer_type("true"), ValueType::Bool);
        assert_eq!(infer_type("null"), ValueType::Null);
        assert_eq!(infer_type("yes"), ValueType::String);
        assert_eq!(infer_type("1_000"), ValueType::String);
    }

    #[test]
    fn schema_violations_are_located_and_diffed() {
        let schema = serde_json::json!({
            "type": "object",
            "required": ["name"],
            "properties": {
                "db": {"properties": {"pool": {"type": "integer", "maximum": 64}}},
                "mail": {"type": "string", "format": "email"}
            }
        });
        let before = serde_json::json!({"db": {"pool": 8}, "mail": "a@b.c"});
        let after = serde_json::json!({"db": {"pool": 65}, "mail": "a@b.c"});
        let old = schema_violations(&schema, &before, true).unwrap();
        assert_eq!(old.len(), 1, "{old:?}");
        let new = new_violations(&old, schema_violations(&schema, &after, true).unwrap());
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].key, "db.pool");
        assert!(new[0].message.contains("65"), "{}", new[0].message);
        let masked = schema_violations(&schema, &after, false).unwrap();
        assert!(masked.iter().all(|v| !v.message.contains("65")));
        let bad_mail = serde_json::json!({"name": "x", "mail": "nope"});
        assert_eq!(schema_violations(&schema, &bad_mail, true).unwrap()[0].key, "mail");
    }

    #[test]
    fn pointers_become_key_paths() {
        assert_eq!(pointer_to_key(""), "");
        assert_eq!(pointer_to_key("/db/ports/0"), "db.ports[0]");
        assert_eq!(pointer_to_key("/a~1b/x.y"), "a/b.\"x.y\"");
    }
}
