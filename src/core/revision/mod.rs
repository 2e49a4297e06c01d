//! A project as it is at a git revision (§13): the commit a revision names,
//! and the tree below the project's folder, read from the repository's
//! object database without a checkout. Discovery walks the tree instead of
//! the disk (`core::files`), so every rule a checkout would meet applies.
//!
//! - `history`: the commits that changed one key's effective value.

pub mod history;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gix::ObjectId;
use gix::objs::tree::EntryKind;

use super::source::MAX_FILE_BYTES;

/// Folders a tree walk never enters, as discovery's walk does not.
use super::discover::SKIPPED_DIRS;

/// Why a revision cannot be read: not a repository, a name git does not
/// know, a shallow clone without that commit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RevisionError {
    pub message: String,
    pub hint: Option<String>,
}

impl RevisionError {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self { message: message.into(), hint: Some(hint.into()) }
    }
}

/// One commit, as a reader is told about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: String,
    pub short_id: String,
    /// Author time, seconds since the epoch, and its offset east of UTC.
    pub time: i64,
    pub offset_seconds: i32,
    pub author: String,
    pub summary: String,
}

/// What a path of the tree is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryType {
    File,
    /// A symbolic link, with the path it names as written.
    Link(String),
    /// A submodule's commit: a folder in a checkout, never config.
    Submodule,
}

#[derive(Debug, Clone)]
struct Entry {
    id: ObjectId,
    kind: EntryType,
}

/// A folder of the tree: its files and subfolders by name, sorted.
#[derive(Debug, Clone, Default)]
pub struct Folder {
    pub files: Vec<(String, EntryType)>,
    pub folders: Vec<(String, Folder)>,
}

/// The project folder's tree at one commit. Blobs are read on demand, from
/// any thread.
pub struct Snapshot {
    repo: gix::ThreadSafeRepository,
    /// The revision as the user wrote it, for messages.
    pub rev: String,
    pub commit: CommitInfo,
    /// The project folder inside the repository, with `/` ("" at the top).
    pub prefix: String,
    /// The tree below the project folder.
    pub root: Folder,
    /// Paths relative to the project folder, with `/`.
    entries: HashMap<String, Entry>,
    /// `.gitignore` and `.ignore` texts of the folders above the project
    /// folder inside the repository, outermost first, as a walk of a
    /// checkout reads them: the folder inside the repository, and its
    /// `.ignore` and `.gitignore` texts in that order (the first wins).
    pub outer_ignores: Vec<(String, Vec<Vec<u8>>)>,
    /// The repository's `.git/info/exclude`: it applies to a checkout of
    /// any revision.
    pub exclude_file: PathBuf,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("rev", &self.rev)
            .field("commit", &self.commit.short_id)
            .field("prefix", &self.prefix)
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

/// The repository holding `root`, or why there is none.
pub fn open_repository(root: &Path) -> Result<gix::Repository, RevisionError> {
    let mut repo = gix::discover(root).map_err(|_| {
        RevisionError::new(
            format!("{} is not inside a git repository", root.display()),
            "--rev, --since and blame read the history of a git repository; run envlens in a clone",
        )
    })?;
    // Commits and trees are read again and again while walking history.
    repo.object_cache_size_if_unset(16 * 1024 * 1024);
    Ok(repo)
}

/// The commit `rev` names, with a hint that fits why it cannot be found.
pub fn resolve<'r>(repo: &'r gix::Repository, rev: &str) -> Result<gix::Commit<'r>, RevisionError> {
    let found = repo
        .rev_parse_single(rev)
        .ok()
        .and_then(|id| id.object().ok())
        .map(gix::Object::peel_to_commit);
    match found {
        Some(Ok(commit)) => Ok(commit),
        Some(Err(_)) => Err(RevisionError::new(
            format!("revision `{rev}` names no commit"),
            "give a branch, a tag or a commit id, e.g. `--rev HEAD~1` or `--rev origin/main`",
        )),
        None if repo.is_shallow().unwrap_or(false) => Err(RevisionError::new(
            format!("revision `{rev}` is not in this shallow clone"),
            "fetch more history (`git fetch --deepen=50`, or `git fetch --unshallow`); \
             in GitHub Actions give actions/checkout `fetch-depth: 0`",
        )),
        None => Err(RevisionError::new(
            format!("revision `{rev}` is not in this repository"),
            "check the name with `git rev-parse <REV>`; a branch of a remote may need \
             `git fetch` first",
        )),
    }
}

