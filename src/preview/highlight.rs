//! A small syntax colourer for the preview: TOML (comments, table headers, keys, strings, numbers and booleans)
//! and a light one for sh (comments, strings, variables, keywords, heredocs). Pure and line-oriented: the result
//! has one entry per line of `str::lines()` (the same numbering as `ccb_core::textdiff`), each a list of spans
//! whose texts put together give the line back exactly. State carries across lines, so multi-line TOML strings
//! and arrays, multi-line sh quotes and heredoc bodies are coloured as what they are.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Toml,
    Sh,
    Plain,
}

/// The colouring for a bundle path.
pub fn lang_for(path: &str) -> Lang {
    if path.ends_with(".toml") {
        Lang::Toml
    } else if path.ends_with(".sh") {
        Lang::Sh
    } else {
        Lang::Plain
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Text,
    Comment,
    /// `[table]` / `[[array.of.tables]]`
    Table,
    Key,
    Str,
    /// Numbers, dates, booleans, inf/nan.
    Lit,
    Punct,
    /// sh: `$VAR`, `${VAR:-x}`, `$1`
    Var,
    /// sh: `if`, `then`, `for`, …
    Keyword,
    /// sh: the body of a heredoc (data, not script)
    Heredoc,
}

impl Tok {
    /// CSS class of the span (`None` for plain text).
    pub fn class(self) -> Option<&'static str> {
        match self {
            Tok::Text => None,
            Tok::Comment => Some("tok-comment"),
            Tok::Table => Some("tok-table"),
            Tok::Key => Some("tok-key"),
            Tok::Str => Some("tok-str"),
            Tok::Lit => Some("tok-lit"),
            Tok::Punct => Some("tok-punct"),
            Tok::Var => Some("tok-var"),
            Tok::Keyword => Some("tok-kw"),
            Tok::Heredoc => Some("tok-here"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span<'a> {
    pub tok: Tok,
    pub text: &'a str,
}

pub type Line<'a> = Vec<Span<'a>>;

/// Colours `text`: one entry per line.
pub fn highlight(lang: Lang, text: &str) -> Vec<Line<'_>> {
    match lang {
        Lang::Toml => toml(text),
        Lang::Sh => sh(text),
        Lang::Plain => text.lines().map(|l| if l.is_empty() { vec![] } else { vec![Span { tok: Tok::Text, text: l }] }).collect(),
    }
}

/// Collects spans, merging neighbours of the same kind (fewer DOM nodes).
struct Out<'a> {
    line: &'a str,
    spans: Vec<Span<'a>>,
}

impl<'a> Out<'a> {
    fn new(line: &'a str) -> Self {
        Out { line, spans: Vec::new() }
    }
    fn push(&mut self, tok: Tok, from: usize, to: usize) {
        if to <= from {
            return;
        }
        if let Some(last) = self.spans.last_mut() {
            if last.tok == tok {
                // Neighbours in the same line: extend the previous slice.
                let start = last.text.as_ptr() as usize - self.line.as_ptr() as usize;
                if start + last.text.len() == from {
                    last.text = &self.line[start..to];
                    return;
                }
            }
        }
        self.spans.push(Span { tok, text: &self.line[from..to] });
    }
}

// ---------------------------------------------------------------------------------------------------------- TOML

#[derive(Default)]
struct TomlState {
    /// Inside a multi-line string: its delimiter (`"""` or `'''`).
    ml: Option<&'static str>,
    /// Open `[` / `{` of the value being read (a multi-line array spans lines).
    stack: Vec<u8>,
}

/// The index after the (UTF-8) character starting at `i`.
fn next_char(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len() && (b[j] & 0xC0) == 0x80 {
        j += 1;
    }
    j
}

fn is_bare(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// End (exclusive) of a basic or literal string starting at `i` (on its quote); the line's end if unterminated.
fn string_end(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() {
        if q == b'"' && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == q {
            return j + 1;
        }
        j += 1;
    }
    b.len()
}

/// Searches the closing delimiter of a multi-line string from `from`; returns the end (exclusive) if found.
fn ml_end(line: &str, from: usize, delim: &str) -> Option<usize> {
    let b = line.as_bytes();
    let q = delim.as_bytes()[0];
    let mut j = from;
    while j < b.len() {
        if q == b'"' && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j..].starts_with(delim.as_bytes()) {
            // Up to two extra quotes right before the delimiter belong to the string (`""""` ends with one quote).
            let mut end = j + 3;
            while end < b.len() && b[end] == q && end < j + 5 {
                end += 1;
            }
            return Some(end);
        }
        j += 1;
    }
    None
}

fn toml(text: &str) -> Vec<Line<'_>> {
    let mut st = TomlState::default();
    text.lines().map(|l| toml_line(&mut st, l)).collect()
}

