//! The site's prerendered first screen: what the app shows first in its default state (English, no link, no
//! draft, no query), taken from the built page by `scripts/prerender.mjs` (Chromium), and put into index.html
//! inside a `<template>` with a small gate script after it.
//!
//! Why: a cold tab spends its first ≈ 150–250 ms (on the 2-core test machines) compiling and running the wasm and
//! laying the page out before anything of it is drawn. The template costs nothing until the gate script shows it,
//! which is while the page is parsed (the stylesheet is inline, `inline_stylesheet` in main.rs): the first preview
//! is then drawn while the wasm is still being fetched and compiled. Until the app replaces it (`startup::mount`,
//! right before its first render), every part of it is `inert`: seen, not focusable, nothing typed into it.
//! Taken at 1280 × 800: on a phone the layout is the stylesheet's as ever, only what an effect measures (the tab
//! strip's "more →" hint) appears when the app has rendered.
//!
//! The gate shows it only when the app will start in exactly that state; else the template never renders, so no
//! one sees the defaults before their own link, draft or language. It mirrors `startup::state_from`'s inputs:
//! a URL fragment (share link), any query parameter (`lang`, `theme`, `preset`, `target`, `embed`), a saved draft
//! (`startup::DRAFT_KEY`), a browser language that `i18n::from_tag` reads as Chinese, or no WebAssembly. The e2e
//! test tests/e2e/prerender.test.mjs holds it to that (and the template to the app's own first screen).

use std::path::Path;
use std::process::Command;

use crate::fail;

const OPEN: &str = "<!-- ccb-prerender -->";
const CLOSE: &str = "<!-- /ccb-prerender -->";
/// `startup::DRAFT_KEY` of the web crate (which xtask cannot link: it is a wasm app); the e2e test with a saved
/// draft fails if the two part.
const DRAFT_KEY: &str = "containerd-config-builder.draft";

/// The first screen as `scripts/prerender.mjs` printed it.
pub struct Snapshot {
    pub html: String,
    pub lang: String,
    pub theme: String,
    pub title: String,
}

/// Runs `scripts/prerender.mjs` on the built site `dist`. `Ok(None)` (and a line saying why) when it cannot run
/// here — no node, no Chromium — or `CCB_PRERENDER=0`: the page then works as before, drawn once the wasm ran.
pub fn capture(dist: &Path) -> Result<Option<Snapshot>, String> {
    if std::env::var("CCB_PRERENDER").is_ok_and(|v| v == "0") {
        println!("xtask: CCB_PRERENDER=0: index.html has no prerendered first screen");
        return Ok(None);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/prerender.mjs");
    let out = match Command::new("node").arg(&script).arg(dist).output() {
        Ok(out) => out,
        Err(e) => {
            println!("xtask: cannot run node ({e}): index.html has no prerendered first screen");
            return Ok(None);
        }
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => {}
        Some(2) => {
            println!("xtask: {}: index.html has no prerendered first screen", stderr.trim());
            return Ok(None);
        }
        _ => return Err(fail(format!("scripts/prerender.mjs failed ({}): {}", out.status, stderr.trim()))),
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| fail(format!("scripts/prerender.mjs printed no JSON: {e}")))?;
    let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let html = field("html").ok_or_else(|| fail("scripts/prerender.mjs: no html"))?;
    Ok(Some(Snapshot {
        html,
        lang: field("lang").unwrap_or_default(),
        theme: field("theme").unwrap_or_default(),
        title: field("title").unwrap_or_default(),
    }))
}

/// A JavaScript string literal for `s` that cannot end the inline script (`<` escaped).
fn js_string(s: &str) -> String {
    serde_json::Value::from(s).to_string().replace('<', "\\u003c")
}

/// The gate script: shows the template's screen when the page starts in the default state, and drops it
/// otherwise. Shown, the screen is the first preview: the mark `ccb-first-preview` is set in the first task after
/// the frame that draws it (a timeout set in that frame's animation callback, which runs before its style, layout
/// and paint), not when it enters the DOM — on a cold tab its first layout alone takes tens of milliseconds.
/// Unless the app has already replaced it; then the app sets the mark after its own first render.
pub fn gate_script(snap: &Snapshot) -> String {
    format!(
        "(function(){{var t=document.getElementById(\"ccb-prerender\");\
         var show=!location.hash&&!location.search&&!/^\\s*zh/i.test(navigator.language||\"\")&&typeof WebAssembly===\"object\";\
         try{{if(localStorage.getItem({key})!==null)show=false}}catch(e){{}}\
         if(show){{var r=document.documentElement;r.lang={lang};{theme}document.title={title};\
         t.replaceWith(t.content);\
         requestAnimationFrame(function(){{setTimeout(function(){{if(document.querySelector(\"[data-ccb-prerender]\"))\
         performance.mark(\"ccb-first-preview\",{{detail:\"prerendered\"}})}},0)}})}}else t.remove()}})();",
        key = js_string(DRAFT_KEY),
        lang = js_string(&snap.lang),
        theme = if snap.theme.is_empty() {
            String::new()
        } else {
            format!("r.setAttribute(\"data-theme\",{});", js_string(&snap.theme))
        },
        title = js_string(&snap.title),
    )
}

/// `html` with the template and its gate right after `<body>`.
pub fn insert(html: &str, snap: &Snapshot, gate: &str) -> Result<String, String> {
    let i = html.find("<body>").ok_or_else(|| fail("index.html has no <body>"))? + "<body>".len();
    Ok(format!(
        "{}\n    {OPEN}<template id=\"ccb-prerender\">{}</template><script>{gate}</script>{CLOSE}{}",
        &html[..i],
        snap.html,
        &html[i..]
    ))
}

/// `html` without a block [`insert`] added (postbuild runs again on the same dist/).
pub fn strip(html: &str) -> String {
    let mut out = html.to_string();
    while let (Some(a), Some(b)) = (out.find(OPEN), out.find(CLOSE)) {
        if b < a {
            break;
        }
        let start = if out[..a].ends_with("\n    ") { a - 5 } else { a };
        out.replace_range(start..b + CLOSE.len(), "");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap() -> Snapshot {
        Snapshot {
            html: "<main data-ccb-prerender=\"\" inert=\"\"><pre id=\"preview-content\">a &lt;b&gt;</pre></main>".into(),
            lang: "en".into(),
            theme: "auto".into(),
            title: "t</script>".into(),
        }
    }

    #[test]
    fn the_block_goes_after_body_and_comes_out_again_to_the_byte() {
        let page = "<html><head></head><body>\n    <noscript>x</noscript>\n  </body></html>";
        let s = snap();
        let with = insert(page, &s, &gate_script(&s)).unwrap();
        assert!(with.find("<template id=\"ccb-prerender\">").unwrap() < with.find("<noscript>").unwrap());
        assert!(with.contains(&s.html));
        assert_eq!(strip(&with), page);
        assert_eq!(strip(&strip(&with)), page);
    }

    #[test]
    fn the_gate_cannot_end_its_script_and_checks_every_input_of_the_first_state() {
        let gate = gate_script(&snap());
        assert!(!gate.contains("</script"), "{gate}");
        for input in ["location.hash", "location.search", "navigator.language", "localStorage.getItem(\"containerd-config-builder.draft\")", "WebAssembly"] {
            assert!(gate.contains(input), "{input}: {gate}");
        }
        assert!(gate.contains("r.setAttribute(\"data-theme\",\"auto\")"));
        let plain = gate_script(&Snapshot { theme: String::new(), ..snap() });
        assert!(!plain.contains("data-theme"));
    }
}
