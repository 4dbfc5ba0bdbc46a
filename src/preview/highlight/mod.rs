//! A small syntax colourer for the preview: TOML (comments, table headers, keys, strings, numbers and booleans)
//! and a light one for sh (comments, strings, variables, keywords, heredocs). Pure and line-oriented: the result
//! has one entry per line of `str::lines()` (the same numbering as `ccb_core::textdiff`), each a list of spans
//! whose texts put together give the line back exactly. State carries across lines, so multi-line TOML strings
//! and arrays, multi-line sh quotes and heredoc bodies are coloured as what they are.

mod sh;
mod toml;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Toml,
    Sh,
    Plain,
}

/// The colouring for a kind of bundle file (the core says what each file is).
pub fn lang_for(kind: ccb_core::FileKind) -> Lang {
    if kind.is_toml() {
        Lang::Toml
    } else if kind == ccb_core::FileKind::InstallScript {
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
        Lang::Toml => toml::highlight(text),
        Lang::Sh => sh::highlight(text),
        Lang::Plain => text.lines().map(|l| if l.is_empty() { vec![] } else { vec![Span { tok: Tok::Text, text: l }] }).collect(),
    }
}

/// Collects spans, merging neighbours of the same kind (fewer DOM nodes).
pub(super) struct Out<'a> {
    line: &'a str,
    spans: Vec<Span<'a>>,
}

impl<'a> Out<'a> {
    pub(super) fn new(line: &'a str) -> Self {
        Out { line, spans: Vec::new() }
    }
    pub(super) fn push(&mut self, tok: Tok, from: usize, to: usize) {
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

/// The index after the (UTF-8) character starting at `i`.
pub(super) fn next_char(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len() && (b[j] & 0xC0) == 0x80 {
        j += 1;
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn joined(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.iter().map(|s| s.text).collect()).collect()
    }

    /// The spans of kind `tok` in `line`.
    pub(super) fn of(line: &Line, tok: Tok) -> Vec<String> {
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
    fn real_bundle_files_round_trip() {
        let mut p = ccb_core::Project::default();
        p.registries.push(ccb_core::model::Registry {
            upstream: "docker.io".into(),
            endpoints: vec![ccb_core::model::Endpoint { url: "https://m.example.com".into(), ..Default::default() }],
            ..Default::default()
        });
        let r = ccb_core::render(&p);
        for f in &r.files {
            let lines = highlight(lang_for(f.kind), &f.content);
            assert_eq!(joined(&lines), f.content.lines().map(str::to_string).collect::<Vec<_>>(), "{}", f.path);
        }
        let script = r.file_of(ccb_core::FileKind::InstallScript).unwrap();
        let lines = highlight(Lang::Sh, &script.content);
        // Inside the hosts.toml heredoc, `server = …` is data.
        let (k, _) = script.content.lines().enumerate().find(|(_, l)| l.starts_with("server = ")).unwrap();
        assert_eq!(lines[k][0].tok, Tok::Heredoc);
        // After the body, the script is coloured again.
        let (k, _) = script.content.lines().enumerate().skip(k).find(|(_, l)| l.trim() == "fi").unwrap();
        assert_eq!(lines[k].iter().find(|s| s.tok != Tok::Text).map(|s| s.tok), Some(Tok::Keyword));
    }
}
