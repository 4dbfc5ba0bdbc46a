//! TLS: one block per host containerd talks TLS to — every registry endpoint, Harbor and the air-gap registry —
//! with extra CA certificates (a path on the node, or PEM text shipped in the bundle), client certificates for
//! mutual TLS, and skip_verify.

use ccb_core::edit::{CaField, CaKind, ClientField, ClientKind, Edit, TlsOwner as Owner};
use ccb_core::model::{CaCert, ClientCert};
use yew::prelude::*;

use crate::fields::{button, check_field, field_id, field_messages, on_add, para, select_field, suffixed, Ctx, div};
use crate::i18n::{t, tf};
use crate::state::{edit, Section};
use crate::widgets::rows::{item_text, on_value_at, path_at, ItemText};
use crate::widgets::{intro, on_click_edit, remove_button, section_link};

/// (value, i18n key) of the two ways to give a CA.
const CA_TYPES: [(&str, &str); 2] = [("path", "tls.ca.path"), ("pem", "tls.ca.pem")];
/// (value, i18n key) of the two ways to give a client certificate.
const CLIENT_TYPES: [(&str, &str); 2] = [("combined", "tls.client.combined"), ("pair", "tls.client.pair")];

static CA_PATH: ItemText = ItemText { hint: Some("tls.ca.path_hint"), ..ItemText::plain("", "tls.ca.path_label", "/etc/pki/tls/certs/registry-ca.crt") };
static CA_NAME: ItemText = ItemText { hint: Some("tls.ca.name_hint"), ..ItemText::plain(".name", "tls.ca.name", "registry-ca") };
static CA_PEM: ItemText =
    ItemText { hint: Some("tls.ca.pem_hint"), multiline: true, ..ItemText::plain(".pem", "tls.ca.pem_label", "-----BEGIN CERTIFICATE-----") };
static CLIENT_COMBINED: ItemText =
    ItemText { hint: Some("tls.client.combined_hint"), ..ItemText::plain("", "tls.client.combined_label", "/etc/containerd/certs/client.pem") };
static CLIENT_CERT: ItemText = ItemText::plain(".cert", "tls.client.cert", "/etc/containerd/certs/client.crt");
static CLIENT_KEY: ItemText = ItemText::plain(".key", "tls.client.key", "/etc/containerd/certs/client.key");

/// A file name from an uploaded file's name: its stem, with what cannot be in a name replaced.
fn name_from_file(file: &str) -> String {
    let stem = file.rsplit_once('.').map(|(s, _)| s).filter(|s| !s.is_empty()).unwrap_or(file);
    stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' { c } else { '_' }).collect()
}

/// CA `k` of `owner` (keyed by `k`).
fn ca_item(ctx: &Ctx, owner: Owner, path: &str, k: usize, ca: &CaCert) -> Html {
    let lang = ctx.lang;
    let cp = path_at(&suffixed(path, ".ca["), k, "]");
    let set = {
        let ctx = ctx.clone();
        move |field: CaField| edit(&ctx, Edit::SetCa { owner, ca: k, field })
    };
    let on_type = on_value_at(ctx, (owner, k), |(owner, ca), v: String| Edit::SetCa { owner, ca, field: CaField::Kind(if v == "pem" { CaKind::Pem } else { CaKind::Path }) });
    let remove = on_click_edit(ctx, Edit::RemoveCa { owner, ca: k });
    let fields = match ca {
        CaCert::Path(v) => {
            let on_path = on_value_at(ctx, (owner, k), |(owner, ca), v| Edit::SetCa { owner, ca, field: CaField::Path(v) });
            item_text(ctx, &cp, &CA_PATH, v.clone(), on_path)
        }
        CaCert::Pem { name, pem } => {
            let on_name = on_value_at(ctx, (owner, k), |(owner, ca), v| Edit::SetCa { owner, ca, field: CaField::Name(v) });
            let on_pem = on_value_at(ctx, (owner, k), |(owner, ca), v| Edit::SetCa { owner, ca, field: CaField::Pem(v) });
            let file_id = AttrValue::from(suffixed(&field_id(&cp), "-file"));
            let on_file = {
                Callback::from(move |e: Event| {
                    use wasm_bindgen::JsCast;
                    let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
                    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
                    input.set_value("");
                    let file_name = file.name();
                    let set = set.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Ok(pem) = crate::browser::main_only::read_text(file).await {
                            set(CaField::Loaded { name: name_from_file(&file_name), pem });
                        }
                    });
                })
            };
            html! {
                <>
                    { item_text(ctx, &cp, &CA_NAME, name.clone(), on_name) }
                    { item_text(ctx, &cp, &CA_PEM, pem.clone(), on_pem) }
                    <div class="field">
                        <label for={file_id.clone()}>{ t(lang, "tls.ca.load") }</label>
                        <input id={file_id} type="file" accept=".crt,.pem,.cer,text/plain,application/x-pem-file" onchange={on_file} />
                    </div>
                </>
            }
        }
    };
    let kind = match ca {
        CaCert::Path(_) => "path",
        CaCert::Pem { .. } => "pem",
    };
    let type_field = select_field(ctx, &suffixed(&cp, ".type"), "tls.ca.kind", None, kind, &CA_TYPES, on_type);
    item_card(ctx, k, &cp, "tls.ca.n", "tls.ca.remove", remove, type_field, fields)
}

