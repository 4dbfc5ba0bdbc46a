//! A generated file's text, possibly written only when first read. install.sh, README.txt and project.json repeat
//! what every other file says; with 500 registries they cost a third of a render, and the page re-renders on every
//! keystroke while showing one file. So those three are written on first read (preview, copy, download, CLI
//! output); every other file is written at once. Reading gives the same text either way. The page's install.sh and
//! README.txt wait for the module that writes them ([`Text::when_ready`]).

use std::cell::{Cell, OnceCell};
use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

use serde::{Serialize, Serializer};

/// Cheap to clone (shared); compares, prints and serialises as its text.
#[derive(Clone)]
pub struct Text(Rc<Inner>);

struct Inner {
    value: OnceCell<String>,
    write: Cell<Option<Box<dyn FnOnce() -> String>>>,
    /// A text that can be written only once something else is there (the page's install.sh waits for the tools
    /// module): asked on every read until it answers, and read as its stand-in meanwhile.
    when_ready: Option<(Box<dyn Fn() -> Option<String>>, String)>,
}

impl Text {
    /// A text written on first read by `write`.
    pub fn later(write: impl FnOnce() -> String + 'static) -> Text {
        Text(Rc::new(Inner { value: OnceCell::new(), write: Cell::new(Some(Box::new(write))), when_ready: None }))
    }

    /// A text written by `write` once it can be (`Some`), and read as `meanwhile` until then; once written, it
    /// stays so.
    pub fn when_ready(write: impl Fn() -> Option<String> + 'static, meanwhile: String) -> Text {
        Text(Rc::new(Inner { value: OnceCell::new(), write: Cell::new(None), when_ready: Some((Box::new(write), meanwhile)) }))
    }

    pub fn as_str(&self) -> &str {
        if let (None, Some((write, meanwhile))) = (self.0.value.get(), &self.0.when_ready) {
            return match write() {
                Some(text) => self.0.value.get_or_init(|| text),
                None => meanwhile,
            };
        }
        self.0.value.get_or_init(|| match self.0.write.take() {
            Some(write) => write(),
            // Only reachable if the writer itself panicked on an earlier read.
            None => String::new(),
        })
    }

    /// True once the text exists (always for a text made from a `String`).
    pub fn is_written(&self) -> bool {
        self.0.value.get().is_some()
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Rc::new(Inner { value: OnceCell::from(s), write: Cell::new(None), when_ready: None }))
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::from(s.to_string())
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<[u8]> for Text {
    fn as_ref(&self) -> &[u8] {
        self.as_str().as_bytes()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.as_str() == other.as_str()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_waiting_for_its_writer_reads_as_its_stand_in_until_written_then_stays() {
        let ready = Rc::new(Cell::new(false));
        let asked = Rc::new(Cell::new(0));
        let (r, a) = (Rc::clone(&ready), Rc::clone(&asked));
        let t = Text::when_ready(
            move || {
                a.set(a.get() + 1);
                r.get().then(|| "written\n".to_string())
            },
            "being written".to_string(),
        );
        let copy = t.clone();
        assert_eq!(t.as_str(), "being written");
        assert!(!t.is_written());
        ready.set(true);
        assert_eq!(copy.as_str(), "written\n", "a copy made before sees it too");
        assert!(t.is_written());
        ready.set(false);
        assert_eq!(t.as_str(), "written\n");
        assert_eq!(asked.get(), 2, "not asked again once written");
    }

    #[test]
    fn a_later_text_is_written_once_on_first_read() {
        let runs = Rc::new(Cell::new(0));
        let counter = Rc::clone(&runs);
        let t = Text::later(move || {
            counter.set(counter.get() + 1);
            "hello\n".to_string()
        });
        assert!(!t.is_written());
        let copy = t.clone();
        assert_eq!(copy.lines().count(), 1);
        assert_eq!(t, "hello\n");
        assert!(t.is_written());
        assert_eq!(runs.get(), 1, "shared by its clones, written once");
        assert_eq!(t, Text::from("hello\n"));
        assert_ne!(t, Text::from("hello"));
    }
}
