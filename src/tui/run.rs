//! The loop: one thread owns the `App` and the terminal and reads one
//! channel of events (input thread, loading worker, signals, the file
//! watcher, the background reload). Loads and bursts of changed files run
//! on workers; edits and small live reloads run here, in order, through
//! `writer` and `live`. It sleeps
//! until an event or the next deadline the state asks for, so an idle view
//! uses no CPU. The terminal is restored on every way out: `q`, an error,
//! a signal (through the channel) and a panic (through the hook).

use std::io::stdout;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

use super::action::Action;
use super::app::findings::Findings;
use super::app::model;
use super::app::reload::Reloaded;
use super::app::search;
use super::app::{App, AppOptions};
use super::effect::{Effect, FilterJob};
use super::event::{self, Event, Filtered, InputGate, Loaded, SourceRead};
use super::input::{self, KeyInput};
use super::live::Live;
use super::settings::Settings;
use super::view;
use super::writer::Writer;
use super::{clipboard, external};
use crate::core::project::{self as columns, Expanded};
use crate::core::project::{self, OpenOptions, Project};
use crate::core::sources::{self, FetchOptions};
use crate::core::watch::ReloadOutcome;

/// How often at most the worker reports progress: more is only redrawing.
const PROGRESS_EVERY: Duration = Duration::from_millis(40);

/// Everything the view needs to start.
#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools, reason = "independent switches, each its own flag")]
pub struct TuiOptions {
    pub root: PathBuf,
    pub app: AppOptions,
    pub no_ignore: bool,
    /// `--offline`: the remote stores of `[[source]]` are not read.
    pub offline: bool,
    /// `--local`: local layers are applied (§10).
    pub local: bool,
    /// False for `NO_COLOR` or `--color never`.
    pub color: bool,
}

/// Restores the terminal when dropped, whatever way the loop is left.
struct TerminalGuard {
    terminal: DefaultTerminal,
}

impl TerminalGuard {
    fn enter() -> std::io::Result<Self> {
        let terminal = ratatui::try_init()?;
        // ratatui's hook restores the screen; mouse capture must be undone
        // first or the shell receives mouse escape codes after a panic.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(stdout(), DisableMouseCapture);
            previous(info);
        }));
        let guard = Self { terminal };
        execute!(stdout(), EnableMouseCapture)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(stdout(), DisableMouseCapture);
        ratatui::restore();
    }
}

/// Runs the view until the user quits. `Err` is a message for standard
/// error, printed after the terminal is restored.
pub fn run(options: TuiOptions, settings: Settings) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(options.app.clone(), settings.keymap, settings.theme);
    app.theme.color = options.color;
    app.reveal_timeout = settings.reveal_timeout;
    let mut guard = TerminalGuard::enter().map_err(|e| format!("cannot use the terminal: {e}"))?;
    let size = guard.terminal.size().map_err(|e| format!("cannot read the terminal size: {e}"))?;
    app.update(Action::Resize { width: size.width, height: size.height }, Instant::now());
    let gate = Arc::new(InputGate::default());
    event::spawn_input(tx.clone(), Arc::clone(&gate))
        .map_err(|e| format!("cannot start the input thread: {e}"))?;
    event::spawn_signals(tx.clone()).map_err(|e| format!("cannot watch for signals: {e}"))?;
    let writer = Writer::new(options.app.readonly);
    let live = Live::new(options.root.clone(), options.no_ignore, Some(tx.clone()))
        .applying_locals(options.local);
    let loader = Loader { tx, options, newest_filter: Arc::new(AtomicU64::new(0)) };
    let mut edge = Edge { loader, writer, live, gate, screen: Vec::new() };
    for effect in app.start() {
        edge.loader.run(&effect);
    }
    event_loop(&mut app, &mut guard.terminal, &rx, &mut edge)
}

