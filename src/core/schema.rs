//! A set's JSON Schema (§6): found beside the set as `config.schema.json`,
//! `.yaml` or `.yml`, read with envlens's own parsers, and the keys it marks
//! secret (§5: `writeOnly: true`, `format: password`, `x-secret: true`).

use std::path::Path;

use serde_json::Value as J;

use super::discover::SchemaOverride;
use super::files::Files;
use super::glob::KeyGlob;
use super::key_path::push_key;
use super::parse::{self, Format};
use super::source::FileError;
use super::validate::CompiledSchema;
use super::{flatten, source};

const EXTENSIONS: &[(&str, Format)] =
    &[("json", Format::Json), ("yaml", Format::Yaml), ("yml", Format::Yaml)];

/// A loaded schema file.
#[derive(Debug, Clone)]
pub struct Schema {
    pub rel_path: String,
    pub document: J,
    /// Keys the schema marks secret.
    pub secret_keys: Vec<KeyGlob>,
    /// The document compiled once for every validation of the set, or why
    /// it cannot be compiled.
    pub compiled: Result<CompiledSchema, String>,
}

/// Looks for the schema of the set named `set_name` (`services/api/config`
/// → `services/api/config.schema.json|yaml|yml`). A schema that does not
/// load is an error of the set, not a reason to drop its files.
pub fn find(files: &Files, root: &Path, set_name: &str) -> Option<Result<Schema, FileError>> {
    EXTENSIONS.iter().find_map(|(ext, format)| {
        let rel_path = format!("{set_name}.schema.{ext}");
        files.is_file(root, &rel_path).then(|| load(files, root, rel_path, *format))
    })
}

/// The schema of a set: the file the project settings name for it, else
/// the one beside it (`find`).
pub fn find_for(
    files: &Files,
    root: &Path,
    set_name: &str,
    overrides: &[SchemaOverride],
) -> Option<Result<Schema, FileError>> {
    let Some(named) = overrides.iter().find(|o| o.set == set_name) else {
        return find(files, root, set_name);
    };
    let ext = named.rel_path.rsplit_once('.').map_or("", |(_, ext)| ext);
    let Some((_, format)) = EXTENSIONS.iter().find(|(e, _)| *e == ext) else {
        return Some(Err(FileError {
            rel_path: named.rel_path.clone(),
            position: None,
            message: "schema: a schema file ends in .json, .yaml or .yml".to_owned(),
        }));
    };
    Some(load(files, root, named.rel_path.clone(), *format))
}

fn load(files: &Files, root: &Path, rel_path: String, format: Format) -> Result<Schema, FileError> {
    let fail = |err: super::leaf::ParseError| FileError {
        rel_path: rel_path.clone(),
        position: err.position,
        message: format!("schema: {}", err.message),
    };
    // The same limit as config files, checked before reading: a huge
    // schema would otherwise be read whole.
    let bytes = files
        .read(root, &rel_path)
        .map_err(|e| fail(super::leaf::ParseError::nowhere(Files::read_error(&e))))?;
    let (text, _) = source::decode(&bytes).map_err(fail)?;
    let (keys, leaves) = parse::parse(format, text).map_err(fail)?.into_table();
    let document = flatten::to_json(&keys, &leaves);
    let secret_keys = secret_globs(&document);
    let compiled = CompiledSchema::new(&document);
    Ok(Schema { rel_path, document, secret_keys, compiled })
}

/// Key globs of every property the schema marks secret.
pub fn secret_globs(schema: &J) -> Vec<KeyGlob> {
    let mut globs = Vec::new();
    walk(schema, &mut String::new(), &mut globs);
    globs
}

fn walk(node: &J, path: &mut String, out: &mut Vec<KeyGlob>) {
    let Some(object) = node.as_object() else { return };
    let marked = object.get("writeOnly") == Some(&J::Bool(true))
        || object.get("x-secret") == Some(&J::Bool(true))
        || object.get("format").and_then(J::as_str) == Some("password");
    if marked
        && !path.is_empty()
        && let Ok(glob) = KeyGlob::new(path)
    {
        out.push(glob);
    }
    let mark = path.len();
    if let Some(properties) = object.get("properties").and_then(J::as_object) {
        for (key, child) in properties {
            push_key(path, key);
            walk(child, path, out);
            path.truncate(mark);
        }
    }
    for (field, step) in [("items", "[*]"), ("additionalProperties", "*")] {
        if let Some(child) = object.get(field) {
            if step == "*" && !path.is_empty() {
                path.push('.');
            }
            path.push_str(step);
            walk(child, path, out);
            path.truncate(mark);
        }
    }
    if let Some(patterns) = object.get("patternProperties").and_then(J::as_object) {
        for child in patterns.values() {
            if !path.is_empty() {
                path.push('.');
            }
            path.push('*');
            walk(child, path, out);
            path.truncate(mark);
        }
    }
    for combinator in ["allOf", "anyOf", "oneOf"] {
        for child in object.get(combinator).and_then(J::as_array).into_iter().flatten() {
            walk(child, path, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_kind_of_mark() {
        let schema = serde_json::json!({
            "type": "object",
            "properties": {
                "db": {"properties": {
                    "password": {"type": "string", "format": "password"},
                    "host": {"type": "string"}
                }},
                "tokens": {"type": "array", "items": {"type": "string", "writeOnly": true}},
                "vault": {"additionalProperties": {"x-secret": true}},
                "odd.key": {"writeOnly": true},
                "combo": {"allOf": [{"properties": {"pin": {"x-secret": true}}}]}
            }
        });
        let globs: Vec<String> =
            secret_globs(&schema).iter().map(|g| g.as_str().to_owned()).collect();
        assert_eq!(globs, ["db.password", "tokens[*]", "vault.*", "\"odd.key\"", "combo.pin"]);
        let globs = secret_globs(&schema);
        assert!(globs.iter().any(|g| g.matches("tokens[3]")));
        assert!(globs.iter().any(|g| g.matches("vault.anything")));
        assert!(!globs.iter().any(|g| g.matches("db.host")));
    }
}