fn toml_line<'a>(st: &mut TomlState, line: &'a str) -> Line<'a> {
    let b = line.as_bytes();
    let mut out = Out::new(line);
    let mut i = 0;
    if let Some(delim) = st.ml {
        match ml_end(line, 0, delim) {
            Some(end) => {
                out.push(Tok::Str, 0, end);
                st.ml = None;
                i = end;
            }
            None => {
                out.push(Tok::Str, 0, b.len());
                return out.spans;
            }
        }
    } else if st.stack.is_empty() {
        // Start of a statement: comment, table header or key.
        let ws = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
        out.push(Tok::Text, 0, ws);
        i = ws;
        if i < b.len() && b[i] == b'[' {
            // Table header: up to the closing `]` / `]]` outside quotes.
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' | b'\'' => j = string_end(b, j),
                    b']' => {
                        j += 1;
                        if j < b.len() && b[j] == b']' {
                            j += 1;
                        }
                        break;
                    }
                    _ => j += 1,
                }
            }
            out.push(Tok::Table, i, j);
            i = j;
        } else if i < b.len() && b[i] != b'#' {
            i = toml_key(&mut out, b, i);
        }
    }
    toml_value(st, &mut out, line, i);
    out.spans
}

/// A key (bare, quoted, dotted) up to and including `=`; returns where the value starts.
fn toml_key(out: &mut Out, b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' => {
                let e = string_end(b, i);
                out.push(Tok::Key, i, e);
                i = e;
            }
            b'=' => {
                out.push(Tok::Punct, i, i + 1);
                return i + 1;
            }
            b'.' => {
                out.push(Tok::Punct, i, i + 1);
                i += 1;
            }
            c if c.is_ascii_whitespace() => {
                out.push(Tok::Text, i, i + 1);
                i += 1;
            }
            c if is_bare(c) => {
                let s = i;
                while i < b.len() && is_bare(b[i]) {
                    i += 1;
                }
                out.push(Tok::Key, s, i);
            }
            b'#' => return i,
            _ => {
                let e = next_char(b, i);
                out.push(Tok::Text, i, e);
                i = e;
            }
        }
    }
    i
}

/// Whether the next non-blank character from `i` is `=` (a key in an inline table).
fn followed_by_eq(b: &[u8], mut i: usize) -> bool {
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t' || b[i] == b'.') {
        i += 1;
    }
    i < b.len() && b[i] == b'='
}

