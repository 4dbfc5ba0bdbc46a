//! Credentials, keyed by the host containerd actually contacts (spec §5). Secrets that an opened project file takes
//! from an environment variable stay so until the user chooses to type a value.

use std::rc::Rc;

use ccb_core::edit::{CredentialField, Edit, MethodKind};
use ccb_core::model::{AuthMethod, Secret};
use ccb_core::net::DOCKER_HUB_HOST;
use yew::prelude::*;

use crate::widgets::{focus_soon, list_sep, ParsedField, remove_button};
use crate::fields::{field_id, use_ctx, CheckField, FieldMessages, SelectField, TextField};
use crate::i18n::{t, tf};
use crate::state::edit;

#[derive(Properties, PartialEq)]
pub struct SecretProps {
    pub path: AttrValue,
    pub label: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    pub value: Secret,
    pub on_input: Callback<Secret>,
}

/// A password-type input for a secret, or, while the secret names an environment variable (a project file kept
/// in git), a read-only line saying so and a button to type a value instead.
#[function_component(SecretField)]
pub fn secret_field(p: &SecretProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    match &p.value {
        Secret::Literal(v) => {
            let cb = p.on_input.clone();
            html! {
                <TextField path={p.path.clone()} label={p.label.clone()} hint={p.hint.clone()} value={v.clone()} secret=true
                    on_input={Callback::from(move |v: String| cb.emit(Secret::Literal(v)))} />
            }
        }
        Secret::FromEnv(e) => {
            let id = field_id(&p.path);
            let replace = {
                let cb = p.on_input.clone();
                let id = id.clone();
                Callback::from(move |_| {
                    cb.emit(Secret::Literal(String::new()));
                    focus_soon(id.clone());
                })
            };
            let worst = ctx.diagnostics_at(&p.path).map(|d| d.severity).max();
            let hint = p.hint.as_ref().map(|h| html! { <span class="hint">{ t(lang, h) }</span> });
            html! {
                <div class={classes!("field", worst.map(crate::fields::severity_class))}>
                    <label for={id.clone()}>{ t(lang, &p.label) }{ hint }</label>
                    <input id={id.clone()} type="text" readonly=true value={tf(lang, "auth.from_env", &[("name", &e.env)])}
                        aria-describedby={worst.map(|_| format!("{id}-msgs"))} />
                    <button type="button" class="small" id={format!("{id}-replace")} onclick={replace}>{ t(lang, "auth.replace_env") }</button>
                    <FieldMessages path={p.path.clone()} />
                </div>
            }
        }
    }
}

#[derive(Properties, PartialEq)]
struct CredProps {
    i: usize,
    hosts: Rc<Vec<String>>,
}

#[function_component(CredentialCard)]
fn credential_card(p: &CredProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let i = p.i;
    let Some(c) = ctx.project.auth.get(i).cloned() else { return html! {} };
    let base = format!("auth[{i}]");
    let mp = format!("{base}.method");
    let set = {
        let ctx = ctx.clone();
        move |field: CredentialField| edit(&ctx, Edit::SetCredential { credential: i, field })
    };
    let on_host = {
        let set = set.clone();
        Callback::from(move |v: String| set(CredentialField::Host(v)))
    };
    let on_method = {
        let set = set.clone();
        Callback::from(move |v: String| {
            if let Some(kind) = MethodKind::from_key(&v) {
                set(CredentialField::Method(kind));
            }
        })
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| edit(&ctx, Edit::RemoveCredential { credential: i }))
    };
    // Sets the secret of the current method, whatever it is called there.
    let on_secret = {
        let set = set.clone();
        Callback::from(move |s: Secret| set(CredentialField::Secret(s)))
    };
    let method_fields = match &c.method {
        AuthMethod::Basic { username, password, encode_as_auth } => {
            let on_user = {
                let set = set.clone();
                Callback::from(move |v: String| set(CredentialField::Username(v)))
            };
            let on_encode = Callback::from(move |v: bool| set(CredentialField::EncodeAsAuth(v)));
            html! {
                <>
                    <div class="row">
                        <TextField path={format!("{mp}.username")} label="auth.username" value={username.clone()} placeholder="robot$pull" on_input={on_user} />
                        <SecretField path={format!("{mp}.password")} label="auth.password" value={password.clone()} on_input={on_secret} />
                    </div>
                    <CheckField path={format!("{mp}.encode_as_auth")} label="auth.encode" hint="auth.encode_hint" checked={*encode_as_auth} on_change={on_encode} />
                </>
            }
        }
        AuthMethod::Auth { auth } => html! {
            <SecretField path={format!("{mp}.auth")} label="auth.auth_value" hint="auth.auth_value_hint" value={auth.clone()} on_input={on_secret} />
        },
        AuthMethod::IdentityToken { token } => html! {
            <SecretField path={format!("{mp}.token")} label="auth.token" hint="auth.token_hint" value={token.clone()} on_input={on_secret} />
        },
    };
    let methods = [("basic", "auth.method.basic"), ("auth", "auth.method.auth"), ("identity_token", "auth.method.identity_token")]
        .map(|(v, k)| (AttrValue::from(v), AttrValue::from(k)))
        .to_vec();
    let title = if c.host.trim().is_empty() { t(lang, "auth.unnamed").to_string() } else { c.host.trim().to_string() };
    let remove_label = tf(lang, "auth.remove", &[("host", &title)]);
    html! {
        <section class="card" aria-label={title.clone()}>
            <div class="card-head">
                <h3>{ title }</h3>
                <span class="spacer"></span>
                { remove_button(&base, &remove_label, remove) }
            </div>
            <ParsedField path={format!("{base}.host")} label="auth.host" hint="auth.host_hint" value={c.host.clone()}
                normalize={Callback::from(Some)} on_input={on_host} placeholder={DOCKER_HUB_HOST}
                suggestions={p.hosts.iter().map(|h| AttrValue::from(h.clone())).collect::<Vec<_>>()} />
            <SelectField path={format!("{mp}.type")} label="auth.method" value={MethodKind::of(&c.method).key()} options={methods} on_change={on_method} />
            { method_fields }
            <FieldMessages path={mp.clone()} />
            <FieldMessages path={base.clone()} />
        </section>
    }
}

#[function_component(AuthSection)]
pub fn section() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    // The bundle's plan, already computed for the preview: planning again here cost a third plan per keystroke.
    let hosts = Rc::new(ctx.rendered.plan.contacted_hosts());
    let add = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            let i = ctx.project.auth.len();
            edit(&ctx, Edit::AddCredential);
            focus_soon(field_id(&format!("auth[{i}].host")));
        })
    };
    let n = ctx.project.auth.len();
    html! {
        <div class="section-body">
            <p class="intro">{ t(lang, "auth.intro") }</p>
            <p class="note">{ t(lang, "auth.key_note") }{ " " }
                <span class="muted">{ tf(lang, "auth.contacted", &[("hosts", &hosts.join(list_sep(lang)))]) }</span>
            </p>
            <div id={field_id("auth")} tabindex="-1" role="group" aria-label={t(lang, "section.auth")}>
                { for (0..n).map(|i| html! { <CredentialCard key={i} {i} hosts={Rc::clone(&hosts)} /> }) }
                <FieldMessages path="auth" />
            </div>
            if n == 0 {
                <p class="note">{ t(lang, "auth.plaintext_note") }</p>
            }
            <button type="button" class="primary" id={format!("{}-add", field_id("auth"))} onclick={add}>{ t(lang, "auth.add") }</button>
        </div>
    }
}
