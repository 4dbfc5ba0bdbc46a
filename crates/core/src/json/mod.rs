//! JSON of our own, for every project file the page and the CLI read or write (project files, share links,
//! drafts, presets, state codes, the text sent between the page's wasm modules): a parser into a tree whose every
//! node has its line and column ([`parse`]), a writer that writes what serde_json writes for the same data,
//! compact and pretty ([`Writer`]), a sorted-key [`Value`] for the share links' merge patch, and the model's
//! read and write functions, written out by hand ([`project`]).
//!
//! Why not serde: the derived `Deserialize`/`Serialize` of the model and serde_json's reader and writer were
//! about an eighth of the page's code (issue 8). The model keeps its serde derives for the JSON Schema
//! (schemars) and for the tests, which hold this module to serde_json's bytes and acceptance.

mod parse;
pub mod project;
mod value;
mod write;

pub use parse::{parse, Kind, Member, Node, MAX_DEPTH};
pub use value::{Map, Value};
pub use write::{write_str, Writer};

/// Which kind of failure: the text is no JSON (`Syntax`, `Eof`), or JSON in the wrong shape (`Data`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Syntax,
    Eof,
    Data,
}

/// A reading error, worded as serde_json words its own: the message, then "at line L column C" (1-based line,
/// column in bytes of the offending character; column 0 for an empty text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub category: Category,
}

impl Error {
    pub fn line(&self) -> usize {
        self.line
    }
    pub fn column(&self) -> usize {
        self.column
    }
    pub fn classify(&self) -> Category {
        self.category
    }
    /// A data error at `node`.
    pub fn data(message: String, node: &Node) -> Error {
        Error { message, line: node.line, column: node.column, category: Category::Data }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "{} at line {} column {}", self.message, self.line, self.column)
        }
    }
}

impl std::error::Error for Error {}
