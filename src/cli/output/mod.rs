//! Writers for the command line's formats. They lay out a report and hold
//! no decisions of their own.

pub mod json;
pub mod markdown;
pub mod style;
pub mod table;
