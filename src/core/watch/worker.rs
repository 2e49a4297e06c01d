//! The watcher's thread: blocks until an event comes, gathers the events
//! of a burst until the disk has been quiet for the debounce time, then
//! compares each touched path with what it knew (exists now? known
//! before?) and sends one batch. Comparing states rather than trusting
//! event kinds makes renames, save-by-rename and lost events come out
//! right alike.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Instant;

use super::backend::{self, Backend, WatchFailure};
use super::filter::{Filter, Kind};
use super::{ChangeKind, Msg, PathChange, WatchEvent, WatchOptions};

/// However busy the disk, a batch goes out this many debounce times after
/// its first event, so a file rewritten without pause still shows.
const MAX_BATCH_DEBOUNCES: u32 = 10;

pub(crate) struct Worker {
    filter: Filter,
    options: WatchOptions,
    sink: Box<dyn Fn(WatchEvent) + Send>,
    tx: Sender<Msg>,
    backend: Option<Backend>,
    folders: BTreeSet<PathBuf>,
    files: BTreeSet<PathBuf>,
    degraded: bool,
}

/// The paths of one burst, and whether everything must be walked again.
#[derive(Default)]
struct Batch {
    paths: BTreeSet<PathBuf>,
    rescan: bool,
}

impl Batch {
    fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }
}

impl Worker {
    pub fn new(
        root: &Path,
        options: WatchOptions,
        sink: Box<dyn Fn(WatchEvent) + Send>,
        tx: Sender<Msg>,
    ) -> Self {
        Self {
            filter: Filter::load(root, options.no_ignore),
            options,
            sink,
            tx,
            backend: None,
            folders: BTreeSet::new(),
            files: BTreeSet::new(),
            degraded: false,
        }
    }

