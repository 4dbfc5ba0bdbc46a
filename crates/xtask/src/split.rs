//! `cargo run -p xtask -- split DIR WASM [release]` (scripts/build-lazy.sh, trunk's post_build hook): cuts the
//! page's main module at its `#[wasm_split]` points (src/sections/split.rs) and puts the result in DIR in place of
//! the unsplit module trunk wrote.
//!
//! WASM is cargo's own output for the page (linked with relocations: the web crate's build.rs), which
//! `wasm_split_cli` (crates.io wasm_split_cli_support, installed by setup.sh) splits into a main module, one wasm
//! per split point and a loader script. Then, as trunk does for the main module: `wasm-bindgen --target=web
//! --no-typescript` (plus `--keep-lld-exports`: the loader hands the main module's memory, table and shared
//! functions to each chunk) under trunk's own hashed name, and in release `wasm-opt -Oz` of every wasm. The chunks
//! and the loader are named after a hash of their content (`ccb-forms-HASH.wasm`, `ccb-split-HASH.js`), the
//! names they use for each other rewritten; index.html gets the main files' new `integrity` and a modulepreload of
//! the loader (the glue imports it statically, so it is part of the first load).
//!
//! The rewrites are of text `wasm_split_cli` 0.2.2 and wasm-bindgen 0.2.130 write; each must match as often as they write it, or the step fails
//! (a new version of the tool then means updating this file, not a page that silently misses its forms).

use std::fs;
use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::{fail, find_main_wasm, lazy_modules, map_links, set_integrity, sha384_integrity};

/// How the loader names the main glue (`wasm_split_cli`'s default `main_module`).
const LOADER_MAIN_IMPORT: &str = "from \"./main.js\"";
/// How the main glue imports the loader (`wasm_split_cli`'s default `link_name`). Only the import statement is
/// renamed: the key of the same name in the imports object the glue hands the wasm is the wasm's own import module
/// name, which stays.
const GLUE_LOADER_IMPORT: &str = "from \"./__wasm_split.js\"";
/// The prefix of every split file the page ships (bench.sh and the offline file find them by it).
pub const LOADER_PREFIX: &str = "ccb-split-";

fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().map_err(|e| fail(format!("cannot run {shown} (scripts/setup.sh installs it): {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(fail(format!("{shown} failed ({status})")))
    }
}

fn hash16(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// `text` with `from` replaced by `to`, which must occur exactly `times` times.
pub fn replace_exact(text: &str, from: &str, to: &str, times: usize, what: &str) -> Result<String, String> {
    match text.matches(from).count() {
        n if n == times => Ok(text.replace(from, to)),
        n => Err(fail(format!("{what}: expected `{from}` {times} times, found it {n} times (a wasm_split_cli or wasm-bindgen this step does not know?)"))),
    }
}

/// The page's name for a chunk `wasm_split_cli` wrote (`split_forms.wasm` → `forms`, `chunk_3.wasm` → `chunk3`).
pub fn chunk_stem(file: &str) -> String {
    let stem = file.trim_end_matches(".wasm");
    stem.strip_prefix("split_").map_or_else(|| stem.replace('_', ""), str::to_string)
}

/// The payload of the custom section `name` of a wasm module, if it has one.
pub fn custom_section<'a>(wasm: &'a [u8], name: &str) -> Option<&'a [u8]> {
    fn leb(bytes: &[u8], at: &mut usize) -> Option<usize> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let b = *bytes.get(*at)?;
            *at += 1;
            value |= usize::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
            shift += 7;
        }
    }
    let mut at = 8; // magic and version
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let size = leb(wasm, &mut at)?;
        let body = wasm.get(at..at + size)?;
        at += size;
        if id == 0 {
            let mut n = 0;
            let len = leb(body, &mut n)?;
            if body.get(n..n + len)? == name.as_bytes() {
                return body.get(n + len..);
            }
        }
    }
    None
}

/// Fails when a module to ship still has the linker's relocation sections (the input's `--emit-relocs`: ≈ 1 MB
/// that only the split reads).
pub fn no_relocations(file: &str, wasm: &[u8]) -> Result<(), String> {
    match custom_section(wasm, "linking") {
        Some(_) => Err(fail(format!("{file} still has the linker's `linking` section: it must not ship"))),
        None => Ok(()),
    }
}

