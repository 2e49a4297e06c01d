//! `envlens docs --format json`: the same report as the Markdown page, as
//! one JSON object (`sets`, each with `coverage` and `keys`).

use serde_json::{Map, Value, json};

use crate::cli::docs::{DocsKey, DocsReport, DocsSet, DocsValue};

pub fn render(report: &DocsReport) -> Value {
    json!({ "sets": report.sets.iter().map(set).collect::<Vec<_>>() })
}

fn set(set: &DocsSet) -> Value {
    let files: Map<String, Value> =
        set.files.iter().map(|(env, path)| (env.clone(), Value::from(path.as_str()))).collect();
    let mut out = json!({
        "name": set.name,
        "envs": set.envs,
        "files": files,
        "base": set.base,
        "schema": set.schema,
        "coverage": {"keys": set.keys.len(), "described": set.described,
                     "undescribed": set.keys.len() - set.described},
        "keys": set.keys.iter().map(|k| key(set, k)).collect::<Vec<_>>(),
    });
    // As `diff --format json` has them (§7): only where a source is.
    if !set.sources.is_empty() {
        out["sources"] = set
            .sources
            .iter()
            .map(|s| {
                json!({"env": s.env, "kind": s.kind, "path": s.path, "status": s.status,
                       "keys": s.keys, "error": s.error})
            })
            .collect();
    }
    out
}

/// One env's value, with the fields a cell of `diff --format json` has.
fn cell(v: &DocsValue) -> Value {
    let mut out = json!({"value": v.json, "type": v.value_type, "secret": v.secret,
                         "inherited": v.inherited, "line": v.line});
    if let Some(source) = &v.source {
        out["source"] = Value::from(source.as_str());
    }
    if v.encrypted {
        out["encrypted"] = Value::Bool(true);
    }
    out
}

fn key(set: &DocsSet, key: &DocsKey) -> Value {
    let doc = &key.doc;
    let values: Map<String, Value> = set
        .envs
        .iter()
        .zip(&key.values)
        .map(|(env, value)| {
            let value = value.as_ref().map_or(Value::Null, cell);
            (env.clone(), value)
        })
        .collect();
    json!({
        "key": key.key,
        "status": key.status.as_str(),
        "title": doc.title,
        "description": doc.description,
        "source": key.source,
        "type": doc.schema_type,
        "value_types": key.value_types,
        "enum": doc.allowed,
        "default": doc.default,
        "minimum": doc.minimum,
        "maximum": doc.maximum,
        "pattern": doc.pattern,
        "format": doc.format,
        "examples": doc.examples,
        "deprecated": doc.deprecated,
        "values": values,
    })
}
