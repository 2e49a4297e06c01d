//! What every benchmark shares: projects written once by
//! `bench/gen_configs.py` (or `bench/gen_manifests.py`) and cached in the system temp folder.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Generates (once) a project with the given arguments and returns its folder.
pub fn workload(name: &str, args: &[&str]) -> PathBuf {
    generated("gen_configs.py", name, args)
}

/// Generates (once) a Kubernetes manifest stream per env with
/// `bench/gen_manifests.py` and returns its folder.
#[allow(dead_code, reason = "only some benchmarks read manifests")]
pub fn manifests(name: &str, args: &[&str]) -> PathBuf {
    generated("gen_manifests.py", name, args)
}

fn generated(script: &str, name: &str, args: &[&str]) -> PathBuf {
    let out = std::env::temp_dir().join(format!("envlens-bench-{name}"));
    if !out.join(".done").exists() {
        let status = Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("bench").join(script))
            .arg("--out")
            .arg(&out)
            .args(args)
            .status()
            .expect("python3 runs the generator");
        assert!(status.success(), "{script} failed");
        std::fs::write(out.join(".done"), "").expect("temp folder is writable");
    }
    out
}
