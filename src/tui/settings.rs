//! User settings of the interactive view: `config.toml` in the platform
//! config folder for `envlens` (or the file `ENVLENS_CONFIG` names), with
//! `[keys]`, `[theme]` and `reveal_timeout_seconds`, laid over the defaults
//! embedded from `assets/`. Anything the file gets wrong is an error naming
//! the file, the line and the key, never a silent fallback to a default.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use toml_edit::{Item, TableLike};

use super::action::Action;
use super::keymap::{Keymap, parse_sequence};
use super::theme::{Slot, Theme, parse_color};

const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");
const DEFAULT_THEME: &str = include_str!("../../assets/theme.toml");
/// Names the settings file explicitly (tests use it so a developer's own
/// file never interferes).
pub const CONFIG_ENV: &str = "ENVLENS_CONFIG";
/// How long a revealed secret stays visible unless the settings say.
const DEFAULT_REVEAL: Duration = Duration::from_secs(30);

/// A settings file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSettingsError {
    /// `file:line: what`.
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for UserSettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserSettingsError {}

/// Keys, colours and the reveal timeout in force.
#[derive(Debug, Clone)]
pub struct Settings {
    pub keymap: Keymap,
    pub theme: Theme,
    /// `None`: a revealed secret stays until hidden with `v`.
    pub reveal_timeout: Option<Duration>,
}

impl Settings {
    /// The embedded defaults.
    pub fn defaults() -> Result<Self, UserSettingsError> {
        let mut settings = Self {
            keymap: Keymap::default(),
            theme: Theme::default(),
            reveal_timeout: Some(DEFAULT_REVEAL),
        };
        settings.apply(DEFAULT_KEYMAP, "assets/keymap.toml")?;
        settings.apply(DEFAULT_THEME, "assets/theme.toml")?;
        Ok(settings)
    }

    /// The defaults with the user's file on top, if there is one.
    pub fn load() -> Result<Self, UserSettingsError> {
        let mut settings = Self::defaults()?;
        let Some((path, named)) = user_file() else { return Ok(settings) };
        let shown = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => settings.apply(&text, &shown)?,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound && !named => {}
            Err(err) => {
                return Err(UserSettingsError {
                    message: format!("{shown}: cannot read the settings file: {err}"),
                    hint: named.then(|| format!("{CONFIG_ENV} names this file")),
                });
            }
        }
        Ok(settings)
    }

    /// Lays the settings written in `text` over these; `file` names it in
    /// errors.
    pub fn apply(&mut self, text: &str, file: &str) -> Result<(), UserSettingsError> {
        let at = |span: Option<std::ops::Range<usize>>| Place { text, file, span };
        let doc = toml_edit::Document::parse(text).map_err(|e| {
            at(e.span()).error(format!("not valid TOML: {}", e.message().trim_end()), None)
        })?;
        let root = doc.as_table();
        for (name, item) in root {
            let key_span = root.key(name).and_then(toml_edit::Key::span);
            match name {
                "keys" => self.apply_keys(table(item, name, &at(key_span))?, &at)?,
                "theme" => self.apply_theme(table(item, name, &at(key_span))?, &at)?,
                "reveal_timeout_seconds" => {
                    let seconds = item.as_integer().and_then(|s| u64::try_from(s).ok());
                    let Some(seconds) = seconds else {
                        return Err(at(key_span).error(
                            "reveal_timeout_seconds must be a whole number of seconds, 0 or more",
                            Some("0 keeps a revealed secret until `v` hides it".into()),
                        ));
                    };
                    self.reveal_timeout = (seconds > 0).then(|| Duration::from_secs(seconds));
                }
                other => {
                    return Err(at(key_span).error(
                        format!("unknown setting `{other}`"),
                        Some("the settings are [keys], [theme] and reveal_timeout_seconds".into()),
                    ));
                }
            }
        }
        Ok(())
    }

    fn apply_keys<'t>(
        &mut self,
        keys: &dyn TableLike,
        at: &dyn Fn(Option<std::ops::Range<usize>>) -> Place<'t>,
    ) -> Result<(), UserSettingsError> {
        for (name, item) in keys.iter() {
            let here = at(keys.key(name).and_then(toml_edit::Key::span));
            let action = Action::from_name(name).ok_or_else(|| {
                let names: Vec<String> = Action::BINDABLE.iter().map(Action::name).collect();
                here.error(
                    format!("unknown action `{name}` in [keys]"),
                    Some(format!("actions: {}", names.join(", "))),
                )
            })?;
            let texts: Vec<(&str, Option<std::ops::Range<usize>>)> = match item {
                Item::Value(toml_edit::Value::String(s)) => vec![(s.value().as_str(), s.span())],
                Item::Value(toml_edit::Value::Array(list)) => list
                    .iter()
                    .map(|v| v.as_str().map(|s| (s, v.span())))
                    .collect::<Option<_>>()
                    .ok_or_else(|| key_shape_error(&here, name))?,
                _ => return Err(key_shape_error(&here, name)),
            };
            let mut sequences = Vec::new();
            for (text, span) in texts {
                let seq = parse_sequence(text).ok_or_else(|| {
                    at(span.or(here.span.clone())).error(
                        format!("keys.{name}: `{text}` is not a key"),
                        Some(
                            "write a character (\"q\"), a name (\"pgdn\", \"shift-tab\", \
                             \"ctrl-c\") or keys separated by spaces (\"z o\")"
                                .into(),
                        ),
                    )
                })?;
                sequences.push(seq);
            }
            self.keymap.bind(&action, sequences);
        }
        Ok(())
    }

    fn apply_theme<'t>(
        &mut self,
        theme: &dyn TableLike,
        at: &dyn Fn(Option<std::ops::Range<usize>>) -> Place<'t>,
    ) -> Result<(), UserSettingsError> {
        for (name, item) in theme.iter() {
            let here = at(theme.key(name).and_then(toml_edit::Key::span));
            let slot = Slot::from_name(name).ok_or_else(|| {
                let names: Vec<&str> = Slot::ALL.iter().map(|s| s.name()).collect();
                here.error(
                    format!("unknown colour role `{name}` in [theme]"),
                    Some(format!("roles: {}", names.join(", "))),
                )
            })?;
            let text = item.as_str().unwrap_or_default();
            let color = parse_color(text).filter(|_| item.is_str()).ok_or_else(|| {
                let raw = item.span().and_then(|span| here.text.get(span)).unwrap_or_default();
                let shown = if item.is_str() { text } else { raw };
                here.error(
                    format!("theme.{name}: `{}` is not a colour", shown.trim()),
                    Some(
                        "use a name (\"yellow\", \"dark_gray\"), \"#rrggbb\", a number 0-255 \
                         or \"default\", in quotes"
                            .into(),
                    ),
                )
            })?;
            self.theme.set(slot, color);
        }
        Ok(())
    }
}

