//! Editing from the view (§9): the keys that open the editor
//! (`e`/`Enter`, `a`), the keys typed in it, undo and redo, and what the
//! answers of the edge (`Action::Edited`) do. Planning and writing are file
//! I/O, so they are effects (`Effect::Edit`, `Undo`, `Redo`) run by the
//! loop; this file only decides.

use std::time::{Duration, Instant};

use super::editor::rules;
pub use super::editor::{Editor, Flash, Secrecy, via_text};
use super::line::LineInput;

use super::{App, LoadState, Mode};

use crate::core::edit::{Refusal, RefusalKind, Target};
use crate::core::leaf::Value;
use crate::core::secret::SecretText;
use crate::tui::action::EditKey;
use crate::tui::effect::{EditOutcome, EditResult, Effect, Written};

/// Quiet time after a key before the preview is planned: typing a number
/// plans once, not once per digit.
const PREVIEW_AFTER: Duration = Duration::from_millis(120);
/// How long a saved cell stands out.
const FLASH_FOR: Duration = Duration::from_millis(1500);
/// What a read-only session answers to every edit key.
pub const READ_ONLY: &str = "read-only (--readonly): edits, undo and redo are refused";

impl App {
    /// Why this session refuses edits.
    fn read_only_message(&self) -> String {
        match &self.options.rev {
            Some(rev) => format!(
                "read-only (--rev {rev}): a revision is shown as it was; edits, undo and redo are refused"
            ),
            None => READ_ONLY.to_owned(),
        }
    }

    /// `e`/`Enter` (`adding` false) and `a` (true) on the focused cell.
    pub(super) fn open_editor(&mut self, adding: bool, now: Instant) {
        if self.options.readonly {
            self.message = Some(self.read_only_message());
            return;
        }
        if self.load != LoadState::Ready {
            return;
        }
        let Some((at, node)) = self.focused_node() else { return };
        if node.key.is_none() {
            if node.is_parent(at) && !adding {
                self.fold_focused(None);
            }
            return;
        }
        match self.new_editor(adding) {
            Ok(mut editor) => {
                editor.show(self.model.project.as_deref());
                if editor.adding {
                    // The prefilled value is already an edit: show its line.
                    editor.preview_due = Some(now);
                }
                self.editor = Some(editor);
                self.mode = Mode::Edit;
            }
            Err(message) => self.message = Some(message),
        }
    }

    /// The editor for the focused cell, or why there is none.
    fn new_editor(&self, adding: bool) -> Result<Editor, String> {
        let (index, row) = self.focused_key().ok_or_else(String::new)?;
        let (set, view) = (self.current_set().ok_or_else(String::new)?, self.view());
        let (env, reference) = view.map_or((0, 0), |v| (v.env, v.reference));
        let column = set.envs.get(env).ok_or_else(String::new)?;
        if column.broken {
            return Err(format!("{} did not load: fix the file first", column.rel_path));
        }
        let own = row.cells.get(env).and_then(Option::as_ref);
        if adding && own.is_some() {
            return Err(format!("{} is already in {}: e edits it", row.key, column.name));
        }
        // A missing cell is added, prefilled from the reference env (or the
        // first env that has the key).
        let from = if own.is_some() {
            Some(env)
        } else {
            std::iter::once(reference)
                .chain(0..set.envs.len())
                .find(|&e| row.cells.get(e).is_some_and(Option::is_some))
        };
        let source = from.and_then(|e| row.cells.get(e)?.as_ref().map(|c| (e, c)));
        let text = source.and_then(|(e, _)| self.raw_text(&set.envs[e].name, &row.key));
        let masked = source.is_some_and(|(e, c)| c.secret.is_some() && !self.is_revealed(index, e));
        let text = text.unwrap_or_default();
        let doc = self.key_doc(index, &row);
        Ok(Editor {
            set: set.name.clone(),
            env: column.name.clone(),
            key: row.key.clone(),
            type_name: source.map_or("string", |(_, c)| c.value_type.as_str()).to_owned(),
            line: LineInput::new(text.clone()),
            original: SecretText::new(text),
            adding: own.is_none(),
            secrecy: if masked { Secrecy::Untouched } else { Secrecy::Plain },
            rules: rules(&doc),
            preview: None,
            refusal: None,
            question: None,
            seq: 0,
            writing: false,
            preview_due: None,
            shown: Vec::new(),
        })
    }

