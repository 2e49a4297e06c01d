//! The clipboard by OSC 52: the terminal (also over ssh, and tmux with
//! `set-clipboard on`) puts the text on the user's clipboard. Nothing is
//! kept or logged here; the text is written once to the terminal.

use std::io::{Write, stdout};

use ratatui::crossterm::clipboard::CopyToClipboard;
use ratatui::crossterm::execute;

use crate::core::secret::SecretText;

/// Writes `text` to the terminal's clipboard.
pub fn copy(text: &SecretText) -> std::io::Result<()> {
    let mut out = stdout();
    execute!(out, CopyToClipboard::to_clipboard_from(text.expose()))?;
    out.flush()
}
