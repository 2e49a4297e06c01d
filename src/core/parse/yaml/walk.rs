//! The walker: turns node events (live or replayed) into leaves through the
//! `Flattener`, keeping only a stack of open collections, never a tree.

use std::borrow::Cow;

use super::anchors::{MAX_ALIAS_NODES, Recorder};
use super::docs::Level;
use super::event::{Ev, Kind};
use super::keys::KeySet;
use super::merge::{MergeCollect, MergePlan};
use super::scalar;
use crate::core::flatten::Flattener;
use crate::core::leaf::{Leaf, Origin, ParseError, Parsed, Position, Value, Written};

/// How the events being walked were reached.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ctx {
    pub origin: Origin,
    /// Set inside an alias expansion: the alias's own position, which every
    /// leaf it produces reports.
    pub at: Option<Position>,
}

pub(super) const DIRECT: Ctx = Ctx { origin: Origin::Direct, at: None };

#[derive(Debug)]
pub(super) struct MapFrame {
    pub start: u32,
    /// Where an empty `{}` leaf points: the key holding it.
    pub empty_pos: Position,
    pub entries: usize,
    /// A key has been entered and waits for its value.
    pub key_pending: bool,
    pub key_pos: Position,
    pub plan: Option<Box<MergePlan>>,
}

#[derive(Debug)]
pub(super) struct SeqFrame {
    pub start: u32,
    pub empty_pos: Position,
    pub index: usize,
}

#[derive(Debug)]
pub(super) enum Frame {
    Map(MapFrame),
    Seq(SeqFrame),
    /// Reading the value of a `<<` key.
    Merge(MergeCollect),
}

#[derive(Debug, Default)]
pub(super) struct Walker<'a> {
    pub flat: Flattener,
    pub leaves: Vec<Leaf>,
    pub frames: Vec<Frame>,
    pub levels: Vec<Level>,
    /// Key sets of the open mappings, reused across mappings.
    pub keys: Vec<KeySet<'a>>,
    pub key_depth: usize,
    pub rec: Recorder<'a>,
    /// Index in the recording of the event being handled.
    pub cur: usize,
    /// Nesting of replays: nodes inside a replay were already counted.
    pub replaying: usize,
    pub expanded: u64,
    /// Line of an alias whose replay starts a sequence item.
    pub alias_item_line: Option<u32>,
    pub docs: super::docs::Comments<'a>,
}

impl<'a> Walker<'a> {
    /// Handles one event read from the parser.
    pub fn live(&mut self, ev: &Ev<'a>) -> Result<(), ParseError> {
        if ev.anchor != 0 && matches!(ev.kind, Kind::Scalar | Kind::SeqStart | Kind::MapStart) {
            self.rec.open(ev.anchor);
        }
        if self.rec.is_open() || matches!(self.frames.last(), Some(Frame::Merge(_))) {
            self.cur = self.rec.push(ev)?;
        }
        self.event(ev, DIRECT)
    }

    pub fn event(&mut self, ev: &Ev<'a>, ctx: Ctx) -> Result<(), ParseError> {
        if matches!(self.frames.last(), Some(Frame::Merge(_))) {
            return self.merge_event(ev);
        }
        match ev.kind {
            Kind::CommentAbove => self.docs.above(ev),
            Kind::CommentRight => self.right_comment(ev),
            Kind::Scalar => return self.scalar(ev, ctx),
            Kind::Alias => return self.alias(ev, ctx),
            Kind::SeqStart | Kind::MapStart => return self.start(ev, ctx),
            Kind::SeqEnd | Kind::MapEnd => return self.end(ev, ctx),
        }
        Ok(())
    }

    fn expecting_key(&self) -> bool {
        matches!(self.frames.last(), Some(Frame::Map(m)) if !m.key_pending)
    }

