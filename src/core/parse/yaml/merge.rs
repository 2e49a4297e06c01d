//! Merge keys (`<<`): the value is collected as sources (recorded mappings),
//! and when the mapping ends its merged keys that no explicit key overrides
//! are replayed and moved to where the `<<` was written. Among several
//! sources, the first that has a key wins.

use std::borrow::Cow;
use std::ops::Range;

use granit_parser::ScalarStyle;
use rustc_hash::FxHashSet;

use super::event::{Ev, Kind, TagKind};
use super::walk::{Ctx, Frame, Walker, non_scalar_key};
use crate::core::flatten::MAX_DEPTH;
use crate::core::leaf::{Origin, ParseError, Position};

/// The value of a `<<` key being read.
#[derive(Debug)]
pub(super) struct MergeCollect {
    insert_at: usize,
    in_seq: bool,
    /// Nesting inside an inline mapping source (`<<: {a: 1}`).
    depth: usize,
    inline_start: usize,
    sources: Vec<Range<usize>>,
}

impl MergeCollect {
    pub fn new(insert_at: usize) -> Self {
        Self { insert_at, in_seq: false, depth: 0, inline_start: 0, sources: Vec::new() }
    }
}

/// What a mapping merges, applied when it ends.
#[derive(Debug)]
pub(super) struct MergePlan {
    insert_at: usize,
    sources: Vec<Range<usize>>,
}

/// A key a source mapping brings, with its value's recorded events.
#[derive(Debug)]
struct Entry<'a> {
    key: Cow<'a, str>,
    key_pos: Position,
    value: Range<usize>,
    doc: Option<String>,
}

pub(super) fn is_merge_key(ev: &Ev<'_>) -> bool {
    ev.text == "<<"
        && ((ev.style == ScalarStyle::Plain && ev.tag == TagKind::None) || ev.tag == TagKind::Merge)
}

fn bad_value(at: Position) -> ParseError {
    ParseError::at(at, "a merge key (`<<`) takes a mapping or a list of mappings")
}

impl<'a> Walker<'a> {
    pub(super) fn merge_event(&mut self, ev: &Ev<'a>) -> Result<(), ParseError> {
        let cur = self.cur;
        let Some(Frame::Merge(collect)) = self.frames.last_mut() else {
            return Ok(());
        };
        if collect.depth > 0 {
            match ev.kind {
                Kind::SeqStart | Kind::MapStart => collect.depth += 1,
                Kind::SeqEnd | Kind::MapEnd => {
                    collect.depth -= 1;
                    if collect.depth == 0 {
                        let range = collect.inline_start..cur + 1;
                        return self.add_source(range, ev.pos);
                    }
                }
                _ => {}
            }
            return Ok(());
        }
        match ev.kind {
            Kind::CommentAbove | Kind::CommentRight => Ok(()),
            Kind::MapStart => {
                collect.depth = 1;
                collect.inline_start = cur;
                Ok(())
            }
            Kind::SeqStart if !collect.in_seq => {
                collect.in_seq = true;
                Ok(())
            }
            Kind::SeqEnd if collect.in_seq => {
                self.finish_merge();
                Ok(())
            }
            Kind::Alias => {
                let range = self.rec.range(ev.anchor, ev.pos)?;
                if self.rec.get(range.start).map(|e| e.kind) != Some(Kind::MapStart) {
                    return Err(bad_value(ev.pos));
                }
                self.add_source(range, ev.pos)
            }
            _ => Err(bad_value(ev.pos)),
        }
    }

    fn add_source(&mut self, range: Range<usize>, at: Position) -> Result<(), ParseError> {
        self.charge(self.rec.weight_of(&range), at)?;
        if let Some(Frame::Merge(collect)) = self.frames.last_mut() {
            collect.sources.push(range);
            if !collect.in_seq {
                self.finish_merge();
            }
        }
        Ok(())
    }

    fn finish_merge(&mut self) {
        let Some(Frame::Merge(collect)) = self.frames.pop() else {
            return;
        };
        if let Some(Frame::Map(map)) = self.frames.last_mut() {
            let plan = map.plan.get_or_insert_with(|| {
                Box::new(MergePlan { insert_at: collect.insert_at, sources: Vec::new() })
            });
            plan.sources.extend(collect.sources);
        }
    }

    /// Emits the merged keys of the mapping on top of the stack.
    pub(super) fn apply_merge(&mut self, plan: &MergePlan, ctx: Ctx) -> Result<(), ParseError> {
        let entries = self.resolve_sources(&plan.sources, 0)?;
        let before = self.leaves.len();
        let origin = if ctx.origin == Origin::Direct { Origin::Merge } else { ctx.origin };
        for entry in entries {
            if self.keys[self.key_depth - 1].contains(&entry.key) {
                continue;
            }
            let pos = ctx.at.unwrap_or(entry.key_pos);
            self.enter_key(&entry.key, pos, entry.key_pos.line, entry.doc)?;
            self.replay(entry.value, Ctx { origin, at: ctx.at })?;
        }
        let added = self.leaves.len() - before;
        if let Some(moved) = self.leaves.get_mut(plan.insert_at..) {
            moved.rotate_right(added);
        }
        Ok(())
    }

