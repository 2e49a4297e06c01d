//! `envlens sets` (§7, §10): every set with its layout and the rule that
//! made it, its base layer, env files and local layers, then every file
//! that looks like config but joins no set, with the reason; as text or
//! JSON. Nothing here reads a value, so nothing here can print a secret;
//! a source (§13) is listed from its declaration, without asking the store.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use serde_json::{Value as J, json};

use super::error::CliError;
use super::{Outcome, open_folder};
use crate::args::{CommonArgs, SetsArgs, SetsFormat};
use crate::core::discover::{ConfigFile, Mount, Role};
use crate::core::project::{LoadedSet, Project};

pub fn run(args: &SetsArgs, common: &CommonArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let root = args.path.as_deref().unwrap_or_else(|| Path::new("."));
    let project = open_folder(root, common, false)?;
    // The unmatched files are this command's output, not a warning here.
    let messages = project
        .warnings
        .iter()
        .filter(|w| !w.ends_with("see envlens sets"))
        .map(|w| format!("envlens: warning: {w}"))
        .collect();
    let text = match args.format {
        SetsFormat::Text => text(&project),
        SetsFormat::Json => {
            let mut text = serde_json::to_string_pretty(&report(&project))
                .map_err(|e| CliError::new(format!("cannot write the JSON: {e}")))?;
            text.push('\n');
            text
        }
    };
    out.write_all(text.as_bytes()).map_err(|e| CliError::output(&e))?;
    Ok(Outcome { code: 0, messages })
}

/// The local layers of a set, (env, path); env "" is every env.
fn locals<'p>(project: &'p Project, set: &LoadedSet) -> Vec<(&'p str, &'p str)> {
    project
        .locals
        .iter()
        .filter(|(name, _)| *name == set.name)
        .flat_map(|(_, files)| files.iter().map(|f| (f.env.as_str(), f.rel_path.as_str())))
        .collect()
}

/// A file of a set as listed: its path, and its section when the set
/// reads one section of it (§10).
fn listed(file: &ConfigFile) -> String {
    match &file.mount {
        Mount::Section { path, .. } if path.starts_with('[') => format!("{} {path}", file.rel_path),
        Mount::Section { path, .. } => format!("{} [{path}]", file.rel_path),
        Mount::Whole | Mount::Under(_) => file.rel_path.clone(),
    }
}

/// The files of a set by what they are, in the order they apply:
/// (`base`|`env`|`source`|`after`, env, file).
fn rows(set: &LoadedSet) -> Vec<(&'static str, &str, &ConfigFile)> {
    let mut rows: Vec<(&'static str, &str, &ConfigFile)> = Vec::new();
    let layers = |role: Role| set.layers.iter().filter(move |l| l.role == role);
    rows.extend(set.base.iter().map(|b| ("base", "", &b.file)));
    rows.extend(layers(Role::Base).map(|l| ("base", "", &l.file.file)));
    for env in &set.envs {
        let what = if env.is_source() { "source" } else { "env" };
        rows.push((what, env.file.env.as_str(), &env.file));
        let own = layers(Role::Env).filter(|l| l.file.file.env == env.file.env);
        rows.extend(own.map(|l| ("env", env.file.env.as_str(), &l.file.file)));
    }
    rows.extend(layers(Role::After).map(|l| ("after", "", &l.file.file)));
    rows
}

/// The JSON report.
pub fn report(project: &Project) -> J {
    let sets: Vec<J> = project
        .sets
        .iter()
        .map(|set| {
            let rows = rows(set);
            let of = |what: &str| -> Vec<J> {
                rows.iter()
                    .filter(|(w, _, _)| *w == what)
                    .map(|(_, env, file)| {
                        let mut entry = json!({"env": env, "file": file.rel_path});
                        if let Mount::Section { path, .. } = &file.mount {
                            entry["section"] = J::from(path.as_str());
                        }
                        entry
                    })
                    .collect()
            };
            let paths = |what: &str| -> Vec<J> {
                rows.iter()
                    .filter(|(w, _, _)| *w == what)
                    .map(|(_, _, file)| J::from(listed(file)))
                    .collect()
            };
            // A source's "file" is what it reads (`ssm:/api/prod/`), as in
            // `diff`'s files; never its address, which may hold user-info.
            let sources: Vec<J> = set
                .envs
                .iter()
                .filter_map(|f| {
                    let column = f.source.as_ref()?;
                    Some(json!({"env": f.file.env, "kind": column.kind.as_str(),
                                "file": f.file.rel_path}))
                })
                .collect();
            let locals: Vec<J> = locals(project, set)
                .into_iter()
                .map(|(env, file)| json!({"env": (!env.is_empty()).then_some(env), "file": file}))
                .collect();
            json!({
                "name": set.name,
                "layout": set.layout,
                "rule": set.rule,
                "merge": set.merge.name(),
                "base": paths("base"),
                "envs": of("env"),
                "after": paths("after"),
                "locals": locals,
                "sources": sources,
            })
        })
        .collect();
    let unmatched: Vec<J> =
        project.unmatched.iter().map(|u| json!({"file": u.rel_path, "reason": u.reason})).collect();
    json!({"sets": sets, "unmatched": unmatched})
}

/// The text report: a block per set, then the unmatched files.
pub fn text(project: &Project) -> String {
    let mut text = String::new();
    for set in &project.sets {
        let _ = writeln!(text, "{}  {} · merge {}", set.name, set.rule, set.merge.name());
        let mut rows: Vec<(&str, String, String)> = rows(set)
            .into_iter()
            .map(|(what, env, file)| (what, env.to_owned(), listed(file)))
            .collect();
        for (env, file) in locals(project, set) {
            let of = if env.is_empty() { "every env".to_owned() } else { env.to_owned() };
            rows.push(("local", of, file.to_owned()));
        }
        let width = rows.iter().map(|(_, env, _)| env.chars().count()).max().unwrap_or(0);
        for (what, env, file) in rows {
            let _ = writeln!(text, "  {what:<6} {env:<width$}  {file}");
        }
    }
    if project.sets.is_empty() {
        text.push_str("no config sets\n");
    }
    if !project.unmatched.is_empty() {
        let count = crate::core::layout::unmatched_phrase(project.unmatched.len());
        let _ = writeln!(text, "\n{count}:");
        for file in &project.unmatched {
            let _ = writeln!(text, "  {}  {}", file.rel_path, file.reason);
        }
    }
    text
}
