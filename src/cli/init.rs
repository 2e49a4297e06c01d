//! `envlens init ENV [PATH] [--set NAME] [--from ENV]` (§7): plans the new
//! env's file in each set (`core::init`), refuses the lot when any would
//! overwrite or duplicate, writes them (never over an existing file), then
//! reads the project again to show the new env loads, and says when a new
//! file that git could track is to hold secrets.

use std::io::Write;
use std::path::Path;

use super::check::from_here;
use super::error::{CliError, name_list};
use super::{Outcome, load_project};
use crate::args::{CommonArgs, InitArgs};
use crate::core::init::{self, InitErrorKind, NewEnvFile};
use crate::core::project::{self, LoadedSet, OpenOptions, Project};
use crate::core::{check, settings};

pub fn run(args: &InitArgs, common: &CommonArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let root = args.path.clone().unwrap_or_else(|| ".".into());
    let project = load_project(&root, common)?;
    let plans = match plan_all(&project, args)? {
        Ok(plans) => plans,
        Err(refusals) => return Ok(Outcome { code: 1, messages: refusals }),
    };
    let mut messages = skipped_notes(&project, args, &plans);
    for plan in &plans {
        write_new(&root, plan)?;
        let shown = from_here(&root, &plan.rel_path);
        report(plan, &shown, out).map_err(|e| CliError::output(&e))?;
        for why in &plan.skipped {
            messages.push(format!("envlens: warning: {shown}: schema default left out: {why}"));
        }
    }
    messages.extend(verify_loads(&root, &plans)?);
    messages.extend(reminders(&root, &plans));
    Ok(Outcome { code: 0, messages })
}

/// `wrote config_local.yaml (env local of config, from dev)` and a line
/// per secret made a reference and per default added.
fn report(plan: &NewEnvFile, shown: &str, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "wrote {shown} (env {} of {}, from {})", plan.env, plan.set, plan.from)?;
    for (key, value) in &plan.references {
        writeln!(out, "  {key}: secret → {value}")?;
    }
    for key in &plan.defaults {
        writeln!(out, "  {key}: the schema's default")?;
    }
    Ok(())
}

/// The plans of every set asked for; `Ok(Err(lines))` when any is refused
/// (nothing is written then).
fn plan_all(
    project: &Project,
    args: &InitArgs,
) -> Result<Result<Vec<NewEnvFile>, Vec<String>>, CliError> {
    let sets: Vec<&LoadedSet> = match &args.set {
        Some(name) => vec![project.set(name.trim_end_matches('/')).ok_or_else(|| {
            CliError::new(format!("no config set named `{name}`")).hint(format!(
                "sets here: {}",
                name_list(project.sets.iter().map(|s| s.name.as_str()), 8)
            ))
        })?],
        None => project.sets.iter().collect(),
    };
    let (mut plans, mut refusals, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
    for set in &sets {
        match init::plan(project, set, &args.env, args.from.as_deref()) {
            Ok(plan) => plans.push(plan),
            Err(e) if e.kind == InitErrorKind::Refused => {
                refusals.push(format!("envlens: refused: {}", e.message));
                let hint = e.hint.map_or_else(String::new, |h| format!("{h}; "));
                refusals.push(format!("  hint: {hint}nothing was written"));
            }
            // Without --set, a set without the --from env is left alone.
            Err(e) if e.kind == InitErrorKind::NoReference && args.set.is_none() => skipped.push(e),
            Err(e) => {
                let hint = match e.kind {
                    InitErrorKind::ReferenceBroken => e.hint.map(|h| format!("{h} (--from ENV)")),
                    _ => e.hint,
                };
                return Err(CliError { message: e.message, hint, broken_pipe: false });
            }
        }
    }
    if !refusals.is_empty() {
        return Ok(Err(refusals));
    }
    if plans.is_empty() {
        let first = skipped.into_iter().next();
        return Err(CliError::new(
            first.as_ref().map_or("no set to init".to_owned(), |e| e.message.clone()),
        )
        .hint("choose an env every set has with --from, or one set with --set"));
    }
    Ok(Ok(plans))
}

/// Lines for the sets left alone because they lack the `--from` env.
fn skipped_notes(project: &Project, args: &InitArgs, plans: &[NewEnvFile]) -> Vec<String> {
    let Some(from) = &args.from else { return Vec::new() };
    project
        .sets
        .iter()
        .filter(|s| args.set.is_none() && !plans.iter().any(|p| p.set == s.name))
        .map(|s| format!("envlens: note: {} has no env `{from}`; it was left alone", s.name))
        .collect()
}

/// Creates the file (never over an existing one) with the reference
/// file's permissions: a `0600` env file stays private in its new copy.
fn write_new(root: &Path, plan: &NewEnvFile) -> Result<(), CliError> {
    let path = root.join(&plan.rel_path);
    let fail = |e: std::io::Error| CliError::new(format!("cannot write {}: {e}", plan.rel_path));
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                CliError::new(format!(
                    "{} appeared while envlens worked; it was not overwritten",
                    plan.rel_path
                ))
            } else {
                fail(e)
            }
        })?;
    if let Ok(meta) = std::fs::metadata(root.join(&plan.from_rel_path)) {
        let _ = file.set_permissions(meta.permissions());
    }
    file.write_all(&plan.bytes).and_then(|()| file.sync_all()).map_err(fail)
}

