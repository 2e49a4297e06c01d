//! `:`: jump to a config set by fuzzy name, as k9s's command prompt does.
//! The prompt lists the best matches as the name is typed; `Enter` opens
//! the first, `Esc` leaves.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::{App, Mode};
use crate::tui::action::EditKey;

impl App {
    pub(super) fn start_jump(&mut self) {
        self.jump.clear();
        self.mode = Mode::Jump;
    }

    pub(super) fn jump_key(&mut self, key: EditKey) {
        match key {
            EditKey::Char(c) => self.jump.push(c),
            EditKey::Backspace => {
                self.jump.pop();
            }
            EditKey::KillStart | EditKey::KillWord => self.jump.clear(),
            EditKey::Cancel => self.mode = Mode::Table,
            EditKey::Save => {
                self.mode = Mode::Table;
                match self.jump_matches().first() {
                    Some(&set) => {
                        self.show_set(set);
                        let name = self.current_set().map_or("", |s| s.name.as_str());
                        self.message = Some(format!("set {name}"));
                    }
                    None => self.message = Some(format!("no set matches `{}`", self.jump)),
                }
            }
            _ => {}
        }
    }

    /// Indices of the sets matching the prompt, best first (all, in name
    /// order, while it is empty).
    pub fn jump_matches(&self) -> Vec<usize> {
        if self.jump.is_empty() {
            return (0..self.model.sets.len()).collect();
        }
        let pattern = Pattern::parse(&self.jump, CaseMatching::Smart, Normalization::Smart);
        let mut matcher = Matcher::new(Config::DEFAULT.match_paths());
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize)> = self
            .model
            .sets
            .iter()
            .enumerate()
            .filter_map(|(i, set)| {
                pattern.score(Utf32Str::new(&set.name, &mut buf), &mut matcher).map(|s| (s, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, i)| i).collect()
    }
}
