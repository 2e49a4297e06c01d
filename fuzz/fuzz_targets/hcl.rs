//! The HCL parser through the public core API: `source::decode` then
//! `parse`. Any panic, hang or memory blow-up is a finding; a refused
//! input is not.

#![no_main]

use envlens::core::parse::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| envlens_fuzz::parse_bytes(Format::Hcl, data));
