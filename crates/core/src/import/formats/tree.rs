//! One positioned tree for the YAML (saphyr's `MarkedYaml`) and JSON (jsonc-parser's AST, strict JSON options)
//! the other tools' formats come in, so that each format's reader walks plain values that know their `line:col`.
//! Neither parser is ours; this only copies their nodes and turns their offsets into 1-based lines and columns
//! (columns count characters, as every finding does).

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::merge::LineCol;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Bool(bool),
    /// A number as written.
    Num(String),
    Null,
    Seq(Vec<Node>),
    /// Keys in file order, each with its own position.
    Map(Vec<(String, LineCol, Node)>),
    /// An alias, a tag we do not know, or a value YAML could not read.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub at: LineCol,
    pub value: Value,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<(&LineCol, &Node)> {
        match &self.value {
            Value::Map(m) => m.iter().find(|(k, _, _)| k == key).map(|(_, at, n)| (at, n)),
            _ => None,
        }
    }
    pub fn field(&self, key: &str) -> Option<&Node> {
        self.get(key).map(|(_, n)| n)
    }
    pub fn entries(&self) -> &[(String, LineCol, Node)] {
        match &self.value {
            Value::Map(m) => m,
            _ => &[],
        }
    }
    /// A string, or a scalar read as its text (YAML `5000`, `true` where a string is meant).
    pub fn text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) | Value::Num(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn items(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(v) => Some(v),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }
}

/// A syntax error: its message (the parser's own words) and place.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub at: LineCol,
}

/// Every YAML document of `text` (a Talos config holds several).
pub fn yaml(text: &str) -> Result<Vec<Node>, SyntaxError> {
    let rows = Rows::of(text);
    match MarkedYaml::load_from_str(text) {
        Ok(docs) => Ok(docs.iter().map(|d| from_yaml(d, &rows)).collect()),
        Err(e) => {
            let m = e.marker();
            Err(SyntaxError { message: e.info().to_string(), at: rows.inside(m.line(), m.col() + 1) })
        }
    }
}

/// The width of each line of the input, in characters.
struct Rows(Vec<usize>);

impl Rows {
    fn of(text: &str) -> Rows {
        Rows(text.split('\n').map(|l| l.chars().count()).collect())
    }

    /// A parser's place, moved inside the input: saphyr reports an error at the end of the input on the line
    /// after it, and an empty document after a last `---` there too.
    fn inside(&self, line: usize, col: usize) -> LineCol {
        let line = line.clamp(1, self.0.len());
        Some((line, col.clamp(1, self.0[line - 1] + 1)))
    }
}

fn from_yaml(y: &MarkedYaml, rows: &Rows) -> Node {
    let from_yaml = |y| from_yaml(y, rows);
    let at = rows.inside(y.span.start.line(), y.span.start.col() + 1);
    let value = match &y.data {
        YamlData::Value(Scalar::String(s)) => Value::Str(s.to_string()),
        YamlData::Value(Scalar::Boolean(b)) => Value::Bool(*b),
        YamlData::Value(Scalar::Integer(i)) => Value::Num(i.to_string()),
        YamlData::Value(Scalar::FloatingPoint(f)) => Value::Num(f.to_string()),
        YamlData::Value(Scalar::Null) => Value::Null,
        YamlData::Representation(s, _, _) => Value::Str(s.to_string()),
        YamlData::Sequence(items) => Value::Seq(items.iter().map(from_yaml).collect()),
        YamlData::Mapping(m) => Value::Map(
            m.iter()
                .map(|(k, v)| {
                    let key = from_yaml(k);
                    (key.text().unwrap_or_default(), key.at, from_yaml(v))
                })
                .collect(),
        ),
        YamlData::Tagged(_, inner) => return from_yaml(inner),
        _ => Value::Other,
    };
    Node { at, value }
}

/// Strict JSON (no comments, no trailing commas: Docker's daemon refuses both).
pub fn json(text: &str) -> Result<Node, SyntaxError> {
    use jsonc_parser::{parse_to_ast, CollectOptions, ParseOptions};
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let lines = LineIndex::new(text);
    match parse_to_ast(text, &CollectOptions::default(), &strict) {
        Ok(r) => match r.value {
            Some(v) => Ok(from_json(&v, &lines)),
            None => Err(SyntaxError { message: "empty file".to_string(), at: Some((1, 1)) }),
        },
        Err(e) => Err(SyntaxError { message: e.kind().to_string(), at: lines.at(e.range().start) }),
    }
}

fn from_json(v: &jsonc_parser::ast::Value, lines: &LineIndex) -> Node {
    use jsonc_parser::ast::Value as J;
    use jsonc_parser::common::Ranged;
    let at = lines.at(v.range().start);
    let value = match v {
        J::StringLit(s) => Value::Str(s.value.to_string()),
        J::NumberLit(n) => Value::Num(n.value.to_string()),
        J::BooleanLit(b) => Value::Bool(b.value),
        J::NullKeyword(_) => Value::Null,
        J::Array(a) => Value::Seq(a.elements.iter().map(|e| from_json(e, lines)).collect()),
        J::Object(o) => Value::Map(
            o.properties.iter().map(|p| (p.name.as_str().to_string(), lines.at(p.range.start), from_json(&p.value, lines))).collect(),
        ),
    };
    Node { at, value }
}

/// Byte offset → 1-based line and character column.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }
    fn at(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self.text.get(start..offset).map(|s| s.chars().count()).unwrap_or(0);
        Some((line, col + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_nodes_know_their_line_and_column() {
        let docs = yaml("mirrors:\n  docker.io:\n    endpoint:\n      - \"https://m.example.com\"\n").unwrap();
        let (key_at, mirror) = docs[0].field("mirrors").unwrap().get("docker.io").unwrap();
        assert_eq!(*key_at, Some((2, 3)));
        let ep = &mirror.field("endpoint").unwrap().items().unwrap()[0];
        assert_eq!(ep.at, Some((4, 9)));
        assert_eq!(ep.text().as_deref(), Some("https://m.example.com"));
    }

    #[test]
    fn json_nodes_know_their_line_and_column_in_characters() {
        let n = json("{\n  \"é\": 1,\n  \"registry-mirrors\": [\"https://m\"]\n}").unwrap();
        let (at, v) = n.get("registry-mirrors").unwrap();
        assert_eq!(*at, Some((3, 3)));
        assert_eq!(v.items().unwrap()[0].at, Some((3, 24)));
        assert_eq!(n.get("é").unwrap().0, &Some((2, 3)));
    }

    #[test]
    fn json_with_a_comment_or_a_trailing_comma_is_refused_at_its_place() {
        let e = json("{\n  \"a\": 1,\n}").unwrap_err();
        assert_eq!(e.at, Some((2, 9)), "at the trailing comma: {e:?}");
        assert!(json("{ // no\n}").is_err());
    }
}
