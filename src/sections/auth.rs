//! Credentials, keyed by the host containerd actually contacts (spec §5). Secrets that an opened project file takes
//! from an environment variable stay so until the user chooses to type a value.

use std::rc::Rc;

use ccb_core::model::{AuthMethod, Credential, Project, Secret};
use ccb_core::net::DOCKER_HUB_HOST;
use ccb_core::secrets::{basic_auth, decode_auth};
use yew::prelude::*;

use super::target::{focus_soon, list_sep, ParsedField};
use crate::fields::{field_id, use_ctx, CheckField, FieldMessages, SelectField, TextField};
use crate::i18n::{t, tf};
use crate::state::edit;

fn method_key(m: &AuthMethod) -> &'static str {
    match m {
        AuthMethod::Basic { .. } => "basic",
        AuthMethod::Auth { .. } => "auth",
        AuthMethod::IdentityToken { .. } => "identity_token",
    }
}

/// The method after choosing `key`, carrying over what can be carried: user + password ⇄ `auth` value.
fn convert(m: &AuthMethod, key: &str) -> AuthMethod {
    match (m, key) {
        (m, k) if method_key(m) == k => m.clone(),
        (AuthMethod::Auth { auth: Secret::Literal(a) }, "basic") => match decode_auth(a) {
            Ok((username, password)) => AuthMethod::Basic { username, password: Secret::Literal(password), encode_as_auth: true },
            Err(_) => AuthMethod::Basic { username: String::new(), password: Secret::default(), encode_as_auth: true },
        },
        (_, "basic") => AuthMethod::Basic { username: String::new(), password: Secret::default(), encode_as_auth: false },
        (AuthMethod::Basic { username, password: Secret::Literal(pw), .. }, "auth") if !username.is_empty() && !pw.is_empty() => {
            AuthMethod::Auth { auth: Secret::Literal(basic_auth(username, pw)) }
        }
        (_, "auth") => AuthMethod::Auth { auth: Secret::default() },
        _ => AuthMethod::IdentityToken { token: Secret::default() },
    }
}

fn cred_mut(p: &mut Project, i: usize) -> Option<&mut Credential> {
    p.auth.get_mut(i)
}

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
    let on_host = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| edit(&ctx, format!("auth[{i}].host"), move |p| {
            if let Some(c) = cred_mut(p, i) {
                c.host = v.clone();
            }
        }))
    };
    let on_method = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| edit(&ctx, format!("auth[{i}].method.type"), move |p| {
            if let Some(c) = cred_mut(p, i) {
                c.method = convert(&c.method, &v);
            }
        }))
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| edit(&ctx, format!("remove auth[{i}]"), move |p| {
            if i < p.auth.len() {
                p.auth.remove(i);
            }
        }))
    };
    // One callback per secret slot: sets the secret of the current method, whatever it is called there.
    let on_secret = {
        let ctx = ctx.clone();
        let key = match &c.method {
            AuthMethod::Basic { .. } => format!("{mp}.password"),
            AuthMethod::Auth { .. } => format!("{mp}.auth"),
            AuthMethod::IdentityToken { .. } => format!("{mp}.token"),
        };
        Callback::from(move |s: Secret| {
            edit(&ctx, key.clone(), move |p| {
                if let Some(c) = cred_mut(p, i) {
                    match &mut c.method {
                        AuthMethod::Basic { password, .. } => *password = s.clone(),
                        AuthMethod::Auth { auth } => *auth = s.clone(),
                        AuthMethod::IdentityToken { token } => *token = s.clone(),
                    }
                }
            })
        })
    };
    let method_fields = match &c.method {
        AuthMethod::Basic { username, password, encode_as_auth } => {
            let on_user = {
                let ctx = ctx.clone();
                Callback::from(move |v: String| edit(&ctx, format!("auth[{i}].method.username"), move |p| {
                    if let Some(AuthMethod::Basic { username, .. }) = cred_mut(p, i).map(|c| &mut c.method) {
                        *username = v.clone();
                    }
                }))
            };
            let on_encode = {
                let ctx = ctx.clone();
                Callback::from(move |v: bool| edit(&ctx, format!("auth[{i}].method.encode_as_auth"), move |p| {
                    if let Some(AuthMethod::Basic { encode_as_auth, .. }) = cred_mut(p, i).map(|c| &mut c.method) {
                        *encode_as_auth = v;
                    }
                }))
            };
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
                <button type="button" class="icon danger" id={format!("{}-remove", field_id(&base))} onclick={remove}
                    aria-label={remove_label.clone()} title={remove_label}>{ "✕" }</button>
            </div>
            <ParsedField path={format!("{base}.host")} label="auth.host" hint="auth.host_hint" value={c.host.clone()}
                normalize={Callback::from(Some)} on_input={on_host} placeholder={DOCKER_HUB_HOST}
                suggestions={p.hosts.iter().map(|h| AttrValue::from(h.clone())).collect::<Vec<_>>()} />
            <SelectField path={format!("{mp}.type")} label="auth.method" value={method_key(&c.method)} options={methods} on_change={on_method} />
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
            edit(&ctx, "add auth", |p| {
                p.auth.push(Credential {
                    host: String::new(),
                    method: AuthMethod::Basic { username: String::new(), password: Secret::default(), encode_as_auth: false },
                });
            });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_methods_carries_the_credentials_over() {
        let basic = AuthMethod::Basic { username: "robot$pull".into(), password: Secret::literal("s3cr3t"), encode_as_auth: false };
        let auth = convert(&basic, "auth");
        assert_eq!(auth, AuthMethod::Auth { auth: Secret::literal("cm9ib3QkcHVsbDpzM2NyM3Q=") });
        match convert(&auth, "basic") {
            AuthMethod::Basic { username, password, encode_as_auth } => {
                assert_eq!((username.as_str(), password, encode_as_auth), ("robot$pull", Secret::literal("s3cr3t"), true));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(convert(&basic, "identity_token"), AuthMethod::IdentityToken { token: Secret::default() });
        assert_eq!(convert(&basic, "basic"), basic);
    }
}
