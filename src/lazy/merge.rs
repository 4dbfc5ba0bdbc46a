//! The merge into a pasted config.toml, run by the lazily loaded tools module (`crates/web-tools`): the TOML
//! parser, the merge and SHA-256 are not in the page's first download.
//!
//! [`merge`] is what the state's render calls: the module's answer once it is ready, else a diagnostic at the
//! pasted file saying why there is no merge yet (loading, or the load failed: paste again or reload to retry).
//! [`use_merge_module`] starts the load when a config.toml is there and re-renders when it is done. Natively
//! (the state's unit tests) the same boundary runs in-process.

use ccb_core::merge_result::{self, MergeResult};
use ccb_core::plan::Plan;
use ccb_core::{Diagnostic, Lang, Project};
use yew::prelude::*;

use crate::i18n::t;
use crate::state::{Action, AppState};

use super::TOOLS as NAME;

/// Where the merge's diagnostics point: the pasted file's field.
const PATH: &str = "existing_config";

/// What merges `project` (with the plan the page's render made of it and the diagnostics found with that plan)
/// into the node's file.
pub type Merger = fn(&Project, &Plan, &[Diagnostic], &str) -> MergeResult;

/// `project` merged into the node's file `text`, or why it cannot be yet: the merge step of the state's render
/// (`render::render_merging_in`), given the render's plan and diagnostics. The tools module's answer is read by the
/// split-off module (`sections::split`), which every paste of a config.toml has loaded already (the paste is in
/// Apply, one of its forms); until it is there the merge is "still loading".
pub fn merge(project: &Project, plan: &Plan, diagnostics: &[Diagnostic], text: &str) -> MergeResult {
    match crate::sections::split::merge_reader() {
        Some(by_tools) => by_tools(project, plan, diagnostics, text),
        None if crate::sections::split::failed() => {
            MergeResult::Refused(not_loaded(t(Lang::En, "lazy.part_missing"), t(Lang::Zh, "lazy.part_missing")))
        }
        None => MergeResult::Refused(still_loading()),
    }
}

/// [`merge`] by the tools module (in the split page, code of the split-off module), sent the render's plan so that
/// it does not plan the project again.
pub fn by_tools(project: &Project, plan: &Plan, diagnostics: &[Diagnostic], text: &str) -> MergeResult {
    let request = merge_result::request(project, plan, diagnostics);
    #[cfg(not(target_arch = "wasm32"))]
    let answer = Some(Ok::<String, String>(merge_result::answer(&request, text)));
    #[cfg(target_arch = "wasm32")]
    let answer = super::call(NAME, "merge", &[&request, text]).map(|r| r.and_then(|v| v.as_string().ok_or_else(|| "no text".to_string())));
    let refused = |d| MergeResult::Refused(d);
    match answer {
        Some(Ok(text)) => merge_result::decode(&text).unwrap_or_else(|e| refused(unreadable_answer(&e.0))),
        Some(Err(thrown)) => refused(failed_inside(&thrown)),
        None => match super::status(NAME) {
            super::Status::Failed(why) => refused(not_loaded(&why, &why)),
            _ => refused(still_loading()),
        },
    }
}

/// Not ready and not failed: loading, or about to be (the load starts in the effect after the paste's render);
/// the split-off module that reads the answer counts too.
pub fn loading() -> bool {
    let tools = !super::ready(NAME) && !matches!(super::status(NAME), super::Status::Failed(_));
    tools || (crate::sections::split::merge_reader().is_none() && !crate::sections::split::failed())
}

/// Loading the merge module when a config.toml is pasted (or is there when a project is opened), once; the bundle
/// is rendered again when it is ready or has failed. After a failure, the next change of the pasted text retries.
#[hook]
pub fn use_merge_module(state: &UseReducerHandle<AppState>) {
    let handle = state.clone();
    use_effect_with(state.existing.clone(), move |existing| {
        if existing.is_some() && !super::ready(NAME) {
            super::load(NAME, move || handle.dispatch(Action::Rerender));
        }
    });
}

/// While the merge loads: a line for the preview and the pasted file's status, shown only when loading takes a
/// moment (the `lazy-wait` class keeps it hidden for the first 300 ms, so a fast load shows nothing).
pub fn loading_note(lang: Lang, id: &'static str) -> Html {
    if !loading() {
        return html! {};
    }
    html! { <p class="note lazy-wait" {id} role="status">{ t(lang, "lazy.merge_loading") }</p> }
}

fn still_loading() -> Diagnostic {
    Diagnostic::error(
        PATH,
        "M0-merge-loading",
        "Your config.toml is not merged yet: the merge is still loading. The bundle follows as soon as it is there.",
        "你的 config.toml 尚未合并：合并功能仍在加载。加载完成后配置包会随即更新。",
    )
}

/// `why` in English and in Chinese (a browser's own reason is the same in both).
fn not_loaded(why: &str, why_zh: &str) -> Diagnostic {
    Diagnostic::error(
        PATH,
        "M0-merge-unavailable",
        format!("The merge could not be loaded ({why}), so your config.toml is not merged and the bundle carries the fragment. Your project and the pasted file are kept: paste again or reload the page to try again."),
        format!("无法加载合并功能（{why_zh}），因此你的 config.toml 未被合并，配置包提供的是片段。你的项目和粘贴的文件都已保留：请重新粘贴或重新加载页面再试。"),
    )
}

fn failed_inside(thrown: &str) -> Diagnostic {
    Diagnostic::error(
        PATH,
        "M0-merge-failed",
        format!("The merge stopped with an error ({thrown}), so your config.toml is not merged. Your project and the pasted file are kept; please report this with your config.toml (secrets removed)."),
        format!("合并因错误而中止（{thrown}），因此你的 config.toml 未被合并。你的项目和粘贴的文件都已保留；请附上 config.toml（去掉其中的密钥）报告此问题。"),
    )
}

fn unreadable_answer(why: &str) -> Diagnostic {
    Diagnostic::error(
        PATH,
        "M0-merge-answer",
        format!("The merge answered in a form this page cannot read ({why}): the page and its merge module come from different builds. Reload the page."),
        format!("合并返回的内容本页面无法读取（{why}）：页面与合并模块来自不同的构建。请重新加载页面。"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natively_the_merge_runs_through_the_same_boundary() {
        let p = Project::default();
        let plan = ccb_core::plan::plan(&p);
        let r = merge(&p, &plan, &[], "version = 2\n# keep\n");
        let MergeResult::Merged(m) = r else { panic!("merged: {r:?}") };
        assert!(m.content.contains("# keep") && m.content.contains("config_path"));
        assert!(matches!(merge(&p, &plan, &[], "[x"), MergeResult::Refused(Diagnostic { code: "M1-existing-not-toml", .. })));
    }

    #[test]
    fn every_message_speaks_both_languages_and_points_at_the_pasted_file() {
        for d in [still_loading(), not_loaded("TypeError: Failed to fetch", "TypeError: Failed to fetch"), failed_inside("RuntimeError: unreachable"), unreadable_answer("format")] {
            assert_eq!((d.path.as_str(), d.severity), (PATH, ccb_core::Severity::Error));
            assert!(!d.message.en.is_empty() && d.message.zh.contains('。'), "{d:?}");
        }
        // The split-off module's failure in the page's words, in each language.
        let d = not_loaded(t(Lang::En, "lazy.part_missing"), t(Lang::Zh, "lazy.part_missing"));
        assert!(d.message.en.contains("did not arrive") && d.message.zh.contains("未能下载"), "{d:?}");
    }
}
