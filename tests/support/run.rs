//! The one way the tests run the envlens binary: a command whose output
//! does not depend on the tester's terminal or colour variables, and its
//! result as text.

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The binary cargo built for this test run.
pub const BIN: &str = env!("CARGO_BIN_EXE_envlens");

/// What one run printed and how it ended.
#[derive(Debug)]
pub struct Ran {
    /// The exit code; -1 when a signal ended it.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// Both outputs, for a test that looks for text in either.
    pub fn both(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl From<Output> for Ran {
    fn from(out: Output) -> Self {
        Self {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// `envlens ARGS` in `dir`, stdin closed, with the variables that change
/// how output looks (colour, width) removed; a test that wants one sets
/// it on the command.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
    command
}

/// Runs a command made by `command` (maybe with more set) to its end.
pub fn run(command: &mut Command) -> Ran {
    command.output().unwrap_or_else(|e| panic!("cannot run {BIN}: {e}")).into()
}

/// `envlens ARGS` in `dir`, run to its end.
pub fn envlens_in(dir: &Path, args: &[&str]) -> Ran {
    run(&mut command(dir, args))
}

/// `envlens ARGS` in the crate's root (where `sample-project/` and
/// `tests/fixtures/` are), run to its end.
pub fn envlens(args: &[&str]) -> Ran {
    envlens_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Runs a command made by `command` to its end, killing it and failing the
/// test when it takes longer than `deadline` (for inputs that could make
/// it hang). Its outputs go to unnamed files, so a full pipe never blocks it.
pub fn run_within(command: &mut Command, deadline: std::time::Duration) -> Ran {
    use std::io::{Read as _, Seek as _};
    let (mut out, mut err) = (tempfile::tempfile().unwrap(), tempfile::tempfile().unwrap());
    let mut child = command
        .stdout(out.try_clone().unwrap())
        .stderr(err.try_clone().unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!("`{command:?}` hung for {deadline:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let read = |file: &mut std::fs::File| {
        let mut bytes = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut bytes).unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Ran { code: status.code().unwrap_or(-1), stdout: read(&mut out), stderr: read(&mut err) }
}
