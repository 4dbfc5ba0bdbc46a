//! [`secret_field`]: the input of a secret (a password, a token, a header's value), shared by the registry cards and
//! the credentials form.

use ccb_core::model::Secret;
use yew::prelude::*;

use crate::fields::{button, field_class, field_id, field_messages, label, suffixed, text_field, Text};
use crate::i18n::{t, tf};
use crate::state::AppState;
use crate::widgets::focus_soon;

/// A password-type input for a secret, or, while the secret names an environment variable (a project file kept
/// in git), a read-only line saying so and a button to type a value instead.
pub fn secret_field(
    ctx: &AppState,
    path: String,
    label_key: &'static str,
    hint_key: Option<&'static str>,
    value: &Secret,
    on_input: Callback<Secret>,
) -> Html {
    let lang = ctx.lang;
    match value {
        Secret::Literal(v) => {
            let on_text = Callback::from(move |v: String| on_input.emit(Secret::Literal(v)));
            text_field(ctx, Text { path, label: label_key, hint: hint_key, value: v.clone(), secret: true, ..Text::default() }, on_text)
        }
        Secret::FromEnv(e) => {
            let id = AttrValue::from(field_id(&path));
            let replace = {
                let id = id.clone();
                Callback::from(move |_| {
                    on_input.emit(Secret::Literal(String::new()));
                    focus_soon(id.to_string());
                })
            };
            let worst = ctx.diagnostics_at(&path).map(|d| d.severity).max();
            html! {
                <div class={field_class(worst)}>
                    { label(lang, &id, label_key, hint_key) }
                    <input id={id.clone()} type="text" readonly=true value={tf(lang, "auth.from_env", &[("name", &e.env)])}
                        aria-describedby={worst.map(|_| suffixed(&id, "-msgs"))} />
                    { button(suffixed(&id, "-replace").into(), "small", t(lang, "auth.replace_env"), false, replace) }
                    { field_messages(ctx, &path) }
                </div>
            }
        }
    }
}
