//! A light sh colouring: comments, strings (also across lines), variables, keywords and heredoc bodies (data, not
//! script).

use super::{next_char, Line, Out, Tok};

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

pub(super) fn highlight(text: &str) -> Vec<Line<'_>> {
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
    use super::super::tests::of;
    use super::super::{highlight, Lang, Tok};

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
}
