//! YAML documents for the exports, built as saphyr nodes and written by saphyr's emitter (never by string
//! concatenation: quoting, escapes and PEM blocks are the emitter's job).

use std::borrow::Cow;

use saphyr::{Mapping, Scalar, Yaml, YamlEmitter};

/// A YAML mapping whose keys keep the order they were added in (saphyr's `Mapping` is a linked hash map), so
/// mirrors stay in try order and fields in the order the format's documentation lists them.
#[derive(Default)]
pub struct Map(Mapping<'static>);

impl Map {
    pub fn new() -> Map {
        Map::default()
    }
    pub fn insert(&mut self, key: &str, value: Yaml<'static>) {
        self.0.insert(string(key), value);
    }
    pub fn with(mut self, key: &str, value: Yaml<'static>) -> Map {
        self.insert(key, value);
        self
    }
    pub fn contains(&self, key: &str) -> bool {
        self.0.contains_key(&string(key))
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn build(self) -> Yaml<'static> {
        Yaml::Mapping(self.0)
    }
}

pub fn string(s: &str) -> Yaml<'static> {
    Yaml::Value(Scalar::String(Cow::Owned(s.to_string())))
}

pub fn boolean(b: bool) -> Yaml<'static> {
    Yaml::Value(Scalar::Boolean(b))
}

pub fn seq(items: Vec<Yaml<'static>>) -> Yaml<'static> {
    Yaml::Sequence(items)
}

/// The mapping at `key` of `map`, inserted empty when absent.
pub fn child<'m>(map: &'m mut Mapping<'static>, key: &str) -> &'m mut Mapping<'static> {
    let k = string(key);
    if !matches!(map.get(&k), Some(Yaml::Mapping(_))) {
        map.insert(k.clone(), Yaml::Mapping(Mapping::new()));
    }
    match map.get_mut(&k) {
        Some(Yaml::Mapping(m)) => m,
        _ => unreachable!("inserted just above"),
    }
}

/// The documents as one YAML stream, each starting with `---`; multi-line strings (PEM) as literal blocks.
pub fn emit(docs: &[Yaml<'static>]) -> String {
    let mut out = String::new();
    for doc in docs {
        let mut one = String::new();
        let mut emitter = YamlEmitter::new(&mut one);
        emitter.multiline(true);
        // Writing into a String cannot fail, and every node here is a plain mapping, sequence or scalar.
        if emitter.dump(doc).is_err() {
            continue;
        }
        out.push_str(&one);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use saphyr::LoadableYamlNode;

    #[test]
    fn emitted_yaml_reads_back_with_the_same_strings() {
        // Values that a hand-written YAML file would get wrong: a wildcard key, a port that looks like a
        // number, a boolean word, a PEM block, quotes and a colon.
        let doc = Map::new()
            .with("*", seq(vec![string("https://m.example.com:5000/v2")]))
            .with("port", string("5000"))
            .with("word", string("yes"))
            .with("pem", string("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
            .with("odd", string("a: \"b\" # c"))
            .build();
        let text = emit(&[doc]);
        let back = Yaml::load_from_str(&text).unwrap();
        let m = &back[0];
        assert_eq!(m["*"][0].as_str(), Some("https://m.example.com:5000/v2"));
        assert_eq!(m["port"].as_str(), Some("5000"));
        assert_eq!(m["word"].as_str(), Some("yes"));
        assert_eq!(m["pem"].as_str(), Some("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"));
        assert_eq!(m["odd"].as_str(), Some("a: \"b\" # c"));
    }
}
