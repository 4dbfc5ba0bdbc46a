//! Every file of the bundle, path and content exactly as the core rendered them, with the file's own diagnostics.

use ccb_core::{Lang, Rendered, RenderedFile};
use yew::prelude::*;

use super::diagnostics::diagnostic_items;
use super::Shared;

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub rendered: Shared<Rendered>,
    pub lang: Lang,
}

#[function_component(Preview)]
pub fn preview(props: &PreviewProps) -> Html {
    let files = &props.rendered.files;
    html! {
        <section class="files" aria-label="Generated files">
            <h2>{ format!("Files ({})", files.len()) }</h2>
            if files.is_empty() {
                <p class="empty">{ "No files to write for this project." }</p>
            }
            { for files.iter().map(|f| file_view(f, props.lang)) }
        </section>
    }
}

fn file_view(file: &RenderedFile, lang: Lang) -> Html {
    html! {
        <section class="file" key={file.path.clone()}>
            <h3 class="path"><code>{ file.path.clone() }</code></h3>
            if !file.diagnostics.is_empty() {
                { diagnostic_items(&file.diagnostics, lang) }
            }
            <pre>{ file.content.clone() }</pre>
        </section>
    }
}
