//! Kubernetes manifests (§12): a document with `apiVersion`, `kind` and
//! `metadata.name` is keyed `Kind/name` (the namespace added only when two
//! documents would collide; kustomize prefixes, suffixes and generated
//! hash suffixes stripped), with the fields the cluster writes left out.
//! A Secret's `data` is decoded, `stringData` laid over it; a `ConfigMap`'s
//! file-like values are read into keys below them.

use base64::Engine as _;
use rustc_hash::FxHashMap;

use super::{Context, KeyProblem, Spelled};
use crate::core::encrypted::Encryption;
use crate::core::key_path;
use crate::core::keys::PathList;
use crate::core::leaf::{Leaf, Origin, Parsed, Value};
use crate::core::parse::{self, Format};

/// Fields the cluster writes, not the author (kubectl diff masks them too).
const NOISE: [&str; 6] = [
    "metadata.managedFields",
    "metadata.resourceVersion",
    "metadata.uid",
    "metadata.creationTimestamp",
    "metadata.generation",
    "status",
];

/// Whether some document of the file looks like a Kubernetes object: a
/// cheap look for `kind` before anything is rewritten.
pub(super) fn has_manifest(parsed: &Parsed) -> bool {
    let mut cursor = parsed.paths.cursor();
    let mut kind = false;
    let mut api = false;
    while let Some(path) = cursor.advance() {
        let (_, rest) = split_document(path);
        kind |= rest == "kind";
        api |= rest == "apiVersion";
        if kind && api {
            return true;
        }
    }
    false
}

/// A path's document segment (`[2]`, or empty in a file of one
/// document) and the rest of it.
fn split_document(path: &str) -> (&str, &str) {
    if path.starts_with('[')
        && let Some(close) = path.find(']')
        && path[1..close].bytes().all(|b| b.is_ascii_digit())
    {
        let rest = &path[close + 1..];
        return (&path[..=close], rest.strip_prefix('.').unwrap_or(rest));
    }
    ("", path)
}

/// A place in a file's leaves or paths: a file is far below 4 GiB (§2).
fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One document's identity fields.
#[derive(Debug, Default, Clone)]
struct Object {
    api_version: Option<String>,
    kind: Option<String>,
    name: Option<String>,
    namespace: Option<String>,
}

impl Object {
    fn is_object(&self) -> bool {
        self.api_version.is_some() && self.kind.is_some() && self.name.is_some()
    }
}

/// The file with its Kubernetes documents keyed and cleaned. The paths
/// are read once into one table and each leaf is moved, not copied: most
/// leaves of a large stream only get their object's key in front.
pub(super) fn documents(
    parsed: Parsed,
    context: &Context,
    problems: &mut Vec<KeyProblem>,
) -> Parsed {
    let encryption = parsed.encryption.clone();
    let (table, leaves) = parsed.into_table();
    let mut documents = Documents::default();
    // Each leaf's document and where the path in it starts, found once.
    let mut placed: Vec<(u32, u32)> = Vec::with_capacity(leaves.len());
    for leaf in &leaves {
        let path = table.path(leaf.key);
        let (doc, rest) = split_document(path);
        let i = documents.of(doc);
        placed.push((len32(i), len32(path.len() - rest.len())));
        let object = &mut documents.objects[i].1;
        let Value::String(text) = &leaf.value else { continue };
        let slot = match rest {
            "apiVersion" => &mut object.api_version,
            "kind" => &mut object.kind,
            "metadata.name" => &mut object.name,
            "metadata.namespace" => &mut object.namespace,
            _ => continue,
        };
        *slot = Some(text.to_string());
    }
    // Each object's key as it starts paths, written once per document,
    // beside its kind; None for a document that is no object.
    let mut names = object_names(&documents.objects, context);
    let keyed: Vec<Option<(String, Shaped)>> = documents
        .objects
        .iter()
        .map(|(doc, object)| {
            let name = names.remove(doc)?;
            let mut keyed = String::with_capacity(name.len() + 2);
            key_path::push_key(&mut keyed, &name);
            let shaped = match object.kind.as_deref() {
                Some("Secret") => Shaped::Secret,
                Some("ConfigMap") => Shaped::ConfigMap,
                _ => Shaped::AsWritten,
            };
            Some((keyed, shaped))
        })
        .collect();
    let mut out = Out {
        leaves: Vec::with_capacity(leaves.len()),
        paths: PathList::with_capacity(leaves.len()),
        late: Vec::new(),
        scratch: String::new(),
    };
    for (leaf, (doc, rest_at)) in leaves.into_iter().zip(placed) {
        let path = table.path(leaf.key);
        let rest = &path[rest_at as usize..];
        let Some((object, shaped)) = &keyed[doc as usize] else {
            out.push(leaf, path);
            continue;
        };
        if is_noise(rest) {
            continue;
        }
        let placed = Placed { object, rest, leaf };
        match shaped {
            Shaped::Secret => secret_value(placed, &mut out, problems),
            Shaped::ConfigMap => config_map_value(placed, &mut out, problems),
            Shaped::AsWritten => out.push_joined(placed.leaf, object, rest),
        }
    }
    out.into_parsed(encryption)
}

