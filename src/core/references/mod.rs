//! References resolved (§14): a `${VAR}` in an env's config reads its
//! value from that env's dotenv layers (`.env.<env>` over `.env`) in the
//! folder of the env's file and each parent up to the project root,
//! nearest first; then from the reference's inline default; then, when the
//! caller allows it (`check --env-from-process`), from the process
//! environment.
//!
//! Readings where §14 is silent:
//! - A value resolved from a dotenv layer that holds references itself is
//!   resolved again in that layer's folder (at most `MAX_HOPS` deep; a
//!   variable that leads back to itself does not resolve).
//! - A value may hold several references (`pg://${USER}@${HOST}/app`); it
//!   resolves when all of them do, and `from` names where the first
//!   variable was found.
//! - `${name.with.dots}` is a Spring property placeholder, not a variable:
//!   it is left alone. `vault:`/`ssm:` references are the stores' business
//!   (`check::stores`).
//! - A dotenv set without a file for the env still gives its `.env` base.

pub mod interpolate;

use std::cell::RefCell;

pub use interpolate::{Dialect, Settled};

use super::leaf::{Leaf, Value, Written};
use super::project::{LoadedSet, Project};
use super::secret::{self, KeyRules, Secret};

/// How deep a chain of references through dotenv layers is followed.
const MAX_HOPS: usize = 8;

/// Where a resolved value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum From {
    /// A dotenv layer: its path relative to the root, and the line.
    File { rel_path: String, line: u32 },
    /// The reference's inline default.
    Default,
    /// The process environment (`--env-from-process`).
    Environment,
}

impl From {
    /// As §14 writes it: `file:line`, `default` or `environment`.
    pub fn label(&self) -> String {
        match self {
            Self::File { rel_path, line } => format!("{rel_path}:{line}"),
            Self::Default => "default".to_owned(),
            Self::Environment => "environment".to_owned(),
        }
    }
}

/// One variable a value names and whether something set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    pub settled: Settled,
    /// When a dotenv layer sets it to references that do not resolve
    /// themselves: those variables' names.
    pub through: Vec<String>,
}

impl Variable {
    /// The variables at the end of the chain that nothing sets: its own
    /// name, or the ones its layer's value names.
    pub fn root_names(&self) -> Vec<String> {
        if self.through.is_empty() { vec![self.name.clone()] } else { self.through.clone() }
    }
}

/// What a value that holds references resolves to.
#[derive(Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The value with every reference replaced; None when one of them has
    /// nothing that sets it and no default.
    pub value: Option<String>,
    pub from: Option<From>,
    /// A variable it reached is a secret by its own name or its layer's
    /// rules: the resolved value is masked whatever the referencing key.
    pub secret_variable: bool,
    /// Every variable named, in text order.
    pub variables: Vec<Variable>,
}

/// Debug never shows the resolved text: it may be a secret.
impl std::fmt::Debug for Resolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolution")
            .field("resolved", &self.value.is_some())
            .field("from", &self.from)
            .field("secret_variable", &self.secret_variable)
            .field("variables", &self.variables)
            .finish()
    }
}

impl Resolution {
    /// Names of the variables nothing sets (no default either).
    pub fn missing(&self) -> impl Iterator<Item = &Variable> {
        self.variables.iter().filter(|v| matches!(v.settled, Settled::Missing { .. }))
    }

    /// How the resolved value is judged (§14: by the referencing key's
    /// rules and by the variable's own): None when it is not a secret.
    pub fn secret(&self, rules: KeyRules) -> Option<Secret> {
        let value = Value::String(self.value.as_deref()?.into());
        rules
            .classify(&value)
            .or_else(|| self.secret_variable.then(|| Secret::all_of(secret::SecretReason::Name)))
    }

    /// The resolved value as a face may show it: masked when secret unless
    /// revealed. None when it does not resolve.
    pub fn shown(&self, rules: KeyRules, reveal: bool) -> Option<String> {
        let text = self.value.as_deref()?;
        let value = Value::String(text.into());
        let found = self.secret(rules);
        // As written when nothing is hidden: `30` is the text a variable
        // holds, not a string that needs quoting in a table.
        if reveal || !secret::is_masked(&value, found) {
            return Some(text.to_owned());
        }
        Some(secret::display(&value, found, false))
    }
}

/// A variable's value as one source gives it.
struct Hit {
    text: String,
    from: From,
    secret: bool,
}

/// A lookup that found nothing usable.
enum Miss {
    /// Nothing sets the variable.
    Unset,
    /// A layer sets it, to references that do not resolve (these names).
    Through(Vec<String>),
}

/// Resolves the references of a project's values.
pub struct Resolver<'p> {
    project: &'p Project,
    process: Option<&'p ProcessEnv>,
}

/// A process environment lookup: a variable's value, or None when unset.
pub type ProcessEnv = dyn Fn(&str) -> Option<String> + Sync;

impl std::fmt::Debug for Resolver<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolver").field("process", &self.process.is_some()).finish_non_exhaustive()
    }
}

impl<'p> Resolver<'p> {
    /// From the project's dotenv layers and inline defaults only.
    pub fn new(project: &'p Project) -> Self {
        Self { project, process: None }
    }

    /// Also from `process` (the process environment, for a deploy job).
    #[must_use]
    pub fn with_process(mut self, process: &'p ProcessEnv) -> Self {
        self.process = Some(process);
        self
    }

    /// Whether the process environment takes part.
    pub fn uses_process(&self) -> bool {
        self.process.is_some()
    }

    /// The interpolation dialect of a set (§14: compose's under compose).
    pub fn dialect(set: &LoadedSet) -> Dialect {
        if set.layout == "compose" { Dialect::Compose } else { Dialect::Plain }
    }

