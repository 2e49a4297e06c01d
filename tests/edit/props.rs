//! Property test: random documents in each format (comments, quoting
//! styles, unicode, CRLF), a random edit of a random leaf to a random value
//! of any type (strings that look like numbers, booleans and nulls, quotes,
//! newlines, `#`, `: `). After the write the file parses, the edited key
//! has exactly the new value and type, every other key is unchanged, and
//! every comment line is unchanged.

use proptest::prelude::*;

use super::{Format, Named, Value, ValueType, edit, leaves_of, load, request};

#[derive(Debug, Clone)]
enum Gen {
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// A word and how it is quoted in the file (0 plain, 1 single, 2 double).
    Str(String, u8),
}

fn gen_value() -> impl Strategy<Value = Gen> {
    prop_oneof![
        any::<i32>().prop_map(|i| Gen::Int(i64::from(i))),
        (-1000i32..1000, 1u8..100)
            .prop_map(|(a, b)| Gen::Float(f64::from(a) + f64::from(b) / 128.0)),
        any::<bool>().prop_map(Gen::Bool),
        Just(Gen::Null),
        ("[a-zé]{1,8}", 0u8..3).prop_map(|(s, q)| Gen::Str(s, q)),
    ]
}

const TRICKY: &[&str] = &[
    "yes",
    "No",
    "on",
    "0123",
    "1e3",
    "0x1F",
    "1_000",
    "null",
    "~",
    "true",
    ": x",
    "a: b",
    "a #b",
    "#x",
    "x # y",
    "'q'",
    "\"q\"",
    "it's",
    "a\nb",
    "tab\tx",
    " lead",
    "trail ",
    "",
    "ü👋",
    "-1",
    "[x]",
    "{y}",
    "*a",
    "&b",
    "!t",
    "%p",
    "@a",
    "`b`",
    "$HOME",
    "${X}",
    "a\\b",
    "- item",
    "? k",
    "12:30",
    "2024-01-01",
    ".inf",
    "a=b",
    "line1\nline2\n",
];

/// A new value: its input text and the type to force.
fn gen_edit() -> impl Strategy<Value = (String, ValueType)> {
    prop_oneof![
        3 => prop::sample::select(TRICKY).prop_map(|s| (s.to_owned(), ValueType::String)),
        1 => "[ -~é]{0,12}".prop_map(|s| (s, ValueType::String)),
        1 => any::<i64>().prop_map(|i| (i.to_string(), ValueType::Int)),
        1 => (-1e6f64..1e6).prop_map(|f| (format!("{f:?}"), ValueType::Float)),
        1 => any::<bool>().prop_map(|b| (b.to_string(), ValueType::Bool)),
        1 => Just(("null".to_owned(), ValueType::Null)),
    ]
}

type Entry = (u8, Gen, bool);

fn gen_doc() -> impl Strategy<Value = (Vec<Entry>, bool)> {
    (prop::collection::vec((0u8..3, gen_value(), any::<bool>()), 1..10), any::<bool>())
}

fn scalar(format: Format, value: &Gen) -> String {
    match value {
        Gen::Int(i) => i.to_string(),
        Gen::Float(f) => format!("{f:?}"),
        Gen::Bool(b) => b.to_string(),
        Gen::Null => "null".to_owned(),
        Gen::Str(s, q) => match (format, q) {
            (Format::Yaml | Format::Toml | Format::Dotenv | Format::Json5, 1) => format!("'{s}'"),
            (Format::Yaml | Format::Dotenv, 0) => s.clone(),
            _ => format!("\"{s}\""),
        },
    }
}

