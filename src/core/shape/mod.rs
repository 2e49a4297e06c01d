//! A parsed file read as its tool reads it (§12), before it joins its
//! set: Kubernetes documents named `Kind/name` with their noise left out,
//! Secret `data` decoded and `ConfigMap` file-like values parsed into keys
//! (`manifest`), compose's `NAME=value` lists read as maps (`compose`), a
//! kustomization's generator literals read as maps (`kustomization`).
//! Works on flattened leaves, one file at a time.

mod compose;
mod kustomization;
mod manifest;

use super::keys::PathList;
use super::leaf::{Leaf, Origin, ParseError, Parsed, Position, Value};
use super::parse::{self, Format};

/// What a file's shaping needs to know besides its text.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The file's name, without folders (`docker-compose.prod.yml`).
    pub file_name: String,
    /// The env the file belongs to: `{env}-` and `-{env}` around an
    /// object's name are kustomize's prefixes and suffixes (§12).
    pub env: String,
    /// `namePrefix` and `nameSuffix` of a `kustomization.yaml` beside the
    /// file, when there is one.
    pub affixes: Vec<(String, String)>,
}

/// A problem of one key that does not stop the file loading: invalid
/// base64 in a Secret, a `ConfigMap`'s `app.yaml` that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProblem {
    pub key: String,
    pub position: Position,
    pub message: String,
}

/// `text` parsed and shaped, as a set reads it.
pub fn read(format: Format, text: &str, context: &Context) -> Result<Parsed, ParseError> {
    let parsed = parse::parse(format, text)?;
    Ok(shape(format, parsed, context).0)
}

/// The shaped leaves of a parsed file, and the problems of its keys.
pub fn shape(format: Format, parsed: Parsed, context: &Context) -> (Parsed, Vec<KeyProblem>) {
    if !matches!(format, Format::Yaml | Format::Json | Format::Jsonc | Format::Json5) {
        return (parsed, Vec::new());
    }
    let mut problems = Vec::new();
    let mut parsed = parsed;
    if compose::is_compose_file(&context.file_name) {
        parsed = compose::map_lists(parsed);
    }
    if kustomization::is_kustomization(&context.file_name) {
        parsed = kustomization::map_literals(parsed);
    }
    if manifest::has_manifest(&parsed) {
        parsed = manifest::documents(parsed, context, &mut problems);
    }
    (parsed, problems)
}

/// A `NAME=value` list item read as the map entry `<list>.NAME` (§12):
/// the path up to the list's end (`list_end`), then the name. Its origin
/// says so, for an edit writes the whole item back.
fn as_map_entry(leaf: &mut Leaf, path: &mut String, list_end: usize, name: &str, value: Value) {
    path.truncate(list_end);
    super::key_path::push_key(path, name);
    leaf.value = value;
    if leaf.origin == Origin::Direct {
        leaf.origin = Origin::ListItem;
    }
}

/// A file's leaves with their paths spelled out, for a rewrite.
struct Spelled {
    leaves: Vec<Leaf>,
    paths: Vec<String>,
    encryption: Option<super::encrypted::Encryption>,
}

impl Spelled {
    fn of(parsed: Parsed) -> Self {
        let mut all = Vec::with_capacity(parsed.paths.len());
        let mut cursor = parsed.paths.cursor();
        while let Some(path) = cursor.advance() {
            all.push(path.to_owned());
        }
        let paths = parsed
            .leaves
            .iter()
            .map(|l| all.get(l.key.index()).cloned().unwrap_or_default())
            .collect();
        Self { leaves: parsed.leaves, paths, encryption: parsed.encryption }
    }

    /// Back to a parser's output, paths in leaf order. A path given twice
    /// keeps its last leaf (compose's later `A=2` over `A=1`).
    fn into_parsed(self) -> Parsed {
        let mut seen = rustc_hash::FxHashSet::default();
        let keep: Vec<bool> = self.paths.iter().rev().map(|p| seen.insert(p.as_str())).collect();
        let mut list = PathList::with_capacity(self.paths.len());
        let mut leaves = Vec::with_capacity(self.leaves.len());
        for ((mut leaf, path), keep) in
            self.leaves.into_iter().zip(&self.paths).zip(keep.into_iter().rev())
        {
            if keep {
                leaf.key = list.push(path);
                leaves.push(leaf);
            }
        }
        Parsed { leaves, paths: list, encryption: self.encryption }
    }
}