/// What a document's kind asks of its values beyond the object's key.
#[derive(Debug, Clone, Copy)]
enum Shaped {
    Secret,
    ConfigMap,
    AsWritten,
}

/// The documents of a file in order of appearance, with their fields.
#[derive(Default)]
struct Documents<'a> {
    objects: Vec<(&'a str, Object)>,
    at: FxHashMap<&'a str, usize>,
    /// The document asked for last: a document's leaves come one after
    /// the other, so the map is seldom needed.
    last: Option<(&'a str, usize)>,
}

impl<'a> Documents<'a> {
    /// The place of document `doc` (its segment), added when new.
    fn of(&mut self, doc: &'a str) -> usize {
        if let Some((last, i)) = self.last
            && last == doc
        {
            return i;
        }
        let i = *self.at.entry(doc).or_insert_with(|| {
            self.objects.push((doc, Object::default()));
            self.objects.len() - 1
        });
        self.last = Some((doc, i));
        i
    }
}

/// Whether `rest` is one of the `NOISE` fields or below one.
fn is_noise(rest: &str) -> bool {
    (rest.starts_with("metadata.") || rest.starts_with("status"))
        && NOISE.iter().any(|noise| is_under(rest, noise))
}

/// Whether `rest` is `prefix` or below it.
fn is_under(rest: &str, prefix: &str) -> bool {
    rest.strip_prefix(prefix).is_some_and(|tail| tail.is_empty() || tail.starts_with(['.', '[']))
}

fn join(object: &str, rest: &str) -> String {
    let mut path = String::with_capacity(object.len() + 1 + rest.len());
    path.push_str(object);
    if !rest.is_empty() {
        path.push('.');
        path.push_str(rest);
    }
    path
}

/// The key of each Kubernetes document by its document segment.
fn object_names<'a>(
    objects: &[(&'a str, Object)],
    context: &Context,
) -> FxHashMap<&'a str, String> {
    let affixes = affixes(context);
    // Each object's kind and matching name, worked out once.
    let matched: Vec<Option<(&str, String)>> = objects
        .iter()
        .map(|(_, o)| {
            let kind = o.kind.as_deref().unwrap_or_default();
            o.is_object().then(|| (kind, matching_name(o, &affixes)))
        })
        .collect();
    let short = |(kind, name): &(&str, String)| format!("{kind}/{name}");
    let mut count: FxHashMap<String, usize> = FxHashMap::default();
    for m in matched.iter().flatten() {
        *count.entry(short(m)).or_default() += 1;
    }
    let mut names: FxHashMap<&str, String> = FxHashMap::default();
    let mut taken: FxHashMap<String, usize> = FxHashMap::default();
    for ((doc, o), m) in objects.iter().zip(&matched) {
        let Some(m) = m else { continue };
        let name = short(m);
        let name = if count.get(&name).copied().unwrap_or(0) > 1 {
            let namespace = o.namespace.as_deref().unwrap_or("default");
            format!("{}/{namespace}/{}", m.0, m.1)
        } else {
            name
        };
        // Two documents alike even with their namespace keep positions.
        *taken.entry(name.clone()).or_default() += 1;
        names.insert(doc, name);
    }
    names.retain(|_, name| taken.get(name.as_str()).copied().unwrap_or(0) == 1);
    names
}

/// The prefixes and suffixes an object's name may carry in this file: the
/// kustomization's, then the env's own (`{env}-`, `-{env}`).
fn affixes(context: &Context) -> Vec<(String, String)> {
    let mut affixes = context.affixes.clone();
    let env = &context.env;
    if !env.is_empty() {
        affixes.push((format!("{env}-"), String::new()));
        affixes.push((String::new(), format!("-{env}")));
    }
    affixes
}

/// An object's name as objects are matched across envs: without
/// kustomize's generated hash suffix (`ConfigMap`s and Secrets) and without
/// the first of `affixes` it carries.
fn matching_name(object: &Object, affixes: &[(String, String)]) -> String {
    let mut name = object.name.as_deref().unwrap_or_default();
    if matches!(object.kind.as_deref(), Some("ConfigMap" | "Secret")) {
        name = strip_hash(name);
    }
    for (prefix, suffix) in affixes {
        let stripped =
            name.strip_prefix(prefix.as_str()).and_then(|n| n.strip_suffix(suffix.as_str()));
        if let Some(stripped) = stripped.filter(|s| !s.is_empty()) {
            return stripped.to_owned();
        }
    }
    name.to_owned()
}

/// `app-config-5h2fk8m9t4` → `app-config`: kustomize appends `-` and ten
/// characters of its hash alphabet to generated names.
pub(super) fn strip_hash(name: &str) -> &str {
    const ALPHABET: &[u8] = b"bcdfghkmt2456789";
    match name.len().checked_sub(11).and_then(|at| name.get(at..).map(|tail| (at, tail))) {
        Some((at, tail))
            if at > 0
                && tail.starts_with('-')
                && tail.as_bytes()[1..].iter().all(|b| ALPHABET.contains(b))
                && tail.as_bytes()[1..].iter().any(u8::is_ascii_digit) =>
        {
            &name[..at]
        }
        _ => name,
    }
}

/// A leaf of a Kubernetes document, its object's key and the path in it.
struct Placed<'a> {
    object: &'a str,
    rest: &'a str,
    leaf: Leaf,
}

