//! The edit path: a generated file, a leaf picked by the input, a value
//! from the input, `edit::plan` in a temporary project; the result is a
//! clean refusal or exactly that edit (`envlens_fuzz::edit_one`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| envlens_fuzz::edit_one(data));
