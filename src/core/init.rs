//! `envlens init ENV` (§7): the file of a new env of a set, made from a
//! reference env's own file (default: the set's first env) and the set's
//! schema. Non-secret values are copied with their comments; every secret
//! is replaced by a `${NAME}` reference (a URL keeps all but its password);
//! keys that no env has but the schema gives a default are added with it.
//! This module decides the text and writes nothing: the caller refuses to
//! overwrite a file.

mod defaults;
mod naming;

use super::edit::{self, Step};
use super::leaf::{Value, Written};
use super::project::{LoadedFile, LoadedSet, Project};
use super::secret::{self, SecretReason};
use super::source;

/// What an init of one set would write.
#[derive(Clone)]
pub struct NewEnvFile {
    pub set: String,
    pub env: String,
    /// The reference env the values come from.
    pub from: String,
    /// Relative to the project root, with `/`.
    pub rel_path: String,
    /// The reference file's path, for its permissions.
    pub from_rel_path: String,
    pub bytes: Vec<u8>,
    /// Keys whose secret value became a reference, with the new value (no
    /// secret in it: `${DB_PASSWORD}`, `postgres://app:${…}@db/app`).
    pub references: Vec<(String, String)>,
    /// Keys added with the schema's default.
    pub defaults: Vec<String>,
    /// Schema defaults that could not be added, each with why.
    pub skipped: Vec<String>,
}

/// Never prints the bytes (they are the new file's text).
impl std::fmt::Debug for NewEnvFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewEnvFile")
            .field("rel_path", &self.rel_path)
            .field("from", &self.from)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .finish_non_exhaustive()
    }
}

/// Why there is nothing to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitError {
    pub kind: InitErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitErrorKind {
    /// The env or its file exists already (§7: exit 1).
    Refused,
    /// The set has no env named by `--from`.
    NoReference,
    /// Anything else (exit 2).
    Error,
}

impl InitError {
    fn refused(message: String, hint: Option<String>) -> Self {
        Self { kind: InitErrorKind::Refused, message, hint }
    }

    fn error(message: String, hint: Option<String>) -> Self {
        Self { kind: InitErrorKind::Error, message, hint }
    }
}

/// Plans the file of env `env` in `set`, from env `from` (default: the first).
pub fn plan(
    project: &Project,
    set: &LoadedSet,
    env: &str,
    from: Option<&str>,
) -> Result<NewEnvFile, InitError> {
    naming::check_env_name(env)?;
    if let Some(have) = set.envs.iter().find(|f| f.file.env == env) {
        return Err(InitError::refused(
            format!("{} already has env `{env}` ({})", set.name, have.file.rel_path),
            Some("edit that file, or choose another env name".to_owned()),
        ));
    }
    let reference = reference_env(set, from)?;
    let rel_path = naming::new_file_name(&reference.file, env).ok_or_else(|| {
        InitError::error(
            format!("cannot tell how {} names a new env", reference.file.rel_path),
            Some("create the file by hand beside the others".to_owned()),
        )
    })?;
    if std::fs::symlink_metadata(project.root.join(&rel_path)).is_ok() {
        return Err(InitError::refused(
            format!("{rel_path} already exists; envlens init never overwrites a file"),
            Some(format!("remove or rename {rel_path} first, or edit it")),
        ));
    }
    let (bom, text) = reference_text(project, reference)?;
    let (steps, references) = secret_steps(set, reference);
    let mut derived = edit::derive(reference.file.format, &text, &steps).map_err(|why| {
        InitError::error(
            format!("cannot replace a secret of {}: {why}", reference.file.rel_path),
            Some("nothing was written; write the new file by hand".to_owned()),
        )
    })?;
    let (defaults, skipped) = defaults::add(set, reference.file.format, &mut derived);
    let mut bytes = bom;
    bytes.extend_from_slice(derived.as_bytes());
    Ok(NewEnvFile {
        set: set.name.clone(),
        env: env.to_owned(),
        from: reference.file.env.clone(),
        rel_path,
        from_rel_path: reference.file.rel_path.clone(),
        bytes,
        references,
        defaults,
        skipped,
    })
}

