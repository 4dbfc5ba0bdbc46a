//! `cargo run -p xtask -- postbuild DIST`: finishes trunk's `dist/` for the three ways the app ships.
//!
//! 1. `dist/index.html` (static site / docs-portal iframe): adds a strict Content-Security-Policy `<meta>` whose
//!    `script-src` holds the hash of trunk's inline loader, and the canonical URL share links use.
//! 2. `dist/containerd-config-builder.html`: one self-contained file for `file://` with the network off — the
//!    stylesheet and the wasm-bindgen glue inlined, the wasm gzip-compressed and base64-encoded, inflated with the
//!    browser's `DecompressionStream` and instantiated asynchronously (Chromium caps synchronous compiles), and a
//!    CSP with `connect-src 'none'`.
//!
//! Environment: `CCB_CANONICAL_URL` — the hosted address share links point at (needed by the offline file, whose
//! own address is a local path; optional for the site, which then uses its own address).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

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

/// The text of the first `<script type="module">…</script>`, with its byte range.
fn inline_module(html: &str) -> Result<(usize, usize, String), String> {
    let open = "<script type=\"module\">";
    let start = html.find(open).ok_or_else(|| fail("no inline module script (trunk's loader) in index.html"))?;
    let body_start = start + open.len();
    let end = html[body_start..].find("</script>").ok_or_else(|| fail("unterminated <script>"))? + body_start;
    Ok((start, end + "</script>".len(), html[body_start..end].to_string()))
}

/// Removes every `<link …>` whose href names `file` (trunk's preload / modulepreload / stylesheet links).
fn remove_links(html: &str, file: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<link") {
        let end = rest[i..].find('>').map(|e| i + e + 1).unwrap_or(rest.len());
        let tag = &rest[i..end];
        out.push_str(&rest[..i]);
        if !tag.contains(file) {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
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

pub fn site_csp(loader_hash: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {loader_hash}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'"
    )
}

pub fn offline_csp(script_hash: &str, style_hash: &str) -> String {
    format!(
        "default-src 'none'; script-src 'wasm-unsafe-eval' {script_hash}; style-src {style_hash}; img-src data:; \
         connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
    )
}

fn postbuild(dist: &Path) -> Result<(), String> {
    let index_path = dist.join("index.html");
    let original = fs::read_to_string(&index_path).map_err(|e| fail(format!("cannot read {}: {e}", index_path.display())))?;
    if original.contains("Content-Security-Policy") {
        return Err(fail("index.html already has a CSP: run trunk build again first"));
    }
    let canonical = std::env::var("CCB_CANONICAL_URL").unwrap_or_default();
    let canonical_meta = format!("<meta name=\"ccb-canonical-url\" content=\"{}\">", html_attr_escape(canonical.trim()));

    // --- the site ---
    let (_, _, loader) = inline_module(&original)?;
    let site = insert_after_charset(
        &original,
        &format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n    {canonical_meta}",
            site_csp(&csp_hash(&loader))
        ),
    )?;
    fs::write(&index_path, &site).map_err(|e| fail(format!("cannot write {}: {e}", index_path.display())))?;

    // --- the offline single file ---
    let wasm_path = find_one(dist, "_bg.wasm")?;
    let wasm_name = wasm_path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let js_name = wasm_name.replace("_bg.wasm", ".js");
    let css_path = find_one(dist, ".css")?;
    let css_name = css_path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let glue = fs::read_to_string(dist.join(&js_name)).map_err(|e| fail(format!("cannot read {js_name}: {e}")))?;
    let export_line = "export { initSync, __wbg_init as default };";
    if glue.matches("export ").count() != 1 || !glue.contains(export_line) {
        return Err(fail(format!(
            "the wasm-bindgen glue {js_name} no longer ends with `{export_line}` as its only export: update xtask for this wasm-bindgen version"
        )));
    }
    let glue = glue.replace(export_line, "").replace("</script", "<\\/script");
    let wasm = fs::read(&wasm_path).map_err(|e| fail(format!("cannot read {wasm_name}: {e}")))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&wasm).map_err(|e| fail(e.to_string()))?;
    let gz = gz.finish().map_err(|e| fail(e.to_string()))?;
    let script = format!(
        "\n{glue}\n// The wasm, gzip-compressed: inflated by the browser, then instantiated asynchronously (no fetch).\n\
         const packed = \"{}\";\n\
         const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));\n\
         const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(\"gzip\"));\n\
         const wasm = await new Response(stream).arrayBuffer();\n\
         await __wbg_init({{ module_or_path: wasm }});\n",
        STANDARD.encode(&gz)
    );
    let css = fs::read_to_string(&css_path).map_err(|e| fail(format!("cannot read {css_name}: {e}")))?;
    let css = css.replace("</style", "<\\/style");
    let mut single = remove_links(&original, &js_name);
    single = remove_links(&single, &wasm_name);
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
        "xtask: {} (CSP added); {} {} bytes (wasm {} bytes, gzip {} bytes, base64 {} bytes)",
        index_path.display(),
        out.display(),
        single.len(),
        wasm.len(),
        gz.len(),
        gz.len().div_ceil(3) * 4
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [cmd, dist] if cmd == "postbuild" => postbuild(Path::new(dist)),
        _ => Err("usage: cargo run -p xtask -- postbuild DIST".to_string()),
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
    fn links_naming_a_file_are_removed() {
        let html = r#"<link rel="icon" href="data:,"><link rel="preload" href="./a_bg.wasm" as="fetch"><p>x</p>"#;
        assert_eq!(remove_links(html, "a_bg.wasm"), r#"<link rel="icon" href="data:,"><p>x</p>"#);
    }

    #[test]
    fn csp_hash_is_the_base64_sha256_of_the_exact_text() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(csp_hash("alert(1)"), "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
    }

    #[test]
    fn policies_are_strict() {
        let site = site_csp("'sha256-x'");
        assert!(site.contains("default-src 'none'") && site.contains("'wasm-unsafe-eval'") && site.contains("base-uri 'none'"));
        assert!(!site.contains("unsafe-inline") && !site.contains("http"));
        let off = offline_csp("'sha256-a'", "'sha256-b'");
        assert!(off.contains("connect-src 'none'") && off.contains("form-action 'none'"));
    }
}