    fn scalar(&mut self, ev: &Ev<'a>, ctx: Ctx) -> Result<(), ParseError> {
        if self.expecting_key() {
            return self.key(&ev.text, ev, ctx);
        }
        if self.frames.is_empty() {
            self.docs.clear_above();
            return if scalar::is_null(ev) {
                Ok(())
            } else {
                Err(ParseError::at(ev.pos, "a config document must be a mapping or a sequence"))
            };
        }
        let empty_pos = self.begin_value(ev)?;
        self.docs.clear_above();
        let value = scalar::resolve(ev)?;
        let pos = ctx.at.unwrap_or(if ev.is_empty_plain() { empty_pos } else { ev.pos });
        self.push_leaf(value, pos, ev.span(), ctx.origin);
        self.end_value();
        Ok(())
    }

    fn alias(&mut self, ev: &Ev<'a>, ctx: Ctx) -> Result<(), ParseError> {
        let range = self.rec.range(ev.anchor, ev.pos)?;
        if self.expecting_key() {
            let target = self.rec.get(range.start).cloned();
            return match target {
                Some(key) if key.kind == Kind::Scalar && range.len() == 1 => {
                    let at = Ev { pos: ev.pos, ..key };
                    self.key(&at.text, &at, ctx)
                }
                _ => Err(non_scalar_key(ev.pos)),
            };
        }
        self.charge(self.rec.weight_of(&range), ev.pos)?;
        if matches!(self.frames.last(), Some(Frame::Seq(_))) {
            self.alias_item_line = Some(ev.pos.line);
        }
        let inner = Ctx {
            origin: if ctx.origin == Origin::Direct { Origin::Alias } else { ctx.origin },
            at: Some(ctx.at.unwrap_or(ev.pos)),
        };
        self.replay(range, inner)
    }

    /// Counts nodes an expansion produces, against the alias-bomb limit.
    pub fn charge(&mut self, nodes: u64, at: Position) -> Result<(), ParseError> {
        if self.replaying > 0 {
            return Ok(());
        }
        self.expanded = self.expanded.saturating_add(nodes);
        if self.expanded > MAX_ALIAS_NODES {
            return Err(ParseError::at(at, "alias expansion exceeds 1,000,000 nodes"));
        }
        Ok(())
    }

    pub fn replay(&mut self, range: std::ops::Range<usize>, ctx: Ctx) -> Result<(), ParseError> {
        self.replaying += 1;
        for index in range {
            let Some(ev) = self.rec.get(index).cloned() else {
                break;
            };
            self.cur = index;
            self.event(&ev, ctx)?;
        }
        self.replaying -= 1;
        Ok(())
    }

    #[allow(clippy::ptr_arg, reason = "a borrowed Cow keeps keys borrowed from the input")]
    fn key(&mut self, key: &Cow<'a, str>, ev: &Ev<'a>, ctx: Ctx) -> Result<(), ParseError> {
        let pos = ctx.at.unwrap_or(ev.pos);
        if let Some(first) = self.keys[self.key_depth - 1].insert(key, ev.pos.line) {
            return Err(ParseError::at(
                ev.pos,
                format!("duplicate key `{key}` (first at line {first})"),
            ));
        }
        let doc = self.docs.take_above(ev.pos.line);
        if super::merge::is_merge_key(ev) {
            self.frames.push(Frame::Merge(MergeCollect::new(self.leaves.len())));
            return Ok(());
        }
        self.enter_key(key, pos, ev.pos.line, doc)
    }

    pub fn enter_key(
        &mut self,
        key: &str,
        pos: Position,
        line: u32,
        doc: Option<String>,
    ) -> Result<(), ParseError> {
        self.flat.enter_key(key, pos)?;
        self.levels.push(Level::new(line, doc, self.leaves.len(), false));
        if let Some(Frame::Map(map)) = self.frames.last_mut() {
            map.key_pending = true;
            map.key_pos = pos;
        }
        Ok(())
    }

    /// Enters a sequence item if the value belongs to one; returns where an
    /// empty value points (its key, else itself).
    fn begin_value(&mut self, ev: &Ev<'a>) -> Result<Position, ParseError> {
        match self.frames.last() {
            Some(Frame::Seq(seq)) => {
                let index = seq.index;
                let line = self.alias_item_line.take().unwrap_or(ev.pos.line);
                self.flat.enter_index(index, ev.pos)?;
                let doc = self.docs.take_above(line);
                self.levels.push(Level::new(line, doc, self.leaves.len(), true));
                Ok(ev.pos)
            }
            Some(Frame::Map(map)) => Ok(map.key_pos),
            _ => Ok(ev.pos),
        }
    }

