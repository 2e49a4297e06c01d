//! The two ways of seeing changes: the system's events (inotify on Linux),
//! or notify's `PollWatcher` comparing modification times, and the checks
//! that pick polling before inotify fails silently or runs out of watches.

use std::path::Path;
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::Msg;

/// File systems where changes made elsewhere (another machine, the host of
/// a container) raise no inotify event, though adding a watch succeeds.
const EVENTLESS_FS: &[&str] =
    &["nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "afs", "ncpfs"];

/// Share of the per-user inotify limit one project may take: editors,
/// language servers and other watchers need the rest.
const WATCH_SHARE_DIVISOR: usize = 2;

pub(crate) enum Backend {
    Native(RecommendedWatcher),
    Poll(PollWatcher),
}

/// Why adding a watch failed.
pub(crate) enum WatchFailure {
    /// The system cannot watch more: fall back to polling.
    Exhausted(String),
    /// This folder only (gone already, unreadable): skip it.
    Folder,
}

impl Backend {
    pub fn native(tx: Sender<Msg>) -> notify::Result<Self> {
        let handler = move |res| {
            let _ = tx.send(Msg::Fs(res));
        };
        RecommendedWatcher::new(handler, notify::Config::default()).map(Self::Native)
    }

    pub fn poll(tx: Sender<Msg>, interval: Duration) -> notify::Result<Self> {
        let handler = move |res| {
            let _ = tx.send(Msg::Fs(res));
        };
        // The poller's times are whole seconds: a second write in the same
        // second as the poll before is seen only by comparing contents.
        let config =
            notify::Config::default().with_poll_interval(interval).with_compare_contents(true);
        PollWatcher::new(handler, config).map(Self::Poll)
    }

    pub fn is_polling(&self) -> bool {
        matches!(self, Self::Poll(_))
    }

    /// One non-recursive watch on `folder`.
    pub fn watch(&mut self, folder: &Path) -> Result<(), WatchFailure> {
        let result = match self {
            Self::Native(w) => w.watch(folder, RecursiveMode::NonRecursive),
            Self::Poll(w) => w.watch(folder, RecursiveMode::NonRecursive),
        };
        result.map_err(|err| classify(&err))
    }

    pub fn unwatch(&mut self, folder: &Path) {
        // The system drops the watch of a deleted folder by itself; an
        // error here only says so.
        let _ = match self {
            Self::Native(w) => w.unwatch(folder),
            Self::Poll(w) => w.unwatch(folder),
        };
    }
}

fn classify(err: &notify::Error) -> WatchFailure {
    match &err.kind {
        notify::ErrorKind::MaxFilesWatch => WatchFailure::Exhausted(
            "the inotify watch limit was reached (fs.inotify.max_user_watches)".to_owned(),
        ),
        // ENOSPC is how inotify says the watch limit is reached.
        notify::ErrorKind::Io(io) if io.raw_os_error() == Some(28) => WatchFailure::Exhausted(
            "the inotify watch limit was reached (fs.inotify.max_user_watches)".to_owned(),
        ),
        _ => WatchFailure::Folder,
    }
}

/// A reason to poll from the start: an event-less file system, or more
/// folders than the share of the inotify limit one project may take.
pub(crate) fn reason_to_poll(root: &Path, folders: usize) -> Option<String> {
    if let Some(fs) = filesystem_of(root).filter(|fs| EVENTLESS_FS.contains(&fs.as_str())) {
        return Some(format!("the project is on a {fs} file system, which sends no change events"));
    }
    let limit = watch_limit()?;
    (folders > limit / WATCH_SHARE_DIVISOR).then(|| {
        format!(
            "{folders} folders to watch, over half the inotify limit of {limit} \
             (fs.inotify.max_user_watches)"
        )
    })
}

fn watch_limit() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/sys/fs/inotify/max_user_watches").ok()?;
    text.trim().parse().ok()
}

/// The file system type of the mount holding `path`, from
/// `/proc/self/mountinfo` (Linux; None elsewhere).
fn filesystem_of(path: &Path) -> Option<String> {
    let path = std::fs::canonicalize(path).ok()?;
    let table = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mut best: Option<(usize, String)> = None;
    for line in table.lines() {
        // `id parent major:minor root mount-point options ... - type source`
        let mut fields = line.split(' ');
        let Some(mount_point) = fields.nth(4) else { continue };
        let Some((_, after)) = line.split_once(" - ") else { continue };
        let Some(fs_type) = after.split(' ').next() else { continue };
        let mount_point = mount_point.replace("\\040", " ");
        let len = mount_point.len();
        if path.starts_with(&mount_point) && best.as_ref().is_none_or(|(l, _)| len >= *l) {
            best = Some((len, fs_type.to_owned()));
        }
    }
    best.map(|(_, fs)| fs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn the_root_file_system_has_a_type() {
        assert!(filesystem_of(Path::new("/")).is_some_and(|fs| !fs.is_empty()));
    }
}
