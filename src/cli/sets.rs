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
use crate::core::project::{LoadedFile, LoadedSet, Project};

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

/// The JSON report.
pub fn report(project: &Project) -> J {
    let sets: Vec<J> = project
        .sets
        .iter()
        .map(|set| {
            let entry = |f: &LoadedFile| json!({"env": f.file.env, "file": f.file.rel_path});
            let envs: Vec<J> = set.envs.iter().filter(|f| !f.is_source()).map(entry).collect();
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
                "base": set.base.iter().map(|b| b.file.rel_path.as_str()).collect::<Vec<_>>(),
                "envs": envs,
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
        let mut rows: Vec<(&str, String, &str)> = Vec::new();
        if let Some(base) = &set.base {
            rows.push(("base", String::new(), base.file.rel_path.as_str()));
        }
        for env in &set.envs {
            let what = if env.is_source() { "source" } else { "env" };
            rows.push((what, env.file.env.clone(), env.file.rel_path.as_str()));
        }
        for (env, file) in locals(project, set) {
            let of = if env.is_empty() { "every env".to_owned() } else { env.to_owned() };
            rows.push(("local", of, file));
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
