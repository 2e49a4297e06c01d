//! The identity rule's corner cases, on files parsed as a set would be.

use std::fmt::Write as _;

use proptest::prelude::*;

use super::*;
use crate::core::diff::{self, Status};
use crate::core::parse::{self, Format};

/// The files' leaves keyed by identity in one table.
fn keyed(texts: &[&str], rules: &[ListRule]) -> (KeyTable, Vec<Vec<Leaf>>, Lists) {
    let mut keys = KeyTable::new();
    let mut files: Vec<Vec<Leaf>> =
        texts.iter().map(|t| parse::parse(Format::Yaml, t).unwrap().join(&mut keys)).collect();
    let slices: Vec<&[Leaf]> = files.iter().map(Vec::as_slice).collect();
    let Some(Keyed { rekeyed, lists }) = rekey(&keys, &slices, rules, None) else {
        return (keys, files, Lists::default());
    };
    let Some(rekeyed) = rekeyed else { return (keys, files, lists) };
    let mut fresh = KeyTable::new();
    let mut slices: Vec<&mut [Leaf]> = files.iter_mut().map(Vec::as_mut_slice).collect();
    apply(rekeyed, &mut slices, Some(&keys), &mut fresh);
    (fresh, files, lists)
}

fn paths(texts: &[&str]) -> Vec<Vec<String>> {
    let (keys, files, _) = keyed(texts, &[]);
    files.iter().map(|f| f.iter().map(|l| keys.path(l.key).to_owned()).collect()).collect()
}

fn statuses(texts: &[&str]) -> Vec<(String, Status)> {
    let (keys, files, _) = keyed(texts, &[]);
    let own: Vec<&[Leaf]> = files.iter().map(Vec::as_slice).collect();
    let mut rows: Vec<(String, Status)> =
        diff::diff_own(&keys, &own).iter().map(|r| (r.key.to_owned(), r.status)).collect();
    rows.sort();
    rows
}

#[test]
fn items_with_unique_names_are_keyed_by_name() {
    let dev = "env:\n  - name: A\n    value: '1'\n  - name: B\n    value: '2'\n";
    let prod = "env:\n  - name: NEW\n    value: x\n  - name: B\n    value: '2'\n  - name: A\n    value: '9'\n";
    assert_eq!(
        statuses(&[dev, prod]),
        [
            ("env[name=A].name".to_owned(), Status::Same),
            ("env[name=A].value".to_owned(), Status::Differs),
            ("env[name=B].name".to_owned(), Status::Same),
            ("env[name=B].value".to_owned(), Status::Same),
            ("env[name=NEW].name".to_owned(), Status::Missing),
            ("env[name=NEW].value".to_owned(), Status::Missing),
        ]
    );
}

#[test]
fn a_missing_field_in_one_item_keeps_positions() {
    let dev = "l:\n  - name: a\n    x: 1\n  - name: b\n    x: 2\n";
    let prod = "l:\n  - name: a\n    x: 1\n  - x: 2\n";
    assert_eq!(paths(&[dev, prod])[1], ["l[0].name", "l[0].x", "l[1].x"]);
}

#[test]
fn duplicate_names_keep_positions() {
    let dev = "l:\n  - name: a\n    x: 1\n  - name: a\n    x: 2\n";
    let prod = "l:\n  - name: a\n    x: 1\n  - name: b\n    x: 2\n";
    assert_eq!(paths(&[dev, prod])[0], ["l[0].name", "l[0].x", "l[1].name", "l[1].x"]);
}

#[test]
fn a_list_keyed_in_one_env_only_is_by_position_in_all() {
    // prod's items have no `name`: the rule holds over every env or none.
    let dev = "l:\n  - name: a\n  - name: b\n";
    let prod = "l:\n  - id: 7\n";
    let all = paths(&[dev, prod]);
    assert_eq!(all[0], ["l[0].name", "l[1].name"]);
    assert_eq!(all[1], ["l[0].id"]);
}

#[test]
fn the_rule_falls_to_key_then_id() {
    let dev = "l:\n  - key: a\n    id: 1\n  - key: b\n    id: 2\n";
    assert_eq!(paths(&[dev])[0], ["l[key=a].key", "l[key=a].id", "l[key=b].key", "l[key=b].id"]);
    let dev = "l:\n  - key: a\n    id: 1\n  - key: a\n    id: 2\n";
    assert_eq!(paths(&[dev])[0], ["l[id=1].key", "l[id=1].id", "l[id=2].key", "l[id=2].id"]);
}

