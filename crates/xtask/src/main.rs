//! `cargo run -p xtask -- postbuild DIST`: finishes trunk's `dist/` for the three ways the app ships.
//!
//! 1. `dist/index.html` (static site / docs-portal iframe): adds a strict Content-Security-Policy `<meta>` whose
//!    `script-src` holds the hash of trunk's inline loader (and of the prerendered screen's gate, see
//!    [`prerender`]) and `style-src` the hash of the stylesheet, which it inlines (see [`inline_stylesheet`]), and
//!    the canonical URL share links use.
//! 2. `dist/containerd-config-builder.html`: one self-contained file for `file://` with the network off — the
//!    stylesheet and the wasm-bindgen glue inlined, the wasm deflate-compressed (libdeflate level 12) and written as
//!    text 13 bits per 2 characters (see [`encode13`]), inflated with the browser's `DecompressionStream` and
//!    instantiated asynchronously (Chromium caps synchronous compiles), and a CSP with `connect-src 'none'`. The
//!    lazily loaded modules (`<meta name="ccb-lazy-NAME">`, written by scripts/build-lazy.sh) are inlined too,
//!    each registered as `globalThis.ccbLazy.NAME` with its glue inside a function and its wasm packed the same
//!    way, decoded only when the page first needs it (see [`offline_lazy_module`]).
//!
//! `cargo run -p xtask -- text-modules [DIR]` (trunk's post_build hook; DIR defaults to `$TRUNK_STAGING_DIR`): writes
//! the page's text modules — scripts that register `globalThis.ccbLazy.NAME` like a lazy wasm module, with no wasm —
//! and names each in index.html's `<meta name="ccb-lazy-NAME">`: `ccb-zh-HASH.js`, the page's Chinese texts, taken
//! from its own catalogues (`containerd_config_builder_web::i18n`) and the core's (the generated files' words and
//! every `zh!` template of crates/core/src, `ccb_core::zh::entries`), and `ccb-forms-en-HASH.js`, the English texts
//! of the forms split off the main module (`i18n::forms_en_json`), which the split page's wasm does not hold. The
//! offline file carries them inline, evaluated at once (they only define a string).
//!
//! `cargo run -p xtask -- minify DIR` (trunk's post_build hook, release builds, after the lazy modules): minifies
//! the stylesheet trunk wrote into DIR with lightningcss (what trunk's own `minify` does to CSS) and the main
//! module's wasm-bindgen glue with terser (npm, on PATH from node_modules/.bin; trunk's JS minifier cannot parse
//! the glue), and writes their new `integrity` into index.html. Trunk's own `minify` is not used: it also rewrites
//! index.html without quotes, which this tool and build-lazy.sh parse. Saves ≈ 1.4 KB brotli of CSS and 1.6 KB of JS.
//!
//! Idempotent: run it again on the same `dist/` (e.g. with another `CCB_CANONICAL_URL`) and it first takes out what
//! it added to `index.html`, so the result is the same as after a fresh `trunk build`.
//!
//! Environment: `CCB_CANONICAL_URL` — the hosted address share links point at (needed by the offline file, whose
//! own address is a local path; optional for the site, which then uses its own address). Must be an absolute
//! http(s) URL when set.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

mod prerender;
mod split;

pub const SINGLE_FILE: &str = "containerd-config-builder.html";

fn fail(msg: impl Into<String>) -> String {
    msg.into()
}

fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", STANDARD.encode(Sha256::digest(text.as_bytes())))
}

fn find_one(dir: &Path, suffix: &str) -> Result<PathBuf, String> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| fail(format!("cannot read {}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(suffix)))
        .collect();
    found.sort();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(fail(format!("no *{suffix} in {}", dir.display()))),
        _ => Err(fail(format!("several *{suffix} in {} (stale build?): {found:?}", dir.display()))),
    }
}

/// The main module's wasm: the one `*_bg.wasm` of `dist` that is not a lazy module's.
fn find_main_wasm(dist: &Path, lazy_wasm: &[String]) -> Result<PathBuf, String> {
    let mut found: Vec<PathBuf> = fs::read_dir(dist)
        .map_err(|e| fail(format!("cannot read {}: {e}", dist.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with("_bg.wasm") && !lazy_wasm.iter().any(|l| l == n)))
        .collect();
    found.sort();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(fail(format!("no main *_bg.wasm in {}", dist.display()))),
        _ => Err(fail(format!("several main *_bg.wasm in {} (stale build?): {found:?}", dist.display()))),
    }
}

/// The text of the first `<script type="module">…</script>`, with its byte range.
fn inline_module(html: &str) -> Result<(usize, usize, String), String> {
    let open = "<script type=\"module\">";
    let start = html.find(open).ok_or_else(|| fail("no inline module script (trunk's loader) in index.html"))?;
    let body_start = start + open.len();
    let end = html[body_start..].find("</script>").ok_or_else(|| fail("unterminated <script>"))? + body_start;
    Ok((start, end + "</script>".len(), html[body_start..end].to_string()))
}