    /// The value of `key` in env `env` as the editor takes it: a string's
    /// own text (no quotes), any other value as §3 prints it.
    fn raw_text(&self, env: &str, key: &str) -> Option<String> {
        let project = self.model.project.as_ref()?;
        let set = project
            .sets
            .get(self.set)
            .filter(|s| Some(&s.name) == self.current_set().map(|c| &c.name))?;
        let file = set.envs.iter().find(|f| f.file.env == env)?;
        let id = set.key(key)?;
        let leaf = file
            .leaves
            .iter()
            .chain(set.base.iter().flat_map(|b| b.leaves.iter()))
            .find(|l| l.key == id)?;
        Some(match &leaf.value {
            Value::String(s) => s.to_string(),
            other => other.display_text(),
        })
    }

    /// A key typed while the editor is open.
    pub(super) fn edit_key(&mut self, key: EditKey, now: Instant) -> Vec<Effect> {
        self.edit_seq += 1;
        let seq = self.edit_seq;
        let Some(editor) = self.editor.as_mut() else {
            self.mode = Mode::Table;
            return Vec::new();
        };
        if editor.question.is_some() {
            let target = match key {
                EditKey::Char('s') => Target::Shared,
                EditKey::Char('o') if editor.question.as_ref().is_some_and(|q| q.can_override) => {
                    Target::Override
                }
                EditKey::Cancel => {
                    editor.question = None;
                    return Vec::new();
                }
                _ => return Vec::new(),
            };
            editor.question = None;
            return vec![Effect::Edit(editor.job(target, true, seq))];
        }
        match key {
            EditKey::Cancel => {
                self.close_editor();
                self.message = Some("edit cancelled; nothing written".into());
            }
            EditKey::Save => {
                let unchanged = editor.pristine()
                    || (!editor.adding && editor.line.text() == editor.original.expose());
                if unchanged {
                    self.close_editor();
                    self.message = Some("unchanged; nothing written".into());
                } else {
                    editor.preview_due = None;
                    return vec![Effect::Edit(editor.job(Target::Auto, true, seq))];
                }
            }
            _ => {
                if editor.type_key(key) {
                    editor.refusal = None;
                    editor.preview = None;
                    editor.preview_due = Some(now + PREVIEW_AFTER);
                }
            }
        }
        Vec::new()
    }

    fn close_editor(&mut self) {
        self.editor = None;
        if self.mode == Mode::Edit {
            self.mode = Mode::Table;
        }
    }

    /// `u` and `Ctrl-r`.
    pub(super) fn undo_redo(&mut self, undo: bool) -> Vec<Effect> {
        if self.options.readonly {
            self.message = Some(self.read_only_message());
            return Vec::new();
        }
        vec![if undo { Effect::Undo } else { Effect::Redo }]
    }

    /// The deadline work of editing: the preview, the end of a flash.
    pub(super) fn edit_tick(&mut self, now: Instant) -> Vec<Effect> {
        if self.flash.as_ref().is_some_and(|f| f.until <= now) {
            self.flash = None;
        }
        self.edit_seq += 1;
        let seq = self.edit_seq;
        let Some(editor) = self.editor.as_mut() else { return Vec::new() };
        if editor.preview_due.is_some_and(|due| due <= now) {
            editor.preview_due = None;
            if !editor.pristine() {
                return vec![Effect::Edit(editor.job(Target::Auto, false, seq))];
            }
        }
        Vec::new()
    }

    /// When editing needs the loop to wake up.
    pub fn edit_deadline(&self) -> Option<Instant> {
        let preview = self.editor.as_ref().and_then(|e| e.preview_due);
        [preview, self.flash.as_ref().map(|f| f.until)].into_iter().flatten().min()
    }