/// Reads the project again (ignored files too) and checks that each new
/// file is its set's env, loaded without error.
fn verify_loads(root: &Path, plans: &[NewEnvFile]) -> Result<Vec<String>, CliError> {
    let project = project::open(
        root,
        &OpenOptions { no_ignore: true, no_sources: true, ..OpenOptions::default() },
    )
    .map_err(|e| CliError { message: e.message, hint: e.hint, broken_pipe: false })?;
    let mut problems = Vec::new();
    for plan in plans {
        let shown = from_here(root, &plan.rel_path);
        let loaded = project
            .set(&plan.set)
            .and_then(|s| s.envs.iter().find(|f| f.file.rel_path == plan.rel_path));
        match loaded {
            Some(file) if file.file.env == plan.env && file.error.is_none() => {}
            Some(file) => problems.push(format!(
                "envlens: warning: {shown} was written but does not load as env {}{}",
                plan.env,
                file.error.as_ref().map(|e| format!(": {}", e.message)).unwrap_or_default()
            )),
            None => problems.push(format!(
                "envlens: warning: {shown} was written but envlens does not see it in {}",
                plan.set
            )),
        }
    }
    Ok(problems)
}

/// A new file git could commit that is to hold secrets once its references
/// are filled in, or one git ignores (envlens then reads it only with
/// --no-ignore): say so.
fn reminders(root: &Path, plans: &[NewEnvFile]) -> Vec<String> {
    let Ok(settings) = settings::load(root) else { return Vec::new() };
    let trackable = check::trackable_files(root, &settings);
    let mut lines = Vec::new();
    for plan in plans {
        let shown = from_here(root, &plan.rel_path);
        if !trackable.contains(&plan.rel_path) {
            lines.push(format!(
                "envlens: note: {shown} is git-ignored; envlens shows it with --no-ignore"
            ));
        } else if !plan.references.is_empty() {
            let names: Vec<&str> = plan.references.iter().map(|(k, _)| k.as_str()).collect();
            let n = plan.references.len();
            lines.push(format!(
                "envlens: warning: {shown} is not git-ignored, and {n} of its values {} ({})",
                if n == 1 { "is a secret" } else { "are secrets" },
                name_list(names, 4)
            ));
            lines.push(format!(
                "  hint: set {} in the environment, or have git ignore {shown} before real values go into it",
                if n == 1 { "it" } else { "them" }
            ));
        }
    }
    lines
}
