//! The editing core over fixture copies: every edit kind changes only the
//! value's bytes (checked byte for byte around the span), keeps CRLF, BOM
//! and comments, reads back as the expected model; refusals write nothing;
//! safe writes go through symlinks and keep permissions; undo and redo.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use std::path::{Path, PathBuf};

use envlens::core::discover::DiscoverOptions;
use envlens::core::edit::{self, EditRequest, RefusalKind, Target, UndoStack, Via};
use envlens::core::leaf::{Named, Parsed, Value, ValueType};
use envlens::core::parse::{self, Format};
use envlens::core::project::Project;
use envlens::core::secret::MASK;
use envlens::core::source;

#[path = "edit/props.rs"]
mod props;
#[path = "edit/shared.rs"]
mod shared;

/// A copy of `tests/fixtures/edit/<name>` in a temporary folder.
fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edit").join(name);
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

fn load(root: &Path) -> Project {
    Project::load(root, &DiscoverOptions::default())
}

fn request<'a>(env: &'a str, key: &'a str, input: &'a str) -> EditRequest<'a> {
    EditRequest { env, key, input, ..EditRequest::default() }
}

fn file_of(root: &Path, format: &str, env: &str) -> PathBuf {
    match format {
        "dotenv" => root.join(format!(".env.{env}")),
        ext => root.join(format!("config_{env}.{ext}")),
    }
}

fn format_of(format: &str) -> Format {
    match format {
        "yaml" => Format::Yaml,
        "json" => Format::Json,
        "jsonc" => Format::Jsonc,
        "json5" => Format::Json5,
        "properties" => Format::Properties,
        "ini" => Format::Ini,
        "tfvars" => Format::Hcl,
        "toml" => Format::Toml,
        _ => Format::Dotenv,
    }
}

fn leaves_of(format: Format, bytes: &[u8]) -> Vec<Named> {
    let (text, _) = source::decode(bytes).unwrap();
    parse::parse(format, text).map(Parsed::named).unwrap()
}

/// Edits `key` and checks that the new file is the old one with exactly
/// the value's span replaced by `written`, and that it reads back as the
/// old model with only `key` changed to `value`.
fn edit_exact(format: &str, env: &str, key: &str, input: &str, written: &str, value: &Value) {
    let dir = fixture(format);
    let path = file_of(dir.path(), format, env);
    let before = std::fs::read(&path).unwrap();
    let old = leaves_of(format_of(format), &before);
    let leaf = old.iter().find(|l| l.path == key).unwrap_or_else(|| panic!("no {key}"));
    let bom = source::decode(&before).unwrap().1;
    let (start, end) = (leaf.span.0 as usize + bom, leaf.span.1 as usize + bom);
    let project = load(dir.path());
    let plan = edit::plan(&project, &request(env, key, input)).unwrap();
    edit::apply(&plan).unwrap();
    let after = std::fs::read(&path).unwrap();
    let mut expected = before[..start].to_vec();
    expected.extend_from_slice(written.as_bytes());
    expected.extend_from_slice(&before[end..]);
    assert_eq!(String::from_utf8_lossy(&after), String::from_utf8_lossy(&expected), "{key}");
    let new = leaves_of(format_of(format), &after);
    assert_eq!(new.len(), old.len());
    for (o, n) in old.iter().zip(&new) {
        assert_eq!(o.path, n.path);
        let want = if o.path == key { value } else { &o.value };
        assert!(n.value.same_as(want) && n.value.value_type() == want.value_type(), "{}", o.path);
    }
}

fn s(text: &str) -> Value {
    Value::String(text.into())
}

#[test]
fn yaml_edits_touch_only_the_value() {
    let y = |env, key, input, written, value| edit_exact("yaml", env, key, input, written, &value);
    y("dev", "database.pool_size", "32", "32", Value::Int(32));
    y("dev", "database.name", "it's", "'it''s'", s("it's"));
    y("dev", "database.password", "new pass", "\"new pass\"", s("new pass"));
    y("dev", "database.ratio", "0", "0.0", Value::Float(0.0));
    y("dev", "hosts[1]", "yes", "\"yes\"", s("yes"));
    y("dev", "hosts[0]", "0123", "\"0123\"", s("0123"));
    y("dev", "hosts[2].weight", "-4", "-4", Value::Int(-4));
    y("dev", "flow.b[0]", "x, y", "\"x, y\"", s("x, y"));
    y("dev", "flow.a", "7", "7", Value::Int(7));
    y("dev", "notes", "one line", "one line", s("one line"));
    y("dev", "folded", "a\nb", "\"a\\nb\"", s("a\nb"));
    y("dev", "greeting", ": x # y", "\": x # y\"", s(": x # y"));
    y("dev", "enabled", "null", "\"null\"", s("null"));
    y("dev", "version", "1.11", "\"1.11\"", s("1.11"));
    y("dev", "labels.\"app.kubernetes.io/name\"", "wörker", "wörker", s("wörker"));
    y("prod", "database.pool_size", "32", "32", Value::Int(32));
    y("prod", "greeting", "tschüss", "\"tschüss\"", s("tschüss"));
}