/// `html` with every `<link …>` tag replaced by what `edit` makes of it (the tag itself to keep it, "" to drop it).
fn map_links(html: &str, mut edit: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<link") {
        let end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        out.push_str(&rest[..i]);
        out.push_str(&edit(&rest[i..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Removes every `<link …>` whose href names `file` (trunk's preload / modulepreload / stylesheet links).
fn remove_links(html: &str, file: &str) -> String {
    map_links(html, |tag| if tag.contains(file) { String::new() } else { tag.to_string() })
}

const INLINE_CSS: &str = "<!-- ccb-inline-css ";

/// The stylesheet `<link>` naming `file` replaced by the sheet itself, `css` (already safe in a `<style>`): the site's
/// first frame then waits for no second request (the css arrived 60–90 ms after the HTML on a cold loopback load),
/// and the prerendered first screen is drawn that much sooner. A comment before it keeps the link (base64), for
/// [`restore_stylesheet`]. The file stays in dist/: the offline file and `scripts/bench.sh` read it.
fn inline_stylesheet(html: &str, file: &str, css: &str) -> String {
    map_links(html, |tag| {
        if tag.contains("rel=\"stylesheet\"") && tag.contains(file) {
            format!("{INLINE_CSS}{} --><style>{css}</style>", STANDARD.encode(tag))
        } else {
            tag.to_string()
        }
    })
}

/// `html` with the `<link>`s [`inline_stylesheet`] replaced put back.
fn restore_stylesheet(html: &str) -> String {
    let mut out = html.to_string();
    while let Some(i) = out.find(INLINE_CSS) {
        let rest = &out[i + INLINE_CSS.len()..];
        let Some(code_end) = rest.find(" -->") else { break };
        let Ok(tag) = STANDARD.decode(&rest[..code_end]) else { break };
        let after = &rest[code_end + " -->".len()..];
        let style_end = after.strip_prefix("<style>").and_then(|a| a.find("</style>").map(|e| e + "<style></style>".len()));
        let Some(style_end) = style_end else { break };
        let end = i + INLINE_CSS.len() + code_end + " -->".len() + style_end;
        out.replace_range(i..end, &String::from_utf8_lossy(&tag));
    }
    out
}

fn html_attr_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

fn insert_after_charset(html: &str, extra: &str) -> Result<String, String> {
    let marker = "<meta charset=\"utf-8\">";
    let i = html.find(marker).ok_or_else(|| fail("index.html has no <meta charset=\"utf-8\">"))? + marker.len();
    Ok(format!("{}\n    {extra}{}", &html[..i], &html[i..]))
}

/// The `<meta>` tags [`postbuild`] adds (each on its own line after `<meta charset>`), by their opening text.
const ADDED_METAS: [&str; 3] =
    ["<meta http-equiv=\"Content-Security-Policy\"", "<meta name=\"ccb-canonical-url\"", "<meta name=\"ccb-offline\""];

/// `html` without the lines a previous run added, so the step can run again on the same `dist/`.
fn strip_added(html: &str) -> String {
    let mut out = restore_stylesheet(&prerender::strip(html));
    for open in ADDED_METAS {
        while let Some(i) = out.find(open) {
            let end = out[i..].find('>').map(|e| i + e + 1).unwrap_or(out.len());
            let start = if out[..i].ends_with("\n    ") { i - 5 } else { i };
            out.replace_range(start..end, "");
        }
    }
    out
}

/// The 92 characters of the wasm's text form: printable ASCII without `"` and `\` (the string's delimiter and
/// escape) and `<` (so neither `</script` nor `<!--` can occur inside the inline script).
fn alphabet() -> Vec<u8> {
    (0x20u8..0x7f).filter(|c| !b"\"\\<".contains(c)).collect()
}

/// Bytes as text, 13 bits per pair of characters (92² = 8464 ≥ 2¹³): 1.231 characters a byte against base64's
/// 1.333, with a decoder of a few lines ([`DECODE13_JS`]). The last pair is padded with zero bits; the decoder
/// stops after the byte count it is given.
pub fn encode13(bytes: &[u8]) -> String {
    let a = alphabet();
    debug_assert_eq!(a.len(), 92);
    let mut out = String::with_capacity(bytes.len() * 16 / 13 + 2);
    let mut push = |v: u32| {
        out.push(a[(v / 92) as usize] as char);
        out.push(a[(v % 92) as usize] as char);
    };
    let (mut acc, mut n) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        n += 8;
        if n >= 13 {
            n -= 13;
            push((acc >> n) & 0x1fff);
            acc &= (1 << n) - 1;
        }
    }
    if n > 0 {
        push((acc << (13 - n)) & 0x1fff);
    }
    out
}

/// The decoder of [`encode13`] (`packed` text, `size` bytes) as the inline script runs it.
const DECODE13_JS: &str = "\
const table = new Uint8Array(128);
for (let c = 32, i = 0; c < 127; c++) if (c !== 34 && c !== 92 && c !== 60) table[c] = i++;
const bytes = new Uint8Array(size);
for (let i = 0, o = 0, acc = 0, n = 0; o < size; i += 2) {
  acc = (acc << 13) | (table[packed.charCodeAt(i)] * 92 + table[packed.charCodeAt(i + 1)]);
  for (n += 13; n >= 8 && o < size; ) bytes[o++] = (acc >>> (n -= 8)) & 255;
  acc &= (1 << n) - 1;
}
";

fn deflate_raw(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let level = libdeflater::CompressionLvl::best();
    let mut c = libdeflater::Compressor::new(level);
    let mut out = vec![0; c.deflate_compress_bound(bytes.len())];
    let n = c.deflate_compress(bytes, &mut out).map_err(|e| fail(format!("deflate: {e:?}")))?;
    out.truncate(n);
    Ok(out)
}

/// The offline file's inline module: the glue (its `export` removed), then the loader. The loader sits in a block
/// so its names cannot clash with the glue's top-level ones (`wasm`, …), and shows a message instead of a blank
/// page when the browser lacks what it needs.
fn offline_script(glue: &str, packed: &str, size: usize) -> String {
    format!(
        "\n{glue}\n// The wasm, deflate-compressed and encoded 13 bits per 2 characters: decoded and inflated here, then\n\
         // instantiated asynchronously (no fetch, nothing leaves the page).\n{{\n\
         const packed = \"{packed}\";\nconst size = {size};\n\
         try {{\n{DECODE13_JS}\
         const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(\"deflate-raw\"));\n\
         await __wbg_init({{ module_or_path: await new Response(stream).arrayBuffer() }});\n\
         }} catch (e) {{\n\
         const p = document.createElement(\"p\");\n\
         p.textContent = \"This browser cannot run the offline containerd config builder (it needs WebAssembly and \
         DecompressionStream: a current Chrome, Edge, Firefox or Safari). \" + e;\n\
         document.body.prepend(p);\n\
         throw e;\n\
         }}\n}}\n"
    )
}

/// The page's lazily loaded modules as index.html lists them: (name, glue file) from each
/// `<meta name="ccb-lazy-NAME" content="./FILE.js">`.
pub fn lazy_modules(html: &str) -> Vec<(String, String)> {
    let open = "<meta name=\"ccb-lazy-";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(open) {
        let tag_end = rest[i..].find('>').map(|e| i + e + 1).unwrap_or(rest.len());
        let tag = &rest[i + open.len()..tag_end];
        if let Some((name, tail)) = tag.split_once('"') {
            if let Some(file) = tail.split("content=\"").nth(1).and_then(|c| c.split('"').next()) {
                out.push((name.to_string(), file.trim_start_matches("./").to_string()));
            }
        }
        rest = &rest[tag_end..];
    }
    out
}

/// Removes the `<meta name="ccb-lazy-…">` tags (the offline file carries the modules inline).
fn remove_lazy_metas(html: &str) -> String {
    let mut out = html.to_string();
    while let Some(i) = out.find("<meta name=\"ccb-lazy-") {
        let end = out[i..].find('>').map(|e| i + e + 1).unwrap_or(out.len());
        let end = if out[end..].starts_with('\n') { end + 1 } else { end };
        out.replace_range(i..end, "");
    }
    out
}

/// The line scripts/build-lazy.sh appends to a lazy module's glue (its registration for the site).
const LAZY_REGISTRATION_MARK: &str = "// Added by scripts/build-lazy.sh:";

/// A lazy module for the offline file: its wasm-bindgen glue (exports and the site's registration taken out) in
/// a function, registered as `globalThis.ccbLazy[name]` with an `init` that decodes and instantiates the packed
/// wasm on the first call, like the main module's loader. Its names stay inside the function, so they cannot clash
/// with the main glue's.
pub fn offline_lazy_module(name: &str, glue: &str, packed: &str, size: usize) -> Result<String, String> {
    let glue = glue.split(LAZY_REGISTRATION_MARK).next().unwrap_or(glue);
    let export_line = "export { initSync, __wbg_init as default };";
    if !glue.contains(export_line) {
        return Err(fail(format!("the glue of the lazy module {name} has no `{export_line}`: update xtask for this wasm-bindgen version")));
    }
    let glue = glue.replace(export_line, "");
    let mut exports = Vec::new();
    let mut body = String::new();
    for line in glue.lines() {
        match line.strip_prefix("export function ") {
            Some(rest) => {
                let fname: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$').collect();
                exports.push(fname);
                body.push_str("function ");
                body.push_str(rest);
            }
            None => body.push_str(line),
        }
        body.push('\n');
    }
    if body.contains("export ") || body.lines().any(|l| l.trim_start().starts_with("import ")) {
        return Err(fail(format!("the glue of the lazy module {name} has an export or import xtask does not know")));
    }
    if exports.is_empty() {
        return Err(fail(format!("the glue of the lazy module {name} exports no function")));
    }
    if body.contains("<!--") {
        return Err(fail(format!("the glue of the lazy module {name} contains `<!--`")));
    }
    let body = body.replace("</script", "<\\/script");
    Ok(format!(
        "\n// The lazily loaded module {name:?}: decoded and instantiated on its first use (src/lazy.rs), never before.\n\
         (globalThis.ccbLazy ??= {{}})[{name:?}] = (() => {{\n{body}\n\
         let started;\n\
         const init = () => started ??= (async () => {{\n\
         const packed = \"{packed}\";\nconst size = {size};\n{DECODE13_JS}\
         const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(\"deflate-raw\"));\n\
         await __wbg_init({{ module_or_path: await new Response(stream).arrayBuffer() }});\n\
         }})();\n\
         return {{ init, exports: {{ {} }} }};\n\
         }})();\n",
        exports.join(", ")
    ))
}

pub fn site_csp(script_hashes: &str, style_hash: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {script_hashes}; style-src {style_hash}; img-src 'self' data:; \
         connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'"
    )
}

pub fn offline_csp(script_hash: &str, style_hash: &str) -> String {
    format!(
        "default-src 'none'; script-src 'wasm-unsafe-eval' {script_hash}; style-src {style_hash}; img-src data:; \
         connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
    )
}

/// `CCB_CANONICAL_URL`, checked by [`check_canonical`].
fn canonical_url() -> Result<String, String> {
    check_canonical(&std::env::var("CCB_CANONICAL_URL").unwrap_or_default())
}

/// Empty, or an absolute http(s) URL without a fragment or spaces.
fn check_canonical(c: &str) -> Result<String, String> {
    let c = c.trim().to_string();
    if c.is_empty() {
        return Ok(c);
    }
    let lower = c.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) || c.contains('#') || c.contains(char::is_whitespace) {
        return Err(fail(format!("CCB_CANONICAL_URL must be an absolute http(s) URL without a #fragment, not {c:?}")));
    }
    Ok(c)
}

/// The main glue's one export statement, as wasm-bindgen writes it and as terser does after `xtask minify`.
const GLUE_EXPORTS: [&str; 2] = ["export { initSync, __wbg_init as default };", "export{initSync,__wbg_init as default};"];

/// The glue's export statement when it is its only one (the offline file inlines the glue without it).
fn glue_export_line(glue: &str) -> Option<&'static str> {
    let exports = glue.matches("export ").count() + glue.matches("export{").count();
    GLUE_EXPORTS.into_iter().find(|line| exports == 1 && glue.contains(line))
}

fn postbuild(dist: &Path) -> Result<(), String> {
    let index_path = dist.join("index.html");
    let read = fs::read_to_string(&index_path).map_err(|e| fail(format!("cannot read {}: {e}", index_path.display())))?;
    let original = strip_added(&read);
    if original.contains("Content-Security-Policy") {
        return Err(fail("index.html has a CSP this step did not add: run trunk build again first"));
    }
    let canonical = canonical_url()?;
    let canonical_meta = format!("<meta name=\"ccb-canonical-url\" content=\"{}\">", html_attr_escape(&canonical));

    let css_path = find_one(dist, ".css")?;
    let css_name = css_path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let css = fs::read_to_string(&css_path).map_err(|e| fail(format!("cannot read {css_name}: {e}")))?;
    let css = css.replace("</style", "<\\/style");

    // --- the site ---
    let (_, _, loader) = inline_module(&original)?;
    let site_with = |body: &str, hashes: &str| {
        insert_after_charset(
            &inline_stylesheet(body, &css_name, &css),
            &format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n    {canonical_meta}", site_csp(hashes, &csp_hash(&css))),
        )
    };
    let write_site = |html: &str| fs::write(&index_path, html).map_err(|e| fail(format!("cannot write {}: {e}", index_path.display())));
    write_site(&site_with(&original, &csp_hash(&loader))?)?;
    // Taken from the page just written (the app as it ships), then shown by that page before its wasm runs.
    if let Some(snap) = prerender::capture(dist)? {
        let gate = prerender::gate_script(&snap);
        let hashes = format!("{} {}", csp_hash(&loader), csp_hash(&gate));
        write_site(&site_with(&prerender::insert(&original, &snap, &gate)?, &hashes)?)?;
        println!("xtask: {} has the prerendered first screen ({} bytes of HTML)", index_path.display(), snap.html.len());
    }

    // --- the offline single file ---
    let lazy = lazy_modules(&original);
    let lazy_wasm: Vec<String> = lazy.iter().map(|(_, js)| js.replace(".js", "_bg.wasm")).collect();
    let wasm_path = find_main_wasm(dist, &lazy_wasm)?;
    let wasm_name = wasm_path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let js_name = wasm_name.replace("_bg.wasm", ".js");
    let glue = fs::read_to_string(dist.join(&js_name)).map_err(|e| fail(format!("cannot read {js_name}: {e}")))?;
    let Some(export_line) = glue_export_line(&glue) else {
        return Err(fail(format!(
            "the wasm-bindgen glue {js_name} no longer ends with `{}` as its only export: update xtask for this wasm-bindgen version",
            GLUE_EXPORTS[0]
        )));
    };
    if glue.contains("<!--") {
        return Err(fail(format!("the wasm-bindgen glue {js_name} contains `<!--`, which would change how the inline script is parsed")));
    }
    // A split module's glue imports its loader (crates/xtask/src/split.rs): inline here, chunks packed in.
    let pack = |bytes: &[u8]| deflate_raw(bytes).map(|d| (encode13(&d), d.len()));
    let (glue, loader_file) = match split::offline_glue(&glue, &js_name, dist, pack)? {
        Some((glue, loader)) => (glue, Some(loader)),
        None => (glue, None),
    };
    let glue = glue.replace(export_line, "").replace("</script", "<\\/script");
    let wasm = fs::read(&wasm_path).map_err(|e| fail(format!("cannot read {wasm_name}: {e}")))?;
    let deflated = deflate_raw(&wasm)?;
    let packed = encode13(&deflated);
    let mut script = offline_script(&glue, &packed, deflated.len());
    let mut lazy_sizes = Vec::new();
    for ((name, js), wasm_file) in lazy.iter().zip(&lazy_wasm) {
        let lazy_glue = fs::read_to_string(dist.join(js)).map_err(|e| fail(format!("cannot read the lazy module {name}'s {js}: {e}")))?;
        if !dist.join(wasm_file).exists() {
            let module = offline_text_module(name, &lazy_glue)?;
            lazy_sizes.push(format!("{name} text {} bytes, packed {}", lazy_glue.len(), module.len()));
            script.insert_str(0, &module);
            continue;
        }
        let lazy_wasm = fs::read(dist.join(wasm_file)).map_err(|e| fail(format!("cannot read the lazy module {name}'s {wasm_file}: {e}")))?;
        let deflated = deflate_raw(&lazy_wasm)?;
        let module = offline_lazy_module(name, &lazy_glue, &encode13(&deflated), deflated.len())?;
        lazy_sizes.push(format!("{name} {} bytes, deflated {}", lazy_wasm.len(), deflated.len()));
        // Before the main module's loader: registered by the time the app starts.
        script.insert_str(0, &module);
    }
    let mut single = remove_lazy_metas(&remove_links(&original, &js_name));
    single = remove_links(&single, &wasm_name);
    if let Some(loader) = &loader_file {
        single = remove_links(&single, loader);
    }
    single = remove_links(&single, &css_name);
    let (start, end, _) = inline_module(&single)?;
    single = format!("{}<script type=\"module\">{script}</script>{}", &single[..start], &single[end..]);
    let head_end = single.find("</head>").ok_or_else(|| fail("no </head>"))?;
    single = format!("{}<style>{css}</style>\n{}", &single[..head_end], &single[head_end..]);
    single = insert_after_charset(
        &single,
        &format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n    {canonical_meta}\n    <meta name=\"ccb-offline\" content=\"1\">",
            offline_csp(&csp_hash(&script), &csp_hash(&css))
        ),
    )?;
    let out = dist.join(SINGLE_FILE);
    fs::write(&out, &single).map_err(|e| fail(format!("cannot write {}: {e}", out.display())))?;
    println!(
        "xtask: {} (CSP added); {} {} bytes (wasm {} bytes, deflated {} bytes, as text {} bytes; lazy: {})",
        index_path.display(),
        out.display(),
        single.len(),
        wasm.len(),
        deflated.len(),
        packed.len(),
        if lazy_sizes.is_empty() { "none".to_string() } else { lazy_sizes.join(", ") }
    );
    if canonical.is_empty() {
        println!("xtask: CCB_CANONICAL_URL is not set: the offline file offers the state code only, no share link");
    }
    Ok(())
}