#[test]
fn known_fields_come_before_name() {
    let dev = "ports:\n  - name: http\n    containerPort: 80\nvolumeMounts:\n  - name: data\n    mountPath: /data\n";
    assert_eq!(
        paths(&[dev])[0],
        [
            "ports[containerPort=80].name",
            "ports[containerPort=80].containerPort",
            "volumeMounts[mountPath=/data].name",
            "volumeMounts[mountPath=/data].mountPath"
        ]
    );
}

#[test]
fn settings_name_fields_or_positions() {
    let rule = |glob: &str, choice| ListRule {
        glob: crate::core::glob::KeyGlob::new(glob).unwrap(),
        choice,
    };
    let dev =
        "routes:\n  - host: a\n    path: /x\n  - host: a\n    path: /y\nplugins:\n  - name: p\n";
    let rules = [
        rule("**.routes", Choice::Fields(vec!["host".into(), "path".into()])),
        rule("plugins", Choice::Positions),
    ];
    let (keys, files, _) = keyed(&[dev], &rules);
    let got: Vec<&str> = files[0].iter().map(|l| keys.path(l.key)).collect();
    assert_eq!(
        got,
        [
            "routes[host=a,path=/x].host",
            "routes[host=a,path=/x].path",
            "routes[host=a,path=/y].host",
            "routes[host=a,path=/y].path",
            "plugins[0].name"
        ]
    );
}

#[test]
fn nested_keyed_lists_and_scalar_lists() {
    let dev = "containers:\n  - name: web\n    args: [a, b]\n    env:\n      - name: LOG_LEVEL\n        value: info\n";
    assert_eq!(
        paths(&[dev])[0],
        [
            "containers[name=web].name",
            "containers[name=web].args[0]",
            "containers[name=web].args[1]",
            "containers[name=web].env[name=LOG_LEVEL].name",
            "containers[name=web].env[name=LOG_LEVEL].value"
        ]
    );
}

#[test]
fn documents_keep_their_positions_and_values_are_quoted() {
    let text = "a:\n  - name: 'x y'\n---\nb: 1\n";
    assert_eq!(paths(&[text])[0], ["[0].a[name=\"x y\"].name", "[1].b"]);
}

#[test]
fn the_order_of_items_is_noted_not_a_difference() {
    let dev = "env:\n  - name: A\n  - name: B\n";
    let prod = "env:\n  - name: B\n  - name: A\n";
    let (_, _, lists) = keyed(&[dev, prod], &[]);
    assert_eq!(lists.reordered, ["env"]);
    assert_eq!(lists.reordered_above("env[name=A].name"), Some("env"));
    assert!(statuses(&[dev, prod]).iter().all(|(_, s)| *s == Status::Same));
    let (_, _, lists) = keyed(&[dev, dev], &[]);
    assert!(lists.reordered.is_empty());
}

#[test]
fn keying_again_gives_the_same_paths() {
    let dev = "env:\n  - name: A\n    value: '1'\n  - name: B\n";
    let (keys, files, _) = keyed(&[dev], &[]);
    assert!(keys.path(files[0][0].key).starts_with("env[name=A]"), "keyed the first time");
    let slices: Vec<&[Leaf]> = files.iter().map(Vec::as_slice).collect();
    let again = rekey(&keys, &slices, &[], None).unwrap();
    assert!(again.rekeyed.is_none(), "paths keyed by identity key to themselves");
    assert!(matches!(again.lists.choices.get("env"), Some(Choice::Fields(_))));
}

#[test]
fn a_fresh_table_holds_only_the_paths_in_use() {
    let dev =
        "port: 1\nenv:\n  - name: A\n    value: '1'\n  - name: B\n    value: '2'\nhosts: [a, b]\n";
    let prod = "env:\n  - name: B\n    value: '2'\n  - name: A\n    value: '3'\nport: 2\n";
    let (keys, files, _) = keyed(&[dev, prod], &[]);
    let mut table: Vec<&str> = (0..keys.len()).map(|i| keys.path(KeyId(i as u32))).collect();
    table.sort_unstable();
    assert_eq!(
        table,
        [
            "env[name=A].name",
            "env[name=A].value",
            "env[name=B].name",
            "env[name=B].value",
            "hosts[0]",
            "hosts[1]",
            "port"
        ],
        "no positional path of a keyed list is left behind, and each path is there once"
    );
    let port = |f: usize| files[f].iter().find(|l| keys.path(l.key) == "port").map(|l| l.key);
    assert_eq!(port(0), port(1), "a key under no list is one id in both files");
}

