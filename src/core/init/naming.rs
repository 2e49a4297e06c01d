//! How a set names a new env's file: the reference env's file name with
//! its env replaced (`config_dev.yaml` → `config_local.yaml`, `.env.dev` →
//! `.env.local`, a settings pattern `{env}.env` → `local.env`).

use super::InitError;
use crate::core::discover::ConfigFile;

/// §2's env names: `[A-Za-z0-9][A-Za-z0-9_.-]*`.
pub(super) fn check_env_name(env: &str) -> Result<(), InitError> {
    let mut chars = env.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if ok {
        Ok(())
    } else {
        Err(InitError::error(
            format!("`{env}` is not an env name"),
            Some("an env name is letters, digits, `_`, `.` and `-`, starting with a letter or digit, e.g. `local`".to_owned()),
        ))
    }
}

/// The new file's path (relative to the root), or None when the reference
/// file's name does not hold its env where names put it.
pub(super) fn new_file_name(reference: &ConfigFile, env: &str) -> Option<String> {
    let (dir, name) = match reference.rel_path.rsplit_once('/') {
        Some((dir, name)) => (Some(dir), name),
        None => (None, reference.rel_path.as_str()),
    };
    let old = reference.env.as_str();
    let stem_len = name.rfind('.').filter(|&i| i > 0).unwrap_or(name.len());
    // Where the env sits: before the extension (`config_dev.yaml`,
    // `dev.env`), at the end (`.env.dev`), or at the start.
    let at = if name[..stem_len].ends_with(old) {
        stem_len - old.len()
    } else if name.ends_with(old) && name.len() > old.len() {
        name.len() - old.len()
    } else if name.starts_with(old) {
        0
    } else {
        return None;
    };
    let new_name = format!("{}{env}{}", &name[..at], &name[at + old.len()..]);
    Some(match dir {
        Some(dir) => format!("{dir}/{new_name}"),
        None => new_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::parse::Format;

    fn file(rel_path: &str, env: &str) -> ConfigFile {
        ConfigFile::whole(env.into(), rel_path.into(), Format::Yaml)
    }

    #[test]
    fn the_env_is_replaced_where_the_name_holds_it() {
        assert_eq!(
            new_file_name(&file("config_dev.yaml", "dev"), "local").unwrap(),
            "config_local.yaml"
        );
        assert_eq!(new_file_name(&file("a/b/.env.dev", "dev"), "local").unwrap(), "a/b/.env.local");
        assert_eq!(new_file_name(&file("s/dev.env", "dev"), "qa").unwrap(), "s/qa.env");
        assert_eq!(
            new_file_name(&file("settings-prod.toml", "prod"), "local").unwrap(),
            "settings-local.toml"
        );
        assert_eq!(
            new_file_name(&file("x/config_yaml.yaml", "yaml"), "local").unwrap(),
            "x/config_local.yaml"
        );
        assert_eq!(new_file_name(&file("weird.yaml", "dev"), "local"), None);
    }

    #[test]
    fn env_names_follow_the_contract() {
        assert!(check_env_name("local").is_ok());
        assert!(check_env_name("eu-west.1_b").is_ok());
        for bad in ["", "-x", "a/b", "a b", ".hidden"] {
            assert!(check_env_name(bad).is_err(), "{bad:?}");
        }
    }
}
