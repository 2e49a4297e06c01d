//! Where a project's files are read from: the working tree, or a git
//! revision's tree (`--rev`, §13). Discovery, loading, schemas and the
//! checks read through this one seam, so a revision meets every rule a
//! checkout of it would.

use std::path::Path;
use std::sync::Arc;

use super::revision::Snapshot;

/// The files a project is read from.
#[derive(Debug, Clone, Default)]
pub enum Files {
    /// The folder on disk, as it is now.
    #[default]
    WorkTree,
    /// A revision's tree: read-only, never watched.
    Revision(Arc<Snapshot>),
}

impl Files {
    /// The revision read, when not the working tree.
    pub fn snapshot(&self) -> Option<&Snapshot> {
        match self {
            Self::WorkTree => None,
            Self::Revision(snapshot) => Some(snapshot),
        }
    }

    /// The bytes of `rel` (relative to `root`, with `/`). On disk a file
    /// over the 64 MiB limit is refused before it is read whole.
    pub fn read(&self, root: &Path, rel: &str) -> std::io::Result<Vec<u8>> {
        match self {
            Self::WorkTree => {
                let path = root.join(rel);
                let size = std::fs::metadata(&path)?.len();
                if size > super::source::MAX_FILE_BYTES {
                    return Err(std::io::Error::other(format!(
                        "file is {size} bytes, over the 64 MiB limit"
                    )));
                }
                std::fs::read(path)
            }
            Self::Revision(snapshot) => snapshot.read(rel),
        }
    }

    /// The message for a failed `read`: a refusal as it is, an I/O error
    /// after what failed.
    pub fn read_error(err: &std::io::Error) -> String {
        match err.kind() {
            std::io::ErrorKind::Other => err.to_string(),
            std::io::ErrorKind::NotFound => "the file is not there".to_owned(),
            _ => format!("cannot read the file: {err}"),
        }
    }

    /// Whether `rel` is a file (a link to one counts).
    pub fn is_file(&self, root: &Path, rel: &str) -> bool {
        match self {
            Self::WorkTree => root.join(rel).is_file(),
            Self::Revision(snapshot) => match snapshot.entry_type(rel) {
                Some(super::revision::EntryType::File) => true,
                Some(super::revision::EntryType::Link(_)) => {
                    snapshot.link_leads_to(rel) == super::revision::LinkTarget::File
                }
                _ => false,
            },
        }
    }
}
