//! The last check before anything is written: the new text, read back by
//! envlens's own parser, must hold exactly the old leaves with the edit
//! applied: the edited key (and the keys that share its anchor, when the
//! anchor itself is edited) with the new value and type, every other key
//! with its old value and type, and no key gained or lost but an added one.

use rustc_hash::FxHashMap;

use crate::core::keys::KeyTable;
use crate::core::leaf::{Leaf, Spelled, Value, spell};
use crate::core::parse::{self, Format};

/// What the edit is meant to change.
#[derive(Debug)]
pub(super) struct Expect<'a> {
    /// Paths whose value becomes `value` (the edited key first).
    pub changed: Vec<&'a str>,
    pub value: &'a Value,
    /// The edited key did not exist in the file before.
    pub added: bool,
    /// Keys the edit adds besides it, with their values: the identity
    /// fields of a new list item.
    pub also_added: &'a [(String, Value)],
}

/// Parses `text` and checks it against `old` and `expect`; returns the new
/// leaves, or why the text is not exactly the edit.
pub(super) fn verify(
    format: Format,
    text: &str,
    old: &[Spelled<'_>],
    expect: &Expect<'_>,
) -> Result<(KeyTable, Vec<Leaf>), String> {
    let read = |text: &str| {
        parse::parse(format, text)
            .map(crate::core::leaf::Parsed::into_table)
            .map_err(|e| format!("the edited file would not parse ({})", e.message))
    };
    verify_read(&read, text, old, expect)
}

/// Reads a file's new text into its leaves, or says why it cannot.
pub(super) type Reader<'a> = dyn Fn(&str) -> Result<(KeyTable, Vec<Leaf>), String> + 'a;

/// `verify`, the new text read by `read` (as its set reads it: shaped
/// and keyed by identity, §12).
pub(super) fn verify_read(
    read: &Reader<'_>,
    text: &str,
    old: &[Spelled<'_>],
    expect: &Expect<'_>,
) -> Result<(KeyTable, Vec<Leaf>), String> {
    let (keys, leaves) = read(text)?;
    let new = spell(&keys, &leaves);
    let mut new_by_path: FxHashMap<&str, &Leaf> = new.iter().map(|l| (l.path, l.leaf)).collect();
    if new_by_path.len() != new.len() {
        return Err("the edited file would hold a key twice".to_owned());
    }
    for leaf in old {
        let wanted = if expect.changed.contains(&leaf.path) { expect.value } else { &leaf.value };
        match new_by_path.remove(leaf.path) {
            Some(now) if same(&now.value, wanted) => {}
            Some(_) => return Err(format!("the edit would change `{}` too", leaf.path)),
            // An empty `{}` that the added key now fills.
            None if expect.added
                && leaf.value == Value::EmptyMap
                && expect.changed.first().is_some_and(|key| is_below(key, leaf.path)) => {}
            None => return Err(format!("the edit would remove `{}`", leaf.path)),
        }
    }
    for (path, wanted) in expect.also_added {
        match new_by_path.remove(path.as_str()) {
            Some(now) if same(&now.value, wanted) => {}
            _ => return Err(format!("`{path}` would not read back as the new item's identity")),
        }
    }
    let mut extra = new_by_path.into_keys().collect::<Vec<_>>();
    extra.sort_unstable();
    let read_back = match (expect.added, expect.changed.first(), extra.as_slice()) {
        (false, _, []) => Ok(()),
        (true, Some(key), [only]) if only == key => {
            let leaf = new.iter().find(|l| l.path == *key);
            match leaf {
                Some(leaf) if same(&leaf.value, expect.value) => Ok(()),
                _ => Err(format!("`{key}` would not read back as the value given")),
            }
        }
        (_, _, [first, ..]) => Err(format!("the edit would add `{first}` as well")),
        (true, _, []) => Err("the new key would not appear where it was added".to_owned()),
    };
    drop(new);
    read_back.map(|()| (keys, leaves))
}

/// `key` is below the mapping at `parent` (the whole document when empty).
fn is_below(key: &str, parent: &str) -> bool {
    parent.is_empty() || key.strip_prefix(parent).is_some_and(|rest| rest.starts_with(['.', '[']))
}

/// Same value and same type (§3 equality).
fn same(a: &Value, b: &Value) -> bool {
    a.value_type() == b.value_type() && a.same_as(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(text: &str) -> (KeyTable, Vec<Leaf>) {
        parse::parse(Format::Yaml, text).unwrap().into_table()
    }

    #[test]
    fn accepts_exactly_the_edit() {
        let (keys, old) = leaves("a: 1\nb: x\n");
        let old = spell(&keys, &old);
        let value = Value::Int(2);
        let expect = Expect { changed: vec!["a"], value: &value, added: false, also_added: &[] };
        assert!(verify(Format::Yaml, "a: 2\nb: x\n", &old, &expect).is_ok());
        let err = verify(Format::Yaml, "a: 2\nb: y\n", &old, &expect).unwrap_err();
        assert!(err.contains("`b`"), "{err}");
        let err = verify(Format::Yaml, "a: '2'\nb: x\n", &old, &expect).unwrap_err();
        assert!(err.contains("`a`"), "{err}");
        let err = verify(Format::Yaml, "a: 2\nb: x\nc: 1\n", &old, &expect).unwrap_err();
        assert!(err.contains("`c`"), "{err}");
        assert!(verify(Format::Yaml, "a: [", &old, &expect).is_err());
    }

    #[test]
    fn accepts_an_added_key_only() {
        let (keys, old) = leaves("a: 1\n");
        let old = spell(&keys, &old);
        let value = Value::Bool(true);
        let expect = Expect { changed: vec!["n.m"], value: &value, added: true, also_added: &[] };
        assert!(verify(Format::Yaml, "a: 1\nn:\n  m: true\n", &old, &expect).is_ok());
        assert!(verify(Format::Yaml, "a: 1\nn:\n  m: 'true'\n", &old, &expect).is_err());
        assert!(verify(Format::Yaml, "a: 1\n", &old, &expect).is_err());
    }
}
