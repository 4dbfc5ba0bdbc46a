//! The root component: editor on one side, the rendered bundle and its diagnostics on the other.

use std::rc::Rc;

use ccb_core::Lang;
use yew::prelude::*;

use crate::components::diagnostics::DiagnosticList;
use crate::components::editor::JsonEditor;
use crate::components::preview::Preview;
use crate::components::Shared;
use crate::state::{Action, AppState};

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::initial);

    let on_json = {
        let state = state.clone();
        Callback::from(move |json: String| state.dispatch(Action::EditJson(json)))
    };
    let on_lang = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let lang = if select.value() == "zh" { Lang::Zh } else { Lang::En };
            state.dispatch(Action::SetLang(lang));
        })
    };

    let rendered = Shared(Rc::clone(&state.rendered));
    let lang = state.lang;

    html! {
        <>
            <header class="top">
                <h1>{ "containerd config builder" }</h1>
                <label class="lang">
                    { "Language " }
                    <select id="lang" onchange={on_lang}>
                        <option value="en" selected={lang == Lang::En}>{ "English" }</option>
                        <option value="zh" selected={lang == Lang::Zh}>{ "中文" }</option>
                    </select>
                </label>
            </header>
            <main class="layout">
                <JsonEditor
                    json={AttrValue::from(state.json.clone())}
                    error={state.parse_error.clone()}
                    on_change={on_json}
                />
                <div class="output">
                    <DiagnosticList rendered={rendered.clone()} {lang} stale={state.parse_error.is_some()} />
                    <Preview {rendered} {lang} />
                </div>
            </main>
        </>
    }
}