/// The document's text, with entries grouped by section.
fn render(format: Format, entries: &[Entry], crlf: bool) -> String {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&i| entries[i].0);
    let start = if format.is_json() { "{" } else { "# generated ünïcode header" };
    let mut doc = Doc { format, lines: vec![start.to_owned()], section: None, json_first: true };
    for (n, &i) in order.iter().enumerate() {
        let (s, value, comment) = &entries[i];
        let value = match (format, value) {
            (Format::Dotenv, Gen::Str(..)) => scalar(format, value),
            (Format::Dotenv | Format::Properties | Format::Ini, other) => {
                scalar(Format::Yaml, other)
            }
            (Format::Toml, Gen::Null) => "\"none\"".to_owned(),
            _ => scalar(format, value),
        };
        if *comment && !format.is_json() {
            doc.lines.push(format!("# note {i}: a: b # x"));
        }
        doc.entry(*s, i, &value, *comment, n + 1 == order.len());
        doc.section = Some(*s);
    }
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut text = doc.lines.join(eol);
    text.push_str(eol);
    text
}

/// A generated document being written, line by line.
struct Doc {
    format: Format,
    lines: Vec<String>,
    /// The section of the previous entry.
    section: Option<u8>,
    /// No entry yet in the JSON section (no comma before the next).
    json_first: bool,
}

impl Doc {
    fn entry(&mut self, s: u8, i: usize, value: &str, comment: bool, last: bool) {
        let new_section = self.section != Some(s);
        let lines = &mut self.lines;
        match self.format {
            Format::Yaml => {
                if new_section {
                    lines.push(format!("s{s}:"));
                }
                lines.push(format!("  k{i}: {value}"));
            }
            Format::Toml => {
                if new_section {
                    lines.push(format!("[s{s}]"));
                }
                lines.push(format!("k{i} = {value}"));
            }
            Format::Dotenv => lines.push(format!("K{i}={value}")),
            // Sections as a key's first segment, and a continuation line now and then.
            Format::Properties if i % 4 == 3 => {
                lines.push(format!("s{s}.k{i} = {value}\\\n    {value}"));
            }
            Format::Properties => lines.push(format!("s{s}.k{i}: {value}")),
            Format::Hcl => {
                if new_section {
                    if self.section.is_some() {
                        lines.push("}".to_owned());
                    }
                    lines.push(format!("s{s} = {{"));
                }
                lines.push(format!("  k{i} = {value}"));
                if last {
                    lines.push("}".to_owned());
                }
            }
            Format::Ini => {
                if new_section {
                    lines.push(format!("[s{s}]"));
                }
                if i % 4 == 3 {
                    lines.push(format!("k{i} =\n    {value}\n    {value}"));
                } else {
                    lines.push(format!("k{i} = {value}"));
                }
            }
            _ => self.json_entry(s, i, value, comment, last),
        }
    }

    /// JSON, JSON with comments or JSON5: one object per section.
    fn json_entry(&mut self, s: u8, i: usize, value: &str, comment: bool, last: bool) {
        let format = self.format;
        let quote =
            |name: String| if format == Format::Json5 { name } else { format!("\"{name}\"") };
        let lines = &mut self.lines;
        if self.section != Some(s) {
            if self.section.is_some() {
                lines.push("  },".to_owned());
            }
            lines.push(format!("  {}: {{", quote(format!("s{s}"))));
            self.json_first = true;
        }
        if !self.json_first {
            let at = lines.len() - 1;
            lines[at].push(',');
        }
        self.json_first = false;
        if comment && format != Format::Json {
            lines.push(format!("    // note {i}: a: b # x"));
        }
        lines.push(format!("    {}: {value}", quote(format!("k{i}"))));
        if last {
            if format != Format::Json {
                // A trailing comma, which both lenient dialects take.
                let at = lines.len() - 1;
                lines[at].push(',');
            }
            lines.push("  }".to_owned());
            lines.push("}".to_owned());
        }
    }
}

/// Whether configparser reads `s` back as written: nothing it strips
/// (blanks around the value or a line of it), no line after the first
/// that would be a comment.
fn ini_can_hold(s: &str) -> bool {
    s.trim() == s
        && !s.contains('\r')
        && s.split('\n').skip(1).all(|l| l.trim() == l && !l.starts_with(['#', ';']))
}

fn comment_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.trim_start().starts_with(['#', '/'])).collect()
}

