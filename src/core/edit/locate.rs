//! What an edit request points at: the set, the env file, the leaf (its
//! own, one reached through an alias or merge, or one inherited from the
//! base file), the file that will be written, and the type the new text
//! must read as.

use super::refusal::{Refusal, RefusalKind, Shared, Via};
use super::{EditRequest, Target};
use crate::core::discover::Role;
use crate::core::key_path::{self, Segment};
use crate::core::leaf::{Leaf, Origin, Value, ValueType};
use crate::core::parse::Format;
use crate::core::project::{LoadedFile, LoadedSet, Project};
use crate::core::validate;

/// How the new value gets into the file.
#[derive(Debug, Clone, Copy)]
pub(super) enum Action<'p> {
    /// The value's text at this leaf's span is replaced.
    Replace(&'p Leaf),
    /// The key is added.
    Insert,
}

#[derive(Debug)]
pub(super) struct Located<'p> {
    pub set: &'p LoadedSet,
    /// The env file the request names.
    pub env: &'p LoadedFile,
    /// The file that is written: the env file, or the base file when the
    /// request writes a shared base value.
    pub file: &'p LoadedFile,
    /// The key in the display form of §3.
    pub key: String,
    pub segments: Vec<Segment>,
    pub action: Action<'p>,
    /// Paths of `file` that take the new value: the key, and every key
    /// sharing its anchor when the anchor itself is written.
    pub changed: Vec<String>,
    /// The value the key has now in the env (own, shared or inherited).
    pub current: Option<&'p Leaf>,
}

/// Finds the set and env file a request names.
pub(super) fn file<'p>(
    project: &'p Project,
    request: &EditRequest<'_>,
) -> Result<(&'p LoadedSet, &'p LoadedFile), Refusal> {
    let set = if let Some(name) = request.set {
        project.set(name.trim_end_matches('/')).ok_or_else(|| {
            Refusal::new(RefusalKind::NotFound, format!("no config set named `{name}`"))
                .hint(format!("sets here: {}", set_names(project)))
        })?
    } else {
        let [only] = project.sets.as_slice() else {
            let sets = project.sets.iter().map(|s| s.name.clone()).collect();
            return Err(Refusal::new(
                RefusalKind::WhichSet { sets },
                "this project has several config sets; say which one",
            ));
        };
        only
    };
    let env = set.envs.iter().chain(&set.base).find(|f| f.file.env == request.env);
    let env = env.ok_or_else(|| {
        Refusal::new(
            RefusalKind::NotFound,
            format!("no env named `{}` in {}", request.env, set.name),
        )
        .hint(format!("envs here: {}", set.env_names().join(", ")))
    })?;
    if let Some(column) = &env.source {
        return Err(Refusal::new(
            RefusalKind::ReadOnlyFile,
            format!(
                "`{}` is read from {}: envlens never writes to a store",
                env.file.env, column.label
            ),
        )
        .hint("change the value with the store's own tool, or edit the files' env"));
    }
    if let Some(error) = &env.error {
        return Err(Refusal::new(
            RefusalKind::Unsupported,
            format!("{error}; an edit needs a file that loads"),
        )
        .hint("fix the file by hand first"));
    }
    Ok((set, env))
}

fn set_names(project: &Project) -> String {
    project.sets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
}

/// Decides where the request writes. A value that is not the env file's
/// own is refused with `Shared` unless the request says where to write.
pub(super) fn locate<'p>(
    set: &'p LoadedSet,
    env: &'p LoadedFile,
    request: &EditRequest<'_>,
) -> Result<Located<'p>, Refusal> {
    let mut segments = key_path::parse(request.key)
        .map_err(|e| Refusal::new(RefusalKind::NotFound, e.to_string()))?;
    // `containers[1].image` of a list keyed by identity: the env's second
    // container, by its name.
    if set.key(&key_path::format(&segments)).is_none()
        && let Some(named) =
            crate::core::identity::by_position(&set.keys, &env.leaves, &set.lists, &segments)
    {
        segments = named;
    }
    let key = key_path::format(&segments);
    refuse_containers(set, env, &key)?;
    let mut found = Located {
        set,
        env,
        file: env,
        changed: vec![key.clone()],
        key,
        segments,
        action: Action::Insert,
        current: None,
    };
    let id = set.key(&found.key);
    if let Some((leaf, local)) = id.and_then(|id| from_local_layer(set, env, id)) {
        // With `--local` the value shown is the local layer's: a write to
        // the env's own file would not change it.
        found.current = Some(leaf);
        if request.target != Target::Shared {
            return Err(shared_refusal(&found.key, env, local, leaf, Via::Local, false));
        }
        found.file = local;
        found.action = Action::Replace(leaf);
        return Ok(found);
    }
    if let Some((leaf, layer, role)) = id.and_then(|id| from_over_layer(set, env, id)) {
        // A layer over the env's file holds the value shown (a second
        // `.tfvars` of the env, dynaconf's `[global]`): it is written there,
        // or refused when that layer is every env's.
        found.current = Some(leaf);
        if role == Role::After && request.target != Target::Shared {
            return Err(shared_refusal(&found.key, env, layer, leaf, Via::After, false));
        }
        found.file = layer;
        found.action = Action::Replace(leaf);
        if role == Role::Env {
            own_or_shared(&mut found, leaf, request.target)?;
        }
        return Ok(found);
    }
    if let Some(leaf) = env.leaves.iter().find(|l| Some(l.key) == id) {
        found.current = Some(leaf);
        found.action = Action::Replace(leaf);
        own_or_shared(&mut found, leaf, request.target)?;
    } else if let Some((base_leaf, base)) = inherited(set, env, &found.key) {
        found.current = Some(base_leaf);
        match request.target {
            Target::Auto => {
                return Err(shared_refusal(&found.key, env, base, base_leaf, Via::Base, true));
            }
            Target::Override => {}
            Target::Shared => {
                found.file = base;
                found.action = Action::Replace(base_leaf);
            }
        }
    }
    Ok(found)
}

