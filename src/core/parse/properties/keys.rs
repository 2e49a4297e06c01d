//! Keys of a `.properties` file as key paths: split at `.` into segments
//! and `name[0]` into indices, the way Spring binds them; a key written
//! twice, or a key that holds a value and is also the parent of another
//! (`a=1` beside `a.b=2`), is an error (§3).

use super::Entry;
use crate::core::flatten::{Flattener, MAX_DEPTH};
use crate::core::leaf::{ParseError, Position};

/// One step of a key: a name, or a list index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Step<'k> {
    Name(&'k str),
    Index(usize),
}

/// The steps of a key: `a.b[0].c` → `a`, `b`, `[0]`, `c`. An index is
/// `[n]` after a name, with `n` written without leading zeros; anything
/// else in brackets stays part of the name.
pub(super) fn steps(key: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    steps_into(key, &mut out);
    out
}

/// `steps` into a buffer the caller keeps.
pub(super) fn steps_into<'k>(key: &'k str, out: &mut Vec<Step<'k>>) {
    // Pieces found by a plain loop: keys are short, and `split`'s
    // searcher cost a tenth of a parse.
    let mut rest = Some(key);
    while let Some(text) = rest {
        let (piece, after) = match text.bytes().position(|b| b == b'.') {
            Some(dot) => (&text[..dot], Some(&text[dot + 1..])),
            None => (text, None),
        };
        rest = after;
        let mut name = piece;
        let mut indices = smallvec::SmallVec::<[usize; 2]>::new();
        while let Some((before, index)) = trailing_index(name) {
            indices.push(index);
            name = before;
        }
        if name.is_empty() && !indices.is_empty() {
            out.push(Step::Name(piece));
            continue;
        }
        out.push(Step::Name(name));
        out.extend(indices.into_iter().rev().map(Step::Index));
    }
}

/// `name[12]` → (`name`, 12).
pub(super) fn trailing_index(piece: &str) -> Option<(&str, usize)> {
    let inner = piece.strip_suffix(']')?;
    let open = inner.rfind('[')?;
    let digits = &inner[open + 1..];
    let canonical = digits == "0" || (!digits.starts_with('0') && !digits.is_empty());
    if !canonical || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((&inner[..open], digits.parse().ok()?))
}

/// Descends `flat` into the key's path (below the document's `[i]` when
/// the file has several); returns how many levels to leave.
pub(super) fn enter(
    flat: &mut Flattener,
    document: Option<usize>,
    key: &str,
    at: Position,
) -> Result<usize, ParseError> {
    let mut depth = 0;
    if let Some(document) = document {
        flat.enter_index(document, at)?;
        depth += 1;
    }
    for step in steps(key) {
        match step {
            Step::Name(name) => flat.enter_key(name, at)?,
            Step::Index(index) => flat.enter_index(index, at)?,
        }
        depth += 1;
    }
    Ok(depth)
}

/// Refuses a key written twice in one document, and a key that is both a
/// value and the parent of another. Keys too deep to be read are left to
/// the depth limit.
pub(super) fn check_unique(entries: &[Entry<'_>]) -> Result<(), ParseError> {
    // By document and key: a hash lookup per key and per parent, where a
    // sort of every key cost a 2 MB file most of its parse.
    let mut seen: rustc_hash::FxHashMap<(usize, &str), &Entry<'_>> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(entries.len(), rustc_hash::FxBuildHasher);
    for entry in entries {
        if let Some(first) = seen.insert((entry.document, entry.key.as_ref()), entry) {
            let (first, second) =
                if first.at.line <= entry.at.line { (first, entry) } else { (entry, first) };
            return Err(ParseError::at(
                second.at,
                format!("duplicate key `{}` (first at line {})", second.key, first.at.line),
            ));
        }
    }
    for entry in entries {
        for end in parent_ends(&entry.key) {
            if let Some(holder) = seen.get(&(entry.document, &entry.key[..end])) {
                return Err(conflict(holder, entry));
            }
        }
    }
    Ok(())
}

/// The offsets in `key` where a parent key ends: before each `.`, and
/// before each index of a name. None past the depth limit.
fn parent_ends(key: &str) -> Vec<usize> {
    let dots = key.bytes().filter(|&b| b == b'.' || b == b'[').count();
    if dots > MAX_DEPTH {
        return Vec::new();
    }
    let mut ends = Vec::new();
    let mut offset = 0;
    for piece in key.split('.') {
        let mut name = piece;
        let mut starts = Vec::new();
        while let Some((before, _)) = trailing_index(name) {
            starts.push(offset + before.len());
            name = before;
        }
        if !name.is_empty() {
            ends.extend(starts.into_iter().rev());
        }
        offset += piece.len() + 1;
        if offset <= key.len() {
            ends.push(offset - 1);
        }
    }
    ends
}

/// The error for a key that holds a value and is a parent too, at
/// whichever of the two comes later in the file.
fn conflict(holder: &Entry<'_>, child: &Entry<'_>) -> ParseError {
    let (later, earlier) =
        if child.at.line >= holder.at.line { (child, holder) } else { (holder, child) };
    ParseError::at(
        later.at,
        format!(
            "`{}` holds a value and `{}` is below it (lines {} and {}); a key cannot be both",
            holder.key, child.key, earlier.at.line, later.at.line
        ),
    )
}
