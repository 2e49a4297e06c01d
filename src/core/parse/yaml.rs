//! The YAML parser: granit-parser's event stream flattened straight into
//! leaves (§3), with YAML 1.2 core-schema typing, anchors, aliases and merge
//! keys, multi-document files, doc comments and editable spans. Owns every
//! YAML-specific rule; nothing outside this module sees granit-parser.

mod anchors;
mod docs;
mod event;
mod fast;
mod fast_scan;
mod keys;
mod merge;
mod scalar;
mod walk;

use granit_parser::{ErrorKind, Event, Parser, ScanError, options};

use crate::core::flatten::MAX_DEPTH;
use crate::core::key_path;
use crate::core::keys::PathList;
use crate::core::leaf::{ParseError, Parsed, Position, Value};

/// A YAML 1.2 plain scalar's value (core schema): for formats whose
/// strings a layout compares as YAML would read them (Spring's
/// `.properties`).
pub fn plain_scalar(text: &str) -> Value {
    scalar::plain(text)
}

/// Parses one YAML file's text (UTF-8, no BOM) into leaves in document
/// order; a file of several documents gets a leading `[i]` per document.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    // Most config files lie in the subset the fast path reads, several
    // times faster than granit's events; it hands anything else over.
    if let Some(parsed) = fast::try_parse(text) {
        return Ok(parsed);
    }
    parse_full(text)
}

/// The full parser: every file, every error. `parse` goes here when its
/// fast path hands a text over (`benches/core.rs` times both).
pub fn parse_full(text: &str) -> Result<Parsed, ParseError> {
    if u32::try_from(text.len()).is_err() {
        return Err(ParseError::nowhere("file too large for YAML spans"));
    }
    // granit's own nesting limits are set past ours so that the Flattener
    // reports depth the same way for every format.
    let options = options! {
        strict_indentation: true,
        flow_nesting_limit: MAX_DEPTH + 2,
        block_nesting_limit: MAX_DEPTH + 2,
    };
    let mut walker = walk::Walker::default();
    let mut doc_starts = Vec::new();
    let mut prev_end = 0;
    for next in Parser::new_from_str_with_options(text, options) {
        let (event, span) = next.map_err(|e| scan_error(&e))?;
        match event {
            Event::StreamStart | Event::StreamEnd => {}
            Event::DocumentStart(..) => doc_starts.push(walker.leaves.len()),
            Event::DocumentEnd => walker.end_document(),
            other => {
                let is_comment = matches!(other, Event::Comment(..));
                let end = span.end.byte_offset().unwrap_or(prev_end);
                if let Some(ev) = event::convert(other, &span, text, prev_end) {
                    walker.live(&ev)?;
                }
                if !is_comment {
                    prev_end = end;
                }
            }
        }
    }
    let mut parsed = walker.finish();
    if doc_starts.len() > 1 {
        parsed.paths = prefix_documents(&parsed, &doc_starts);
    }
    Ok(parsed)
}

fn scan_error(error: &ScanError) -> ParseError {
    let mark = error.marker();
    let at = Position { line: mark.line() as u32, column: mark.col() as u32 + 1 };
    // granit counts some block nesting (indentless sequences) before the
    // Flattener sees it: say it the way every format does.
    if matches!(error.kind(), ErrorKind::RecursionLimitExceeded) {
        return ParseError::at(at, format!("nesting deeper than {MAX_DEPTH} levels"));
    }
    ParseError::at(at, error.info())
}

/// The paths with every leaf's document's `[i]` segment in front. The
/// walker records one path per leaf, in leaf order.
pub(super) fn prefix_documents(parsed: &Parsed, doc_starts: &[usize]) -> PathList {
    let mut prefixed = PathList::new();
    let mut cursor = parsed.paths.cursor();
    let mut doc = 0;
    let mut at = 0;
    // One buffer for every path: a stream of many small documents has a
    // path per leaf to write.
    let mut path = String::new();
    while let Some(old) = cursor.advance() {
        while doc_starts.get(doc + 1).is_some_and(|&start| start <= at) {
            doc += 1;
        }
        path.clear();
        key_path::push_index(&mut path, doc);
        if !old.is_empty() && !old.starts_with('[') {
            path.push('.');
        }
        path.push_str(old);
        prefixed.push(&path);
        at += 1;
    }
    prefixed
}

#[cfg(test)]
mod fast_gen;
#[cfg(test)]
mod fast_tests;
#[cfg(test)]
mod tests;