    /// Closes the key or item whose value just ended.
    pub fn end_value(&mut self) {
        match self.frames.last_mut() {
            Some(Frame::Seq(seq)) => seq.index += 1,
            Some(Frame::Map(map)) => {
                map.key_pending = false;
                map.entries += 1;
            }
            _ => return,
        }
        self.flat.leave();
        if let Some(level) = self.levels.pop() {
            self.docs.closed(&level);
        }
    }

    fn start(&mut self, ev: &Ev<'a>, ctx: Ctx) -> Result<(), ParseError> {
        if self.expecting_key() {
            return Err(non_scalar_key(ev.pos));
        }
        let empty_pos = ctx.at.unwrap_or(self.begin_value(ev)?);
        if ev.kind == Kind::MapStart {
            if self.keys.len() == self.key_depth {
                self.keys.push(KeySet::default());
            }
            self.keys[self.key_depth].clear();
            self.key_depth += 1;
            self.frames.push(Frame::Map(MapFrame {
                start: ev.start,
                empty_pos,
                entries: 0,
                key_pending: false,
                key_pos: empty_pos,
                plan: None,
            }));
        } else {
            self.frames.push(Frame::Seq(SeqFrame { start: ev.start, empty_pos, index: 0 }));
        }
        Ok(())
    }

    fn end(&mut self, ev: &Ev<'a>, ctx: Ctx) -> Result<(), ParseError> {
        if let Some(Frame::Map(map)) = self.frames.last_mut()
            && let Some(plan) = map.plan.take()
        {
            self.apply_merge(&plan, ctx)?;
        }
        let (value, start, pos, empty) = match self.frames.pop() {
            Some(Frame::Map(map)) => {
                self.key_depth -= 1;
                (Value::EmptyMap, map.start, map.empty_pos, map.entries == 0)
            }
            Some(Frame::Seq(seq)) => (Value::EmptyList, seq.start, seq.empty_pos, seq.index == 0),
            _ => return Ok(()),
        };
        // A document that is only `{}` or `[]` has no keys at all.
        if empty && !self.flat.path().is_empty() {
            self.push_leaf(value, pos, (start, ev.end), ctx.origin);
        }
        self.end_value();
        Ok(())
    }

    pub fn push_leaf(
        &mut self,
        value: Value,
        position: Position,
        span: (u32, u32),
        origin: Origin,
    ) {
        let doc = super::docs::doc_for(&self.levels);
        let key = self.flat.key();
        self.leaves.push(Leaf {
            key,
            value,
            position,
            span,
            doc: doc.map(Into::into),
            origin,
            written: Written::Text,
        });
    }

    fn right_comment(&mut self, ev: &Ev<'a>) {
        let first = self.docs.right(ev, &mut self.levels, self.leaves.len());
        if let Some((first, text)) = first {
            // Leaves of the closed level that took their doc from around it.
            let inherited = super::docs::doc_for(&self.levels);
            for leaf in self.leaves.get_mut(first..).into_iter().flatten() {
                if leaf.doc.is_none() || leaf.doc.as_deref() == inherited.as_deref() {
                    leaf.doc = Some(text.as_str().into());
                }
            }
        }
    }

    /// The leaves and their paths, once the last event was handled.
    pub fn finish(self) -> Parsed {
        Parsed { leaves: self.leaves, paths: self.flat.into_paths(), encryption: None }
    }

    /// Anchors and pending state do not carry across documents.
    pub fn end_document(&mut self) {
        self.rec.clear();
        self.frames.clear();
        self.key_depth = 0;
        self.docs.end_document();
    }
}

pub(super) fn non_scalar_key(at: Position) -> ParseError {
    ParseError::at(at, "a mapping key must be a scalar, not a mapping or sequence")
}
