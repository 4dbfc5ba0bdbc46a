//! The committed JSON Schema must match the model types.

use std::path::Path;

#[test]
fn committed_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/project.schema.json");
    let generated = ccb_core::schema::project_schema_text();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/project.schema.json is stale: run `UPDATE_SCHEMA=1 cargo test -p ccb-core --test schema` (or `containerd-config-builder schema > schema/project.schema.json`) and commit it"
    );
}

#[test]
fn schema_rejects_unknown_fields_like_the_parser() {
    let schema = ccb_core::schema::project_schema();
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
    let props = schema["properties"].as_object().unwrap();
    for key in ["schema_version", "target", "output", "registries", "harbor", "air_gap", "auth", "sandbox_image", "daemon"] {
        assert!(props.contains_key(key), "{key} missing from the schema");
    }
    let err = serde_json::from_str::<ccb_core::Project>(r#"{"registrys": []}"#).unwrap_err().to_string();
    assert!(err.contains("unknown field `registrys`"), "{err}");
}
