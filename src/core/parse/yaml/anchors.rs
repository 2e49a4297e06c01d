//! Recording of anchored nodes so that aliases and merge keys can replay
//! them, without a tree of the whole document: only events inside an
//! anchored node (or an inline merge value) are kept, once each, in one
//! buffer of the current document, and each anchor is a range of it.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::event::{Ev, Kind};
use crate::core::leaf::{ParseError, Position};

/// Most nodes alias expansion may produce in one file (§2).
pub(super) const MAX_ALIAS_NODES: u64 = 1_000_000;

#[derive(Debug, Default)]
pub(super) struct Recorder<'a> {
    events: Vec<Ev<'a>>,
    /// `weight[i]`: nodes a full expansion of `events[..i]` produces, so any
    /// range's expansion size is known before replaying it.
    weight: Vec<u64>,
    anchors: FxHashMap<usize, Range<usize>>,
    /// Anchors whose node is still being read: (id, first event, nesting).
    open: Vec<(usize, usize, usize)>,
    nesting: usize,
}

impl<'a> Recorder<'a> {
    pub fn is_open(&self) -> bool {
        !self.open.is_empty()
    }

    /// Starts recording the node whose first event comes next.
    pub fn open(&mut self, id: usize) {
        self.open.push((id, self.events.len(), self.nesting));
    }

    /// Appends a live event; returns its index.
    pub fn push(&mut self, ev: &Ev<'a>) -> Result<usize, ParseError> {
        let node_weight = match ev.kind {
            Kind::Alias => {
                let target = self.range(ev.anchor, ev.pos)?;
                self.weight_of(&target)
            }
            Kind::CommentAbove | Kind::CommentRight => 0,
            _ => 1,
        };
        let total = self.weight.last().copied().unwrap_or(0);
        if self.weight.is_empty() {
            self.weight.push(0);
        }
        self.weight.push(total.saturating_add(node_weight));
        self.events.push(ev.clone());
        match ev.kind {
            Kind::SeqStart | Kind::MapStart => self.nesting += 1,
            Kind::SeqEnd | Kind::MapEnd => self.nesting = self.nesting.saturating_sub(1),
            _ => {}
        }
        if matches!(ev.kind, Kind::Scalar | Kind::Alias | Kind::SeqEnd | Kind::MapEnd) {
            while let Some(&(id, first, nesting)) = self.open.last() {
                if nesting != self.nesting {
                    break;
                }
                self.open.pop();
                self.anchors.insert(id, first..self.events.len());
            }
        }
        Ok(self.events.len() - 1)
    }

    /// The recorded events of a complete anchored node.
    pub fn range(&self, id: usize, at: Position) -> Result<Range<usize>, ParseError> {
        self.anchors.get(&id).cloned().ok_or_else(|| {
            if self.open.iter().any(|&(open, ..)| open == id) {
                ParseError::at(at, "an alias refers to the node that contains it")
            } else {
                ParseError::at(at, "an alias refers to an unknown anchor")
            }
        })
    }

    /// Nodes a replay of `range` produces, nested aliases included.
    pub fn weight_of(&self, range: &Range<usize>) -> u64 {
        let at = |i: usize| self.weight.get(i).copied().unwrap_or(0);
        at(range.end).saturating_sub(at(range.start))
    }

    pub fn get(&self, index: usize) -> Option<&Ev<'a>> {
        self.events.get(index)
    }

    /// The index just past the node that starts at `index`.
    pub fn node_end(&self, index: usize) -> usize {
        let mut depth = 0_usize;
        for (i, ev) in self.events.iter().enumerate().skip(index) {
            match ev.kind {
                Kind::SeqStart | Kind::MapStart => depth += 1,
                Kind::SeqEnd | Kind::MapEnd => depth = depth.saturating_sub(1),
                Kind::Scalar | Kind::Alias => {}
                Kind::CommentAbove | Kind::CommentRight => continue,
            }
            if depth == 0 {
                return i + 1;
            }
        }
        self.events.len()
    }

    /// Anchors do not carry across documents.
    pub fn clear(&mut self) {
        self.events.clear();
        self.weight.clear();
        self.anchors.clear();
        self.open.clear();
        self.nesting = 0;
    }
}
