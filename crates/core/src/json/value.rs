//! A JSON document as a plain tree, for the share links' merge patch. Like serde_json's `Value` (without
//! `preserve_order`): objects keep their keys sorted, a repeated key keeps its last value, so a share link's JSON
//! is written in the same order as the links made before.

use std::collections::BTreeMap;

use super::{parse, Error, Kind, Node, Writer};

pub type Map = BTreeMap<String, Value>;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    /// As written (see [`Kind::Number`]).
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

impl Value {
    pub fn parse(text: &str) -> Result<Value, Error> {
        parse(text).map(|n| Value::from_node(&n))
    }

    pub fn from_node(n: &Node) -> Value {
        match &n.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Number(s) => Value::Number(s.clone()),
            Kind::String(s) => Value::String(s.clone()),
            Kind::Array(items) => Value::Array(items.iter().map(Value::from_node).collect()),
            Kind::Object(members) => {
                // Inserted one by one (a later repeat replaces the value): `collect` would sort the pairs first,
                // with a sort of its own for this one type in the page's wasm.
                let mut map = Map::new();
                for m in members {
                    map.insert(m.key.clone(), Value::from_node(&m.value));
                }
                Value::Object(map)
            }
        }
    }

    /// The value of `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.get(key),
            _ => None,
        }
    }

    /// A non-negative integer that fits u64 (what serde_json's `as_u64` gives).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(s) if s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// Compact JSON, as serde_json's `to_string` writes a `Value`.
    pub fn to_json(&self) -> String {
        let mut w = Writer::new(false);
        self.write(&mut w);
        w.finish()
    }

    pub fn write(&self, w: &mut Writer) {
        match self {
            Value::Null => w.null(),
            Value::Bool(b) => w.bool(*b),
            Value::Number(n) => w.number(n),
            Value::String(s) => w.str(s),
            Value::Array(items) => w.list(items, |w, v| v.write(w)),
            Value::Object(m) => {
                w.begin_object();
                for (k, v) in m {
                    w.key(k);
                    v.write(w);
                }
                w.end_object();
            }
        }
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Value {
        Value::Number(n.to_string())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}
