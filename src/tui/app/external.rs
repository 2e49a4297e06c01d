//! `E`: the focused cell's file at its line in the user's own editor. The
//! state only says which file and line; the edge suspends the view, runs
//! `$VISUAL` or `$EDITOR`, restores the view and reloads.

use std::path::Path;

use super::App;
use crate::tui::effect::Effect;

impl App {
    pub(super) fn open_in_editor(&mut self) -> Vec<Effect> {
        let Some(set) = self.current_set() else { return Vec::new() };
        let env = self.view().map_or(0, |v| v.env);
        let Some(column) = set.envs.get(env) else { return Vec::new() };
        // The focused cell's own file and line: the base file for an
        // inherited value, the env's file (line 1) when the key is missing.
        let (rel_path, line) = match self.focused_cell() {
            Some(cell) if cell.inherited => {
                let layer = set.layer_file(&cell).unwrap_or(&column.rel_path);
                (layer.to_owned(), cell.line)
            }
            Some(cell) => (column.rel_path.clone(), cell.line),
            None => (column.rel_path.clone(), 1),
        };
        let path = Path::new(&self.options.root).join(&rel_path);
        self.message = Some(format!("opened {rel_path}:{line} in the editor"));
        vec![Effect::OpenEditor { path, line: line.max(1) }]
    }
}

impl App {
    /// The editor closed: read the files again (the watcher would too, but
    /// a user expects what they saved on screen at once).
    pub(super) fn external_done(&mut self, outcome: Result<(), String>) -> Vec<Effect> {
        match outcome {
            Ok(()) => {
                let effects = self.start();
                self.message = Some("back from the editor; files read again".into());
                effects
            }
            Err(why) => {
                self.message = Some(why);
                Vec::new()
            }
        }
    }
}
