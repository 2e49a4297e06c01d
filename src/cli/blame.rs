//! `envlens blame KEY [PATH] --env ENV [--set NAME]` (§7, §13): the commits
//! that changed one key's effective value in one env, newest first, with
//! old → new masked as every other output masks (the key's rules judge
//! each value, so a secret stays hidden whatever it read then). Exit 0
//! with changes, 1 when the key never existed there, 2 an error.

use std::fmt::Write as _;
use std::io::Write;

use super::error::CliError;
use super::get::pick_set;
use super::{Outcome, load_project};
use crate::args::{BlameArgs, CommonArgs, SetsFormat};
use crate::core::leaf::Value;
use crate::core::project::LoadedSet;
use crate::core::revision::history::{self, Change, Layer, Query, State};
use crate::core::revision::{self, RevisionError};
use crate::core::secret;

pub fn run(
    args: &BlameArgs,
    common: &CommonArgs,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let key = super::key_argument(&args.key)?;
    let root = args.path.clone().unwrap_or_else(|| ".".into());
    let project = load_project(&root, common)?;
    let set = pick_set(&project, args.set.as_deref())?;
    let env =
        set.envs.iter().find(|f| f.file.env == args.env && !f.is_source()).ok_or_else(|| {
            CliError::new(format!("no env named `{}` in `{}`", args.env, set.name)).hint(format!(
                "envs of `{}`: {}",
                set.name,
                set.env_names().join(", ")
            ))
        })?;
    let repo = revision::open_repository(&root).map_err(from_revision)?;
    let prefix = revision::prefix_of(&repo, &root).map_err(from_revision)?;
    let in_repo =
        |rel: &str| if prefix.is_empty() { rel.to_owned() } else { format!("{prefix}/{rel}") };
    let layers = set
        .base
        .iter()
        .chain(std::iter::once(env))
        .map(|f| Layer { repo_path: in_repo(&f.file.rel_path), format: f.file.format })
        .collect();
    let query = Query { layers, merge: set.merge, key };
    let start = common.rev.as_deref().unwrap_or("HEAD");
    let changes = history::blame(&repo, start, &query).map_err(from_revision)?;
    let text = match args.format {
        SetsFormat::Text => text(set, key, &changes, args.reveal),
        SetsFormat::Json => json(set, &args.env, key, &changes, args.reveal)?,
    };
    out.write_all(text.as_bytes()).map_err(|e| CliError::output(&e))?;
    if changes.is_empty() {
        return Ok(Outcome {
            code: 1,
            messages: vec![
                format!("envlens: `{key}` never had a value in {} of `{}` since {start}", args.env, set.name),
                "  hint: `envlens diff --all` lists the keys; a key of a file git does not track has no history".to_owned(),
            ],
        });
    }
    Ok(Outcome { code: 0, messages: Vec::new() })
}

fn from_revision(err: RevisionError) -> CliError {
    CliError { message: err.message, hint: err.hint, broken_pipe: false }
}

/// A state as printed: the value masked unless revealed, `—` for absent.
fn shown(set: &LoadedSet, key: &str, state: &State, reveal: bool) -> String {
    match state {
        State::Value(None) => "—".to_owned(),
        State::Value(Some(value)) => one_line(&display(set, key, value, reveal)),
        State::Broken(_) => "(did not parse)".to_owned(),
    }
}

fn display(set: &LoadedSet, key: &str, value: &Value, reveal: bool) -> String {
    let found = set.key_rules(key).classify(value);
    secret::display(value, found, reveal)
}

fn one_line(text: &str) -> String {
    text.replace("\r\n", "↵").replace(['\n', '\r'], "↵")
}

fn text(set: &LoadedSet, key: &str, changes: &[Change], reveal: bool) -> String {
    let authors = changes.iter().map(|c| c.commit.author.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for change in changes {
        let c = &change.commit;
        let _ = writeln!(
            out,
            "{}  {}  {:authors$}  {} → {}  {}",
            c.short_id,
            date(c.time, c.offset_seconds),
            c.author,
            shown(set, key, &change.old, reveal),
            shown(set, key, &change.new, reveal),
            c.summary,
        );
    }
    out
}

fn json(
    set: &LoadedSet,
    env: &str,
    key: &str,
    changes: &[Change],
    reveal: bool,
) -> Result<String, CliError> {
    let state = |state: &State| match state {
        State::Value(None) => serde_json::Value::Null,
        State::Value(Some(value)) => {
            let found = set.key_rules(key).classify(value);
            serde_json::json!({
                "value": secret::display_json(value, found, reveal),
                "type": value.value_type().as_str(),
                "secret": found.is_some(),
            })
        }
        State::Broken(message) => serde_json::json!({"error": message}),
    };
    let list: Vec<serde_json::Value> = changes
        .iter()
        .map(|change| {
            let c = &change.commit;
            serde_json::json!({
                "commit": c.id,
                "short": c.short_id,
                "date": date(c.time, c.offset_seconds),
                "time": c.time,
                "author": c.author,
                "summary": c.summary,
                "file": change.path,
                "old": state(&change.old),
                "new": state(&change.new),
            })
        })
        .collect();
    let doc = serde_json::json!({"set": set.name, "env": env, "key": key, "changes": list});
    let mut text = serde_json::to_string_pretty(&doc)
        .map_err(|e| CliError::new(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// `YYYY-MM-DD` of a commit time in its own offset (as `git log --date=short`).
fn date(seconds: i64, offset: i32) -> String {
    let days = (seconds + i64::from(offset)).div_euclid(86_400);
    // Days to a civil date (proleptic Gregorian), after H. Hinnant.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::date;

    #[test]
    fn dates_in_their_own_offset() {
        assert_eq!(date(0, 0), "1970-01-01");
        assert_eq!(date(1_767_225_600, 0), "2026-01-01");
        assert_eq!(date(1_767_225_600 - 1, 0), "2025-12-31");
        assert_eq!(date(1_767_225_600 - 1, 3_600), "2026-01-01");
        assert_eq!(date(951_782_400, 0), "2000-02-29");
    }
}
