//! JSON Schema of the project file, generated from the model types (committed at schema/project.schema.json).

use crate::model::Project;

pub fn project_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Project)).expect("a schema is JSON")
}

/// Pretty JSON with a trailing newline, exactly as committed.
pub fn project_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&project_schema()).expect("serializable");
    s.push('\n');
    s
}
