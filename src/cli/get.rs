//! `envlens get KEY [PATH] --env ENV [--set NAME] [--reveal]`: one value of
//! one env, base applied, masked unless revealed (§7). Strings are printed
//! as they are, without quotes, so the output can feed a script. Exit 0
//! found, 1 not found (with close keys as a hint), 2 an error.

use std::io::Write;

use super::error::{CliError, name_list};
use super::{Outcome, key_argument, load_project_with};
use crate::args::{CommonArgs, GetArgs};
use crate::core::leaf::Value;
use crate::core::project::{LoadedSet, Project};
use crate::core::{report, settings};

pub fn run(args: &GetArgs, common: &CommonArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let key = key_argument(&args.key)?;
    let root = args.path.clone().unwrap_or_else(|| ".".into());
    let project = load_project_with(&root, common, args.reveal)?;
    let set = pick_set(&project, args.set.as_deref())?;
    let env_at = set.envs.iter().position(|f| f.file.env == args.env).ok_or_else(|| {
        CliError::new(format!("no env named `{}` in `{}`", args.env, set.name)).hint(format!(
            "envs of `{}`: {}",
            set.name,
            set.env_names().join(", ")
        ))
    })?;
    if let Some((_, err)) = set.file_errors().find(|(env, _)| *env == Some(args.env.as_str())) {
        return Err(CliError::new(format!("{err}"))
            .hint(format!("fix {} to read values of {}", err.rel_path, args.env)));
    }
    let effective = set.effective(&[env_at]).into_iter().next().unwrap_or_default();
    let id = set.key(key);
    if let Some(found) = effective.iter().find(|e| Some(e.leaf.key) == id) {
        let leaf = found.leaf;
        let shown = report::shown(set.key_rules(key), leaf, args.reveal);
        // A string nothing hides prints as it is, unquoted, for scripts.
        let text = match &leaf.value {
            Value::String(s) if shown.hidden.is_none() => s.to_string(),
            _ => shown.text,
        };
        writeln!(out, "{text}").map_err(|e| CliError::output(&e))?;
        return Ok(Outcome { code: 0, messages: Vec::new() });
    }
    let paths: Vec<&str> = effective.iter().map(|e| set.path(e.leaf)).collect();
    Ok(Outcome { code: 1, messages: not_found(set, &args.env, key, &paths) })
}

/// `--set`, or the only set; several sets without `--set` is an error.
pub(super) fn pick_set<'p>(
    project: &'p Project,
    name: Option<&str>,
) -> Result<&'p LoadedSet, CliError> {
    let names = || name_list(project.sets.iter().map(|s| s.name.as_str()), 8);
    match name {
        Some(name) => project.set(name.trim_end_matches('/')).ok_or_else(|| {
            CliError::new(format!("no config set named `{name}`"))
                .hint(format!("sets here: {}", names()))
        }),
        None => match project.sets.as_slice() {
            [only] => Ok(only),
            _ => Err(CliError::new("this project has several config sets; say which with --set")
                .hint(format!("sets here: {}", names()))),
        },
    }
}

/// The lines for a key that is not there: why, and what is close.
fn not_found(set: &LoadedSet, env: &str, key: &str, paths: &[&str]) -> Vec<String> {
    let under: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|p| p.strip_prefix(key).is_some_and(|rest| rest.starts_with(['.', '['])))
        .collect();
    if !under.is_empty() {
        return vec![
            format!("envlens: `{key}` is a mapping in {env} of `{}`, not one value", set.name),
            format!("  hint: its keys: {}", name_list(under, 6)),
        ];
    }
    let id = set.key(key);
    let elsewhere: Vec<String> = set
        .envs
        .iter()
        .filter(|f| f.file.env != env && f.leaves.iter().any(|l| Some(l.key) == id))
        .map(|f| f.file.env.clone())
        .collect();
    let mut lines = vec![format!("envlens: no key `{key}` in {env} of `{}`", set.name)];
    if !elsewhere.is_empty() {
        lines.push(format!("  hint: it is missing in {env}; {} has it", elsewhere.join(", ")));
    } else if let Some(close) = closest(key, paths) {
        lines.push(format!("  hint: did you mean `{close}`?"));
    } else {
        lines.push("  hint: `envlens diff --all` lists every key".to_owned());
    }
    lines
}

/// The nearest key by spelling, or one with the same last name.
pub(super) fn closest<'k>(key: &str, paths: &[&'k str]) -> Option<&'k str> {
    let best = paths
        .iter()
        .map(|p| (settings::edit_distance(&key.to_lowercase(), &p.to_lowercase()), *p))
        .min_by_key(|(d, _)| *d)
        .filter(|(d, _)| *d <= 3.max(key.len() / 4))
        .map(|(_, p)| p);
    best.or_else(|| {
        let name = key.rsplit(['.', ']']).next().unwrap_or(key);
        paths.iter().copied().find(|p| p.rsplit(['.', ']']).next() == Some(name))
    })
}
