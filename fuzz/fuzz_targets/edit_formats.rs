//! The edit path for the formats of §11 (JSON with comments, JSON5, …):
//! the same input layout and checks as `edit`, with byte 0 picking one of
//! these formats (`envlens_fuzz::edit_one_of_more`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| envlens_fuzz::edit_one_of_more(data));
