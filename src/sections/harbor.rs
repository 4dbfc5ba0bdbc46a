//! The Harbor section (being written).

use yew::prelude::*;

#[function_component(HarborSection)]
pub fn section() -> Html {
    html! { <div class="section-body"></div> }
}
