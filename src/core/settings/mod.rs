//! Project settings, `.envlens.toml` at the project root (§8): env order,
//! extra file-name patterns, extra secret keys, schema locations, ignored
//! paths and the drift policy. Every key and type is checked against the
//! spanned TOML tree, so a mistake is an error naming the file, the line and
//! the key, with a hint; nothing falls back to a default silently.

mod flags;
mod lists;
mod read;
mod scoped;
mod sets;
mod sources;

pub use flags::{FlagPolicy, ReferencePolicy};
pub use scoped::{
    Scoped, ScopedDiscovery, discover, drift_for, flags_for, lists_for, read_nested,
    references_for, schemas_with, secret_keys_for,
};

use std::fmt;
use std::path::Path;

use ignore::gitignore::Gitignore;
use toml::de::DeTable;

// The settings name these; discovery owns them (file names and schemas).
use self::read::{Ctx, sorted};
use super::discover::DiscoverOptions;
pub use super::discover::{NamePattern, SchemaOverride};
use super::glob::KeyGlob;
use super::layout::Preset;

/// The settings file's name, at the project root.
pub const FILE_NAME: &str = ".envlens.toml";

const TOP_KEYS: &[&str] = &[
    "env_order",
    "patterns",
    "secret_keys",
    "schema",
    "ignore",
    "drift",
    "source",
    "presets",
    "flags",
    "references",
    "lists",
    "set",
];
const DRIFT_KEYS: &[&str] = &["expected", "required", "must_differ", "must_match"];

const GLOB_HINT: &str = "key globs match key paths as printed: `*` within one segment, `**` \
                         any number of segments, `[*]` any index, e.g. \"database.*\", \
                         \"**.password\", \"servers[*].host\"";

/// The project settings; `Settings::default()` when there is no file.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The file as reached from the current folder, when there is one.
    pub file: Option<String>,
    pub env_order: Vec<String>,
    pub patterns: Vec<NamePattern>,
    pub secret_keys: Vec<KeyGlob>,
    /// Schema files named per set, in file order.
    pub schemas: Vec<SchemaOverride>,
    /// `ignore` lines (`.gitignore` syntax, relative to the root), compiled.
    pub ignore: Option<Gitignore>,
    /// `[drift]`, when the file has that table (even empty).
    pub drift: Option<DriftPolicy>,
    /// `presets` (§10): the presets that detect layouts, in claiming order.
    pub presets: Vec<Preset>,
    /// `[[source]]` tables (§13), in file order.
    pub sources: Vec<crate::core::sources::SourceDecl>,
    /// `[flags]` (§14), when the file has that table (even empty).
    pub flags: Option<FlagPolicy>,
    /// `[references]` (§14).
    pub references: ReferencePolicy,
    /// `[lists]` (§12): which fields name the items of which lists.
    pub lists: Vec<crate::core::identity::ListRule>,
    /// `[[set]]` tables (§10), in file order.
    pub sets: Vec<crate::core::layout::declared::DeclaredSet>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            file: None,
            env_order: Vec::new(),
            patterns: Vec::new(),
            secret_keys: Vec::new(),
            schemas: Vec::new(),
            ignore: None,
            drift: None,
            presets: Preset::ALL.to_vec(),
            sources: Vec::new(),
            flags: None,
            references: ReferencePolicy::default(),
            lists: Vec::new(),
            sets: Vec::new(),
        }
    }
}

/// The `[drift]` table: key globs, each list possibly empty.
#[derive(Debug, Clone, Default)]
pub struct DriftPolicy {
    pub expected: Vec<KeyGlob>,
    pub required: Vec<KeyGlob>,
    pub must_differ: Vec<KeyGlob>,
    pub must_match: Vec<KeyGlob>,
}

/// A broken settings file, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError {
    /// The file as reached from the current folder.
    pub file: String,
    pub line: u32,
    /// The key at fault (`drift.expected`), empty for a syntax error.
    pub key: String,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for SettingsError {}

impl Settings {
    /// How discovery walks under these settings.
    pub fn discover_options(&self, no_ignore: bool) -> DiscoverOptions {
        DiscoverOptions {
            no_ignore,
            env_order: self.env_order.clone(),
            patterns: self.patterns.clone(),
            ignore: self.ignore.clone(),
            secret_keys: self.secret_keys.clone(),
            schemas: self.schemas.clone(),
            presets: self.presets.clone(),
            lists: self.lists.clone(),
            local: false,
            files: super::files::Files::WorkTree,
            declared: self.sets.clone(),
        }
    }

    /// Whether a `[drift]` policy was written (drift is then an error).
    pub fn has_policy(&self) -> bool {
        self.drift.is_some()
    }
}

/// Reads `<root>/.envlens.toml`; no file gives the defaults.
pub fn load(root: &Path) -> Result<Settings, SettingsError> {
    load_from(&super::files::Files::WorkTree, root)
}

