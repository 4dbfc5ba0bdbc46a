//! The Target section (being written).

use yew::prelude::*;

#[function_component(TargetSection)]
pub fn section() -> Html {
    html! { <div class="section-body"></div> }
}