/// Fails when a chunk calls one of wasm-bindgen's casts itself (`wbg_cast::breaks_if_inlined`, which wasm-bindgen
/// replaces in the main module: the chunk's call would trap with "function signature mismatch"). Read from the
/// chunk's function names, before wasm-opt drops them.
pub fn check_no_cast(chunk: &str, wasm: &[u8]) -> Result<(), String> {
    let names = custom_section(wasm, "name")
        .ok_or_else(|| fail(format!("{chunk} has no name section: cannot check it makes no wasm-bindgen cast (is the profile stripping symbols?)")))?;
    let cast = b"wbg_cast17breaks_if_inlined";
    if names.windows(cast.len()).any(|w| w == cast) {
        return Err(fail(format!(
            "{chunk} calls wasm-bindgen casts itself (wbg_cast: closures, JsValue conversions), which only work in the main \
             module: make those calls through src/browser.rs `main_only`"
        )));
    }
    Ok(())
}

/// index.html with a modulepreload of the loader right after the glue's (same attributes as trunk writes for it).
pub fn with_loader_preload(html: &str, glue: &str, loader: &str, integrity: &str) -> Result<String, String> {
    let mut added = 0;
    let out = map_links(html, |tag| {
        if tag.contains("rel=\"modulepreload\"") && tag.contains(glue) {
            added += 1;
            format!("{tag}\n<link rel=\"modulepreload\" href=\"./{loader}\" crossorigin=\"anonymous\" integrity=\"{integrity}\">")
        } else {
            tag.to_string()
        }
    });
    if added == 1 {
        Ok(out)
    } else {
        Err(fail(format!("index.html has {added} modulepreload links of {glue}, expected one (trunk writes one)")))
    }
}

pub fn split(dir: &Path, input: &Path, release: bool) -> Result<(), String> {
    let read = |p: &Path| fs::read(p).map_err(|e| fail(format!("cannot read {}: {e}", p.display())));
    let write = |p: &Path, bytes: &[u8]| fs::write(p, bytes).map_err(|e| fail(format!("cannot write {}: {e}", p.display())));
    let work = input.with_file_name("ccb-split");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(|e| fail(format!("cannot create {}: {e}", work.display())))?;
    run(Command::new("wasm_split_cli").arg(input).arg(&work))?;

    let html_path = dir.join("index.html");
    let mut html = fs::read_to_string(&html_path).map_err(|e| fail(format!("cannot read {}: {e}", html_path.display())))?;
    let lazy_wasm: Vec<String> = lazy_modules(&html).iter().map(|(_, js)| js.replace(".js", "_bg.wasm")).collect();
    let wasm_name = find_main_wasm(dir, &lazy_wasm)?.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let base = wasm_name.trim_end_matches("_bg.wasm").to_string();

    let bound = work.join("bindgen");
    run(Command::new("wasm-bindgen")
        .args(["--target=web", "--no-typescript", "--keep-lld-exports", "--out-name"])
        .arg(&base)
        .arg("--out-dir")
        .arg(&bound)
        .arg(work.join("main.wasm")))?;
    let main_wasm = bound.join(&wasm_name);

    let mut chunks: Vec<String> = fs::read_dir(&work)
        .map_err(|e| fail(format!("cannot read {}: {e}", work.display())))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".wasm") && n != "main.wasm")
        .collect();
    chunks.sort();
    if chunks.is_empty() {
        return Err(fail("wasm_split_cli wrote no chunk: is the `split` feature on (index.html data-cargo-features)?"));
    }
    for chunk in &chunks {
        check_no_cast(chunk, &read(&work.join(chunk))?)?;
    }
    // The main module as bound, before wasm-opt drops its function names: what `make bench` puts in place of the
    // shipped one for a CPU profile (BENCH_PROFILE=1) and reads for its per-crate sizes. It fits the shipped glue,
    // which trunk's own pre-wasm-opt output (target/wasm-bindgen) no longer does: that is the unsplit module.
    let named = work.join("named");
    fs::create_dir_all(&named).map_err(|e| fail(format!("cannot create {}: {e}", named.display())))?;
    fs::copy(&main_wasm, named.join(&wasm_name)).map_err(|e| fail(format!("cannot keep the named {wasm_name}: {e}")))?;
    if release {
        for wasm in std::iter::once(main_wasm.clone()).chain(chunks.iter().map(|c| work.join(c))) {
            let opt = wasm.with_extension("opt.wasm");
            run(Command::new("wasm-opt").arg("-Oz").arg(&wasm).arg("--output").arg(&opt))?;
            fs::rename(&opt, &wasm).map_err(|e| fail(format!("{}: {e}", wasm.display())))?;
        }
    }

    let loader_path = work.join("__wasm_split.js");
    let mut loader = String::from_utf8(read(&loader_path)?).map_err(|_| fail("the split loader is not UTF-8"))?;
    loader = replace_exact(&loader, LOADER_MAIN_IMPORT, &format!("from \"./{base}.js\""), 1, "the split loader")?;
    // Old chunks and loaders of an earlier build in the same directory (trunk serve) go.
    for entry in fs::read_dir(dir).map_err(|e| fail(format!("cannot read {}: {e}", dir.display())))?.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with(LOADER_PREFIX) {
            fs::remove_file(entry.path()).map_err(|e| fail(format!("cannot remove {name}: {e}")))?;
        }
    }
    let mut sizes = Vec::new();
    for chunk in &chunks {
        let bytes = read(&work.join(chunk))?;
        no_relocations(chunk, &bytes)?;
        let shipped = format!("{LOADER_PREFIX}{}-{}.wasm", chunk_stem(chunk), hash16(&bytes));
        loader = replace_exact(&loader, &format!("\"./{chunk}\""), &format!("\"./{shipped}\""), 1, "the split loader")?;
        write(&dir.join(&shipped), &bytes)?;
        sizes.push(format!("{shipped} {} bytes", bytes.len()));
    }
    let loader_name = format!("{LOADER_PREFIX}{}.js", hash16(loader.as_bytes()));
    write(&dir.join(&loader_name), loader.as_bytes())?;

    let glue_name = format!("{base}.js");
    let glue = String::from_utf8(read(&bound.join(&glue_name))?).map_err(|_| fail("the glue is not UTF-8"))?;
    let glue = replace_exact(&glue, GLUE_LOADER_IMPORT, &format!("from \"./{loader_name}\""), 1, "the main glue")?;
    write(&dir.join(&glue_name), glue.as_bytes())?;
    let wasm = read(&main_wasm)?;
    no_relocations(&wasm_name, &wasm)?;
    write(&dir.join(&wasm_name), &wasm)?;

    html = set_integrity(&html, &wasm_name, &sha384_integrity(&wasm));
    html = set_integrity(&html, &glue_name, &sha384_integrity(glue.as_bytes()));
    html = with_loader_preload(&html, &glue_name, &loader_name, &sha384_integrity(loader.as_bytes()))?;
    fs::write(&html_path, html).map_err(|e| fail(format!("cannot write {}: {e}", html_path.display())))?;
    println!("xtask: split {wasm_name} ({} bytes) + {loader_name} + {}", wasm.len(), sizes.join(", "));
    Ok(())
}

