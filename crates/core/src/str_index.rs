//! The hash tables of the core's and the page's string-keyed lookups, as few distinct types as possible: every
//! `HashMap<K, V>` / `HashSet<T>` with its own key and value types is one more copy of hashbrown's code in the
//! page's wasm (growth, insert, lookup, drop: ≈ 1–2 KB each, issue 8's size budget). So a map or a set keyed by a
//! borrowed string is a [`StrMap`] / [`StrSet`] (key → `usize`: an index into the caller's own list, or nothing),
//! and one keyed by an owned string a [`StringMap`] / [`StringSet`]. The standard library's `HashMap` is kept
//! (its randomly seeded hasher: keys may come from a pasted project).

use std::collections::HashMap;

/// A borrowed string → a number (an index into the caller's list, mostly).
pub type StrMap<'a> = HashMap<&'a str, usize>;

/// Maps `key` to `value` unless it is mapped already (the first one stays, as `entry(key).or_insert(value)`).
pub fn insert_first<'a>(map: &mut StrMap<'a>, key: &'a str, value: usize) {
    if map.get(key).is_none() {
        map.insert(key, value);
    }
}

/// An owned string → a number (an index into the caller's list, mostly).
pub type StringMap = HashMap<String, usize>;

/// Texts that live as long as the program, by key (catalogues, installed translations): a later text for a key
/// replaces the earlier one, as in a `HashMap` collected from the same pairs.
#[derive(Default, Debug, Clone)]
pub struct Texts {
    index: StrMap<'static>,
    texts: Vec<&'static str>,
}

impl Texts {
    pub fn new() -> Self {
        Texts::default()
    }

    pub fn insert(&mut self, key: &'static str, text: &'static str) {
        match self.index.get(key) {
            Some(&k) => self.texts[k] = text,
            None => {
                self.index.insert(key, self.texts.len());
                self.texts.push(text);
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&'static str> {
        self.index.get(key).map(|&k| self.texts[k])
    }

    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }
}

impl FromIterator<(&'static str, &'static str)> for Texts {
    fn from_iter<I: IntoIterator<Item = (&'static str, &'static str)>>(items: I) -> Self {
        let mut texts = Texts::new();
        for (k, v) in items {
            texts.insert(k, v);
        }
        texts
    }
}

/// A set of borrowed strings (a [`StrMap`] whose values mean nothing).
#[derive(Default, Debug, Clone)]
pub struct StrSet<'a>(StrMap<'a>);

impl<'a> StrSet<'a> {
    pub fn new() -> Self {
        StrSet(StrMap::new())
    }

    /// Adds `s`; whether it was not there yet (as `HashSet::insert`).
    pub fn insert(&mut self, s: &'a str) -> bool {
        self.0.insert(s, 0).is_none()
    }

    pub fn contains(&self, s: &str) -> bool {
        self.0.get(s).is_some()
    }
}

impl<'a> FromIterator<&'a str> for StrSet<'a> {
    fn from_iter<I: IntoIterator<Item = &'a str>>(items: I) -> Self {
        let mut set = StrSet::new();
        for s in items {
            set.insert(s);
        }
        set
    }
}

/// A set of owned strings (a [`StringMap`] whose values mean nothing).
#[derive(Default, Debug, Clone, PartialEq, Eq)]
pub struct StringSet(StringMap);

impl StringSet {
    pub fn new() -> Self {
        StringSet(StringMap::new())
    }

    /// Adds `s`; whether it was not there yet (as `HashSet::insert`).
    pub fn insert(&mut self, s: String) -> bool {
        self.0.insert(s, 0).is_none()
    }

    pub fn contains(&self, s: &str) -> bool {
        self.0.get(s).is_some()
    }

    /// The strings, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Extend<String> for StringSet {
    fn extend<I: IntoIterator<Item = String>>(&mut self, items: I) {
        for s in items {
            self.insert(s);
        }
    }
}

impl FromIterator<String> for StringSet {
    fn from_iter<I: IntoIterator<Item = String>>(items: I) -> Self {
        let mut set = StringSet::new();
        set.extend(items);
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_text_for_a_key_replaces_the_earlier_one() {
        let t: Texts = [("a", "1"), ("b", "2"), ("a", "3")].into_iter().collect();
        assert_eq!((t.get("a"), t.get("b"), t.get("c"), t.len()), (Some("3"), Some("2"), None, 2));
    }

    #[test]
    fn sets_say_whether_a_string_was_new_and_find_it_by_any_borrow() {
        let mut s = StrSet::new();
        assert!(s.insert("a"));
        assert!(!s.insert("a"));
        assert!(s.contains("a") && !s.contains("b"));
        let mut o: StringSet = ["x".to_string()].into_iter().collect();
        assert!(!o.insert("x".to_string()));
        assert!(o.insert("y".to_string()));
        assert!(o.contains("y") && !o.contains("z"));
        let mut all: Vec<&str> = o.iter().collect();
        all.sort();
        assert_eq!(all, ["x", "y"]);
    }
}
