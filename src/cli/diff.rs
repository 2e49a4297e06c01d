//! `envlens diff`: selects sets and envs, builds the report, prints it in
//! the chosen format and decides the exit code (§7).

use std::io::Write;
use std::path::Path;

use super::error::{CliError, name_list};
use super::output::{self, style::Painter};
use super::{Outcome, load_project_with, table_width};
use crate::args::{CommonArgs, DiffArgs, Format};
use crate::core::project::{self, Project};
use crate::core::report::{self, DiffReport, Selection};

pub fn run(args: &DiffArgs, common: &CommonArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let root = args.path.clone().unwrap_or_else(|| ".".into());
    let project = load_project_with(&root, common, args.reveal)?;
    let mut selection = select(&project, &args.sets, &args.envs, args.all, args.reveal)?;
    let past = match &args.since {
        Some(rev) => Some(open_revision(&root, common, rev)?),
        None => None,
    };
    if let Some(past) = &past {
        selection.since = Some(selection.sets.iter().map(|set| past.set(&set.name)).collect());
    }
    let mut report = report::build(root.display().to_string(), &selection);
    if past.is_some() {
        // As `git diff` does, a set where nothing changed is not printed.
        report.sets.retain(|s| !s.rows.is_empty() || !s.errors.is_empty());
    }
    let written = match args.format {
        Format::Json => output::json::write_diff(&report, out),
        Format::Markdown => out.write_all(output::markdown::diff(&report).as_bytes()),
        Format::Table => {
            let paint = Painter::for_stdout(common.color);
            out.write_all(output::table::diff(&report, table_width(args.width), paint).as_bytes())
        }
    };
    written.map_err(|e| CliError::output(&e))?;
    let outcome = outcome(&report);
    // The process ends right after: handing a large project back to the
    // allocator leaf by leaf would take longer than writing the report.
    std::mem::forget(report);
    std::mem::forget(selection);
    std::mem::forget(project);
    std::mem::forget(past);
    Ok(outcome)
}

/// The project as it was at `rev` (`--since`), read as the current one is.
pub fn open_revision(root: &Path, common: &CommonArgs, rev: &str) -> Result<Project, CliError> {
    let options = project::OpenOptions {
        no_ignore: common.no_ignore,
        no_sources: true,
        rev: Some(rev.to_owned()),
        ..project::OpenOptions::default()
    };
    project::open(root, &options).map_err(|err| CliError {
        message: format!("--since {rev}: {}", err.message),
        hint: err.hint,
        broken_pipe: false,
    })
}

/// Exit code and the lines for standard error: errors win over drift.
pub(super) fn outcome(report: &DiffReport) -> Outcome {
    let errors: Vec<String> = report
        .sets
        .iter()
        .flat_map(|s| &s.errors)
        .map(|e| format!("envlens: {}", e.located()))
        .collect();
    if !errors.is_empty() {
        return Outcome { code: 2, messages: errors };
    }
    // With --since, the keys printed are those that changed: 1 says there
    // were some, as `git diff --exit-code` does.
    let differs = if report.sets.iter().any(|s| s.since.is_some()) {
        report.has_changes()
    } else {
        report.has_drift()
    };
    Outcome { code: u8::from(differs), messages: Vec::new() }
}

/// Turns `--set` and `--envs` into the sets and env indices to show.
pub fn select<'p>(
    project: &'p Project,
    set_names: &[String],
    env_names: &[String],
    all: bool,
    reveal: bool,
) -> Result<Selection<'p>, CliError> {
    let mut sets = Vec::new();
    for name in set_names {
        let name = name.trim_end_matches('/');
        let set = project.set(name).ok_or_else(|| {
            CliError::new(format!("no config set named `{name}`")).hint(format!(
                "sets here: {}",
                name_list(project.sets.iter().map(|s| s.name.as_str()), 8)
            ))
        })?;
        if !sets.iter().any(|s: &&_| std::ptr::eq(*s, set)) {
            sets.push(set);
        }
    }
    if set_names.is_empty() {
        sets = project.sets.iter().collect();
    }
    for env in env_names {
        if !sets.iter().any(|s| s.envs.iter().any(|f| &f.file.env == env)) {
            let mut known: Vec<&str> = sets.iter().flat_map(|s| s.env_names()).collect();
            known.sort_unstable();
            known.dedup();
            return Err(CliError::new(format!("no env named `{env}`"))
                .hint(format!("envs here: {}", name_list(known, 12))));
        }
    }
    let envs = sets
        .iter()
        .map(|set| {
            (0..set.envs.len())
                .filter(|&i| env_names.is_empty() || env_names.contains(&set.envs[i].file.env))
                .collect()
        })
        .collect();
    Ok(Selection { sets, envs, all, reveal, since: None })
}
