//! Undo and redo of written edits: each step is itself a safe write with
//! the same checks, so an undo never overwrites a change made on disk
//! after the edit (it is refused, and the step stays on the stack).

use super::refusal::{Refusal, RefusalKind};
use super::{Applied, apply};

/// The edits written in a session, newest last, and the ones undone.
#[derive(Debug, Default)]
pub struct UndoStack {
    done: Vec<Applied>,
    undone: Vec<Applied>,
    readonly: bool,
}

impl UndoStack {
    /// A stack for a session; a read-only one refuses undo and redo.
    pub fn new(readonly: bool) -> Self {
        Self { readonly, ..Self::default() }
    }

    /// Records an edit just written; a new edit clears what could be redone.
    pub fn push(&mut self, applied: Applied) {
        self.done.push(applied);
        self.undone.clear();
    }

    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// The edit `undo` would revert.
    pub fn last(&self) -> Option<&Applied> {
        self.done.last()
    }

    /// Puts the last edit's file back as it was before it. Returns the
    /// write done (its plan is the reversed edit), or None with nothing to
    /// undo.
    pub fn undo(&mut self) -> Result<Option<Applied>, Refusal> {
        self.check_mode()?;
        let Some(last) = self.done.pop() else { return Ok(None) };
        match apply(&last.plan.reversed()) {
            Ok(written) => {
                self.undone.push(last);
                Ok(Some(written))
            }
            Err(refusal) => {
                self.done.push(last);
                Err(refusal)
            }
        }
    }

    /// Writes the last undone edit again.
    pub fn redo(&mut self) -> Result<Option<Applied>, Refusal> {
        self.check_mode()?;
        let Some(next) = self.undone.pop() else { return Ok(None) };
        match apply(&next.plan) {
            Ok(written) => {
                self.done.push(written.clone());
                Ok(Some(written))
            }
            Err(refusal) => {
                self.undone.push(next);
                Err(refusal)
            }
        }
    }

    fn check_mode(&self) -> Result<(), Refusal> {
        if self.readonly {
            Err(Refusal::new(RefusalKind::ReadOnlyMode, "envlens is read-only"))
        } else {
            Ok(())
        }
    }
}