/// The leaves being written with their new paths, and the `stringData`
/// ones that go last.
struct Out {
    leaves: Vec<Leaf>,
    paths: PathList,
    late: Vec<(Leaf, String)>,
    /// Room for the path being joined, kept from leaf to leaf.
    scratch: String,
}

impl Out {
    fn push(&mut self, mut leaf: Leaf, path: &str) {
        leaf.key = self.paths.push(path);
        self.leaves.push(leaf);
    }

    /// Pushes `leaf` at `object.rest`.
    fn push_joined(&mut self, mut leaf: Leaf, object: &str, rest: &str) {
        self.scratch.clear();
        self.scratch.push_str(object);
        if !rest.is_empty() {
            self.scratch.push('.');
            self.scratch.push_str(rest);
        }
        leaf.key = self.paths.push(&self.scratch);
        self.leaves.push(leaf);
    }

    /// Back to a parser's output. `stringData` over `data` (§12): both
    /// are written to `data.<key>`, and of a path given twice the last
    /// leaf is kept. Every other path is written once (each document's
    /// paths are distinct, and so are the keys of its objects): only a
    /// file with `stringData` needs the paths compared.
    fn into_parsed(self, encryption: Option<Encryption>) -> Parsed {
        let Self { leaves, paths, late, .. } = self;
        if late.is_empty() {
            return Parsed { leaves, paths, encryption };
        }
        let mut spelled =
            Spelled { leaves, paths: Vec::with_capacity(paths.len() + late.len()), encryption };
        let mut cursor = paths.cursor();
        while let Some(path) = cursor.advance() {
            spelled.paths.push(path.to_owned());
        }
        for (leaf, path) in late {
            spelled.leaves.push(leaf);
            spelled.paths.push(path);
        }
        spelled.into_parsed()
    }
}

