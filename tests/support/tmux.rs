//! The one tmux driver of the end-to-end tests: the real binary in a
//! detached tmux session of a fixed size, read as a person would. Every
//! wait polls the pane every 10 ms until the text shows or a deadline
//! passes; nothing sleeps and then asserts. Where tmux is not installed a
//! session does not start and the test is skipped with the reason.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Generous: a deadline only costs time when a test fails, and CI machines are slow.
pub const DEADLINE: Duration = Duration::from_secs(60);
pub const POLL: Duration = Duration::from_millis(10);

use super::run::BIN;

pub fn tmux(args: &[&str]) -> Output {
    Command::new("tmux").args(args).output().unwrap()
}

/// A tmux session that is killed when the test ends, pass or fail.
#[derive(Debug)]
pub struct Session {
    pub name: String,
}

impl Session {
    /// Starts `envlens ARGS` from the crate folder (so `sample-project`
    /// and other relative paths in ARGS read as they do in the README) at
    /// `width` x `height` with the settings file `config`. None, the test
    /// skipped, when tmux is missing.
    pub fn start(name: &str, args: &str, config: &Path, size: (u16, u16)) -> Option<Self> {
        let config = config.display().to_string();
        Self::start_in(
            name,
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &[("ENVLENS_CONFIG", &config)],
            args,
            size,
        )
    }

    /// Starts `envlens ARGS` in `cwd` with the variables `env` set; the
    /// shell stays after envlens exits (`envlens exited CODE`), to check
    /// the screen.
    pub fn start_in(
        name: &str,
        cwd: &Path,
        env: &[(&str, &str)],
        args: &str,
        size: (u16, u16),
    ) -> Option<Self> {
        if !super::have("tmux", "-V", "apt-get install tmux") {
            return None;
        }
        let name = format!("envlens-e2e-{name}-{}", std::process::id());
        let vars = env.iter().fold(String::new(), |all, (k, v)| format!("{all}{k}={v} "));
        let script = format!(
            "cd {cwd} && {vars}TERM=xterm-256color {BIN} {args}; \
             echo \"envlens exited $?\"; exec sleep 60",
            cwd = cwd.display(),
        );
        let (width, height) = (size.0.to_string(), size.1.to_string());
        let out = tmux(&[
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            &width,
            "-y",
            &height,
            "sh",
            "-c",
            &script,
        ]);
        assert!(out.status.success(), "tmux failed: {}", String::from_utf8_lossy(&out.stderr));
        Some(Self { name })
    }

    pub fn pane(&self) -> String {
        String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", &self.name]).stdout)
            .into_owned()
    }

    /// Polls the pane until `check` holds; returns the pane that passed.
    /// `check` sees every pane read, so it can also assert on each.
    pub fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let pane = self.pane();
            if check(&pane) {
                return pane;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "waited {DEADLINE:?} for {what}; the pane:\n{pane}"
            );
            std::thread::sleep(POLL);
        }
    }

    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(text, |pane| pane.contains(text))
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend(keys);
        assert!(tmux(&args).status.success());
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["kill-session", "-t", &self.name]).output();
    }
}

/// The line of `pane` that holds `key` (the first one).
pub fn row<'a>(pane: &'a str, key: &str) -> &'a str {
    pane.lines().find(|l| l.contains(key)).unwrap_or("")
}
