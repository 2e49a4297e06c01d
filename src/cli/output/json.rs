//! `envlens diff --format json`, field for field as §7 specifies. The
//! report is serialised straight to the output: on a large project a JSON
//! tree and a string of it would cost more memory than the project itself.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::json;

use crate::core::report::{
    CellReport, DiffReport, ErrorReport, RowReport, SetReport, SourceReport,
};

/// Writes the report as pretty JSON, ending with a newline.
pub fn write_diff(report: &DiffReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // The serialiser writes token by token: a buffer of a known type takes
    // them without a dynamic call each (megabytes of JSON on a monorepo).
    use std::io::Write as _;
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut out, &Diff(report))?;
    out.write_all(b"\n")?;
    out.flush()
}

struct Diff<'a>(&'a DiffReport);

impl Serialize for Diff<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("root", &self.0.root)?;
        map.serialize_entry("sets", &Seq(&self.0.sets, Set))?;
        map.end()
    }
}

/// A slice serialised through a wrapper for each element.
struct Seq<'a, T, W>(&'a [T], fn(&'a T) -> W);

impl<T, W: Serialize> Serialize for Seq<'_, T, W> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(&(self.1)(item))?;
        }
        seq.end()
    }
}

struct Set<'a>(&'a SetReport);

impl Serialize for Set<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let set = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &set.name)?;
        map.serialize_entry("envs", &set.envs)?;
        map.serialize_entry("files", &Files(&set.files))?;
        map.serialize_entry("errors", &Seq(&set.errors, Error))?;
        if !set.sources.is_empty() {
            map.serialize_entry("sources", &Seq(&set.sources, Source))?;
        }
        let rows: Vec<Row<'_>> = set.rows.iter().map(|row| Row(row, &set.envs)).collect();
        map.serialize_entry("keys", &rows)?;
        map.end()
    }
}

struct Files<'a>(&'a [(String, String)]);

impl Serialize for Files<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (env, path) in self.0 {
            map.serialize_entry(env, path)?;
        }
        map.end()
    }
}

struct Source<'a>(&'a SourceReport);

impl Serialize for Source<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = self.0;
        json!({"env": s.env, "kind": s.kind, "path": s.path, "status": s.status,
               "keys": s.keys, "error": s.error})
        .serialize(serializer)
    }
}

struct Error<'a>(&'a ErrorReport);

impl Serialize for Error<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        json!({"env": e.env, "file": e.file, "line": e.line, "column": e.column, "message": e.message})
            .serialize(serializer)
    }
}

struct Row<'a>(&'a RowReport, &'a [String]);

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Row(row, envs) = *self;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("key", &row.key)?;
        map.serialize_entry("status", row.status.as_str())?;
        map.serialize_entry("values", &Values(envs, row))?;
        if let Some(before) = &row.before {
            // A cell that is gone now is `null` and carries no `before`:
            // the values it had at REV are listed here.
            let gone: Vec<(&String, &CellReport)> = envs
                .iter()
                .zip(row.cells.iter().zip(before))
                .filter_map(|(env, (now, then))| match (now, then) {
                    (None, Some(then)) => Some((env, then)),
                    _ => None,
                })
                .collect();
            if !gone.is_empty() {
                map.serialize_entry("removed", &Removed(&gone))?;
            }
        }
        map.end()
    }
}

struct Values<'a>(&'a [String], &'a RowReport);

impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Values(envs, row) = *self;
        let mut map = serializer.serialize_map(Some(envs.len()))?;
        for (i, (env, cell)) in envs.iter().zip(&row.cells).enumerate() {
            let then = match &row.before {
                None => Then::NotAsked,
                Some(before) => {
                    before.get(i).and_then(Option::as_ref).map_or(Then::Absent, Then::Was)
                }
            };
            map.serialize_entry(env, &cell.as_ref().map(|c| Cell(c, then)))?;
        }
        map.end()
    }
}

struct Removed<'a>(&'a [(&'a String, &'a CellReport)]);

impl Serialize for Removed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (env, cell) in self.0 {
            map.serialize_entry(env, &Cell(cell, Then::NotAsked))?;
        }
        map.end()
    }
}

/// A cell, and with `--since` its cell at REV.
struct Cell<'a>(&'a CellReport, Then<'a>);

/// A cell at REV (`--since`), as its `before` field writes it.
#[derive(Clone, Copy)]
enum Then<'a> {
    /// Without `--since`: no `before` field.
    NotAsked,
    /// The key was absent at REV: `"before": null`.
    Absent,
    Was(&'a CellReport),
}

impl Serialize for Cell<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("value", &c.json)?;
        map.serialize_entry("type", c.value_type.as_str())?;
        map.serialize_entry("secret", &c.secret)?;
        match &c.layer {
            Some(layer) => map.serialize_entry("inherited", layer)?,
            None => map.serialize_entry("inherited", &c.inherited)?,
        }
        if c.origin.is_store() {
            map.serialize_entry("line", &None::<u32>)?;
        } else {
            map.serialize_entry("line", &c.line)?;
        }
        if let Some(source) = &c.source {
            map.serialize_entry("source", source)?;
        }
        if c.encrypted {
            map.serialize_entry("encrypted", &true)?;
        }
        if let Some(resolved) = &c.resolved {
            let value =
                resolved.value.as_ref().map(|value| json!({"value": value, "from": resolved.from}));
            map.serialize_entry("resolved", &value)?;
        }
        match self.1 {
            Then::NotAsked => {}
            Then::Absent => map.serialize_entry("before", &None::<()>)?,
            Then::Was(then) => map.serialize_entry("before", &Cell(then, Then::NotAsked))?,
        }
        map.end()
    }
}
