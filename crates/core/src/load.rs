//! Reading a project file. Only a JSON object is a project, and every part the format describes as an object
//! must be one.
//!
//! The reader is [`crate::json`]'s, by hand for every model type: serde's derived `Deserialize` would also read
//! a struct from a JSON array, positionally (`[1, {…}, "legacy"]` a whole project, `"target": ["1.6.0",
//! "1.7.x"]` a target). That form has no field names, so `deny_unknown_fields` could not catch a misplaced value:
//! an array where the format has an object is refused, at any depth, with the line and column of its `[`.

use crate::diagnostics::Message;
use crate::json::{self, Category};
use crate::model::Project;

#[derive(Debug)]
pub enum LoadError {
    /// Not JSON at all (the message ends with "at line L column C", worded as serde_json's).
    Syntax(json::Error),
    /// JSON, but not in the project format: unknown field, wrong type, bad version text.
    Format(json::Error),
    /// An array where the format has an object; `path` is the field (`""`: the file itself).
    NotAnObject { path: String, line: usize, column: usize },
}

impl LoadError {
    pub fn line(&self) -> usize {
        match self {
            LoadError::Syntax(e) | LoadError::Format(e) => e.line(),
            LoadError::NotAnObject { line, .. } => *line,
        }
    }

    pub fn column(&self) -> usize {
        match self {
            LoadError::Syntax(e) | LoadError::Format(e) => e.column(),
            LoadError::NotAnObject { column, .. } => *column,
        }
    }

    /// What went wrong, in both languages, with the line and column. The reader's own text (serde_json's
    /// wording, English, quoting the input) is kept in both: it names the field or token exactly.
    pub fn message(&self) -> Message {
        let (l, c) = (self.line(), self.column());
        let d = self.detail();
        match self {
            LoadError::Syntax(_) => Message::new(format!("not valid JSON: {}", d.en), format!("不是合法的 JSON（第 {l} 行，第 {c} 列）：{}", d.zh)),
            LoadError::Format(_) => Message::new(
                format!("does not match the project format: {}", d.en),
                format!("不符合项目文件格式（第 {l} 行，第 {c} 列）：{}", d.zh),
            ),
            LoadError::NotAnObject { .. } => {
                Message::new(format!("does not match the project format: {}", d.en), format!("不符合项目文件格式：{}", d.zh))
            }
        }
    }

    /// The message without its "not valid JSON" / "does not match the project format" lead, for a page that
    /// says that part itself: the reader's text, or which field is an array.
    pub fn detail(&self) -> Message {
        let (l, c) = (self.line(), self.column());
        match self {
            LoadError::Syntax(e) | LoadError::Format(e) => Message::new(e.to_string(), e.to_string()),
            LoadError::NotAnObject { path, .. } if path.is_empty() => Message::new(
                format!("a project file is a JSON object ({{ … }}), not an array, at line {l} column {c}"),
                format!("项目文件必须是 JSON 对象（{{ … }}），不能是数组（第 {l} 行，第 {c} 列）"),
            ),
            LoadError::NotAnObject { path, .. } => Message::new(
                format!("{path} must be a JSON object ({{ … }}) with named fields, not an array, at line {l} column {c}"),
                format!("{path} 必须是带字段名的 JSON 对象（{{ … }}），不能是数组（第 {l} 行，第 {c} 列）"),
            ),
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en)
    }
}

impl std::error::Error for LoadError {}

