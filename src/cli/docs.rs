//! `envlens docs`: every key of every set with its documentation (§6) and
//! its value in each env, masked, plus a documentation coverage count per
//! set. The report is decided here; `output/docs_*` lay it out.

use std::io::Write;

use serde_json::Value as J;

use super::error::CliError;
use super::{Outcome, load_project, output};
use crate::args::{CommonArgs, DocsArgs, DocsFormat};
use crate::core::diff::{Row, Status};
use crate::core::docs::{self, DocSource, KeyDoc};
use crate::core::project::LoadedSet;
use crate::core::report;

#[derive(Debug, Clone)]
pub struct DocsReport {
    pub sets: Vec<DocsSet>,
}

#[derive(Debug, Clone)]
pub struct DocsSet {
    pub name: String,
    pub envs: Vec<String>,
    /// (env, path) in env order.
    pub files: Vec<(String, String)>,
    pub base: Option<String>,
    pub schema: Option<String>,
    /// The env columns that sources give (§13), in env order.
    pub sources: Vec<report::SourceReport>,
    pub keys: Vec<DocsKey>,
    /// Keys with a title or description, and all keys.
    pub described: usize,
}

#[derive(Debug, Clone)]
pub struct DocsKey {
    pub key: String,
    pub status: Status,
    pub doc: KeyDoc,
    /// Where the description came from, for the reader: a file (and line).
    pub source: Option<String>,
    /// The types the envs hold (`int`, `string`, …), distinct, in env order.
    pub value_types: Vec<String>,
    /// The type in words: the schema's, and the files' where they disagree.
    pub type_text: String,
    /// One entry per env; None where the key is missing.
    pub values: Vec<Option<DocsValue>>,
}

#[derive(Debug, Clone)]
pub struct DocsValue {
    /// One line, masked.
    pub text: String,
    /// The JSON value, masked.
    pub json: J,
    pub value_type: String,
    pub secret: bool,
    pub encrypted: bool,
    pub inherited: bool,
    /// None for a store's value, which has no line.
    pub line: Option<u32>,
    /// What the column reads (`ssm:/api/prod/`) for a source's value.
    pub source: Option<String>,
}

pub fn run(args: &DocsArgs, common: &CommonArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let root = args.path.clone().unwrap_or_else(|| ".".into());
    let project = load_project(&root, common)?;
    let report = DocsReport { sets: project.sets.iter().map(set_report).collect() };
    let text = match args.format {
        DocsFormat::Markdown => output::docs_markdown::render(&report),
        DocsFormat::Json => {
            let mut text = serde_json::to_string_pretty(&output::docs_json::render(&report))
                .map_err(|e| CliError::new(format!("cannot write JSON: {e}")))?;
            text.push('\n');
            text
        }
    };
    out.write_all(text.as_bytes()).map_err(|e| CliError::output(&e))?;
    // §7: a file that failed to load makes the run fail (exit 2), and the
    // rest is still printed above.
    let messages: Vec<String> = project
        .sets
        .iter()
        .flat_map(LoadedSet::file_errors)
        .map(|(_, err)| format!("envlens: {err}"))
        .collect();
    Ok(Outcome { code: if messages.is_empty() { 0 } else { 2 }, messages })
}

fn set_report(set: &LoadedSet) -> DocsSet {
    let all: Vec<usize> = (0..set.envs.len()).collect();
    let comments = docs::Comments::of(set);
    let labels: Vec<Option<&str>> =
        set.envs.iter().map(|f| f.source.as_ref().map(|s| s.label.as_str())).collect();
    let keys: Vec<DocsKey> =
        set.rows(&all).iter().map(|row| key_report(set, &row, &comments, &labels)).collect();
    DocsSet {
        name: set.name.clone(),
        envs: set.env_names().into_iter().map(str::to_owned).collect(),
        files: set.envs.iter().map(|f| (f.file.env.clone(), f.file.rel_path.clone())).collect(),
        base: set.base.as_ref().map(|b| b.file.rel_path.clone()),
        schema: set.schema.as_ref().map(|s| s.rel_path.clone()),
        sources: set.envs.iter().filter_map(report::SourceReport::of).collect(),
        described: keys.iter().filter(|k| k.doc.has_text()).count(),
        keys,
    }
}

/// `labels`: per env, what its source reads (None for a file's env).
fn key_report(
    set: &LoadedSet,
    row: &Row<'_>,
    comments: &docs::Comments<'_>,
    labels: &[Option<&str>],
) -> DocsKey {
    let rules = set.key_rules(row.key);
    let mut value_types: Vec<String> = Vec::new();
    let mut any_secret = false;
    let values = row
        .cells
        .iter()
        .zip(labels)
        .map(|(cell, label)| {
            cell.map(|cell| {
                let shown = report::cell_report(rules, cell, None, false);
                any_secret |= shown.secret;
                let value_type = shown.value_type.as_str().to_owned();
                if !value_types.contains(&value_type) {
                    value_types.push(value_type.clone());
                }
                DocsValue {
                    text: shown.text,
                    json: shown.json,
                    value_type,
                    secret: shown.secret,
                    encrypted: shown.encrypted,
                    inherited: shown.inherited,
                    line: (!shown.origin.is_store()).then_some(shown.line),
                    source: label.map(str::to_owned),
                }
            })
        })
        .collect();
    let doc = docs::for_key_in(set, row.key, row.id, comments, any_secret);
    let source = doc.source.as_ref().map(|s| match s {
        DocSource::Schema { rel_path } => rel_path.clone(),
        DocSource::Comment { rel_path, line, .. } => format!("{rel_path}:{line}"),
    });
    let type_text = type_text(doc.schema_type.as_deref(), &value_types);
    DocsKey {
        key: row.key.to_owned(),
        status: row.status,
        doc,
        source,
        value_types,
        type_text,
        values,
    }
}

/// `integer` from the schema, or the held types; both when a file holds a
/// type the schema does not allow (a reader should see `"1e-3"` is text).
fn type_text(schema_type: Option<&str>, held: &[String]) -> String {
    let Some(schema_type) = schema_type else { return held.join(", ") };
    let fits = |value_type: &str| {
        let allowed =
            |name: &str| schema_type.contains(&format!("\"{name}\"")) || schema_type == name;
        match value_type {
            "int" => allowed("integer") || allowed("number"),
            "float" => allowed("number"),
            "bool" => allowed("boolean"),
            "list" => allowed("array"),
            "map" => allowed("object"),
            "datetime" => allowed("string"),
            other => allowed(other),
        }
    };
    let odd: Vec<&str> = held.iter().map(String::as_str).filter(|t| !fits(t)).collect();
    if odd.is_empty() {
        format!("`{schema_type}`")
    } else {
        format!("`{schema_type}` (schema), but a file holds {}", odd.join(", "))
    }
}