/// How every text module `text-modules` writes begins (`offline_text_module` takes only these as they are).
const TEXT_MARK: &str = "// Written by `cargo run -p xtask -- text-modules`: ";

/// A text module: a script that registers `globalThis.ccbLazy[name]` like a lazy wasm module, with no wasm and one
/// export, `texts`, which returns `json`; `about` says on its first line what the texts are.
pub fn text_module(name: &str, about: &str, json: &str) -> String {
    let literal = serde_json::to_string(json).expect("a string serialises");
    let name = serde_json::to_string(name).expect("a string serialises");
    format!("{TEXT_MARK}{about}\n(globalThis.ccbLazy ??= {{}})[{name}] = {{ init: () => undefined, exports: {{ texts: () => {literal} }} }};\n")
}

/// The page's text modules: (name, what they are, their JSON).
fn page_text_modules() -> Result<Vec<(&'static str, &'static str, String)>, String> {
    use containerd_config_builder_web::i18n;
    Ok(vec![
        (i18n::ZH_MODULE, "the page's Chinese texts (src/i18n, crates/core), loaded when it first speaks Chinese.", i18n::zh_json().map_err(fail)?),
        (i18n::FORMS_EN_MODULE, "the English texts of the page's split-off forms (src/i18n), loaded with the forms.", i18n::forms_en_json()),
    ])
}

