//! Live reload in the view (§9): what `App::update` does with the
//! watcher's news. A batch of changed paths becomes an effect (the edge
//! re-parses the changed files, see `tui::live`): a few files in place on
//! the loop thread, a burst of more than `BACKGROUND_FROM` on a worker
//! while the status line says "reloading N files…" and keys keep working.
//! Batches that arrive while a worker runs are queued, merged, and sent
//! as one job once its answer is shown: never dropped, never reordered.
//! The outcome comes back as `Action::Reloaded` and only the sets it names
//! are built again (by the worker, for a burst), keeping the cursor on its key (or the nearest row that is still
//! there), the filter, the folds and the columns. Cells another program
//! changed are marked for `MARK_FOR`; a file that stops parsing keeps its
//! last good values, marked stale, and its error is told.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rustc_hash::{FxHashMap, FxHashSet};

use super::anchor::carry_view;
use super::marks::Marks;
use super::model::{self, SetModel};
use super::{App, LoadState, SetPlace};
use crate::core::edit::{Refusal, RefusalKind};
use crate::core::references::Resolver;
use crate::core::watch::{FileChange, FileChangeKind, ReloadOutcome, WatchEvent};
use crate::tui::effect::{Effect, LiveJob};

/// How long a cell changed on disk stands out.
pub const MARK_FOR: Duration = Duration::from_secs(4);

/// Batches of more files than this reload on a worker. Re-parsing a file
/// costs about 80 µs and rebuilding its set about 0.5 ms: 32 files stay
/// under a frame on the loop thread, where the answer is drawn at once.
pub const BACKGROUND_FROM: usize = 32;

/// The edge's answer to a batch of changes or to a re-check.
#[derive(Debug, Clone)]
pub struct Reloaded {
    pub outcome: ReloadOutcome,
    /// When the held files must be looked at again (`Reloader::deadline`).
    pub retry_at: Option<Instant>,
    /// A background job's models of the sets the outcome names (the edge
    /// already put its project in the model); None for a job run in place,
    /// or one whose answer a full load made old.
    pub fresh: Option<Fresh>,
    /// The answer to `LiveJob::Background`: the next queued batch may go.
    pub background: bool,
}

/// What a background reload built.
#[derive(Debug, Clone)]
pub struct Fresh {
    pub sets: Vec<SetModel>,
}

/// How the files are watched, for the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Watching {
    /// Not (yet): no watcher has reported.
    #[default]
    Off,
    /// System events.
    Events,
    /// Modification times every 2 s: events cannot be used here.
    Polling,
}

/// The live-reload part of the state.
#[derive(Debug, Clone)]
pub struct LiveView {
    pub watching: Watching,
    /// The edge was asked to watch.
    started: bool,
    pub marks: Marks,
    /// How long a changed cell stays marked (`MARK_FOR`; tests shorten it).
    pub mark_for: Duration,
    retry_at: Option<Instant>,
    /// The last change on disk, for the status line, and when it was seen.
    last: Option<(String, Instant)>,
    /// The status text `last` produced, so a later wake-up can refresh its
    /// age unless another message took its place.
    said: Option<String>,
    /// Batches of more files than this go to a worker (`BACKGROUND_FROM`;
    /// tests change it).
    pub background_from: usize,
    /// A background reload of this many files is running.
    pub running: Option<usize>,
    /// Paths changed while it runs, for the job after it.
    pub queued: Vec<PathBuf>,
}

impl Default for LiveView {
    fn default() -> Self {
        Self {
            watching: Watching::Off,
            started: false,
            marks: Marks::default(),
            mark_for: MARK_FOR,
            retry_at: None,
            last: None,
            said: None,
            background_from: BACKGROUND_FROM,
            running: None,
            queued: Vec::new(),
        }
    }
}

impl LiveView {
    /// When the loop must wake for live reload: a held file to re-check,
    /// a mark to clear.
    pub fn deadline(&self) -> Option<Instant> {
        // A re-check waits for a running background job (the `Reloader`
        // is with it): no wake-ups for it until then.
        let retry = self.retry_at.filter(|_| self.running.is_none());
        [retry, self.marks.deadline()].into_iter().flatten().min()
    }
}

impl App {
    /// A project is loaded: the edge starts watching it, or walks it again
    /// after `r`. The quiet reload after envlens's own write finds no new
    /// folder or file: nothing to ask.
    pub(super) fn watch_after_load(&mut self, quiet: bool) -> Vec<Effect> {
        // A revision's tree (`--rev`) never changes: nothing to watch.
        if self.options.rev.is_some() || self.live.started && quiet {
            return Vec::new();
        }
        self.live.started = true;
        vec![Effect::Live(LiveJob::Watch)]
    }

    /// All the changed paths of one wake-up.
    pub(super) fn files_changed(&mut self, paths: Vec<PathBuf>) -> Vec<Effect> {
        if self.load != LoadState::Ready || paths.is_empty() {
            return Vec::new();
        }
        if self.live.running.is_some() {
            self.live.queued.extend(paths);
            self.live.queued.sort();
            self.live.queued.dedup();
            return Vec::new();
        }
        self.reload_job(paths)
    }

