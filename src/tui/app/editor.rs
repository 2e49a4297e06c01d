//! The editor's state (§9): which value, the text and cursor, how a
//! secret is hidden, and what the edge last said about it (a preview, a
//! refusal, the question of where to write a shared value); the flash of a
//! cell just written. `edit.rs` changes it; the view draws it.

use std::time::Instant;

use super::line::LineInput;
use crate::core::docs::KeyDoc;
use crate::core::edit::{Refusal, Shared, Target, Via};
use crate::core::project::{Fingerprint, Project};
use crate::core::secret::SecretText;
use crate::tui::action::EditKey;
use crate::tui::effect::EditJob;

/// The open editor: which value, the text, and what the edge last said.
#[derive(Debug)]
pub struct Editor {
    pub set: String,
    pub env: String,
    pub key: String,
    /// The key's type as the title shows it (`int`).
    pub type_name: String,
    pub line: LineInput,
    /// The text the editor opened with (`Enter` on it writes nothing).
    pub(super) original: SecretText,
    /// The key is missing in this env and is added.
    pub adding: bool,
    pub secrecy: Secrecy,
    /// The schema's rules for the hint line (`1 to 64`).
    pub rules: Option<String>,
    /// The line the edit would change, from the last plan.
    pub preview: Option<String>,
    /// Why the last plan or write was refused.
    pub refusal: Option<Refusal>,
    /// The value lives elsewhere: the user picks where to write.
    pub question: Option<Shared>,
    /// The number of the newest request, and whether it writes.
    pub(super) seq: u64,
    pub(super) writing: bool,
    pub preview_due: Option<Instant>,
    /// The env's file and the base file as the editor showed them: a save
    /// is refused unless the disk still holds exactly these bytes.
    pub(super) shown: Vec<(String, Fingerprint)>,
}

/// How the editor's text is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrecy {
    /// As typed.
    Plain,
    /// A secret not revealed and not touched yet: drawn as the eight-dot
    /// mask, and the first key replaces it whole, so its length never shows.
    Untouched,
    /// A secret being retyped: one `•` per character.
    Typed,
}

/// A cell that was just written, drawn standing out until `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub set: String,
    pub key: String,
    pub env: String,
    pub until: Instant,
}

impl Editor {
    /// A secret not revealed: its text is never drawn.
    pub fn masked(&self) -> bool {
        self.secrecy != Secrecy::Plain
    }

    /// A masked value the user has not touched.
    pub fn pristine(&self) -> bool {
        self.secrecy == Secrecy::Untouched
    }

    /// The text as it may be drawn: a masked secret as dots.
    pub fn shown_text(&self) -> String {
        match self.secrecy {
            Secrecy::Untouched => crate::core::secret::MASK.to_owned(),
            Secrecy::Typed => "•".repeat(self.line.len()),
            Secrecy::Plain => self.line.text().to_owned(),
        }
    }

    /// The cursor's position in `shown_text`, in characters.
    pub fn shown_cursor(&self) -> usize {
        match self.secrecy {
            Secrecy::Untouched => crate::core::secret::MASK.chars().count(),
            _ => self.line.cursor(),
        }
    }

    pub(super) fn job(&mut self, target: Target, write: bool, seq: u64) -> EditJob {
        self.seq = seq;
        self.writing = write;
        EditJob {
            seq,
            set: self.set.clone(),
            env: self.env.clone(),
            key: self.key.clone(),
            input: self.line.text().to_owned(),
            target,
            write,
            secret: self.masked(),
            shown: self.shown.clone(),
        }
    }

    /// Takes the files as `project` now holds them as the ones shown (on
    /// opening, and once the view has told the user they changed).
    pub(super) fn show(&mut self, project: Option<&Project>) {
        self.shown = shown_files(project, &self.set, &self.env);
    }

    /// Applies a typing key; true when the text changed.
    pub(super) fn type_key(&mut self, key: EditKey) -> bool {
        let before = self.line.clone();
        if self.pristine() {
            // The hidden text is replaced whole or not at all.
            match key {
                EditKey::Char(c) => self.line = LineInput::new(c.to_string()),
                EditKey::Backspace
                | EditKey::Delete
                | EditKey::KillStart
                | EditKey::KillEnd
                | EditKey::KillWord => self.line = LineInput::default(),
                _ => return false,
            }
            self.secrecy = Secrecy::Typed;
            return true;
        }
        match key {
            EditKey::Char(c) => self.line.insert(c),
            EditKey::Left => self.line.left(),
            EditKey::Right => self.line.right(),
            EditKey::Home => self.line.home(),
            EditKey::End => self.line.end(),
            EditKey::Backspace => self.line.backspace(),
            EditKey::Delete => self.line.delete(),
            EditKey::KillStart => self.line.kill_start(),
            EditKey::KillEnd => self.line.kill_end(),
            EditKey::KillWord => self.line.kill_word(),
            EditKey::Save | EditKey::Cancel => {}
        }
        before.text() != self.line.text()
    }
}

/// How the shared value is reached, for the question and the preview.
pub fn via_text(via: Via) -> &'static str {
    match via {
        Via::Alias => "a YAML anchor",
        Via::Merge => "a YAML `<<` merge",
        Via::Base => "the base file",
        Via::Local => "a local layer, over the env's file",
        Via::After => "a layer over every env",
    }
}

/// The schema's rules a value must meet, short: `1 to 64 · pattern ^s3://`.
pub(super) fn rules(doc: &KeyDoc) -> Option<String> {
    let mut rules = Vec::new();
    match (&doc.minimum, &doc.maximum) {
        (Some(min), Some(max)) => rules.push(format!("{min} to {max}")),
        (Some(min), None) => rules.push(format!("at least {min}")),
        (None, Some(max)) => rules.push(format!("at most {max}")),
        (None, None) => {}
    }
    if !doc.allowed.is_empty() {
        let allowed: Vec<String> = doc.allowed.iter().map(ToString::to_string).collect();
        rules.push(format!("one of {}", allowed.join(", ")));
    }
    if let Some(pattern) = &doc.pattern {
        rules.push(format!("pattern {pattern}"));
    }
    if let Some(format) = &doc.format {
        rules.push(format!("format {format}"));
    }
    (!rules.is_empty()).then(|| rules.join(" · "))
}

/// The fingerprints of env `env`'s file of set `set` and of its base file.
fn shown_files(project: Option<&Project>, set: &str, env: &str) -> Vec<(String, Fingerprint)> {
    let Some(set) = project.and_then(|p| p.set(set)) else { return Vec::new() };
    let env_file = set.envs.iter().filter(|f| f.file.env == env);
    set.base
        .iter()
        .chain(env_file)
        .filter_map(|f| Some((f.file.rel_path.clone(), f.fingerprint?)))
        .collect()
}
