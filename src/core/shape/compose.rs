//! Compose's lists that are maps (§12): `environment`, `labels`,
//! `build.args` and `extra_hosts` of a service, in list form
//! (`- NAME=value`) or map form (`NAME: value`), both read as
//! `services.api.environment.NAME` with a string value, as compose passes
//! them (`WORKERS: 4` equals `- WORKERS=4`; `- NAME` alone is null).

use super::Spelled;
use crate::core::key_path;
use crate::core::leaf::{Parsed, Value};

/// `compose.yaml`, `docker-compose.yml`, `compose.prod.yaml`,
/// `docker-compose.override.yml`, …
pub(super) fn is_compose_file(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".yaml").or_else(|| name.strip_suffix(".yml")) else {
        return false;
    };
    ["compose", "docker-compose"].iter().any(|base| {
        stem.strip_prefix(base).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    })
}

/// Which map-list a path is in, and where its entries start: the byte
/// after `services.<name>.environment` (or `labels`, `build.args`,
/// `extra_hosts`).
fn map_list_end(path: &str) -> Option<(usize, bool)> {
    let rest = path.strip_prefix("services.")?;
    let ends = key_path::prefix_ends(rest);
    let service_end = *ends.first()?;
    let after = &rest[service_end..];
    for (list, hosts) in [
        (".environment", false),
        (".labels", false),
        (".build.args", false),
        (".extra_hosts", true),
    ] {
        if let Some(tail) = after.strip_prefix(list)
            && (tail.starts_with('[') || tail.starts_with('.'))
        {
            return Some(("services.".len() + service_end + list.len(), hosts));
        }
    }
    None
}

/// The leaves of a compose file with its map-lists as maps.
pub(super) fn map_lists(parsed: Parsed) -> Parsed {
    let mut file = Spelled::of(parsed);
    for (leaf, path) in file.leaves.iter_mut().zip(file.paths.iter_mut()) {
        let Some((end, hosts)) = map_list_end(path) else { continue };
        let tail = &path[end..];
        if let Some(inside) = tail.strip_prefix('[') {
            // `[3]` and nothing after: an item `NAME=value`.
            let is_item = inside.find(']').is_some_and(|close| close + 1 == inside.len());
            let Value::String(text) = &leaf.value else { continue };
            if !is_item {
                continue;
            }
            let split =
                if hosts { text.find('=').or_else(|| text.find(':')) } else { text.find('=') };
            let (name, value) = match split {
                Some(at) => (text[..at].to_owned(), Value::String(text[at + 1..].into())),
                None => (text.to_string(), Value::Null),
            };
            if name.is_empty() {
                continue;
            }
            super::as_map_entry(leaf, path, end, &name, value);
        } else if key_path::prefix_ends(&tail[1..]).is_empty() {
            // Map form: a value compose passes as a string.
            leaf.value = match &leaf.value {
                Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                    Value::String(leaf.value.display_text().into())
                }
                other => other.clone(),
            };
        }
    }
    file.into_parsed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::parse::{self, Format};

    fn read(text: &str) -> Vec<(String, Value)> {
        map_lists(parse::parse(Format::Yaml, text).unwrap())
            .named()
            .into_iter()
            .map(|n| (n.path.clone(), n.leaf.value.clone()))
            .collect()
    }

    #[test]
    fn names_compose_files() {
        for yes in [
            "compose.yaml",
            "docker-compose.yml",
            "compose.prod.yaml",
            "docker-compose.override.yml",
        ] {
            assert!(is_compose_file(yes), "{yes}");
        }
        for no in ["composer.yaml", "compose.json", "my-compose.yml", "values.yaml"] {
            assert!(!is_compose_file(no), "{no}");
        }
    }

    #[test]
    fn list_and_map_forms_read_alike() {
        let list = "services:\n  api:\n    environment:\n      - WORKERS=4\n      - DEBUG\n      - URL=a=b\n    build:\n      args: [V=1]\n    extra_hosts: [\"db:10.0.0.1\", \"v6=::1\"]\n    labels: [a.b=c]\n";
        let map = "services:\n  api:\n    environment:\n      WORKERS: 4\n      DEBUG:\n      URL: a=b\n    build:\n      args: {V: 1}\n    extra_hosts: {db: 10.0.0.1, v6: \"::1\"}\n    labels: {a.b: c}\n";
        let s = |t: &str| Value::String(t.into());
        let want = vec![
            ("services.api.environment.WORKERS".to_owned(), s("4")),
            ("services.api.environment.DEBUG".to_owned(), Value::Null),
            ("services.api.environment.URL".to_owned(), s("a=b")),
            ("services.api.build.args.V".to_owned(), s("1")),
            ("services.api.extra_hosts.db".to_owned(), s("10.0.0.1")),
            ("services.api.extra_hosts.v6".to_owned(), s("::1")),
            ("services.api.labels.\"a.b\"".to_owned(), s("c")),
        ];
        assert_eq!(read(list), want);
        assert_eq!(read(map), want);
    }

    #[test]
    fn other_lists_stay_lists() {
        let text = "services:\n  api:\n    ports: [\"80:80\"]\n    command: [a, b=c]\nx:\n  environment: [A=1]\n";
        let paths: Vec<String> = read(text).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            [
                "services.api.ports[0]",
                "services.api.command[0]",
                "services.api.command[1]",
                "x.environment[0]"
            ]
        );
    }

    #[test]
    fn a_name_given_twice_keeps_the_last() {
        let got = read("services:\n  a:\n    environment: [A=1, A=2]\n");
        assert_eq!(got, [("services.a.environment.A".to_owned(), Value::String("2".into()))]);
    }
}
