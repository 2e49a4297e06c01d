//! Links the `envlens` executable as a position-dependent (non-PIE) binary
//! on Linux with glibc.
//!
//! Why: envlens is a short-lived command run once per file pair, per CI
//! step, per editor save. As a PIE its ~39,000 relative relocations (panic
//! locations, vtables, string tables) are applied by the dynamic loader at
//! every start, dirtying some 160 pages of `.data.rel.ro`: measured on
//! 2026-12-06 (rustc 1.95, x86-64, glibc 2.36, medians of 200 in one
//! hyperfine run) `envlens --version` took 1.6 ms as a PIE and 1.0 ms
//! without, and `envlens diff` of workload (a) (3 x 300 keys) 2.4 ms
//! against 1.8 ms, beside 0.9 ms for `diff -u` of the same pair. Packed
//! relocations (`-z pack-relative-relocs`) were measured too and gave
//! nothing: the pages are dirtied all the same.
//!
//! The cost is address-space randomisation of the executable's own code
//! (libraries, heap and stack are still randomised). Build with
//! `ENVLENS_PIE=1` to keep a PIE.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=ENVLENS_PIE");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    let keep_pie = std::env::var_os("ENVLENS_PIE").is_some_and(|v| !v.is_empty() && v != "0");
    if os == "linux" && env == "gnu" && !keep_pie {
        // Only the executables: the library, the test harnesses and the
        // proc macros of the dependencies link as before.
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
