//! Tests of the lenient dialects: JSON with comments (documentation from
//! comments, trailing commas) and JSON5 (keys, quotes, numbers, escapes),
//! with positions and spans, and strict JSON still refusing both.

use super::{Dialect, parse_with};
use crate::core::leaf::{Named, ParseError, Parsed, Position, Value};
use crate::core::parse::Format;

fn parse(text: &str, dialect: Dialect) -> Result<Vec<Named>, ParseError> {
    parse_with(text, dialect).map(Parsed::named)
}

fn leaves(text: &str, dialect: Dialect) -> Vec<Named> {
    parse(text, dialect).unwrap_or_else(|e| panic!("{e} at {:?} in\n{text}", e.position))
}

fn find<'a>(leaves: &'a [Named], path: &str) -> &'a Named {
    leaves.iter().find(|l| l.path == path).unwrap_or_else(|| panic!("no {path}"))
}

fn at(line: u32, column: u32) -> Position {
    Position { line, column }
}

const APPSETTINGS: &str = r#"{
  // Where the logs go.
  "Logging": {
    /* The default level,
     * for every category. */
    "LogLevel": { "Default": "Information", },
    "Console": true, // also to the console
  },
  "Hosts": [
    "a", /* first */
    "b",
  ],
  "Ports": [80, 443], // web ports
}
"#;

#[test]
fn comments_are_documentation_and_trailing_commas_are_taken() {
    let got = leaves(APPSETTINGS, Dialect::Comments);
    let paths: Vec<&str> = got.iter().map(|l| l.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "Logging.LogLevel.Default",
            "Logging.Console",
            "Hosts[0]",
            "Hosts[1]",
            "Ports[0]",
            "Ports[1]"
        ]
    );
    let default = find(&got, "Logging.LogLevel.Default");
    assert_eq!(default.value, Value::String("Information".into()));
    assert_eq!(default.position, at(6, 30));
    assert_eq!(&APPSETTINGS[default.span.0 as usize..default.span.1 as usize], "\"Information\"");
    // The block above `LogLevel` documents its inline object's key only
    // through the object; `Default` shares its line, so it has none above.
    assert_eq!(default.doc, None);
    assert_eq!(find(&got, "Logging.Console").doc.as_deref(), Some("also to the console"));
    assert_eq!(find(&got, "Hosts[0]").doc.as_deref(), Some("first"));
    assert_eq!(find(&got, "Hosts[1]").doc, None);
    assert_eq!(find(&got, "Ports[1]").doc, None, "the comment follows the whole array");
    assert_eq!(find(&got, "Ports[0]").doc, None);
}

#[test]
fn block_and_line_comments_above_a_key() {
    let text = "{\n  // Port of the API.\n  // Not the admin port.\n  \"port\": 8080,\n  /*\n   * Host name.\n   */\n  \"host\": \"h\",\n  /* one line */ \"x\": 1,\n\n  // after a blank\n\n  \"y\": 2\n}";
    let got = leaves(text, Dialect::Comments);
    assert_eq!(find(&got, "port").doc.as_deref(), Some("Port of the API.\nNot the admin port."));
    assert_eq!(find(&got, "host").doc.as_deref(), Some("Host name."));
    assert_eq!(find(&got, "x").doc, None, "a comment before the key on its line");
    assert_eq!(find(&got, "y").doc, None, "a blank line ends the block");
    assert_eq!(find(&got, "y").position, at(13, 8));
}

#[test]
fn array_items_share_the_arrays_comment() {
    let text =
        "{\n  // Allowed origins.\n  \"origins\": [\n    \"a\",\n    \"b\" // the second\n  ]\n}";
    let got = leaves(text, Dialect::Comments);
    assert_eq!(find(&got, "origins[0]").doc.as_deref(), Some("Allowed origins."));
    assert_eq!(find(&got, "origins[1]").doc.as_deref(), Some("the second"));
}

#[test]
fn strict_json_refuses_comments_and_trailing_commas() {
    for text in ["{\"a\": 1, // c\n}", "{\"a\": 1,}", "[1,]", "{/* c */\"a\": 1}"] {
        assert!(parse(text, Dialect::Strict).is_err(), "{text}");
        assert!(parse(text, Dialect::Comments).is_ok(), "{text}");
    }
    for text in ["{,}", "[,]", "{\"a\": 1,,}", "[1,,]"] {
        assert!(parse(text, Dialect::Comments).is_err(), "{text}");
        assert!(parse(text, Dialect::Json5).is_err(), "{text}");
    }
    assert!(parse("{a: 1}", Dialect::Comments).is_err(), "unquoted keys are JSON5 only");
    assert!(parse("{\"a\": 'x'}", Dialect::Comments).is_err());
}

