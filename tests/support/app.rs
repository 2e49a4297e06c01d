//! The one App fixture of the view's tests: `App` on a temporary copy of
//! `sample-project/`, driven through `App::update` without a terminal, its
//! effects run by the same edges the loop uses (`Writer` for edits, `Live`
//! for reloads; `Live` here has no channel, so no watcher runs: a test
//! says what changed on disk with `Action::FilesChanged`). Time is the
//! fixture's own clock, `now`, passed to every update: a test moves it
//! forward instead of sleeping.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use envlens::tui::action::{Action, EditKey};
use envlens::tui::app::{App, AppOptions};
use envlens::tui::effect::Effect;
use envlens::tui::live::Live;
use envlens::tui::run::load_blocking;
use envlens::tui::settings::Settings;
use envlens::tui::writer::Writer;

#[derive(Debug)]
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub app: App,
    pub writer: Writer,
    pub live: Live,
    /// The clock every update gets.
    pub now: Instant,
    /// Full loads are held back instead of run (to see the watcher's
    /// report of a write before the reload the editor asks for).
    pub hold_loads: bool,
    pub held: Vec<Effect>,
}

/// The view on a fresh copy of the sample with set `set` open, loaded.
pub fn fixture(set: &str, readonly: bool) -> Fixture {
    let dir = super::sample_copy();
    let settings = Settings::defaults().unwrap();
    let options = AppOptions {
        root: "sample-project".into(),
        set: Some(set.into()),
        readonly,
        ..AppOptions::default()
    };
    let mut app = App::new(options, settings.keymap, settings.theme);
    let now = Instant::now();
    app.update(Action::Resize { width: 120, height: 32 }, now);
    let live = Live::new(dir.path().to_path_buf(), false, None);
    let writer = Writer::new(readonly);
    let mut fx = Fixture { dir, app, writer, live, now, hold_loads: false, held: Vec::new() };
    let start = fx.app.start();
    fx.run_effects(start);
    fx.app.loaded_note = None;
    fx
}

/// `App` on `sample-project/` itself (read only), `options` given, at
/// `width` x `height`, loaded; for tests that only look.
pub fn app_on_sample(options: AppOptions, size: (u16, u16)) -> App {
    let settings = Settings::defaults().unwrap();
    let envs = options.envs.clone();
    let mut app = App::new(options, settings.keymap, settings.theme);
    app.reveal_timeout = settings.reveal_timeout;
    let now = Instant::now();
    app.update(Action::Resize { width: size.0, height: size.1 }, now);
    app.start();
    let loaded = load_blocking(&super::repo("sample-project"), false, &envs, app.generation);
    app.update(Action::Loaded(Box::new(loaded)), now);
    app
}

impl Fixture {
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// One update at the fixture's clock, its effects not run.
    pub fn act(&mut self, action: Action) -> Vec<Effect> {
        self.app.update(action, self.now)
    }

    /// Runs effects as the loop does (loads blocking here), feeding the
    /// answers back; returns every effect asked for, in order.
    pub fn run_effects(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut seen = Vec::new();
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            seen.push(effect.clone());
            let answer = match &effect {
                Effect::Load { .. } if self.hold_loads => {
                    self.held.push(effect.clone());
                    None
                }
                Effect::Load { generation } => {
                    let loaded = load_blocking(self.dir.path(), false, &[], *generation);
                    Some(Action::Loaded(Box::new(loaded)))
                }
                Effect::Quit => None,
                Effect::Live(job) => self.live.run(self.app.model.project.as_mut(), job),
                // Edits, undo and redo; the writer answers nothing else.
                _ => {
                    let answer = self.writer.run(self.app.model.project.as_deref(), &effect);
                    if let Some(answer) = &answer {
                        self.live.note(answer);
                    }
                    answer
                }
            };
            if let Some(action) = answer {
                queue.extend(self.act(action));
            }
        }
        seen
    }

    /// Applies `action` and runs what it asks for.
    pub fn press(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.act(action);
        self.run_effects(effects)
    }

    /// Editor keys: none may ask for work.
    pub fn keys(&mut self, keys: &[EditKey]) {
        for key in keys {
            assert!(self.act(Action::EditKey(*key)).is_empty(), "{key:?} asked for work");
        }
    }

    pub fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.keys(&[EditKey::Char(c)]);
        }
    }

    /// Moves the clock to the state's next deadline and wakes it there, as
    /// the loop would; returns what the wake-up asked for, run.
    pub fn wake_at_deadline(&mut self) -> Vec<Effect> {
        let deadline = self.app.next_deadline().expect("a deadline");
        self.now = self.now.max(deadline);
        self.press(Action::Tick)
    }

    /// Moves the clock on by `by`.
    pub fn wait(&mut self, by: Duration) {
        self.now += by;
    }

    /// Puts the cursor on `key` in env column `env`.
    pub fn focus(&mut self, key: &str, env: usize) {
        self.act(Action::First);
        for _ in 0..self.app.visible.len() {
            if self.app.focused_key().is_some_and(|(_, row)| row.key == key) {
                break;
            }
            self.act(Action::MoveDown);
        }
        assert_eq!(self.app.focused_key().unwrap().1.key, key);
        for _ in 0..env {
            self.act(Action::EnvRight);
        }
    }
}

/// One fixed moment for tests that drive a bare `App`: updates at the
/// same time unless a test adds to it.
pub fn clock() -> Instant {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *START.get_or_init(Instant::now)
}
