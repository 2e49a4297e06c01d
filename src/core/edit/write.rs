//! The safe write: through a symlink to its target, never over a hard
//! link or a read-only file, only when the bytes on disk are still the ones
//! the edit was planned on, and atomically (`atomic-write-file`: a temporary
//! file in the same folder, fsync, rename over the original, fsync of the
//! folder; mode and owner kept).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::refusal::{Refusal, RefusalKind};

/// The file a write lands in: `path` with every symlink resolved, or the
/// rename would replace the link itself and leave its target stale.
pub(super) fn resolve(path: &Path) -> Result<PathBuf, Refusal> {
    std::fs::canonicalize(path)
        .map_err(|e| Refusal::io(&format!("cannot find {}", shown(path)), &e))
}

/// Refuses a file that a rename-based write would damage or that its
/// permissions protect.
pub(super) fn check_writable(target: &Path) -> Result<(), Refusal> {
    let meta = std::fs::metadata(target)
        .map_err(|e| Refusal::io(&format!("cannot read {}", shown(target)), &e))?;
    if meta.permissions().readonly() {
        return Err(Refusal::new(
            RefusalKind::ReadOnlyFile,
            format!("{} is read-only (its permissions forbid writing)", shown(target)),
        )
        .hint("make it writable (chmod u+w) if the change is meant"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if meta.nlink() > 1 {
            return Err(Refusal::new(
                RefusalKind::HardLinked,
                format!(
                    "{} has {} hard links; a safe write replaces the file and would cut it off \
                     from its other names",
                    shown(target),
                    meta.nlink()
                ),
            )
            .hint("edit it by hand, or replace the hard links with a symlink"));
        }
    }
    Ok(())
}

/// Refuses when the file's bytes are no longer `expected`.
pub(super) fn check_unchanged(target: &Path, expected: &[u8]) -> Result<(), Refusal> {
    let now = std::fs::read(target)
        .map_err(|e| Refusal::io(&format!("cannot read {}", shown(target)), &e))?;
    if now == expected { Ok(()) } else { Err(changed_on_disk(target)) }
}

pub(super) fn changed_on_disk(path: &Path) -> Refusal {
    Refusal::new(
        RefusalKind::ChangedOnDisk,
        format!("{} changed on disk since it was loaded; nothing was written", shown(path)),
    )
    .hint("reload it and make the edit again")
}

/// The file is not the text the caller showed when the edit began (a
/// reload the caller did not show may have read it since).
pub(super) fn changed_since_shown(path: &Path) -> Refusal {
    Refusal::new(
        RefusalKind::ChangedOnDisk,
        format!("{} changed on disk since it was shown; nothing was written", shown(path)),
    )
    .hint("look at the new text, then make the edit again")
}

/// Writes `after` over the file at `path` if it still holds `before`.
/// Returns the file actually written (the symlink's target).
pub(super) fn write_checked(path: &Path, before: &[u8], after: &[u8]) -> Result<PathBuf, Refusal> {
    let target = resolve(path)?;
    check_writable(&target)?;
    check_unchanged(&target, before)?;
    let failed = |e: std::io::Error| Refusal::io(&format!("cannot write {}", shown(&target)), &e);
    let mut file = atomic_write_file::AtomicWriteFile::options().open(&target).map_err(failed)?;
    file.write_all(after).map_err(failed)?;
    // Checked once more right before the rename: the window in which
    // another program's save could be lost is the write of one small file.
    check_unchanged(&target, before)?;
    file.commit().map_err(failed)?;
    Ok(target)
}

fn shown(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_over_the_expected_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config_dev.yaml");
        std::fs::write(&path, "a: 1\n").unwrap();
        write_checked(&path, b"a: 1\n", b"a: 2\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"a: 2\n");
        let err = write_checked(&path, b"a: 1\n", b"a: 3\n").unwrap_err();
        assert_eq!(err.kind, RefusalKind::ChangedOnDisk);
        assert_eq!(std::fs::read(&path).unwrap(), b"a: 2\n");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_hard_links() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config_dev.yaml");
        std::fs::write(&path, "a: 1\n").unwrap();
        std::fs::hard_link(&path, dir.path().join("other.yaml")).unwrap();
        let err = write_checked(&path, b"a: 1\n", b"a: 2\n").unwrap_err();
        assert_eq!(err.kind, RefusalKind::HardLinked);
        assert!(err.reason.contains("2 hard links"), "{}", err.reason);
    }
}
