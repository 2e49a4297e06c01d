//! `App::update`: every action's meaning, and the effects it asks for.

use std::time::Instant;

use super::model::ProjectModel;
use super::{App, LoadState, Mode, Revealed, SetPlace};
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::event::Loaded;

impl App {
    /// More lines than help ever has: the view clamps the scroll to what fits.
    const HELP_LINES: usize = 64;

    /// Applies one action at time `now` (the loop passes the clock; a test
    /// passes the moment it wants, so no test sleeps); returns the work
    /// the loop must do for it.
    pub fn update(&mut self, action: Action, now: Instant) -> Vec<Effect> {
        match action {
            Action::ToggleReveal => self.toggle_reveal(now),
            Action::Edit => self.open_editor(false, now),
            Action::Add => self.open_editor(true, now),
            Action::Undo => return self.undo_redo(true),
            Action::Redo => return self.undo_redo(false),
            Action::EditKey(key) => return self.edit_key(key, now),
            Action::Edited(outcome) => return self.edited(*outcome, now),
            Action::Reload => return self.reload(),
            Action::CopyValue => return self.copy_value(),
            Action::CopyKey => return self.copy_key(),
            Action::OpenInEditor => return self.open_in_editor(),
            Action::Checked(findings) => self.checked(*findings),
            Action::FilterInput(c) => {
                self.filter.push(c);
                return self.filter_typed();
            }
            Action::FilterBackspace => {
                self.filter.pop();
                return self.filter_typed();
            }
            Action::Filtered(found) => self.filtered(*found),
            Action::ExternalDone(outcome) => return self.external_done(outcome),
            Action::Redraw => return vec![Effect::Redraw],
            Action::Quit => {
                self.should_quit = true;
                return vec![Effect::Quit];
            }
            Action::Progress { found, parsed } => {
                if matches!(self.load, LoadState::Loading { .. }) {
                    self.load = LoadState::Loading { found, parsed };
                }
            }
            Action::Loaded(loaded) => return self.loaded_then_watch(*loaded),
            Action::FilesChanged(paths) => return self.files_changed(paths),
            Action::Watcher(event) => return self.watcher_event(event),
            Action::Reloaded(reloaded) => return self.reloaded(*reloaded, now),
            Action::Tick => {
                self.expire_reveals(now);
                let mut effects = self.live_tick(now);
                effects.extend(self.edit_tick(now));
                return effects;
            }
            // Every other action changes only what is shown.
            view => self.view_action(&view),
        }
        Vec::new()
    }

    /// The actions that change only what is shown: no effect for the loop.
    fn view_action(&mut self, action: &Action) {
        let page = isize::try_from(self.page_rows()).unwrap_or(1);
        match *action {
            Action::MoveDown => self.move_cursor(1),
            Action::MoveUp => self.move_cursor(-1),
            Action::PageDown => self.move_cursor(page),
            Action::PageUp => self.move_cursor(-page),
            Action::First => self.set_cursor(0),
            Action::Last => self.set_cursor(usize::MAX),
            Action::EnvLeft => self.move_env(-1),
            Action::EnvRight => self.move_env(1),
            Action::NextSet => self.show_set(self.set + 1),
            Action::PrevSet => self.show_set(self.set + self.model.sets.len().max(1) - 1),
            Action::Filter => self.mode = Mode::Filter,
            Action::FilterKeep => self.mode = Mode::Table,
            Action::ClearFilter => self.clear_filter(),
            Action::OnlyDifferences => {
                self.only_diffs = !self.only_diffs;
                self.message =
                    Some(if self.only_diffs { "only keys that differ" } else { "all keys" }.into());
                self.relayout_rows();
            }
            Action::ReferenceEnv => self.make_reference(),
            Action::ToggleFold => self.fold_focused(None),
            Action::Fold => self.fold_focused(Some(true)),
            Action::Unfold => self.fold_focused(Some(false)),
            Action::FoldAll => self.fold_all(true),
            Action::UnfoldAll => self.fold_all(false),
            Action::ShowValue => self.show_value(),
            Action::ScrollValue(by) => self.scroll_value(by),
            Action::CloseValue => self.close_value(),
            Action::FlagMatrix => self.open_flags(),
            Action::FlagKey(key) => self.flag_key(key),
            Action::ScrollHelp(by) => {
                let by = isize::try_from(by).unwrap_or(0);
                self.help_scroll = self.help_scroll.saturating_add_signed(by).min(Self::HELP_LINES);
            }
            Action::JumpToSet => self.start_jump(),
            Action::JumpKey(key) => self.jump_key(key),
            Action::OnlyFindings => self.toggle_only_findings(),
            Action::Help => {
                self.mode = if self.mode == Mode::Help { Mode::Table } else { Mode::Help };
                self.help_scroll = 0;
            }
            // The editor is anchored at its cell: the mouse does not move it.
            Action::Scroll(_) | Action::Click { .. } if self.mode == Mode::Edit => {}
            Action::Scroll(by) => self.scroll_rows(isize::try_from(by).unwrap_or(0)),
            Action::Click { column, row } => self.click(column, row),
            Action::Resize { width, height } => self.resize(width, height),
            // The actions with effects are `update`'s own.
            _ => {}
        }
    }