/// Who made a commit and when.
pub fn commit_info(commit: &gix::Commit<'_>) -> CommitInfo {
    let id = commit.id().detach();
    let short_id =
        commit.id().shorten().map_or_else(|_| id.to_hex_with_len(7).to_string(), |p| p.to_string());
    let (author, time, offset_seconds) = match commit.author() {
        Ok(sig) => {
            let time = sig.time().unwrap_or_default();
            (sig.name.to_string(), time.seconds, time.offset)
        }
        Err(_) => (String::new(), 0, 0),
    };
    let summary = commit.message().map(|m| m.summary().to_string()).unwrap_or_default();
    CommitInfo { id: id.to_string(), short_id, time, offset_seconds, author, summary }
}

/// The project folder inside the repository's work tree, with `/`.
pub fn prefix_of(repo: &gix::Repository, root: &Path) -> Result<String, RevisionError> {
    let outside = || {
        RevisionError::new(
            format!("{} is not inside the work tree of its git repository", root.display()),
            "point envlens at a folder of a clone (a bare repository has no folders to map)",
        )
    };
    let top = repo.workdir().ok_or_else(outside)?;
    let top = std::fs::canonicalize(top).map_err(|_| outside())?;
    let here = std::fs::canonicalize(root).map_err(|_| outside())?;
    let rel = here.strip_prefix(&top).map_err(|_| outside())?;
    Ok(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
}

impl Snapshot {
    /// The project at `root` as it is at `rev`.
    pub fn open(root: &Path, rev: &str) -> Result<Self, RevisionError> {
        let repo = open_repository(root)?;
        let prefix = prefix_of(&repo, root)?;
        let commit = resolve(&repo, rev)?;
        let info = commit_info(&commit);
        let tree_id = commit.tree_id().map_err(|e| corrupt(rev, &e))?.detach();
        drop(commit);
        let mut outer_ignores = Vec::new();
        let mut tree_id = Some(tree_id);
        let mut above = String::new();
        for segment in prefix.split('/').filter(|s| !s.is_empty()) {
            let Some(id) = tree_id else { break };
            let folder = repo.find_tree(id).map_err(|e| corrupt(rev, &e))?;
            let texts = ignore_files(&repo, &folder);
            if !texts.is_empty() {
                outer_ignores.push((above.clone(), texts));
            }
            tree_id = folder.iter().filter_map(Result::ok).find_map(|e| {
                (e.filename() == segment && e.mode().kind() == EntryKind::Tree)
                    .then(|| e.object_id())
            });
            if !above.is_empty() {
                above.push('/');
            }
            above.push_str(segment);
        }
        let mut entries = HashMap::new();
        let root_folder = match tree_id {
            Some(id) => read_folder(&repo, id, "", &mut entries).map_err(|e| corrupt(rev, &e))?,
            // The project folder did not exist at that revision: an empty
            // project, which the front end reports as such.
            None => Folder::default(),
        };
        let exclude_file = repo.common_dir().join("info/exclude");
        Ok(Self {
            repo: repo.into_sync(),
            rev: rev.to_owned(),
            commit: info,
            prefix,
            root: root_folder,
            entries,
            outer_ignores,
            exclude_file,
        })
    }

    /// What `rel` (relative to the project folder, with `/`) is, if the
    /// tree has it.
    pub fn entry_type(&self, rel: &str) -> Option<&EntryType> {
        self.entries.get(rel).map(|e| &e.kind)
    }

    /// The bytes of the file at `rel`, a link followed inside the project;
    /// a blob over the 64 MiB limit is refused before it is inflated.
    pub fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        let entry = self.resolve_link(rel, 0)?;
        let repo = self.repo.to_thread_local();
        let header = repo.find_header(entry.id).map_err(std::io::Error::other)?;
        if header.size() > MAX_FILE_BYTES {
            return Err(std::io::Error::other(format!(
                "file is {} bytes, over the 64 MiB limit",
                header.size()
            )));
        }
        let blob = repo.find_blob(entry.id).map_err(std::io::Error::other)?;
        Ok(blob.detach().data)
    }

    /// The file a path names, following links that stay inside the project.
    fn resolve_link(&self, rel: &str, depth: usize) -> std::io::Result<&Entry> {
        let not_found = || std::io::Error::from(std::io::ErrorKind::NotFound);
        let entry = self.entries.get(rel).ok_or_else(not_found)?;
        match &entry.kind {
            EntryType::File => Ok(entry),
            EntryType::Submodule => Err(std::io::Error::other("a submodule, not a file")),
            EntryType::Link(_) if depth > 16 => {
                Err(std::io::Error::other("a symbolic link that cannot be followed: a loop"))
            }
            EntryType::Link(target) => {
                let target = link_target(rel, target).ok_or_else(not_found)?;
                self.resolve_link(&target, depth + 1)
            }
        }
    }

    /// Where a link at `rel` leads inside the project: a file, a folder, or
    /// nowhere (outside the project, or a name the tree lacks).
    pub fn link_leads_to(&self, rel: &str) -> LinkTarget {
        let mut at = rel.to_owned();
        for _ in 0..16 {
            let Some(EntryType::Link(target)) = self.entry_type(&at) else { break };
            let Some(next) = link_target(&at, target) else { return LinkTarget::Outside };
            at = next;
        }
        match self.entry_type(&at) {
            Some(EntryType::File) => LinkTarget::File,
            Some(EntryType::Submodule) => LinkTarget::Folder,
            None if self.is_folder(&at) => LinkTarget::Folder,
            // A loop, or a name the tree lacks.
            Some(EntryType::Link(_)) | None => LinkTarget::Broken,
        }
    }

    fn is_folder(&self, rel: &str) -> bool {
        let mut folder = &self.root;
        for segment in rel.split('/').filter(|s| !s.is_empty()) {
            match folder.folders.iter().find(|(name, _)| name == segment) {
                Some((_, inner)) => folder = inner,
                None => return false,
            }
        }
        true
    }
}

