//! The flag-file readers (§14) through the public core API: the first
//! byte picks flagd, GO Feature Flag, Flipt or an Unleash export, the rest
//! is the file. Any panic, hang or memory blow-up is a finding; a refused
//! input is not.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| envlens_fuzz::parse_flags(data));