/// Parses a project file: the format's checks (unknown fields, types) plus "objects are objects".
pub fn project_from_json(text: &str) -> Result<Project, LoadError> {
    // The top level first, so `[1, "x"` is said to be no project rather than to be cut off.
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let before = &text.as_bytes()[..text.len() - trimmed.len()];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.len() - before.iter().rposition(|&b| b == b'\n').map_or(0, |n| n + 1) + 1;
        return Err(LoadError::NotAnObject { path: String::new(), line, column });
    }
    let tree = json::parse(text).map_err(|e| match e.classify() {
        Category::Syntax | Category::Eof => LoadError::Syntax(e),
        Category::Data => LoadError::Format(e),
    })?;
    json::project::read_project(&tree)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn not_an_object_at(text: &str) -> (String, usize, usize) {
        match project_from_json(text) {
            Err(LoadError::NotAnObject { path, line, column }) => (path, line, column),
            other => panic!("expected NotAnObject for {text}, got {other:?}"),
        }
    }

    #[test]
    fn a_project_file_that_is_an_array_is_refused() {
        assert_eq!(not_an_object_at("[]"), (String::new(), 1, 1));
        assert_eq!(not_an_object_at("\n  [1, {\"min\": \"1.6.20\", \"max\": \"2.1.x\"}, \"legacy\", []]"), (String::new(), 2, 3));
        // serde alone takes both (the sequence form of a struct): the reason for this loader.
        assert!(serde_json::from_str::<Project>("[]").is_ok());
        assert!(serde_json::from_str::<Project>("[1, {\"min\": \"1.6.20\", \"max\": \"2.1.x\"}, \"legacy\"]").is_ok());
    }

    #[test]
    fn nested_structs_given_as_arrays_are_refused_with_their_field_and_position() {
        let cases = [
            ("{\"target\": [\"1.6.0\", \"1.7.x\"]}", "target", 1, 12),
            ("{\"registries\": [[\"docker.io\"]]}", "registries[0]", 1, 17),
            (
                "{\"registries\": [{\"upstream\": \"docker.io\",\n \"endpoints\": [{\"url\": \"https://m.test\", \"tls\": [[], [], true]}]}]}",
                "registries[0].endpoints[0].tls",
                2,
                49,
            ),
            // A struct variant, an untagged `{"env": …}` and an internally tagged enum: serde buffers these,
            // so only a check after parsing sees them.
            (
                "{\"registries\": [{\"upstream\": \"docker.io\", \"endpoints\": [{\"url\": \"https://m.test\", \"tls\": {\"ca\": [{\"pem\": [\"n\", \"p\"]}]}}]}]}",
                "registries[0].endpoints[0].tls.ca[0].pem",
                1,
                106,
            ),
            ("{\"auth\": [{\"host\": \"m.test\", \"method\": {\"type\": \"basic\", \"username\": \"u\", \"password\": [\"PW\"]}}]}", "auth[0].method.password", 1, 87),
            ("{\"daemon\": {\"debug\": [\"/run/d.sock\", \"info\"]}}", "daemon.debug", 1, 22),
        ];
        for (text, path, line, column) in cases {
            assert!(serde_json::from_str::<Project>(text).is_ok(), "serde refuses {text} by itself");
            assert_eq!(not_an_object_at(text), (path.to_string(), line, column), "{text}");
        }
    }

    #[test]
    fn objects_and_real_lists_still_load() {
        let text = r#"{"target": {"min": "1.6.20", "max": "2.1.x"}, "registries": [{"upstream": "docker.io",
            "endpoints": [{"url": "https://m.test", "capabilities": ["pull"], "headers": [{"name": "X-A", "values": ["1", {"env": "V"}]}],
            "tls": {"ca": [{"path": "/etc/ca.crt"}, {"pem": {"name": "n", "pem": "p"}}], "client": [{"pair": {"cert": "/c", "key": "/k"}}]}}]}],
            "auth": [{"host": "m.test", "method": {"type": "auth", "auth": {"env": "A"}}}], "air_gap": {"registry": "https://r.test", "namespaces": ["quay.io"]}}"#;
        let p = project_from_json(text).unwrap();
        assert_eq!(p.registries[0].endpoints[0].tls.ca.len(), 2);
        assert!(project_from_json("{}").is_ok());
    }

    #[test]
    fn serde_errors_keep_their_kind_line_and_column() {
        match project_from_json("{\n  \"registries\": [\n    {\"upstream\": \"docker.io\",}\n  ]\n}\n") {
            Err(e @ LoadError::Syntax(_)) => assert_eq!((e.line(), e.column()), (3, 30)),
            other => panic!("{other:?}"),
        }
        match project_from_json("{\"registry\": []}") {
            Err(e @ LoadError::Format(_)) => {
                assert!(e.message().en.contains("unknown field `registry`"), "{}", e.message().en);
                assert!(e.message().zh.contains("第 1 行"), "{}", e.message().zh);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(project_from_json(""), Err(LoadError::Syntax(_))));
        assert!(matches!(project_from_json("\"docker.io\""), Err(LoadError::Format(_))));
    }
}
