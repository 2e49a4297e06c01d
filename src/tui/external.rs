//! `E`: runs the user's editor on a file at a line, in the terminal the
//! view gave up for it. `$VISUAL`, then `$EDITOR`; the command may carry
//! arguments (`code --wait`); `+LINE FILE` is what vi, vim, nvim, emacs,
//! nano, micro, helix and kakoune all take.

use std::path::Path;
use std::process::Command;

/// Runs the editor and waits for it. `Err` says why it did not run, in a
/// line for the status bar.
pub fn edit(path: &Path, line: u32) -> Result<(), String> {
    let command = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
        .ok_or_else(|| "no editor: set $VISUAL or $EDITOR (e.g. export EDITOR=vim)".to_owned())?;
    let mut words = command.split_whitespace();
    let program = words.next().unwrap_or_default();
    let status = Command::new(program)
        .args(words)
        .arg(format!("+{line}"))
        .arg(path)
        .status()
        .map_err(|e| format!("cannot run the editor `{program}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the editor `{program}` exited with {status}"))
    }
}
