//! `envlens set KEY VALUE`: one edit through the core's plan and safe
//! write (§7). Exit 0 written, 1 refused (nothing written, the reason as
//! `envlens: refused: …`), 2 error. A value that lives in an anchor, a
//! merge or the base file is refused with where it lives: the command line
//! cannot ask where to write, so it never guesses. A key that no env of
//! the set has is refused as a likely typo, with the closest key, unless
//! `--new` says it is meant.

use std::io::Write;

use super::error::CliError;
use super::{Outcome, get, load_project};
use crate::args::{CommonArgs, SetArgs, ValueTypeArg};
use crate::core::edit::{self, EditRequest, Refusal, RefusalKind};
use crate::core::leaf::ValueType;
use crate::core::project::Project;
use crate::core::validate;

pub fn run(args: &SetArgs, common: &CommonArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    super::key_argument(&args.key)?;
    let root = args.path.clone().unwrap_or_else(|| ".".into());
    let project = load_project(&root, common)?;
    if !args.new
        && let Some(outcome) = unknown_key(&project, args)
    {
        return Ok(outcome);
    }
    let request = EditRequest {
        set: args.set.as_deref(),
        env: &args.env,
        key: &args.key,
        input: &args.value,
        forced_type: args.value_type.map(value_type),
        ..EditRequest::default()
    };
    match edit::plan(&project, &request).and_then(|plan| edit::apply(&plan)) {
        Ok(applied) => {
            writeln!(out, "{}", applied.plan.summary).map_err(|e| CliError::output(&e))?;
            Ok(Outcome { code: 0, messages: Vec::new() })
        }
        Err(refusal) if refusal.is_error() => {
            let hint = refusal.hint.clone();
            let error = CliError::new(refusal.reason);
            Err(match hint {
                Some(hint) => error.hint(hint),
                None => error,
            })
        }
        Err(refusal) => Ok(refused(&refusal, args)),
    }
}

/// A key that no file of the set has, leaf or mapping, is most likely a
/// typo: refused (exit 1) with the closest key, unless `--new` says it is
/// meant. A set or env that cannot be picked is left to the core to refuse.
fn unknown_key(project: &Project, args: &SetArgs) -> Option<Outcome> {
    let set = get::pick_set(project, args.set.as_deref()).ok()?;
    if !set.envs.iter().any(|f| f.file.env == args.env) {
        return None;
    }
    let key = args.key.trim();
    let paths: Vec<&str> = set.files().flat_map(|f| &f.leaves).map(|l| set.path(l)).collect();
    let known = paths.iter().any(|p| {
        p.strip_prefix(key).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    });
    if known {
        return None;
    }
    let mut messages = vec![format!(
        "envlens: refused: no env of `{}` has the key `{key}`; nothing was written",
        set.name
    )];
    messages.push(match get::closest(key, &paths) {
        Some(close) => format!("  hint: did you mean `{close}`? (--new adds `{key}` as a new key)"),
        None => format!("  hint: add --new to add `{key}` as a new key"),
    });
    Some(Outcome { code: 1, messages })
}

fn refused(refusal: &Refusal, args: &SetArgs) -> Outcome {
    let mut messages = vec![format!("envlens: refused: {}", refusal.reason)];
    // The core names no flag: how to say more on this command line is ours.
    let hint = match &refusal.kind {
        RefusalKind::WrongType { .. } if args.value_type.is_none() => Some(type_hint(args)),
        RefusalKind::WhichSet { sets } => {
            Some(format!("give --set NAME, one of: {}", sets.join(", ")))
        }
        _ => refusal.hint.clone(),
    };
    if let Some(hint) = hint {
        messages.push(format!("  hint: {hint}"));
    }
    Outcome { code: 1, messages }
}

/// How to change the type on purpose, with the type the value reads as.
fn type_hint(args: &SetArgs) -> String {
    let suggested = match validate::infer_type(&args.value) {
        ValueType::Int => "int",
        ValueType::Float => "float",
        ValueType::Bool => "bool",
        ValueType::Null => "null",
        _ => "string",
    };
    format!("to change the type of `{}` on purpose, add --type {suggested}", args.key)
}

fn value_type(arg: ValueTypeArg) -> ValueType {
    match arg {
        ValueTypeArg::String => ValueType::String,
        ValueTypeArg::Int => ValueType::Int,
        ValueTypeArg::Float => ValueType::Float,
        ValueTypeArg::Bool => ValueType::Bool,
        ValueTypeArg::Null => ValueType::Null,
    }
}
