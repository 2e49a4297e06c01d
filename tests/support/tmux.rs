//! The real binary in a detached tmux session of a fixed size, read as a
//! person would: every wait polls the pane every 10 ms until the text
//! shows or a deadline passes; nothing sleeps and then asserts.

#![allow(dead_code, reason = "each end-to-end test uses a different part")]

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Generous: a deadline only costs time when a test fails, and CI machines are slow.
pub const DEADLINE: Duration = Duration::from_secs(30);
pub const POLL: Duration = Duration::from_millis(10);

pub fn tmux(args: &[&str]) -> Output {
    Command::new("tmux").args(args).output().unwrap_or_else(|e| {
        panic!(
            "tmux is needed for this test ({e}); install it (apt-get install tmux; .ci/run does)"
        )
    })
}

/// A tmux session that is killed when the test ends, pass or fail.
pub struct Session {
    pub name: String,
}

impl Session {
    /// Starts `BIN ARGS` at `width` x `height` with the settings file
    /// `config`; the shell stays after envlens exits, to check the screen.
    pub fn start(name: &str, bin: &Path, args: &str, config: &Path, size: (u16, u16)) -> Self {
        let name = format!("envlens-e2e-{name}-{}", std::process::id());
        // From the crate folder, so `sample-project` and other relative
        // paths in ARGS read as they do in the README.
        let script = format!(
            "cd {root} && ENVLENS_CONFIG={config} TERM=xterm-256color {bin} {args}; \
             echo \"envlens exited $?\"; exec sleep 60",
            root = Path::new(env!("CARGO_MANIFEST_DIR")).display(),
            config = config.display(),
            bin = bin.display(),
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
        Self { name }
    }

    pub fn pane(&self) -> String {
        String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", &self.name]).stdout)
            .into_owned()
    }

    /// Polls the pane until `check` holds; returns the pane that passed.
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
