//! Diagnostics: what validation says about a project, at which field, in both languages.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A user-facing text in every language the product speaks. Both are always present, but in the page's wasm
/// before its Chinese texts are installed: there the Chinese one (a `zh!` template the page looks up, see
/// `crate::zh`) is empty, and [`Message::get`] gives the English one instead.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Message {
    pub en: String,
    pub zh: String,
}

impl Message {
    /// Messages quote what the user typed; control characters in it are shown escaped (see [`escape_controls`]),
    /// so no message can move a terminal's cursor, retitle its window or hide text in the page.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Message { en: escape_controls(&en.into()), zh: escape_controls(&zh.into()) }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh if self.zh.is_empty() => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Lang {
    En,
    Zh,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Field path into the project model, e.g. `registries[0].endpoints[1].url`; empty for the whole project.
    pub path: String,
    /// Stable identifier of the rule (the spec's rule number where there is one), e.g. `U6-harbor-override-path`.
    pub code: &'static str,
    pub message: Message,
}

impl Diagnostic {
    pub fn new(severity: Severity, path: impl Into<String>, code: &'static str, message: Message) -> Self {
        Diagnostic { severity, path: path.into(), code, message }
    }
    pub fn error(path: impl Into<String>, code: &'static str, en: impl Into<String>, zh: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, code, Message::new(en, zh))
    }
    pub fn warning(path: impl Into<String>, code: &'static str, en: impl Into<String>, zh: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path, code, Message::new(en, zh))
    }
    pub fn info(path: impl Into<String>, code: &'static str, en: impl Into<String>, zh: impl Into<String>) -> Self {
        Self::new(Severity::Info, path, code, Message::new(en, zh))
    }
    /// Whether this diagnostic is about `path` or one of its sub-fields.
    pub fn is_under(&self, path: &str) -> bool {
        self.path == path
            || (self.path.starts_with(path)
                && matches!(self.path.as_bytes().get(path.len()), Some(b'.') | Some(b'[')))
    }
}

/// `s` with every control character but the line feed written as `\u{1b}` (Rust's escape form): what the CLI,
/// install.sh and the page show of user input.
pub fn escape_controls(s: &str) -> String {
    escape_controls_except(s, &['\n']).into_owned()
}

/// `s` as one line: every control character, the line feed included, escaped. For user text in a comment
/// (`# Try order: …`) or a line of README.txt, where a line feed would end the comment and start TOML or text of
/// the user's choosing.
pub fn one_line(s: &str) -> String {
    escape_controls_except(s, &[]).into_owned()
}

/// `s` with every control character not in `keep` escaped as `\u{1b}`; borrowed when there is none.
pub fn escape_controls_except<'a>(s: &'a str, keep: &[char]) -> std::borrow::Cow<'a, str> {
    let hidden = |c: char| c.is_control() && !keep.contains(&c);
    if !s.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_messages_are_escaped() {
        assert_eq!(escape_controls("a\u{1b}[2J\u{1b}]0;pwned\u{7}b"), "a\\u{1b}[2J\\u{1b}]0;pwned\\u{7}b");
        assert_eq!(escape_controls("line\nnext\ttab\r"), "line\nnext\\u{9}tab\\u{d}");
        assert_eq!(escape_controls("plain 中文"), "plain 中文");
        let d = Diagnostic::error("x", "T0", "upstream \u{1b}[2J", "上游 \u{9b}1m");
        assert_eq!(d.message.en, "upstream \\u{1b}[2J");
        assert_eq!(d.message.zh, "上游 \\u{9b}1m");
        assert!(!d.message.en.chars().any(|c| c.is_control()));
    }

    #[test]
    fn one_line_escapes_the_line_feed_too() {
        assert_eq!(one_line("https://m.example.com\nserver = 1\u{7f}"), "https://m.example.com\\u{a}server = 1\\u{7f}");
    }
}
