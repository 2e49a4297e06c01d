//! Why an edit was not written: a reason a user can act on, a hint where
//! one helps, and a kind an interface can branch on (the TUI asks where to
//! write on `Shared`, reloads on `ChangedOnDisk`, keeps the editor open on
//! `WrongType`/`Schema`). No reason ever holds a secret's text unless the
//! caller asked to reveal it.

use std::fmt;

use crate::core::leaf::ValueType;

/// Where a value that is not the env file's own really lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A YAML alias (`*name`) repeats an anchored value.
    Alias,
    /// A YAML merge key (`<<: *name`) brings the key in.
    Merge,
    /// The set's base file (`config_base.yaml`) gives it to every env.
    Base,
    /// A local layer (`.env.prod.local`, applied with `--local`) sets it
    /// over the env's own file.
    Local,
    /// A layer applied over every env (dynaconf's `[global]`) sets it.
    After,
}

/// The detail of a `Shared` refusal, for an interface that asks the user
/// which of the two writes they mean (`Target::Shared` / `Target::Override`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    pub via: Via,
    /// The file that holds the shared value (relative to the project root).
    pub rel_path: String,
    /// The line of the shared value in that file.
    pub line: u32,
    /// Whether an override in the env's own mapping can be written
    /// (`Target::Override`); not for a value inside an alias.
    pub can_override: bool,
}

/// What kind of refusal this is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefusalKind {
    /// The session is read-only (the face says how it was asked to be).
    ReadOnlyMode,
    /// The file's permissions forbid writing.
    ReadOnlyFile,
    /// The file has other hard links, which a safe write would cut off.
    HardLinked,
    /// The file on disk is not the one that was loaded.
    ChangedOnDisk,
    /// The text does not read as the key's type.
    WrongType { wanted: ValueType },
    /// The edit breaks the set's JSON Schema.
    Schema,
    /// The value lives elsewhere; the caller must say where to write.
    Shared(Shared),
    /// The format or the file's layout cannot take this edit.
    Unsupported,
    /// The written file would not read back as exactly the edit.
    Verify,
    /// No such set or env, or a key path that does not read (an error of
    /// the request, not of the value).
    NotFound,
    /// The project has several sets and the request named none: these.
    WhichSet { sets: Vec<String> },
    /// Reading or writing failed.
    Io,
}

/// An edit that was not written, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub kind: RefusalKind,
    pub reason: String,
    pub hint: Option<String>,
}

impl Refusal {
    pub fn new(kind: RefusalKind, reason: impl Into<String>) -> Self {
        Self { kind, reason: reason.into(), hint: None }
    }

    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for failures of the request or the machine (exit 2 in the
    /// CLI), false for a value or a file state that validation refused.
    pub fn is_error(&self) -> bool {
        matches!(self.kind, RefusalKind::NotFound | RefusalKind::Io)
    }

    pub(super) fn io(what: &str, err: &std::io::Error) -> Self {
        Self::new(RefusalKind::Io, format!("{what}: {err}"))
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Refusal {}
