//! Interactive view benchmarks: one frame drawn at 200x60 on a set of
//! 10,000 keys (written by `bench/gen_configs.py` into the system
//! temp folder), and the model built from a loaded project. Time to first
//! frame of the real binary is measured in tmux (see the README).

#![allow(clippy::expect_used, reason = "a benchmark without its workload cannot run")]

use std::path::PathBuf;

use envlens::tui::action::Action;
use envlens::tui::app::{App, AppOptions};
use envlens::tui::run::load_blocking;
use envlens::tui::settings::Settings;
use envlens::tui::view::Screen;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

mod support;

use support::workload;

fn main() {
    divan::main();
}

fn keys_10k() -> PathBuf {
    workload("tui-10k", &["--single", "--keys", "10000"])
}

/// The view of the 10,000-key set, loaded, with the cursor mid-way.
fn loaded_app(width: u16, height: u16) -> App {
    let settings = Settings::defaults().expect("defaults parse");
    let options = AppOptions { root: "bench".into(), ..AppOptions::default() };
    let mut app = App::new(options, settings.keymap, settings.theme);
    app.update(Action::Resize { width, height }, std::time::Instant::now());
    app.start();
    app.update(
        Action::Loaded(Box::new(load_blocking(&keys_10k(), false, &[], app.generation))),
        std::time::Instant::now(),
    );
    for _ in 0..20 {
        app.update(Action::PageDown, std::time::Instant::now());
    }
    app
}

#[divan::bench]
fn frame_200x60_10k_keys(bencher: divan::Bencher) {
    let app = loaded_app(200, 60);
    let area = Rect::new(0, 0, 200, 60);
    let mut buffer = Buffer::empty(area);
    bencher.bench_local(|| {
        buffer.reset();
        Screen(divan::black_box(&app)).render(area, &mut buffer);
    });
}

#[divan::bench]
fn cursor_step_10k_keys(bencher: divan::Bencher) {
    let mut app = loaded_app(200, 60);
    bencher.bench_local(|| {
        app.update(Action::MoveDown, std::time::Instant::now());
        app.update(Action::MoveUp, std::time::Instant::now());
    });
}

#[divan::bench]
fn filter_keystroke_10k_keys(bencher: divan::Bencher) {
    let mut app = loaded_app(200, 60);
    app.update(Action::Filter, std::time::Instant::now());
    bencher.bench_local(|| {
        app.update(Action::FilterInput('k'), std::time::Instant::now());
        app.update(Action::FilterBackspace, std::time::Instant::now());
    });
}

#[divan::bench(sample_count = 10)]
fn load_and_model_10k_keys() -> usize {
    load_blocking(&keys_10k(), false, &[], 1).result.map_or(0, |m| m.sets.len())
}
