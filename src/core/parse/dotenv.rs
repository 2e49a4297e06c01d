//! dotenv parser (being written).

use crate::core::leaf::{Leaf, ParseError};

pub fn parse(_text: &str) -> Result<Vec<Leaf>, ParseError> {
    Err(ParseError::nowhere("dotenv support is not built yet"))
}
