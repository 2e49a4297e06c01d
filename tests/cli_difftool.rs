//! `envlens difftool` (§13): two files, `/dev/null` sides, two folders
//! (kubectl's file names), and driven for real by `git diff` through
//! `GIT_EXTERNAL_DIFF` and by `git difftool` in one-file and `-d` modes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::Value as J;
use support::git::{GitRepo, git_command, have_git};

const BIN: &str = env!("CARGO_BIN_EXE_envlens");

fn envlens(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).current_dir(dir).env("NO_COLOR", "1").output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn two_files_and_null_sides() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/config_prod.yaml", "port: 1\nhost: db\ndb_password: fake-left-pass\n");
    write(dir.path(), "b/config_prod.yaml", "port: 2\nhost: db\ndb_password: fake-right-pass\n");
    let (code, out, err) =
        envlens(dir.path(), &["difftool", "a/config_prod.yaml", "b/config_prod.yaml"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("1 → 2"), "{out}");
    assert!(!out.contains("host"), "an unchanged key is not shown: {out}");
    assert!(out.contains("•••••••• → ••••••••"), "{out}");
    assert!(!out.contains("fake-"), "{out}");
    let (code, json, _) = envlens(
        dir.path(),
        &["difftool", "a/config_prod.yaml", "b/config_prod.yaml", "--format", "json"],
    );
    assert_eq!(code, 1);
    let doc: J = serde_json::from_str(&json).unwrap();
    let port = &doc["sets"][0]["keys"][0];
    assert_eq!(port["key"], "port");
    assert_eq!(
        port["values"]["prod"]["before"]["value"], 1,
        "the env is read from the name: {doc}"
    );
    assert_eq!(port["values"]["prod"]["value"], 2);

    let (code, out, _) =
        envlens(dir.path(), &["difftool", "a/config_prod.yaml", "a/config_prod.yaml"]);
    assert_eq!((code, out.as_str()), (0, ""), "the same file twice");
    let (code, out, _) = envlens(dir.path(), &["difftool", "/dev/null", "b/config_prod.yaml"]);
    assert_eq!(code, 1);
    assert!(out.contains("— → 2"), "{out}");
    let (code, out, _) = envlens(dir.path(), &["difftool", "a/config_prod.yaml", "/dev/null"]);
    assert_eq!(code, 1);
    assert!(out.contains("1 → —"), "{out}");

    write(dir.path(), "broken.yaml", "a: [\n");
    let (code, _, err) = envlens(dir.path(), &["difftool", "a/config_prod.yaml", "broken.yaml"]);
    assert_eq!(code, 2, "a side that does not parse is an error");
    assert!(err.contains("broken.yaml"), "{err}");
    let (code, _, err) = envlens(dir.path(), &["difftool", "a/config_prod.yaml", "nope.yaml"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("envlens: no such file or folder: nope.yaml"), "{err}");
}

#[test]
fn two_folders_file_by_file_as_kubectl_hands_them_over() {
    let dir = tempfile::tempdir().unwrap();
    // KUBECTL_EXTERNAL_DIFF gets two folders of group.version.kind.ns.name files.
    write(dir.path(), "live/apps.v1.Deployment.shop.web", "spec:\n  replicas: 2\n  image: web:1\n");
    write(
        dir.path(),
        "merged/apps.v1.Deployment.shop.web",
        "spec:\n  replicas: 3\n  image: web:1\n",
    );
    write(dir.path(), "merged/v1.ConfigMap.shop.settings", "data:\n  LOG_LEVEL: debug\n");
    write(dir.path(), "live/v1.Service.shop.gone", "spec:\n  port: 80\n");
    write(dir.path(), "live/README", "not config\n");
    let (code, json, err) =
        envlens(dir.path(), &["difftool", "live", "merged", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let doc: J = serde_json::from_str(&json).unwrap();
    let names: Vec<&str> =
        doc["sets"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["apps.v1.Deployment.shop.web", "v1.ConfigMap.shop.settings", "v1.Service.shop.gone"]
    );
    let web = &doc["sets"][0]["keys"];
    assert_eq!(web.as_array().unwrap().len(), 1, "{web}");
    assert_eq!(web[0]["key"], "spec.replicas");
    assert_eq!(web[0]["values"]["value"]["before"]["value"], 2);
    assert_eq!(doc["sets"][1]["keys"][0]["values"]["value"]["before"], J::Null, "a new object");
    assert_eq!(doc["sets"][2]["keys"][0]["removed"]["value"]["value"], 80, "a deleted object");
    let (code, _, _) = envlens(dir.path(), &["difftool", "live", "live"]);
    assert_eq!(code, 0);
}

#[test]
fn git_diff_drives_it_through_git_external_diff() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "pool: 5\n");
    repo.write("config_prod.yaml", "pool: 10\n");
    repo.commit("pools");
    repo.write("config_prod.yaml", "pool: 20\n");
    let out = git_command(repo.path())
        .args(["diff"])
        // As the README sets it: git runs it through the shell.
        .env("GIT_EXTERNAL_DIFF", format!("{BIN} difftool"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "git takes a difference as success: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("config_prod.yaml"), "{stdout}");
    assert!(stdout.contains("10 → 20"), "{stdout}");
}

#[test]
fn git_difftool_one_file_and_folder_modes() {
    if !have_git() {
        return;
    }
    let repo = GitRepo::new();
    repo.write("config_dev.yaml", "pool: 5\n");
    repo.write("config_prod.yaml", "pool: 10\n");
    repo.write("svc/config_prod.yaml", "port: 1\n");
    repo.commit("pools");
    repo.write("config_prod.yaml", "pool: 20\n");
    repo.write("svc/config_prod.yaml", "port: 2\n");
    // The README's one line, with this build's binary.
    let cmd = format!("{BIN} difftool \"$LOCAL\" \"$REMOTE\"");
    repo.git(&["config", "difftool.envlens.cmd", &cmd]);
    let run = |args: &[&str]| {
        let out = git_command(repo.path()).args(args).env("NO_COLOR", "1").output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let one = run(&["difftool", "-y", "-t", "envlens", "--", "config_prod.yaml"]);
    assert!(one.contains("10 → 20"), "{one}");
    assert!(!one.contains("port"), "{one}");
    // -d: two folders, the right side links into the work tree.
    let both = run(&["difftool", "-d", "-t", "envlens"]);
    assert!(both.contains("10 → 20"), "{both}");
    assert!(both.contains("1 → 2"), "{both}");
    assert!(both.contains("svc/config_prod.yaml"), "{both}");
}

/// Issue 17 with §12: kubectl's two folders hold whole objects; their
/// lists are matched by identity (a variable inserted first does not make
/// every later one differ) and the live object's cluster noise is left out.
#[test]
fn kubectl_folders_match_list_items_by_identity() {
    let dir = tempfile::tempdir().unwrap();
    let live = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  \
                resourceVersion: \"4711\"\n  uid: 0b0e1c2d-fake\n  generation: 7\n  managedFields:\n  \
                - manager: kubectl\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        \
                image: web:1\n        env:\n        - name: A\n          value: \"1\"\n        - name: B\n          \
                value: \"2\"\nstatus:\n  readyReplicas: 3\n";
    let merged = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  \
                  template:\n    spec:\n      containers:\n      - name: web\n        image: web:1\n        \
                  env:\n        - name: NEW\n          value: \"0\"\n        - name: A\n          value: \"1\"\n        \
                  - name: B\n          value: \"3\"\n";
    write(dir.path(), "live/apps.v1.Deployment.shop.web", live);
    write(dir.path(), "merged/apps.v1.Deployment.shop.web", merged);
    let (code, json, err) =
        envlens(dir.path(), &["difftool", "live", "merged", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let doc: J = serde_json::from_str(&json).unwrap();
    let keys: Vec<&str> = doc["sets"][0]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["key"].as_str().unwrap())
        .collect();
    assert!(
        keys.iter().all(|k| !k.contains("[name=A]") && !k.contains("[0]") && !k.contains("[1]")),
        "A is the same item on both sides: {keys:?}"
    );
    assert!(keys.iter().any(|k| k.ends_with("env[name=B].value")), "{keys:?}");
    assert!(keys.iter().any(|k| k.contains("env[name=NEW]")), "{keys:?}");
    for noise in ["resourceVersion", "managedFields", "uid", "generation", "status"] {
        assert!(keys.iter().all(|k| !k.contains(noise)), "{noise} is cluster noise: {keys:?}");
    }
}
