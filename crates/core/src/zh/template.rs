//! The one reading of a `zh!` template, shared by the macro (`crates/zh-macro`, which includes this file), the
//! scanner that writes the page's Chinese text module (`zh::scan`) and the runtime (`zh::fill`): a Rust string
//! literal's source → its value; the value's hash, the key of the template in the module; the value as a format
//! template → the form the page fills in (`{0}`, `{1}`: one slot per distinct argument and format spec, in order
//! of first use) and what each slot is. No dependency: the macro crate compiles it as it is.

/// FNV-1a over the template's bytes: the key of a template in the text module (the tests refuse a collision).
pub const fn hash(s: &str) -> u32 {
    let b = s.as_bytes();
    let mut h: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < b.len() {
        h ^= b[i] as u32;
        h = h.wrapping_mul(0x0100_0193);
        i += 1;
    }
    h
}

/// The value of the string literal at the start of `src` (`"…"` with Rust's escapes, or a raw `r#"…"#`) and the
/// length of its source; `None` when `src` does not start with one.
pub fn literal_value(src: &str) -> Option<(String, usize)> {
    let bytes = src.as_bytes();
    if bytes.first() == Some(&b'r') {
        let hashes = src[1..].bytes().take_while(|b| *b == b'#').count();
        if bytes.get(1 + hashes) != Some(&b'"') {
            return None;
        }
        let body = 2 + hashes;
        let close = format!("\"{}", "#".repeat(hashes));
        let end = src[body..].find(&close)?;
        return Some((src[body..body + end].to_string(), body + end + close.len()));
    }
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut out = String::new();
    let mut chars = src[1..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, i + 2)),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '0' => out.push('\0'),
                '\\' => out.push('\\'),
                '"' => out.push('"'),
                '\'' => out.push('\''),
                'x' => {
                    let hex: String = [chars.next()?.1, chars.next()?.1].iter().collect();
                    out.push(u8::from_str_radix(&hex, 16).ok()? as char);
                }
                'u' => {
                    if chars.next()?.1 != '{' {
                        return None;
                    }
                    let mut hex = String::new();
                    loop {
                        match chars.next()?.1 {
                            '}' => break,
                            '_' => {}
                            h => hex.push(h),
                        }
                    }
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                // A line continuation: the line feed and the next line's leading white space are not in the value.
                '\n' | '\r' => {
                    while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                        chars.next();
                    }
                }
                _ => return None,
            },
            c => out.push(c),
        }
    }
    None
}

/// Which argument a slot takes: the n-th positional one, or a name (a named argument, else a variable captured
/// from the call site, as `format!` does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Index(usize),
    Name(String),
}

/// One slot of a template: its argument and its format spec (`?`, `>5`; empty for plain `{}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub arg: Arg,
    pub spec: String,
}

/// `template` (a `format!` template) in the form the page fills in, with its slots: `"{name} 在 {}：{name}"` →
/// `("{0} 在 {1}：{0}", [name, 0])`. Literal braces stay doubled (`{{`, `}}`), as [`fill`] reads them.
pub fn slots(template: &str) -> Result<(String, Vec<Slot>), String> {
    let mut out = String::with_capacity(template.len());
    let mut slots: Vec<Slot> = Vec::new();
    let mut next = 0;
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..2]);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('}') {
            return Err(format!("a lone '}}' in {template:?}"));
        }
        let end = tail.find('}').ok_or_else(|| format!("an unclosed '{{' in {template:?}"))?;
        let inner = &tail[1..end];
        let (name, spec) = inner.split_once(':').unwrap_or((inner, ""));
        let name = name.trim();
        let arg = if name.is_empty() {
            next += 1;
            Arg::Index(next - 1)
        } else if let Ok(n) = name.parse::<usize>() {
            Arg::Index(n)
        } else if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            Arg::Name(name.to_string())
        } else {
            return Err(format!("{{{inner}}} is not an argument in {template:?}"));
        };
        let slot = Slot { arg, spec: spec.to_string() };
        let at = match slots.iter().position(|s| *s == slot) {
            Some(at) => at,
            None => {
                slots.push(slot);
                slots.len() - 1
            }
        };
        out.push_str(&format!("{{{at}}}"));
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Ok((out, slots))
}

/// `template` as [`slots`] wrote it with slot `n` replaced by `args[n]` and `{{` / `}}` by a brace; a slot with
/// no argument stays as it is (the tests make sure every slot has one).
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(template.len() + 16 * args.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        let arg = match tail.starts_with('{') {
            true => tail.find('}').and_then(|end| tail[1..end].parse::<usize>().ok().map(|n| (n, end))),
            false => None,
        };
        match arg.and_then(|(n, end)| args.get(n).map(|a| (a, end))) {
            Some((a, end)) => {
                let _ = write!(out, "{a}");
                rest = &tail[end + 1..];
            }
            None => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
