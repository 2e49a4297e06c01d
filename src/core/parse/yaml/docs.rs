//! Doc comments (§6): the comment lines directly above a key or sequence
//! item, else the comment at the end of its line.

use std::borrow::Cow;

use super::event::Ev;

/// One entered key or sequence item, as far as documentation goes.
#[derive(Debug)]
pub(super) struct Level {
    pub line: u32,
    pub doc: Option<String>,
    /// Index of the first leaf produced under this level.
    pub first_leaf: usize,
    pub item: bool,
}

impl Level {
    pub fn new(line: u32, doc: Option<String>, first_leaf: usize, item: bool) -> Self {
        Self { line, doc, first_leaf, item }
    }
}

/// The documentation of a leaf under `levels`: its key's, else that of the
/// sequence items around it up to the next key (`servers[0].host` takes
/// the comment above `- host:`). A leaf that is an item takes its own,
/// its enclosing items' or else its key's (`ports[0]` is named `ports`).
pub(super) fn doc_for(levels: &[Level]) -> Option<String> {
    let mut seen_key = false;
    for level in levels.iter().rev() {
        if !level.item {
            if seen_key {
                return None;
            }
            seen_key = true;
        }
        if let Some(doc) = &level.doc {
            return Some(doc.clone());
        }
    }
    None
}

#[derive(Debug, Default)]
pub(super) struct Comments<'a> {
    /// Own-line comments not yet claimed, contiguous, with their lines.
    above: Vec<(u32, Cow<'a, str>)>,
    /// The level closed last, for a comment after its value on the same
    /// line: its line, first leaf, and whether it had a doc of its own.
    last_closed: Option<(u32, usize, bool)>,
}

impl<'a> Comments<'a> {
    pub fn above(&mut self, ev: &Ev<'a>) {
        let line = ev.pos.line;
        // A blank line (or anything else) between comments breaks the block.
        if self.above.last().is_some_and(|&(last, _)| last + 1 != line) {
            self.above.clear();
        }
        self.above.push((line, ev.text.clone()));
    }

    pub fn clear_above(&mut self) {
        self.above.clear();
    }

    /// The comment block ending on the line just above `line`, if any.
    pub fn take_above(&mut self, line: u32) -> Option<String> {
        let doc = match self.above.last() {
            Some(&(last, _)) if last + 1 == line => {
                let mut doc = String::new();
                for (i, (_, text)) in self.above.iter().enumerate() {
                    if i > 0 {
                        doc.push('\n');
                    }
                    doc.push_str(clean(text));
                }
                Some(doc)
            }
            _ => None,
        };
        self.above.clear();
        doc
    }

    pub fn closed(&mut self, level: &Level) {
        self.last_closed = Some((level.line, level.first_leaf, level.doc.is_some()));
    }

    /// Attaches an end-of-line comment: to the open level whose line it is
    /// on (its value comes later), or returns the first leaf of the level
    /// just closed on that line, if it has no doc of its own, with the text
    /// to give its leaves (an own comment beats one inherited from around).
    pub fn right(
        &mut self,
        ev: &Ev<'a>,
        levels: &mut [Level],
        leaf_count: usize,
    ) -> Option<(usize, String)> {
        let line = ev.pos.line;
        let text = clean(&ev.text).to_owned();
        if let Some(level) = levels.last_mut()
            && level.line == line
            && level.first_leaf == leaf_count
        {
            level.doc.get_or_insert(text);
            return None;
        }
        match self.last_closed {
            Some((closed_line, first, false)) if closed_line == line => Some((first, text)),
            _ => None,
        }
    }

    pub fn end_document(&mut self) {
        self.last_closed = None;
    }
}

/// A comment's text without the one space after `#` and a stray `\r`.
fn clean(text: &str) -> &str {
    let text = text.strip_suffix('\r').unwrap_or(text);
    text.strip_prefix(' ').unwrap_or(text)
}
