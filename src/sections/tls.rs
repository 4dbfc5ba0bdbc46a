//! TLS: one block per host containerd talks TLS to — every registry endpoint, Harbor and the air-gap registry —
//! with extra CA certificates (a path on the node, or PEM text shipped in the bundle), client certificates for
//! mutual TLS, and skip_verify.

use ccb_core::edit::{CaField, CaKind, ClientField, ClientKind, Edit, TlsOwner as Owner};
use ccb_core::model::{CaCert, ClientCert};
use yew::prelude::*;

use crate::fields::{field_id, use_ctx, CheckField, FieldMessages, SelectField, TextField};
use crate::i18n::{t, tf};
use crate::state::{edit, Action, Section};
use crate::widgets::{focus_soon, remove_button};

/// A file name from an uploaded file's name: its stem, with what cannot be in a name replaced.
fn name_from_file(file: &str) -> String {
    let stem = file.rsplit_once('.').map(|(s, _)| s).filter(|s| !s.is_empty()).unwrap_or(file);
    stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' { c } else { '_' }).collect()
}

#[derive(Properties, PartialEq)]
struct CaProps {
    owner: Owner,
    k: usize,
}

#[function_component(CaItem)]
fn ca_item(p: &CaProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let (owner, k) = (p.owner, p.k);
    let Some(ca) = owner.tls(&ctx.project).and_then(|t| t.ca.get(k)).cloned() else { return html! {} };
    let cp = format!("{}.ca[{k}]", owner.path());
    let set = {
        let ctx = ctx.clone();
        move |field: CaField| edit(&ctx, Edit::SetCa { owner, ca: k, field })
    };
    let on_type = {
        let set = set.clone();
        Callback::from(move |v: String| set(CaField::Kind(if v == "pem" { CaKind::Pem } else { CaKind::Path })))
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| edit(&ctx, Edit::RemoveCa { owner, ca: k }))
    };
    let types = [("path", "tls.ca.path"), ("pem", "tls.ca.pem")].map(|(v, k)| (AttrValue::from(v), AttrValue::from(k))).to_vec();
    let fields = match &ca {
        CaCert::Path(v) => {
            let set = set.clone();
            let on_path = Callback::from(move |v: String| set(CaField::Path(v)));
            html! { <TextField path={cp.clone()} label="tls.ca.path_label" hint="tls.ca.path_hint" value={v.clone()} placeholder="/etc/pki/tls/certs/registry-ca.crt" on_input={on_path} /> }
        }
        CaCert::Pem { name, pem } => {
            let on_name = {
                let set = set.clone();
                Callback::from(move |v: String| set(CaField::Name(v)))
            };
            let on_pem = {
                let set = set.clone();
                Callback::from(move |v: String| set(CaField::Pem(v)))
            };
            let file_id = format!("{}-file", field_id(&cp));
            let on_file = {
                let set = set.clone();
                Callback::from(move |e: Event| {
                    use wasm_bindgen::JsCast;
                    let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
                    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
                    input.set_value("");
                    let file_name = file.name();
                    let set = set.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let blob = gloo_file::Blob::from(file);
                        if let Ok(pem) = gloo_file::futures::read_as_text(&blob).await {
                            set(CaField::Loaded { name: name_from_file(&file_name), pem });
                        }
                    });
                })
            };
            html! {
                <>
                    <TextField path={format!("{cp}.name")} label="tls.ca.name" hint="tls.ca.name_hint" value={name.clone()} placeholder="registry-ca" on_input={on_name} />
                    <TextField path={format!("{cp}.pem")} label="tls.ca.pem_label" hint="tls.ca.pem_hint" value={pem.clone()} multiline=true
                        placeholder="-----BEGIN CERTIFICATE-----" on_input={on_pem} />
                    <div class="field">
                        <label for={file_id.clone()}>{ t(lang, "tls.ca.load") }</label>
                        <input id={file_id} type="file" accept=".crt,.pem,.cer,text/plain,application/x-pem-file" onchange={on_file} />
                    </div>
                </>
            }
        }
    };
    let kind = match &ca {
        CaCert::Path(_) => "path",
        CaCert::Pem { .. } => "pem",
    };
    let label = tf(lang, "tls.ca.remove", &[("n", &(k + 1).to_string())]);
    html! {
        <li class="card">
            <div class="card-head">
                <span>{ tf(lang, "tls.ca.n", &[("n", &(k + 1).to_string())]) }</span>
                <span class="spacer"></span>
                { remove_button(&cp, &label, remove) }
            </div>
            <SelectField path={format!("{cp}.type")} label="tls.ca.kind" value={kind} options={types} on_change={on_type} />
            { fields }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct ClientProps {
    owner: Owner,
    k: usize,
}

#[function_component(ClientItem)]
fn client_item(p: &ClientProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let (owner, k) = (p.owner, p.k);
    let Some(cert) = owner.tls(&ctx.project).and_then(|t| t.client.get(k)).cloned() else { return html! {} };
    let cp = format!("{}.client[{k}]", owner.path());
    let set = {
        let ctx = ctx.clone();
        move |field: ClientField| edit(&ctx, Edit::SetClientCert { owner, cert: k, field })
    };
    let on_type = {
        let set = set.clone();
        Callback::from(move |v: String| set(ClientField::Kind(if v == "pair" { ClientKind::Pair } else { ClientKind::Combined })))
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| edit(&ctx, Edit::RemoveClientCert { owner, cert: k }))
    };
    let types = [("combined", "tls.client.combined"), ("pair", "tls.client.pair")].map(|(v, k)| (AttrValue::from(v), AttrValue::from(k))).to_vec();
    let fields = match &cert {
        ClientCert::Combined(v) => {
            let on_path = Callback::from(move |v: String| set(ClientField::Combined(v)));
            html! { <TextField path={cp.clone()} label="tls.client.combined_label" hint="tls.client.combined_hint" value={v.clone()} placeholder="/etc/containerd/certs/client.pem" on_input={on_path} /> }
        }
        ClientCert::Pair { cert, key } => {
            let on_cert = {
                let set = set.clone();
                Callback::from(move |v: String| set(ClientField::Cert(v)))
            };
            let on_key = Callback::from(move |v: String| set(ClientField::Key(v)));
            html! {
                <div class="row">
                    <TextField path={format!("{cp}.cert")} label="tls.client.cert" value={cert.clone()} placeholder="/etc/containerd/certs/client.crt" on_input={on_cert} />
                    <TextField path={format!("{cp}.key")} label="tls.client.key" value={key.clone()} placeholder="/etc/containerd/certs/client.key" on_input={on_key} />
                </div>
            }
        }
    };
    let kind = match &cert {
        ClientCert::Combined(_) => "combined",
        ClientCert::Pair { .. } => "pair",
    };
    let label = tf(lang, "tls.client.remove", &[("n", &(k + 1).to_string())]);
    html! {
        <li class="card">
            <div class="card-head">
                <span>{ tf(lang, "tls.client.n", &[("n", &(k + 1).to_string())]) }</span>
                <span class="spacer"></span>
                { remove_button(&cp, &label, remove) }
            </div>
            <SelectField path={format!("{cp}.type")} label="tls.client.kind" value={kind} options={types} on_change={on_type} />
            { fields }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct BlockProps {
    owner: Owner,
}

#[function_component(TlsBlock)]
fn tls_block(p: &BlockProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let owner = p.owner;
    let Some(tls) = owner.tls(&ctx.project).cloned() else { return html! {} };
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
        let ctx = ctx.clone();
        let k = tls.ca.len();
        let cp = format!("{path}.ca[{k}]");
        Callback::from(move |_| {
            edit(&ctx, Edit::AddCa { owner, kind: if pem { CaKind::Pem } else { CaKind::Path } });
            focus_soon(field_id(&if pem { format!("{cp}.pem") } else { cp.clone() }));
        })
    };
    let add_client = {
        let ctx = ctx.clone();
        let k = tls.client.len();
        let cp = format!("{path}.client[{k}]");
        Callback::from(move |_| {
            edit(&ctx, Edit::AddClientCert { owner });
            focus_soon(field_id(&cp));
        })
    };
    let on_skip = {
        let ctx = ctx.clone();
        Callback::from(move |value: bool| edit(&ctx, Edit::SetSkipVerify { owner, value }))
    };
    let title_id = format!("{id}-title");
    let ca_list = field_id(&format!("{path}.ca"));
    let client_list = field_id(&format!("{path}.client"));
    html! {
        <section class="card" id={id.clone()} tabindex="-1" aria-labelledby={title_id.clone()}>
            <div class="card-head">
                <h3 id={title_id}><code>{ title }</code></h3>
                <span class="spacer"></span>
                <span class="muted small">{ subtitle }</span>
            </div>
            <FieldMessages path={path.clone()} />
            <fieldset class="headers" id={ca_list.clone()}>
                <legend>{ t(lang, "tls.ca.title") }</legend>
                <p class="hint">{ t(lang, "tls.ca.hint") }</p>
                if !tls.ca.is_empty() {
                    <ol class="endpoints">{ for (0..tls.ca.len()).map(|k| html! { <CaItem key={k} {owner} {k} /> }) }</ol>
                }
                <button type="button" class="small" id={format!("{ca_list}-add-path")} onclick={add_ca(false)}>{ t(lang, "tls.ca.add_path") }</button>
                { " " }
                <button type="button" class="small" id={format!("{ca_list}-add-pem")} onclick={add_ca(true)}>{ t(lang, "tls.ca.add_pem") }</button>
            </fieldset>
            <fieldset class="headers" id={client_list.clone()}>
                <legend>{ t(lang, "tls.client.title") }</legend>
                <p class="hint">{ t(lang, "tls.client.hint") }</p>
                if !tls.client.is_empty() {
                    <ol class="endpoints">{ for (0..tls.client.len()).map(|k| html! { <ClientItem key={k} {owner} {k} /> }) }</ol>
                }
                <button type="button" class="small" id={format!("{client_list}-add")} onclick={add_client}>{ t(lang, "tls.client.add") }</button>
            </fieldset>
            <CheckField path={format!("{path}.skip_verify")} label="tls.skip_verify" hint="tls.skip_verify_hint" checked={tls.skip_verify} on_change={on_skip} />
        </section>
    }
}

#[function_component(TlsSection)]
pub fn section() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let blocks = Owner::all(&ctx.project);
    let go = |s: Section| {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.dispatch(Action::SetSection(s)))
    };
    html! {
        <div class="section-body">
            <p class="intro">{ t(lang, "tls.intro") }</p>
            if blocks.is_empty() {
                <p class="note" id="tls-empty">
                    { t(lang, "tls.empty") }{ " " }
                    <button type="button" class="link" onclick={go(Section::Registries)}>{ t(lang, "section.registries") }</button>
                    { " · " }
                    <button type="button" class="link" onclick={go(Section::Harbor)}>{ t(lang, "section.harbor") }</button>
                    { " · " }
                    <button type="button" class="link" onclick={go(Section::AirGap)}>{ t(lang, "section.airgap") }</button>
                </p>
            }
            { for blocks.into_iter().map(|owner| html! { <TlsBlock key={owner.path()} {owner} /> }) }
        </div>
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
