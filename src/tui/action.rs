//! What the user can ask for, as data: the keymap file names these actions
//! (`move_down = ["j", "down"]`), and `App::update` is the only place that
//! gives them meaning. Variants that no key produces are `#[serde(skip)]`.

use std::fmt;

use super::app::reload::Reloaded;
use super::effect::EditOutcome;
use super::event::Loaded;
use crate::core::watch::WatchEvent;

/// One thing to do. The snake-case names are the keymap file's vocabulary.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Focus the next key.
    MoveDown,
    /// Focus the previous key.
    MoveUp,
    /// Move one screen of keys down.
    PageDown,
    /// Move one screen of keys up.
    PageUp,
    /// Focus the first key.
    First,
    /// Focus the last key.
    Last,
    /// Focus the env column on the left.
    EnvLeft,
    /// Focus the env column on the right.
    EnvRight,
    /// Open the next config set.
    NextSet,
    /// Open the previous config set.
    PrevSet,
    /// Type a fuzzy filter on key paths and documentation.
    Filter,
    /// Clear a kept filter (or close the help).
    ClearFilter,
    /// Show only keys that are not `same`, or all keys again.
    OnlyDifferences,
    /// Make the focused env the one other cells are compared with.
    ReferenceEnv,
    /// Reveal or hide the focused secret cell.
    ToggleReveal,
    /// Edit the focused cell (a parent row folds or unfolds instead).
    Edit,
    /// Add the focused key to the focused env, prefilled from the reference.
    Add,
    /// Undo the last saved edit.
    Undo,
    /// Write the last undone edit again.
    Redo,
    /// Fold or unfold the focused parent key.
    ToggleFold,
    /// Fold the focused parent (or the parent of the focused key).
    Fold,
    /// Unfold the focused parent.
    Unfold,
    /// Fold every parent key.
    FoldAll,
    /// Unfold every parent key.
    UnfoldAll,
    /// Read the project's files again.
    Reload,
    /// Copy the focused cell's value to the clipboard (OSC 52).
    CopyValue,
    /// Copy the focused key's path to the clipboard (OSC 52).
    CopyKey,
    /// Open the focused cell's file at its line in `$VISUAL` or `$EDITOR`.
    OpenInEditor,
    /// Show the focused cell's whole value in a scrollable box.
    ShowValue,
    /// The flag matrix: flags × envs.
    FlagMatrix,
    /// Jump to a config set by fuzzy name.
    JumpToSet,
    /// Show only keys with a `check` finding, or all keys again.
    OnlyFindings,
    /// Draw the whole screen again.
    Redraw,
    /// Show or hide the list of keys.
    Help,
    /// Leave envlens.
    Quit,

    /// A key typed in the set jump prompt.
    #[serde(skip)]
    JumpKey(EditKey),
    /// Scroll the value box by this many lines.
    #[serde(skip)]
    ScrollValue(i32),
    /// Close the value box.
    #[serde(skip)]
    CloseValue,
    /// A key in the flag matrix.
    #[serde(skip)]
    FlagKey(super::app::flags::FlagKey),
    /// Scroll the help by this many lines.
    #[serde(skip)]
    ScrollHelp(i32),
    /// A character typed into the filter.
    #[serde(skip)]
    FilterInput(char),
    /// Backspace in the filter.
    #[serde(skip)]
    FilterBackspace,
    /// Enter in the filter: keep it and go back to the table.
    #[serde(skip)]
    FilterKeep,
    /// Scroll the table by this many rows (mouse wheel), cursor kept in view.
    #[serde(skip)]
    Scroll(i32),
    /// A click at a column and row of the screen.
    #[serde(skip)]
    Click { column: u16, row: u16 },
    /// The terminal has this many columns and rows.
    #[serde(skip)]
    Resize { width: u16, height: u16 },
    /// Progress of a running load.
    #[serde(skip)]
    Progress { found: usize, parsed: usize },
    /// A load finished.
    #[serde(skip)]
    Loaded(Box<Loaded>),
    /// A key typed while the editor is open.
    #[serde(skip)]
    EditKey(EditKey),
    /// What the edge made of an edit, undo or redo.
    #[serde(skip)]
    Edited(Box<EditOutcome>),
    /// Config paths changed on disk (every batch of one wake-up, merged).
    #[serde(skip)]
    FilesChanged(Vec<std::path::PathBuf>),
    /// The watcher is ready, fell back to polling, or hit a problem.
    #[serde(skip)]
    Watcher(WatchEvent),
    /// What the live-reload edge changed in the project.
    #[serde(skip)]
    Reloaded(Box<Reloaded>),
    /// The user's editor (`E`) closed, or could not be run (why).
    #[serde(skip)]
    ExternalDone(Result<(), String>),
    /// What `check` found after a load.
    #[serde(skip)]
    Checked(Box<super::app::findings::Findings>),
    /// What a filter search on a worker found.
    #[serde(skip)]
    Filtered(Box<super::event::Filtered>),
    /// A deadline the state asked for has passed (reveal timeout, the
    /// editor's preview, the end of a flash).
    #[serde(skip)]
    Tick,
}

