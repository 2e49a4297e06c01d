//! Unit tests of what the adapters share: key paths from store names,
//! typed JSON, `value_format` documents, addresses without credentials.

use super::*;

#[test]
fn store_names_become_key_paths() {
    assert_eq!(path_of("db/host"), "db.host");
    assert_eq!(path_of("/a//b/"), "a.b");
    assert_eq!(path_of("app.kubernetes.io/name"), "\"app.kubernetes.io\".name");
    assert_eq!(path_of_dotted("server.port"), "server.port");
    assert_eq!(path_of_dotted("hosts[0].name"), "hosts[0].name");
    assert_eq!(path_of_dotted("model/lr"), "model.lr");
}

#[test]
fn typed_json_is_flattened_with_its_types() {
    let mut out = Vec::new();
    let value = serde_json::json!({"port": 5432, "ratio": 0.5, "on": true, "tags": ["a"], "none": null, "empty": {}});
    json_entries("db", &value, true, &mut out);
    let by: Vec<(&str, ValueTypeName)> =
        out.iter().map(|e| (e.path.as_str(), name(&e.value))).collect();
    assert_eq!(
        by,
        [
            ("db.port", "int"),
            ("db.ratio", "float"),
            ("db.on", "bool"),
            ("db.tags[0]", "string"),
            ("db.none", "null"),
            ("db.empty", "map"),
        ]
    );
    assert!(out.iter().all(|e| e.secret));
}

type ValueTypeName = &'static str;

fn name(value: &Value) -> ValueTypeName {
    value.value_type().as_str()
}

#[test]
fn value_format_parses_documents_below_their_key() {
    let entries = vec![
        Entry {
            path: "app".into(),
            value: Value::String("db:\n  host: x\n  port: 5\n".into()),
            secret: false,
        },
        Entry { path: "plain".into(), value: Value::String("just text: [".into()), secret: false },
    ];
    let out = expand_documents(entries, Format::Yaml);
    let paths: Vec<&str> = out.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["app.db.host", "app.db.port", "plain"]);
    assert_eq!(out[1].value, Value::Int(5));
}

#[test]
fn addresses_come_from_the_tool_variables_and_hide_user_info() {
    let source = Source {
        kind: Kind::Etcd,
        env: "prod".into(),
        path: "/api/".into(),
        address: None,
        value_format: None,
    };
    let env = |name: &str| {
        (name == "ETCDCTL_ENDPOINTS").then(|| "http://e1:2379,http://e2:2379".to_owned())
    };
    assert_eq!(source.address(&env), "http://e1:2379");
    assert_eq!(source.address(&|_| None), "http://127.0.0.1:2379");
    assert_eq!(source.column(), "prod@etcd");
    assert_eq!(http::shown_address("https://user:fake-pw@vault:8200/x"), "https://vault:8200/x");
}
