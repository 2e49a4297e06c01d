//! The state of the interactive view and the one place that changes it:
//! `App::update(action) -> Vec<Effect>`. Tests drive it without a terminal;
//! the view only reads it.

mod anchor;
mod clipboard;
pub mod edit;
mod editor;
mod external;
pub mod findings;
pub mod flags;
mod jump;
pub mod line;
mod marks;
pub mod model;
mod nav;
pub mod reload;
pub mod resolved;
mod rows;
pub mod search;
mod update;
pub mod value_box;

use std::time::{Duration, Instant};

use self::edit::{Editor, Flash};
use self::model::{CellModel, KeyRow, ProjectModel, SetModel, TreeNode};
use super::keymap::Keymap;
use super::theme::Theme;
use super::view::layout::{self, Areas, Columns};
use crate::core::project::LoadedSet;

/// How the view was asked to open (`envlens PATH --set … --envs … --readonly`).
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// The project folder as the user gave it.
    pub root: String,
    pub set: Option<String>,
    pub envs: Vec<String>,
    pub readonly: bool,
    /// `--rev REV`: the project as it is at a revision (read-only, not
    /// watched).
    pub rev: Option<String>,
    /// `--since REV`: cells changed since a revision are marked, and the
    /// detail pane says what they were.
    pub since: Option<String>,
    /// `--resolve`: statuses and cells follow the values references
    /// resolve to (§14).
    pub resolve: bool,
}

/// Where the project load stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadState {
    /// Nothing to show yet: files found and parsed so far.
    Loading {
        found: usize,
        parsed: usize,
    },
    /// The project could not be opened at all.
    Failed(String),
    Ready,
}

/// What keys go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Table,
    /// Typing the filter.
    Filter,
    Help,
    /// Typing a value in the editor.
    Edit,
    /// Typing a set's name after `:`.
    Jump,
    /// Reading a whole value (`K`).
    Value,
    /// The flag matrix (`F`).
    Flags,
}

/// Cursor, scroll and folds of one set, kept while other sets are shown.
#[derive(Debug, Clone, Default)]
pub struct SetPlace {
    /// Index into `App::visible`.
    pub cursor: usize,
    /// First visible row drawn.
    pub scroll: usize,
    /// Focused env column.
    pub env: usize,
    /// First env column drawn.
    pub env_offset: usize,
    /// The env other cells are compared with.
    pub reference: usize,
    /// Per tree node.
    pub folded: Vec<bool>,
}

/// A secret cell shown in clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revealed {
    pub set: usize,
    pub key: u32,
    pub env: usize,
    pub until: Option<Instant>,
}

/// The whole state of the view.
#[derive(Debug)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent toggles of the view, each its own field"
)]
pub struct App {
    pub options: AppOptions,
    pub keymap: Keymap,
    pub theme: Theme,
    pub reveal_timeout: Option<Duration>,
    pub load: LoadState,
    /// Number of the load whose answer is awaited.
    pub generation: u64,
    pub model: ProjectModel,
    /// The set shown.
    pub set: usize,
    pub views: Vec<SetPlace>,
    /// Tree nodes of the shown set that are drawn, in order.
    pub visible: Vec<u32>,
    pub filter: String,
    /// Per key of the shown set: whether it passes the filter.
    pub matches: Option<Vec<bool>>,
    /// The filter's search on a worker, for a large set.
    pub search: rows::FilterSearch,
    pub only_diffs: bool,
    /// Only keys with a `check` finding (`!`).
    pub only_findings: bool,
    /// What `check` found after the last load, once it has run.
    pub findings: Option<findings::Findings>,
    /// The set name typed after `:`.
    pub jump: String,
    /// How far the help is scrolled (it scrolls on a short screen).
    pub help_scroll: usize,
    /// The whole-value box, while it is open (`K`).
    pub value_box: Option<value_box::ValueBox>,
    /// The flag matrix while `F` shows it.
    pub flags: Option<flags::FlagMatrix>,
    pub mode: Mode,
    pub width: u16,
    pub height: u16,
    /// The first visible set in the set list.
    pub sets_scroll: usize,
    /// The last thing that happened, for the status line.
    pub message: Option<String>,
    /// How the last load went (`9 files in 12 ms`).
    pub loaded_note: Option<String>,
    pub revealed: Vec<Revealed>,
    /// The editor, while it is open.
    pub editor: Option<Editor>,
    /// The cell just written.
    pub flash: Option<Flash>,
    /// The awaited load follows our own write: it keeps the message.
    pub quiet_reload: bool,
    /// Numbers edit requests (see `EditJob::seq`).
    pub edit_seq: u64,
    /// Watching, cells changed on disk, the last change told.
    pub live: reload::LiveView,
    pub should_quit: bool,
}

