//! JSON Schema of [`super::Explanation`] (committed at schema/explain.schema.json, kept current by a test).

pub fn explain_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(super::Explanation)).expect("a schema is JSON")
}

/// Pretty JSON with a trailing newline, exactly as committed.
pub fn explain_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&explain_schema()).expect("serializable");
    s.push('\n');
    s
}