/// The main glue's import of the split loader: (statement range, the name it binds, the loader's file).
fn loader_import(glue: &str) -> Result<(std::ops::Range<usize>, String, String), String> {
    let spec = format!("\"./{LOADER_PREFIX}");
    let missing = || fail("the main glue does not import a split loader (ccb-split-*.js): was the module split?");
    let at = glue.find(&spec).ok_or_else(missing)?;
    if glue[at + 1..].contains(&spec) {
        return Err(fail("the main glue names ccb-split-* more than once"));
    }
    let close = glue[at + 1..].find('"').map(|q| at + 1 + q).ok_or_else(missing)?;
    let file = glue[at + 3..close].to_string();
    // The keyword, not a name containing it (wasm-bindgen binds the loader as `import1`).
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let start = glue[..at]
        .match_indices("import")
        .map(|(i, _)| i)
        .filter(|&i| {
            let after = glue[i + "import".len()..].chars().next().is_some_and(|c| c == '*' || c.is_whitespace());
            after && !glue[..i].chars().next_back().is_some_and(ident)
        })
        .last()
        .ok_or_else(missing)?;
    // `import * as NAME from "…"`, as wasm-bindgen writes it or terser (`import*as e from"…"`).
    let name = glue[start + "import".len()..at]
        .trim()
        .strip_prefix('*')
        .and_then(|r| r.trim_start().strip_prefix("as"))
        .and_then(|r| r.trim().strip_suffix("from"))
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.chars().all(ident))
        .ok_or_else(|| fail(format!("the main glue imports {file} in a form xtask does not know: {}", &glue[start..=close])))?;
    let end = if glue[close + 1..].starts_with(';') { close + 2 } else { close + 1 };
    Ok((start..end, name.to_string(), file))
}