/// A CA or client certificate as a card (keyed by `k`): "CA n" / "Client certificate n" (`title_key`), its
/// remove button (named by `remove_key`), the choice of its kind and the fields of that kind.
#[allow(clippy::too_many_arguments)]
fn item_card(ctx: &Ctx, k: usize, path: &str, title_key: &str, remove_key: &str, remove: Callback<MouseEvent>, type_field: Html, fields: Html) -> Html {
    let lang = ctx.lang;
    let n = (k + 1).to_string();
    html! {
        <li class="card" key={k}>
            <div class="card-head">
                <span>{ tf(lang, title_key, &[("n", &n)]) }</span>
                <span class="spacer"></span>
                { remove_button(path, &tf(lang, remove_key, &[("n", &n)]), remove) }
            </div>
            { type_field }
            { fields }
        </li>
    }
}

/// Client certificate `k` of `owner` (keyed by `k`).
fn client_item(ctx: &Ctx, owner: Owner, path: &str, k: usize, cert: &ClientCert) -> Html {
    let cp = path_at(&suffixed(path, ".client["), k, "]");
    let on_type = on_value_at(ctx, (owner, k), |(owner, cert), v: String| Edit::SetClientCert { owner, cert, field: ClientField::Kind(if v == "pair" { ClientKind::Pair } else { ClientKind::Combined }) });
    let remove = on_click_edit(ctx, Edit::RemoveClientCert { owner, cert: k });
    let fields = match cert {
        ClientCert::Combined(v) => {
            let on_path = on_value_at(ctx, (owner, k), |(owner, cert), v| Edit::SetClientCert { owner, cert, field: ClientField::Combined(v) });
            item_text(ctx, &cp, &CLIENT_COMBINED, v.clone(), on_path)
        }
        ClientCert::Pair { cert, key } => {
            let on_cert = on_value_at(ctx, (owner, k), |(owner, cert), v| Edit::SetClientCert { owner, cert, field: ClientField::Cert(v) });
            let on_key = on_value_at(ctx, (owner, k), |(owner, cert), v| Edit::SetClientCert { owner, cert, field: ClientField::Key(v) });
            html! {
                { div("row", html! { <>
                    { item_text(ctx, &cp, &CLIENT_CERT, cert.clone(), on_cert) }
                    { item_text(ctx, &cp, &CLIENT_KEY, key.clone(), on_key) }
                </> }) }
            }
        }
    };
    let kind = match cert {
        ClientCert::Combined(_) => "combined",
        ClientCert::Pair { .. } => "pair",
    };
    let type_field = select_field(ctx, &suffixed(&cp, ".type"), "tls.client.kind", None, kind, &CLIENT_TYPES, on_type);
    item_card(ctx, k, &cp, "tls.client.n", "tls.client.remove", remove, type_field, fields)
}