    /// What `leaf`, a value of env `env` of `set` whose own file is
    /// `env_file` (relative), resolves to; None when it holds no reference.
    pub fn resolve(
        &self,
        set: &LoadedSet,
        env: &str,
        env_file: &str,
        leaf: &Leaf,
    ) -> Option<Resolution> {
        let Value::String(text) = &leaf.value else { return None };
        if leaf.written != Written::Text || leaf.origin.is_store() {
            return None;
        }
        let dialect = Self::dialect(set);
        if !interpolate::has_variables(text, dialect) {
            return None;
        }
        // `API_TOKEN=${API_TOKEN}` in a dotenv file reads the variable from
        // outside the file (the idiom that passes one through), never
        // from its own line.
        let own = if is_dotenv_set(&set.name) { vec![set.path(leaf).to_owned()] } else { vec![] };
        let visiting = RefCell::new(own);
        Some(self.resolve_text(text, dialect, env, parent_dir(env_file), &visiting, 0))
    }

    fn resolve_text(
        &self,
        text: &str,
        dialect: Dialect,
        env: &str,
        dir: &str,
        visiting: &RefCell<Vec<String>>,
        hops: usize,
    ) -> Resolution {
        let mut first: Option<From> = None;
        let mut secret_variable = false;
        let mut through: Vec<(String, Vec<String>)> = Vec::new();
        let mut lookup = |name: &str| match self.lookup(name, env, dir, visiting, hops) {
            Ok(hit) => {
                secret_variable |= hit.secret;
                first.get_or_insert(hit.from);
                Some(hit.text)
            }
            Err(Miss::Through(names)) => {
                through.push((name.to_owned(), names));
                None
            }
            Err(Miss::Unset) => None,
        };
        let done = interpolate::interpolate(text, dialect, &mut lookup);
        let from = first.or_else(|| {
            done.names.iter().any(|n| n.settled == Settled::Default).then_some(From::Default)
        });
        Resolution {
            value: done.text,
            from,
            secret_variable,
            variables: done
                .names
                .into_iter()
                .map(|n| {
                    let via = through.iter().find(|(name, _)| *name == n.name);
                    Variable {
                        through: via.map(|(_, names)| names.clone()).unwrap_or_default(),
                        name: n.name,
                        settled: n.settled,
                    }
                })
                .collect(),
        }
    }

    /// `name` for `env`, from the dotenv layers of `dir` and its parents,
    /// then the process environment.
    fn lookup(
        &self,
        name: &str,
        env: &str,
        dir: &str,
        visiting: &RefCell<Vec<String>>,
        hops: usize,
    ) -> Result<Hit, Miss> {
        if hops >= MAX_HOPS || visiting.borrow().iter().any(|v| v == name) {
            return Err(Miss::Unset);
        }
        for folder in folders(dir) {
            let set_name =
                if folder.is_empty() { ".env".to_owned() } else { format!("{folder}/.env") };
            let Some(layers) = self.project.set(&set_name) else { continue };
            let Some((leaf, rel_path)) = find_in_layers(layers, env, name) else { continue };
            let secret = layers.secret(leaf).is_some() || named_secret(name, &leaf.value);
            let line = leaf.position.line;
            let text = match &leaf.value {
                Value::String(s) => s.to_string(),
                other => other.display_text(),
            };
            let dialect = Self::dialect(layers);
            if leaf.written == Written::Text && interpolate::has_variables(&text, dialect) {
                visiting.borrow_mut().push(name.to_owned());
                let inner = self.resolve_text(&text, dialect, env, folder, visiting, hops + 1);
                visiting.borrow_mut().pop();
                let Some(value) = inner.value else {
                    let names = inner.missing().flat_map(Variable::root_names).collect();
                    return Err(Miss::Through(names));
                };
                return Ok(Hit {
                    text: value,
                    from: From::File { rel_path: rel_path.to_owned(), line },
                    secret: secret || inner.secret_variable,
                });
            }
            return Ok(Hit {
                text,
                from: From::File { rel_path: rel_path.to_owned(), line },
                secret,
            });
        }
        let value = self.process.and_then(|process| process(name)).ok_or(Miss::Unset)?;
        let secret = named_secret(name, &Value::String(value.as_str().into()));
        Ok(Hit { text: value, from: From::Environment, secret })
    }
}

/// The dotenv layers of a folder form the set `<dir>/.env`.
fn is_dotenv_set(name: &str) -> bool {
    name == ".env" || name.ends_with("/.env")
}

/// A variable's value judged as the leaf `name` (§5).
fn named_secret(name: &str, value: &Value) -> bool {
    KeyRules::of(name, None).classify(value).is_some()
}

/// The leaf `name` of env `env` in a dotenv set: the env's own file, then
/// its `.env` base. With the file it is written in.
fn find_in_layers<'s>(layers: &'s LoadedSet, env: &str, name: &str) -> Option<(&'s Leaf, &'s str)> {
    let key = layers.key(name)?;
    let own = layers.envs.iter().find(|f| f.file.env == env && !f.is_source() && f.error.is_none());
    own.into_iter().chain(layers.base.iter().filter(|b| b.error.is_none())).find_map(|file| {
        file.leaves.iter().find(|l| l.key == key).map(|l| (l, file.file.rel_path.as_str()))
    })
}

/// The folder of a relative path (`""` at the root).
fn parent_dir(rel_path: &str) -> &str {
    rel_path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `dir`, then each parent up to the root (`""`).
fn folders(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let current = next?;
        next = if current.is_empty() { None } else { Some(parent_dir(current)) };
        Some(current)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_up_to_the_root() {
        assert_eq!(folders("a/b").collect::<Vec<_>>(), ["a/b", "a", ""]);
        assert_eq!(folders("").collect::<Vec<_>>(), [""]);
    }
}
