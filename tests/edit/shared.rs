//! Values that are not the env file's own: inherited from the base file,
//! or anchored text that aliases repeat.

use super::{RefusalKind, Target, Via, edit, load, request};

#[test]
fn base_values_are_shared_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config_base.toml"), "[db]\nhost = \"h\"\nport = 1\n").unwrap();
    std::fs::write(dir.path().join("config_prod.toml"), "[db]\nport = 2\n").unwrap();
    let project = load(dir.path());
    let err = edit::plan(&project, &request("prod", "db.host", "p")).unwrap_err();
    assert!(matches!(err.kind, RefusalKind::Shared(ref s) if s.via == Via::Base && s.line == 2));
    let mut over = request("prod", "db.host", "p");
    over.target = Target::Override;
    edit::apply(&edit::plan(&project, &over).unwrap()).unwrap();
    let prod = std::fs::read_to_string(dir.path().join("config_prod.toml")).unwrap();
    assert_eq!(prod, "[db]\nport = 2\nhost = \"p\"\n");
    let mut base = request("prod", "db.port", "3");
    base.target = Target::Shared;
    assert!(edit::plan(&load(dir.path()), &base).is_ok(), "prod's own port is not shared");
}

#[test]
fn an_anchored_scalar_is_written_once_for_every_alias() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config_dev.yaml");
    std::fs::write(&path, "a: &h old # c\nb: *h\n").unwrap();
    let project = load(dir.path());
    let err = edit::plan(&project, &request("dev", "b", "new")).unwrap_err();
    assert!(matches!(err.kind, RefusalKind::Shared(ref s) if s.via == Via::Alias && s.line == 1));
    let mut shared = request("dev", "b", "new");
    shared.target = Target::Shared;
    edit::apply(&edit::plan(&project, &shared).unwrap()).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "a: &h new # c\nb: *h\n");
}
