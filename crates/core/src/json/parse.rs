//! JSON text → a tree whose every node knows where it starts (line, column), with serde_json's syntax rules and
//! messages: no comments, no trailing commas, strings without raw control characters, surrogate pairs only in
//! pairs, numbers as JSON writes them, nesting bounded (so a hostile text cannot exhaust the stack).

use super::{Category, Error};

/// As serde_json: the 128th nested array or object is refused.
pub const MAX_DEPTH: usize = 128;

/// A value and where it starts: 1-based line, 1-based column in bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub line: usize,
    pub column: usize,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    /// The number as written (JSON's grammar checked; its range is the reader's business).
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Members in the order written, a repeated key included (the readers decide what a repeat means).
    Object(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    /// Where the key starts.
    pub line: usize,
    pub column: usize,
    pub value: Node,
}

/// Parses a whole text: one value, whitespace around it.
pub fn parse(text: &str) -> Result<Node, Error> {
    let mut p = Parser { b: text.as_bytes(), i: 0, line: 1, line_start: 0, depth: 0 };
    let v = p.value().map_err(|e| *e)?;
    p.ws();
    if p.i < p.b.len() {
        return Err(*p.err("trailing characters"));
    }
    Ok(v)
}

/// The parser's result: the error boxed, so that every `?` on the way out moves a pointer, not an `Error`.
type Parsed<T> = Result<T, Box<Error>>;

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
    line_start: usize,
    depth: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b' ' | b'\t' | b'\r' => {}
                b'\n' => {
                    self.line += 1;
                    self.line_start = self.i + 1;
                }
                _ => return,
            }
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn column(&self) -> usize {
        self.i - self.line_start + 1
    }

    /// A syntax error at the current byte.
    fn err(&self, message: &str) -> Box<Error> {
        Box::new(Error { message: message.into(), line: self.line, column: self.column(), category: Category::Syntax })
    }

    /// The text ended inside something: serde_json's position is the last byte read.
    fn eof(&self, what: &str) -> Box<Error> {
        Box::new(Error { message: format!("EOF while parsing {what}"), line: self.line, column: self.b.len() - self.line_start, category: Category::Eof })
    }

    fn value(&mut self) -> Parsed<Node> {
        self.ws();
        let (line, column) = (self.line, self.column());
        let kind = match self.peek() {
            None => return Err(self.eof("a value")),
            Some(b'n') => self.word("null", Kind::Null)?,
            Some(b't') => self.word("true", Kind::Bool(true))?,
            Some(b'f') => self.word("false", Kind::Bool(false))?,
            Some(b'"') => Kind::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => Kind::Number(self.number()?),
            Some(b'[') => {
                self.enter()?;
                let items = self.array()?;
                self.depth -= 1;
                Kind::Array(items)
            }
            Some(b'{') => {
                self.enter()?;
                let members = self.object()?;
                self.depth -= 1;
                Kind::Object(members)
            }
            Some(_) => return Err(self.err("expected value")),
        };
        Ok(Node { line, column, kind })
    }

    fn enter(&mut self) -> Parsed<()> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.err("recursion limit exceeded"));
        }
        self.i += 1;
        Ok(())
    }

    fn word(&mut self, w: &str, kind: Kind) -> Parsed<Kind> {
        for &c in w.as_bytes() {
            match self.peek() {
                None => return Err(self.eof("a value")),
                Some(x) if x == c => self.i += 1,
                Some(_) => return Err(self.err("expected ident")),
            }
        }
        Ok(kind)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Parsed<String> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            None => return Err(self.eof("a value")),
            Some(b'0') => {
                self.i += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.err("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            Some(_) => return Err(self.err("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(if self.peek().is_none() { self.eof("a value") } else { self.err("invalid number") });
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(if self.peek().is_none() { self.eof("a value") } else { self.err("invalid number") });
            }
        }
        Ok(String::from_utf8_lossy(&self.b[start..self.i]).into_owned())
    }

    fn hex4(&mut self) -> Parsed<u16> {
        let mut n: u16 = 0;
        for _ in 0..4 {
            let d = match self.peek() {
                None => return Err(self.eof("a string")),
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                Some(_) => return Err(self.err("invalid escape")),
            };
            n = n * 16 + u16::from(d);
            self.i += 1;
        }
        Ok(n)
    }

    /// A string at `"`; the text is UTF-8 already, so only escapes and control characters need checks.
    fn string(&mut self) -> Parsed<String> {
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(c) = self.peek() else { return Err(self.eof("a string")) };
            match c {
                b'"' => {
                    self.i += 1;
                    // Only whole characters were copied and escapes push whole characters.
                    return Ok(String::from_utf8(out).unwrap_or_default());
                }
                b'\\' => {
                    self.i += 1;
                    let Some(e) = self.peek() else { return Err(self.eof("a string")) };
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => {
                            self.i -= 1;
                            return Err(self.err("invalid escape"));
                        }
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return Err(self.err("control character (\\u0000-\\u001F) found while parsing a string")),
                _ => {
                    out.push(c);
                    self.i += 1;
                }
            }
        }
    }

    /// After `\u`: one character, a surrogate pair taken together.
    fn unicode_escape(&mut self) -> Parsed<char> {
        let n = self.hex4()?;
        let code = match n {
            0xD800..=0xDBFF => {
                if self.b.get(self.i..self.i + 2) != Some(b"\\u") {
                    return Err(if self.i >= self.b.len() { self.eof("a string") } else { self.err("lone leading surrogate in hex escape") });
                }
                self.i += 2;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.err("lone leading surrogate in hex escape"));
                }
                0x10000 + ((u32::from(n) - 0xD800) << 10) + (u32::from(low) - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.err("lone leading surrogate in hex escape")),
            n => u32::from(n),
        };
        char::from_u32(code).ok_or_else(|| self.err("invalid unicode code point"))
    }

    fn array(&mut self) -> Parsed<Vec<Node>> {
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(items);
        }
        loop {
            items.push(self.value()?);
            self.ws();
            match self.peek() {
                None => return Err(self.eof("a list")),
                Some(b']') => {
                    self.i += 1;
                    return Ok(items);
                }
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                    if self.peek() == Some(b']') {
                        return Err(self.err("trailing comma"));
                    }
                }
                Some(_) => return Err(self.err("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Parsed<Vec<Member>> {
        let mut members = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(members);
        }
        loop {
            self.ws();
            let (line, column) = (self.line, self.column());
            match self.peek() {
                None => return Err(self.eof("an object")),
                Some(b'"') => {}
                Some(_) => return Err(self.err("key must be a string")),
            }
            let key = self.string()?;
            self.ws();
            match self.peek() {
                None => return Err(self.eof("an object")),
                Some(b':') => self.i += 1,
                Some(_) => return Err(self.err("expected `:`")),
            }
            let value = self.value()?;
            members.push(Member { key, line, column, value });
            self.ws();
            match self.peek() {
                None => return Err(self.eof("an object")),
                Some(b'}') => {
                    self.i += 1;
                    return Ok(members);
                }
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                    if self.peek() == Some(b'}') {
                        return Err(self.err("trailing comma"));
                    }
                }
                Some(_) => return Err(self.err("expected `,` or `}`")),
            }
        }
    }
}
