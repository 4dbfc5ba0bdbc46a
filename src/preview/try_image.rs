//! "Try an image", above the preview: an image reference as the user writes it, and what containerd does with
//! the bundle for it — per stretch of the target range where the answers differ ("1.6–1.7", "2.0–2.3"): the
//! normalised reference, the certs.d directory and why, the hosts asked for the manifest and for blobs in order
//! (request URL, `ns`, capabilities, TLS, headers, credentials redacted, what a failure does), whether the
//! registry itself is contacted, why a pull fails, and the assumptions.
//!
//! Every fact and its words come from the core (`ccb_core::explain::view`), computed in the lazily loaded tools
//! module (`lazy::explain`), which the box loads on its first focus or keystroke; this file only lays the lines
//! out. The answer follows each keystroke synchronously once the module is there.

use std::rc::Rc;

use ccb_core::explain::view::{Kind, Line, Shown};
use ccb_core::Lang;
use yew::prelude::*;

use crate::app::ViewAction;
use crate::fields::{bool_attr, event_value, Ctx};
use crate::state::{Action, AppState};
use crate::i18n::{t, tf};
use crate::lazy::explain::{self, Answer};

const INPUT: &str = "try-image";
const SUMMARY: &str = "try-summary";
const MESSAGES: &str = "try-image-msgs";

/// The box's text and the answer for it (kept in `AppState::view`, so the box is a function of the state).
#[derive(Clone, Default)]
pub struct TryState {
    pub image: String,
    /// Bumped when the tools module is ready or failed: the answer is asked again.
    loads: u32,
    /// The answer for the trimmed image, `None` while the box is empty.
    pub answer: Option<Rc<Answer>>,
}

pub enum TryAction {
    Image(String),
    Loaded,
}

pub fn reduce(s: &mut TryState, action: TryAction) {
    match action {
        TryAction::Image(image) => s.image = image,
        TryAction::Loaded => s.loads += 1,
    }
}

/// The answer follows the project, the box and the arrival of the modules it needs (the tools, which answer, and
/// the split-off one, which reads and lays out the answer: `sections::split`).
pub fn follow(before: &AppState, after: &mut AppState) {
    let (old, new) = (&before.view.try_image, &after.view.try_image);
    if after.revision == before.revision && old.image == new.image && old.loads == new.loads && before.split_loads == after.split_loads {
        return;
    }
    let image = new.image.trim();
    let answer = (!image.is_empty()).then(|| Rc::new(crate::sections::split::explain(after.lang, &after.project, image)));
    after.view.try_image.answer = answer;
}

pub fn try_image(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let state = &ctx.view.try_image;
    let answer = state.answer.as_deref();
    let start = {
        let ctx = ctx.clone();
        move || {
            let (tools, split) = (ctx.clone(), ctx.clone());
            explain::start(move || tools.dispatch(Action::View(ViewAction::TryImage(TryAction::Loaded))));
            // The answer is read and laid out by the split-off module: tried again after its failed load.
            crate::sections::split::load(move || split.dispatch(Action::SplitLoaded));
        }
    };
    let onfocus = {
        let start = start.clone();
        Callback::from(move |_: FocusEvent| start())
    };
    let oninput = {
        let ctx = ctx.clone();
        // After a failed load, each keystroke tries again (`start` does nothing while loading or once ready).
        Callback::from(move |e: InputEvent| {
            ctx.dispatch(Action::View(ViewAction::TryImage(TryAction::Image(event_value(&e)))));
            start();
        })
    };
    let groups = match answer {
        Some(Answer::Groups(g)) => g.as_slice(),
        _ => &[],
    };
    let invalid = groups.first().and_then(|g| g.error.as_ref());
    html! {
        <section class="try-image" aria-labelledby="try-title">
            <h2 id="try-title">{ t(lang, "try.title") }</h2>
            <div class={if invalid.is_some() { "field error" } else { "field" }}>
                <label for={INPUT}>{ t(lang, "try.label") }<span class="hint">{ t(lang, "try.hint") }</span></label>
                <input id={INPUT} type="text" value={state.image.clone()} {oninput} {onfocus} autocomplete="off" spellcheck="false"
                    placeholder="nginx · quay.io/prometheus/node-exporter:v1.8.2" aria-invalid={bool_attr(invalid.is_some())}
                    aria-describedby={if invalid.is_some() { MESSAGES } else { SUMMARY }} />
                if let Some(error) = invalid {
                    { crate::widgets::alert_error(lang, MESSAGES, html! { error.get(lang).to_string() }) }
                }
            </div>
            { status(lang, answer) }
            if !groups.is_empty() && invalid.is_none() {
                // A region of its own, focusable: on wide screens it scrolls (static/style.css), by keyboard too.
                <div id="try-results" role="region" aria-labelledby="try-title" tabindex="0">
                    { for groups.iter().map(|g| crate::sections::split::try_group(lang, &ctx.project, g)) }
                    <details class="try-assumptions small">
                        <summary>{ t(lang, "try.assumptions") }</summary>
                        <ul>{ for groups[0].assumptions.iter().map(|a| html! { <li>{ a.get(lang).to_string() }</li> }) }</ul>
                    </details>
                </div>
            }
        </section>
    }
}