/// The editor's keys (§9), fixed like the filter's: they are typing, not
/// commands, so the keymap does not rebind them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKey {
    Char(char),
    Left,
    Right,
    /// `Home`, `Ctrl-a`.
    Home,
    /// `End`, `Ctrl-e`.
    End,
    Backspace,
    Delete,
    /// `Ctrl-u`: delete to the start.
    KillStart,
    /// `Ctrl-k`: delete to the end.
    KillEnd,
    /// `Ctrl-w`: delete the word before the cursor.
    KillWord,
    /// `Enter`: validate and save (or answer the question).
    Save,
    /// `Esc`: cancel (or leave the question).
    Cancel,
}

impl Action {
    /// Every action a key can be bound to, in the order help lists them.
    pub const BINDABLE: [Action; 35] = [
        Self::MoveDown,
        Self::MoveUp,
        Self::PageDown,
        Self::PageUp,
        Self::First,
        Self::Last,
        Self::EnvLeft,
        Self::EnvRight,
        Self::NextSet,
        Self::PrevSet,
        Self::Filter,
        Self::ClearFilter,
        Self::OnlyDifferences,
        Self::ReferenceEnv,
        Self::ToggleReveal,
        Self::Edit,
        Self::Add,
        Self::Undo,
        Self::Redo,
        Self::ToggleFold,
        Self::Fold,
        Self::Unfold,
        Self::FoldAll,
        Self::UnfoldAll,
        Self::CopyValue,
        Self::CopyKey,
        Self::ShowValue,
        Self::FlagMatrix,
        Self::OpenInEditor,
        Self::JumpToSet,
        Self::OnlyFindings,
        Self::Reload,
        Self::Redraw,
        Self::Help,
        Self::Quit,
    ];

    /// The keymap name (`move_down`).
    pub fn name(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Reads a keymap name back.
    pub fn from_name(name: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
    }

    /// What the action does, for `?`.
    pub fn description(&self) -> &'static str {
        match self {
            Self::MoveDown => "next key",
            Self::MoveUp => "previous key",
            Self::PageDown => "one screen down",
            Self::PageUp => "one screen up",
            Self::First => "first key",
            Self::Last => "last key",
            Self::EnvLeft => "env column to the left",
            Self::EnvRight => "env column to the right",
            Self::NextSet => "next config set",
            Self::PrevSet => "previous config set",
            Self::Filter => "filter keys, docs and values; Enter keeps, Esc clears",
            Self::ClearFilter => "clear the kept filter",
            Self::OnlyDifferences => "only keys that are not the same / all keys",
            Self::ReferenceEnv => "compare with the focused env (reference)",
            Self::ToggleReveal => "reveal / hide the focused secret cell",
            Self::Edit => "edit the cell: Enter saves, Esc cancels",
            Self::Add => "add the key here, from the reference env",
            Self::Undo => "undo the last saved edit",
            Self::Redo => "redo the last undone edit",
            Self::ToggleFold => "fold / unfold the focused parent",
            Self::Fold => "fold the parent",
            Self::Unfold => "unfold the parent",
            Self::FoldAll => "fold every parent",
            Self::UnfoldAll => "unfold every parent",
            Self::CopyValue => "copy the cell's value (OSC 52)",
            Self::CopyKey => "copy the key path (OSC 52)",
            Self::ShowValue => "the whole value in a box",
            Self::FlagMatrix => "the flag matrix: flags × envs",
            Self::OpenInEditor => "open the file at this line in $EDITOR",
            Self::JumpToSet => "jump to a set by name",
            Self::OnlyFindings => "only keys with a check finding / all",
            Self::Reload => "read the files again",
            Self::Redraw => "draw the screen again",
            Self::Help => "this help",
            Self::Quit => "quit",
            _ => "",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}
