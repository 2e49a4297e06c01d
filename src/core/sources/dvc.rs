//! `dvc.lock`: the params each stage was last run with, under
//! `stages.<stage>.params.<params file>.<key>` (flat dotted keys, values
//! as YAML). They become an env `dvc.lock` of the set of each params file,
//! so a params file changed since the last `dvc repro` shows as drift.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Entry, SourceError, path_of_dotted};
use crate::core::key_path::{self, Segment};
use crate::core::parse::{self, Format};

/// The params recorded in the lock at `path`, by params file (relative to
/// the lock's folder, with `/`).
pub fn params(path: &Path) -> Result<BTreeMap<String, Vec<Entry>>, SourceError> {
    let text = std::fs::read_to_string(path).map_err(|err| {
        SourceError::new(format!("{}: cannot read ({})", path.display(), err.kind()))
    })?;
    let parsed = parse::parse(Format::Yaml, &text)
        .map_err(|err| SourceError::new(format!("{}: {}", path.display(), err.message)))?;
    let mut by_file: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for leaf in &parsed.leaves {
        let full = parsed.path(leaf);
        let Ok(segments) = key_path::parse(&full) else { continue };
        let [
            Segment::Key(stages),
            Segment::Key(_stage),
            Segment::Key(params),
            Segment::Key(file),
            Segment::Key(name),
            rest @ ..,
        ] = segments.as_slice()
        else {
            continue;
        };
        if stages != "stages" || params != "params" {
            continue;
        }
        let mut key = path_of_dotted(name);
        for segment in rest {
            match segment {
                Segment::Key(k) => key_path::push_key(&mut key, k),
                Segment::Index(i) => key_path::push_index(&mut key, *i),
                Segment::Identity(fields) => key_path::push_identity(
                    &mut key,
                    fields.iter().map(|(f, v)| (f.as_str(), v.as_str())),
                ),
            }
        }
        let entries = by_file.entry(file.clone()).or_default();
        if !entries.iter().any(|e| e.path == key) {
            entries.push(Entry { path: key, value: leaf.value.clone(), secret: false });
        }
    }
    Ok(by_file)
}