/// The offline file's main glue: its import of the split loader replaced by the loader itself, inline in a
/// function bound to the same name, whose chunks are packed into it as the main wasm is (`pack`: the file's bytes
/// → deflated and encoded literal, deflated size) and given to `WebAssembly.instantiateStreaming` as a `Response`
/// made in the page — no fetch (the offline file's CSP has `connect-src 'none'`). Returns the glue and the loader's
/// file name (its modulepreload link goes from the offline file), or `None` for a glue of an unsplit module.
pub fn offline_glue(
    glue: &str,
    glue_name: &str,
    dist: &Path,
    pack: impl Fn(&[u8]) -> Result<(String, usize), String>,
) -> Result<Option<(String, String)>, String> {
    if !glue.contains(&format!("\"./{LOADER_PREFIX}")) {
        return Ok(None);
    }
    let (range, binding, file) = loader_import(glue)?;
    let loader = fs::read_to_string(dist.join(&file)).map_err(|e| fail(format!("cannot read the split loader {file}: {e}")))?;
    let mut body = replace_exact(&loader, &format!("import {{ initSync }} from \"./{glue_name}\";"), "", 1, "the split loader")?;
    body = replace_exact(&body, "fetch(srcUrl)", "srcUrl()", 1, "the split loader")?;
    let open = "new URL(\"./";
    while let Some(i) = body.find(open) {
        let rest = &body[i + open.len()..];
        let chunk = rest.split('"').next().unwrap_or_default().to_string();
        let call = format!("{open}{chunk}\", import.meta.url)");
        if !body[i..].starts_with(&call) || !chunk.starts_with(LOADER_PREFIX) || !chunk.ends_with(".wasm") {
            return Err(fail(format!("the split loader {file} names a file in a form xtask does not know: {}", &body[i..(i + 80).min(body.len())])));
        }
        let bytes = fs::read(dist.join(&chunk)).map_err(|e| fail(format!("cannot read the chunk {chunk}: {e}")))?;
        let (packed, size) = pack(&bytes)?;
        let response = format!(
            "() => (async () => {{\nconst packed = \"{packed}\";\nconst size = {size};\n{}\
             return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream(\"deflate-raw\")), {{ headers: {{ \"content-type\": \"application/wasm\" }} }});\n}})()",
            crate::DECODE13_JS
        );
        body.replace_range(i..i + call.len(), &response);
    }
    let mut exports = Vec::new();
    let mut inner = String::new();
    for line in body.lines() {
        match line.strip_prefix("export const ") {
            Some(rest) => {
                exports.push(rest.split([' ', '=']).next().unwrap_or_default().to_string());
                inner.push_str("const ");
                inner.push_str(rest);
            }
            None => inner.push_str(line),
        }
        inner.push('\n');
    }
    if inner.contains("import.meta") || inner.contains("export ") || inner.lines().any(|l| l.trim_start().starts_with("import ")) {
        return Err(fail(format!("the split loader {file} has an import or export xtask does not know")));
    }
    if exports.is_empty() {
        return Err(fail(format!("the split loader {file} exports nothing")));
    }
    let inline = format!(
        "const {binding} = (() => {{\n// The split loader ({file}), its chunks packed in.\n{inner}return {{ {} }};\n}})();",
        exports.join(", ")
    );
    Ok(Some((format!("{}{inline}{}", &glue[..range.start], &glue[range.end..]), file)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_import_is_found_as_wasm_bindgen_and_terser_write_it() {
        let bindgen = "import * as import1 from \"./ccb-split-ab12.js\"\nlet wasm;";
        let (range, name, file) = loader_import(bindgen).unwrap();
        assert_eq!((&bindgen[range], name.as_str(), file.as_str()), ("import * as import1 from \"./ccb-split-ab12.js\"", "import1", "ccb-split-ab12.js"));
        let terser = "let a;import*as e from\"./ccb-split-ab12.js\";const t=1;";
        let (range, name, _) = loader_import(terser).unwrap();
        assert_eq!((&terser[range], name.as_str()), ("import*as e from\"./ccb-split-ab12.js\";", "e"));
        assert!(loader_import("import { x } from \"./ccb-split-1.js\";").is_err(), "a named import is not the loader's form");
        assert!(loader_import("let wasm;").is_err(), "no loader: not split");
    }

    #[test]
    fn the_offline_glue_carries_the_loader_and_its_chunk_and_fetches_nothing() {
        let dir = std::env::temp_dir().join(format!("ccb-xtask-split-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let loader = "import { initSync } from \"./app-1.js\";\nfunction makeFetch(srcUrl) {\n    const src = fetch(srcUrl);\n}\n\
                      export const __wasm_split_load_forms = wrapAsyncCb(makeLoad(new URL(\"./ccb-split-forms-9.wasm\", import.meta.url), []));\n";
        fs::write(dir.join("ccb-split-7.js"), loader).unwrap();
        fs::write(dir.join("ccb-split-forms-9.wasm"), b"\0asm").unwrap();
        let glue = "import*as e from\"./ccb-split-7.js\";function initSync(){}const i={\"./__wasm_split.js\":e};";
        let (out, file) = offline_glue(glue, "app-1.js", &dir, |b| Ok((format!("PACKED{}", b.len()), 99))).unwrap().expect("split");
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(file, "ccb-split-7.js");
        assert!(out.starts_with("const e = (() => {"), "{out}");
        assert!(out.contains("const __wasm_split_load_forms = wrapAsyncCb(makeLoad(() => (async () => {"), "{out}");
        assert!(out.contains("const packed = \"PACKED4\";\nconst size = 99;"), "the chunk's bytes are packed in");
        assert!(out.contains("const src = srcUrl();") && !out.contains("fetch("), "no fetch: {out}");
        assert!(out.contains("\"application/wasm\""), "instantiateStreaming needs the wasm type");
        assert!(out.contains("return { __wasm_split_load_forms };\n})();function initSync(){}"));
        assert!(out.contains("{\"./__wasm_split.js\":e}"), "the wasm's import module name stays");
        assert!(!out.contains("import*as") && !out.contains("import.meta") && !out.contains("import {"), "{out}");
    }

    #[test]
    fn an_unsplit_glue_is_left_as_it_is() {
        let out = offline_glue("let wasm;", "app-1.js", Path::new("/nonexistent"), |_| unreachable!()).unwrap();
        assert!(out.is_none());
    }

    /// A wasm module of the given custom sections (name, payload), after a type section.
    fn module(sections: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = b"\0asm\x01\0\0\0\x01\x01\0".to_vec();
        for (name, payload) in sections {
            let mut body = vec![name.len() as u8];
            body.extend_from_slice(name.as_bytes());
            body.extend_from_slice(payload);
            out.push(0);
            out.push(body.len() as u8);
            out.extend(body);
        }
        out
    }

    #[test]
    fn a_chunk_that_casts_itself_fails_the_build_and_one_without_names_too() {
        let casting = module(&[("producers", b"x"), ("name", b"..._ZN12wasm_bindgen4__rt8wbg_cast17breaks_if_inlined17h43E indirect_call_shim")]);
        assert!(check_no_cast("c.wasm", &casting).unwrap_err().contains("main_only"));
        let clean = module(&[("name", b"_ZN3app5forms4view17h1E")]);
        assert!(check_no_cast("c.wasm", &clean).is_ok());
        assert!(check_no_cast("c.wasm", &module(&[("producers", b"x")])).unwrap_err().contains("no name section"));
        assert_eq!(custom_section(&clean, "name"), Some(&b"_ZN3app5forms4view17h1E"[..]));
        assert!(no_relocations("c.wasm", &clean).is_ok());
        assert!(no_relocations("c.wasm", &module(&[("linking", b"\x02")])).is_err());
    }

    #[test]
    fn chunks_get_the_split_point_name() {
        assert_eq!(chunk_stem("split_forms.wasm"), "forms");
        assert_eq!(chunk_stem("chunk_3.wasm"), "chunk3");
    }

    #[test]
    fn a_rewrite_that_does_not_match_exactly_once_fails() {
        assert_eq!(replace_exact("a \"./main.js\" b", "\"./main.js\"", "\"./x.js\"", 1, "t").unwrap(), "a \"./x.js\" b");
        assert!(replace_exact("nothing here", "\"./main.js\"", "x", 1, "t").unwrap_err().contains("found it 0 times"));
        assert!(replace_exact("\"./main.js\"\"./main.js\"", "\"./main.js\"", "x", 1, "t").unwrap_err().contains("found it 2 times"));
        assert_eq!(replace_exact("[a][a]", "a", "b", 2, "t").unwrap(), "[b][b]");
    }

    #[test]
    fn the_loader_is_preloaded_next_to_the_glue_only() {
        let html = r#"<link rel="modulepreload" href="./app-1.js" crossorigin="anonymous" integrity="sha384-a"><link rel="preload" href="./app-1_bg.wasm" as="fetch">"#;
        let out = with_loader_preload(html, "app-1.js", "ccb-split-2.js", "sha384-b").unwrap();
        assert_eq!(
            out,
            "<link rel=\"modulepreload\" href=\"./app-1.js\" crossorigin=\"anonymous\" integrity=\"sha384-a\">\n\
             <link rel=\"modulepreload\" href=\"./ccb-split-2.js\" crossorigin=\"anonymous\" integrity=\"sha384-b\"><link rel=\"preload\" href=\"./app-1_bg.wasm\" as=\"fetch\">"
        );
        assert!(with_loader_preload(html, "other.js", "l.js", "i").is_err(), "no glue link: the step fails");
    }
}