fn text_modules(dir: &Path) -> Result<(), String> {
    let index_path = dir.join("index.html");
    let mut html = fs::read_to_string(&index_path).map_err(|e| fail(format!("cannot read {}: {e}", index_path.display())))?;
    for (module_name, about, json) in page_text_modules()? {
        let module = text_module(module_name, about, &json);
        let hash: String = Sha256::digest(module.as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect();
        let prefix = format!("ccb-{module_name}-");
        let name = format!("{prefix}{hash}.js");
        let entries = fs::read_dir(dir).map_err(|e| fail(format!("cannot read {}: {e}", dir.display())))?;
        for entry in entries.flatten() {
            let old = entry.file_name().to_string_lossy().to_string();
            if old.starts_with(&prefix) && old.ends_with(".js") && old != name {
                fs::remove_file(entry.path()).map_err(|e| fail(format!("cannot remove {old}: {e}")))?;
            }
        }
        fs::write(dir.join(&name), &module).map_err(|e| fail(format!("cannot write {name}: {e}")))?;
        html = with_lazy_meta(&html, module_name, &format!("./{name}")).ok_or_else(|| fail("index.html has no </head>"))?;
        println!("xtask: {name} ({} bytes)", module.len());
    }
    fs::write(&index_path, html).map_err(|e| fail(format!("cannot write {}: {e}", index_path.display())))
}

/// `html` with one `<meta name="ccb-lazy-NAME" content="FILE">` before `</head>`, replacing any earlier one.
fn with_lazy_meta(html: &str, name: &str, file: &str) -> Option<String> {
    let open = format!("<meta name=\"ccb-lazy-{name}\"");
    let mut out = html.to_string();
    while let Some(i) = out.find(&open) {
        let end = i + out[i..].find('>')? + 1;
        let end = if out[end..].starts_with('\n') { end + 1 } else { end };
        out.replace_range(i..end, "");
    }
    let head_end = out.find("</head>")?;
    out.insert_str(head_end, &format!("{open} content=\"{}\">\n", html_attr_escape(file)));
    Some(out)
}

/// The JSON a text module's `texts` returns (as [`text_module`] wrote it).
fn texts_of(module: &str) -> Result<String, String> {
    let (_, literal) = module.split_once("texts: () => ").ok_or_else(|| fail("a text module without its texts function"))?;
    let literal = literal.trim_end().trim_end_matches(" } };");
    serde_json::from_str(literal).map_err(|e| fail(format!("a text module's texts are no JSON string literal: {e}")))
}

/// A text module (no wasm: `text-modules`') for the offline file: its JSON deflated and packed as the wasm is
/// (77 KB of Chinese texts take ≈ 32 KB so), registered like a lazy wasm module whose `init` inflates it on first
/// use; `texts` then returns it.
pub fn offline_text_module(name: &str, js: &str) -> Result<String, String> {
    if !js.starts_with(TEXT_MARK) {
        return Err(fail(format!("the lazy module {name} has no wasm and is not a text module xtask wrote")));
    }
    let json = texts_of(js)?;
    let deflated = deflate_raw(json.as_bytes())?;
    let (packed, size) = (encode13(&deflated), deflated.len());
    Ok(format!(
        "\n// The text module {name:?}: inflated on its first use (src/lazy.rs), never before.\n\
         (globalThis.ccbLazy ??= {{}})[{name:?}] = (() => {{\n\
         let started, text;\n\
         const init = () => started ??= (async () => {{\n\
         const packed = \"{packed}\";\nconst size = {size};\n{DECODE13_JS}\
         const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(\"deflate-raw\"));\n\
         text = await new Response(stream).text();\n\
         }})();\n\
         return {{ init, exports: {{ texts: () => text }} }};\n\
         }})();\n"
    ))
}

/// The browsers the page already needs (ES modules, WebAssembly, `:has()`, `CompressionStream`), so that
/// lightningcss writes nothing they cannot read (e.g. `@media (max-width: …)` stays, where with no targets it
/// would become the range form Safari reads only from 16.4). Versions as lightningcss encodes them: major << 16.
fn css_targets() -> lightningcss::targets::Targets {
    let v = |major: u32| Some(major << 16);
    let browsers = lightningcss::targets::Browsers {
        chrome: v(105),
        edge: v(105),
        firefox: v(121),
        safari: v(15).map(|s| s | (4 << 8)),
        ios_saf: v(15).map(|s| s | (4 << 8)),
        ..Default::default()
    };
    browsers.into()
}

/// The stylesheet minified by lightningcss for [`css_targets`]: comments, spaces and longer spellings
/// (`#ffffff`, `0.50rem`) go; rules stay.
fn minified_css(css: &str) -> Result<String, String> {
    use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
    let mut sheet = StyleSheet::parse(css, ParserOptions::default()).map_err(|e| fail(format!("the stylesheet does not parse: {e}")))?;
    sheet
        .minify(MinifyOptions { targets: css_targets(), ..Default::default() })
        .map_err(|e| fail(format!("the stylesheet could not be minified: {e}")))?;
    let printed = sheet
        .to_css(PrinterOptions { minify: true, targets: css_targets(), ..Default::default() })
        .map_err(|e| fail(format!("the stylesheet could not be written: {e}")))?;
    Ok(printed.code)
}

/// Sets the `integrity` of the `<link>` naming `file` to `value` (trunk writes one per asset; a tag without one is
/// left as it is, and so is every other tag).
fn set_integrity(html: &str, file: &str, value: &str) -> String {
    map_links(html, |tag| match (tag.contains(file), tag.find("integrity=\"")) {
        (true, Some(at)) => {
            let start = at + "integrity=\"".len();
            let stop = tag[start..].find('"').map_or(tag.len(), |q| start + q);
            format!("{}{value}{}", &tag[..start], &tag[stop..])
        }
        _ => tag.to_string(),
    })
}

/// The main glue minified by terser. Its two exported names stay (`initSync`, `__wbg_init`: the offline file's
/// loader calls `__wbg_init`), and so does its one export statement, in terser's spelling ([`GLUE_EXPORTS`]).
fn minify_glue(path: &Path) -> Result<(), String> {
    let tmp = path.with_extension("min.js");
    let status = std::process::Command::new("terser")
        .arg(path)
        .args(["--module", "--compress", "--mangle", "reserved=[__wbg_init,initSync]", "--output"])
        .arg(&tmp)
        .status()
        .map_err(|e| fail(format!("cannot run terser (npm ci installs it into node_modules/.bin, which must be on PATH): {e}")))?;
    if !status.success() {
        let _ = fs::remove_file(&tmp);
        return Err(fail(format!("terser failed on {} ({status})", path.display())));
    }
    fs::rename(&tmp, path).map_err(|e| fail(format!("{}: {e}", path.display())))
}

fn sha384_integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", STANDARD.encode(sha2::Sha384::digest(bytes)))
}

