//! HCL (`.tfvars`, and the defaults of `variables.tf`) → leaves through
//! `hcl-edit`, which keeps a span on every expression. Top-level
//! attributes are keys; a `variable "name" { default = … }` block gives
//! the key `name` its default (other blocks are not config). Literals keep
//! their types (string, number as int or float, bool, null, lists and
//! objects walked into); any other expression (`var.region`,
//! `"${local.x}-db"`, a function call) is a string of its source text,
//! marked as an expression: §5 counts it as a reference, never a secret
//! by its name. A heredoc without interpolation holds only text, so it is
//! not marked (a `db_password = <<EOT` heredoc stays a secret).
//! Comments (`#`, `//`) above a key or after its value document it (§6).

use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, UnaryOperator};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::template::{Element, Template};
use rustc_hash::FxHashMap;

use crate::core::flatten::Flattener;
use crate::core::leaf::{ParseError, Parsed, Position, Value, Written};
use crate::core::source::LineIndex;

mod doc;
mod fast;
mod fast_scalar;
#[cfg(test)]
mod fast_tests;
#[cfg(test)]
mod tests;

/// Parses an HCL file's attributes and variable defaults into leaves.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    // Most `.tfvars` files hold literals alone, which the fast path reads
    // several times faster than `hcl-edit`; it hands anything else over.
    if let Some(parsed) = fast::try_parse(text) {
        return Ok(parsed);
    }
    parse_full(text)
}

/// The full parser, through `hcl-edit`: every file, every error. `parse`
/// comes here when its fast path hands a text over.
pub fn parse_full(text: &str) -> Result<Parsed, ParseError> {
    let index = LineIndex::new(text);
    let body = hcl_edit::parser::parse_body(text).map_err(|err| {
        let location = err.location();
        let at = index.position(location.offset().min(text.len()));
        ParseError::at(at, message_of(err.message()))
    })?;
    let mut walker = Walker { text, index, out: Flattener::for_text(text.len()) };
    walker.body(&body)?;
    Ok(walker.out.into_parsed())
}

/// hcl-edit's message, said the way the other parsers say theirs.
fn message_of(message: &str) -> String {
    let message = message.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("invalid HCL");
    if message.contains("redefined attribute") || message.contains("redefined object key") {
        "duplicate key: a key is set twice".to_owned()
    } else if message.contains("nested levels") {
        "nesting too deep for the HCL parser (more than 64 levels)".to_owned()
    } else {
        message.to_owned()
    }
}

/// Whether a value's text is an HCL literal that an edit may replace.
pub fn is_literal(text: &str) -> bool {
    hcl_edit::parser::parse_expr(text).is_ok_and(|expr| literal(&expr))
}

fn literal(expr: &Expression) -> bool {
    match expr {
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::Number(_)
        | Expression::String(_) => true,
        Expression::UnaryOp(op) => matches!(op.expr, Expression::Number(_)),
        Expression::Array(items) => items.iter().all(literal),
        Expression::Object(object) => object.iter().all(|(_, v)| literal(v.expr())),
        _ => false,
    }
}

/// Whether a scalar leaf's expression is one Terraform evaluates (a
/// variable, traversal, call, operation, or a template that interpolates):
/// its text then names values kept elsewhere. A negative number is a
/// literal; a template of text alone says only its text.
fn evaluated(expr: &Expression) -> bool {
    match expr {
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::Number(_)
        | Expression::String(_)
        | Expression::Array(_)
        | Expression::Object(_) => false,
        Expression::UnaryOp(op) => !matches!(op.expr, Expression::Number(_)),
        Expression::StringTemplate(template) => interpolates(template),
        Expression::HeredocTemplate(heredoc) => interpolates(&heredoc.template),
        _ => true,
    }
}

fn interpolates(template: &Template) -> bool {
    template.iter().any(|element| !matches!(element, Element::Literal(_)))
}

struct Walker<'a> {
    text: &'a str,
    index: LineIndex<'a>,
    out: Flattener,
}