#[test]
fn keying_into_the_kept_table_keeps_the_ids_of_keys_under_no_list() {
    let dev = "port: 1\nenv:\n  - name: A\n    value: '1'\ntail: x\n";
    let mut keys = KeyTable::new();
    let mut leaves = parse::parse(Format::Yaml, dev).unwrap().join(&mut keys);
    let before: Vec<KeyId> = leaves.iter().map(|l| l.key).collect();
    let rekeyed = rekey(&keys, &[&leaves], &[], None).unwrap().rekeyed.unwrap();
    apply(rekeyed, &mut [leaves.as_mut_slice()], None, &mut keys);
    let paths: Vec<&str> = leaves.iter().map(|l| keys.path(l.key)).collect();
    assert_eq!(paths, ["port", "env[name=A].name", "env[name=A].value", "tail"]);
    assert_eq!(leaves[0].key, before[0]);
    assert_eq!(leaves[3].key, before[3]);
    assert_ne!(leaves[1].key, before[1], "the item's keys are new ids");
    // Keyed again (a second reload), the identity paths stay as they are.
    let again = rekey(&keys, &[&leaves], &[], None).unwrap();
    assert!(again.rekeyed.is_none());
}

fn env_list(names: &[usize], values: &[usize]) -> String {
    let mut text = String::from("spec:\n  env:\n");
    for (&n, &v) in names.iter().zip(values) {
        let _ = write!(text, "    - name: VAR_{n}\n      value: 'v{v}'\n      port: {v}\n");
    }
    text
}

proptest! {
    /// Shuffling the items of a keyed list changes no status.
    #[test]
    fn shuffling_a_keyed_list_changes_no_status(
        values in proptest::collection::vec(0usize..3, 1..12),
        other in proptest::collection::vec(0usize..3, 1..12),
        seed in any::<u64>(),
    ) {
        let names: Vec<usize> = (0..values.len()).collect();
        let dev = env_list(&names, &values);
        let prod_names: Vec<usize> = (0..other.len()).collect();
        let prod = env_list(&prod_names, &other);
        let mut shuffled: Vec<(usize, usize)> = prod_names.iter().copied().zip(other.iter().copied()).collect();
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let j = (state >> 33) as usize % (i + 1);
            shuffled.swap(i, j);
        }
        let (sn, sv): (Vec<usize>, Vec<usize>) = shuffled.into_iter().unzip();
        let shuffled = env_list(&sn, &sv);
        prop_assert_eq!(statuses(&[&dev, &prod]), statuses(&[&dev, &shuffled]));
    }
}

#[test]
fn lists_of_scalars_alone_record_the_choices_the_walk_records() {
    let scalars =
        "hosts: [a, b]\ngrid:\n  - [1, 2]\n  - [3]\n\"odd[key\": [x]\ndeep:\n  tags: [t]\n";
    // The same lists beside one whose items are mappings: the long walk.
    let with_map = format!("{scalars}env:\n  - name: A\n");
    let (_, _, fast) = keyed(&[scalars], &[]);
    let (_, _, walked) = keyed(&[&with_map], &[]);
    let mut fast: Vec<(&String, &Choice)> = fast.choices.iter().collect();
    fast.sort_by_key(|(list, _)| *list);
    let mut walked: Vec<(&String, &Choice)> =
        walked.choices.iter().filter(|(list, _)| list.as_str() != "env").collect();
    walked.sort_by_key(|(list, _)| *list);
    assert_eq!(fast, walked);
    let names: Vec<&str> = fast.iter().map(|(list, _)| list.as_str()).collect();
    assert_eq!(names, ["\"odd[key\"", "deep.tags", "grid", "grid[0]", "grid[1]", "hosts"]);
}

#[test]
fn documents_of_mappings_over_lists_of_scalars_keep_every_path() {
    let docs = "a: [1, 2]\n---\na: [3]\n";
    let (keys, files, lists) = keyed(&[docs], &[]);
    let paths: Vec<&str> = files[0].iter().map(|l| keys.path(l.key)).collect();
    assert_eq!(paths, ["[0].a[0]", "[0].a[1]", "[1].a[0]"]);
    assert!(lists.choices.values().all(|c| *c == Choice::Positions));
    assert!(lists.choices.contains_key("[0].a"));
}
