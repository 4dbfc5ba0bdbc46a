//! Credentials, keyed by the host containerd actually contacts (spec §5). Secrets that an opened project file takes
//! from an environment variable stay so until the user chooses to type a value.

use ccb_core::edit::{CredentialField, Edit, MethodKind};
use ccb_core::model::AuthMethod;
use ccb_core::net::DOCKER_HUB_HOST;
use yew::prelude::*;

use crate::fields::{button, check_field, field_id, field_messages, on_add, para, select_field, suffixed, Ctx, div};
use crate::i18n::{t, tf};
use crate::state::edit;
use crate::widgets::rows::{item_parsed, ItemParsed, item_text, on_value_at, path_at, ItemText};
use crate::widgets::secret::secret_field;
use crate::widgets::{intro, list_sep, on_click_edit, remove_button};

static HOST: ItemParsed = ItemParsed { hint: Some("auth.host_hint"), ..ItemParsed::plain(".host", "auth.host", DOCKER_HUB_HOST) };
static USERNAME: ItemText = ItemText::plain(".username", "auth.username", "robot$pull");

/// (value, i18n key) of the auth methods; the values are `MethodKind::key`.
const METHODS: [(&str, &str); 3] = [("basic", "auth.method.basic"), ("auth", "auth.method.auth"), ("identity_token", "auth.method.identity_token")];

/// Credential `i`; `hosts` are the hosts containerd contacts (the host field's suggestions).
fn credential_card(ctx: &Ctx, i: usize, hosts: &[AttrValue]) -> Html {
    let lang = ctx.lang;
    let Some(c) = ctx.project.auth.get(i) else { return html! {} };
    let base = path_at("auth[", i, "]");
    let mp = suffixed(&base, ".method");
    let on_method = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| {
            if let Some(kind) = MethodKind::from_key(&v) {
                edit(&ctx, Edit::SetCredential { credential: i, field: CredentialField::Method(kind) });
            }
        })
    };
    let remove = on_click_edit(ctx, Edit::RemoveCredential { credential: i });
    // Sets the secret of the current method, whatever it is called there.
    let on_secret = on_value_at(ctx, i, |credential, s| Edit::SetCredential { credential, field: CredentialField::Secret(s) });
    let method_fields = match &c.method {
        AuthMethod::Basic { username, password, encode_as_auth } => {
            let on_encode = on_value_at(ctx, i, |credential, v| Edit::SetCredential { credential, field: CredentialField::EncodeAsAuth(v) });
            html! {
                <>
                    { div("row", html! { <>
                        { item_text(ctx, &mp, &USERNAME, username.clone(), on_value_at(ctx, i, |credential, v| Edit::SetCredential { credential, field: CredentialField::Username(v) })) }
                        { secret_field(ctx, suffixed(&mp, ".password"), "auth.password", None, password, on_secret) }
                    </> }) }
                    { check_field(ctx, &suffixed(&mp, ".encode_as_auth"), "auth.encode", "auth.encode_hint", *encode_as_auth, on_encode) }
                </>
            }
        }
        AuthMethod::Auth { auth } => secret_field(ctx, suffixed(&mp, ".auth"), "auth.auth_value", Some("auth.auth_value_hint"), auth, on_secret),
        AuthMethod::IdentityToken { token } => secret_field(ctx, suffixed(&mp, ".token"), "auth.token", Some("auth.token_hint"), token, on_secret),
    };
    let title = if c.host.trim().is_empty() { t(lang, "auth.unnamed").to_string() } else { c.host.trim().to_string() };
    let remove_label = tf(lang, "auth.remove", &[("host", &title)]);
    let title = AttrValue::from(title);
    html! {
        <section class="card" aria-label={title.clone()} key={i}>
            <div class="card-head">
                <h3>{ title }</h3>
                <span class="spacer"></span>
                { remove_button(&base, &remove_label, remove) }
            </div>
            { item_parsed(&base, &HOST, c.host.clone(), hosts.to_vec(), on_value_at(ctx, i, |credential, v| Edit::SetCredential { credential, field: CredentialField::Host(v) })) }
            { select_field(ctx, &suffixed(&mp, ".type"), "auth.method", None, MethodKind::of(&c.method).key(), &METHODS, on_method) }
            { method_fields }
            { field_messages(ctx, &mp) }
            { field_messages(ctx, &base) }
        </section>
    }
}

pub fn section(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    // The bundle's plan, already computed for the preview: planning again here cost a third plan per keystroke.
    let hosts = ctx.rendered.plan.contacted_hosts();
    let suggestions: Vec<AttrValue> = hosts.iter().map(|h| AttrValue::from(h.clone())).collect();
    let n = ctx.project.auth.len();
    let add = on_add(ctx, Edit::AddCredential, &path_at("auth[", n, "].host"));
    let mut cards = Vec::with_capacity(n);
    for i in 0..n {
        cards.push(credential_card(ctx, i, &suggestions));
    }
    html! {
        <>
            { intro(lang, "auth.intro") }
            <p class="note">{ t(lang, "auth.key_note") }{ " " }
                <span class="muted">{ tf(lang, "auth.contacted", &[("hosts", &hosts.join(list_sep(lang)))]) }</span>
            </p>
            <div id={field_id("auth")} tabindex="-1" role="group" aria-label={t(lang, "section.auth")}>
                { for cards }
                { field_messages(ctx, "auth") }
            </div>
            if n == 0 {
                { para("note", "", t(lang, "auth.plaintext_note").into()) }
            }
            { button("f-auth-add".into(), "primary", t(lang, "auth.add"), false, add) }
        </>
    }
}