/// `load` from the working tree or a revision's tree (named in errors as
/// git names a file of a revision: `HEAD~1:.envlens.toml`).
pub fn load_from(files: &super::files::Files, root: &Path) -> Result<Settings, SettingsError> {
    let path = root.join(FILE_NAME);
    let file = match files.snapshot() {
        None => path.display().to_string(),
        Some(snapshot) if snapshot.prefix.is_empty() => format!("{}:{FILE_NAME}", snapshot.rev),
        Some(snapshot) => format!("{}:{}/{FILE_NAME}", snapshot.rev, snapshot.prefix),
    };
    if files.snapshot().is_none()
        && let Ok(meta) = std::fs::metadata(&path)
    {
        // A FIFO would block the open forever, and a huge file would be
        // read whole: both are refused before opening.
        let problem = if !meta.is_file() {
            Some("the settings file is not a regular file".to_owned())
        } else if meta.len() > super::source::MAX_FILE_BYTES {
            Some(format!("the settings file is {} bytes, over the 64 MiB limit", meta.len()))
        } else {
            None
        };
        if let Some(message) = problem {
            return Err(SettingsError {
                file,
                line: 1,
                key: String::new(),
                message,
                hint: Some("replace it with a TOML file or remove it".to_owned()),
            });
        }
    }
    let bytes = match files.read(root, FILE_NAME) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(err) => {
            return Err(SettingsError {
                file,
                line: 1,
                key: String::new(),
                message: format!("cannot read the settings file: {err}"),
                hint: Some("check the file's permissions".to_owned()),
            });
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(SettingsError {
            file,
            line: 1,
            key: String::new(),
            message: "the settings file is not valid UTF-8".to_owned(),
            hint: Some("save it as UTF-8 text".to_owned()),
        });
    };
    parse(&text, &file, root)
}

/// Reads settings text; `file` names it in errors, `root` anchors `ignore`.
pub fn parse(text: &str, file: &str, root: &Path) -> Result<Settings, SettingsError> {
    let ctx = Ctx { text, file };
    let table = DeTable::parse(text).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        ctx.error(
            span,
            "",
            format!("not valid TOML: {}", err.message().trim_end()),
            Some(
                "fix the TOML syntax on that line (strings in double quotes, arrays in [ ])"
                    .to_owned(),
            ),
        )
    })?;
    let mut settings = Settings { file: Some(file.to_owned()), ..Settings::default() };
    let mut ignore_lines = Vec::new();
    for (key, value) in sorted(table.get_ref()) {
        let name = key.get_ref().as_ref();
        match name {
            "env_order" => settings.env_order = ctx.env_order(value)?,
            "patterns" => settings.patterns = ctx.patterns(value)?,
            "secret_keys" => settings.secret_keys = ctx.globs(value, "secret_keys")?,
            "schema" => settings.schemas = ctx.schemas(value)?,
            "ignore" => ignore_lines = ctx.strings(value, "ignore", "ignore = [\"legacy/\"]")?,
            "drift" => settings.drift = Some(ctx.drift(value)?),
            "source" => settings.sources = ctx.sources(value)?,
            "presets" => settings.presets = ctx.presets(value)?,
            "flags" => settings.flags = Some(ctx.flags(value)?),
            "references" => settings.references = ctx.references(value)?,
            "lists" => settings.lists = ctx.lists(value)?,
            "set" => settings.sets = ctx.sets(value)?,
            other => return Err(ctx.unknown(key.span(), other, "", TOP_KEYS)),
        }
    }
    if !ignore_lines.is_empty() {
        settings.ignore = Some(ctx.ignore(root, &ignore_lines)?);
    }
    Ok(settings)
}

/// Levenshtein distance, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::read::closest;
    use super::*;
    use crate::core::parse::Format;

    #[test]
    fn patterns_give_set_and_format() {
        let p = NamePattern::new("settings_{env}.yaml").unwrap();
        assert_eq!((p.set_prefix.as_str(), p.format), ("settings", Format::Yaml));
        assert_eq!(p.env_of("settings_prod.yaml"), Some("prod"));
        assert_eq!(p.env_of("settings_prod.json"), None);
        let p = NamePattern::new("{env}.env").unwrap();
        assert_eq!((p.set_prefix.as_str(), p.format), ("env", Format::Dotenv));
        assert_eq!(p.env_of("dev.env"), Some("dev"));
        assert!(NamePattern::new("settings.yaml").is_err());
        assert!(NamePattern::new("{env}.xml").is_err());
        assert_eq!(NamePattern::new("{env}.ini").unwrap().format, Format::Ini);
        assert!(NamePattern::new("conf/{env}.yaml").is_err());
    }

    #[test]
    fn close_matches() {
        assert_eq!(closest("expectd", DRIFT_KEYS), Some("expected"));
        assert_eq!(closest("secret_key", TOP_KEYS), Some("secret_keys"));
        assert_eq!(closest("zzz", DRIFT_KEYS), None);
    }

    #[test]
    fn reads_a_full_file() {
        let text = "env_order = [\"dev\", \"prod\"]\nsecret_keys = [\"**.pin\"]\n\
                    [schema]\n\"svc/config\" = \"schemas/svc.json\"\n[drift]\nexpected = [\"a.*\"]\n";
        let s = parse(text, ".envlens.toml", Path::new(".")).unwrap();
        assert_eq!(s.env_order, ["dev", "prod"]);
        assert!(s.secret_keys[0].matches("x.pin"));
        assert_eq!(s.schemas[0].line, 4);
        assert!(s.drift.unwrap().expected[0].matches("a.b"));
    }
}
