//! Tests of the §5 rules that real projects needed: new names, generated
//! `…key` values, inline defaults, connection strings, URLs under secret
//! names, compose `NAME=value` items and literal dotenv values. Every fake
//! secret is built at run time.

use super::*;

fn s(text: &str) -> Value {
    Value::String(text.into())
}

fn shown(path: &str, value: &str) -> String {
    let v = s(value);
    display(&v, classify(path, &v, None), false)
}

fn reason(path: &str, value: &str) -> Option<SecretReason> {
    classify(path, &s(value), None).map(|found| found.reason)
}

/// A 64-hex string like the ones Rails and Laravel generate.
fn hex64() -> String {
    (0..64).map(|i| char::from(b"0123456789abcdef"[i * 7 % 16])).collect()
}

#[test]
fn new_secret_names() {
    for yes in ["DB_PASS", "mail.auth.pass", "OTP_SALT", "SECRET_KEY_BASE", "secretKeyBase"] {
        assert_eq!(reason(yes, "x-not-real-1"), Some(SecretReason::Name), "{yes}");
        assert_eq!(shown(yes, "x-not-real-1"), MASK, "{yes}");
    }
    for no in ["passenger", "PASSENGER_COUNT", "pass_through", "salt_rounds", "key_base"] {
        assert_eq!(reason(no, "x-not-real-1"), None, "{no}");
    }
}

#[test]
fn a_key_name_is_secret_when_its_value_looks_generated() {
    let generated = hex64();
    let mixed = "EGY8WhulUOXixybod7ZWwMIL68R9o5kC";
    // `ENCRYPTION_KEY` is a secret word of its own; these are not.
    assert_eq!(reason("ENCRYPTION_KEY", "short1"), Some(SecretReason::Name));
    for name in ["ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY", "app.hmacKey", "DATA_KEY"] {
        assert_eq!(reason(name, &generated), Some(SecretReason::GeneratedKey), "{name}");
        assert_eq!(reason(name, mixed), Some(SecretReason::GeneratedKey), "{name}");
        assert_eq!(shown(name, mixed), MASK);
    }
    for (name, value) in [
        ("sort_key", "created_at"),
        ("primary_key", "id"),
        ("partition_key", "tenant_id_and_region"),
        ("cache_key", "v2"),
        ("DATA_KEY", "0123456789012345"),
        ("DATA_KEY", "short1"),
        ("DATA_KEY", "has white space 1234567"),
        ("DATA_KEY", "abcdefghijklmnopqrst"),
    ] {
        assert_eq!(reason(name, value), None, "{name}: {value}");
    }
    // The rule is the key word's: a generated value under another name is plain.
    assert_eq!(reason("build_id", &generated), None);
}

#[test]
fn inline_defaults_are_masked_in_place() {
    let hex = hex64();
    for form in [":-", "-", ":"] {
        let value = format!("${{JWT_SECRET{form}{hex}}}");
        assert_eq!(shown("jwt.secret", &value), format!("${{JWT_SECRET{form}{MASK}}}"));
        assert_eq!(reason("jwt.secret", &value), Some(SecretReason::Name));
    }
    // A default with a secret shape under a plain name.
    let url = "${DATABASE_URL:postgres://app:hunter2-not-real@db.internal/app}";
    assert_eq!(
        shown("spring.datasource.url", url),
        format!("${{DATABASE_URL:postgres://app:{MASK}@db.internal/app}}")
    );
    // No default, or an empty one: only a reference.
    assert_eq!(reason("jwt.secret", "${JWT_SECRET}"), None);
    assert_eq!(reason("jwt.secret", "${JWT_SECRET:-}"), None);
    assert_eq!(shown("log.level", "${LOG_LEVEL:-info}"), "${LOG_LEVEL:-info}");
}

#[test]
fn dollar_names_are_references_only_in_upper_case() {
    assert_eq!(reason("DB_PASSWORD", "$DB_PASSWORD"), None);
    assert_eq!(reason("DB_PASSWORD", "$uperSecret1"), Some(SecretReason::Name));
    assert_eq!(shown("DB_PASSWORD", "$uperSecret1"), MASK);
}

#[test]
fn literal_values_are_never_references() {
    let mut leaf = crate::core::leaf::bare(crate::core::keys::KeyId::default(), s("$ECRETF0RT3ST"));
    let rules = KeyRules::of("DB_PASSWORD", None);
    assert_eq!(rules.classify_leaf(&leaf), None, "unquoted: an upper-case variable");
    leaf.written = Written::Literal;
    let found = rules.classify_leaf(&leaf);
    assert_eq!(found.map(|f| f.reason), Some(SecretReason::Name));
    assert_eq!(display(&leaf.value, found, false), MASK);
    // A literal that looks like a reference with a default hides it all.
    leaf.value = s("${X:-abc}");
    assert_eq!(display(&leaf.value, rules.classify_leaf(&leaf), false), MASK);
}