#[test]
fn yaml_empty_value_gets_its_space() {
    let dir = fixture("yaml");
    let project = load(dir.path());
    let mut req = request("dev", "database.empty", "filled");
    req.forced_type = Some(ValueType::String);
    edit::apply(&edit::plan(&project, &req).unwrap()).unwrap();
    let text = std::fs::read_to_string(dir.path().join("config_dev.yaml")).unwrap();
    assert!(text.contains("\n  empty: filled\n"), "{text}");
}

#[test]
fn json_edits_touch_only_the_value() {
    let j = |env, key, input, written, value| edit_exact("json", env, key, input, written, &value);
    j("dev", "database.port", "6543", "6543", Value::Int(6543));
    j("dev", "database.host", "a \"b\" \\ c\n", "\"a \\\"b\\\" \\\\ c\\n\"", s("a \"b\" \\ c\n"));
    j("dev", "hosts[1]", "true", "\"true\"", s("true"));
    j("dev", "nested.list[0].weight", "7", "7", Value::Int(7));
    j("dev", "database.ratio", "1e-3", "0.001", Value::Float(0.001));
    j("dev", "database.tls", "false", "false", Value::Bool(false));
    j("prod", "database.ratio", "0.125", "0.125", Value::Float(0.125));
}

#[test]
fn json_with_comments_edits_keep_every_comment() {
    let j = |env, key, input, written, value| edit_exact("jsonc", env, key, input, written, &value);
    j("dev", "database.port", "6543", "6543", Value::Int(6543));
    j(
        "dev",
        "service",
        "web // not a comment",
        "\"web // not a comment\"",
        s("web // not a comment"),
    );
    j("dev", "hosts[1]", "gamma", "\"gamma\"", s("gamma"));
    j("dev", "database.tls", "false", "false", Value::Bool(false));
    j("prod", "database.tls", "false", "false", Value::Bool(false));
    let j5 =
        |env, key, input, written, value| edit_exact("json5", env, key, input, written, &value);
    j5("dev", "database.port", "6543", "6543", Value::Int(6543));
    j5("dev", "database.limit", "-inf", "-Infinity", Value::Float(f64::NEG_INFINITY));
    j5("dev", "database.ratio", "0.5", "0.5", Value::Float(0.5));
    j5("dev", "note", "it's", "\"it's\"", s("it's"));
    j5("prod", "database.port", "1", "1", Value::Int(1));
}

#[test]
fn properties_edits_escape_for_the_format() {
    let p = |env, key, input, written, value| {
        edit_exact("properties", env, key, input, written, &value);
    };
    p("dev", "server.port", "9090", "9090", s("9090"));
    p("dev", "database", "a=b: #c !d", "a\\=b\\: \\#c \\!d", s("a=b: #c !d"));
    p("dev", "greeting", "  grüß 👋", "\\  gr\\u00FC\\u00DF \\uD83D\\uDC4B", s("  grüß 👋"));
    p("dev", "multi", "l1\nl2\\", "l1\\nl2\\\\", s("l1\nl2\\"));
    p("dev", "my.list[1]", "c", "c", s("c"));
    p("dev", "empty", "now set", "now set", s("now set"));
    p("prod", "greeting", "hi", "hi", s("hi"));
}

