//! Hostile files (§2 limits): each becomes an error of that file, with its
//! position where there is one, and the healthy file beside it still loads.
//! None may crash, hang, overflow the stack or eat memory.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use envlens::core::discover::DiscoverOptions;
use envlens::core::project::Project;

/// Loads a project with a healthy dev file and `bytes` as the prod file;
/// returns the prod file's error message and line.
fn prod_error(name: &str, bytes: &[u8]) -> (String, Option<u32>) {
    let dir = tempfile::tempdir().unwrap();
    let ext = if name.starts_with(".env") { "env" } else { name.rsplit('.').next().unwrap() };
    let healthy = match ext {
        "yaml" => "a: 1\n",
        "json" | "jsonc" | "json5" => "{\"a\": 1}",
        "toml" | "tfvars" => "a = 1\n",
        "properties" => "a=1\n",
        "ini" | "cfg" => "[s]\na = 1\n",
        _ => "A=1\n",
    };
    let dev = if ext == "env" { ".env.dev".to_owned() } else { format!("config_dev.{ext}") };
    fs::write(dir.path().join(dev), healthy).unwrap();
    fs::write(dir.path().join(name), bytes).unwrap();
    error_of(dir.path())
}

fn error_of(root: &Path) -> (String, Option<u32>) {
    let project = Project::load(root, &DiscoverOptions::default());
    let set = &project.sets[0];
    assert_eq!(set.envs.len(), 2);
    let dev = &set.envs[0];
    assert!(dev.error.is_none(), "the healthy file loads: {:?}", dev.error);
    assert!(!dev.leaves.is_empty());
    let prod = &set.envs[1];
    assert!(prod.leaves.is_empty());
    let error = prod.error.clone().expect("the hostile file has an error");
    (error.message, error.position.map(|p| p.line))
}

fn nested(open: &str, close: &str, depth: usize) -> Vec<u8> {
    format!("{}{}", open.repeat(depth), close.repeat(depth)).into_bytes()
}

#[test]
fn deep_nesting_in_every_format() {
    let depth = 10_000;
    let cases = [
        ("config_prod.json", nested("[", "]", depth)),
        ("config_prod.jsonc", nested("[", "]", depth)),
        ("config_prod.json5", nested("{a:", "}", depth)),
        ("config_prod.properties", format!("{}x=1\n", "a.".repeat(depth)).into_bytes()),
        ("config_prod.properties", format!("a{}=1\n", "[0]".repeat(depth)).into_bytes()),
        (
            "config_prod.tfvars",
            format!("a = {}1{}\n", "{b = ".repeat(depth), "}".repeat(depth)).into_bytes(),
        ),
        (
            "config_prod.tfvars",
            format!("a = {}\n", String::from_utf8(nested("[", "]", depth)).unwrap()).into_bytes(),
        ),
        ("config_prod.yaml", nested("[", "]", depth)),
        ("config_prod.yaml", format!("{}x\n", "- ".repeat(depth)).into_bytes()),
        (
            "config_prod.toml",
            format!("a = {}", String::from_utf8(nested("[", "]", depth)).unwrap()).into_bytes(),
        ),
        (
            "config_prod.json",
            format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)).into_bytes(),
        ),
        (
            "config_prod.yaml",
            format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth)).into_bytes(),
        ),
    ];
    for (name, bytes) in cases {
        let (message, _) = prod_error(name, &bytes);
        assert!(
            message.contains("256")
                || message.contains("deep")
                || message.contains("nest")
                || message.contains("recursion"),
            "{name}: {message}"
        );
    }
}

#[test]
fn nesting_of_exactly_the_limit_loads_and_one_more_does_not() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("config_dev.json"), nested("[", "]", 255)).unwrap();
    fs::write(dir.path().join("config_prod.json"), nested("[", "]", 258)).unwrap();
    let project = Project::load(dir.path(), &DiscoverOptions::default());
    assert!(project.sets[0].envs[0].error.is_none(), "{:?}", project.sets[0].envs[0].error);
    assert!(project.sets[0].envs[1].error.is_some());
}

