//! The part of a parsed file a set reads (§10): an env section with its
//! path taken off, or the whole file below a path. Leaves keep their
//! positions and spans in the real file, so lines point into it and an
//! edit of a value writes its bytes there.

use crate::core::discover::Mount;
use crate::core::key_path::push_key;
use crate::core::keys::PathList;
use crate::core::leaf::Parsed;

/// The leaves `mount` selects, re-keyed as the set sees them.
pub(super) fn apply(parsed: Parsed, mount: &Mount) -> Parsed {
    if *mount == Mount::Whole {
        return parsed;
    }
    let mut all = Vec::with_capacity(parsed.paths.len());
    let mut cursor = parsed.paths.cursor();
    while let Some(path) = cursor.advance() {
        all.push(path.to_owned());
    }
    let Parsed { leaves, encryption, .. } = parsed;
    let mut paths = PathList::with_capacity(leaves.len());
    let mut kept = Vec::with_capacity(leaves.len());
    for mut leaf in leaves {
        let Some(path) = all.get(leaf.key.index()) else { continue };
        let Some(path) = remount(path, mount) else { continue };
        leaf.key = paths.push(&path);
        kept.push(leaf);
    }
    Parsed { leaves: kept, paths, encryption }
}

/// A key path as the mount shows it, or None when the mount leaves it out.
fn remount(path: &str, mount: &Mount) -> Option<String> {
    match mount {
        Mount::Whole => Some(path.to_owned()),
        Mount::Under(prefix) => Some(under(prefix, path)),
        Mount::Section { path: section, without } => {
            let rest = inside(section, path)?;
            let selector = without
                .iter()
                .any(|key| rest == key || rest.strip_prefix(key.as_str()).is_some_and(is_below));
            (!selector && !rest.is_empty()).then(|| rest.to_owned())
        }
    }
}

/// `configmap.yaml` + `data.LOG_LEVEL` → `configmap.yaml.data.LOG_LEVEL`,
/// as §10 writes it: the file's path split at its dots, each piece a
/// segment (quoted only where a piece needs it by §3).
fn under(prefix: &str, path: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + path.len() + 1);
    for piece in prefix.split('.') {
        push_key(&mut out, piece);
    }
    if !path.starts_with('[') {
        out.push('.');
    }
    out.push_str(path);
    out
}

/// The rest of `path` inside `section` (`production.db.host` → `db.host`,
/// `[1].server.port` in section `[1]` → `server.port`).
fn inside<'p>(section: &str, path: &'p str) -> Option<&'p str> {
    let rest = path.strip_prefix(section)?;
    if rest.is_empty() {
        return Some(rest);
    }
    if !is_below(rest) {
        return None;
    }
    Some(rest.strip_prefix('.').unwrap_or(rest))
}

/// Whether what follows a key's path starts a key below it.
fn is_below(rest: &str) -> bool {
    rest.starts_with(['.', '['])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(path: &str, without: &[&str]) -> Mount {
        Mount::Section {
            path: path.to_owned(),
            without: without.iter().map(|w| (*w).to_owned()).collect(),
        }
    }

    #[test]
    fn a_section_takes_its_keys_off_its_path() {
        let mount = section("production", &[]);
        assert_eq!(remount("production.db.host", &mount).as_deref(), Some("db.host"));
        assert_eq!(remount("production[0]", &mount).as_deref(), Some("[0]"));
        assert_eq!(remount("productionx.db", &mount), None);
        assert_eq!(remount("development.db.host", &mount), None);
        // The section's own empty value is no key of the env.
        assert_eq!(remount("production", &mount), None);
    }

    #[test]
    fn a_document_section_leaves_out_its_selector() {
        let mount = section("[1]", &["spring.config.activate.on-profile"]);
        assert_eq!(remount("[1].server.port", &mount).as_deref(), Some("server.port"));
        assert_eq!(remount("[1].spring.config.activate.on-profile", &mount), None);
        assert_eq!(
            remount("[1].spring.config.activate.on-profile[0]", &mount),
            None,
            "a list of profiles is the selector too"
        );
        assert_eq!(remount("[10].server.port", &mount), None);
    }

    #[test]
    fn under_a_file_path_its_pieces_lead_the_keys() {
        let mount = Mount::Under("configmap.yaml".to_owned());
        assert_eq!(
            remount("data.LOG_LEVEL", &mount).as_deref(),
            Some("configmap.yaml.data.LOG_LEVEL")
        );
        assert_eq!(remount("[0].kind", &mount).as_deref(), Some("configmap.yaml[0].kind"));
        let spaced = Mount::Under("my patch.yaml".to_owned());
        assert_eq!(remount("a", &spaced).as_deref(), Some("\"my patch\".yaml.a"));
    }
}