fn reference_env<'s>(set: &'s LoadedSet, from: Option<&str>) -> Result<&'s LoadedFile, InitError> {
    let names = || set.env_names().join(", ");
    let reference = match from {
        Some(name) => set.envs.iter().find(|f| f.file.env == name).ok_or_else(|| InitError {
            kind: InitErrorKind::NoReference,
            message: format!("{} has no env `{name}`", set.name),
            hint: Some(format!("envs of {}: {}", set.name, names())),
        })?,
        None => set.envs.first().ok_or_else(|| {
            InitError::error(format!("{} has no env to start from", set.name), None)
        })?,
    };
    if let Some(err) = &reference.error {
        return Err(InitError::error(
            format!("the reference env `{}` does not load: {}", reference.file.env, err.message),
            Some(format!("fix {} or choose another env with --from", reference.file.rel_path)),
        ));
    }
    Ok(reference)
}

/// The reference file's BOM and text, as they are on disk now.
fn reference_text(
    project: &Project,
    reference: &LoadedFile,
) -> Result<(Vec<u8>, String), InitError> {
    let rel = &reference.file.rel_path;
    let bytes = std::fs::read(project.root.join(rel))
        .map_err(|e| InitError::error(format!("cannot read {rel}: {e}"), None))?;
    if !reference.fingerprint.is_some_and(|f| f.matches(&bytes)) {
        return Err(InitError::error(
            format!("{rel} changed while envlens read it"),
            Some("run envlens init again".to_owned()),
        ));
    }
    let (text, bom) = source::decode(&bytes)
        .map_err(|e| InitError::error(format!("{rel}: {}", e.message), None))?;
    Ok((bytes[..bom].to_vec(), text.to_owned()))
}

/// A reference for every secret written in the reference file, put where
/// `diff` puts its mask: the whole value (`${DB_PASSWORD}`), a URL's
/// password (`postgres://app:${DATABASE_URL_PASSWORD}@db/app`), a
/// connection string's password pair; a reference's secret default is
/// dropped (`${JWT_SECRET:-}`). §5's `null`, `""` and booleans show as they
/// are, and stay.
fn secret_steps(set: &LoadedSet, reference: &LoadedFile) -> (Vec<Step>, Vec<(String, String)>) {
    let mut steps = Vec::new();
    let mut references = Vec::new();
    for leaf in &reference.leaves {
        let Some(found) = set.secret(leaf) else { continue };
        if !secret::is_masked(&leaf.value, Some(found)) {
            continue;
        }
        let key = set.path(leaf).to_owned();
        let shown = secret::display(&leaf.value, Some(found), false);
        // A reference masks only its default: dropping the mask keeps the
        // reference. An expression's mask sits in its text: replaced.
        let text = if leaf.written == Written::Text && leaf.is_reference() {
            shown.replace(secret::MASK, "")
        } else {
            with_references(&shown, &super::check::variable_name(&key), found.reason)
        };
        references.push((key.clone(), text.clone()));
        steps.push(Step::Replace { key, value: Value::String(text.into()) });
    }
    (steps, references)
}

/// Each mask in `shown` replaced by a reference named after the key.
fn with_references(shown: &str, name: &str, reason: SecretReason) -> String {
    let pieces: Vec<&str> = shown.split(secret::MASK).collect();
    let mut text = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        text.push_str(piece);
        if i + 1 < pieces.len() {
            let var = match (i, reason) {
                (0, SecretReason::UrlPassword) => format!("{name}_PASSWORD"),
                (0, _) => name.to_owned(),
                (n, _) => format!("{name}_{}", n + 1),
            };
            text.push_str("${");
            text.push_str(&var);
            text.push('}');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_become_references() {
        let mask = secret::MASK;
        assert_eq!(with_references(mask, "DB_PASSWORD", SecretReason::Name), "${DB_PASSWORD}");
        assert_eq!(
            with_references(
                &format!("postgres://app:{mask}@db/app"),
                "DATABASE_URL",
                SecretReason::UrlPassword
            ),
            "postgres://app:${DATABASE_URL_PASSWORD}@db/app"
        );
        assert_eq!(
            with_references(
                &format!("Server=db;Password={mask};Token={mask}"),
                "CONN",
                SecretReason::ConnectionString
            ),
            "Server=db;Password=${CONN};Token=${CONN_2}"
        );
    }
}