/// Refuses a key that names a mapping or list with entries, or one under
/// a scalar: only leaves take values.
fn refuse_containers(set: &LoadedSet, env: &LoadedFile, key: &str) -> Result<(), Refusal> {
    let inside: Vec<&str> = env
        .leaves
        .iter()
        .map(|l| set.path(l))
        .filter(|path| path.strip_prefix(key).is_some_and(|rest| rest.starts_with(['.', '['])))
        .take(3)
        .collect();
    if inside.is_empty() {
        return Ok(());
    }
    Err(Refusal::new(
        RefusalKind::Unsupported,
        format!("`{key}` holds several keys, not one value"),
    )
    .hint(format!("set one of them, e.g. {}", inside.join(", "))))
}

/// A leaf of the env file that shares its text with others (an alias, a
/// merge, or an anchored value that aliases repeat).
fn own_or_shared<'p>(
    found: &mut Located<'p>,
    leaf: &'p Leaf,
    target: Target,
) -> Result<(), Refusal> {
    // A flag file's keys point at their flag's fields by design (a count
    // at the flag, the default where the variant is named): `edit::flags`
    // decides what each may write.
    if found.file.file.format.flag_format().is_some() {
        return Ok(());
    }
    let sharing: Vec<&Leaf> =
        found.file.leaves.iter().filter(|l| l.span == leaf.span && l.key != leaf.key).collect();
    // A decoded Secret value and a compose `NAME=value` item are the
    // file's own text; a key inside a string value shares the string's
    // span with its siblings, and the plan refuses it with its reason.
    let own = matches!(leaf.origin, Origin::Direct | Origin::Base64 | Origin::ListItem);
    if (sharing.is_empty() && own) || leaf.origin == Origin::Embedded {
        return Ok(());
    }
    let via = if leaf.origin == Origin::Merge || sharing.iter().any(|l| l.origin == Origin::Merge) {
        Via::Merge
    } else {
        Via::Alias
    };
    let can_override = leaf.origin == Origin::Merge;
    // An option of an INI file's [DEFAULT] section is written there: the
    // section exists to be inherited, so the sections that inherit it
    // changing too is what an edit of it means.
    let ini_default = found.file.file.format == Format::Ini && leaf.origin == Origin::Direct;
    let target = if ini_default { Target::Shared } else { target };
    match target {
        Target::Auto => {
            Err(shared_refusal(&found.key, found.env, found.env, leaf, via, can_override))
        }
        Target::Shared => {
            found.changed.extend(sharing.iter().map(|l| found.set.path(l).to_owned()));
            Ok(())
        }
        Target::Override if can_override => {
            found.action = Action::Insert;
            Ok(())
        }
        Target::Override => Err(Refusal::new(
            RefusalKind::Unsupported,
            format!(
                "`{}` is inside an alias (`*name`); an override cannot be added there",
                found.key
            ),
        )
        .hint("replace the alias by a copy of the mapping, then edit the copy")),
    }
}

/// The effective leaf of `id` in `env` (every layer applied) and the file
/// that holds it; None for a base file itself, which inherits nothing.
fn effective_leaf<'p>(
    set: &'p LoadedSet,
    env: &'p LoadedFile,
    id: crate::core::keys::KeyId,
) -> Option<(&'p Leaf, &'p LoadedFile)> {
    let at = set.envs.iter().position(|f| std::ptr::eq(f, env))?;
    let leaf = set.effective(&[at]).pop()?.into_iter().find(|e| e.leaf.key == id)?.leaf;
    Some((leaf, set.holder(leaf)?))
}

