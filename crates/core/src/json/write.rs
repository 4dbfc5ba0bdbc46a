//! JSON text as serde_json writes it: compact (`{"a":1,"b":[]}`) or pretty (two-space indent, `"a": 1`, empty
//! lists and objects as `[]` / `{}`), strings escaped alike (`\"`, `\\`, `\n`-style short forms, other control
//! characters as `\u00xx`, everything else as is).

pub struct Writer {
    out: String,
    pretty: bool,
    depth: usize,
    /// Nothing written yet in the innermost open list or object.
    first: bool,
}

impl Writer {
    pub fn new(pretty: bool) -> Writer {
        Writer { out: String::new(), pretty, depth: 0, first: true }
    }

    pub fn finish(self) -> String {
        self.out
    }

    fn newline(&mut self) {
        if self.pretty {
            self.out.push('\n');
            for _ in 0..self.depth {
                self.out.push_str("  ");
            }
        }
    }

    fn open(&mut self, c: char) {
        self.out.push(c);
        self.depth += 1;
        self.first = true;
    }

    fn close(&mut self, c: char) {
        self.depth -= 1;
        if !self.first {
            self.newline();
        }
        self.out.push(c);
        self.first = false;
    }

    pub fn begin_object(&mut self) {
        self.open('{');
    }
    pub fn end_object(&mut self) {
        self.close('}');
    }
    pub fn begin_array(&mut self) {
        self.open('[');
    }
    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// Before each element of a list.
    pub fn element(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.newline();
    }

    /// An object's key; its value follows.
    pub fn key(&mut self, k: &str) {
        self.element();
        write_str(&mut self.out, k);
        self.out.push(':');
        if self.pretty {
            self.out.push(' ');
        }
    }

    pub fn str(&mut self, s: &str) {
        write_str(&mut self.out, s);
    }
    pub fn bool(&mut self, b: bool) {
        self.out.push_str(if b { "true" } else { "false" });
    }
    pub fn null(&mut self) {
        self.out.push_str("null");
    }
    /// A number's text as it stands (an integer's `to_string`, or a number read from JSON).
    pub fn number(&mut self, n: &str) {
        self.out.push_str(n);
    }
    pub fn opt_str(&mut self, s: &Option<String>) {
        match s {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }
    /// A list, each item written by `item`.
    pub fn list<T>(&mut self, items: &[T], item: impl Fn(&mut Writer, &T)) {
        self.begin_array();
        for x in items {
            self.element();
            item(self, x);
        }
        self.end_array();
    }
}

/// `s` as a JSON string, escaped as serde_json escapes.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(short);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}