    pub fn run(mut self, rx: &Receiver<Msg>) {
        self.setup();
        loop {
            let mut batch = Batch::default();
            // Blocks with no timeout: nothing runs while nothing changes.
            let Ok(first) = rx.recv() else { return };
            if !self.take(first, &mut batch) {
                return;
            }
            if batch.is_empty() {
                continue;
            }
            let started = Instant::now();
            let cap = started + self.options.debounce * MAX_BATCH_DEBOUNCES;
            let mut quiet_until = started + self.options.debounce;
            loop {
                let wait = quiet_until.min(cap).saturating_duration_since(Instant::now());
                match rx.recv_timeout(wait) {
                    Ok(msg) => {
                        let before = batch.paths.len();
                        if !self.take(msg, &mut batch) {
                            return;
                        }
                        if batch.paths.len() != before {
                            quiet_until = Instant::now() + self.options.debounce;
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            self.flush(batch);
        }
    }

    /// Walks the project and watches its folders, polling when it must.
    fn setup(&mut self) {
        let walked = self.filter.walk(&self.filter.root.clone(), None);
        self.files = walked.files.into_iter().collect();
        let reason = if self.options.force_poll {
            Some("polling was asked for".to_owned())
        } else {
            backend::reason_to_poll(&self.filter.root, walked.folders.len())
        };
        match reason {
            Some(reason) => self.degrade(&reason),
            None => match Backend::native(self.tx.clone()) {
                Ok(native) => self.backend = Some(native),
                Err(err) => self.degrade(&format!("cannot use file system events: {err}")),
            },
        }
        self.watch_all(walked.folders);
        let polling = self.backend.as_ref().is_none_or(Backend::is_polling);
        (self.sink)(WatchEvent::Ready { folders: self.folders.len(), polling });
    }

    /// Switches to polling (once), watching the same folders.
    fn degrade(&mut self, reason: &str) {
        if self.degraded {
            return;
        }
        self.degraded = true;
        // Dropping the native watcher frees its watches for other programs.
        self.backend = None;
        match Backend::poll(self.tx.clone(), self.options.poll_interval) {
            Ok(poll) => self.backend = Some(poll),
            Err(err) => (self.sink)(WatchEvent::Error(format!("cannot poll either: {err}"))),
        }
        let every = self.options.poll_interval;
        (self.sink)(WatchEvent::Degraded(format!(
            "{reason}; checking for changes every {every:?}"
        )));
        let folders = std::mem::take(&mut self.folders);
        self.watch_all(folders);
    }

    fn watch_all(&mut self, folders: impl IntoIterator<Item = PathBuf>) {
        let mut folders = folders.into_iter();
        while let Some(folder) = folders.next() {
            let Some(backend) = self.backend.as_mut() else { return };
            match backend.watch(&folder) {
                Ok(()) => {
                    self.folders.insert(folder);
                }
                Err(WatchFailure::Folder) => {}
                Err(WatchFailure::Exhausted(reason)) => {
                    // `degrade` watches every folder known again, by polling.
                    self.folders.insert(folder);
                    self.folders.extend(folders);
                    self.degrade(&reason);
                    return;
                }
            }
        }
    }

    /// Adds one message to the batch; false to stop.
    fn take(&mut self, msg: Msg, batch: &mut Batch) -> bool {
        match msg {
            Msg::Stop => return false,
            Msg::Rescan => batch.rescan = true,
            Msg::Fs(Err(err)) => (self.sink)(WatchEvent::Error(format!("file watching: {err}"))),
            // Opening or reading a file changes nothing, and the reload of
            // a change opens the file: taking these would reload it again,
            // and again, every debounce, for as long as the view is open.
            Msg::Fs(Ok(event)) if is_read_only(event.kind) => {}
            Msg::Fs(Ok(event)) => {
                // The kernel's queue overflowed: events were lost.
                batch.rescan |= event.need_rescan();
                for path in event.paths {
                    if self.is_relevant(&path) {
                        batch.paths.insert(path);
                    }
                }
            }
        }
        true
    }

    /// Cheap checks only: this runs for every event, a log file written
    /// beside the config files included.
    fn is_relevant(&self, path: &Path) -> bool {
        self.filter.kind(path).is_some()
            || self.folders.contains(path)
            || (!self.files.contains(path) && path.is_dir())
    }

    fn flush(&mut self, batch: Batch) {
        let rules_changed = batch
            .paths
            .iter()
            .any(|p| matches!(self.filter.kind(p), Some(Kind::Settings | Kind::IgnoreRules)));
        let mut changes = Vec::new();
        if rules_changed {
            self.filter.reload();
        }
        if batch.rescan || rules_changed {
            self.rescan(&mut changes);
        }
        let reported: HashSet<PathBuf> = changes.iter().map(|c| c.path.clone()).collect();
        // Paths that went first: a folder renamed keeps its inotify watch,
        // so the old name must be unwatched before the new one is watched.
        let (present, gone): (Vec<PathBuf>, Vec<PathBuf>) = batch
            .paths
            .into_iter()
            .filter(|p| !reported.contains(p))
            .partition(|p| std::fs::symlink_metadata(p).is_ok());
        for path in gone {
            self.forget_under(&path, &mut changes);
        }
        let mut allowed = HashMap::new();
        for path in present {
            self.reconcile(path, &mut allowed, &mut changes);
        }
        if !changes.is_empty() {
            changes.sort();
            changes.dedup();
            (self.sink)(WatchEvent::Changed(changes));
        }
    }

    /// What became of one path since it was last seen.
    fn reconcile(
        &mut self,
        path: PathBuf,
        allowed: &mut HashMap<PathBuf, HashSet<PathBuf>>,
        changes: &mut Vec<PathChange>,
    ) {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            self.forget_under(&path, changes);
            return;
        };
        if meta.is_dir() && self.folders.contains(&path) {
            return;
        }
        if self.files.contains(&path) {
            changes.push(PathChange { path, kind: ChangeKind::Modified });
            return;
        }
        let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let listed =
            allowed.entry(parent.clone()).or_insert_with(|| self.filter.allowed_in(&parent));
        if !listed.contains(&path) {
            return;
        }
        if meta.is_dir() {
            self.add_tree(&path, changes);
        } else {
            self.files.insert(path.clone());
            changes.push(PathChange { path, kind: ChangeKind::Created });
        }
    }

    /// A new folder (made, or renamed into place): watch it and all below,
    /// and report the files already in it. Files are listed only by a walk
    /// made once every folder it found was watched: a file written in
    /// between is then seen by the walk or by its folder's watch.
    fn add_tree(&mut self, folder: &Path, changes: &mut Vec<PathChange>) {
        let walked = loop {
            let walked = self.filter.walk(folder, None);
            let new: Vec<PathBuf> =
                walked.folders.iter().filter(|f| !self.folders.contains(*f)).cloned().collect();
            if new.is_empty() {
                break walked;
            }
            let before = self.folders.len();
            self.watch_all(new);
            if self.folders.len() == before {
                // None could be watched (gone again): list what is there.
                break walked;
            }
        };
        for file in walked.files {
            if self.files.insert(file.clone()) {
                changes.push(PathChange { path: file, kind: ChangeKind::Created });
            }
        }
    }

    /// A path that is gone: a file, or a folder with everything below it.
    fn forget_under(&mut self, path: &Path, changes: &mut Vec<PathChange>) {
        let gone: Vec<PathBuf> =
            self.files.iter().filter(|f| f.starts_with(path)).cloned().collect();
        for file in gone {
            self.files.remove(&file);
            changes.push(PathChange { path: file, kind: ChangeKind::Removed });
        }
        let folders: Vec<PathBuf> =
            self.folders.iter().filter(|f| f.starts_with(path)).cloned().collect();
        for folder in folders {
            self.folders.remove(&folder);
            if let Some(backend) = self.backend.as_mut() {
                backend.unwatch(&folder);
            }
        }
    }

    /// Walks everything again (rules changed, events lost, asked for) and
    /// reports the files that appeared or went; watches follow the folders.
    fn rescan(&mut self, changes: &mut Vec<PathChange>) {
        let walked = self.filter.walk(&self.filter.root.clone(), None);
        let files: BTreeSet<PathBuf> = walked.files.into_iter().collect();
        for gone in self.files.difference(&files) {
            changes.push(PathChange { path: gone.clone(), kind: ChangeKind::Removed });
        }
        for new in files.difference(&self.files) {
            changes.push(PathChange { path: new.clone(), kind: ChangeKind::Created });
        }
        self.files = files;
        let folders: BTreeSet<PathBuf> = walked.folders.into_iter().collect();
        let gone: Vec<PathBuf> = self.folders.difference(&folders).cloned().collect();
        for folder in gone {
            self.folders.remove(&folder);
            if let Some(backend) = self.backend.as_mut() {
                backend.unwatch(&folder);
            }
        }
        let new: Vec<PathBuf> = folders.difference(&self.folders).cloned().collect();
        self.watch_all(new);
    }
}

/// An access that writes nothing: an open, a read, a close after reading.
fn is_read_only(kind: notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode};
    matches!(kind, notify::EventKind::Access(access)
        if !matches!(access, AccessKind::Close(AccessMode::Write)))
}
