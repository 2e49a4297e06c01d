//! `plan`: from a request to checked new bytes, writing nothing. The steps
//! run in the order a user's mistake is most likely found: read-only, the
//! key, the type, the file on disk, the format, the re-read, the schema.

use std::path::Path;

use super::locate::{self, Action, Located};
use super::refusal::{Refusal, RefusalKind};
use super::splice::{self, Change};
use super::verify::{self, Expect};
use super::{EditRequest, Plan, insert, render, write};
use crate::core::discover::Mount;
use crate::core::key_path::{self, Segment};
use crate::core::keys::KeyTable;
use crate::core::leaf::{Leaf, Origin, Spelled, Value, spell};
use crate::core::project::{LoadedFile, LoadedSet, Project};
use crate::core::secret::{self, MASK};
use crate::core::{flatten, identity, inherit, source, validate};

/// Decides and checks an edit; see the module header of `edit`.
pub fn plan(project: &Project, request: &EditRequest<'_>) -> Result<Plan, Refusal> {
    if request.readonly {
        return Err(Refusal::new(RefusalKind::ReadOnlyMode, "envlens is read-only"));
    }
    let (set, env) = locate::file(project, request)?;
    let found = locate::locate(set, env, request)?;
    refuse_encrypted(&found)?;
    let format = found.file.file.format;
    let secret = is_secret(&found, request.input) && !request.reveal;
    let value = list_item_text(&found, typed_value(&found, request, format, secret)?);
    let path = project.root.join(&found.file.file.rel_path);
    let before = std::fs::read(&path)
        .map_err(|e| Refusal::io(&format!("cannot read {}", found.file.file.rel_path), &e))?;
    if !found.file.fingerprint.is_some_and(|f| f.matches(&before)) {
        return Err(write::changed_on_disk(&path));
    }
    let rel = &found.file.file.rel_path;
    if request.shown.iter().any(|(shown, f)| shown == rel && !f.matches(&before)) {
        return Err(write::changed_since_shown(&path));
    }
    let (text, bom) =
        source::decode(&before).map_err(|e| Refusal::new(RefusalKind::Unsupported, e.message))?;
    let change = change_for(&found, text, &value, &project.root)?;
    let new_text = change.apply(text);
    let (new_keys, new_leaves) = check_result(&project.root, &found, &new_text, &value)?;
    check_schema(&found, (&new_keys, &new_leaves), secret)?;
    let added = is_added(&found);
    let preview = splice::preview(text, &new_text, &change, added, secret);
    let mut after = before[..bom].to_vec();
    after.extend_from_slice(new_text.as_bytes());
    // The re-parse above reads text; a file must also pass the checks every
    // load makes first (a NUL byte typed into a dotenv value, a file grown
    // past the size limit), or the edit would leave a file that no longer
    // loads.
    if let Err(err) = source::decode(&after) {
        return Err(Refusal::new(
            RefusalKind::Verify,
            format!("the edited file would not load ({})", err.message),
        )
        .hint("remove control characters such as NUL from the value"));
    }
    let summary = format!(
        "{}:{}: {} = {}",
        found.file.file.rel_path,
        preview.line,
        found.key,
        shown_value(&found, &value, secret, request.reveal)
    );
    let replaced = found.current.map(|leaf| match found.set.secret(leaf) {
        _ if secret => MASK.to_owned(),
        shown => secret::display(&leaf.value, shown, request.reveal),
    });
    Ok(Plan {
        path,
        rel_path: found.file.file.rel_path.clone(),
        key: found.key.clone(),
        added,
        secret,
        preview,
        summary,
        replaced,
        before,
        after,
    })
}

/// Encrypted text is the encryption tool's to write: a sops file (its MAC
/// covers every value) and an encrypted value are never edited here.
fn refuse_encrypted(found: &Located<'_>) -> Result<(), Refusal> {
    let rel_path = &found.file.file.rel_path;
    if found.file.encryption.as_ref().is_some_and(|e| e.sops) {
        return Err(Refusal::new(
            RefusalKind::Unsupported,
            format!("{rel_path} is encrypted with sops; envlens does not edit it"),
        )
        .hint(format!("edit it with `sops {rel_path}`")));
    }
    if found.current.is_some_and(|leaf| leaf.value.is_encrypted()) {
        return Err(Refusal::new(
            RefusalKind::Unsupported,
            format!(
                "`{}` is encrypted in {rel_path}; envlens does not write encrypted values",
                found.key
            ),
        )
        .hint("change it with the tool that encrypted it (dotenvx set, Spring's /encrypt)"));
    }
    Ok(())
}