    /// The edge's answer to an edit, undo or redo.
    pub(super) fn edited(&mut self, outcome: EditOutcome, now: Instant) -> Vec<Effect> {
        let current = self.editor.as_ref().filter(|e| e.seq == outcome.seq && outcome.seq != 0);
        let writing = current.is_some_and(|e| e.writing);
        let ours = current.is_some();
        match outcome.result {
            EditResult::Written(written) => self.saved(&written, now),
            EditResult::Planned { preview } => {
                if let Some(editor) = self.editor.as_mut().filter(|_| ours) {
                    editor.preview = Some(preview);
                    editor.refusal = None;
                }
                Vec::new()
            }
            EditResult::Refused(refusal) if ours => self.refused_in_editor(&refusal, writing),
            EditResult::Refused(refusal) if outcome.seq == 0 => {
                self.message = Some(refusal.reason.clone());
                self.reload_if_changed(&refusal)
            }
            EditResult::Refused(_) => Vec::new(),
            EditResult::Nothing(message) => {
                self.message = Some(message);
                Vec::new()
            }
        }
    }

    fn refused_in_editor(&mut self, refusal: &Refusal, writing: bool) -> Vec<Effect> {
        let Some(editor) = self.editor.as_mut() else { return Vec::new() };
        match &refusal.kind {
            RefusalKind::Shared(shared) if writing => editor.question = Some(shared.clone()),
            RefusalKind::Shared(shared) => {
                editor.preview = Some(format!(
                    "lives in {}:{} ({}); Enter asks where to write",
                    shared.rel_path,
                    shared.line,
                    via_text(shared.via)
                ));
            }
            RefusalKind::WrongType { wanted } => {
                // The core leaves how to change a type on purpose to the face.
                let hint = format!(
                    "`{}` holds {} {wanted}; to change its type on purpose: \
                     envlens set {} VALUE --env {} --type TYPE",
                    editor.key,
                    if *wanted == crate::core::leaf::ValueType::Int { "an" } else { "a" },
                    editor.key,
                    editor.env
                );
                editor.refusal = Some(refusal.clone().hint(hint));
                editor.preview = None;
            }
            RefusalKind::ChangedOnDisk => {
                // The view reloads it at once (below); say what Enter does now.
                let hint = "reloaded: Enter writes the value into the new file, Esc leaves it";
                editor.refusal = Some(refusal.clone().hint(hint));
                editor.preview = None;
                self.message = Some("the file changed on disk: reloaded".into());
            }
            _ => {
                editor.refusal = Some(refusal.clone());
                editor.preview = None;
            }
        }
        self.reload_if_changed(refusal)
    }

    /// After a load: an editor refused because its file changed on disk
    /// has said so and the view now shows the new text, so the next save
    /// goes into it.
    pub(super) fn show_to_a_refused_editor(&mut self) {
        let project = self.model.project.as_deref();
        if let Some(editor) = self.editor.as_mut()
            && editor.refusal.as_ref().is_some_and(|r| r.kind == RefusalKind::ChangedOnDisk)
        {
            editor.show(project);
        }
    }

    /// A file changed on disk is reloaded so the next try plans on it.
    fn reload_if_changed(&mut self, refusal: &Refusal) -> Vec<Effect> {
        if refusal.kind == RefusalKind::ChangedOnDisk {
            self.quiet_reload = true;
            self.start()
        } else {
            Vec::new()
        }
    }

    /// A write reached the disk: close the editor, say what changed, flash
    /// the cell, and reload without a "reloaded" over the message.
    fn saved(&mut self, written: &Written, now: Instant) -> Vec<Effect> {
        let env = match &self.editor {
            Some(editor) => Some((editor.set.clone(), editor.env.clone())),
            None => self.current_set().and_then(|set| {
                let env = set.envs.iter().find(|e| e.rel_path == written.rel_path)?;
                Some((set.name.clone(), env.name.clone()))
            }),
        };
        self.close_editor();
        self.message = Some(written.message.clone());
        self.flash = env.map(|(set, env)| Flash {
            set,
            key: written.key.clone(),
            env,
            until: now + FLASH_FOR,
        });
        self.quiet_reload = true;
        self.start()
    }
}