    /// A finished load; a shown one starts the watcher and the checks.
    fn loaded_then_watch(&mut self, loaded: Loaded) -> Vec<Effect> {
        let shown = loaded.generation == self.generation && loaded.result.is_ok();
        let quiet = self.quiet_reload;
        self.loaded(loaded);
        if !shown {
            return Vec::new();
        }
        let mut effects = self.watch_after_load(quiet);
        effects.push(self.check_after_load());
        effects
    }

    /// The first load: asks the loop to open the project.
    pub fn start(&mut self) -> Vec<Effect> {
        self.generation += 1;
        vec![Effect::Load { generation: self.generation }]
    }

    fn reload(&mut self) -> Vec<Effect> {
        self.message = Some("reloading…".into());
        self.start()
    }

    fn clear_filter(&mut self) {
        if self.mode == Mode::Help {
            self.mode = Mode::Table;
            return;
        }
        self.mode = Mode::Table;
        if !self.filter.is_empty() {
            self.filter.clear();
            self.refilter();
        }
    }

    fn make_reference(&mut self) {
        let Some(view) = self.views.get_mut(self.set) else { return };
        view.reference = view.env;
        let env = view.env;
        if let Some(name) = self.current_set().and_then(|s| s.envs.get(env)) {
            self.message = Some(format!("comparing with {}", name.name));
        }
    }

    /// Reveals or hides the focused cell only, never its row.
    fn toggle_reveal(&mut self, now: Instant) {
        let Some((key, row)) = self.focused_key() else {
            if self.focused_node().is_some() {
                self.message =
                    Some("v reveals one secret cell: this row only holds other keys".into());
            }
            return;
        };
        let Some(env) = self.view().map(|v| v.env) else { return };
        let env_name = self.env_name(env);
        match self.focused_cell() {
            None => {
                self.message = Some(format!("`{}` has no value in {env_name}", row.key));
                return;
            }
            Some(cell) if cell.secret.is_none() => {
                self.message = Some(format!(
                    "`{}` in {env_name} is not a masked secret: nothing to reveal",
                    row.key
                ));
                return;
            }
            Some(_) => {}
        }
        if self.is_revealed(key, env) {
            self.revealed.retain(|r| !(r.set == self.set && r.key == key && r.env == env));
            self.message = Some("hidden".into());
        } else {
            let until = self.reveal_timeout.map(|t| now + t);
            self.revealed.push(Revealed { set: self.set, key, env, until });
            self.message = Some(match self.reveal_timeout {
                Some(t) => format!("revealed for {} s (v hides)", t.as_secs()),
                None => "revealed (v hides)".into(),
            });
        }
    }

    fn expire_reveals(&mut self, now: Instant) {
        self.revealed.retain(|r| r.until.is_none_or(|until| until > now));
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        let (cursor, env, set) =
            (self.view().map_or(0, |v| v.cursor), self.view().map_or(0, |v| v.env), self.set);
        self.set_cursor(cursor);
        self.set_env(env);
        let list_rows = usize::from(self.areas().sets.height.saturating_sub(2)).max(1);
        let most = self.model.sets.len().saturating_sub(list_rows);
        self.sets_scroll =
            self.sets_scroll.min(set).max((set + 1).saturating_sub(list_rows)).min(most);
    }

