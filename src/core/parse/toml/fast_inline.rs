//! Values of the TOML fast path: a scalar, or an array or inline table that
//! opens and closes on its line, read recursively into leaves at `path`.
//! Like the full parser's walk, an empty array or table is one leaf at its
//! key (at itself inside an array), spanning its brackets.

use super::fast::{Fast, Key, MAX_DEPTH, key, skip_blanks};
use super::fast_value as scalar;
use crate::core::key_path::push_index;
use crate::core::leaf::Value;

/// Where a value goes: the tree node of its key (`None` in an array: an
/// inline table there gets a node of its own) and the depth of its path.
/// Every array or inline table level adds to the depth, so `MAX_DEPTH`
/// also keeps their nesting within `toml_edit`'s recursion limit.
pub(super) type Slot = (Option<u32>, usize);

impl Fast<'_> {
    /// The value at `at`; `key_at` is where the last segment of its key
    /// starts (`None` in an array). Returns the offset after the value.
    pub(super) fn value(
        &mut self,
        path: &mut String,
        at: usize,
        key_at: Option<usize>,
        slot: Slot,
    ) -> Option<usize> {
        match self.line.as_bytes().get(at)? {
            b'[' => self.array(path, at, key_at, slot.1),
            b'{' => {
                let table = slot.0.unwrap_or_else(|| self.tree.anonymous());
                self.inline_table(path, at, key_at, (table, slot.1))
            }
            _ => {
                let (value, end) = scalar::read(self.line, at)?;
                let span = (self.offset(at), self.offset(end));
                let position = self.pos(at);
                let leaf = self.new_leaf(path, value, position, span, None);
                self.leaves.push(leaf);
                Some(end)
            }
        }
    }

    /// `[a, b, …]` (a trailing `,` allowed); returns the offset after `]`.
    fn array(
        &mut self,
        path: &mut String,
        at: usize,
        key_at: Option<usize>,
        depth: usize,
    ) -> Option<usize> {
        let depth = depth + 1;
        if depth > MAX_DEPTH {
            return None;
        }
        let bytes = self.line.as_bytes();
        let mut i = skip_blanks(self.line, at + 1);
        let mut index = 0;
        while bytes.get(i) != Some(&b']') {
            let mark = path.len();
            push_index(path, index);
            let end = self.value(path, i, None, (None, depth))?;
            path.truncate(mark);
            index += 1;
            i = skip_blanks(self.line, end);
            match bytes.get(i)? {
                b',' => i = skip_blanks(self.line, i + 1),
                b']' => break,
                _ => return None,
            }
        }
        if index == 0 {
            self.empty(path, Value::EmptyList, key_at.unwrap_or(at), (at, i + 1));
        }
        Some(i + 1)
    }

    /// `{ k = v, … }` with bare keys, no trailing `,` (TOML 1.1 only);
    /// returns the offset after `}`.
    fn inline_table(
        &mut self,
        path: &mut String,
        at: usize,
        key_at: Option<usize>,
        (table, depth): (u32, usize),
    ) -> Option<usize> {
        let bytes = self.line.as_bytes();
        let mut i = skip_blanks(self.line, at + 1);
        if bytes.get(i) == Some(&b'}') {
            self.empty(path, Value::EmptyMap, key_at.unwrap_or(at), (at, i + 1));
            return Some(i + 1);
        }
        loop {
            let Key { text: key, end: key_end, last, segments } = key(self.line, i)?;
            let eq = skip_blanks(self.line, key_end);
            if bytes.get(eq) != Some(&b'=') {
                return None;
            }
            let depth = depth + segments;
            if depth > MAX_DEPTH {
                return None;
            }
            let node = self.tree.key(table, key)?;
            let mark = path.len();
            path.push('.');
            path.push_str(key);
            let value_at = skip_blanks(self.line, eq + 1);
            let end = self.value(path, value_at, Some(last), (Some(node), depth))?;
            path.truncate(mark);
            i = skip_blanks(self.line, end);
            match bytes.get(i)? {
                b',' => i = skip_blanks(self.line, i + 1),
                b'}' => return Some(i + 1),
                _ => return None,
            }
        }
    }

    /// An empty array or table: a leaf at its key, spanning the brackets.
    fn empty(&mut self, path: &str, value: Value, at: usize, span: (usize, usize)) {
        let span = (self.offset(span.0), self.offset(span.1));
        let position = self.pos(at);
        let leaf = self.new_leaf(path, value, position, span, None);
        self.leaves.push(leaf);
    }
}
