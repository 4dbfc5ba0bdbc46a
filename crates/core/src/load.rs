//! Reading a project file. Only a JSON object is a project, and every part the format describes as an object
//! must be one.
//!
//! serde's derived `Deserialize` also reads a struct from a JSON array, positionally (`[1, {…}, "legacy"]` is a
//! whole project, `"target": ["1.6.0", "1.7.x"]` a target). That form has no field names, so
//! `deny_unknown_fields` cannot catch a misplaced value: a project file that is an array is refused here, at any
//! depth, with the line and column of the offending `[`.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::diagnostics::Message;
use crate::model::Project;

#[derive(Debug)]
pub enum LoadError {
    /// Not JSON at all (serde_json's message ends with "at line L column C").
    Syntax(serde_json::Error),
    /// JSON, but not in the project format: unknown field, wrong type, bad version text.
    Format(serde_json::Error),
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

    /// What went wrong, in both languages, with the line and column. serde_json's own text (English, quoting
    /// the input) is kept in both: it names the field or token exactly.
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
    /// says that part itself: serde_json's text, or which field is an array.
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

/// Parses a project file: serde's checks (unknown fields, types) plus "objects are objects".
pub fn project_from_json(text: &str) -> Result<Project, LoadError> {
    // The top level first, so `[1, "x"]` is not reported as a confusing positional type error.
    if text.trim_start().starts_with('[') {
        return Err(not_an_object(text, Vec::new()));
    }
    let project: Project = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof | serde_json::error::Category::Io => LoadError::Syntax(e),
        serde_json::error::Category::Data => LoadError::Format(e),
    })?;
    // The model always serializes structs (and struct variants, and `{"env": …}`) as objects. Wherever the
    // file has an array and the parsed model an object, serde read a struct positionally.
    let input: Value = serde_json::from_str(text).map_err(LoadError::Syntax)?;
    let parsed = serde_json::to_value(&project).expect("the model serializes to JSON");
    let mut steps = Vec::new();
    if array_for_object(&input, &parsed, &mut steps) {
        return Err(not_an_object(text, steps));
    }
    Ok(project)
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Finds the first place where `input` has an array and `parsed` an object; `steps` is left pointing at it.
fn array_for_object(input: &Value, parsed: &Value, steps: &mut Vec<Step>) -> bool {
    match (input, parsed) {
        (Value::Array(_), Value::Object(_)) => true,
        (Value::Object(i), Value::Object(o)) => {
            for (k, v) in i {
                if let Some(pv) = o.get(k) {
                    steps.push(Step::Key(k.clone()));
                    if array_for_object(v, pv, steps) {
                        return true;
                    }
                    steps.pop();
                }
            }
            false
        }
        (Value::Array(i), Value::Array(o)) => {
            for (n, (v, pv)) in i.iter().zip(o).enumerate() {
                steps.push(Step::Index(n));
                if array_for_object(v, pv, steps) {
                    return true;
                }
                steps.pop();
            }
            false
        }
        _ => false,
    }
}

/// `registries[0].endpoints[1].tls`: the project's field path notation.
fn field_path(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        match s {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn not_an_object(text: &str, steps: Vec<Step>) -> LoadError {
    let (line, column) = position_of(text, &steps);
    LoadError::NotAnObject { path: field_path(&steps), line, column }
}

/// The line and column (1-based, columns in bytes like serde_json's) of the `[` that opens the array at
/// `steps`. serde_json walks the text once more and stops with an error just after that `[` (after its `]` too,
/// if the array is empty); the last `[` before the position it reports is the one.
fn position_of(text: &str, steps: &[Step]) -> (usize, usize) {
    let mut de = serde_json::Deserializer::from_str(text);
    let Err(e) = (Probe { steps }).deserialize(&mut de) else { return (0, 0) };
    let line_start: usize = text.split_inclusive('\n').take(e.line().saturating_sub(1)).map(str::len).sum();
    let end = (line_start + e.column()).min(text.len());
    let Some(open) = text.as_bytes()[..end].iter().rposition(|&b| b == b'[') else { return (e.line(), e.column()) };
    let line = text.as_bytes()[..open].iter().filter(|&&b| b == b'\n').count() + 1;
    let column = open - text.as_bytes()[..open].iter().rposition(|&b| b == b'\n').map_or(0, |n| n + 1) + 1;
    (line, column)
}

struct Probe<'a> {
    steps: &'a [Step],
}

impl<'de> DeserializeSeed<'de> for Probe<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Probe<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the value at the probed path")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if let Some((Step::Key(want), rest)) = self.steps.split_first() {
            while let Some(key) = map.next_key::<String>()? {
                if &key == want {
                    return map.next_value_seed(Probe { steps: rest });
                }
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        match self.steps.split_first() {
            None => Err(de::Error::custom("array")),
            Some((Step::Index(n), rest)) => {
                for _ in 0..*n {
                    seq.next_element::<IgnoredAny>()?;
                }
                seq.next_element_seed(Probe { steps: rest })?;
                Ok(())
            }
            Some(_) => Ok(()),
        }
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
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
