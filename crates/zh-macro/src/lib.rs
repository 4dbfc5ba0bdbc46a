//! `zh!("模板 {host}：{}", n)`: a Chinese text of the core, as `format!` takes it (a literal without arguments
//! is a `&'static str`, as the literal was).
//!
//! - Natively, and in the tools module (ccb-core's `zh-inline` feature): `format!` of the same tokens (or the
//!   literal itself), so the CLI and the tests see exactly what they saw before.
//! - In the page's wasm (or natively with `zh-lookup`, which the tests use to check that path): the template is
//!   not in the binary, only its hash (`template::hash`, computed here): `ccb_core::zh::fill(HASH, &[args])` fills
//!   in the template the page installed from its Chinese text module (written by `xtask text-modules`, which finds
//!   every `zh!` literal with the same `template` code), each argument as `&dyn Display` (one with a spec formatted first).
//!
//! No syn / quote: the input is a literal and comma-separated expressions, which token trees split already.

use proc_macro::{Delimiter, Group, Ident, Literal, TokenStream, TokenTree};

#[path = "../../core/src/zh/template.rs"]
#[allow(dead_code)]
mod template;

/// Where the template is looked up instead of compiled in, as ccb-core's code sees it.
const LOOKUP: &str = "all(any(target_arch = \"wasm32\", feature = \"zh-lookup\"), not(feature = \"zh-inline\"))";

#[proc_macro]
pub fn zh(input: TokenStream) -> TokenStream {
    match expand(input) {
        Ok(ts) => ts,
        Err(e) => format!("::core::compile_error!({:?})", format!("zh!: {e}")).parse().expect("a compile_error"),
    }
}

fn ts(s: &str) -> TokenStream {
    s.parse().expect("generated tokens parse")
}

fn literal_of(part: &[TokenTree]) -> Option<Literal> {
    match part {
        [TokenTree::Literal(l)] => Some(l.clone()),
        // A literal passed on by a macro_rules macro arrives wrapped in an invisible group.
        [TokenTree::Group(g)] if g.delimiter() == Delimiter::None => literal_of(&g.stream().into_iter().collect::<Vec<_>>()),
        _ => None,
    }
}

fn expand(input: TokenStream) -> Result<TokenStream, String> {
    let mut parts: Vec<Vec<TokenTree>> = vec![Vec::new()];
    for t in input.clone() {
        match &t {
            TokenTree::Punct(p) if p.as_char() == ',' => parts.push(Vec::new()),
            _ => parts.last_mut().expect("one part").push(t),
        }
    }
    if parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    let lit = parts.first().and_then(|p| literal_of(p)).ok_or("the first argument must be a string literal")?;
    let (value, _) = template::literal_value(&lit.to_string()).ok_or("the first argument must be a string literal")?;
    let (_, slots) = template::slots(&value)?;
    let mut positional: Vec<TokenStream> = Vec::new();
    let mut named: Vec<(String, TokenStream)> = Vec::new();
    for part in &parts[1..] {
        match part.as_slice() {
            [TokenTree::Ident(name), TokenTree::Punct(eq), rest @ ..]
                if eq.as_char() == '=' && !matches!(rest.first(), Some(TokenTree::Punct(p)) if p.as_char() == '=') =>
            {
                named.push((name.to_string(), rest.iter().cloned().collect()))
            }
            _ => positional.push(part.iter().cloned().collect()),
        }
    }
    let hash = template::hash(&value);
    let mut out = TokenStream::new();
    out.extend(ts(&format!("#[cfg(not({LOOKUP}))] let zh_text =")));
    if slots.is_empty() && parts.len() == 1 {
        out.extend([TokenTree::Literal(lit.clone())]);
    } else {
        out.extend(ts("::std::format!"));
        out.extend([TokenTree::Group(Group::new(Delimiter::Parenthesis, input))]);
    }
    out.extend(ts(&format!("; #[cfg({LOOKUP})] let zh_text =")));
    if slots.is_empty() {
        out.extend(ts(&format!("::ccb_core::zh::text({hash}u32)")));
    } else {
        let mut args = TokenStream::new();
        for slot in &slots {
            let expr: TokenStream = match &slot.arg {
                template::Arg::Index(i) => positional.get(*i).cloned().ok_or_else(|| format!("no argument {i} for {value:?}"))?,
                template::Arg::Name(n) => match named.iter().find(|(k, _)| k == n) {
                    Some((_, e)) => e.clone(),
                    None => TokenTree::Ident(Ident::new(n, lit.span())).into(),
                },
            };
            // A plain slot passes its argument as it is (`&dyn Display`, formatted by `fill`: less code per call
            // than a `format!` each); one with a spec is formatted here with it.
            let arg = TokenTree::Group(Group::new(Delimiter::Parenthesis, expr));
            args.extend(ts("&"));
            if slot.spec.is_empty() {
                args.extend([arg]);
            } else {
                let mut format_args = ts(&format!("{:?},", format!("{{:{}}}", slot.spec)));
                format_args.extend([arg]);
                args.extend(ts("::std::format!"));
                args.extend([TokenTree::Group(Group::new(Delimiter::Parenthesis, format_args))]);
            }
            args.extend(ts("as &dyn ::std::fmt::Display,"));
        }
        let mut fill_args = ts(&format!("{hash}u32, &"));
        fill_args.extend([TokenTree::Group(Group::new(Delimiter::Bracket, args))]);
        out.extend(ts("::ccb_core::zh::fill"));
        out.extend([TokenTree::Group(Group::new(Delimiter::Parenthesis, fill_args))]);
    }
    out.extend(ts("; zh_text"));
    Ok(TokenTree::Group(Group::new(Delimiter::Brace, out)).into())
}