#[test]
fn ini_edits_write_the_value_as_configparser_reads_it() {
    let i = |env, key, input, written, value| edit_exact("ini", env, key, input, written, &value);
    i("dev", "app:main.\"sqlalchemy.url\"", "sqlite://", "sqlite://", s("sqlite://"));
    i("dev", "app:main.keys", "a\nb\n\nc", "a\n    b\n\n    c", s("a\nb\n\nc"));
    i("dev", "app:main.empty", "x ; y", "x ; y", s("x ; y"));
    let dir = fixture("ini");
    // An option of [DEFAULT] is written there, for every section that inherits it.
    let before = std::fs::read_to_string(dir.path().join("config_dev.ini")).unwrap();
    let plan = edit::plan(&load(dir.path()), &request("dev", "DEFAULT.level", "debug")).unwrap();
    edit::apply(&plan).unwrap();
    let after = std::fs::read_to_string(dir.path().join("config_dev.ini")).unwrap();
    assert_eq!(after, before.replace("level = info", "level = debug"));
    let now = leaves_of(Format::Ini, after.as_bytes());
    let level: Vec<&str> =
        now.iter().filter(|l| l.value == s("debug")).map(|l| l.path.as_str()).collect();
    assert_eq!(level, ["DEFAULT.level", "app:main.level", "server:main.level"]);
    let dir = fixture("ini");
    let project = load(dir.path());
    let refusal = edit::plan(&project, &request("dev", "app:main.empty", " padded")).unwrap_err();
    assert!(refusal.reason.contains("cannot start or end with blanks"), "{}", refusal.reason);
    // A default the section inherits lives in [DEFAULT]: said, or overridden on request.
    let refusal = edit::plan(&project, &request("dev", "server:main.level", "debug")).unwrap_err();
    assert!(refusal.reason.contains("[DEFAULT] section at config_dev.ini:3"), "{}", refusal.reason);
    let mut req = request("dev", "server:main.level", "debug");
    req.target = Target::Override;
    edit::apply(&edit::plan(&project, &req).unwrap()).unwrap();
    let text = std::fs::read_to_string(dir.path().join("config_dev.ini")).unwrap();
    assert!(text.ends_with("listen = *:6543\nlevel = debug\n"), "{text}");
    // A new section would inherit [DEFAULT] too: more than the one key.
    let dir = fixture("ini");
    let project = load(dir.path());
    let refusal = edit::plan(&project, &request("prod", "server:main.listen", "*:80")).unwrap_err();
    assert!(refusal.reason.contains("would add `server:main.level` as well"), "{}", refusal.reason);
}

#[test]
fn hcl_edits_write_literals_and_refuse_expressions() {
    let h =
        |env, key, input, written, value| edit_exact("tfvars", env, key, input, written, &value);
    h("dev", "region", "eu-central-1", "\"eu-central-1\"", s("eu-central-1"));
    h("dev", "instance_count", "5", "5", Value::Int(5));
    h("dev", "ratio", "0.25", "0.25", Value::Float(0.25));
    h("dev", "azs[1]", "${not a template}", "\"$${not a template}\"", s("${not a template}"));
    h("dev", "tags.Team", "a \"b\"", "\"a \\\"b\\\"\"", s("a \"b\""));
    h("prod", "region", "x", "\"x\"", s("x"));
    let dir = fixture("tfvars");
    let project = load(dir.path());
    let refusal = edit::plan(&project, &request("dev", "db_password", "p")).unwrap_err();
    assert!(refusal.reason.contains("HCL expression, not a literal"), "{}", refusal.reason);
    assert!(!refusal.reason.contains("var.db_password"));
}

#[test]
fn toml_edits_touch_only_the_value() {
    let t = |env, key, input, written, value| edit_exact("toml", env, key, input, written, &value);
    t("dev", "title", "new # not a comment", "\"new # not a comment\"", s("new # not a comment"));
    t("dev", "literal", r"D:\other", r"'D:\other'", s(r"D:\other"));
    t("dev", "database.port", "6543", "6543", Value::Int(6543));
    t("dev", "database.ports[0]", "9000", "9000", Value::Int(9000));
    t("dev", "database.inline.b", "zwei", "\"zwei\"", s("zwei"));
    t("dev", "database.multi", "one", "\"one\"", s("one"));
    t("dev", "database.pool.max", "16", "16", Value::Int(16));
    t("dev", "servers[1].name", "gämma", "\"gämma\"", s("gämma"));
    let when = "2025-01-02T03:04:05Z";
    t("dev", "database.started", when, when, Value::Datetime(when.to_owned()));
    t("prod", "database.ratio", "1e-3", "0.001", Value::Float(0.001));
}