    /// Few files reload at once, in place; a burst on a worker.
    fn reload_job(&mut self, paths: Vec<PathBuf>) -> Vec<Effect> {
        if paths.len() <= self.live.background_from {
            return vec![Effect::Live(LiveJob::Apply(paths))];
        }
        self.live.running = Some(paths.len());
        self.message = Some(reloading(paths.len()));
        let (envs, past) = (self.options.envs.clone(), self.model.past.clone());
        let resolve = self.options.resolve;
        vec![Effect::Live(LiveJob::Background { paths, envs, past, resolve })]
    }

    /// News from the watcher other than changes.
    pub(super) fn watcher_event(&mut self, event: WatchEvent) -> Vec<Effect> {
        match event {
            WatchEvent::Ready { polling, .. } => {
                self.live.watching = if polling { Watching::Polling } else { Watching::Events };
            }
            WatchEvent::Degraded(reason) => {
                self.live.watching = Watching::Polling;
                self.message = Some(reason);
            }
            WatchEvent::Error(message) => self.message = Some(message),
            WatchEvent::Changed(changes) => {
                return self.files_changed(changes.into_iter().map(|c| c.path).collect());
            }
        }
        Vec::new()
    }

    /// The wake-up work of live reload: marks that ended, the age of the
    /// last change in the status line, a re-check that is due.
    pub(super) fn live_tick(&mut self, now: Instant) -> Vec<Effect> {
        self.live.marks.expire(now);
        self.refresh_last(now, false);
        if self.live.running.is_none() && self.live.retry_at.is_some_and(|at| at <= now) {
            self.live.retry_at = None;
            return vec![Effect::Live(LiveJob::Retry(now))];
        }
        Vec::new()
    }

    /// The edge applied changes to the project: show them. After a
    /// background job, the batches queued meanwhile go next, as one.
    pub(super) fn reloaded(&mut self, reloaded: Reloaded, now: Instant) -> Vec<Effect> {
        let Reloaded { outcome, retry_at, fresh, background } = reloaded;
        self.live.retry_at = retry_at;
        let mut built = FxHashMap::default();
        if background {
            if let Some(n) = self.live.running.take()
                && self.message == Some(reloading(n))
            {
                self.message = None;
            }
            if let Some(fresh) = fresh {
                built = fresh.sets.into_iter().map(|s| (s.name.clone(), s)).collect();
            }
        }
        if !outcome.is_empty() && self.model.project.is_some() {
            self.rebuild(&outcome, now, built);
            self.tell(&outcome, now);
            self.warn_editor(&outcome);
        }
        let queued = std::mem::take(&mut self.live.queued);
        if !background || queued.is_empty() {
            self.live.queued = queued;
            return Vec::new();
        }
        self.files_changed(queued)
    }

    /// Builds the sets `outcome` names again; the others keep their model
    /// and view untouched.
    fn rebuild(
        &mut self,
        outcome: &ReloadOutcome,
        now: Instant,
        mut built: FxHashMap<String, SetModel>,
    ) {
        let Some(project) = self.model.project.clone() else { return };
        let shown = self.current_set().map(|s| s.name.clone());
        let anchor = self.anchor();
        let outside: FxHashSet<&str> =
            outcome.files.iter().filter(|f| !f.ours).map(|f| f.set.as_str()).collect();
        let mut old: FxHashMap<String, (SetModel, SetPlace)> = std::mem::take(&mut self.model.sets)
            .into_iter()
            .zip(std::mem::take(&mut self.views))
            .map(|(set, view)| (set.name.clone(), (set, view)))
            .collect();
        let mut shown_rebuilt = false;
        for loaded in &project.sets {
            let before = old.remove(&loaded.name);
            let changed = outcome.sets.binary_search(&loaded.name).is_ok();
            let (set, view) = match before {
                Some(kept) if !changed => kept,
                before => {
                    let set = built.remove(&loaded.name).unwrap_or_else(|| {
                        let past = self.model.past.as_deref();
                        let resolver = self.options.resolve.then(|| Resolver::new(&project));
                        model::build_set(loaded, &self.options.envs, past, resolver.as_ref())
                    });
                    let old_set = before.as_ref().map(|(s, _)| s);
                    if outside.contains(&*set.name) {
                        self.live.marks.changed(old_set, &set, now + self.live.mark_for);
                    }
                    shown_rebuilt |= shown.as_deref() == Some(loaded.name.as_str());
                    let view = carry_view(before.as_ref(), &set);
                    (set, view)
                }
            };
            self.model.sets.push(set);
            self.views.push(view);
        }
        for name in old.keys() {
            self.live.marks.removed(name);
        }
        self.model.files =
            project.sets.iter().map(|s| s.envs.len() + usize::from(s.base.is_some())).sum();
        self.model.warnings.clone_from(&project.warnings);
        let count = self.model.sets.len();
        let at = shown.and_then(|name| self.model.sets.iter().position(|s| s.name == name));
        self.set = at.unwrap_or(self.set).min(count.saturating_sub(1));
        self.sets_scroll = self.sets_scroll.min(self.set);
        if shown_rebuilt || at.is_none() {
            self.revealed.clear();
            self.visible.clear();
            self.refilter();
            self.restore(anchor.filter(|_| at.is_some()));
        }
        // An open flag matrix follows the files (its rows index the sets).
        self.refresh_flags();
    }