fn event_loop(
    app: &mut App,
    terminal: &mut DefaultTerminal,
    rx: &Receiver<Event>,
    edge: &mut Edge,
) -> Result<(), String> {
    let mut keys = KeyInput::default();
    loop {
        for job in std::mem::take(&mut edge.screen) {
            if let Some(action) = edge.run_screen_job(terminal, job)
                && edge.update(app, action)
            {
                return Ok(());
            }
        }
        terminal.draw(|frame| view::render(app, frame)).map_err(|e| format!("cannot draw: {e}"))?;
        let first = match wait(app, rx) {
            Ok(first) => first,
            Err(end) => return end,
        };
        let mut actions = vec![Action::Tick];
        // Every batch of changed files of this wake-up, applied once.
        let mut changed: Vec<PathBuf> = Vec::new();
        // Drain everything queued before drawing again: a burst of keys or
        // progress costs one frame.
        for event in first.into_iter().chain(std::iter::from_fn(|| rx.try_recv().ok())) {
            if let Some(end) = translate(app, edge, &mut keys, event, &mut actions, &mut changed) {
                return end;
            }
            // Keys are read against the mode the previous key left.
            for action in actions.drain(..) {
                if edge.update(app, action) {
                    return Ok(());
                }
            }
        }
        if !changed.is_empty() {
            changed.sort();
            changed.dedup();
            actions.push(Action::FilesChanged(changed));
        }
        for action in actions.drain(..) {
            if edge.update(app, action) {
                return Ok(());
            }
        }
    }
}

/// The next event, or None when the app's next deadline came first; `Err`
/// ends the loop (the input side hung up).
fn wait(app: &App, rx: &Receiver<Event>) -> Result<Option<Event>, Result<(), String>> {
    match app.next_deadline() {
        Some(deadline) => match rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(event) => Ok(Some(event)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => Err(Ok(())),
        },
        None => rx.recv().map(Some).map_err(|_| Err("the input thread stopped".to_owned())),
    }
}

/// The actions one event asks for (file changes gathered apart, applied
/// once per wake-up); `Some` ends the loop.
fn translate(
    app: &mut App,
    edge: &mut Edge,
    keys: &mut KeyInput,
    event: Event,
    actions: &mut Vec<Action>,
    changed: &mut Vec<PathBuf>,
) -> Option<Result<(), String>> {
    match event {
        Event::Key(key) => actions.extend(keys.key(app, &key)),
        Event::Mouse(mouse) => actions.extend(input::mouse(&mouse)),
        Event::Resize(width, height) => actions.push(Action::Resize { width, height }),
        Event::Progress { generation, found, parsed } if generation == app.generation => {
            actions.push(Action::Progress { found, parsed });
        }
        Event::Progress { .. } => {}
        Event::Loaded(answer) => actions.push(Action::Loaded(answer)),
        Event::FilesChanged(paths) => changed.extend(paths),
        Event::Watcher(news) => actions.push(Action::Watcher(news)),
        Event::SourceRead(read) => actions.extend(source_read(app, *read, edge.live.retry_at())),
        Event::Reloaded(done) => actions.push(edge.live.finish(*done, app.model.project.as_mut())),
        Event::Checked(findings) => actions.push(Action::Checked(findings)),
        Event::Filtered(found) => actions.push(Action::Filtered(found)),
        Event::Terminate => return Some(Ok(())),
        Event::Fatal(message) => return Some(Err(message)),
    }
    None
}

/// Where effects run: loads, bursts and checks on workers, edits and small
/// live reloads on this thread, and what needs the screen itself (the
/// user's editor, a full redraw) between two frames.
struct Edge {
    loader: Loader,
    writer: Writer,
    live: Live,
    gate: Arc<InputGate>,
    /// Work on the terminal itself, done before the next frame.
    screen: Vec<ScreenJob>,
}

/// What the loop does with the terminal between two frames.
enum ScreenJob {
    Redraw,
    OpenEditor { path: PathBuf, line: u32 },
}