/// The input read as the key's type (or the type forced on purpose).
fn typed_value(
    found: &Located<'_>,
    request: &EditRequest<'_>,
    format: crate::core::parse::Format,
    secret: bool,
) -> Result<Value, Refusal> {
    let wanted = locate::wanted_type(found, request, format);
    let shown = if secret { MASK } else { request.input };
    validate::read_as(request.input, wanted, shown).map_err(|m| {
        // How to change the type on purpose is the face's to say.
        Refusal::new(RefusalKind::WrongType { wanted: m.wanted }, m.reason)
    })
}

/// The new value as the summary shows it: masked the way §5 masks it (a
/// URL shows all but its password), or wholly when only the old was secret.
fn shown_value(found: &Located<'_>, value: &Value, secret: bool, reveal: bool) -> String {
    let reason = found.set.secret_of(&found.key, value);
    match reason {
        Some(_) => secret::display(value, reason, reveal),
        None if secret => MASK.to_owned(),
        None => value.display_text(),
    }
}

/// A key is secret for messages when its old or its new value is (§5).
fn is_secret(found: &Located<'_>, input: &str) -> bool {
    let old = found.current.is_some_and(|leaf| found.set.secret(leaf).is_some());
    let new = found.set.secret_of(&found.key, &Value::String(input.into()));
    old || new.is_some()
}

/// The text change: the value's span replaced, or the key added.
fn change_for(
    found: &Located<'_>,
    text: &str,
    value: &Value,
    root: &Path,
) -> Result<Change, Refusal> {
    let format = found.file.file.format;
    let old_text = match found.action {
        Action::Replace(leaf) => text.get(leaf.span.0 as usize..leaf.span.1 as usize),
        Action::Insert => None,
    };
    let in_file = as_written(found, value)?;
    let written = match (format.flag_format(), found.action) {
        (Some(flag_format), Action::Replace(leaf)) => {
            let keys = &found.set.keys;
            let leaves: Vec<(String, &Leaf)> =
                found.file.leaves.iter().map(|l| (keys.path(l.key).to_owned(), l)).collect();
            super::flags::render(flag_format, format, &found.key, leaf, &in_file, &leaves, old_text)
        }
        _ => render::render(format, &in_file, old_text),
    }
    .map_err(|reason| Refusal::new(RefusalKind::Unsupported, reason))?;
    match found.action {
        Action::Replace(leaf) => {
            if old_text.is_none() {
                return Err(Refusal::new(
                    RefusalKind::Verify,
                    "the value's position is off the file",
                ));
            }
            Ok(Change::value(text, leaf.span, written))
        }
        Action::Insert => insert_change(found, text, &written, root),
    }
}

/// The change that adds the key to the env's file: where the file writes
/// it, which for a section or a folder's file is not the set's key path.
fn insert_change(
    found: &Located<'_>,
    text: &str,
    written: &str,
    root: &Path,
) -> Result<Change, Refusal> {
    let format = found.file.file.format;
    let by_hand = |reason: String| {
        Refusal::new(RefusalKind::Unsupported, reason)
            .hint(format!("add `{}` to {} by hand", found.key, found.file.file.rel_path))
    };
    let segments = match &found.file.file.mount {
        Mount::Whole => {
            let leaves = spell(&found.set.keys, &found.file.leaves);
            return insert::insert(format, text, &leaves, &found.segments, written)
                .map_err(by_hand);
        }
        // A section's path goes before the key; a folder's file path comes
        // off it.
        Mount::Section { path, .. } => {
            let mut segments = key_path::parse(path).map_err(|e| by_hand(e.to_string()))?;
            segments.extend(found.segments.iter().cloned());
            segments
        }
        Mount::Under(rel) => {
            let prefix: Vec<Segment> = rel.split('.').map(|p| Segment::Key(p.to_owned())).collect();
            match found.segments.strip_prefix(prefix.as_slice()) {
                Some(rest) if !rest.is_empty() => rest.to_vec(),
                _ => return Err(by_hand(format!("`{}` is not a key of {rel}", found.key))),
            }
        }
    };
    // Among the whole file's keys, as the file writes them.
    let context = crate::core::project::shape_context(root, &found.file.file);
    let (keys, leaves) = crate::core::shape::read(format, text, &context)
        .map_err(|e| by_hand(e.message))?
        .into_table();
    let leaves = spell(&keys, &leaves);
    insert::insert(format, text, &leaves, &segments, written).map_err(by_hand)
}