fn minify(dir: &Path) -> Result<(), String> {
    let read = |p: &Path| fs::read_to_string(p).map_err(|e| fail(format!("cannot read {}: {e}", p.display())));
    let write = |p: &Path, text: &str| fs::write(p, text).map_err(|e| fail(format!("cannot write {}: {e}", p.display())));
    let name_of = |p: &Path| p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let html_path = dir.join("index.html");
    let mut html = read(&html_path)?;

    let css_path = find_one(dir, ".css")?;
    let css = read(&css_path)?;
    let min = minified_css(&css)?;
    write(&css_path, &min)?;
    html = set_integrity(&html, &name_of(&css_path), &sha384_integrity(min.as_bytes()));

    let lazy_wasm: Vec<String> = lazy_modules(&html).iter().map(|(_, js)| js.replace(".js", "_bg.wasm")).collect();
    let glue_path = dir.join(name_of(&find_main_wasm(dir, &lazy_wasm)?).replace("_bg.wasm", ".js"));
    let before = read(&glue_path)?.len();
    minify_glue(&glue_path)?;
    let glue = read(&glue_path)?;
    html = set_integrity(&html, &name_of(&glue_path), &sha384_integrity(glue.as_bytes()));
    write(&html_path, &html)?;
    println!("xtask: {} {} → {} bytes, {} {before} → {} bytes", name_of(&css_path), css.len(), min.len(), name_of(&glue_path), glue.len());
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let staging = std::env::var("TRUNK_STAGING_DIR").ok();
    let result = match (args.as_slice(), staging) {
        ([cmd, dist], _) if cmd == "postbuild" => postbuild(Path::new(dist)),
        ([cmd, dir], _) if cmd == "text-modules" => text_modules(Path::new(dir)),
        ([cmd], Some(dir)) if cmd == "text-modules" => text_modules(Path::new(&dir)),
        ([cmd, dir], _) if cmd == "minify" => minify(Path::new(dir)),
        ([cmd, dir, wasm, profile], _) if cmd == "split" => split::split(Path::new(dir), Path::new(wasm), profile == "release"),
        _ => Err("usage: cargo run -p xtask -- postbuild DIST | text-modules [DIR, default $TRUNK_STAGING_DIR] | minify DIR | split DIR WASM PROFILE".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_is_minified_without_changing_its_rules() {
        let css = "/* a comment */\n:root {\n  --accent: #ffffff;\n}\n\n.card  >  h3 ,\n.x:hover { margin : 0.50rem  auto ; }\n@media (max-width: 40rem) { .x { display: none; } }\n";
        let min = minified_css(css).unwrap();
        assert_eq!(min, ":root{--accent:#fff}.card>h3,.x:hover{margin:.5rem auto}@media (max-width:40rem){.x{display:none}}");
        assert_eq!(minified_css(&min).unwrap(), min, "minifying twice changes nothing");
        assert!(minified_css("a { color: red").is_ok(), "lightningcss closes an unterminated block as browsers do");
    }

    #[test]
    fn the_glue_export_is_found_as_wasm_bindgen_and_terser_write_it_and_only_alone() {
        let bindgen = "let wasm;\nfunction __wbg_init() {}\nexport { initSync, __wbg_init as default };\n";
        assert_eq!(glue_export_line(bindgen), Some(GLUE_EXPORTS[0]));
        let terser = "let n;async function __wbg_init(){n.exports}export{initSync,__wbg_init as default};";
        assert_eq!(glue_export_line(terser), Some(GLUE_EXPORTS[1]));
        assert_eq!(glue_export_line(&format!("export const x = 1;\n{bindgen}")), None, "a second export");
        assert_eq!(glue_export_line("export{initSync};"), None, "another export list");
    }

    #[test]
    fn the_stylesheet_link_gets_the_new_integrity_and_nothing_else_changes() {
        let html = r#"<link rel="icon" href="data:,"><link rel="stylesheet" href="./s-1.css" integrity="sha384-old"/><link rel="modulepreload" href="./a.js" integrity="sha384-js">"#;
        assert_eq!(
            set_integrity(html, "s-1.css", "sha384-new"),
            r#"<link rel="icon" href="data:,"><link rel="stylesheet" href="./s-1.css" integrity="sha384-new"/><link rel="modulepreload" href="./a.js" integrity="sha384-js">"#
        );
    }

    /// The JSON a text module's `texts` returns.
    fn texts_of(module: &str) -> String {
        super::texts_of(module).expect("a JSON string literal, which JavaScript reads alike")
    }

    /// What the offline file's packed text module inflates to.
    fn unpacked(offline: &str) -> String {
        let packed = offline.split("const packed = \"").nth(1).and_then(|r| r.split('"').next()).expect("packed");
        let size: usize = offline.split("const size = ").nth(1).and_then(|r| r.split(';').next()).and_then(|n| n.parse().ok()).expect("size");
        let deflated = decode13(packed, size);
        let mut out = vec![0; 1 << 20];
        let n = libdeflater::Decompressor::new().deflate_decompress(&deflated, &mut out).unwrap();
        String::from_utf8(out[..n].to_vec()).unwrap()
    }

    #[test]
    fn the_zh_text_module_carries_every_chinese_text_and_registers_itself() {
        let modules = page_text_modules().unwrap();
        let (name, about, json) = modules.iter().find(|m| m.0 == "zh").unwrap();
        let module = text_module(name, about, json);
        let back = texts_of(&module);
        assert_eq!(&back, json);
        let parts: std::collections::HashMap<String, std::collections::HashMap<String, String>> = serde_json::from_str(&back).unwrap();
        assert_eq!(parts["page"].get("app.skip").map(String::as_str), Some(containerd_config_builder_web::i18n::t(ccb_core::Lang::Zh, "app.skip")));
        assert!(parts["page"].contains_key("harbor.intro"), "the forms' Chinese texts too");
        // The core's: a generated file's words by key, a diagnostic's template by its hash.
        assert_eq!(parts["core"].get("readme.apply").map(String::as_str), Some("\n应用\n"));
        let template = "\"{name}\" 超过 253 个字符。";
        let key = ccb_core::zh::template_key(ccb_core::zh::template::hash(template));
        assert_eq!(parts["core"].get(&key).map(String::as_str), Some("\"{0}\" 超过 253 个字符。"));
        assert!(module.contains("(globalThis.ccbLazy ??= {})[\"zh\"]"));
        let offline = offline_text_module("zh", &module).unwrap();
        assert_eq!(unpacked(&offline), *json, "the offline file's packed texts inflate to the module's");
        assert!(offline.contains("(globalThis.ccbLazy ??= {})[\"zh\"]") && offline.len() < json.len() / 2, "{}", offline.len());
        assert!(!offline.contains("</script") && !offline.contains("<!--"));
        assert!(offline_text_module("zh", "export function x() {}").is_err(), "only xtask's own text modules go in");
    }

    #[test]
    fn the_forms_text_module_carries_the_forms_english_texts_alone() {
        use containerd_config_builder_web::i18n::{t, FORMS_EN_MODULE};
        let modules = page_text_modules().unwrap();
        let (name, about, json) = modules.iter().find(|m| m.0 == FORMS_EN_MODULE).unwrap();
        let module = text_module(name, about, json);
        assert!(module.contains("(globalThis.ccbLazy ??= {})[\"forms-en\"]"));
        let texts: std::collections::HashMap<String, String> = serde_json::from_str(&texts_of(&module)).unwrap();
        assert_eq!(texts.get("harbor.intro").map(String::as_str), Some(t(ccb_core::Lang::En, "harbor.intro")));
        assert_eq!(texts.get("statecode.title").map(String::as_str), Some(t(ccb_core::Lang::En, "statecode.title")));
        // What the first screen shows stays in the main module: the page's title, a Harbor field's label in the
        // Problems list, the download beside the preview.
        for main in ["app.title", "harbor.address", "apply.download_bundle"] {
            assert!(!texts.contains_key(main), "{main} is shown outside the forms");
        }
        assert_eq!(unpacked(&offline_text_module(name, &module).unwrap()), *json);
    }

    #[test]
    fn the_lazy_meta_is_written_once() {
        let html = "<html><head><title>x</title></head></html>";
        let once = with_lazy_meta(html, "zh", "./ccb-zh-1.js").unwrap();
        assert_eq!(once, "<html><head><title>x</title><meta name=\"ccb-lazy-zh\" content=\"./ccb-zh-1.js\">\n</head></html>");
        let again = with_lazy_meta(&once, "zh", "./ccb-zh-2.js").unwrap();
        assert_eq!(again, once.replace("ccb-zh-1", "ccb-zh-2"));
        assert_eq!(lazy_modules(&again), vec![("zh".to_string(), "ccb-zh-2.js".to_string())]);
    }

    #[test]
    fn links_naming_a_file_are_removed() {
        let html = r#"<link rel="icon" href="data:,"><link rel="preload" href="./a_bg.wasm" as="fetch"><p>x</p>"#;
        assert_eq!(remove_links(html, "a_bg.wasm"), r#"<link rel="icon" href="data:,"><p>x</p>"#);
    }

    #[test]
    fn the_stylesheet_is_inlined_and_its_link_comes_back_to_the_byte() {
        let html = r#"<link rel="icon" href="data:,"><link rel="stylesheet" href="./s-1.css" integrity="sha384-x"/><p>x</p>"#;
        let inlined = inline_stylesheet(html, "s-1.css", "a{b:c}");
        assert!(!inlined.contains("<link rel=\"stylesheet\""), "{inlined}");
        assert!(inlined.contains("<style>a{b:c}</style><p>x</p>"), "{inlined}");
        assert!(inlined.starts_with(r#"<link rel="icon" href="data:,">"#));
        assert_eq!(restore_stylesheet(&inlined), html);
        assert_eq!(strip_added(&inlined), html);
        assert_eq!(inline_stylesheet(html, "other.css", "a{b:c}"), html);
    }

    #[test]
    fn csp_hash_is_the_base64_sha256_of_the_exact_text() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(csp_hash("alert(1)"), "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
    }

    /// The Rust twin of [`DECODE13_JS`], step for step.
    fn decode13(packed: &str, size: usize) -> Vec<u8> {
        let mut table = [0u32; 128];
        for (i, c) in alphabet().into_iter().enumerate() {
            table[c as usize] = i as u32;
        }
        let p = packed.as_bytes();
        let (mut out, mut i, mut acc, mut n) = (Vec::new(), 0, 0u32, 0u32);
        while out.len() < size {
            acc = (acc << 13) | (table[p[i] as usize] * 92 + table[p[i + 1] as usize]);
            n += 13;
            while n >= 8 && out.len() < size {
                n -= 8;
                out.push(((acc >> n) & 255) as u8);
            }
            acc &= (1 << n) - 1;
            i += 2;
        }
        out
    }

    #[test]
    fn the_text_form_round_trips_and_is_safe_in_a_script_string() {
        assert_eq!(alphabet().len(), 92);
        let mut data: Vec<u8> = (0..=255).collect();
        data.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        for len in [0, 1, 2, 3, 12, 13, 14, 26, 255, data.len()] {
            let text = encode13(&data[..len]);
            assert_eq!(text.len(), (len * 8).div_ceil(13) * 2, "length for {len} bytes");
            assert!(text.bytes().all(|c| (0x20..0x7f).contains(&c) && !b"\"\\<".contains(&c)));
            assert_eq!(decode13(&text, len), &data[..len], "round trip of {len} bytes");
        }
    }

    #[test]
    fn deflate_raw_inflates_back() {
        let data = b"containerd config builder ".repeat(200);
        let z = deflate_raw(&data).unwrap();
        assert!(z.len() < data.len() / 10);
        let mut out = vec![0; data.len()];
        let n = libdeflater::Decompressor::new().deflate_decompress(&z, &mut out).unwrap();
        assert_eq!(&out[..n], &data[..]);
    }

    #[test]
    fn a_second_run_starts_from_what_trunk_wrote() {
        let trunk = "<head>\n    <meta charset=\"utf-8\">\n    <title>x</title>";
        let once = insert_after_charset(
            trunk,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">\n    <meta name=\"ccb-canonical-url\" content=\"https://a/?b=1&amp;c=&gt;\">",
        )
        .unwrap();
        assert_ne!(once, trunk);
        assert_eq!(strip_added(&once), trunk);
        assert_eq!(strip_added(trunk), trunk);
    }

    #[test]
    fn the_loader_does_not_redeclare_the_glue_names() {
        let s = offline_script("let wasmModule, wasmInstance, wasm;\nasync function __wbg_init() {}", "ab", 1);
        assert!(s.contains("\n{\nconst packed = \"ab\";\nconst size = 1;"), "{s}");
        assert!(!s.contains("const wasm ") && !s.contains("let wasm ="));
        assert!(!s.contains("</script") && !s.contains("<!--"));
    }

    #[test]
    fn lazy_modules_are_read_from_their_metas_and_left_out_of_the_offline_file() {
        let html = "<head>\n<link rel=\"preload\" href=\"./a_bg.wasm\"><meta name=\"ccb-lazy-tools\" content=\"./ccb-tools-12ab.js\">\n<meta name=\"ccb-lazy-yaml\" content=\"./ccb-yaml-34cd.js\">\n</head>";
        assert_eq!(
            lazy_modules(html),
            [("tools".to_string(), "ccb-tools-12ab.js".to_string()), ("yaml".to_string(), "ccb-yaml-34cd.js".to_string())]
        );
        assert_eq!(remove_lazy_metas(html), "<head>\n<link rel=\"preload\" href=\"./a_bg.wasm\"></head>");
        assert!(lazy_modules("<head></head>").is_empty());
    }

    #[test]
    fn a_lazy_module_is_wrapped_and_registered_without_exports() {
        let glue = "let wasm;\nexport function explain(a) {\n    return wasm.explain(a);\n}\nexport function merge(a, b) {\n    return wasm.merge(a, b);\n}\nasync function __wbg_init(m) {}\nexport { initSync, __wbg_init as default };\n// Added by scripts/build-lazy.sh: registers this module.\n(globalThis.ccbLazy ??= {})[\"tools\"] = { init: () => 0, exports: { explain,merge } };\n";
        let m = offline_lazy_module("tools", glue, "ab", 1).unwrap();
        assert!(m.contains("(globalThis.ccbLazy ??= {})[\"tools\"] = (() => {\nlet wasm;\nfunction explain(a) {"), "{m}");
        assert!(m.contains("return { init, exports: { explain, merge } };"), "{m}");
        assert!(!m.contains("export ") && !m.contains("import.meta") && !m.contains("build-lazy.sh"), "{m}");
        assert!(!m.contains("</script") && !m.contains("<!--"));
        assert!(offline_lazy_module("x", "export const a = 1;\nexport { initSync, __wbg_init as default };", "", 0).is_err(), "unknown export");
        assert!(offline_lazy_module("x", "function f() {}", "", 0).is_err(), "no export line");
    }

    #[test]
    fn the_canonical_url_must_be_absolute_http() {
        assert_eq!(check_canonical("  ").unwrap(), "");
        assert_eq!(check_canonical(" https://tools.example.com/containerd/\n").unwrap(), "https://tools.example.com/containerd/");
        for bad in ["tools.example.com", "file:///tmp/x.html", "https://x/#frag", "https://x/a b", "/relative/"] {
            assert!(check_canonical(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn policies_are_strict() {
        let site = site_csp("'sha256-x'", "'sha256-y'");
        assert!(site.contains("style-src 'sha256-y';"));
        assert!(site.contains("default-src 'none'") && site.contains("'wasm-unsafe-eval'") && site.contains("base-uri 'none'"));
        assert!(!site.contains("unsafe-inline") && !site.contains("http"));
        let off = offline_csp("'sha256-a'", "'sha256-b'");
        assert!(off.contains("connect-src 'none'") && off.contains("form-action 'none'"));
    }
}
