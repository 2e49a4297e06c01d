//! `envlens check` (§7): the CI rules over a loaded project, each giving
//! findings with a rule, a severity and a place. One file per family of
//! rules; this one holds the finding type, the per-set view every rule reads
//! and the order findings come out in.
//!
//! Readings of §7 where it leaves room, so every rule behaves alike:
//! - An env whose file did not load is reported once, as `parse-error`, and
//!   left out of the other rules (its keys would all be "missing").
//! - `line` is null when the finding is about a key an env does not have.
//! - No message holds a secret's text: values are written the way `diff`
//!   shows them, masked.

mod drift;
mod encoding;
mod encrypted;
mod fingerprint;
pub mod flags;
mod location;
mod references;
mod rules;
mod schema;
mod secrets;
mod stores;
mod template;

pub use secrets::variable_name;

use std::collections::BTreeSet;
use std::path::Path;

use super::diff::{self, Rows};
use super::discover;
use super::inherit::Effective;
use super::key_path;
use super::leaf::Leaf;
use super::project::{LoadedSet, Project};
use super::references::Resolver;
use super::secret::{KeyRules, Secret};
use super::settings::Settings;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// The rules of §7, in the order of its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    ParseError,
    Schema,
    Required,
    Drift,
    SharedSecret,
    CrossEnvReference,
    PlaintextSecret,
    PrivateKeyFile,
    UnencryptedValue,
    Encoding,
    StoreDrift,
    SourceError,
    UnresolvedReference,
    TemplateDrift,
    FlagOrder,
    FlagUnknownVariant,
    FlagStale,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ParseError => "parse-error",
            Self::Schema => "schema",
            Self::Required => "required",
            Self::Drift => "drift",
            Self::SharedSecret => "shared-secret",
            Self::CrossEnvReference => "cross-env-reference",
            Self::PlaintextSecret => "plaintext-secret",
            Self::PrivateKeyFile => "private-key-file",
            Self::UnencryptedValue => "unencrypted-value",
            Self::Encoding => "encoding",
            Self::StoreDrift => "store-drift",
            Self::SourceError => "source-error",
            Self::UnresolvedReference => "unresolved-reference",
            Self::TemplateDrift => "template-drift",
            Self::FlagOrder => "flag-order",
            Self::FlagUnknownVariant => "flag-unknown-variant",
            Self::FlagStale => "flag-stale",
        }
    }
}

/// One finding, with the fields of §7.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub set: String,
    /// The env the finding is about; None when it concerns several.
    pub env: Option<String>,
    /// Every env concerned, in env order.
    pub envs: Vec<String>,
    pub key: Option<String>,
    /// Relative to the project root, with `/`: the first env concerned.
    pub file: String,
    pub line: Option<u32>,
    pub message: String,
}

impl Finding {
    /// A finding about the envs `envs`; `env` is set when there is one.
    fn new(rule: Rule, severity: Severity, set: &str, envs: Vec<String>) -> Self {
        Self {
            rule,
            severity,
            set: set.to_owned(),
            env: if envs.len() == 1 { envs.first().cloned() } else { None },
            envs,
            key: None,
            file: String::new(),
            line: None,
            message: String::new(),
        }
    }

    fn key(mut self, key: &str) -> Self {
        self.key = Some(key.to_owned());
        self
    }

    fn at(mut self, file: &str, line: Option<u32>) -> Self {
        file.clone_into(&mut self.file);
        self.line = line;
        self
    }

    fn message(mut self, message: String) -> Self {
        self.message = message;
        self
    }
}

/// Runs every rule. `trackable` says whether git tracks or could track a
/// file (relative path): `plaintext-secret` is only about those.
pub fn run(
    project: &Project,
    settings: &Settings,
    trackable: &dyn Fn(&str) -> bool,
) -> Vec<Finding> {
    run_with(project, settings, trackable, &Resolver::new(project))
}

