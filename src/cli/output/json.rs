//! `envlens diff --format json`, field for field as §7 specifies.

use serde_json::{Map, Value, json};

use crate::cli::report::{DiffReport, SetReport};

pub fn diff(report: &DiffReport) -> Value {
    json!({
        "root": report.root,
        "sets": report.sets.iter().map(set).collect::<Vec<_>>(),
    })
}

fn set(set: &SetReport) -> Value {
    let files: Map<String, Value> =
        set.files.iter().map(|(env, path)| (env.clone(), Value::from(path.as_str()))).collect();
    let errors: Vec<Value> = set
        .errors
        .iter()
        .map(|e| {
            json!({"env": e.env, "file": e.file, "line": e.line, "column": e.column, "message": e.message})
        })
        .collect();
    let keys: Vec<Value> = set
        .rows
        .iter()
        .map(|row| {
            let values: Map<String, Value> = set
                .envs
                .iter()
                .zip(&row.cells)
                .map(|(env, cell)| {
                    let value = cell.as_ref().map_or(Value::Null, |c| {
                        json!({
                            "value": c.json,
                            "type": c.value_type.as_str(),
                            "secret": c.secret,
                            "inherited": c.inherited,
                            "line": c.line,
                        })
                    });
                    (env.clone(), value)
                })
                .collect();
            json!({"key": row.key, "status": row.status.as_str(), "values": values})
        })
        .collect();
    json!({"name": set.name, "envs": set.envs, "files": files, "errors": errors, "keys": keys})
}
