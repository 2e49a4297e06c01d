//! Editing one value of a config file without touching anything else,
//! for `envlens set` and the TUI editor.
//!
//! The API is two steps and a stack:
//!
//! - [`plan`]`(&project, &EditRequest) -> Result<Plan, Refusal>` decides
//!   everything and writes nothing: it finds the key (the env file's own
//!   value, one reached through a YAML alias or `<<` merge, one inherited
//!   from the base file, or a key to add), reads the input text as the
//!   key's type ([`crate::core::validate`]), renders it for the format,
//!   splices it into the file's bytes (span replacement for every format;
//!   BOM, CRLF, comments and quoting elsewhere stay byte for byte), parses
//!   the result again and checks that exactly the edit happened, and runs
//!   the set's JSON Schema over the whole resulting document (violations
//!   already present do not refuse). The [`Plan`] holds the file, the old
//!   and new bytes, a one-line [`Preview`] and a summary line, secrets
//!   masked unless the request reveals them.
//!   It refuses when the file on disk is not the text the project read,
//!   nor the text the caller showed ([`EditRequest::shown`]).
//! - [`apply`]`(&Plan) -> Result<Applied, Refusal>` writes it safely:
//!   through a symlink, never over a hard-linked or read-only file, only
//!   if the bytes on disk are still the ones planned on, atomically.
//! - [`UndoStack`] keeps applied edits; `undo`/`redo` write the reverse or
//!   the edit again with the same checks.
//!
//! A value that lives elsewhere is refused with [`RefusalKind::Shared`]
//! (where it lives, whether an override can be added) unless the request
//! says where to write: [`Target::Shared`] writes the anchor or base value
//! (changing every key that shares it), [`Target::Override`] adds the key
//! to the env's own mapping. The CLI refuses; the TUI asks.

mod derive;
mod flags;
mod insert;
mod locate;
mod plan;
mod refusal;
mod render;
mod splice;
mod undo;
mod verify;
mod write;

use std::path::PathBuf;

pub use derive::{Step, derive};
pub use plan::plan;
pub use refusal::{Refusal, RefusalKind, Shared, Via};
pub use splice::Preview;
pub use undo::UndoStack;

use crate::core::leaf::ValueType;
use crate::core::project::Fingerprint;

/// Where an edit of a value that is not the env file's own goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Target {
    /// The env file's own value; anything shared is refused (`Shared`).
    #[default]
    Auto,
    /// The shared text itself: the anchor, or the base file's value.
    Shared,
    /// A new key in the env's own mapping that overrides the shared value.
    Override,
}

/// One edit as a caller asks for it.
#[derive(Debug, Clone, Default)]
pub struct EditRequest<'a> {
    /// The config set; None when the project has only one.
    pub set: Option<&'a str>,
    pub env: &'a str,
    /// The key path as §3 prints it (`database.pool_size`, `servers[0].host`).
    pub key: &'a str,
    /// The new value as typed.
    pub input: &'a str,
    /// A type to give the key on purpose (`--type`); else the key's own.
    pub forced_type: Option<ValueType>,
    pub target: Target,
    /// The session is read-only: every edit is refused.
    pub readonly: bool,
    /// Secret text may appear in the preview and messages.
    pub reveal: bool,
    /// The files (relative path, fingerprint) as the caller showed them
    /// when the edit began, e.g. the editor's env and base file: the file
    /// written must still hold exactly those bytes, whatever reloads
    /// happened since. Empty: the project's own reading is the check.
    pub shown: &'a [(String, Fingerprint)],
}

/// An edit decided and checked, not yet written.
#[derive(Clone)]
pub struct Plan {
    /// The file to write, as found in the project (maybe a symlink).
    pub path: PathBuf,
    /// The same, relative to the project root with `/`.
    pub rel_path: String,
    pub key: String,
    /// The key did not exist in the file and is added.
    pub added: bool,
    /// The key or its value is a secret: texts below are masked.
    pub secret: bool,
    pub preview: Preview,
    /// `config_prod.yaml:14: database.pool_size = 32`.
    pub summary: String,
    /// How the value replaced shows (masked alike), for undo's summary;
    /// None when the key was added.
    pub replaced: Option<String>,
    /// The file's bytes the plan was made on, and the bytes to write.
    pub before: Vec<u8>,
    pub after: Vec<u8>,
}

/// Never prints the bytes: they may hold secrets.
impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("rel_path", &self.rel_path)
            .field("key", &self.key)
            .field("added", &self.added)
            .field("summary", &self.summary)
            .field("before", &format_args!("<{} bytes>", self.before.len()))
            .field("after", &format_args!("<{} bytes>", self.after.len()))
            .finish_non_exhaustive()
    }
}

impl Plan {
    /// The plan that puts `before` back over `after` (for undo).
    #[must_use]
    pub fn reversed(&self) -> Self {
        let mut back = self.clone();
        std::mem::swap(&mut back.before, &mut back.after);
        let at = format!("{}:{}", self.rel_path, self.preview.line);
        back.summary = match &self.replaced {
            Some(old) => format!("{at}: {} = {old} (undone)", self.key),
            None => format!("{at}: {} removed (undone)", self.key),
        };
        back.replaced = None;
        back.preview = Preview {
            line: self.preview.line,
            before: Some(self.preview.after.clone()),
            after: self.preview.before.clone().unwrap_or_default(),
        };
        back
    }
}

/// An edit that was written.
#[derive(Debug, Clone)]
pub struct Applied {
    pub plan: Plan,
    /// The file that received the bytes (a symlink's target).
    pub written: PathBuf,
}

/// Writes a plan safely (see the module header). On refusal nothing was
/// written; `ChangedOnDisk` means the caller should reload the file.
pub fn apply(plan: &Plan) -> Result<Applied, Refusal> {
    let written = write::write_checked(&plan.path, &plan.before, &plan.after)?;
    Ok(Applied { plan: plan.clone(), written })
}
