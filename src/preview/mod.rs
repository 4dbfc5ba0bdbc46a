//! The live preview: every file of the bundle, updated on every change.

use yew::prelude::*;

use crate::fields::use_ctx;
use crate::i18n::t;
use crate::state::Action;

#[function_component(PreviewPanel)]
pub fn preview_panel() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let files = &ctx.rendered.files;
    let selected = ctx
        .selected_file
        .clone()
        .filter(|p| files.iter().any(|f| &f.path == p))
        .unwrap_or_else(|| files[0].path.clone());
    let file = files.iter().find(|f| f.path == selected).expect("selected file exists");
    html! {
        <section class="preview" aria-label={t(lang, "preview.title")}>
            <h2>{ t(lang, "preview.title") }</h2>
            <ul class="file-tree" id="file-tree">
                { for files.iter().map(|f| {
                    let path = f.path.clone();
                    let onclick = {
                        let ctx = ctx.clone();
                        Callback::from(move |_| ctx.dispatch(Action::SelectFile(path.clone())))
                    };
                    html! { <li><button type="button" class={classes!("file-link", (f.path == selected).then_some("active"))} {onclick} data-path={f.path.clone()}>{ &f.path }</button></li> }
                }) }
            </ul>
            <pre id="preview-content" data-path={file.path.clone()}><code>{ &file.content }</code></pre>
        </section>
    }
}