/// The local layer's leaf that overrides `id` in `env` (`--local`).
fn from_local_layer<'p>(
    set: &'p LoadedSet,
    env: &'p LoadedFile,
    id: crate::core::keys::KeyId,
) -> Option<(&'p Leaf, &'p LoadedFile)> {
    if set.locals.is_empty() {
        return None;
    }
    effective_leaf(set, env, id)
        .filter(|(_, holder)| set.locals.iter().any(|l| std::ptr::eq(l, *holder)))
}

/// The leaf of a layer over the env's own file (§10: another file of the
/// env, or a layer over every env) that gives `id` its value in `env`,
/// with that layer and its role.
fn from_over_layer<'p>(
    set: &'p LoadedSet,
    env: &'p LoadedFile,
    id: crate::core::keys::KeyId,
) -> Option<(&'p Leaf, &'p LoadedFile, Role)> {
    if set.layers.iter().all(|l| l.role == Role::Base) {
        return None;
    }
    let (leaf, holder) = effective_leaf(set, env, id)?;
    let layer = set.layers.iter().find(|l| std::ptr::eq(&raw const l.file, holder))?;
    (layer.role != Role::Base).then_some((leaf, holder, layer.role))
}

/// The base layer's leaf that an env inherits for `key`, and that layer.
fn inherited<'p>(
    set: &'p LoadedSet,
    env: &'p LoadedFile,
    key: &str,
) -> Option<(&'p Leaf, &'p LoadedFile)> {
    let id = set.key(key)?;
    effective_leaf(set, env, id)
        .filter(|(_, holder)| set.base_layers().any(|b| std::ptr::eq(b, *holder)))
}

fn shared_refusal(
    key: &str,
    env: &LoadedFile,
    holder: &LoadedFile,
    leaf: &Leaf,
    via: Via,
    can_override: bool,
) -> Refusal {
    let line = line_of(holder, leaf);
    let place = format!("{}:{line}", holder.file.rel_path);
    let (reason, hint) = match via {
        Via::Base => (
            format!(
                "`{key}` in {} comes from the base file {place}, shared by every env",
                env.file.env
            ),
            format!(
                "edit {place} to change it for every env, or add `{key}` to {} to override it in {} only",
                env.file.rel_path, env.file.env
            ),
        ),
        Via::After => (
            format!("`{key}` in {} comes from {place}, applied over every env", env.file.env),
            format!("edit {place} to change it for every env"),
        ),
        Via::Local => (
            format!(
                "`{key}` in {} comes from the local layer {place}, applied over {} with --local",
                env.file.env, env.file.rel_path
            ),
            format!(
                "edit {place} to change the local value, or open the project without --local to edit {}",
                env.file.rel_path
            ),
        ),
        Via::Merge if holder.file.format == Format::Ini => (
            format!(
                "`{key}` comes from the [DEFAULT] section at {place}; editing it there changes every section that does not set it"
            ),
            format!(
                "edit {place} to change them all, or add it to its own section to override it here"
            ),
        ),
        Via::Merge => (
            format!(
                "`{key}` comes from a `<<` merge of the anchored mapping at {place}; editing it there changes every mapping that merges it"
            ),
            format!(
                "edit {place} to change them all, or add `{key}` explicitly in the merging mapping to override it here"
            ),
        ),
        Via::Alias => (
            format!(
                "`{key}` is anchored text at {place} that an alias (`*name`) repeats; editing it changes every copy"
            ),
            format!("edit {place} to change every copy, or replace the alias by its own mapping"),
        ),
    };
    let shared = Shared { via, rel_path: holder.file.rel_path.clone(), line, can_override };
    Refusal::new(RefusalKind::Shared(shared), reason).hint(hint)
}

/// The line of a leaf's written text in its file. Alias and merge leaves
/// report the alias's position; the anchored text is where the direct leaf
/// with the same span is.
fn line_of(holder: &LoadedFile, leaf: &Leaf) -> u32 {
    holder
        .leaves
        .iter()
        .find(|l| l.span == leaf.span && l.origin == Origin::Direct)
        .map_or(leaf.position.line, |l| l.position.line)
}

/// The type the new text must read as, and where that type was seen.
pub(super) fn wanted_type(
    found: &Located<'_>,
    request: &EditRequest<'_>,
    format: Format,
) -> ValueType {
    if format.strings_only() {
        return ValueType::String;
    }
    if let Some(forced) = request.forced_type {
        return forced;
    }
    let known = |leaf: &Leaf| (leaf.value != Value::Null).then(|| leaf.value.value_type());
    if let Some(ty) = found.current.and_then(known) {
        return ty;
    }
    let others = found.set.envs.iter().filter(|f| !std::ptr::eq(*f, found.env));
    if let Some(id) = found.set.key(&found.key) {
        for other in others.chain(&found.set.base) {
            if let Some(ty) = other.leaves.iter().find(|l| l.key == id).and_then(known) {
                return ty;
            }
        }
    }
    match found.current {
        Some(leaf) if leaf.value == Value::Null && request.input.trim() == "null" => {
            ValueType::Null
        }
        _ => validate::infer_type(request.input),
    }
}