/// `run`, resolving references with `resolver` (one that reads the process
/// environment makes `unresolved-reference` an error, §14).
pub fn run_with(
    project: &Project,
    settings: &Settings,
    trackable: &dyn Fn(&str) -> bool,
    resolver: &Resolver<'_>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for set in &project.sets {
        let view = SetView::new(set);
        findings.extend(parse_errors(set));
        findings.extend(schema::check(&view));
        let policy = crate::core::settings::drift_for(&project.scoped, set.first_path())
            .or(settings.drift.as_ref());
        findings.extend(drift::check(&view, policy));
        findings.extend(secrets::shared(&view));
        findings.extend(location::check(&view));
        findings.extend(secrets::plaintext(&view, trackable));
        findings.extend(encrypted::unencrypted(&view));
        findings.extend(encoding::check(&project.files, &project.root, set));
        findings.extend(stores::check(&view));
        findings.extend(stores::references(&view, project));
        let references = crate::core::settings::references_for(&project.scoped, set.first_path())
            .unwrap_or(&settings.references);
        findings.extend(references::unresolved(&view, resolver, references));
        findings.extend(template::check(set));
        let flag_policy = crate::core::settings::flags_for(&project.scoped, set.first_path())
            .or(settings.flags.as_ref());
        findings.extend(flags::check(&view, flag_policy));
    }
    findings.extend(encrypted::key_files(project, trackable));
    sort(&mut findings);
    findings
}

/// The files git could track under `root`: what a walk that honours the
/// ignore files finds (used when the project was opened with `--no-ignore`).
pub fn trackable_files(root: &Path, settings: &Settings) -> BTreeSet<String> {
    trackable_files_in(&crate::core::files::Files::WorkTree, root, settings)
}

/// `trackable_files` of the working tree or of a revision's tree.
pub fn trackable_files_in(
    files: &crate::core::files::Files,
    root: &Path,
    settings: &Settings,
) -> BTreeSet<String> {
    let mut options = settings.discover_options(false);
    options.files = files.clone();
    let found = crate::core::settings::discover(root, &options).discovery;
    let configs = found.sets.iter().flat_map(|set| {
        set.base
            .iter()
            .chain(&set.envs)
            .chain(set.layers.iter().map(|l| &l.file))
            .chain(&set.locals)
    });
    configs.map(|file| file.rel_path.clone()).chain(found.key_files).collect()
}

/// The findings of `now` that `then` (the project at an earlier revision)
/// did not have, matched by rule, set, key and envs, never by line or
/// message: a line that moved, or a message that names a changed value,
/// is still the old problem. Counted: a third finding of one kind where
/// there were two is new.
pub fn new_since(now: Vec<Finding>, then: &[Finding]) -> Vec<Finding> {
    let identity = |f: &Finding| (f.rule, f.set.clone(), f.key.clone(), f.envs.clone());
    let mut old: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for finding in then {
        *old.entry(identity(finding)).or_default() += 1;
    }
    now.into_iter()
        .filter(|finding| match old.get_mut(&identity(finding)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// True when a finding fails the run (`--strict` counts warnings too).
pub fn fails(findings: &[Finding], strict: bool) -> bool {
    findings.iter().any(|f| strict || f.severity == Severity::Error)
}

/// By set, then file, then line (keys without a line first), then rule.
fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.set, &a.file, a.line, a.rule, &a.key, &a.envs, &a.message)
            .cmp(&(&b.set, &b.file, b.line, b.rule, &b.key, &b.envs, &b.message))
    });
}

fn parse_errors(set: &LoadedSet) -> Vec<Finding> {
    let all: Vec<String> = set.env_names().into_iter().map(str::to_owned).collect();
    let base_env = set.base.as_ref().map(|b| b.file.env.as_str());
    let sources: Vec<&str> =
        set.envs.iter().filter(|f| f.is_source()).map(|f| f.file.env.as_str()).collect();
    let mut out: Vec<Finding> = set
        .file_errors()
        .filter(|(env, _)| env.is_none_or(|e| !sources.contains(&e)))
        .map(|(env, err)| {
            let envs = match env {
                Some(env) if Some(env) != base_env => vec![env.to_owned()],
                _ => all.clone(),
            };
            Finding::new(Rule::ParseError, Severity::Error, &set.name, envs)
                .at(&err.rel_path, err.position.map(|p| p.line))
                .message(match err.position {
                    Some(p) => format!("column {}: {}", p.column, err.message),
                    None => err.message.clone(),
                })
        })
        .collect();
    out.extend(set.key_errors().filter(|(env, _)| !sources.contains(env)).map(|(env, err)| {
        let envs = if Some(env) == base_env { all.clone() } else { vec![env.to_owned()] };
        Finding::new(Rule::ParseError, Severity::Error, &set.name, envs)
            .at(&err.rel_path, err.position.map(|p| p.line))
            .message(err.message.clone())
    }));
    out.extend(set.problems.iter().map(|problem| {
        let envs = problem.env.iter().cloned().collect::<Vec<_>>();
        let envs = if envs.is_empty() { all.clone() } else { envs };
        Finding::new(Rule::ParseError, Severity::Error, &set.name, envs)
            .at(&problem.rel_path, None)
            .message(problem.message.clone())
    }));
    out
}