impl Edge {
    /// Applies `action` and runs its effects, feeding an edit's outcome
    /// straight back; true when the user asked to quit.
    fn update(&mut self, app: &mut App, action: Action) -> bool {
        let mut queue = std::collections::VecDeque::from([action]);
        while let Some(action) = queue.pop_front() {
            // The one place the view reads the clock.
            for effect in app.update(action, Instant::now()) {
                match effect {
                    Effect::Quit => return true,
                    Effect::Load { .. } => self.loader.run(&effect),
                    Effect::Edit(_) | Effect::Undo | Effect::Redo => {
                        let answer = self.writer.run(app.model.project.as_deref(), &effect);
                        if let Some(answer) = &answer {
                            self.live.note(answer);
                        }
                        queue.extend(answer);
                    }
                    Effect::Live(job) => {
                        queue.extend(self.live.run(app.model.project.as_mut(), &job));
                    }
                    Effect::Check { generation } => {
                        self.loader.check(app.model.project.clone(), generation);
                    }
                    Effect::Copy(text) => {
                        if let Err(err) = clipboard::copy(&text) {
                            app.message = Some(format!("cannot copy: {err}"));
                        }
                    }
                    Effect::OpenEditor { path, line } => {
                        self.screen.push(ScreenJob::OpenEditor { path, line });
                    }
                    Effect::Redraw => self.screen.push(ScreenJob::Redraw),
                    Effect::Filter(job) => {
                        let keys = app
                            .model
                            .sets
                            .get(job.set)
                            .filter(|s| s.name == job.set_name)
                            .map(|s| Arc::clone(&s.keys));
                        self.loader.filter(keys, app.model.project.clone(), job);
                    }
                }
            }
        }
        false
    }
}

impl Edge {
    /// Runs a job that needs the terminal; the answer is an action to feed
    /// back (the editor's outcome).
    fn run_screen_job(&mut self, terminal: &mut DefaultTerminal, job: ScreenJob) -> Option<Action> {
        match job {
            ScreenJob::Redraw => {
                let _ = terminal.clear();
                None
            }
            ScreenJob::OpenEditor { path, line } => {
                self.gate.pause();
                let _ = execute!(stdout(), DisableMouseCapture);
                ratatui::restore();
                let outcome = external::edit(&path, line);
                let restored = ratatui::crossterm::terminal::enable_raw_mode().and_then(|()| {
                    execute!(
                        stdout(),
                        ratatui::crossterm::terminal::EnterAlternateScreen,
                        EnableMouseCapture
                    )
                });
                self.gate.resume();
                let _ = terminal.clear();
                Some(match (outcome, restored) {
                    (_, Err(err)) => {
                        Action::ExternalDone(Err(format!("cannot use the terminal again: {err}")))
                    }
                    (outcome, Ok(())) => Action::ExternalDone(outcome),
                })
            }
        }
    }
}

/// Starts loads on worker threads; their answers come back as events.
struct Loader {
    tx: Sender<Event>,
    options: TuiOptions,
    /// The newest filter search asked for: an older one still running
    /// sees it and stops.
    newest_filter: Arc<AtomicU64>,
}

