//! Edits of flag files (§14): a flag's `enabled` is written as the
//! format's own field (`state: "ENABLED"` in flagd, `disable: true` in GO
//! Feature Flag, `enabled` in Flipt and Unleash), its `default` as the name
//! of the variant that has the new value (flagd `defaultVariant`, GO
//! Feature Flag `defaultRule.variation`, Flipt `default_variant`); a
//! variant's value as its JSON or YAML. What the file does not hold as
//! such (a rule count, an `enabled` the flag leaves to the format's
//! default) is refused with where to change it.

use crate::core::key_path::{self, Segment};
use crate::core::leaf::{Leaf, Value, Written};
use crate::core::parse::Format;
use crate::core::parse::flags::FlagFormat;

/// The text to write at `leaf` of `key` for `value`, or why not.
pub(super) fn render(
    flag_format: FlagFormat,
    format: Format,
    key: &str,
    leaf: &Leaf,
    value: &Value,
    file_leaves: &[(String, &Leaf)],
    old: Option<&str>,
) -> Result<String, String> {
    let segments = key_path::parse(key).map_err(|e| e.to_string())?;
    let field = match segments.as_slice() {
        [_, Segment::Key(field)] => Some(field.as_str()),
        _ => None,
    };
    if leaf.written == Written::Expression {
        return Err(match field {
            Some("rules") => {
                format!("`{key}` counts the flag's targeting rules; change them in the file")
            }
            Some("enabled") => format!(
                "the file does not write `{key}` (the format's default holds); add `{}` to the flag",
                flag_format.enabled_field()
            ),
            _ => format!("`{key}` is not written as one value in the file; change it there"),
        });
    }
    match (field, value) {
        (Some("enabled"), Value::Bool(on)) => Ok(match flag_format {
            FlagFormat::Flagd => if *on { "\"ENABLED\"" } else { "\"DISABLED\"" }.to_owned(),
            FlagFormat::Goff => (!on).to_string(),
            FlagFormat::Flipt | FlagFormat::Unleash => on.to_string(),
        }),
        (Some("enabled"), _) => Err(format!("`{key}` is on or off: true or false")),
        (Some("default"), _) => {
            let name = variant_with(&segments, value, file_leaves)?;
            super::render::render(format, &Value::String(name.as_str().into()), old)
        }
        _ => super::render::render(format, value, old),
    }
}

/// The name of the flag's variant whose value is `value`.
fn variant_with(
    segments: &[Segment],
    value: &Value,
    file_leaves: &[(String, &Leaf)],
) -> Result<String, String> {
    let Some(flag) = segments.first() else { return Err("no flag".to_owned()) };
    let mut names = Vec::new();
    for (path, leaf) in file_leaves {
        let Ok(parts) = key_path::parse(path) else { continue };
        if let [f, Segment::Key(variants), Segment::Key(name)] = parts.as_slice()
            && f == flag
            && variants == "variants"
        {
            if leaf.value.same_as(value) {
                return Ok(name.clone());
            }
            names.push(format!("{name} = {}", leaf.value.display_text()));
        }
    }
    Err(if names.is_empty() {
        "the flag has no variant with a single value to make the default".to_owned()
    } else {
        format!("no variant has that value; the variants are {}", names.join(", "))
    })
}