/// The TLS settings of one host (keyed by its field path).
fn tls_block(ctx: &Ctx, owner: Owner) -> Html {
    let lang = ctx.lang;
    let Some(tls) = owner.tls(&ctx.project) else { return html! {} };
    let path = owner.path();
    let id = field_id(&path);
    let url = owner.url(&ctx.project);
    let title = if url.is_empty() { t(lang, "tls.no_url").to_string() } else { url.clone() };
    let subtitle = match owner {
        Owner::Endpoint { registry: i, endpoint: j } => {
            let up = ctx.project.registries.get(i).map(|r| r.upstream.trim().to_string()).unwrap_or_default();
            let up = if up.is_empty() { t(lang, "registries.unnamed").to_string() } else { up };
            tf(lang, "tls.of_endpoint", &[("registry", &up), ("n", &(j + 1).to_string())])
        }
        Owner::Harbor => t(lang, "tls.of_harbor").to_string(),
        Owner::AirGap => t(lang, "tls.of_airgap").to_string(),
    };
    let add_ca = |pem: bool| {
        let (kind, tail) = if pem { (CaKind::Pem, "].pem") } else { (CaKind::Path, "]") };
        on_add(ctx, Edit::AddCa { owner, kind }, &path_at(&suffixed(&path, ".ca["), tls.ca.len(), tail))
    };
    let add_client = on_add(ctx, Edit::AddClientCert { owner }, &path_at(&suffixed(&path, ".client["), tls.client.len(), "]"));
    let on_skip = on_value_at(ctx, owner, |owner, value| Edit::SetSkipVerify { owner, value });
    let title_id = AttrValue::from(suffixed(&id, "-title"));
    let ca_list = field_id(&suffixed(&path, ".ca"));
    let client_list = field_id(&suffixed(&path, ".client"));
    let mut cas = Vec::with_capacity(tls.ca.len());
    for (k, ca) in tls.ca.iter().enumerate() {
        cas.push(ca_item(ctx, owner, &path, k, ca));
    }
    let mut clients = Vec::with_capacity(tls.client.len());
    for (k, c) in tls.client.iter().enumerate() {
        clients.push(client_item(ctx, owner, &path, k, c));
    }
    html! {
        <section class="card" id={id} tabindex="-1" aria-labelledby={title_id.clone()} key={path.clone()}>
            <div class="card-head">
                <h3 id={title_id}><code>{ title }</code></h3>
                <span class="spacer"></span>
                <span class="muted small">{ subtitle }</span>
            </div>
            { field_messages(ctx, &path) }
            <fieldset class="headers" id={ca_list.clone()}>
                <legend>{ t(lang, "tls.ca.title") }</legend>
                { para("hint", "", t(lang, "tls.ca.hint").into()) }
                if !tls.ca.is_empty() {
                    <ol class="endpoints">{ for cas }</ol>
                }
                { button(suffixed(&ca_list, "-add-path").into(), "small", t(lang, "tls.ca.add_path"), false, add_ca(false)) }
                { " " }
                { button(suffixed(&ca_list, "-add-pem").into(), "small", t(lang, "tls.ca.add_pem"), false, add_ca(true)) }
            </fieldset>
            <fieldset class="headers" id={client_list.clone()}>
                <legend>{ t(lang, "tls.client.title") }</legend>
                { para("hint", "", t(lang, "tls.client.hint").into()) }
                if !tls.client.is_empty() {
                    <ol class="endpoints">{ for clients }</ol>
                }
                { button(suffixed(&client_list, "-add").into(), "small", t(lang, "tls.client.add"), false, add_client) }
            </fieldset>
            { check_field(ctx, &suffixed(&path, ".skip_verify"), "tls.skip_verify", "tls.skip_verify_hint", tls.skip_verify, on_skip) }
        </section>
    }
}

pub fn section(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let owners = Owner::all(&ctx.project);
    let mut blocks = Vec::with_capacity(owners.len());
    for &owner in &owners {
        blocks.push(tls_block(ctx, owner));
    }
    html! {
        <>
            { intro(lang, "tls.intro") }
            if owners.is_empty() {
                <p class="note" id="tls-empty">
                    { t(lang, "tls.empty") }{ " " }
                    { section_link(ctx, Section::Registries, "section.registries") }
                    { " · " }
                    { section_link(ctx, Section::Harbor, "section.harbor") }
                    { " · " }
                    { section_link(ctx, Section::AirGap, "section.airgap") }
                </p>
            }
            { for blocks }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploaded_file_names_become_valid_ca_names() {
        assert_eq!(name_from_file("my ca.crt"), "my_ca");
    }
}