    /// Says in the status line what happened: a settings or parse error
    /// first, then files that parse again, then changes by other programs.
    /// envlens's own writes say nothing here (the editor already did).
    fn tell(&mut self, outcome: &ReloadOutcome, now: Instant) {
        if let Some(err) = &outcome.settings_error {
            self.say(format!("{err} · the settings in force stay"));
            return;
        }
        if let Some(err) = outcome.failed.first() {
            let stale = self
                .model
                .sets
                .iter()
                .flat_map(|s| &s.envs)
                .any(|e| e.rel_path == err.rel_path && e.stale.is_some());
            let mut text = err.to_string();
            if stale {
                text.push_str(" · last good values kept, marked stale");
            }
            if let Some(more) = outcome.failed.len().checked_sub(1).filter(|m| *m > 0) {
                text = format!("{text} (+{more} more)");
            }
            self.say(text);
            return;
        }
        let outside: Vec<&FileChange> = outcome.files.iter().filter(|f| !f.ours).collect();
        let mut what = Vec::new();
        if !outcome.recovered.is_empty() {
            what.push(format!("{} parses again", outcome.recovered.join(", ")));
        }
        if !outside.is_empty() {
            what.push(self.describe(&outside));
        }
        if !what.is_empty() {
            self.live.last = Some((what.join(" · "), now));
            self.refresh_last(now, true);
        }
    }

    fn say(&mut self, text: String) {
        self.live.last = None;
        self.live.said = None;
        self.message = Some(text);
    }

    /// `prod changed on disk`, `config_qa.yaml added`, `12 files changed on disk`.
    fn describe(&self, changes: &[&FileChange]) -> String {
        if changes.len() > 3 {
            return format!("{} files changed on disk", changes.len());
        }
        let shown = self.current_set().map(|s| s.name.as_str());
        // In the order of the columns on screen, not of the paths.
        let column = |c: &FileChange| {
            let set = self.model.sets.iter().find(|s| s.name == c.set);
            set.and_then(|s| s.envs.iter().position(|e| e.rel_path == c.rel_path))
        };
        let mut changes = changes.to_vec();
        changes.sort_by_key(|c| (c.set.clone(), column(c)));
        let parts: Vec<String> = changes
            .iter()
            .map(|c| match c.kind {
                FileChangeKind::Added => format!("{} added", c.rel_path),
                FileChangeKind::Removed => format!("{} removed", c.rel_path),
                FileChangeKind::Modified if Some(c.set.as_str()) == shown => c.env.clone(),
                FileChangeKind::Modified => format!("{} {}", c.set, c.env),
            })
            .collect();
        let modified = changes.iter().any(|c| c.kind == FileChangeKind::Modified);
        format!("{}{}", parts.join(", "), if modified { " changed on disk" } else { "" })
    }

    /// Writes the last change with its age into the status line, unless
    /// another message replaced it since (`force` after a new change).
    fn refresh_last(&mut self, now: Instant, force: bool) {
        let Some((what, at)) = &self.live.last else { return };
        if !force && self.message != self.live.said {
            return;
        }
        let text = format!("{what} · reloaded {}", age(now.saturating_duration_since(*at)));
        self.live.said = Some(text.clone());
        self.message = Some(text);
    }

    /// Another program changed the file the open editor writes to.
    fn warn_editor(&mut self, outcome: &ReloadOutcome) {
        let Some(editor) = self.editor.as_mut() else { return };
        let base = self
            .model
            .sets
            .iter()
            .find(|s| s.name == editor.set)
            .and_then(|s| s.base_file.as_deref());
        let Some(change) = outcome.files.iter().find(|f| {
            !f.ours && f.set == editor.set && (f.env == editor.env || Some(&*f.rel_path) == base)
        }) else {
            return;
        };
        let reason = format!("{} changed on disk while you typed", change.rel_path);
        let hint = "the view shows the new file: Enter writes your value into it, Esc leaves it";
        editor.refusal = Some(Refusal::new(RefusalKind::ChangedOnDisk, reason).hint(hint));
        editor.preview = None;
        // Told and shown: a save now goes into the new text.
        editor.show(self.model.project.as_deref());
    }
}

/// The status line while a burst reloads on a worker.
fn reloading(files: usize) -> String {
    format!("reloading {files} files…")
}

/// `just now`, `12s ago`, `3 min ago`, `2 h ago`.
fn age(elapsed: Duration) -> String {
    match elapsed.as_secs() {
        0 => "just now".into(),
        s @ 1..60 => format!("{s}s ago"),
        s @ 60..3600 => format!("{} min ago", s / 60),
        s => format!("{} h ago", s / 3600),
    }
}
