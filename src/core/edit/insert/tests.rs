//! Adding keys in each format: placement, indentation, line endings.

use super::*;
use crate::core::parse;

fn add(format: Format, text: &str, key: &str, value: &str) -> Result<String, String> {
    let (keys, leaves) = parse::parse(format, text).unwrap().into_table();
    let leaves = crate::core::leaf::spell(&keys, &leaves);
    let segments = key_path::parse(key).unwrap();
    insert(format, text, &leaves, &segments, value).map(|c| c.apply(text))
}

#[test]
fn yaml_adds_next_to_siblings_and_creates_parents() {
    let text = "# top\ndb:\n  host: h # c\n  pool:\n    max: 5\nname: x\n";
    assert_eq!(
        add(Format::Yaml, text, "db.port", "1").unwrap(),
        "# top\ndb:\n  host: h # c\n  pool:\n    max: 5\n  port: 1\nname: x\n"
    );
    assert_eq!(
        add(Format::Yaml, text, "db.tls.enabled", "true").unwrap(),
        "# top\ndb:\n  host: h # c\n  pool:\n    max: 5\n  tls:\n    enabled: true\nname: x\n"
    );
    assert_eq!(add(Format::Yaml, text, "new", "1").unwrap(), format!("{text}new: 1\n"));
    let list = "servers:\n  - name: a\n    port: 1\n";
    assert_eq!(
        add(Format::Yaml, list, "servers[0].host", "h").unwrap(),
        "servers:\n  - name: a\n    port: 1\n    host: h\n"
    );
    assert!(add(Format::Yaml, list, "servers[1]", "x").is_err());
    assert!(add(Format::Yaml, text, "name.x", "1").is_err());
}

#[test]
fn yaml_keeps_crlf_and_missing_final_newline() {
    assert_eq!(add(Format::Yaml, "a: 1\r\nb: 2", "c", "3").unwrap(), "a: 1\r\nb: 2\r\nc: 3\r\n");
}

#[test]
fn json_adds_members_with_commas_and_indentation() {
    let text = "{\n    \"a\": 1,\n    \"db\": {\n        \"h\": \"x\"\n    }\n}\n";
    assert_eq!(
        add(Format::Json, text, "db.p", "2").unwrap(),
        "{\n    \"a\": 1,\n    \"db\": {\n        \"h\": \"x\",\n        \"p\": 2\n    }\n}\n"
    );
    assert_eq!(
        add(Format::Json, text, "n.m", "true").unwrap(),
        "{\n    \"a\": 1,\n    \"db\": {\n        \"h\": \"x\"\n    },\n    \"n\": {\n        \"m\": true\n    }\n}\n"
    );
    assert_eq!(add(Format::Json, "{\"a\":1}", "b", "2").unwrap(), "{\"a\":1, \"b\": 2}");
}

#[test]
fn toml_adds_in_the_right_table() {
    let text =
        "title = \"t\"\n\n[db]\nhost = \"h\" # c\nports = [\n  1,\n]\n\n[db.pool]\nmax = 5\n";
    assert_eq!(
        add(Format::Toml, text, "db.user", "\"u\"").unwrap(),
        "title = \"t\"\n\n[db]\nhost = \"h\" # c\nports = [\n  1,\n]\nuser = \"u\"\n\n[db.pool]\nmax = 5\n"
    );
    assert_eq!(add(Format::Toml, text, "db.pool.min", "1").unwrap(), format!("{text}min = 1\n"));
    assert_eq!(
        add(Format::Toml, text, "log.level", "\"info\"").unwrap(),
        text.replacen("title = \"t\"\n", "title = \"t\"\nlog.level = \"info\"\n", 1)
    );
    let aot = "[[s]]\nn = 1\n[[s]]\nn = 2\n";
    assert_eq!(
        add(Format::Toml, aot, "s[0].m", "3").unwrap(),
        "[[s]]\nn = 1\nm = 3\n[[s]]\nn = 2\n"
    );
}

#[test]
fn dotenv_appends_a_line() {
    assert_eq!(add(Format::Dotenv, "A=1\r\n# c\r\n", "B", "2").unwrap(), "A=1\r\n# c\r\nB=2\r\n");
    assert_eq!(add(Format::Dotenv, "A=1", "B", "2").unwrap(), "A=1\nB=2\n");
    assert!(add(Format::Dotenv, "A=1\n", "1X", "2").is_err());
}
