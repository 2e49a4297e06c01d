//! What every benchmark shares: projects written once by
//! `bench/gen_configs.py` and cached in the system temp folder.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Generates (once) a project with the given arguments and returns its folder.
pub fn workload(name: &str, args: &[&str]) -> PathBuf {
    let out = std::env::temp_dir().join(format!("envlens-bench-{name}"));
    if !out.join(".done").exists() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_configs.py");
        let status = Command::new("python3")
            .arg(script)
            .arg("--out")
            .arg(&out)
            .args(args)
            .status()
            .expect("python3 runs gen_configs.py");
        assert!(status.success(), "gen_configs.py failed");
        std::fs::write(out.join(".done"), "").expect("temp folder is writable");
    }
    out
}
