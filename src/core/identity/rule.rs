//! Which fields name the items of one list (§12), decided over every file
//! of a set: the `[lists]` setting, then the fields Kubernetes and compose
//! name their items by, then `name`/`key`/`id`, else positions.

use rustc_hash::FxHashSet;

use crate::core::glob::KeyGlob;
use crate::core::key_path;
use crate::core::leaf::Value;

/// How the items of a list are keyed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// `[0]`, `[1]`, … as written.
    Positions,
    /// `[name=web]`: these fields, every item has them as scalars and
    /// they are unique within each file's list.
    Fields(Vec<String>),
}

/// One `[lists]` entry of `.envlens.toml`: a key glob on the list's path
/// and its fields (`"index"` for positions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRule {
    pub glob: KeyGlob,
    pub choice: Choice,
}

/// Fields Kubernetes and compose name the items of a list by, by the
/// list's own key; tried in order, the first every item has wins.
fn known_fields(list: &str) -> &'static [&'static str] {
    match list {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "envFrom"
        | "imagePullSecrets" => &["name"],
        // Kubernetes volumes by name; compose volumes, secrets, configs by target.
        "volumes" => &["name", "target"],
        "secrets" | "configs" => &["target"],
        // A container's ports by containerPort; compose's by target.
        "ports" => &["containerPort", "target"],
        "volumeMounts" => &["mountPath"],
        "hostAliases" => &["ip"],
        _ => &[],
    }
}

/// The fields rule 3 tries.
const GENERIC: [&str; 3] = ["name", "key", "id"];

/// One item of a list in one file: whether it is a mapping, and the
/// scalar fields directly in it (field segment as printed, value).
#[derive(Debug, Default)]
pub(super) struct ItemFields<'a> {
    pub is_map: bool,
    pub scalars: Vec<(&'a str, &'a Value)>,
}

impl ItemFields<'_> {
    fn get(&self, field: &str) -> Option<String> {
        self.scalars.iter().find(|(f, _)| *f == field).and_then(|(_, v)| scalar_text(v))
    }
}

/// An identity value's text: scalars only (a mapping or list never names).
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Float(_) | Value::Datetime(_) => Some(value.display_text()),
        Value::Null
        | Value::EmptyMap
        | Value::EmptyList
        | Value::Encrypted(_)
        | Value::Bytes(_) => None,
    }
}

/// The field segment as a path prints it (`name`, or `"a.b"`).
fn printed(field: &str) -> String {
    let mut text = String::new();
    key_path::push_key(&mut text, field);
    text
}

/// The identity values of every item, per file, when `fields` name every
/// item of every file uniquely.
pub(super) fn values_for(
    files: &[Vec<ItemFields<'_>>],
    fields: &[String],
) -> Option<Vec<Vec<Vec<String>>>> {
    let printed: Vec<String> = fields.iter().map(|f| printed(f)).collect();
    let mut all = Vec::with_capacity(files.len());
    for items in files {
        let mut seen = FxHashSet::default();
        let mut values = Vec::with_capacity(items.len());
        for item in items {
            if !item.is_map {
                return None;
            }
            let named: Option<Vec<String>> = printed.iter().map(|f| item.get(f)).collect();
            let named = named?;
            if !seen.insert(named.clone()) {
                return None;
            }
            values.push(named);
        }
        all.push(values);
    }
    Some(all)
}

/// The choice for a list at `path` (named `name` by its last key), with
/// each item's identity values when it is by fields.
pub(super) fn decide(
    rules: &[ListRule],
    path: &str,
    name: &str,
    files: &[Vec<ItemFields<'_>>],
) -> (Choice, Option<Vec<Vec<Vec<String>>>>) {
    if !rules.is_empty()
        && let Some(rule) = rules.iter().find(|r| r.glob.matches(path))
    {
        return match &rule.choice {
            Choice::Positions => (Choice::Positions, None),
            Choice::Fields(fields) => match values_for(files, fields) {
                Some(values) => (rule.choice.clone(), Some(values)),
                None => (Choice::Positions, None),
            },
        };
    }
    let candidates = known_fields(name).iter().chain(&GENERIC);
    for field in candidates {
        let fields = vec![(*field).to_owned()];
        if let Some(values) = values_for(files, &fields) {
            return (Choice::Fields(fields), Some(values));
        }
    }
    (Choice::Positions, None)
}