fn check(
    format: Format,
    file: &str,
    doc: &(Vec<Entry>, bool),
    pick: usize,
    new: &(String, ValueType),
) {
    let (entries, crlf) = doc;
    let text = render(format, entries, *crlf);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    std::fs::write(&path, &text).unwrap();
    let old: Vec<Named> = leaves_of(format, text.as_bytes());
    let target = &old[pick % old.len()];
    let (input, ty) = new;
    let ty = if format.strings_only() { ValueType::String } else { *ty };
    if format == Format::Toml && ty == ValueType::Null {
        return;
    }
    let project = load(dir.path());
    let mut req = request("dev", &target.path, input);
    req.forced_type = Some(ty);
    if format == Format::Ini && !ini_can_hold(input) {
        let refusal = edit::plan(&project, &req).expect_err("configparser would not read it back");
        assert!(refusal.reason.contains("INI value"), "{}", refusal.reason);
        return;
    }
    let plan =
        edit::plan(&project, &req).unwrap_or_else(|e| panic!("{e:?} for {input:?} in\n{text}"));
    edit::apply(&plan).unwrap();
    let after = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
    let new_leaves = leaves_of(format, after.as_bytes());
    assert_eq!(new_leaves.len(), old.len(), "{after}");
    for leaf in &old {
        let now = new_leaves.iter().find(|l| l.path == leaf.path).expect("key kept");
        let want = if leaf.path == target.path {
            envlens::core::validate::read_as(input, ty, "").unwrap()
        } else {
            leaf.value.clone()
        };
        assert!(
            now.value.value_type() == want.value_type() && now.value.same_as(&want),
            "{}: {:?} != {:?} in\n{after}",
            leaf.path,
            now.value.display_text(),
            want.display_text()
        );
    }
    assert_eq!(comment_lines(&text), comment_lines(&after));
    assert_eq!(text.contains("\r\n"), after.contains("\r\n"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn yaml_random_edits(doc in gen_doc(), pick in any::<usize>(), new in gen_edit()) {
        check(Format::Yaml, "config_dev.yaml", &doc, pick, &new);
    }

    #[test]
    fn json_random_edits(doc in gen_doc(), pick in any::<usize>(), new in gen_edit()) {
        check(Format::Json, "config_dev.json", &doc, pick, &new);
    }

    #[test]
    fn jsonc_random_edits(doc in gen_doc(), pick in any::<usize>(), new in gen_edit()) {
        check(Format::Jsonc, "config_dev.jsonc", &doc, pick, &new);
    }

    #[test]
    fn json5_random_edits(doc in gen_doc(), pick in any::<usize>(), new in gen_edit()) {
        check(Format::Json5, "config_dev.json5", &doc, pick, &new);
    }

    #[test]
    fn properties_random_edits(doc in gen_doc(), pick in any::<usize>(), new in gen_edit()) {
        check(Format::Properties, "config_dev.properties", &doc, pick, &new);
    }

    #[test]
    fn ini_random_edits(doc in gen_doc(), pick in any::<usize>(), new in gen_edit()) {
        check(Format::Ini, "config_dev.ini", &doc, pick, &new);
    }

    #[test]
    fn hcl_random_edits(doc in gen_doc(), pick in any::<usize>(), new in gen_edit()) {
        check(Format::Hcl, "config_dev.tfvars", &doc, pick, &new);
    }

    #[test]
    fn toml_random_edits(doc in gen_doc(), pick in any::<usize>(), new in gen_edit()) {
        check(Format::Toml, "config_dev.toml", &doc, pick, &new);
    }

    #[test]
    fn dotenv_random_edits(doc in gen_doc(), pick in any::<usize>(), new in gen_edit()) {
        check(Format::Dotenv, ".env.dev", &doc, pick, &new);
    }
}

#[test]
fn value_module_is_used() {
    // Keeps the shared imports honest when proptest cases are filtered out.
    assert_eq!(Value::Null.value_type(), ValueType::Null);
}
