//! Repositories made with the real `git` for the history tests: commits
//! with fixed authors and dates, so ids and dates are what a test expects.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A repository in a temporary folder, removed when dropped.
pub struct GitRepo {
    pub dir: tempfile::TempDir,
    /// Commits made so far; each gets the next day as its date.
    commits: std::cell::Cell<u32>,
}

/// Whether `git` runs here (else the calling test is skipped).
pub fn have_git() -> bool {
    super::have("git", "--version", "apt-get install git")
}

/// `git` with no user or system settings in the way, and a fixed identity.
pub fn git_command(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Ada Tester")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Tester")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com");
    command
}

impl GitRepo {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let repo = Self { dir, commits: std::cell::Cell::new(0) };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs git here; a failure fails the test with git's message.
    pub fn git(&self, args: &[&str]) -> String {
        let out = git_command(self.path()).args(args).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim_end().to_owned()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.join(rel)).unwrap();
    }

    /// Commits everything, as `author`, on day N of 2026 (N = commits so
    /// far + 1); returns the commit id.
    pub fn commit_as(&self, author: &str, message: &str) -> String {
        let n = self.commits.get() + 1;
        self.commits.set(n);
        let date = format!("@{} +0000", 1_767_225_600 + u64::from(n) * 86_400);
        self.git(&["add", "-A"]);
        let out = git_command(self.path())
            .args(["commit", "-q", "--allow-empty", "-m", message])
            .env("GIT_AUTHOR_NAME", author)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .unwrap();
        assert!(out.status.success(), "commit: {}", String::from_utf8_lossy(&out.stderr));
        self.git(&["rev-parse", "HEAD"])
    }

    pub fn commit(&self, message: &str) -> String {
        self.commit_as("Ada Tester", message)
    }
}
