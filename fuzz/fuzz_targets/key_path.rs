//! Key paths (§3): `key_path::parse` never panics on any text, and
//! printing and reading round-trip (`envlens_fuzz::key_path_round_trip`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| envlens_fuzz::key_path_round_trip(data));