#[test]
fn dotenv_edits_touch_only_the_value() {
    let d =
        |env, key, input, written, value| edit_exact("dotenv", env, key, input, written, &value);
    d("dev", "LOG_LEVEL", "info", "info", s("info"));
    d("dev", "API_URL", "a b", "\"a b\"", s("a b"));
    d("dev", "QUOTED", "x y $z", "'x y $z'", s("x y $z"));
    d("dev", "EMPTY", "#x", "\"#x\"", s("#x"));
    d("dev", "MULTI", "l1\nl2 \"q\"", "\"l1\\nl2 \\\"q\\\"\"", s("l1\nl2 \"q\""));
    d("dev", "UNICODE", "${REF}", "${REF}", s("${REF}"));
    d("prod", "LOG_LEVEL", "warn", "warn", s("warn"));
}

/// Adds `key` and returns the new text of the file.
fn add(format: &str, env: &str, key: &str, input: &str) -> String {
    let dir = fixture(format);
    let project = load(dir.path());
    let plan = edit::plan(&project, &request(env, key, input)).unwrap();
    assert!(plan.added);
    edit::apply(&plan).unwrap();
    let bytes = std::fs::read(file_of(dir.path(), format, env)).unwrap();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn adding_keys_goes_next_to_siblings() {
    // prod has no `database.tls`: dev's type (bool) applies.
    let yaml = add("yaml", "prod", "database.tls", "true");
    assert!(yaml.starts_with('\u{feff}'));
    assert!(yaml.contains("  ratio: 0.5\r\n  tls: true\r\n\r\nlabels:"), "{yaml}");
    let yaml = add("yaml", "prod", "cache.redis.url", "redis://r");
    assert!(
        yaml.ends_with("greeting: \"grüß dich\"\r\ncache:\r\n  redis:\r\n    url: redis://r\r\n")
    );
    let json = add("json", "prod", "database.replica", "null");
    assert!(json.contains("\"tls\": true,\r\n    \"replica\": null\r\n  },"), "{json}");
    let toml = add("toml", "prod", "database.tls", "true");
    assert!(toml.ends_with("ratio = 0.5\r\ntls = true\r\n"), "{toml}");
    let toml = add("toml", "dev", "database.pool.min", "1");
    assert!(toml.contains("[database.pool]\nmax = 8\nmin = 1\n\n[[servers]]"), "{toml}");
    // After a trailing comma and a comment: the new key takes the comma.
    let jsonc = add("jsonc", "prod", "database.host", "db");
    assert!(jsonc.contains("\"tls\": true,\r\n    \"host\": \"db\", /* on */\r\n  },"), "{jsonc}");
    let five = add("json5", "prod", "database.host", "db");
    assert!(five.contains("{port: 5433, ratio: 0.5, \"host\": \"db\",}"), "{five}");
    let props = add("properties", "prod", "spring.datasource.url", "jdbc:h2:mem");
    assert!(
        props.ends_with("greeting=hello\r\nspring.datasource.url=jdbc\\:h2\\:mem\r\n"),
        "{props}"
    );
    let ini = add("ini", "prod", "app:main.keys", "k");
    assert!(ini.ends_with("db.prod/app\r\nkeys = k\r\n"), "{ini}");
    let tfvars = add("tfvars", "prod", "ratio", "0.75");
    assert!(tfvars.ends_with("instance_count = 6\r\nratio = 0.75\r\n"), "{tfvars}");
    let env = add("dotenv", "prod", "NEW_FLAG", "on");
    assert!(env.ends_with("API_URL=https://api.prod.internal\r\nNEW_FLAG=on\r\n"), "{env}");
}

#[test]
fn wrong_type_is_refused_with_the_reason() {
    let dir = fixture("yaml");
    let project = load(dir.path());
    let err = edit::plan(&project, &request("dev", "database.pool_size", "forty")).unwrap_err();
    assert_eq!(err.kind, RefusalKind::WrongType { wanted: ValueType::Int });
    assert_eq!(err.reason, "\"forty\" is not an int");
    let err = edit::plan(&project, &request("dev", "database.pool_size", "42.5")).unwrap_err();
    assert!(err.reason.contains("whole numbers"), "{}", err.reason);
    let mut forced = request("dev", "database.pool_size", "forty");
    forced.forced_type = Some(ValueType::String);
    // The type changes on purpose, but the schema wants an integer.
    assert_eq!(edit::plan(&project, &forced).unwrap_err().kind, RefusalKind::Schema);
    let mut forced = request("dev", "greeting", "5");
    forced.forced_type = Some(ValueType::Int);
    assert!(edit::plan(&project, &forced).unwrap().summary.ends_with("greeting = 5"));
    let toml = fixture("toml");
    let project = load(toml.path());
    let mut null = request("dev", "database.port", "null");
    null.forced_type = Some(ValueType::Null);
    let err = edit::plan(&project, &null).unwrap_err();
    assert_eq!(err.kind, RefusalKind::Unsupported);
    assert!(err.reason.contains("TOML has no null"));
}

#[test]
fn schema_violations_caused_by_the_edit_refuse_it() {
    let dir = fixture("yaml");
    let project = load(dir.path());
    let err = edit::plan(&project, &request("dev", "database.pool_size", "65")).unwrap_err();
    assert_eq!(err.kind, RefusalKind::Schema);
    assert!(err.reason.starts_with("database.pool_size: 65"), "{}", err.reason);
    assert!(err.reason.contains("64"), "{}", err.reason);
    let err = edit::plan(&project, &request("dev", "labels.team", "ops")).unwrap_err();
    assert_eq!(err.kind, RefusalKind::Schema);
    let err = edit::plan(&project, &request("dev", "database.name", "app2")).unwrap_err();
    assert!(err.reason.contains("does not match"), "{}", err.reason);
    // prod's ratio 0.5 already breaks the schema's maximum: other edits pass.
    assert!(edit::plan(&project, &request("prod", "database.pool_size", "20")).is_ok());
    assert!(edit::plan(&project, &request("prod", "database.ratio", "0.45")).is_ok());
    // A secret's value never shows in a schema message.
    let mut secret = request("dev", "database.password", "x");
    secret.forced_type = Some(ValueType::Int);
    secret.input = "12345";
    let plan = edit::plan(&project, &secret).unwrap();
    assert!(!plan.summary.contains("12345") && plan.summary.contains(MASK));
}

/// No watcher here: another program changes the file, and a reload the
/// editor did not show reads it. Planning with the fingerprint of the text
/// the editor showed is refused and writes nothing; after showing the new
/// text (its fingerprint), the edit goes through.
#[test]
fn a_file_that_is_not_the_text_shown_is_refused() {
    let dir = fixture("yaml");
    let shown_project = load(dir.path());
    let rel = "config_dev.yaml";
    let fingerprint_of = |project: &Project| {
        let file = project.sets[0].envs.iter().find(|f| f.file.rel_path == rel).unwrap();
        vec![(rel.to_owned(), file.fingerprint.unwrap())]
    };
    let shown = fingerprint_of(&shown_project);
    let path = dir.path().join(rel);
    let theirs = std::fs::read_to_string(&path).unwrap().replace("pool_size: 8", "pool_size: 7");
    std::fs::write(&path, &theirs).unwrap();
    let reloaded = load(dir.path());
    let mut ask = request("dev", "database.pool_size", "9");
    ask.shown = &shown;
    let err = edit::plan(&reloaded, &ask).unwrap_err();
    assert_eq!(err.kind, RefusalKind::ChangedOnDisk);
    assert!(err.reason.contains("config_dev.yaml changed on disk since it was shown"), "{err:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs, "nothing was written");
    // Without `shown` (the CLI), the project's own reading is the check.
    assert!(edit::plan(&reloaded, &request("dev", "database.pool_size", "9")).is_ok());
    // The new text shown: the edit lands on it.
    let now_shown = fingerprint_of(&reloaded);
    ask.shown = &now_shown;
    edit::apply(&edit::plan(&reloaded, &ask).unwrap()).unwrap();
    assert!(std::fs::read_to_string(&path).unwrap().contains("pool_size: 9"));
}

#[test]
fn changed_on_disk_is_refused_and_kept() {
    let dir = fixture("yaml");
    let project = load(dir.path());
    let path = dir.path().join("config_dev.yaml");
    let plan = edit::plan(&project, &request("dev", "database.pool_size", "9")).unwrap();
    let theirs = std::fs::read_to_string(&path).unwrap().replace("pool_size: 8", "pool_size: 7");
    std::fs::write(&path, &theirs).unwrap();
    let err = edit::apply(&plan).unwrap_err();
    assert_eq!(err.kind, RefusalKind::ChangedOnDisk);
    assert!(err.reason.contains("config_dev.yaml changed on disk"), "{}", err.reason);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    // Planning on the stale load is refused too.
    let err = edit::plan(&project, &request("dev", "database.port", "1")).unwrap_err();
    assert_eq!(err.kind, RefusalKind::ChangedOnDisk);
}

#[cfg(unix)]
#[test]
fn read_only_files_and_sessions_are_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = fixture("json");
    let path = dir.path().join("config_dev.json");
    let before = std::fs::read(&path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let project = load(dir.path());
    let plan = edit::plan(&project, &request("dev", "database.port", "1")).unwrap();
    let err = edit::apply(&plan).unwrap_err();
    assert_eq!(err.kind, RefusalKind::ReadOnlyFile);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let mut readonly = request("dev", "database.port", "1");
    readonly.readonly = true;
    let err = edit::plan(&project, &readonly).unwrap_err();
    assert_eq!(err.kind, RefusalKind::ReadOnlyMode);
}

#[cfg(unix)]
#[test]
fn writes_through_symlinks_and_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = fixture("dotenv");
    let real = dir.path().join("real.env");
    let link = dir.path().join(".env.prod");
    std::fs::rename(&link, &real).unwrap();
    std::os::unix::fs::symlink("real.env", &link).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let project = load(dir.path());
    let applied =
        edit::apply(&edit::plan(&project, &request("prod", "LOG_LEVEL", "warn")).unwrap());
    assert_eq!(applied.unwrap().written, std::fs::canonicalize(&real).unwrap());
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().contains("LOG_LEVEL=warn\r\n"));
    let mode = std::fs::metadata(&real).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn shared_values_say_where_they_live() {
    let dir = fixture("yaml");
    let project = load(dir.path());
    let err = edit::plan(&project, &request("dev", "database.host", "h")).unwrap_err();
    let RefusalKind::Shared(shared) = &err.kind else { panic!("{err:?}") };
    assert_eq!((shared.via, shared.line, shared.can_override), (Via::Merge, 3, true));
    assert!(err.reason.contains("config_dev.yaml:3"), "{}", err.reason);
    let err = edit::plan(&project, &request("dev", "copy.port", "1")).unwrap_err();
    assert!(
        matches!(err.kind, RefusalKind::Shared(ref s) if s.via == Via::Alias && !s.can_override)
    );
    let err = edit::plan(&project, &request("dev", "defaults.tls", "false")).unwrap_err();
    assert!(matches!(err.kind, RefusalKind::Shared(_)), "the anchor itself is shared");

    // The anchor written on purpose changes every key that shares it.
    let mut shared = request("dev", "defaults.port", "1111");
    shared.target = Target::Shared;
    edit::apply(&edit::plan(&project, &shared).unwrap()).unwrap();
    let after = load(dir.path());
    let set = &after.sets[0];
    let port =
        |key: &str| set.envs[0].leaves.iter().find(|l| set.path(l) == key).map(|l| l.value.clone());
    assert_eq!(port("defaults.port"), Some(Value::Int(1111)));
    assert_eq!(port("copy.port"), Some(Value::Int(1111)));
    assert_eq!(port("database.port"), Some(Value::Int(6543)));

    // An override goes into the merging mapping.
    let mut over = request("dev", "database.tls", "false");
    over.target = Target::Override;
    edit::apply(&edit::plan(&after, &over).unwrap()).unwrap();
    let text = std::fs::read_to_string(dir.path().join("config_dev.yaml")).unwrap();
    assert!(text.contains("  empty:\n  tls: false\n\ncopy: *defaults"), "{text}");
}

#[test]
fn secrets_stay_masked_in_previews_and_refusals() {
    let dir = fixture("dotenv");
    let project = load(dir.path());
    let plan = edit::plan(&project, &request("dev", "DB_PASSWORD", "hunter2 x")).unwrap();
    let shown = format!("{plan:?} {} {}", plan.preview, plan.summary);
    assert!(!shown.contains("hunter2") && !shown.contains("s3cr3t"), "{shown}");
    assert!(plan.preview.to_string().contains(MASK));
    let mut revealed = request("dev", "DB_PASSWORD", "hunter2 x");
    revealed.reveal = true;
    assert!(edit::plan(&project, &revealed).unwrap().summary.contains("hunter2"));
    let yaml = fixture("yaml");
    let project = load(yaml.path());
    let mut wrong = request("dev", "database.password", "hunter2");
    wrong.forced_type = Some(ValueType::Int);
    let err = edit::plan(&project, &wrong).unwrap_err();
    assert!(!err.reason.contains("hunter2") && err.reason.contains(MASK), "{}", err.reason);
}

#[test]
fn preview_shows_the_line_before_and_after() {
    let dir = fixture("yaml");
    let project = load(dir.path());
    let plan = edit::plan(&project, &request("dev", "database.pool_size", "32")).unwrap();
    assert_eq!(plan.preview.to_string(), "12: pool_size: 8 → pool_size: 32");
    assert_eq!(plan.summary, "config_dev.yaml:12: database.pool_size = 32");
}

#[test]
fn undo_and_redo_are_checked_writes() {
    let dir = fixture("toml");
    let path = dir.path().join("config_dev.toml");
    let original = std::fs::read(&path).unwrap();
    let mut stack = UndoStack::new(false);
    let project = load(dir.path());
    stack.push(
        edit::apply(&edit::plan(&project, &request("dev", "database.port", "1")).unwrap()).unwrap(),
    );
    let first = std::fs::read(&path).unwrap();
    let project = load(dir.path());
    stack
        .push(edit::apply(&edit::plan(&project, &request("dev", "newkey", "x")).unwrap()).unwrap());
    stack.undo().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), first);
    stack.undo().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), original);
    assert!(stack.undo().unwrap().is_none());
    stack.redo().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), first);
    // Someone else's change on disk: undo refuses and keeps the step.
    std::fs::write(&path, b"title = \"theirs\"\n").unwrap();
    assert_eq!(stack.undo().unwrap_err().kind, RefusalKind::ChangedOnDisk);
    assert!(stack.can_undo());
    assert_eq!(std::fs::read(&path).unwrap(), b"title = \"theirs\"\n");
    assert_eq!(UndoStack::new(true).undo().unwrap_err().kind, RefusalKind::ReadOnlyMode);
}