/// The value as the file holds it (§12): a Secret's `data` value
/// base64-encoded, a compose `NAME=value` item whole; a key read from
/// inside a string value is refused.
fn as_written(found: &Located<'_>, value: &Value) -> Result<Value, Refusal> {
    use base64::Engine as _;
    let Action::Replace(leaf) = found.action else {
        return match (adds_list_item(found), found.segments.last(), value) {
            (true, Some(Segment::Key(name)), Value::String(text)) => {
                Ok(Value::String(format!("{name}={text}").into()))
            }
            (true, Some(Segment::Key(name)), Value::Null) => {
                Ok(Value::String(name.as_str().into()))
            }
            _ => Ok(value.clone()),
        };
    };
    match leaf.origin {
        Origin::Base64 => match value {
            Value::String(text) => Ok(Value::String(
                base64::engine::general_purpose::STANDARD.encode(text.as_bytes()).into(),
            )),
            _ => Err(Refusal::new(
                RefusalKind::Unsupported,
                format!("`{}` is a Secret's data: its value is text", found.key),
            )
            .hint("give the new value as a string")),
        },
        Origin::ListItem => {
            let Some(Segment::Key(name)) = found.segments.last() else {
                return Err(Refusal::new(RefusalKind::Unsupported, "the list item has no name"));
            };
            match value {
                Value::String(text) => Ok(Value::String(format!("{name}={text}").into())),
                Value::Null => Ok(Value::String(name.as_str().into())),
                _ => Err(Refusal::new(
                    RefusalKind::Unsupported,
                    format!("`{}` is a NAME=value list item: compose passes it as text", found.key),
                )
                .hint("give the new value as a string (--type string)")),
            }
        }
        Origin::Embedded => Err(Refusal::new(
            RefusalKind::Unsupported,
            format!(
                "`{}` is read from inside a string value of {}:{}; envlens does not write into it",
                found.key, found.file.file.rel_path, leaf.position.line
            ),
        )
        .hint("edit that value in the file by hand")),
        _ => Ok(value.clone()),
    }
}

/// Whether the edit adds a `NAME=value` item to a compose list that
/// compose reads as a map (§12).
fn adds_list_item(found: &Located<'_>) -> bool {
    let [parent @ .., Segment::Key(_)] = found.segments.as_slice() else { return false };
    matches!(found.action, Action::Insert)
        && found.file.file.format == crate::core::parse::Format::Yaml
        && insert::item::is_list_form(&spell(&found.set.keys, &found.file.leaves), parent)
}

/// A value added as a `NAME=value` item is text whatever it looks like:
/// compose passes it as a string.
fn list_item_text(found: &Located<'_>, value: Value) -> Value {
    match value {
        Value::Null | Value::String(_) => value,
        other if adds_list_item(found) => Value::String(other.display_text().into()),
        other => other,
    }
}

/// Whether the key is new to the file written (an override of a merged
/// key replaces the merged leaf, so it is not new).
fn is_added(found: &Located<'_>) -> bool {
    let id = found.set.key(&found.key);
    matches!(found.action, Action::Insert) && !found.file.leaves.iter().any(|l| Some(l.key) == id)
}

/// The new text read back must be the old leaves with exactly the edit.
fn check_result(
    root: &std::path::Path,
    found: &Located<'_>,
    new_text: &str,
    value: &Value,
) -> Result<(KeyTable, Vec<Leaf>), Refusal> {
    let rename = renamed_item(found, value);
    let moved = |path: &str| match &rename {
        Some((from, to)) => match path.strip_prefix(from.as_str()) {
            Some(rest) if rest.is_empty() || rest.starts_with(['.', '[']) => format!("{to}{rest}"),
            _ => path.to_owned(),
        },
        None => path.to_owned(),
    };
    let changed: Vec<String> = found.changed.iter().map(|p| moved(p)).collect();
    // A new item of a keyed list brings its identity fields along.
    let fields = match found.action {
        Action::Insert => {
            let leaves = spell(&found.set.keys, &found.file.leaves);
            insert::item::new_item(&leaves, &found.segments)
                .ok()
                .flatten()
                .map(|item| item.field_leaves())
                .unwrap_or_default()
        }
        Action::Replace(_) => Vec::new(),
    };
    let expect = Expect {
        changed: changed.iter().map(String::as_str).collect(),
        value,
        added: is_added(found),
        also_added: &fields,
    };
    let paths: Vec<String> =
        found.file.leaves.iter().map(|l| moved(found.set.keys.path(l.key))).collect();
    let old: Vec<Spelled<'_>> =
        found.file.leaves.iter().zip(&paths).map(|(leaf, path)| Spelled { path, leaf }).collect();
    let read = |text: &str| read_as_set(root, found, text);
    verify::verify_read(&read, new_text, &old, &expect).map_err(|why| {
        Refusal::new(RefusalKind::Verify, format!("{why}; nothing was written"))
            .hint(format!("edit {} by hand", found.file.file.rel_path))
    })
}