#[test]
fn an_unterminated_comment_says_so_where_it_opens() {
    let err = parse("{\n  \"a\": 1 /* never\n closed", Dialect::Comments).unwrap_err();
    assert_eq!(err.message, "unterminated `/*` comment");
    assert_eq!(err.position, Some(at(2, 10)));
}

#[test]
fn json5_values_and_keys() {
    let text = "// node-config default\n{\n  unquoted: 'single \"q\"',\n  $dollar_1: 0x1F,\n  'quoted key': -0xa,\n  plus: +1,\n  lead: .5,\n  trail: 5.,\n  inf: -Infinity,\n  nan: NaN,\n  exp: 2e3,\n  esc: '\\x41\\v\\0\\'\\q',\n  multi: 'one \\\n two',\n  after: true,\n  ünï: null,\n}\n";
    let got = leaves(text, Dialect::Json5);
    let value = |p: &str| find(&got, p).value.clone();
    assert_eq!(value("unquoted"), Value::String("single \"q\"".into()));
    assert_eq!(value("$dollar_1"), Value::Int(31));
    assert_eq!(value("\"quoted key\""), Value::Int(-10));
    assert_eq!(value("plus"), Value::Int(1));
    assert_eq!(value("lead"), Value::Float(0.5));
    assert_eq!(value("trail"), Value::Float(5.0));
    assert_eq!(value("inf"), Value::Float(f64::NEG_INFINITY));
    assert!(matches!(value("nan"), Value::Float(f) if f.is_nan()));
    assert_eq!(value("exp"), Value::Float(2000.0));
    assert_eq!(value("esc"), Value::String("A\u{b}\0'q".into()));
    assert_eq!(value("multi"), Value::String("one  two".into()));
    assert_eq!(value("ünï"), Value::Null);
    // The escaped line break moved the line count on.
    assert_eq!(find(&got, "after").position, at(15, 10));
    assert_eq!(find(&got, "ünï").position, at(16, 8));
    let multi = find(&got, "multi");
    assert_eq!(multi.position, at(13, 10));
    assert_eq!(&text[multi.span.0 as usize..multi.span.1 as usize], "'one \\\n two'");
}

#[test]
fn json5_refusals() {
    for (text, why) in [
        ("{a: 01}", "`0` followed by digits"),
        ("{a: 0x}", "hex digits"),
        ("{a: 'x\ny'}", "line break"),
        ("{a: '\\1'}", "escape"),
        ("{a: '\\x4'}", "\\x"),
        ("{1a: 1}", "key"),
        ("{a: .}", "digit"),
        ("{a: 1e}", "exponent"),
        ("{a: 0x8000000000000000}", "range"),
        ("{a: 'x}", "unterminated"),
    ] {
        let err = parse(text, Dialect::Json5).unwrap_err();
        assert!(err.message.contains(why), "{text}: {}", err.message);
        assert!(err.position.is_some(), "{text}");
    }
}

#[test]
fn every_truncation_is_an_error_or_leaves_never_a_panic() {
    let json5 = "{a: [1, +2, .3, 'x\\\ny', {b: Infinity}], /* c */ 'k': \"v\", // t\n}";
    for (text, dialect) in [(APPSETTINGS, Dialect::Comments), (json5, Dialect::Json5)] {
        for end in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let _ = parse(&text[..end], dialect);
        }
    }
}

#[test]
fn file_names_choose_the_dialect() {
    let of = |path: &str| {
        Format::from_extension(path.rsplit('.').next().unwrap()).map(|f| f.for_path(path))
    };
    assert_eq!(of("svc/appsettings.Production.json"), Some(Format::Jsonc));
    assert_eq!(of("appsettings.json"), Some(Format::Jsonc));
    assert_eq!(of("config/production.json"), Some(Format::Jsonc));
    assert_eq!(of("app/config/default.json"), Some(Format::Jsonc));
    assert_eq!(of("config/default.json5"), Some(Format::Json5));
    assert_eq!(of("x.jsonc"), Some(Format::Jsonc));
    assert_eq!(of("config_prod.json"), Some(Format::Json));
    assert_eq!(of("configs/config_prod.json"), Some(Format::Json));
}
