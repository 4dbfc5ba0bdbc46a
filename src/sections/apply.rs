//! The Apply section (being written).

use yew::prelude::*;

#[function_component(ApplySection)]
pub fn section() -> Html {
    html! { <div class="section-body"></div> }
}
