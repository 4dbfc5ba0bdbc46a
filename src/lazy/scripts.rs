//! install.sh and README.txt, written by the lazily loaded tools module (`crates/web-tools`): their writers and
//! words are not in the page's first download (ccb-core's `scripts` feature, off in the page's wasm).
//!
//! [`attach`] is what the state's render calls: it puts into both files' place a text the tools module writes
//! (one answer for both, on first read once the module is ready), from what the page's own render decided for
//! them (`Rendered::scripts`: the other files, the delivery, the language; `ccb_core::scripts_result`), so the
//! module plans and renders nothing again; until then the text says it is being written. The module is
//! loaded when one of them is first needed: shown in the preview ([`use_scripts_module`]), or downloaded
//! ([`when_ready`]: the download follows the load). The copy and download of the file alone wait while it is
//! [`pending`]. Natively (the state's unit tests) the same boundary runs in-process.

use std::cell::OnceCell;
use std::rc::Rc;

use ccb_core::render::{Rendered, ScriptsInput, Text};
use ccb_core::scripts_result::{self, Scripts};
use ccb_core::{FileKind, Lang};
use yew::prelude::*;

use crate::i18n::{t, tf};
use crate::state::{Action, AppState};

use super::TOOLS;

fn is_script(kind: FileKind) -> bool {
    matches!(kind, FileKind::InstallScript | FileKind::Readme)
}

/// The tools module is being loaded.
pub fn loading() -> bool {
    matches!(super::status(TOOLS), super::Status::Loading)
}

/// A file of `kind` that is not written yet: install.sh or README.txt while the tools module is not ready.
pub fn pending(kind: FileKind) -> bool {
    is_script(kind) && !super::ready(TOOLS)
}

/// What the page says while the tools module is loading or after it failed (the browser's words); `None` when it
/// is ready or has not been asked for.
pub fn waiting(lang: Lang) -> Option<String> {
    failed(lang).or_else(|| loading().then(|| t(lang, "lazy.scripts_loading").to_string()))
}

/// Why the tools module could not be loaded, in the page's words; `None` unless its last load failed.
fn failed(lang: Lang) -> Option<String> {
    match super::status(TOOLS) {
        super::Status::Failed(why) => Some(tf(lang, "lazy.scripts_failed", &[("why", &why)])),
        _ => None,
    }
}

/// Puts the tools module's install.sh and README.txt into `rendered`, written from its own
/// [`Rendered::scripts`].
pub fn attach(rendered: &mut Rendered) {
    let answer: Rc<OnceCell<Result<Scripts, String>>> = Rc::default();
    let input = Rc::clone(&rendered.scripts);
    let lang = input.lang;
    for f in rendered.files.iter_mut().filter(|f| is_script(f.kind)) {
        let (kind, answer, input) = (f.kind, Rc::clone(&answer), Rc::clone(&input));
        let write = move || {
            if !super::ready(TOOLS) {
                return None;
            }
            Some(match answer.get_or_init(|| ask(&input)) {
                Ok(s) if kind == FileKind::InstallScript => s.install_sh.clone(),
                Ok(s) => s.readme.clone(),
                Err(why) => tf(lang, "lazy.scripts_broken", &[("why", why)]),
            })
        };
        f.content = Text::when_ready(write, meanwhile(lang));
    }
}

/// What both files say until the module has written them: that they are being written, or why they cannot be
/// (a failed load; the next download, or showing either file again, retries).
fn meanwhile(lang: Lang) -> String {
    failed(lang).unwrap_or_else(|| t(lang, "lazy.scripts_meanwhile").to_string())
}

/// Runs `then` once install.sh and README.txt can be written: at once, or after loading the tools module (the
/// bundle is then rendered again; after a failed load `then` does not run, and the page says why).
pub fn when_ready(dispatch: impl FnOnce(Action) + 'static, then: impl FnOnce() + 'static) {
    if super::ready(TOOLS) {
        return then();
    }
    super::load(TOOLS, move || {
        dispatch(Action::ScriptsLoaded);
        if super::ready(TOOLS) {
            then();
        }
    });
}

/// Both texts from the tools module, or what went wrong (the module threw, or answered in another build's form).
fn ask(input: &ScriptsInput) -> Result<Scripts, String> {
    let request = scripts_result::request(input);
    #[cfg(not(target_arch = "wasm32"))]
    let answer = Some(Ok::<String, String>(scripts_result::answer(&request)));
    #[cfg(target_arch = "wasm32")]
    let answer = super::call(TOOLS, "scripts", &[&request]).map(|r| r.and_then(|v| v.as_string().ok_or_else(|| "no text".to_string())));
    match answer {
        Some(Ok(text)) => scripts_result::decode(&text).map_err(|e| e.0),
        Some(Err(thrown)) => Err(thrown),
        None => Err("the tools module is not loaded".to_string()),
    }
}

/// Loads the tools module when the preview shows install.sh or README.txt before it is there, and renders the
/// bundle again when it is ready (or has failed: the file then says why).
#[hook]
pub fn use_scripts_module(state: &UseReducerHandle<AppState>) {
    let shown = state.rendered.file(&crate::preview::selected_path(state)).is_some_and(|f| pending(f.kind));
    let handle = state.clone();
    use_effect_with(shown, move |shown| {
        if *shown {
            super::load(TOOLS, move || handle.dispatch(Action::ScriptsLoaded));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attached_texts_are_what_the_core_writes_and_one_answer_serves_both() {
        let p = ccb_core::presets::by_id("dockerhub-mirrors").expect("preset").project;
        for lang in [Lang::En, Lang::Zh] {
            let core = ccb_core::render::render_in(&p, lang);
            let mut page = core.clone();
            attach(&mut page);
            for kind in [FileKind::InstallScript, FileKind::Readme] {
                let (want, got) = (core.file_of(kind).unwrap(), page.file_of(kind).unwrap());
                assert!(!got.content.is_written(), "written on first read only");
                assert_eq!(got.content.as_str(), want.content.as_str());
            }
            assert!(!pending(FileKind::InstallScript));
        }
    }
}