/// A set as the rules read it: the envs that loaded, their effective
/// leaves and the rows over them.
struct SetView<'a> {
    set: &'a LoadedSet,
    /// Names of the envs that loaded, in env order.
    envs: Vec<String>,
    /// Their env files' paths.
    files: Vec<&'a str>,
    /// Over the envs' effective leaves, which it keeps (`effective`).
    rows: Rows<'a>,
    /// §5's key rules by key id, worked out the first time a rule asks:
    /// several rules look at every value of every key.
    key_rules: std::cell::RefCell<Vec<Option<KeyRules>>>,
}

impl<'a> SetView<'a> {
    fn new(set: &'a LoadedSet) -> Self {
        let base_broken = set.base_layers().any(|b| b.error.is_some());
        // Source columns take part in their own rules only (`stores`);
        // template envs in `template-drift` only (§2).
        let good: Vec<usize> = (0..set.envs.len())
            .filter(|&i| !base_broken && set.envs[i].error.is_none() && !set.envs[i].is_source())
            .filter(|&i| !discover::is_template(&set.envs[i].file.env))
            .collect();
        // The rows keep the effective leaves: no second copy (on a large
        // set, tens of bytes a leaf).
        let rows = diff::diff(&set.keys, set.effective(&good));
        Self {
            set,
            envs: good.iter().map(|&i| set.envs[i].file.env.clone()).collect(),
            files: good.iter().map(|&i| set.envs[i].file.rel_path.as_str()).collect(),
            rows,
            key_rules: std::cell::RefCell::new(vec![None; set.keys.len()]),
        }
    }

    /// The effective leaves of env `env_at` (base and layers applied).
    fn effective(&self, env_at: usize) -> Option<&[Effective<'a>]> {
        self.rows.effective(env_at)
    }

    /// Each env's effective leaves, in env order.
    fn each_effective(&self) -> impl Iterator<Item = &[Effective<'a>]> + '_ {
        (0..self.envs.len()).map(|at| self.effective(at).unwrap_or_default())
    }

    /// Whether a leaf of the set is secret, and why (§5).
    fn secret(&self, leaf: &Leaf) -> Option<Secret> {
        let mut cache = self.key_rules.borrow_mut();
        let slot = cache.get_mut(leaf.key.index());
        let rules = match slot {
            Some(Some(rules)) => *rules,
            Some(empty) => *empty.insert(self.set.key_rules(self.set.path(leaf))),
            None => self.set.key_rules(self.set.path(leaf)),
        };
        rules.classify_leaf(leaf)
    }

    /// Where a value is written: the layer that holds it when inherited.
    fn file_holding(&self, env_at: usize, leaf: &Leaf, inherited: bool) -> &'a str {
        match self.set.holder(leaf) {
            Some(holder) if inherited => holder.file.rel_path.as_str(),
            _ => self.file_of(env_at, inherited),
        }
    }

    /// Where a value is written: the base file when inherited.
    fn file_of(&self, env_at: usize, inherited: bool) -> &'a str {
        match (&self.set.base, inherited) {
            (Some(base), true) => base.file.rel_path.as_str(),
            _ => self.files.get(env_at).copied().unwrap_or_default(),
        }
    }

    /// Does env `env_at` have `name` or anything under it?
    fn has_key(&self, env_at: usize, name: &str) -> bool {
        self.effective(env_at).is_some_and(|leaves| {
            leaves.iter().any(|e| {
                let path = self.set.path(e.leaf);
                path == name
                    || path.strip_prefix(name).is_some_and(|rest| rest.starts_with(['.', '[']))
            })
        })
    }

    /// The value as `diff` would show it (masked), cut for a message.
    fn shown(&self, leaf: &Leaf) -> String {
        let reason = self.secret(leaf);
        let text = super::secret::display(&leaf.value, reason, false);
        let text = text.replace(['\n', '\r'], "↵");
        if text.chars().count() > 60 {
            format!("{}…", text.chars().take(59).collect::<String>())
        } else {
            text
        }
    }
}

/// The shortest prefix of `key` (itself included) that a glob matches, so
/// `database` in a policy covers `database.url`.
fn covered_prefix<'k>(globs: &[super::glob::KeyGlob], key: &'k str) -> Option<&'k str> {
    let ends = key_path::prefix_ends(key).into_iter().chain(std::iter::once(key.len()));
    ends.filter_map(|end| key.get(..end))
        .find(|prefix| globs.iter().any(|glob| glob.matches(prefix)))
}

/// Env names joined for a message: `dev, staging and prod`.
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