impl Loader {
    /// Runs `check` over the project shown on a worker; the answer comes
    /// back as `Event::Checked` for load `generation`.
    fn check(&self, project: Option<Arc<project::Project>>, generation: u64) {
        let Some(project) = project else { return };
        let tx = self.tx.clone();
        let no_ignore = self.options.no_ignore;
        let spawned = std::thread::Builder::new().name("envlens-check".into()).spawn(move || {
            let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let settings =
                    crate::core::settings::load_from(&project.files, &project.root).ok()?;
                let trackable = no_ignore.then(|| {
                    crate::core::check::trackable_files_in(&project.files, &project.root, &settings)
                });
                let is_trackable = |rel: &str| trackable.as_ref().is_none_or(|t| t.contains(rel));
                let findings = crate::core::check::run(&project, &settings, &is_trackable);
                Some(Findings::group(&findings, generation).with_flags(settings.flags.clone()))
            }));
            // A check that cannot run (a broken settings file is already
            // reported by the load) leaves the view without findings.
            if let Ok(Some(findings)) = found {
                let _ = tx.send(Event::Checked(Box::new(findings)));
            }
        });
        if let Err(err) = spawned {
            let _ = self.tx.send(Event::Fatal(format!("cannot start the checks: {err}")));
        }
    }

    /// Searches a set's keys for the filter on a worker; the answer comes
    /// back as `Event::Filtered` unless a newer search was asked for first.
    fn filter(
        &self,
        keys: Option<Arc<model::KeyRows>>,
        project: Option<Arc<Project>>,
        job: FilterJob,
    ) {
        let Some(keys) = keys else { return };
        self.newest_filter.store(job.seq, Ordering::Relaxed);
        let newest = Arc::clone(&self.newest_filter);
        let tx = self.tx.clone();
        let spawned = std::thread::Builder::new().name("envlens-filter".into()).spawn(move || {
            let loaded = project
                .as_deref()
                .and_then(|p| p.sets.get(job.set))
                .filter(|s| s.name == job.set_name);
            let cancelled = || newest.load(Ordering::Relaxed) != job.seq;
            let within = job.within.as_deref().map(Vec::as_slice);
            let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                search::search_within(&keys, loaded, &job.query, within, &cancelled)
            }));
            if let Ok(Some((matches, best))) = found {
                let found = Filtered { seq: job.seq, query: job.query, matches, best };
                let _ = tx.send(Event::Filtered(Box::new(found)));
            }
        });
        if let Err(err) = spawned {
            let _ = self.tx.send(Event::Fatal(format!("cannot start the filter search: {err}")));
        }
    }

    fn run(&self, effect: &Effect) {
        let Effect::Load { generation } = *effect else { return };
        let tx = self.tx.clone();
        let root = self.options.root.clone();
        // Sources are read after the files, each on its own worker: the
        // view opens with their columns `loading…` and answers keys.
        let open = OpenOptions {
            no_ignore: self.options.no_ignore,
            offline: self.options.offline,
            no_sources: true,
            local: self.options.local,
            rev: self.options.app.rev.clone(),
            ..OpenOptions::default()
        };
        let envs = self.options.app.envs.clone();
        let since = self.options.app.since.clone();
        let resolve = self.options.app.resolve;
        let spawned = std::thread::Builder::new().name("envlens-load".into()).spawn(move || {
            let started = Instant::now();
            let mut pending = Vec::new();
            let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let shown = Shown { envs: &envs, since: since.as_deref(), resolve };
                load(&tx, &root, &open, &shown, generation, &mut pending)
            }));
            let event = match loaded {
                Ok(result) => Event::Loaded(Box::new(Loaded {
                    generation,
                    result,
                    elapsed: started.elapsed(),
                })),
                Err(_) => Event::Fatal("envlens stopped on an internal error while loading".into()),
            };
            let _ = tx.send(event);
            read_sources(&tx, &root, generation, pending);
        });
        if let Err(err) = spawned {
            let _ = self.tx.send(Event::Fatal(format!("cannot start loading: {err}")));
        }
    }
}

/// Opens the project and builds its model on the calling thread, as the
/// worker does (tests and benchmarks start from it).
pub fn load_blocking(
    root: &std::path::Path,
    no_ignore: bool,
    envs: &[String],
    generation: u64,
) -> Loaded {
    let open = OpenOptions { no_ignore, ..OpenOptions::default() };
    load_blocking_with(root, &open, envs, generation)
}

/// `load_blocking` with every open option (`--rev`, `--local`, …).
pub fn load_blocking_with(
    root: &std::path::Path,
    open: &OpenOptions,
    envs: &[String],
    generation: u64,
) -> Loaded {
    load_blocking_since(root, open, None, envs, generation)
}

/// `load_blocking_with`, and with `since` the cells changed since that
/// revision marked (`--since REV`, §13).
pub fn load_blocking_since(
    root: &std::path::Path,
    open: &OpenOptions,
    since: Option<&str>,
    envs: &[String],
    generation: u64,
) -> Loaded {
    load_blocking_view(root, open, since, false, envs, generation)
}

/// `load_blocking_since`, and with `resolve` statuses following resolved
/// references (`--resolve`, §14).
pub fn load_blocking_view(
    root: &std::path::Path,
    open: &OpenOptions,
    since: Option<&str>,
    resolve: bool,
    envs: &[String],
    generation: u64,
) -> Loaded {
    let (tx, _rx) = mpsc::channel();
    let started = Instant::now();
    let shown = Shown { envs, since, resolve };
    let result = load(&tx, root, open, &shown, generation, &mut Vec::new());
    Loaded { generation, result, elapsed: started.elapsed() }
}

