//! Tests of the HCL reader: literal types, expressions as their source
//! text, `variables.tf` defaults, comments as documentation, positions,
//! spans, duplicates and the nesting limit.

use proptest::prelude::*;

use super::{is_literal, parse};
use crate::core::leaf::{Named, ParseError, Parsed, Position, Value, Written};

fn read(text: &str) -> Result<Vec<Named>, ParseError> {
    parse(text).map(Parsed::named)
}

fn leaves(text: &str) -> Vec<Named> {
    read(text).unwrap_or_else(|e| panic!("{e} at {:?} in\n{text}", e.position))
}

fn find<'a>(leaves: &'a [Named], path: &str) -> &'a Named {
    leaves.iter().find(|l| l.path == path).unwrap_or_else(|| panic!("no {path}"))
}

pub(super) const TFVARS: &str = r#"# Where it runs.
region        = "eu-west-1"
instance_count = 3
ratio         = 0.5
negative      = -2
enabled       = true
nothing       = null
azs           = ["a", "b"] // zones
tags = {
  Team = "platform"
  "cost-center" = 42
}
empty_list = []
empty_map  = {}
db_password = var.db_password
name_prefix = "${local.env}-db"
upper       = upper("x")
"#;

#[test]
fn literals_keep_their_types_and_expressions_their_text() {
    let got = leaves(TFVARS);
    let value = |p: &str| find(&got, p).value.clone();
    assert_eq!(value("region"), Value::String("eu-west-1".into()));
    assert_eq!(value("instance_count"), Value::Int(3));
    assert_eq!(value("ratio"), Value::Float(0.5));
    assert_eq!(value("negative"), Value::Int(-2));
    assert_eq!(value("enabled"), Value::Bool(true));
    assert_eq!(value("nothing"), Value::Null);
    assert_eq!(value("azs[1]"), Value::String("b".into()));
    assert_eq!(value("tags.Team"), Value::String("platform".into()));
    assert_eq!(value("tags.cost-center"), Value::Int(42));
    assert_eq!(value("empty_list"), Value::EmptyList);
    assert_eq!(value("empty_map"), Value::EmptyMap);
    assert_eq!(value("db_password"), Value::String("var.db_password".into()));
    assert_eq!(value("name_prefix"), Value::String("\"${local.env}-db\"".into()));
    assert_eq!(value("upper"), Value::String("upper(\"x\")".into()));
}

#[test]
fn expressions_are_marked_and_literals_are_not() {
    let got = leaves(TFVARS);
    for path in ["db_password", "name_prefix", "upper"] {
        assert_eq!(find(&got, path).written, Written::Expression, "{path}");
    }
    for path in ["region", "instance_count", "negative", "azs[0]", "tags.Team", "empty_map"] {
        assert_eq!(find(&got, path).written, Written::Text, "{path}");
    }
    let text = "a = [var.x, \"y\"]\nb = -var.n\nc = <<EOT\ntext only\nEOT\nd = <<EOT\n${var.x}\nEOT\ne = \"$${not.interpolated}\"\nf = x ? 1 : 2\n";
    let got = leaves(text);
    let written = |p: &str| find(&got, p).written;
    assert_eq!(written("a[0]"), Written::Expression);
    assert_eq!(written("a[1]"), Written::Text);
    assert_eq!(written("b"), Written::Expression);
    assert_eq!(written("c"), Written::Text, "a heredoc of text alone says only its text");
    assert_eq!(written("d"), Written::Expression);
    assert_eq!(written("e"), Written::Text, "an escaped `$${{` is text");
    assert_eq!(written("f"), Written::Expression);
}

#[test]
fn positions_spans_and_documentation() {
    let got = leaves(TFVARS);
    let region = find(&got, "region");
    assert_eq!(region.position, Position { line: 2, column: 17 });
    assert_eq!(&TFVARS[region.span.0 as usize..region.span.1 as usize], "\"eu-west-1\"");
    assert_eq!(region.doc.as_deref(), Some("Where it runs."));
    assert_eq!(find(&got, "azs[0]").doc.as_deref(), Some("zones"), "items share the list's");
    let negative = find(&got, "negative");
    assert_eq!(&TFVARS[negative.span.0 as usize..negative.span.1 as usize], "-2");
    let empty = find(&got, "empty_map");
    assert_eq!(
        empty.position,
        Position { line: 14, column: 1 },
        "an empty value points at its key"
    );
}

#[test]
fn variables_tf_gives_its_defaults() {
    let text = r#"
terraform {
  required_version = ">= 1.5"
}

# The AWS region.
variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "no_default" {
  type = string
}

variable "sizes" {
  default = { web = 2, worker = 4 }
}

resource "aws_instance" "web" {
  ami = "ami-123"
}
"#;
    let got = leaves(text);
    let paths: Vec<&str> = got.iter().map(|l| l.path.as_str()).collect();
    assert_eq!(paths, ["region", "sizes.web", "sizes.worker"]);
    assert_eq!(got[0].value, Value::String("eu-west-1".into()));
    assert_eq!(got[0].position, Position { line: 9, column: 13 });
    assert_eq!(got[2].value, Value::Int(4));
}

#[test]
fn duplicates_and_syntax_errors_have_positions() {
    let err = read("a = 1\nb = 2\na = 3\n").unwrap_err();
    assert_eq!(err.message, "duplicate key: a key is set twice");
    assert_eq!(err.position.map(|p| p.line), Some(3));
    let err = read("m = { x = 1, x = 2 }\n").unwrap_err();
    assert!(err.message.starts_with("duplicate key"), "{}", err.message);
    let err = read("a = 1\nb = \n").unwrap_err();
    assert_eq!(err.position.map(|p| p.line), Some(2), "{}", err.message);
    let err = read("a = \"unterminated\n").unwrap_err();
    assert_eq!(err.position.map(|p| p.line), Some(1), "{}", err.message);
}

#[test]
fn deep_nesting_is_an_error() {
    let depth = 10_000;
    let text = format!("a = {}1{}\n", "{b = ".repeat(depth), "}".repeat(depth));
    let err = read(&text).unwrap_err();
    assert!(err.message.contains("64"), "{}", err.message);
    let text = format!("a = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    assert!(read(&text).is_err());
}

#[test]
fn literals_and_expressions_for_edits() {
    for text in ["\"x\"", "1", "-1.5", "true", "null", "[1, \"a\"]", "{ a = 1 }"] {
        assert!(is_literal(text), "{text}");
    }
    for text in ["var.x", "\"${var.x}\"", "f(1)", "a ? 1 : 2", "-var.x", "[var.x]"] {
        assert!(!is_literal(text), "{text}");
    }
}

proptest! {
    #[test]
    fn never_panics_and_spans_stay_inside(text in "[a-z={}\\[\\]\",.#/ \n0-9é$-]{0,60}") {
        if let Ok(parsed) = parse(&text) {
            for leaf in &parsed.leaves {
                let (start, end) = (leaf.span.0 as usize, leaf.span.1 as usize);
                prop_assert!(start <= end && end <= text.len());
                prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            }
        }
    }
}