/// A place in a settings file, for an error message.
#[derive(Debug, Clone)]
pub struct Place<'t> {
    text: &'t str,
    file: &'t str,
    span: Option<std::ops::Range<usize>>,
}

impl Place<'_> {
    fn error(&self, what: impl fmt::Display, hint: Option<String>) -> UserSettingsError {
        let message = match &self.span {
            Some(span) => {
                let end = span.start.min(self.text.len());
                let line = self.text.as_bytes()[..end].split(|&b| b == b'\n').count();
                format!("{}:{line}: {what}", self.file)
            }
            None => format!("{}: {what}", self.file),
        };
        UserSettingsError { message, hint }
    }
}

fn table<'i>(
    item: &'i Item,
    name: &str,
    at: &Place<'_>,
) -> Result<&'i dyn TableLike, UserSettingsError> {
    item.as_table_like()
        .ok_or_else(|| at.error(format!("`{name}` must be a table ([{name}])"), None))
}

fn key_shape_error(at: &Place<'_>, name: &str) -> UserSettingsError {
    at.error(
        format!("keys.{name} must be a key or a list of keys, like \"q\" or [\"q\", \"ctrl-c\"]"),
        None,
    )
}

/// The user's settings file and whether `ENVLENS_CONFIG` named it.
fn user_file() -> Option<(PathBuf, bool)> {
    if let Some(path) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(path), true));
    }
    let dirs = directories::ProjectDirs::from("", "", "envlens")?;
    Some((dirs.config_dir().join("config.toml"), false))
}

/// Where the settings file is looked for, for messages and the README.
pub fn user_file_path() -> Option<PathBuf> {
    user_file().map(|(p, _)| p)
}

/// Reads one settings file over the defaults (tests and the CLI's checks).
pub fn load_file(path: &Path) -> Result<Settings, UserSettingsError> {
    let mut settings = Settings::defaults()?;
    let text = std::fs::read_to_string(path).map_err(|e| UserSettingsError {
        message: format!("{}: cannot read the settings file: {e}", path.display()),
        hint: None,
    })?;
    settings.apply(&text, &path.display().to_string())?;
    Ok(settings)
}
