//! Reading a project's files: in parallel when it pays, each into its
//! leaves and path list or its error, with the fingerprint an edit checks.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{FileError, LoadedFile};
use crate::core::discover::ConfigFile;
use crate::core::files::Files;
use crate::core::keys::{KeyTable, PathList};
use crate::core::leaf::{ParseError, Parsed};
use crate::core::{parse, shape, source};

/// Below this much input, parsing on one thread is faster than starting more.
const PARALLEL_BYTES: u64 = 1024 * 1024;
/// From this many files on, parsing on several threads pays whatever their size.
pub(super) const PARALLEL_FILES: usize = 16;

pub use crate::core::fingerprint::Fingerprint;

/// How far a load has come: config files found, and parsed so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub found: usize,
    pub parsed: usize,
}

/// Loads files in order; in parallel when the input is large.
pub(super) fn load_files(
    source: &Files,
    root: &Path,
    files: &[&ConfigFile],
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Vec<ReadFile> {
    let found = files.len();
    let parsed = AtomicUsize::new(0);
    let load = |file: &ConfigFile| {
        let loaded = load_file_from(source, root, file);
        let parsed = parsed.fetch_add(1, Ordering::Relaxed) + 1;
        on_progress(Progress { found, parsed });
        loaded
    };
    let parallel = files.len() >= 2
        && (files.len() >= PARALLEL_FILES
            || matches!(source, Files::WorkTree) && worth_threads(root, files));
    crate::core::parallel::map(files, parallel, |file| load(file))
}

/// Many files are always worth a second thread; a few only when they are
/// large (sizes are looked up only then: a stat per file is not free).
fn worth_threads(root: &Path, files: &[&ConfigFile]) -> bool {
    files.len() >= PARALLEL_FILES
        || files
            .iter()
            .filter_map(|f| std::fs::metadata(root.join(&f.rel_path)).ok())
            .map(|m| m.len())
            .sum::<u64>()
            >= PARALLEL_BYTES
}

/// A file read on its own: its leaves' keys index `paths` until it joins
/// its set.
#[derive(Debug)]
pub struct ReadFile {
    pub file: LoadedFile,
    pub paths: PathList,
}

impl ReadFile {
    /// The file with its leaves keyed in its set's table.
    pub fn join(self, keys: &mut KeyTable) -> LoadedFile {
        let mut file = self.file;
        let leaves = std::mem::take(&mut file.leaves);
        file.leaves = Parsed { leaves, paths: self.paths, encryption: None }.join(keys);
        file
    }
}

/// Reads and parses one file of the working tree; any failure becomes the
/// file's error.
pub fn load_file(root: &Path, file: &ConfigFile) -> ReadFile {
    load_file_from(&Files::WorkTree, root, file)
}

/// `load_file` from the working tree or a revision's tree.
pub fn load_file_from(source: &Files, root: &Path, file: &ConfigFile) -> ReadFile {
    let mut fingerprint = None;
    // Its text may say it is in another format than its name (§14).
    let mut file = file.clone();
    let read = match source.snapshot() {
        None => read_and_parse(&root.join(&file.rel_path), &mut file, &mut fingerprint),
        Some(snapshot) => match snapshot.read(&file.rel_path) {
            Ok(bytes) => {
                fingerprint = Some(Fingerprint::of(&bytes, None));
                parse_bytes(&bytes, &mut file)
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                Err(ParseError::nowhere("a symbolic link to a file that does not exist"))
            }
            Err(err) => Err(ParseError::nowhere(Files::read_error(&err))),
        },
    };
    let (parsed, error) = match read {
        Ok(mut parsed) => {
            // A vector grown by doubling can hold half again its length in
            // spare room: on a 50 MB file that is 100+ MB held to the end.
            parsed.leaves.shrink_to_fit();
            parsed.paths.shrink_to_fit();
            (parsed, None)
        }
        Err(err) => (
            Parsed::default(),
            Some(FileError {
                rel_path: file.rel_path.clone(),
                position: err.position,
                message: err.message,
            }),
        ),
    };
    let (parsed, problems) = shape_and_mount(root, &file, parsed);
    let key_errors = problems
        .into_iter()
        .map(|p| FileError {
            rel_path: file.rel_path.clone(),
            position: Some(p.position),
            message: p.message,
        })
        .collect();
    let Parsed { leaves, paths, encryption } = parsed;
    let file = LoadedFile {
        file,
        leaves,
        error,
        key_errors,
        fingerprint,
        stale: None,
        encryption,
        source: None,
    };
    ReadFile { file, paths }
}

/// A file's leaves shaped (§12) and put where its layout mounts them. A
/// file mounted whole under its path (a kustomize folder's
/// `deployment.yaml`) is shaped first, as the file it is, so its manifests
/// are keyed `Kind/name` below the path; a section is taken out of its
/// file first and then shaped as the document it is.
pub fn shape_and_mount(
    root: &Path,
    file: &ConfigFile,
    parsed: Parsed,
) -> (Parsed, Vec<shape::KeyProblem>) {
    use crate::core::discover::Mount;
    let context = shape_context(root, file);
    match &file.mount {
        Mount::Under(_) => {
            let (parsed, problems) = shape::shape(file.format, parsed, &context);
            (super::mount::apply(parsed, &file.mount), problems)
        }
        mount => shape::shape(file.format, super::mount::apply(parsed, mount), &context),
    }
}

/// What shaping a file needs (§12): its name, its env, and the
/// `namePrefix`/`nameSuffix` of a kustomization beside it.
pub fn shape_context(root: &Path, file: &ConfigFile) -> shape::Context {
    let rel = Path::new(&file.rel_path);
    let file_name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let folder = root.join(rel.parent().unwrap_or_else(|| Path::new("")));
    shape::Context { file_name, env: file.env.clone(), affixes: kustomize_affixes(&folder) }
}

/// `namePrefix` and `nameSuffix` of `kustomization.{yaml,yml}` in `folder`.
fn kustomize_affixes(folder: &Path) -> Vec<(String, String)> {
    let text = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .find_map(|name| std::fs::read_to_string(folder.join(name)).ok());
    let Some(parsed) = text.and_then(|t| parse::parse(crate::core::parse::Format::Yaml, &t).ok())
    else {
        return Vec::new();
    };
    let mut prefix = String::new();
    let mut suffix = String::new();
    for named in parsed.named() {
        if let crate::core::leaf::Value::String(text) = &named.leaf.value {
            match named.path.as_str() {
                "namePrefix" => prefix = text.to_string(),
                "nameSuffix" => suffix = text.to_string(),
                _ => {}
            }
        }
    }
    if prefix.is_empty() && suffix.is_empty() { Vec::new() } else { vec![(prefix, suffix)] }
}

fn read_and_parse(
    path: &Path,
    file: &mut ConfigFile,
    fingerprint: &mut Option<Fingerprint>,
) -> Result<Parsed, ParseError> {
    let meta = std::fs::metadata(path).map_err(|e| ParseError::nowhere(missing(path, &e)))?;
    if !meta.is_file() {
        // Opening a FIFO blocks until a writer comes: never open one.
        return Err(ParseError::nowhere("not a regular file (a FIFO, socket or device); not read"));
    }
    if meta.len() > source::MAX_FILE_BYTES {
        return Err(ParseError::nowhere(format!(
            "file is {} bytes, over the 64 MiB limit",
            meta.len()
        )));
    }
    let bytes = read_capped(path, meta.len()).map_err(|e| ParseError::nowhere(io_message(&e)))?;
    *fingerprint = Some(Fingerprint::of(&bytes, meta.modified().ok()));
    parse_bytes(&bytes, file)
}

/// The checks every read file gets, then its format's parser; a JSON file
/// whose `$schema` names flagd is read (and then edited) as flagd.
fn parse_bytes(bytes: &[u8], file: &mut ConfigFile) -> Result<Parsed, ParseError> {
    // git-crypt's header: the whole file is ciphertext (§5), never text.
    if bytes.starts_with(b"\0GITCRYPT\0") {
        return Err(ParseError::nowhere(
            "[encrypted] with git-crypt; run `git-crypt unlock` to compare its values",
        ));
    }
    let (text, _bom) = source::decode(bytes)?;
    file.format = file.format.sniffed(text);
    parse::parse(file.format, text)
}

/// Reads at most one byte over the limit, so a file that grows after the
/// size check (a log being written) cannot take unbounded memory; `decode`
/// then refuses it as too big. The buffer is sized from the stat: grown by
/// doubling, a 50 MB file would be copied several times over.
fn read_capped(path: &Path, expected_len: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let capacity = usize::try_from(expected_len.min(source::MAX_FILE_BYTES) + 1).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    std::fs::File::open(path)?.take(source::MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The message for a file whose metadata cannot be read: a dangling link
/// or a link loop says so rather than "disappeared".
fn missing(path: &Path, err: &std::io::Error) -> String {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match err.kind() {
        std::io::ErrorKind::NotFound if is_link => {
            "a symbolic link to a file that does not exist".to_owned()
        }
        _ if is_link && std::fs::canonicalize(path).is_err() => {
            format!("a symbolic link that cannot be followed: {err}")
        }
        _ => io_message(err),
    }
}

fn io_message(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => {
            "cannot read the file: permission denied".to_owned()
        }
        std::io::ErrorKind::NotFound => "the file disappeared while loading".to_owned(),
        _ => format!("cannot read the file: {err}"),
    }
}
