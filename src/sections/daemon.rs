//! The Daemon section (being written).

use yew::prelude::*;

#[function_component(DaemonSection)]
pub fn section() -> Html {
    html! { <div class="section-body"></div> }
}