    /// The keys of several sources, the first source winning.
    fn resolve_sources(
        &self,
        sources: &[Range<usize>],
        depth: usize,
    ) -> Result<Vec<Entry<'a>>, ParseError> {
        let mut seen = FxHashSet::default();
        let mut out = Vec::new();
        for source in sources {
            for entry in self.entries_of(source.clone(), depth)? {
                if seen.insert(entry.key.clone()) {
                    out.push(entry);
                }
            }
        }
        Ok(out)
    }

    /// The entries of one recorded mapping, its own merges resolved.
    fn entries_of(&self, range: Range<usize>, depth: usize) -> Result<Vec<Entry<'a>>, ParseError> {
        let Some(head) = self.rec.get(range.start) else {
            return Ok(Vec::new());
        };
        if depth > MAX_DEPTH {
            return Err(ParseError::at(
                head.pos,
                format!("merge keys nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        let (mut explicit, mut merged, mut merged_at) = (Vec::new(), Vec::new(), None);
        let mut above: Option<(u32, String)> = None;
        let mut i = range.start + 1;
        while i + 1 < range.end {
            let Some(ev) = self.rec.get(i) else { break };
            let key = match ev.kind {
                Kind::CommentAbove => {
                    above = Some(join_above(above, ev));
                    i += 1;
                    continue;
                }
                Kind::CommentRight => {
                    i += 1;
                    continue;
                }
                Kind::Scalar => ev.text.clone(),
                Kind::Alias => self.alias_key(ev)?,
                _ => return Err(non_scalar_key(ev.pos)),
            };
            let doc =
                above.take().and_then(|(line, text)| (line + 1 == ev.pos.line).then_some(text));
            let mut value = i + 1;
            while self
                .rec
                .get(value)
                .is_some_and(|e| matches!(e.kind, Kind::CommentAbove | Kind::CommentRight))
            {
                value += 1;
            }
            let value_end = self.rec.node_end(value);
            if ev.kind == Kind::Scalar && is_merge_key(ev) {
                let nested = self.value_sources(value, value_end)?;
                merged.extend(self.resolve_sources(&nested, depth + 1)?);
                merged_at.get_or_insert(explicit.len());
            } else {
                explicit.push(Entry { key, key_pos: ev.pos, value: value..value_end, doc });
            }
            i = value_end;
        }
        if let Some(at) = merged_at {
            let keys: FxHashSet<&str> =
                explicit.iter().map(|e: &Entry<'a>| e.key.as_ref()).collect();
            let kept: Vec<Entry<'a>> =
                merged.into_iter().filter(|e| !keys.contains(e.key.as_ref())).collect();
            explicit.splice(at..at, kept);
        }
        Ok(explicit)
    }

    fn alias_key(&self, ev: &Ev<'a>) -> Result<Cow<'a, str>, ParseError> {
        let target = self.rec.range(ev.anchor, ev.pos)?;
        match self.rec.get(target.start) {
            Some(key) if key.kind == Kind::Scalar && target.len() == 1 => Ok(key.text.clone()),
            _ => Err(non_scalar_key(ev.pos)),
        }
    }

    /// The mappings a recorded `<<` value names.
    fn value_sources(&self, start: usize, end: usize) -> Result<Vec<Range<usize>>, ParseError> {
        let mut sources = Vec::new();
        let mut i = start;
        let in_seq = self.rec.get(start).is_some_and(|e| e.kind == Kind::SeqStart);
        if in_seq {
            i += 1;
        }
        while i < end {
            let Some(ev) = self.rec.get(i) else { break };
            match ev.kind {
                Kind::CommentAbove | Kind::CommentRight => i += 1,
                Kind::SeqEnd if in_seq => break,
                Kind::Alias => {
                    let range = self.rec.range(ev.anchor, ev.pos)?;
                    if self.rec.get(range.start).map(|e| e.kind) != Some(Kind::MapStart) {
                        return Err(bad_value(ev.pos));
                    }
                    sources.push(range);
                    i += 1;
                }
                Kind::MapStart => {
                    let node_end = self.rec.node_end(i);
                    sources.push(i..node_end);
                    i = node_end;
                }
                _ => return Err(bad_value(ev.pos)),
            }
            if !in_seq {
                break;
            }
        }
        Ok(sources)
    }
}

/// Extends a block of own-line comments, restarting it after a gap.
fn join_above(block: Option<(u32, String)>, ev: &Ev<'_>) -> (u32, String) {
    let text = ev.text.strip_prefix(' ').unwrap_or(&ev.text).trim_end_matches('\r');
    match block {
        Some((line, mut doc)) if line + 1 == ev.pos.line => {
            doc.push('\n');
            doc.push_str(text);
            (ev.pos.line, doc)
        }
        _ => (ev.pos.line, text.to_owned()),
    }
}
