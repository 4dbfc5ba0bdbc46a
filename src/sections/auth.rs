//! The Auth section (being written).

use yew::prelude::*;

#[function_component(AuthSection)]
pub fn section() -> Html {
    html! { <div class="section-body"></div> }
}