fn toml_value(st: &mut TomlState, out: &mut Out, line: &str, mut i: usize) {
    let b = line.as_bytes();
    while i < b.len() {
        let c = b[i];
        match c {
            b'#' => {
                out.push(Tok::Comment, i, b.len());
                return;
            }
            b'"' | b'\'' => {
                if line[i..].starts_with("\"\"\"") || line[i..].starts_with("'''") {
                    let delim = if c == b'"' { "\"\"\"" } else { "'''" };
                    match ml_end(line, i + 3, delim) {
                        Some(end) => {
                            out.push(Tok::Str, i, end);
                            i = end;
                        }
                        None => {
                            out.push(Tok::Str, i, b.len());
                            st.ml = Some(delim);
                            return;
                        }
                    }
                } else {
                    let e = string_end(b, i);
                    let in_table = st.stack.last() == Some(&b'{');
                    out.push(if in_table && followed_by_eq(b, e) { Tok::Key } else { Tok::Str }, i, e);
                    i = e;
                }
            }
            b'[' | b'{' => {
                st.stack.push(c);
                out.push(Tok::Punct, i, i + 1);
                i += 1;
            }
            b']' | b'}' => {
                st.stack.pop();
                out.push(Tok::Punct, i, i + 1);
                i += 1;
            }
            b',' | b'=' | b'.' => {
                out.push(Tok::Punct, i, i + 1);
                i += 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'+' => {
                let s = i;
                while i < b.len() && (is_bare(b[i]) || matches!(b[i], b'.' | b':' | b'+')) {
                    i += 1;
                }
                // Numbers, dates (`1979-05-27T07:32:00`), booleans; a bare word followed by `=` in an inline table
                // is a key.
                let word = &line[s..i];
                let in_table = st.stack.last() == Some(&b'{');
                let tok = if in_table && followed_by_eq(b, i) {
                    // Dotted keys inside inline tables: only the bare part before `.` is a key.
                    let end = s + word.find('.').unwrap_or(word.len());
                    i = end;
                    Tok::Key
                } else if matches!(word, "true" | "false" | "inf" | "nan" | "+inf" | "-inf" | "+nan" | "-nan")
                    || word.as_bytes()[0].is_ascii_digit()
                    || ((word.starts_with('+') || word.starts_with('-')) && word.len() > 1)
                {
                    Tok::Lit
                } else {
                    Tok::Text
                };
                out.push(tok, s, i);
            }
            _ => {
                let e = next_char(b, i);
                out.push(Tok::Text, i, e);
                i = e;
            }
        }
    }
}

// ------------------------------------------------------------------------------------------------------------ sh

#[derive(Default)]
struct ShState {
    /// Heredocs started on the current line, read in order after it: (delimiter, `<<-` strips tabs).
    pending: Vec<(String, bool)>,
    /// The heredoc whose body is being read.
    body: Option<(String, bool)>,
    /// Inside a quote that spans lines.
    quote: Option<u8>,
}

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "in", "do", "done", "case", "esac", "while", "until", "function",
    "return", "exit", "local", "set", "export", "readonly", "shift", "break", "continue", "trap", "unset",
];

fn sh(text: &str) -> Vec<Line<'_>> {
    let mut st = ShState::default();
    text.lines().map(|l| sh_line(&mut st, l)).collect()
}

fn is_word_char(c: u8) -> bool {
    !c.is_ascii_whitespace() && !matches!(c, b';' | b'|' | b'&' | b'(' | b')' | b'<' | b'>' | b'"' | b'\'' | b'$' | b'`')
}