/// When the edit writes an identity field of its item
/// (`servers[name=a].name`), the item's key before and after: every key
/// under it moves with it.
fn renamed_item(found: &Located<'_>, value: &Value) -> Option<(String, String)> {
    let [.., Segment::Identity(fields), Segment::Key(field)] = found.segments.as_slice() else {
        return None;
    };
    let at = fields.iter().position(|(name, _)| name == field)?;
    let new_text = crate::core::identity::identity_text(value)?;
    let item = &found.segments[..found.segments.len() - 1];
    let mut renamed = item.to_vec();
    if let Some(Segment::Identity(new_fields)) = renamed.last_mut() {
        new_fields[at].1 = new_text;
    }
    Some((key_path::format(item), key_path::format(&renamed)))
}

/// A file's text read as its set reads it: shaped (§12) and keyed by the
/// set's identity choices.
fn read_as_set(
    root: &std::path::Path,
    found: &Located<'_>,
    text: &str,
) -> Result<(KeyTable, Vec<Leaf>), String> {
    let file = &found.file.file;
    let parsed = crate::core::parse::parse(file.format, text)
        .map_err(|e| format!("the edited file would not parse ({})", e.message))?;
    // Read as the set reads it: shaped, and only the env's section (or
    // below its path in the folder) when the layout mounts it so.
    let (parsed, _) = crate::core::project::shape_and_mount(root, file, parsed);
    let (keys, mut leaves) = parsed.into_table();
    let keyed = identity::rekey(&keys, &[&leaves], &[], Some(&found.set.lists));
    let Some(rekeyed) = keyed.and_then(|k| k.rekeyed) else {
        return Ok((keys, leaves));
    };
    let mut fresh = KeyTable::new();
    identity::apply(rekeyed, &mut [leaves.as_mut_slice()], Some(&keys), &mut fresh);
    Ok((fresh, leaves))
}

/// Refuses schema violations the edit causes in the env's effective
/// document; ones the document already had do not count.
fn check_schema(
    found: &Located<'_>,
    new_leaves: (&KeyTable, &[Leaf]),
    secret: bool,
) -> Result<(), Refusal> {
    let Some(schema) = &found.set.schema else { return Ok(()) };
    let compiled =
        schema.compiled.as_ref().map_err(|reason| Refusal::new(RefusalKind::Schema, reason))?;
    let before = effective_json(found.set, found.env, None);
    let after = effective_json(found.set, found.env, Some((found.file, new_leaves)));
    // A message masks the value written when it is a secret, and the env's
    // other secrets as everywhere else.
    let env_at = found.set.envs.iter().position(|f| std::ptr::eq(f, found.env));
    let env_leaves =
        env_at.and_then(|i| found.set.effective(&[i]).into_iter().next()).unwrap_or_default();
    let secret_at = |key: &str| secret || found.set.secret_at(&env_leaves, key);
    let run = |doc| compiled.violations(doc, &secret_at);
    let new = validate::new_violations(&run(&before), run(&after));
    let Some(first) = new.first() else { return Ok(()) };
    let more = match new.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    Err(Refusal::new(RefusalKind::Schema, format!("{first}{more}"))
        .hint(format!("the schema {} says so; the file was not changed", schema.rel_path)))
}

/// The env's effective document as JSON, with `replaced` standing in for
/// the leaves of one of its files (the env file or the base).
fn effective_json(
    set: &LoadedSet,
    env: &LoadedFile,
    replaced: Option<(&LoadedFile, (&KeyTable, &[Leaf]))>,
) -> serde_json::Value {
    // The new leaves have keys of their own: both files are keyed again
    // in one table of their own.
    let mut keys = KeyTable::new();
    let mut leaves_of = |file: &LoadedFile| match replaced {
        Some((which, (table, leaves))) if std::ptr::eq(which, file) => {
            rekey(table, leaves, &mut keys)
        }
        _ => rekey(&set.keys, &file.leaves, &mut keys),
    };
    let env_leaves = leaves_of(env);
    let base_leaves = set.base.as_ref().filter(|b| !std::ptr::eq(*b, env)).map(leaves_of);
    let effective = inherit::effective(&keys, base_leaves.as_deref(), &env_leaves);
    flatten::to_json(&keys, effective.iter().map(|e| e.leaf))
}

/// Copies of `leaves` (keyed in `from`) keyed in `into`.
fn rekey(from: &KeyTable, leaves: &[Leaf], into: &mut KeyTable) -> Vec<Leaf> {
    let mut copies = leaves.to_vec();
    crate::core::leaf::rekey(&mut copies, from, into);
    copies
}
