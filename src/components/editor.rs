//! The project JSON, editable; a parse error is shown under it with its position.

use yew::prelude::*;

use crate::state::ParseError;

#[derive(Properties, PartialEq)]
pub struct JsonEditorProps {
    pub json: AttrValue,
    pub error: Option<ParseError>,
    /// Called with the whole text on every input event.
    pub on_change: Callback<String>,
}

#[function_component(JsonEditor)]
pub fn json_editor(props: &JsonEditorProps) -> Html {
    let oninput = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            on_change.emit(area.value());
        })
    };
    let invalid = props.error.is_some();

    html! {
        <section class="editor">
            <h2><label for="project-json">{ "Project (JSON)" }</label></h2>
            <textarea
                id="project-json"
                class={classes!(invalid.then_some("invalid"))}
                spellcheck="false"
                autocomplete="off"
                aria-invalid={if invalid { "true" } else { "false" }}
                aria-describedby="json-error"
                value={props.json.clone()}
                {oninput}
            />
            if let Some(err) = &props.error {
                <p id="json-error" class="json-error" role="alert">
                    { format!("Invalid JSON at {err}. The preview shows the last valid project.") }
                </p>
            }
        </section>
    }
}