/// The line screen readers hear with the box (its `aria-describedby`): loading, a failure, or the reference and
/// how many answers follow.
fn status(lang: Lang, answer: Option<&Answer>) -> Html {
    let (text, class) = match answer {
        None => (String::new(), "try-status"),
        // Shown only when loading takes a moment (`lazy-wait`: hidden for the first 300 ms).
        Some(Answer::Loading) => (t(lang, "try.loading").to_string(), "try-status note small lazy-wait"),
        Some(Answer::NotLoaded(why)) => (tf(lang, "try.not_loaded", &[("why", why)]), "try-status note warning small"),
        Some(Answer::Broken(why)) => (tf(lang, "try.broken", &[("why", why)]), "try-status note warning small"),
        Some(Answer::Groups(g)) => match g.first().and_then(|g| g.reference.as_deref()) {
            None => (String::new(), "try-status"),
            Some(r) if g.len() == 1 => (tf(lang, "try.summary_one", &[("image", r), ("range", &g[0].label)]), "try-status small"),
            Some(r) => (tf(lang, "try.summary_many", &[("image", r), ("n", &g.len().to_string())]), "try-status small"),
        },
    };
    html! { <p id={SUMMARY} class={class} role="status">{ text }</p> }
}

/// The hosts of one list (`class`: the list's, try-resolve / try-fetch), each its URL and the lines about it.
struct HostList {
    class: &'static str,
    hosts: Vec<Html>,
    /// The current host: its URL and its lines so far.
    host: Option<(String, Vec<Html>)>,
}

impl HostList {
    fn end_host(&mut self) {
        if let Some((url, lines)) = self.host.take() {
            self.hosts.push(html! { <li><code class="try-url">{ url }</code>{ for lines }</li> });
        }
    }
    fn end(mut self) -> Html {
        self.end_host();
        html! { <ol class={self.class}>{ for self.hosts }</ol> }
    }
}

/// One stretch of releases and its answer, laid out from the core's lines; a line's field path is named as the
/// Problems list names it (`docker.io › endpoint 2`), never as the path itself.
pub fn group(lang: Lang, project: &ccb_core::Project, g: &Shown) -> Html {
    let mut out = Vec::new();
    let mut list: Option<HostList> = None;
    let text = |l: &Line| match &l.place {
        Some(path) => l.text.get(lang).replace("{place}", &crate::problem_labels::place(path, project, lang)),
        None => l.text.get(lang).to_string(),
    };
    for l in &g.lines {
        match l.kind {
            Kind::Host => {
                if let Some(list) = list.as_mut() {
                    list.end_host();
                    list.host = Some((text(l), Vec::new()));
                }
                continue;
            }
            Kind::Fact | Kind::Fall => {
                if let Some((_, lines)) = list.as_mut().and_then(|list| list.host.as_mut()) {
                    let class = if l.kind == Kind::Fall { "small try-fall" } else { "small muted" };
                    lines.push(html! { <div {class}>{ text(l) }</div> });
                }
                continue;
            }
            _ => {}
        }
        if let Some(done) = list.take() {
            out.push(done.end());
        }
        let class = match l.kind {
            Kind::Resolve | Kind::Fetch => {
                list = Some(HostList { class: if l.kind == Kind::Resolve { "try-hosts try-resolve" } else { "try-hosts try-fetch" }, hosts: Vec::new(), host: None });
                out.push(html! { <h4>{ text(l) }</h4> });
                continue;
            }
            Kind::Lookup => {
                out.push(html! { <p class="try-lookup"><code>{ text(l) }</code></p> });
                continue;
            }
            Kind::Outcome => "try-outcome",
            Kind::Fails => "try-outcome msg error",
            Kind::Note => "small try-note",
            _ => "small muted",
        };
        out.push(html! { <p {class}>{ text(l) }</p> });
    }
    if let Some(done) = list.take() {
        out.push(done.end());
    }
    html! {
        <div class="try-group" data-releases={g.label.clone()}>
            <h3>{ tf(lang, "try.group", &[("releases", &g.label)]) }</h3>
            { for out }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccb_core::edit::Edit;

    fn typed(s: Rc<AppState>, image: &str) -> Rc<AppState> {
        s.reduce(Action::View(ViewAction::TryImage(TryAction::Image(image.into()))))
    }
    fn groups(s: &AppState) -> usize {
        match s.view.try_image.answer.as_deref() {
            Some(Answer::Groups(g)) => g.len(),
            other => panic!("an answer, not {other:?}"),
        }
    }

    #[test]
    fn the_answer_follows_the_box_and_the_project() {
        let s = Rc::new(AppState::new(ccb_core::Project::default(), Lang::En));
        assert!(s.view.try_image.answer.is_none());
        let s = typed(s, " nginx ");
        assert!(groups(&s) >= 1);
        let before = s.view.try_image.answer.clone();
        let s = s.reduce(Action::Edit(Edit::AddRegistry));
        assert!(!Rc::ptr_eq(before.as_ref().expect("answer"), s.view.try_image.answer.as_ref().expect("answer")), "asked again after an edit");
        let s = typed(s, "  ");
        assert!(s.view.try_image.answer.is_none(), "an empty box has no answer");
    }
}
