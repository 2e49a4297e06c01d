//! Writers for the command line's formats. They lay out a report and hold
//! no decisions of their own.

pub mod check_json;
pub mod check_text;
pub mod cut;
pub mod docs_json;
pub mod docs_markdown;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod style;
pub mod table;
pub mod table_layout;
