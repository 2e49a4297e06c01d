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

#[test]
fn yaml_fills_an_empty_map_in_block_style() {
    let text = "app:\n  name: x\n  debug: {} # later\nport: 1\n";
    assert_eq!(
        add(Format::Yaml, text, "app.debug.sql_echo", "true").unwrap(),
        "app:\n  name: x\n  debug: # later\n    sql_echo: true\nport: 1\n"
    );
    assert_eq!(
        add(Format::Yaml, "debug: {}", "debug.a.b", "1").unwrap(),
        "debug:\n  a:\n    b: 1\n"
    );
    assert_eq!(
        add(Format::Yaml, "a: 1\r\ndebug: { }\r\n", "debug.x", "2").unwrap(),
        "a: 1\r\ndebug:\r\n  x: 2\r\n"
    );
    // In a flow mapping the entry stays in flow style.
    assert_eq!(
        add(Format::Yaml, "app: {name: x, debug: {}}\n", "app.debug.sql_echo", "true").unwrap(),
        "app: {name: x, debug: {sql_echo: true}}\n"
    );
}

#[test]
fn json_fills_an_empty_object() {
    let text = "{\n  \"a\": 1,\n  \"debug\": {}\n}\n";
    assert_eq!(
        add(Format::Json, text, "debug.sql_echo", "true").unwrap(),
        "{\n  \"a\": 1,\n  \"debug\": {\n    \"sql_echo\": true\n  }\n}\n"
    );
    assert_eq!(
        add(Format::Json, "{\"debug\": {}}", "debug.x.y", "1").unwrap(),
        "{\"debug\": {\"x\": {\"y\": 1}}}"
    );
}

#[test]
fn toml_writes_into_inline_tables() {
    let text = "title = \"t\"\ndb = { host = \"h\", port = 5432 } # main\n\n[app]\nx = 1\n";
    assert_eq!(
        add(Format::Toml, text, "db.user", "\"u\"").unwrap(),
        "title = \"t\"\ndb = { host = \"h\", port = 5432, user = \"u\" } # main\n\n[app]\nx = 1\n"
    );
    assert_eq!(
        add(Format::Toml, text, "db.tls.enabled", "true").unwrap(),
        "title = \"t\"\ndb = { host = \"h\", port = 5432, tls.enabled = true } # main\n\n[app]\nx = 1\n"
    );
    assert_eq!(
        add(Format::Toml, "debug = {}\n", "debug.sql_echo", "true").unwrap(),
        "debug = { sql_echo = true }\n"
    );
    let nested = "[app]\nlimits = { cpu = { max = 2 } }\n";
    assert_eq!(
        add(Format::Toml, nested, "app.limits.cpu.min", "1").unwrap(),
        "[app]\nlimits = { cpu = { max = 2, min = 1 } }\n"
    );
    // An empty table with a header takes the key under its header.
    assert_eq!(add(Format::Toml, "[debug]\n", "debug.x", "1").unwrap(), "[debug]\nx = 1\n");
}

#[test]
fn a_value_that_is_not_a_mapping_is_still_refused() {
    let err = add(Format::Yaml, "debug: 1\n", "debug.x", "2").unwrap_err();
    assert!(err.contains("`debug` holds a value (int)"), "{err}");
    let err = add(Format::Yaml, "debug: []\n", "debug.x", "2").unwrap_err();
    assert!(err.contains("holds a value (list)"), "{err}");
}