#[test]
fn expressions_are_references_whatever_their_name() {
    let leaf_of = |text: &str, written| {
        let mut leaf = crate::core::leaf::bare(crate::core::keys::KeyId::default(), s(text));
        leaf.written = written;
        leaf
    };
    let rules = KeyRules::of("db_password", None);
    let marked = KeyRules::of("db_host", Some(SecretReason::Settings));
    for text in ["var.db_password", "file(\"db.pass\")", "\"${local.env}-pw\"", "local.pw"] {
        let leaf = leaf_of(text, Written::Expression);
        assert_eq!(rules.classify_leaf(&leaf), None, "{text}: an expression names, it is no value");
        assert_eq!(marked.classify_leaf(&leaf), None, "{text}: a mark does not make it a value");
        assert!(leaf.is_reference(), "{text}");
        // The same text as a plain value is a secret by its name.
        let plain = leaf_of(text, Written::Text);
        assert_eq!(rules.classify_leaf(&plain).map(|f| f.reason), Some(SecretReason::Name));
        assert!(!plain.is_reference(), "{text}: not a reference by its text");
    }
    // A password written as text inside a template is still masked.
    let pass = ["hunter", "2-not-real"].concat();
    let url = format!("\"postgres://app:{pass}@${{var.db_host}}:5432/app\"");
    let leaf = leaf_of(&url, Written::Expression);
    let found = rules.classify_leaf(&leaf);
    assert_eq!(found.map(|f| f.reason), Some(SecretReason::UrlPassword));
    let shown = display(&leaf.value, found, false);
    assert_eq!(shown, format!("\"postgres://app:{MASK}@${{var.db_host}}:5432/app\""));
    assert!(!shown.contains(&pass));
    let pairs = format!("\"Server=${{var.host}};Password={pass};\"");
    let found = rules.classify_leaf(&leaf_of(&pairs, Written::Expression));
    assert_eq!(found.map(|f| f.reason), Some(SecretReason::ConnectionString));
}

#[test]
fn connection_strings_mask_their_secret_pairs() {
    let ado =
        "Server=tcp:db.prod.internal,1433;Database=shop;User Id=app;Password=hunter2-not-real;";
    assert_eq!(reason("ConnectionStrings.Default", ado), Some(SecretReason::ConnectionString));
    assert_eq!(
        shown("ConnectionStrings.Default", ado),
        format!("Server=tcp:db.prod.internal,1433;Database=shop;User Id=app;Password={MASK};")
    );
    let azure = "DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=Zm9vYmFy0123==;EndpointSuffix=core.windows.net";
    assert_eq!(
        shown("storage", azure),
        format!(
            "DefaultEndpointsProtocol=https;AccountName=shop;AccountKey={MASK};EndpointSuffix=core.windows.net"
        )
    );
    let bus =
        "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=abc123=";
    assert!(shown("bus", bus).ends_with(&format!("SharedAccessKey={MASK}")));
    assert!(shown("bus", bus).contains("SharedAccessKeyName=root"));
    let odbc = "Driver={ODBC Driver 18};Server=db;PWD={se;cret-not-real};Token=t0k3n";
    assert_eq!(
        shown("odbc", odbc),
        format!("Driver={{ODBC Driver 18}};Server=db;PWD={MASK};Token={MASK}")
    );
    let quoted = "Host=db;Password=\"a;b\"\"c\";Port=5432";
    assert_eq!(shown("pg", quoted), format!("Host=db;Password={MASK};Port=5432"));
    let jdbc =
        "jdbc:sqlserver://db.internal:1433;databaseName=shop;user=app;password=hunter2-not-real";
    assert_eq!(
        shown("datasource.url", jdbc),
        format!(
            "jdbc:sqlserver://db.internal:1433;databaseName=shop;user=app;{}",
            format_args!("password={MASK}")
        )
    );
    // Under a secret name the pairs still mask in place.
    assert_eq!(
        shown("DB_CONNECTION_STRING", ado),
        format!("Server=tcp:db.prod.internal,1433;Database=shop;User Id=app;Password={MASK};")
    );
    for plain in ["Server=db;Database=shop", "a=b; c d", "k=v", "Password=x"] {
        assert_eq!(reason("conn", plain), None, "{plain}");
    }
}

#[test]
fn a_url_under_a_secret_name_masks_only_the_password() {
    let dsn = "postgres://app:hunter2-not-real@db.prod.internal/app";
    assert_eq!(shown("database.dsn", dsn), format!("postgres://app:{MASK}@db.prod.internal/app"));
    assert_eq!(reason("database.dsn", dsn), Some(SecretReason::Name));
    // Without a password the secret is the whole value (a Sentry DSN's key is its user).
    assert_eq!(shown("sentry.dsn", "https://abc123key@o1.ingest.sentry.io/42"), MASK);
    // The password is what the checks compare.
    let found = classify("database.dsn", &s(dsn), None).unwrap();
    assert_eq!(hidden_text(&s(dsn), found).as_deref(), Some("hunter2-not-real"));
}

#[test]
fn compose_items_are_judged_by_their_name() {
    let item = "POSTGRES_PASSWORD=hunter2-not-real";
    let path = "services.db.environment[0]";
    assert_eq!(reason(path, item), Some(SecretReason::Name));
    assert_eq!(shown(path, item), format!("POSTGRES_PASSWORD={MASK}"));
    assert_eq!(shown(path, "POSTGRES_DB=shop"), "POSTGRES_DB=shop");
    let url = "DATABASE_URL=postgres://app:hunter2-not-real@db/app";
    assert_eq!(shown(path, url), format!("DATABASE_URL=postgres://app:{MASK}@db/app"));
    assert_eq!(shown(path, "POSTGRES_PASSWORD=${PG_PASS}"), "POSTGRES_PASSWORD=${PG_PASS}");
    assert_eq!(
        shown("services.api.build.args[1]", "NPM_TOKEN=x-not-real-token"),
        format!("NPM_TOKEN={MASK}")
    );
    // Only lists compose reads as maps.
    assert_eq!(reason("services.db.command[0]", item), None);
}

#[test]
fn encrypted_values_are_never_secrets_and_equal_each_other() {
    let a = Value::Encrypted(crate::core::leaf::ValueType::String);
    let b = Value::Encrypted(crate::core::leaf::ValueType::String);
    assert_eq!(classify("db_password", &a, None), None);
    assert_eq!(display(&a, None, true), ENCRYPTED);
    assert!(a.same_as(&b));
    assert!(!a.same_as(&s("[encrypted]")));
}