/// What a load shows: the envs kept (all when empty), the revision the
/// cells are compared with, and whether references are resolved.
struct Shown<'a> {
    envs: &'a [String],
    since: Option<&'a str>,
    resolve: bool,
}

/// The project at `rev`, read as `open` reads today's (without stores),
/// for `--since`; the sets whose files did not change are not parsed.
fn open_past(
    root: &Path,
    open: &OpenOptions,
    now: &Project,
    rev: &str,
) -> Result<Arc<model::Past>, String> {
    let options = OpenOptions {
        no_sources: true,
        rev: Some(rev.to_owned()),
        known: Some(Arc::new(project::known_files(now))),
        ..open.clone()
    };
    let past =
        project::open(root, &options).map_err(|e| format!("--since {rev}: {}", e.message))?;
    Ok(model::Past::new(rev.to_owned(), past))
}

/// Opens the project and builds its model, reporting progress on `tx` at
/// most every `PROGRESS_EVERY`.
fn load(
    tx: &Sender<Event>,
    root: &std::path::Path,
    open: &OpenOptions,
    shown: &Shown<'_>,
    generation: u64,
    pending: &mut Vec<Expanded>,
) -> Result<model::ProjectModel, String> {
    let started = Instant::now();
    let last_sent = AtomicU64::new(0);
    let every = u64::try_from(PROGRESS_EVERY.as_millis()).unwrap_or(0);
    let progress = |p: project::Progress| {
        let now = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let last = last_sent.load(Ordering::Relaxed);
        let due = p.parsed == 0 || now >= last + every;
        if due
            && last_sent.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
        {
            let _ = tx.send(Event::Progress { generation, found: p.found, parsed: p.parsed });
        }
    };
    let mut project = project::open_with_progress(root, open, &progress).map_err(|e| e.message)?;
    let past = shown.since.map(|rev| open_past(root, open, &project, rev)).transpose()?;
    // Stores hold today's values: none beside a revision's files.
    if open.no_sources && open.rev.is_none() {
        *pending = placeholders(&mut project, root, open.offline);
    }
    Ok(model::build(Arc::new(project), shown.envs, past, shown.resolve))
}

/// The source columns of a project opened without them: the ML runs (on
/// disk) read now, every remote store as a column `loading…`; returns the
/// stores to read (none `--offline`).
fn placeholders(project: &mut Project, root: &Path, offline: bool) -> Vec<Expanded> {
    let Ok(settings) = crate::core::settings::load(root) else { return Vec::new() };
    let fetch = FetchOptions { reveal: false, root, env: &sources::process_env };
    columns::attach(project, &settings.sources, &fetch, true);
    if offline {
        return Vec::new();
    }
    let expanded = columns::expand(project, &settings.sources);
    columns::loading_columns(project, &expanded);
    expanded
}

/// Reads each store on a worker of its own and sends what it read.
fn read_sources(tx: &Sender<Event>, root: &Path, generation: u64, pending: Vec<Expanded>) {
    std::thread::scope(|scope| {
        for Expanded { set, source } in pending {
            let tx = tx.clone();
            scope.spawn(move || {
                let fetch = FetchOptions { reveal: false, root, env: &sources::process_env };
                let result = sources::fetch(&source, &fetch);
                let read = SourceRead { generation, set, source, result };
                let _ = tx.send(Event::SourceRead(Box::new(read)));
            });
        }
    });
}

/// Puts a source's answer into its column and has the set built again.
fn source_read(app: &mut App, read: SourceRead, retry_at: Option<Instant>) -> Option<Action> {
    if read.generation != app.generation {
        return None;
    }
    let project = Arc::make_mut(app.model.project.as_mut()?);
    let set = project.sets.iter_mut().find(|s| s.name == read.set)?;
    let column = columns::store_column(Arc::make_mut(&mut set.keys), &read.source, read.result);
    let slot = set.envs.iter_mut().find(|f| f.file.env == column.file.env)?;
    let mut outcome = ReloadOutcome { sets: vec![read.set], ..ReloadOutcome::default() };
    outcome.failed.extend(column.error.clone());
    *slot = column;
    Some(Action::Reloaded(Box::new(Reloaded { outcome, retry_at, fresh: None, background: false })))
}