    fn loaded(&mut self, loaded: Loaded) {
        if loaded.generation != self.generation {
            return;
        }
        match loaded.result {
            Ok(model) => {
                let first = self.load != LoadState::Ready;
                self.loaded_note =
                    Some(format!("{} files in {} ms", model.files, loaded.elapsed.as_millis()));
                self.replace_model(model, first);
                self.load = LoadState::Ready;
                self.show_to_a_refused_editor();
            }
            Err(message) if self.load == LoadState::Ready => {
                self.quiet_reload = false;
                self.message = Some(format!("reload failed: {message}"));
            }
            Err(message) => self.load = LoadState::Failed(message),
        }
    }

    /// Shows a new model, keeping the set, the focused key, the env and the
    /// folds of a reload; on the first load, opens `--set` or the first set.
    fn replace_model(&mut self, model: ProjectModel, first: bool) {
        let old_set = self.current_set().map(|s| s.name.clone());
        let old_key = self.focused_node().map(|(at, _)| self.path_of(at));
        let old_views = std::mem::take(&mut self.views);
        let old_model = std::mem::replace(&mut self.model, model);
        self.revealed.clear();
        self.views = self
            .model
            .sets
            .iter()
            .map(|set| {
                let before = old_model.sets.iter().position(|s| s.name == set.name);
                carry_view(set, before.map(|i| (&old_model.sets[i], &old_views[i])))
            })
            .collect();
        let wanted = if first { self.options.set.clone() } else { old_set };
        let set = match &wanted {
            Some(name) => self.model.sets.iter().position(|s| s.name == name.trim_end_matches('/')),
            None => Some(0),
        };
        if first {
            self.message = self.first_load_message(wanted.as_deref(), set.is_some());
        } else if !std::mem::take(&mut self.quiet_reload) {
            self.message = Some("reloaded".into());
        }
        self.show_set(set.unwrap_or(0));
        if let Some(path) = old_key {
            self.focus_path(&path);
        }
    }

    fn first_load_message(&self, wanted: Option<&str>, found: bool) -> Option<String> {
        if self.model.sets.is_empty() {
            return None;
        }
        if let Some(name) = wanted.filter(|_| !found) {
            return Some(format!("no config set named `{name}`; showing the first"));
        }
        let unknown: Vec<&str> = self
            .options
            .envs
            .iter()
            .filter(|e| !self.model.sets.iter().any(|s| s.envs.iter().any(|c| c.name == **e)))
            .map(String::as_str)
            .collect();
        (!unknown.is_empty()).then(|| format!("no env named {}", unknown.join(", ")))
    }

    /// The path of tree node `at` of the shown set, as its labels joined.
    fn path_of(&self, at: usize) -> String {
        self.current_set().map_or_else(String::new, |set| super::anchor::path_of(set, at))
    }

    /// Puts the cursor on the node whose path is `path`, if it is drawn.
    fn focus_path(&mut self, path: &str) {
        let Some(set) = self.current_set() else { return };
        let mut stack: Vec<&str> = Vec::new();
        let mut found = None;
        for (i, node) in set.tree.iter().enumerate() {
            stack.truncate(usize::from(node.depth));
            stack.push(set.label(node));
            if stack.join("\u{1f}") == path {
                found = u32::try_from(i).ok();
                break;
            }
        }
        if let Some(i) = found.and_then(|n| self.visible.binary_search(&n).ok()) {
            self.set_cursor(i);
        }
    }
}

/// The view state of a set after a reload: folds carried over by key path.
fn carry_view(
    set: &super::model::SetModel,
    before: Option<(&super::model::SetModel, &SetPlace)>,
) -> SetPlace {
    let mut view = SetPlace { folded: vec![false; set.tree.len()], ..SetPlace::default() };
    let Some((old, old_view)) = before else { return view };
    view.env = old_view.env.min(set.envs.len().saturating_sub(1));
    view.reference = old_view.reference.min(set.envs.len().saturating_sub(1));
    let folded_labels: Vec<(u16, &str)> = old
        .tree
        .iter()
        .zip(&old_view.folded)
        .filter(|(_, f)| **f)
        .map(|(n, _)| (n.depth, old.label(n)))
        .collect();
    for (node, flag) in set.tree.iter().zip(view.folded.iter_mut()) {
        *flag = folded_labels.contains(&(node.depth, set.label(node)));
    }
    view
}