/// Where a link leads, as `Snapshot::link_leads_to` tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    File,
    Folder,
    Outside,
    Broken,
}

/// The path a link at `rel` names, relative to the project folder; None
/// when it leaves the project (an absolute target, or `..` past the top).
fn link_target(rel: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

fn corrupt(rev: &str, err: &impl std::fmt::Display) -> RevisionError {
    RevisionError::new(
        format!("cannot read the tree of `{rev}`: {err}"),
        "the repository may be damaged; `git fsck` says more",
    )
}

/// A folder's `.ignore` and `.gitignore` texts, the one that wins first.
fn ignore_files(repo: &gix::Repository, folder: &gix::Tree<'_>) -> Vec<Vec<u8>> {
    let mut found = Vec::new();
    for name in [".ignore", ".gitignore"] {
        let id = folder
            .iter()
            .filter_map(Result::ok)
            .find_map(|e| (e.filename() == name && e.mode().is_blob()).then(|| e.object_id()));
        if let Some(blob) = id.and_then(|id| repo.find_blob(id).ok()) {
            found.push(blob.detach().data);
        }
    }
    found
}

/// Reads one folder of the tree and everything below it, keeping every
/// path in `entries` (relative to the project folder).
fn read_folder(
    repo: &gix::Repository,
    id: ObjectId,
    at: &str,
    entries: &mut HashMap<String, Entry>,
) -> Result<Folder, gix::Error> {
    let tree = repo.find_tree(id)?;
    let mut folder = Folder::default();
    let mut inner = Vec::new();
    for entry in tree.iter() {
        let entry = entry?;
        let Ok(name) = std::str::from_utf8(entry.filename()) else { continue };
        let rel = if at.is_empty() { name.to_owned() } else { format!("{at}/{name}") };
        let kind = match entry.mode().kind() {
            EntryKind::Tree => {
                if !SKIPPED_DIRS.contains(&name) {
                    inner.push((name.to_owned(), rel, entry.object_id()));
                }
                continue;
            }
            EntryKind::Blob | EntryKind::BlobExecutable => EntryType::File,
            EntryKind::Link => {
                let target = repo.find_blob(entry.object_id())?;
                EntryType::Link(String::from_utf8_lossy(&target.data).into_owned())
            }
            EntryKind::Commit => EntryType::Submodule,
        };
        folder.files.push((name.to_owned(), kind.clone()));
        entries.insert(rel, Entry { id: entry.object_id(), kind });
    }
    for (name, rel, id) in inner {
        let below = read_folder(repo, id, &rel, entries)?;
        folder.folders.push((name, below));
    }
    Ok(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets_stay_inside_the_project() {
        assert_eq!(link_target("a/b/link", "c.yaml").as_deref(), Some("a/b/c.yaml"));
        assert_eq!(link_target("a/b/link", "../c.yaml").as_deref(), Some("a/c.yaml"));
        assert_eq!(link_target("a/link", "./x/../y.yaml").as_deref(), Some("a/y.yaml"));
        assert_eq!(link_target("link", "../outside.yaml"), None);
        assert_eq!(link_target("a/link", "/etc/passwd"), None);
    }
}