impl App {
    pub fn new(options: AppOptions, keymap: Keymap, theme: Theme) -> Self {
        Self {
            options,
            keymap,
            theme,
            reveal_timeout: None,
            load: LoadState::Loading { found: 0, parsed: 0 },
            generation: 0,
            model: ProjectModel::default(),
            set: 0,
            views: Vec::new(),
            visible: Vec::new(),
            filter: String::new(),
            matches: None,
            search: rows::FilterSearch::default(),
            only_diffs: false,
            only_findings: false,
            findings: None,
            jump: String::new(),
            value_box: None,
            flags: None,
            help_scroll: 0,
            mode: Mode::Table,
            width: 80,
            height: 24,
            sets_scroll: 0,
            message: None,
            loaded_note: None,
            revealed: Vec::new(),
            editor: None,
            flash: None,
            quiet_reload: false,
            edit_seq: 0,
            live: reload::LiveView::default(),
            should_quit: false,
        }
    }

    pub fn current_set(&self) -> Option<&SetModel> {
        self.model.sets.get(self.set)
    }

    pub fn view(&self) -> Option<&SetPlace> {
        self.views.get(self.set)
    }

    /// The tree node under the cursor.
    pub fn focused_node(&self) -> Option<(usize, &TreeNode)> {
        let view = self.view()?;
        let at = *self.visible.get(view.cursor)? as usize;
        Some((at, self.current_set()?.tree.get(at)?))
    }

    /// The loaded set the shown set's rows read their cells from.
    pub fn loaded_set(&self) -> Option<&LoadedSet> {
        let set = self.current_set()?;
        self.model.project.as_ref()?.sets.get(self.set).filter(|s| s.name == set.name)
    }

    /// Row `key` of the shown set with its cells.
    pub fn key_row(&self, key: u32) -> Option<KeyRow> {
        let mut row = self.current_set()?.row(key as usize, self.loaded_set()?)?;
        if self.options.resolve {
            self.resolve_cells(key, &mut row);
        }
        Some(row)
    }

    /// The documentation of row `key` of the shown set (`row` is that row
    /// with its cells).
    pub fn key_doc(&self, key: u32, row: &KeyRow) -> crate::core::docs::KeyDoc {
        let (Some(set), Some(loaded)) = (self.current_set(), self.loaded_set()) else {
            return crate::core::docs::KeyDoc::default();
        };
        let secret = row.cells.iter().flatten().any(|c| c.secret.is_some());
        let commented = set.keys.id(key as usize).and_then(|id| set.comments.get(loaded, id));
        crate::core::docs::for_key_commented(loaded, &row.key, commented, secret)
    }

    /// The key under the cursor, when the focused row holds a value.
    pub fn focused_key(&self) -> Option<(u32, KeyRow)> {
        let (_, node) = self.focused_node()?;
        let index = node.key?;
        Some((index, self.key_row(index)?))
    }

    /// The focused cell, if the key has a value in the focused env.
    pub fn focused_cell(&self) -> Option<CellModel> {
        let (_, row) = self.focused_key()?;
        row.cells.into_iter().nth(self.view()?.env)?
    }

    pub fn is_revealed(&self, key: u32, env: usize) -> bool {
        self.revealed.iter().any(|r| r.set == self.set && r.key == key && r.env == env)
    }

    /// The screen split for the shown set.
    pub fn areas(&self) -> Areas {
        layout::areas(self.width, self.height, self.current_set().map_or(0, |s| s.envs.len()))
    }

    /// The table's column widths, env columns from the first one shown.
    pub fn columns(&self) -> Columns {
        self.columns_from(self.view().map_or(0, |v| v.env_offset))
    }

    /// The column widths with env columns shown from `offset` on: each
    /// wants its widest cell (measured once per load) or its header.
    pub fn columns_from(&self, offset: usize) -> Columns {
        let width = self.areas().body.width;
        let (Some(set), Some(view)) = (self.current_set(), self.view()) else {
            return layout::columns(width, 0, &[]);
        };
        let wants: Vec<usize> = (offset..set.envs.len())
            .map(|env| super::view::table::column_want(self, set, view, env))
            .collect();
        layout::columns(width, set.key_width, &wants)
    }

    /// When the loop must wake up even without input: the next revealed
    /// secret to hide, the editor's preview, the end of a flash, a file to
    /// re-check or a changed cell's mark to clear. No deadline means no
    /// wake-ups while idle.
    pub fn next_deadline(&self) -> Option<Instant> {
        let reveals = self.revealed.iter().filter_map(|r| r.until);
        reveals.chain(self.edit_deadline()).chain(self.live.deadline()).min()
    }

    /// Counts by status over every set: same, differs, type changed, missing.
    pub fn totals(&self) -> [usize; 4] {
        let mut totals = [0; 4];
        for set in &self.model.sets {
            for (total, count) in totals.iter_mut().zip(set.counts) {
                *total += count;
            }
        }
        totals
    }
}