/// One `data.<key>` entry: the segment after `data.` when there is
/// exactly one.
fn data_entry<'a>(rest: &'a str, field: &str) -> Option<&'a str> {
    let tail = rest.strip_prefix(field)?.strip_prefix('.')?;
    key_path::prefix_ends(tail).is_empty().then_some(tail)
}

/// A Secret's leaf: `data` decoded, `stringData` written to `data`.
fn secret_value(placed: Placed<'_>, out: &mut Out, problems: &mut Vec<KeyProblem>) {
    let Placed { object, rest, leaf } = placed;
    if let Some(entry) = data_entry(rest, "stringData") {
        let path = format!("{object}.data.{entry}");
        out.late.push((leaf, path));
        return;
    }
    let Some(entry) = data_entry(rest, "data") else {
        out.push_joined(leaf, object, rest);
        return;
    };
    let path = format!("{object}.data.{entry}");
    let Value::String(text) = &leaf.value else {
        out.push(leaf, &path);
        return;
    };
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
        let value = match String::from_utf8(bytes) {
            Ok(text) => Value::String(text.into()),
            Err(err) => Value::Bytes(err.into_bytes().into_boxed_slice()),
        };
        out.push(Leaf { value, origin: Origin::Base64, ..leaf }, &path);
    } else {
        problems.push(KeyProblem {
            key: path.clone(),
            position: leaf.position,
            message: format!("`{path}` is not valid base64; compared as written"),
        });
        out.push(leaf, &path);
    }
}

/// The format a `ConfigMap` data key's extension names (§12).
fn embedded_format(entry: &str) -> Option<Format> {
    let name = entry.trim_matches('"');
    let (_, extension) = name.rsplit_once('.')?;
    match extension {
        "yaml" | "yml" => Some(Format::Yaml),
        "json" => Some(Format::Json),
        "properties" => Some(Format::Properties),
        "env" => Some(Format::Dotenv),
        "toml" => Some(Format::Toml),
        "ini" => Some(Format::Ini),
        _ => None,
    }
}

/// A `ConfigMap`'s leaf: a file-like `data` value read into keys below it.
fn config_map_value(placed: Placed<'_>, out: &mut Out, problems: &mut Vec<KeyProblem>) {
    let Placed { object, rest, leaf } = placed;
    let (Some(entry), Value::String(text)) = (data_entry(rest, "data"), &leaf.value) else {
        out.push_joined(leaf, object, rest);
        return;
    };
    let Some(format) = embedded_format(entry) else {
        out.push_joined(leaf, object, rest);
        return;
    };
    let path = join(object, rest);
    match parse::parse(format, text) {
        Ok(inner) if !inner.leaves.is_empty() => {
            for named in inner.named() {
                let mut inner_path = path.clone();
                if !named.path.starts_with('[') {
                    inner_path.push('.');
                }
                inner_path.push_str(&named.path);
                let embedded = Leaf {
                    origin: Origin::Embedded,
                    position: leaf.position,
                    span: leaf.span,
                    doc: named.leaf.doc.clone(),
                    ..named.leaf
                };
                out.push(embedded, &inner_path);
            }
        }
        Ok(_) => out.push(leaf, &path),
        Err(err) => {
            problems.push(KeyProblem {
                key: path.clone(),
                position: leaf.position,
                message: format!(
                    "`{path}` does not parse as its extension says ({}); compared as text",
                    err.message
                ),
            });
            out.push(leaf, &path);
        }
    }
}