#[test]
fn requests_that_name_nothing_are_errors() {
    let dir = fixture("json");
    let project = load(dir.path());
    let err = edit::plan(&project, &request("qa", "service", "x")).unwrap_err();
    assert!(err.is_error() && err.hint.as_deref().unwrap_or("").contains("dev, prod"));
    let err = edit::plan(&project, &request("dev", "database", "x")).unwrap_err();
    assert_eq!(err.kind, RefusalKind::Unsupported);
    let err = edit::plan(&project, &request("dev", "hosts[7]", "x")).unwrap_err();
    assert!(err.reason.contains("list"), "{}", err.reason);
}

/// The core speaks for both faces: a refusal names no command-line flag
/// (the CLI and the TUI each say how to ask differently), and its kind
/// carries what a face needs to say it.
#[test]
fn refusals_name_no_command_line_flag() {
    let dir = fixture("yaml");
    let project = load(dir.path());
    let mut readonly = request("dev", "database.port", "1");
    readonly.readonly = true;
    let wrong_type = request("dev", "database.pool_size", "forty");
    let mut refusals = vec![
        edit::plan(&project, &readonly).unwrap_err(),
        edit::plan(&project, &wrong_type).unwrap_err(),
        edit::plan(&project, &request("nope", "database.port", "1")).unwrap_err(),
    ];
    // Two sets, none named.
    let two = tempfile::tempdir().unwrap();
    for set in ["api", "web"] {
        std::fs::create_dir(two.path().join(set)).unwrap();
        for env in ["dev", "prod"] {
            let file = two.path().join(set).join(format!("config_{env}.yaml"));
            std::fs::write(file, "port: 1\n").unwrap();
        }
    }
    let err = edit::plan(&load(two.path()), &request("dev", "port", "2")).unwrap_err();
    assert_eq!(
        err.kind,
        RefusalKind::WhichSet { sets: vec!["api/config".into(), "web/config".into()] }
    );
    refusals.push(err);
    assert_eq!(refusals[0].kind, RefusalKind::ReadOnlyMode);
    assert_eq!(refusals[1].kind, RefusalKind::WrongType { wanted: ValueType::Int });
    for refusal in &refusals {
        let said = format!("{} {}", refusal.reason, refusal.hint.clone().unwrap_or_default());
        assert!(!said.contains("--"), "a core refusal names a flag: {said}");
    }
}