impl Walker<'_> {
    fn body(&mut self, body: &Body) -> Result<(), ParseError> {
        let mut seen: FxHashMap<String, u32> = FxHashMap::default();
        for structure in body {
            let (name, key_span, value) = match structure {
                Structure::Attribute(attr) => {
                    (attr.key.as_str().to_owned(), attr.key.span(), Some(&attr.value))
                }
                Structure::Block(block) if block.ident.as_str() == "variable" => {
                    let Some(label) = block.labels.first() else { continue };
                    let default = block.body.get_attribute("default").map(|a| &a.value);
                    (label.as_str().to_owned(), block.span(), default)
                }
                Structure::Block(_) => continue,
            };
            let Some(value) = value else { continue };
            let at = self.pos(key_span.as_ref().map_or(0, |s| s.start));
            if let Some(first) = seen.insert(name.clone(), at.line) {
                return Err(ParseError::at(
                    at,
                    format!("duplicate key `{name}` (first at line {first})"),
                ));
            }
            self.out.enter_key(&name, at)?;
            self.value(value, key_span.as_ref(), None)?;
            self.out.leave();
        }
        Ok(())
    }

    fn pos(&self, offset: usize) -> Position {
        self.index.position(offset)
    }

    /// `key` is the span of the key the value is written under (None for
    /// a list item); `inherited` the documentation of the list around it.
    fn value(
        &mut self,
        expr: &Expression,
        key: Option<&Range<usize>>,
        inherited: Option<&str>,
    ) -> Result<(), ParseError> {
        let span = expr.span().unwrap_or_default();
        let doc = doc::of(self.text, key.map_or(span.start, |k| k.start), span.end)
            .or_else(|| inherited.map(str::to_owned));
        let key_at = key.map_or(span.start, |k| k.start);
        let (value, at) = match expr {
            Expression::Array(items) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    let at = self.pos(item.span().map_or(span.start, |s| s.start));
                    self.out.enter_index(i, at)?;
                    self.value(item, None, doc.as_deref())?;
                    self.out.leave();
                }
                return Ok(());
            }
            Expression::Object(object) if !object.is_empty() => {
                return self.object(object, span.start);
            }
            Expression::Array(_) => (Value::EmptyList, key_at),
            Expression::Object(_) => (Value::EmptyMap, key_at),
            Expression::Null(_) => (Value::Null, span.start),
            Expression::Bool(b) => (Value::Bool(*b.value()), span.start),
            Expression::Number(n) => (number(n.value(), false), span.start),
            Expression::UnaryOp(op) => match (op.operator.value(), &op.expr) {
                (UnaryOperator::Neg, Expression::Number(n)) => {
                    (number(n.value(), true), span.start)
                }
                _ => (Value::String(self.source(&span).into()), span.start),
            },
            Expression::String(s) => (Value::String(s.value().as_str().into()), span.start),
            _ => (Value::String(self.source(&span).into()), span.start),
        };
        self.out.leaf(value, self.pos(at), (span.start as u32, span.end as u32), doc);
        if evaluated(expr) {
            self.out.mark_written(Written::Expression);
        }
        Ok(())
    }

    fn object(&mut self, object: &hcl_edit::expr::Object, start: usize) -> Result<(), ParseError> {
        let mut seen: FxHashMap<String, u32> = FxHashMap::default();
        for (key, value) in object {
            let key_span = key.span();
            let name = match key {
                ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                ObjectKey::Expression(other) => {
                    self.source(&other.span().unwrap_or_default()).to_owned()
                }
            };
            let at = self.pos(key_span.as_ref().map_or(start, |s| s.start));
            if let Some(first) = seen.insert(name.clone(), at.line) {
                return Err(ParseError::at(
                    at,
                    format!("duplicate key `{name}` (first at line {first})"),
                ));
            }
            self.out.enter_key(&name, at)?;
            self.value(value.expr(), key_span.as_ref(), None)?;
            self.out.leave();
        }
        Ok(())
    }

    fn source(&self, span: &Range<usize>) -> &str {
        self.text.get(span.clone()).unwrap_or_default()
    }
}

/// An HCL number as an int when it is one, else a float.
fn number(n: &hcl_edit::Number, negative: bool) -> Value {
    match n.as_i64() {
        Some(i) if !n.is_f64() => Value::Int(if negative { -i } else { i }),
        _ => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            Value::Float(if negative { -f } else { f })
        }
    }
}
