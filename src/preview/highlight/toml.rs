//! TOML colouring: comments, table headers, keys, strings, numbers and booleans; multi-line strings and arrays
//! carry across lines.

use super::{next_char, Line, Out, Tok};

#[derive(Default)]
struct TomlState {
    /// Inside a multi-line string: its delimiter (`"""` or `'''`).
    ml: Option<&'static str>,
    /// Open `[` / `{` of the value being read (a multi-line array spans lines).
    stack: Vec<u8>,
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

pub(super) fn highlight(text: &str) -> Vec<Line<'_>> {
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

#[cfg(test)]
mod tests {
    use super::super::tests::{of};
    use super::super::{highlight, Lang, Tok};

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
}
