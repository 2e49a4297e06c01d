//! The compact event the YAML walker consumes: one shape for events read
//! live from granit-parser and for events replayed from an anchor's
//! recording, with spans already corrected for editing.

use std::borrow::Cow;

use granit_parser::{Event, Placement, ScalarStyle, Span, Tag};

use crate::core::leaf::Position;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Scalar,
    SeqStart,
    SeqEnd,
    MapStart,
    MapEnd,
    Alias,
    /// An own-line comment (candidate documentation of the next key).
    CommentAbove,
    /// A comment after content on the same line.
    CommentRight,
}

/// The explicit tag of a node, reduced to what typing needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TagKind {
    None,
    Str,
    Int,
    Float,
    Bool,
    Null,
    Seq,
    Map,
    Merge,
    /// `!`: forces a string.
    NonSpecific,
    /// Any other tag: ignored, the node resolves as if untagged.
    Other,
}

impl TagKind {
    fn of(tag: Option<&Tag>) -> Self {
        let Some(tag) = tag else {
            return Self::None;
        };
        match tag.core_suffix() {
            Some("str") => Self::Str,
            Some("int") => Self::Int,
            Some("float") => Self::Float,
            Some("bool") => Self::Bool,
            Some("null") => Self::Null,
            Some("seq") => Self::Seq,
            Some("map") => Self::Map,
            _ => {
                let (handle, suffix) = tag.parts();
                if handle.is_empty() && suffix == "!" {
                    Self::NonSpecific
                } else if format!("{handle}{suffix}") == "tag:yaml.org,2002:merge" {
                    Self::Merge
                } else {
                    Self::Other
                }
            }
        }
    }
}

/// One node, end or comment event. `anchor` is the anchor defined on a node
/// start, or the target of an alias; 0 for none.
#[derive(Debug, Clone)]
pub(super) struct Ev<'a> {
    pub kind: Kind,
    pub style: ScalarStyle,
    pub tag: TagKind,
    pub anchor: usize,
    pub text: Cow<'a, str>,
    pub start: u32,
    pub end: u32,
    pub pos: Position,
}

impl Ev<'_> {
    pub fn span(&self) -> (u32, u32) {
        (self.start, self.end)
    }

    /// An empty plain scalar (`key:` with nothing after it).
    pub fn is_empty_plain(&self) -> bool {
        self.kind == Kind::Scalar && self.style == ScalarStyle::Plain && self.start == self.end
    }
}

/// Converts a parser event; `None` for stream and document markers, which
/// the driver handles. `prev_end` is the end of the previous node event,
/// the lower bound of a block scalar's header.
pub(super) fn convert<'a>(
    event: Event<'a>,
    span: &Span,
    text: &'a str,
    prev_end: usize,
) -> Option<Ev<'a>> {
    let range = span.byte_range().unwrap_or(0..0);
    let mut ev = Ev {
        kind: Kind::Scalar,
        style: ScalarStyle::Plain,
        tag: TagKind::None,
        anchor: 0,
        text: Cow::Borrowed(""),
        start: range.start as u32,
        end: range.end as u32,
        pos: Position { line: span.start.line() as u32, column: span.start.col() as u32 + 1 },
    };
    match event {
        Event::Scalar(value, style, anchor, tag) => {
            ev.style = style;
            ev.anchor = anchor;
            ev.tag = TagKind::of(tag.as_deref());
            // granit reports an empty plain scalar as `~`; keep its real
            // (empty) text so that `!!str` on it gives "".
            ev.text = if style == ScalarStyle::Plain && range.is_empty() {
                Cow::Borrowed("")
            } else {
                value
            };
            fix_scalar_span(&mut ev, text, prev_end);
        }
        Event::SequenceStart(_, anchor, tag) => {
            ev.kind = Kind::SeqStart;
            ev.anchor = anchor;
            ev.tag = TagKind::of(tag.as_deref());
        }
        Event::MappingStart(_, anchor, tag) => {
            ev.kind = Kind::MapStart;
            ev.anchor = anchor;
            ev.tag = TagKind::of(tag.as_deref());
        }
        Event::SequenceEnd => ev.kind = Kind::SeqEnd,
        Event::MappingEnd => ev.kind = Kind::MapEnd,
        Event::Alias(target) => {
            ev.kind = Kind::Alias;
            ev.anchor = target;
        }
        Event::Comment(body, placement) => {
            ev.kind =
                if placement == Placement::Right { Kind::CommentRight } else { Kind::CommentAbove };
            ev.text = body;
        }
        _ => return None,
    }
    Some(ev)
}

fn fix_scalar_span(ev: &mut Ev<'_>, text: &str, prev_end: usize) {
    match ev.style {
        ScalarStyle::Literal | ScalarStyle::Folded => fix_block_span(ev, text, prev_end),
        ScalarStyle::Plain if ev.start == ev.end => {
            // An empty value: point just after the `:` so that an edit
            // inserts the new value there rather than inside the key.
            let at = ev.start as usize;
            let rest = text.get(at..).unwrap_or("");
            let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            if rest[gap..].starts_with(':') {
                let after = (at + gap + 1) as u32;
                ev.start = after;
                ev.end = after;
            }
        }
        _ => {}
    }
}

/// granit starts a block scalar's span at its first content line and ends it
/// at the next token; an edit must replace the header (`|-2`) too, and must
/// not eat the next line's indentation.
fn fix_block_span(ev: &mut Ev<'_>, text: &str, prev_end: usize) {
    let content = ev.start as usize;
    if let Some(header) = find_block_header(text, prev_end.min(content), content) {
        let newlines = text[header..content].matches('\n').count() as u32;
        let line_start = text[..header].rfind('\n').map_or(0, |i| i + 1);
        ev.pos = Position {
            line: ev.pos.line.saturating_sub(newlines),
            column: text[line_start..header].chars().count() as u32 + 1,
        };
        ev.start = header as u32;
    }
    let body = &text[ev.start as usize..ev.end as usize];
    let mut end = body.len();
    while let Some(nl) = body[..end].rfind('\n') {
        if !body[nl + 1..end].trim().is_empty() {
            break;
        }
        end = nl;
        if body[..end].ends_with('\r') {
            end -= 1;
        }
    }
    ev.end = ev.start + end as u32;
}

/// The byte offset of the `|` or `>` indicator between `from` and `to`: the
/// first one preceded by white space (or at a line start) and followed only
/// by indentation/chomping indicators, blanks and an optional comment.
fn find_block_header(text: &str, from: usize, to: usize) -> Option<usize> {
    let region = text.get(from..to)?;
    region.match_indices(['|', '>']).find_map(|(i, _)| {
        let before_ok = region[..i].chars().next_back().is_none_or(char::is_whitespace);
        let rest = &region[i + 1..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let rest = rest[..line_end]
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-')
            .trim_start_matches([' ', '\t', '\r']);
        (before_ok && (rest.is_empty() || rest.starts_with('#'))).then_some(from + i)
    })
}
