//! Scalar typing by the YAML 1.2 core schema (§3): only plain scalars are
//! resolved by their text, every quoted or block scalar is a string, and an
//! explicit core tag (`!!int "3"`) decides the type.

use granit_parser::ScalarStyle;

use super::event::{Ev, TagKind};
use crate::core::leaf::{ParseError, Value};

/// The typed value of a scalar event.
pub(super) fn resolve(ev: &Ev<'_>) -> Result<Value, ParseError> {
    let text = ev.text.as_ref();
    // The messages never quote the text: it may be a secret.
    let wrong = |what: &str| {
        ParseError::at(ev.pos, format!("a value tagged !!{what} is not a valid {what}"))
    };
    match ev.tag {
        TagKind::Str | TagKind::NonSpecific => Ok(Value::String(text.into())),
        TagKind::Null => Ok(Value::Null),
        TagKind::Bool => bool_value(text).map(Value::Bool).ok_or_else(|| wrong("bool")),
        TagKind::Int => match int_value(text) {
            Some(v @ (Value::Int(_) | Value::Float(_))) => Ok(v),
            _ => Err(wrong("int")),
        },
        TagKind::Float => match float_value(text).or_else(|| int_value(text)) {
            #[allow(
                clippy::cast_precision_loss,
                reason = "`!!float` on a huge int means its nearest float"
            )]
            Some(Value::Int(i)) => Ok(Value::Float(i as f64)),
            Some(v) => Ok(v),
            None => Err(wrong("float")),
        },
        TagKind::Seq | TagKind::Map => {
            Err(ParseError::at(ev.pos, "a scalar is tagged as a collection (!!seq or !!map)"))
        }
        TagKind::None | TagKind::Merge | TagKind::Other => Ok(if ev.style == ScalarStyle::Plain {
            plain(text)
        } else {
            Value::String(text.into())
        }),
    }
}

/// True when the scalar reads as null (a document made of it has no leaves).
pub(super) fn is_null(ev: &Ev<'_>) -> bool {
    matches!(resolve(ev), Ok(Value::Null))
}

/// An untagged plain scalar.
pub(super) fn plain(text: &str) -> Value {
    // Most plain scalars are words: skip the schema checks for them.
    let Some(first) = text.bytes().next() else {
        return Value::Null;
    };
    if !matches!(
        first,
        b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F'
    ) {
        return Value::String(text.into());
    }
    if matches!(text, "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    if let Some(b) = bool_value(text) {
        return Value::Bool(b);
    }
    int_value(text).or_else(|| float_value(text)).unwrap_or_else(|| Value::String(text.into()))
}

fn bool_value(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`; too big for i64 → float.
fn int_value(text: &str) -> Option<Value> {
    let (digits, radix) = if let Some(octal) = text.strip_prefix("0o") {
        (octal, 8)
    } else if let Some(hex) = text.strip_prefix("0x") {
        (hex, 16)
    } else {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(
            text.parse::<i64>()
                .map_or_else(|_| Value::Float(text.parse::<f64>().unwrap_or(f64::NAN)), Value::Int),
        );
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(i64::from_str_radix(digits, radix).map_or_else(
        |_| {
            let f = digits.chars().fold(0.0_f64, |acc, c| {
                acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
            });
            Value::Float(f)
        },
        Value::Int,
    ))
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?\.inf`,
/// `\.nan` (in the three casings the schema allows).
fn float_value(text: &str) -> Option<Value> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        let inf = if text.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY };
        return Some(Value::Float(inf));
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(Value::Float(f64::NAN));
    }
    is_core_float(unsigned.as_bytes()).then(|| text.parse::<f64>().ok()).flatten().map(Value::Float)
}

fn is_core_float(s: &[u8]) -> bool {
    let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let int_len = digits(s);
    let mut i = int_len;
    let mut frac_len = 0;
    if s.get(i) == Some(&b'.') {
        frac_len = digits(&s[i + 1..]);
        i += 1 + frac_len;
    }
    if int_len == 0 && frac_len == 0 {
        return false;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = digits(&s[i..]);
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == s.len()
}