#[test]
fn yaml_alias_bomb() {
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        writeln!(bomb, "{name}: &{name} [{refs}]").unwrap();
    }
    let (message, _) = prod_error("config_prod.yaml", bomb.as_bytes());
    assert!(message.contains("alias"), "{message}");
}

#[test]
fn invalid_utf8_and_nul_bytes_have_positions() {
    for name in [
        "config_prod.yaml",
        "config_prod.json",
        "config_prod.toml",
        ".env.prod",
        "config_prod.jsonc",
        "config_prod.json5",
        "config_prod.properties",
        "config_prod.ini",
        "config_prod.tfvars",
    ] {
        let (message, line) = prod_error(name, b"a = 1\nb = \xC3\x28\n");
        assert!(message.contains("UTF-8"), "{name}: {message}");
        assert_eq!(line, Some(2), "{name}");
        let (message, line) = prod_error(name, b"x = 1\n\n\0");
        assert!(message.contains("NUL"), "{name}: {message}");
        assert_eq!(line, Some(3), "{name}");
    }
}

#[test]
fn utf16_files_are_refused() {
    let text: Vec<u8> = "\u{feff}a: 1\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let (message, _) = prod_error("config_prod.yaml", &text);
    assert!(message.contains("UTF-16"), "{message}");
}

#[test]
fn files_over_64_mib_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("config_dev.yaml"), "a: 1\n").unwrap();
    let big = fs::File::create(dir.path().join("config_prod.yaml")).unwrap();
    // A sparse file: the size check must come before reading.
    big.set_len(64 * 1024 * 1024 + 1).unwrap();
    let (message, line) = error_of(dir.path());
    assert!(message.contains("64 MiB"), "{message}");
    assert_eq!(line, None);
}

#[test]
fn huge_numbers_and_long_lines() {
    let digits = "9".repeat(10_000);
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("config_dev.json"), format!("{{\"n\": {digits}}}")).unwrap();
    fs::write(
        dir.path().join("config_prod.yaml"),
        format!("n: {digits}\nlong: {}\n", "x".repeat(1_000_000)),
    )
    .unwrap();
    let project = Project::load(dir.path(), &DiscoverOptions::default());
    // Either a clean error or a value; never a crash.
    for env in &project.sets[0].envs {
        assert!(env.error.is_some() || !env.leaves.is_empty());
    }
}

/// A 1 MB line in each format of §11 loads (a long value), and the file
/// cut short of its end is an error of its own, never a hang.
#[test]
fn one_megabyte_lines_in_the_new_formats() {
    let long = "x".repeat(1_000_000);
    let cases = [
        ("config_prod.jsonc", format!("{{\"long\": \"{long}\", // c\n\"n\": 1}}"), 2),
        ("config_prod.json5", format!("{{long: '{long}', n: 1,}}"), 2),
        ("config_prod.properties", format!("long={long}\\\n  {long}\nn=\\u{}\n", "0041"), 2),
        ("config_prod.ini", format!("[s]\nlong = {long}\n  {long}\nn = 1\n[t]\n"), 3),
        ("config_prod.tfvars", format!("long = \"{long}\" # c\nn = [1]\n"), 2),
    ];
    for (name, text, count) in cases {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(name), &text).unwrap();
        fs::write(dir.path().join(name.replace("prod", "dev")), &text[..text.len() - 3]).unwrap();
        let project = Project::load(dir.path(), &DiscoverOptions::default());
        let envs = &project.sets[0].envs;
        assert!(envs[0].error.is_some(), "{name}: a cut file is an error");
        assert_eq!(envs[1].error, None, "{name}");
        assert_eq!(envs[1].leaves.len(), count, "{name}");
    }
}

#[cfg(unix)]
#[test]
fn unreadable_files_get_an_error() {
    use std::os::unix::fs::PermissionsExt;
    if nix_is_root() {
        return; // root reads any file; the permission check cannot fail
    }
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("config_dev.yaml"), "a: 1\n").unwrap();
    let path = dir.path().join("config_prod.yaml");
    fs::write(&path, "a: 2\n").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    let (message, _) = error_of(dir.path());
    assert!(message.contains("permission denied"), "{message}");
}

#[cfg(unix)]
fn nix_is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}
