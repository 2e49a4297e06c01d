//! MLflow file stores (`mlruns/`): `<experiment>/<run>/meta.yaml` names a
//! run (`run_name`, else the `mlflow.runName` tag) and its start time, and
//! `params/<key>` holds one param per file. Each active run is an env
//! `run:<name>` (a second run of one name gets `run:<name>:<run id>`), or
//! with `runs = "latest"` only the newest run of each name. Params are
//! text: typed as YAML 1.2 plain scalars (`0.01` a float, `true` a bool).

use std::path::Path;

use super::{Entry, SourceError, path_of_dotted};
use crate::core::parse::yaml;

/// One run read from the store.
#[derive(Debug)]
struct Run {
    name: String,
    id: String,
    start: u64,
    params: Vec<Entry>,
}

/// The runs of the store at `dir` as (env, entries), oldest first.
pub fn runs(dir: &Path, latest: bool) -> Result<Vec<(String, Vec<Entry>)>, SourceError> {
    let experiments = std::fs::read_dir(dir).map_err(|err| {
        SourceError::new(format!("{}: not an MLflow file store ({})", dir.display(), err.kind()))
    })?;
    let mut runs = Vec::new();
    for experiment in experiments.flatten() {
        let path = experiment.path();
        let name = experiment.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "models" || !path.join("meta.yaml").is_file() {
            continue;
        }
        if meta_field(&path.join("meta.yaml"), "lifecycle_stage").as_deref() == Some("deleted") {
            continue;
        }
        for run in std::fs::read_dir(&path).into_iter().flatten().flatten() {
            if let Some(run) = read_run(&run.path()) {
                runs.push(run);
            }
        }
    }
    runs.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    if latest {
        let mut kept: Vec<Run> = Vec::new();
        for run in runs {
            match kept.iter_mut().find(|k| k.name == run.name) {
                Some(older) => *older = run,
                None => kept.push(run),
            }
        }
        runs = kept;
    }
    Ok(name_envs(runs))
}

/// `run:<name>`, or `run:<name>:<id>` for the runs of a repeated name.
fn name_envs(runs: Vec<Run>) -> Vec<(String, Vec<Entry>)> {
    let names: Vec<String> = runs.iter().map(|r| r.name.clone()).collect();
    runs.into_iter()
        .map(|run| {
            let repeated = names.iter().filter(|n| **n == run.name).count() > 1;
            let env = if repeated {
                format!("run:{}:{}", run.name, run.id.get(..8).unwrap_or(&run.id))
            } else {
                format!("run:{}", run.name)
            };
            (env, run.params)
        })
        .collect()
}

fn read_run(dir: &Path) -> Option<Run> {
    let meta = dir.join("meta.yaml");
    if !meta.is_file() {
        return None;
    }
    let text = std::fs::read_to_string(&meta).ok()?;
    let field = |name: &str| field_of(&text, name);
    if field("lifecycle_stage").as_deref() == Some("deleted") {
        return None;
    }
    let id = field("run_id").or_else(|| field("run_uuid"))?;
    let name = field("run_name")
        .filter(|n| !n.is_empty())
        .or_else(|| std::fs::read_to_string(dir.join("tags/mlflow.runName")).ok())
        .map_or_else(|| id.clone(), |n| n.trim().to_owned());
    let start = field("start_time").and_then(|t| t.parse().ok()).unwrap_or(0);
    let mut params = Vec::new();
    collect_params(&dir.join("params"), "", &mut params);
    params.sort_by(|a, b| a.path.cmp(&b.path));
    Some(Run { name, id, start, params })
}

/// Every param file below `dir` (a param name may hold `/`).
fn collect_params(dir: &Path, prefix: &str, out: &mut Vec<Entry>) {
    for file in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = format!("{prefix}{}", file.file_name().to_string_lossy());
        let path = file.path();
        if path.is_dir() {
            collect_params(&path, &format!("{name}/"), out);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            let key = path_of_dotted(&name);
            if !key.is_empty() {
                out.push(Entry {
                    path: key,
                    value: yaml::plain_scalar(text.trim()),
                    secret: false,
                });
            }
        }
    }
}

fn meta_field(path: &Path, name: &str) -> Option<String> {
    field_of(&std::fs::read_to_string(path).ok()?, name)
}

/// A top-level `name: value` line of a `meta.yaml`, unquoted.
fn field_of(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(name)?.strip_prefix(':')?;
        let value = rest.trim().trim_matches(['\'', '"']);
        Some(value.to_owned())
    })
}
