//! The walk's candidate files by folder, as the layouts see them: config
//! files by extension, dotenv files, and the marker files the presets'
//! guards look for (`Chart.yaml`, `pom.xml`, `package.json`, …). Each file
//! can be claimed by one set only.

use std::collections::BTreeMap;

use crate::core::file_name::NamePattern;
use crate::core::parse::Format;

/// Names that only guard a preset; they never join a set.
const MARKERS: &[&str] = &[
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "package.json",
    "Chart.yaml",
    "application.rb",
];

/// Whether a walked file is worth keeping for the layouts.
pub fn is_candidate_name(name: &str, patterns: &[NamePattern]) -> bool {
    MARKERS.contains(&name)
        || name == ".env"
        || name.starts_with(".env.")
        || extension_format(name).is_some()
        || crate::core::file_name::match_with_patterns(name, patterns).is_some()
}

fn extension_format(name: &str) -> Option<Format> {
    Format::from_extension(name.rsplit_once('.')?.1)
}

/// One walked file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The folder, relative to the root with `/` ("" at the root).
    pub dir: String,
    pub name: String,
    pub rel_path: String,
}

impl Candidate {
    pub fn new(rel_path: String) -> Self {
        let (dir, name) = match rel_path.rsplit_once('/') {
            Some((dir, name)) => (dir.to_owned(), name.to_owned()),
            None => (String::new(), rel_path.clone()),
        };
        Self { dir, name, rel_path }
    }

    /// The format its extension says; dotenv for `.env` files.
    pub fn format(&self) -> Option<Format> {
        if self.name == ".env" || self.name.starts_with(".env.") {
            return Some(Format::Dotenv);
        }
        extension_format(&self.name)
    }

    /// A marker file, never a member of a set.
    pub fn is_marker(&self) -> bool {
        MARKERS.contains(&self.name.as_str())
    }
}

/// The candidates of a walk by folder, with what is claimed.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Where the walk started: the presets whose guard looks inside a
    /// file (Rails, dynaconf, kustomize, Spring documents) read it here.
    root: std::path::PathBuf,
    source: crate::core::files::Files,
    files: Vec<Candidate>,
    by_dir: BTreeMap<String, Vec<usize>>,
    claimed: Vec<bool>,
}

impl Tree {
    pub fn new(mut files: Vec<Candidate>) -> Self {
        files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        let mut by_dir: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, file) in files.iter().enumerate() {
            by_dir.entry(file.dir.clone()).or_default().push(i);
        }
        let claimed = vec![false; files.len()];
        let (root, source) = (std::path::PathBuf::new(), crate::core::files::Files::WorkTree);
        Self { root, source, files, by_dir, claimed }
    }

    /// The tree of a walk from `root`, its files read from `source`.
    #[must_use]
    pub fn at(mut self, root: &std::path::Path, source: &crate::core::files::Files) -> Self {
        self.root = root.to_path_buf();
        self.source = source.clone();
        self
    }

    /// The keys of file `index` in `format`, for a guard that looks
    /// inside (None when it cannot be read or parsed: the file then joins
    /// no preset, and the built-in rules or its error take it).
    pub fn read(&self, index: usize, format: Format) -> Option<Keys> {
        let rel = &self.files[index].rel_path;
        if !self.source.is_file(&self.root, rel) {
            return None;
        }
        let bytes = self.source.read(&self.root, rel).ok()?;
        let (text, _bom) = crate::core::source::decode(&bytes).ok()?;
        let parsed = crate::core::parse::parse(format, text).ok()?;
        let mut paths = Vec::with_capacity(parsed.paths.len());
        let mut cursor = parsed.paths.cursor();
        while let Some(path) = cursor.advance() {
            paths.push(path.to_owned());
        }
        let values = parsed
            .leaves
            .iter()
            .filter_map(|leaf| Some((paths.get(leaf.key.index())?.clone(), leaf.value.clone())))
            .collect();
        Some(Keys { values })
    }

    pub fn file(&self, index: usize) -> &Candidate {
        &self.files[index]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Every folder holding candidates, with their indices, sorted.
    pub fn dirs(&self) -> impl Iterator<Item = (&str, &[usize])> {
        self.by_dir.iter().map(|(dir, files)| (dir.as_str(), files.as_slice()))
    }

    /// The unclaimed files of one folder.
    pub fn in_dir<'t>(&'t self, dir: &str) -> impl Iterator<Item = (usize, &'t Candidate)> + 't {
        self.by_dir
            .get(dir)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| !self.claimed[i])
            .map(|i| (i, &self.files[i]))
    }

    /// The unclaimed file `name` of `dir`.
    pub fn find(&self, dir: &str, name: &str) -> Option<usize> {
        self.in_dir(dir).find(|(_, f)| f.name == name).map(|(i, _)| i)
    }

    /// Whether `dir` holds a file named `name`, claimed or not.
    pub fn has(&self, dir: &str, name: &str) -> bool {
        self.by_dir.get(dir).is_some_and(|files| files.iter().any(|&i| self.files[i].name == name))
    }

    pub fn is_claimed(&self, index: usize) -> bool {
        self.claimed[index]
    }

    pub fn claim(&mut self, index: usize) {
        self.claimed[index] = true;
    }

    /// Unclaimed files that are not markers, in path order.
    pub fn unclaimed(&self) -> impl Iterator<Item = (usize, &Candidate)> {
        self.files.iter().enumerate().filter(|(i, f)| !self.claimed[*i] && !f.is_marker())
    }
}

/// A file's keys and values as a guard reads them.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    /// Key path and value of every leaf, in document order.
    pub values: Vec<(String, crate::core::leaf::Value)>,
}

impl Keys {
    /// The top-level keys in order, each once, with whether it holds a
    /// mapping with entries: (its path segment as written in paths, raw name).
    pub fn top_level(&self) -> Vec<TopKey> {
        let mut out: Vec<TopKey> = Vec::new();
        for (path, _) in &self.values {
            let ends = crate::core::key_path::prefix_ends(path);
            let (segment, map) = match ends.first() {
                Some(&end) => (&path[..end], path.as_bytes()[end] == b'.'),
                None => (path.as_str(), false),
            };
            if out.last().is_some_and(|k| k.path == segment) {
                continue;
            }
            if out.iter().any(|k| k.path == segment) {
                continue;
            }
            let name =
                crate::core::key_path::parse(segment).ok().and_then(|s| match s.as_slice() {
                    [crate::core::key_path::Segment::Key(name)] => Some(name.clone()),
                    _ => None,
                });
            out.push(TopKey { path: segment.to_owned(), name, map });
        }
        out
    }

    /// The string value at `path`.
    pub fn string(&self, path: &str) -> Option<&str> {
        self.values.iter().find(|(p, _)| p == path).and_then(|(_, v)| match v {
            crate::core::leaf::Value::String(s) => Some(s.as_str()),
            _ => None,
        })
    }
}

/// One top-level key of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopKey {
    /// As it starts key paths (quoted where §3 quotes it).
    pub path: String,
    /// The key's name, None for a document index (`[1]`).
    pub name: Option<String>,
    /// It holds a mapping with entries.
    pub map: bool,
}

/// The folder above `dir` ("" above a top-level folder), None at the root.
pub(crate) fn parent(dir: &str) -> Option<&str> {
    if dir.is_empty() {
        return None;
    }
    Some(dir.rsplit_once('/').map_or("", |(up, _)| up))
}
