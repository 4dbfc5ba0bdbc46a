//! The AirGap section (being written).

use yew::prelude::*;

#[function_component(AirGapSection)]
pub fn section() -> Html {
    html! { <div class="section-body"></div> }
}
