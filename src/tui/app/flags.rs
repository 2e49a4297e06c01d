//! `F`: the flag matrix (§9, §14): a row per flag of the open set (or of
//! every set, `a` toggles), a column per env, `●` on, `○` off, `—`
//! missing; a cell that is on while an earlier env of the promotion order
//! has the flag off or missing is marked `!` (so it reads without colour).
//! The promotion order and the extra flag keys are the `[flags]` policy's
//! that the checks ran with (§14), else the default order. `Enter` closes
//! the matrix on the flag's key.

use super::{App, Mode};
use crate::core::check::flags::{flag_name, is_flag_key, promotion};

/// One env's state of a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagState {
    On,
    Off,
    Missing,
    /// The flag's set has no such env (every-set view).
    NoEnv,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagCell {
    pub state: FlagState,
    /// On while an earlier env of the promotion order is off or missing.
    pub out_of_order: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagRow {
    /// Index of the set in the model, and the key's index in it.
    pub set: usize,
    pub key: u32,
    pub set_name: String,
    /// The flag as shown: a flag set's flag name, else the key path.
    pub name: String,
    pub cells: Vec<FlagCell>,
}

/// The matrix and its cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagMatrix {
    pub every_set: bool,
    pub envs: Vec<String>,
    pub rows: Vec<FlagRow>,
    pub cursor: usize,
}

/// Keys of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKey {
    Down,
    Up,
    /// Every set / the open set.
    ToggleSets,
    Jump,
    Close,
}

impl App {
    pub(super) fn open_flags(&mut self) {
        let matrix = self.flag_matrix(false);
        if matrix.rows.is_empty() {
            self.message = Some(
                "no flags in this set (a flag file's flags, or bools under features/flags/toggles); a shows every set"
                    .to_owned(),
            );
        }
        self.flags = Some(matrix);
        self.mode = Mode::Flags;
    }

    pub(super) fn flag_key(&mut self, key: FlagKey) {
        let Some(matrix) = &mut self.flags else { return };
        match key {
            FlagKey::Down => {
                matrix.cursor = (matrix.cursor + 1).min(matrix.rows.len().saturating_sub(1));
            }
            FlagKey::Up => matrix.cursor = matrix.cursor.saturating_sub(1),
            FlagKey::ToggleSets => {
                let every = !matrix.every_set;
                self.flags = Some(self.flag_matrix(every));
            }
            FlagKey::Close => {
                self.flags = None;
                self.mode = Mode::Table;
            }
            FlagKey::Jump => {
                let target = matrix.rows.get(matrix.cursor).map(|r| (r.set, r.key));
                self.flags = None;
                self.mode = Mode::Table;
                if let Some((set, key)) = target {
                    self.focus_key_of(set, key);
                }
            }
        }
    }

    /// Builds an open matrix again (the findings' `[flags]` policy came,
    /// or the files changed), on the same flag where it still is.
    pub(super) fn refresh_flags(&mut self) {
        let Some(old) = &self.flags else { return };
        let focused = old.rows.get(old.cursor).map(|r| (r.set_name.clone(), r.name.clone()));
        let mut matrix = self.flag_matrix(old.every_set);
        let at = focused.and_then(|(set, name)| {
            matrix.rows.iter().position(|r| r.set_name == set && r.name == name)
        });
        matrix.cursor = at.unwrap_or(0);
        self.flags = Some(matrix);
    }

    /// Opens set `set` with the cursor on its key `key` (filters cleared
    /// when they hide it).
    fn focus_key_of(&mut self, set: usize, key: u32) {
        if self.set != set {
            self.show_set(set);
        }
        let find = |app: &Self| {
            let tree = &app.current_set()?.tree;
            app.visible.iter().position(|&n| tree.get(n as usize).and_then(|t| t.key) == Some(key))
        };
        if find(self).is_none() {
            self.filter.clear();
            self.only_diffs = false;
            self.only_findings = false;
            self.refilter();
        }
        match find(self) {
            Some(at) => self.set_cursor(at),
            None => {
                self.message = Some("the flag's key is folded away; unfold with z R".to_owned());
            }
        }
    }

    /// The matrix of the open set, or of every set.
    fn flag_matrix(&self, every_set: bool) -> FlagMatrix {
        let sets: Vec<usize> =
            if every_set { (0..self.model.sets.len()).collect() } else { vec![self.set] };
        let mut envs: Vec<String> = Vec::new();
        let mut rows = Vec::new();
        for at in sets {
            let (names, set_rows) = self.flag_rows_of(at);
            if set_rows.is_empty() {
                continue;
            }
            for name in &names {
                if !envs.contains(name) {
                    envs.push(name.clone());
                }
            }
            rows.extend(set_rows.into_iter().map(|row| (names.clone(), row)));
        }
        // Every row over the same columns: the envs of all its sets.
        let rows = rows
            .into_iter()
            .map(|(names, mut row)| {
                let cells = envs
                    .iter()
                    .map(|env| match names.iter().position(|n| n == env) {
                        Some(i) => row.cells[i].clone(),
                        None => FlagCell { state: FlagState::NoEnv, out_of_order: false },
                    })
                    .collect();
                row.cells = cells;
                row
            })
            .collect();
        FlagMatrix { every_set, envs, rows, cursor: 0 }
    }

    /// The env names of set `at` and its flag rows over them.
    fn flag_rows_of(&self, at: usize) -> (Vec<String>, Vec<FlagRow>) {
        let Some(set) = self.model.sets.get(at) else { return (Vec::new(), Vec::new()) };
        let Some(loaded) =
            self.model.project.as_ref().and_then(|p| p.sets.iter().find(|s| s.name == set.name))
        else {
            return (Vec::new(), Vec::new());
        };
        let layout = loaded.layout;
        let names: Vec<String> = set.envs.iter().map(|e| e.name.clone()).collect();
        let policy = self.findings.as_ref().and_then(|f| f.flags.as_ref());
        let order = promotion(&names, policy);
        let mut rows = Vec::new();
        for index in 0..set.keys.len() {
            let Some(key) = set.keys.key(index) else { continue };
            if !is_flag_key(layout, key, policy) {
                continue;
            }
            let Some(cells) = set.keys.cells(index, loaded) else { continue };
            let states: Vec<FlagState> = cells
                .iter()
                .map(|cell| match cell.map(|c| &c.leaf.value) {
                    Some(crate::core::leaf::Value::Bool(true)) => FlagState::On,
                    Some(crate::core::leaf::Value::Bool(false)) => FlagState::Off,
                    _ => FlagState::Missing,
                })
                .collect();
            if layout != "flags"
                && !states.iter().any(|s| matches!(s, FlagState::On | FlagState::Off))
            {
                continue;
            }
            rows.push(FlagRow {
                set: at,
                key: u32::try_from(index).unwrap_or(u32::MAX),
                set_name: set.name.clone(),
                name: flag_name(layout, key),
                cells: marked(&states, &order),
            });
        }
        (names, rows)
    }
}

/// The cells of a flag's states, a cell marked when it is on while an
/// earlier env of the promotion `order` is off or missing.
fn marked(states: &[FlagState], order: &[usize]) -> Vec<FlagCell> {
    (0..states.len())
        .map(|e| {
            let late = order.iter().position(|&o| o == e).is_some_and(|k| {
                states[e] == FlagState::On && order[..k].iter().any(|&b| states[b] != FlagState::On)
            });
            FlagCell { state: states[e], out_of_order: late }
        })
        .collect()
}
