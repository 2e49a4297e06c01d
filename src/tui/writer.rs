//! The edge that plans and writes edits for the view: `Effect::Edit`,
//! `Undo` and `Redo` become calls into `core::edit` on the project shown,
//! and their outcome an `Action::Edited`. It runs on the loop thread: a
//! plan reads and re-parses one config file and a write replaces one, small
//! work next to a frame, and doing it in order keeps an edit and the reload
//! after it from crossing.
//!
//! The undo stack lives here, not in `App`: undo and redo are writes.

use super::action::Action;
use super::effect::{EditJob, EditOutcome, EditResult, Effect, Written};
use crate::core::edit::{self, Applied, EditRequest, Refusal, RefusalKind, UndoStack};
use crate::core::project::{Fingerprint, Project};

/// Runs edit effects and keeps the session's undo stack.
#[derive(Debug)]
pub struct Writer {
    undo: UndoStack,
    readonly: bool,
}

impl Writer {
    /// `readonly` refuses every write here too, whatever the state asks.
    pub fn new(readonly: bool) -> Self {
        Self { undo: UndoStack::new(readonly), readonly }
    }

    /// Runs `effect` if it is an edit, undo or redo; the answer is the
    /// action to feed back. Other effects are not this edge's: None.
    pub fn run(&mut self, project: Option<&Project>, effect: &Effect) -> Option<Action> {
        let outcome = match effect {
            Effect::Edit(job) => EditOutcome { seq: job.seq, result: self.edit(project, job) },
            Effect::Undo => EditOutcome { seq: 0, result: self.step(true) },
            Effect::Redo => EditOutcome { seq: 0, result: self.step(false) },
            _ => return None,
        };
        Some(Action::Edited(Box::new(outcome)))
    }

    fn edit(&mut self, project: Option<&Project>, job: &EditJob) -> EditResult {
        let Some(project) = project else {
            return EditResult::Refused(Refusal::new(
                RefusalKind::NotFound,
                "the project is not loaded yet",
            ));
        };
        let request = EditRequest {
            set: Some(&job.set),
            env: &job.env,
            key: &job.key,
            input: &job.input,
            target: job.target,
            readonly: self.readonly,
            shown: &job.shown,
            ..EditRequest::default()
        };
        let plan = match edit::plan(project, &request) {
            Ok(plan) => plan,
            Err(refusal) => return EditResult::Refused(refusal),
        };
        if !job.write {
            return EditResult::Planned { preview: format!("line {}", plan.preview) };
        }
        // The watcher's "our own write" check hooks here: `plan.after` are
        // the bytes about to land in `plan.rel_path` (see `Written`).
        match edit::apply(&plan) {
            Ok(applied) => {
                let written = written(&applied);
                self.undo.push(applied);
                EditResult::Written(written)
            }
            Err(refusal) => EditResult::Refused(refusal),
        }
    }

    fn step(&mut self, undo: bool) -> EditResult {
        let done = if undo { self.undo.undo() } else { self.undo.redo() };
        match done {
            Ok(Some(applied)) => EditResult::Written(written(&applied)),
            Ok(None) if undo => EditResult::Nothing("nothing to undo".into()),
            Ok(None) => EditResult::Nothing("nothing to redo".into()),
            Err(refusal) => EditResult::Refused(refusal),
        }
    }
}

/// What the view says about a write: `config_prod.yaml:21 database.pool_size
/// = 32` (the core's summary without the colon after the line; masked).
fn written(applied: &Applied) -> Written {
    let plan = &applied.plan;
    let at = format!("{}:{}", plan.rel_path, plan.preview.line);
    let message = match plan.summary.strip_prefix(&format!("{at}: ")) {
        Some(rest) => format!("{at} {rest}"),
        None => plan.summary.clone(),
    };
    Written {
        rel_path: plan.rel_path.clone(),
        line: plan.preview.line,
        key: plan.key.clone(),
        message,
        fingerprint: Fingerprint::of(&plan.after, None),
    }
}