/// End of a `$…` expansion starting at `i` (on the `$`).
fn var_end(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    if j >= b.len() {
        return j;
    }
    match b[j] {
        b'{' => {
            let mut depth = 0;
            while j < b.len() {
                match b[j] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        c if c.is_ascii_alphabetic() || c == b'_' => {
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            j
        }
        c if c.is_ascii_digit() || matches!(c, b'?' | b'#' | b'@' | b'*' | b'$' | b'!' | b'-') => j + 1,
        _ => i + 1,
    }
}

/// Reads the rest of a quoted string from `i` (just after the opening quote, or the line start when the quote
/// spans lines). Returns where it ends (after the closing quote) or `None` if it goes on to the next line.
fn sh_quoted(out: &mut Out, b: &[u8], mut i: usize, q: u8) -> Option<usize> {
    let mut s = i;
    while i < b.len() {
        if q == b'"' && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if q == b'"' && b[i] == b'$' && var_end(b, i) > i + 1 {
            out.push(Tok::Str, s, i);
            let e = var_end(b, i);
            out.push(Tok::Var, i, e);
            i = e;
            s = i;
            continue;
        }
        if b[i] == q {
            out.push(Tok::Str, s, i + 1);
            return Some(i + 1);
        }
        i += 1;
    }
    out.push(Tok::Str, s, b.len());
    None
}

fn sh_line<'a>(st: &mut ShState, line: &'a str) -> Line<'a> {
    let b = line.as_bytes();
    let mut out = Out::new(line);
    if let Some((delim, strip)) = st.body.clone() {
        let candidate = if strip { line.trim_start_matches('\t') } else { line };
        if candidate == delim {
            out.push(Tok::Keyword, 0, b.len());
            st.body = if st.pending.is_empty() { None } else { Some(st.pending.remove(0)) };
        } else {
            out.push(Tok::Heredoc, 0, b.len());
        }
        return out.spans;
    }
    let mut i = 0;
    if let Some(q) = st.quote {
        match sh_quoted(&mut out, b, 0, q) {
            Some(e) => {
                st.quote = None;
                i = e;
            }
            None => return out.spans,
        }
    }
    // At the start of a word: `#` starts a comment there only.
    let mut word_start = true;
    while i < b.len() {
        let c = b[i];
        if c == b'#' && word_start {
            out.push(Tok::Comment, i, b.len());
            break;
        }
        match c {
            b'\'' | b'"' => {
                out.push(Tok::Str, i, i + 1);
                match sh_quoted(&mut out, b, i + 1, c) {
                    Some(e) => i = e,
                    None => {
                        st.quote = Some(c);
                        break;
                    }
                }
                word_start = false;
            }
            b'\\' => {
                let e = if i + 1 < b.len() { next_char(b, i + 1) } else { b.len() };
                out.push(Tok::Text, i, e);
                i = e;
                word_start = false;
            }
            b'$' => {
                let e = var_end(b, i);
                out.push(if e > i + 1 { Tok::Var } else { Tok::Punct }, i, e);
                i = e;
                word_start = false;
            }
            b'<' if line[i..].starts_with("<<") && !line[i..].starts_with("<<<") => {
                // Heredoc: `<<WORD`, `<<'WORD'`, `<<"WORD"`, `<<-WORD`.
                let mut j = i + 2;
                let strip = j < b.len() && b[j] == b'-';
                if strip {
                    j += 1;
                }
                while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                    j += 1;
                }
                let (word, end) = if j < b.len() && (b[j] == b'\'' || b[j] == b'"') {
                    let q = b[j];
                    let close = line[j + 1..].find(q as char).map(|k| j + 1 + k);
                    match close {
                        Some(k) => (line[j + 1..k].to_string(), k + 1),
                        None => (line[j + 1..].to_string(), b.len()),
                    }
                } else {
                    let mut k = j;
                    while k < b.len() && is_word_char(b[k]) {
                        k += 1;
                    }
                    (line[j..k].replace('\\', ""), k)
                };
                if word.is_empty() {
                    out.push(Tok::Punct, i, i + 2);
                    i += 2;
                } else {
                    out.push(Tok::Keyword, i, end);
                    st.pending.push((word, strip));
                    i = end;
                }
                word_start = false;
            }
            c if c.is_ascii_whitespace() => {
                out.push(Tok::Text, i, i + 1);
                i += 1;
                word_start = true;
            }
            b';' | b'|' | b'&' | b'(' | b')' | b'<' | b'>' | b'`' => {
                out.push(Tok::Punct, i, i + 1);
                i += 1;
                word_start = true;
            }
            _ => {
                let s = i;
                while i < b.len() && is_word_char(b[i]) && b[i] != b'\\' {
                    i += 1;
                }
                if i == s {
                    i = next_char(b, i);
                }
                let function = word_start && b[i..].starts_with(b"()");
                if function {
                    i += 2;
                }
                let word = &line[s..i];
                let tok = if function {
                    Tok::Key
                } else if word_start && KEYWORDS.contains(&word) {
                    Tok::Keyword
                } else {
                    Tok::Text
                };
                out.push(tok, s, i);
                word_start = false;
            }
        }
    }
    if st.body.is_none() && !st.pending.is_empty() {
        st.body = Some(st.pending.remove(0));
    }
    out.spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.iter().map(|s| s.text).collect()).collect()
    }

    /// The spans of kind `tok` in `line`.
    fn of(line: &Line, tok: Tok) -> Vec<String> {
        line.iter().filter(|s| s.tok == tok).map(|s| s.text.to_string()).collect()
    }

    #[test]
    fn spans_give_back_every_line() {
        let toml_text = "# c\nversion = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  config_path = \"/etc/x\"\n\nk = '''\nmulti\n'''\n";
        let lines = highlight(Lang::Toml, toml_text);
        assert_eq!(joined(&lines), toml_text.lines().map(str::to_string).collect::<Vec<_>>());
        let sh_text = "#!/bin/sh\nset -eu\nif install_file 'a' 644 <<'EOF'\nx = \"y\"\nEOF\nthen\n  echo \"$X ${Y:-z}\" # c\nfi\n";
        let lines = highlight(Lang::Sh, sh_text);
        assert_eq!(joined(&lines), sh_text.lines().map(str::to_string).collect::<Vec<_>>());
        assert_eq!(highlight(Lang::Plain, "a\n\nb").len(), 3);
    }

    #[test]
    fn toml_tokens() {
        let l = highlight(
            Lang::Toml,
            "# Generated\nserver = \"https://example.io\" # trailing\n[host.\"https://m.example.com\".header]\ncapabilities = [\"pull\", \"resolve\"]\nskip_verify = true\nversion = 3\ndial_timeout = -5\n[[array]]\n",
        );
        assert_eq!(of(&l[0], Tok::Comment), vec!["# Generated"]);
        assert_eq!(of(&l[1], Tok::Key), vec!["server"]);
        assert_eq!(of(&l[1], Tok::Str), vec!["\"https://example.io\""]);
        assert_eq!(of(&l[1], Tok::Comment), vec!["# trailing"]);
        assert_eq!(of(&l[2], Tok::Table), vec!["[host.\"https://m.example.com\".header]"]);
        assert_eq!(of(&l[3], Tok::Str), vec!["\"pull\"", "\"resolve\""]);
        assert_eq!(of(&l[4], Tok::Lit), vec!["true"]);
        assert_eq!(of(&l[5], Tok::Lit), vec!["3"]);
        assert_eq!(of(&l[6], Tok::Lit), vec!["-5"]);
        assert_eq!(of(&l[7], Tok::Table), vec!["[[array]]"]);
    }

    #[test]
    fn toml_hash_inside_strings_is_not_a_comment() {
        let l = highlight(Lang::Toml, "a = \"x # y\" # z\n'quoted key' = 'lit#'\n");
        assert_eq!(of(&l[0], Tok::Str), vec!["\"x # y\""]);
        assert_eq!(of(&l[0], Tok::Comment), vec!["# z"]);
        assert_eq!(of(&l[1], Tok::Key), vec!["'quoted key'"]);
        assert_eq!(of(&l[1], Tok::Str), vec!["'lit#'"]);
        let l = highlight(Lang::Toml, "a = \"esc \\\" # still\"\n");
        assert!(of(&l[0], Tok::Comment).is_empty());
    }

    #[test]
    fn toml_multi_line_strings_and_arrays() {
        let l = highlight(Lang::Toml, "pem = \"\"\"\n-----BEGIN\n[not.a.table]\n# not a comment\n\"\"\"\nnext = 1\n");
        assert_eq!(of(&l[0], Tok::Str), vec!["\"\"\""]);
        assert_eq!(of(&l[2], Tok::Str), vec!["[not.a.table]"]);
        assert_eq!(of(&l[3], Tok::Str), vec!["# not a comment"]);
        assert_eq!(of(&l[4], Tok::Str), vec!["\"\"\""]);
        assert_eq!(of(&l[5], Tok::Key), vec!["next"]);
        let l = highlight(Lang::Toml, "imports = [\n  \"/a\",\n  [1, 2],\n]\n[t]\n");
        assert_eq!(of(&l[1], Tok::Str), vec!["\"/a\""]);
        assert!(of(&l[2], Tok::Table).is_empty(), "an array inside an array is no table header");
        assert_eq!(of(&l[4], Tok::Table), vec!["[t]"]);
        // Inline tables: keys and values.
        let l = highlight(Lang::Toml, "x = { a = 1, \"b\" = \"s\", c.d = true }\n");
        assert_eq!(of(&l[0], Tok::Key), vec!["x", "a", "\"b\"", "c", "d"]);
        assert_eq!(of(&l[0], Tok::Str), vec!["\"s\""]);
        assert_eq!(of(&l[0], Tok::Lit), vec!["1", "true"]);
        // A literal multi-line string closed on the same line.
        let l = highlight(Lang::Toml, "a = '''one'''\nb = 2\n");
        assert_eq!(of(&l[0], Tok::Str), vec!["'''one'''"]);
        assert_eq!(of(&l[1], Tok::Key), vec!["b"]);
    }

    #[test]
    fn sh_tokens() {
        let l = highlight(Lang::Sh, "#!/bin/sh\nset -eu\nETC=\"${CONTAINERD_ETC:-/etc/containerd}\"\nsay() { printf '%s\\n' \"$*\"; }\n  if [ -d \"$d\" ]; then # c\necho a#b $1 $?\n");
        assert_eq!(of(&l[0], Tok::Comment), vec!["#!/bin/sh"]);
        assert_eq!(of(&l[1], Tok::Keyword), vec!["set"]);
        assert_eq!(of(&l[2], Tok::Var), vec!["${CONTAINERD_ETC:-/etc/containerd}"]);
        assert_eq!(of(&l[3], Tok::Key), vec!["say()"]);
        assert_eq!(of(&l[3], Tok::Str), vec!["'%s\\n'", "\"", "\""]);
        assert_eq!(of(&l[3], Tok::Var), vec!["$*"]);
        assert_eq!(of(&l[4], Tok::Keyword), vec!["if", "then"]);
        assert_eq!(of(&l[4], Tok::Comment), vec!["# c"]);
        assert!(of(&l[5], Tok::Comment).is_empty(), "# inside a word is no comment");
        assert_eq!(of(&l[5], Tok::Var), vec!["$1", "$?"]);
    }

    #[test]
    fn sh_heredoc_bodies_are_data() {
        let text = "if install_file 'certs.d/x/hosts.toml' 644 <<'CCB_EOF_1'\n# Generated\nserver = \"https://x\"\nif then fi $HOME\nCCB_EOF_1\nthen\n  CHANGED=1\nfi\ncat <<-EOF\n\tbody\n\tEOF\necho after # c\n";
        let l = highlight(Lang::Sh, text);
        assert_eq!(of(&l[0], Tok::Keyword), vec!["if", "<<'CCB_EOF_1'"]);
        for (k, line) in l.iter().enumerate().take(4).skip(1) {
            assert_eq!(line.len(), 1, "line {k}");
            assert_eq!(line[0].tok, Tok::Heredoc, "line {k}");
        }
        assert_eq!(of(&l[4], Tok::Keyword), vec!["CCB_EOF_1"]);
        assert_eq!(of(&l[5], Tok::Keyword), vec!["then"]);
        assert_eq!(of(&l[7], Tok::Keyword), vec!["fi"]);
        assert_eq!(l[9][0].tok, Tok::Heredoc);
        assert_eq!(of(&l[10], Tok::Keyword), vec!["\tEOF"]);
        assert_eq!(of(&l[11], Tok::Comment), vec!["# c"]);
        // Two heredocs on one line are read one after the other.
        let l = highlight(Lang::Sh, "cmd <<A <<B\na\nA\nb\nB\nx\n");
        assert_eq!(l[1][0].tok, Tok::Heredoc);
        assert_eq!(l[2][0].tok, Tok::Keyword);
        assert_eq!(l[3][0].tok, Tok::Heredoc);
        assert_eq!(l[4][0].tok, Tok::Keyword);
        assert_eq!(l[5][0].tok, Tok::Text);
    }

    #[test]
    fn sh_quotes_may_span_lines() {
        let l = highlight(Lang::Sh, "say 'one\n# two\nthree' # c\n");
        assert_eq!(of(&l[1], Tok::Str), vec!["# two"]);
        assert_eq!(of(&l[2], Tok::Str), vec!["three'"]);
        assert_eq!(of(&l[2], Tok::Comment), vec!["# c"]);
    }

    #[test]
    fn real_bundle_files_round_trip() {
        let mut p = ccb_core::Project::default();
        p.registries.push(ccb_core::model::Registry {
            upstream: "docker.io".into(),
            endpoints: vec![ccb_core::model::Endpoint { url: "https://m.example.com".into(), ..Default::default() }],
            ..Default::default()
        });
        let r = ccb_core::render(&p);
        for f in &r.files {
            let lines = highlight(lang_for(&f.path), &f.content);
            assert_eq!(joined(&lines), f.content.lines().map(str::to_string).collect::<Vec<_>>(), "{}", f.path);
        }
        let script = r.file("install.sh").unwrap();
        let lines = highlight(Lang::Sh, &script.content);
        // Inside the hosts.toml heredoc, `server = …` is data.
        let (k, _) = script.content.lines().enumerate().find(|(_, l)| l.starts_with("server = ")).unwrap();
        assert_eq!(lines[k][0].tok, Tok::Heredoc);
        // After the body, the script is coloured again.
        let (k, _) = script.content.lines().enumerate().skip(k).find(|(_, l)| l.trim() == "fi").unwrap();
        assert_eq!(lines[k].iter().find(|s| s.tok != Tok::Text).map(|s| s.tok), Some(Tok::Keyword));
    }
}
