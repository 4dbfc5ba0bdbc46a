//! TLS: one block per host containerd talks TLS to — every registry endpoint, Harbor and the air-gap registry —
//! with extra CA certificates (a path on the node, or PEM text shipped in the bundle), client certificates for
//! mutual TLS, and skip_verify.

use std::rc::Rc;

use ccb_core::model::{CaCert, ClientCert, Project, Tls};
use yew::prelude::*;

use super::target::focus_soon;
use crate::fields::{field_id, use_ctx, CheckField, FieldMessages, SelectField, TextField};
use crate::i18n::{t, tf};
use crate::state::{edit, Action, Section};

fn count(tls: &Tls) -> usize {
    tls.ca.len() + tls.client.len() + usize::from(tls.skip_verify)
}

/// How many TLS settings the project has (CAs, client certificates, skip_verify), over every endpoint.
pub fn tls_settings_count(p: &Project) -> usize {
    p.registries.iter().flat_map(|r| r.endpoints.iter()).map(|e| count(&e.tls)).sum::<usize>()
        + p.harbor.as_ref().map(|h| count(&h.tls)).unwrap_or(0)
        + p.air_gap.as_ref().map(|a| count(&a.tls)).unwrap_or(0)
}

/// Whose TLS settings a block edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Endpoint(usize, usize),
    Harbor,
    AirGap,
}

impl Owner {
    fn path(self) -> String {
        match self {
            Owner::Endpoint(i, j) => format!("registries[{i}].endpoints[{j}].tls"),
            Owner::Harbor => "harbor.tls".to_string(),
            Owner::AirGap => "air_gap.tls".to_string(),
        }
    }

    fn tls(self, p: &Project) -> Option<&Tls> {
        match self {
            Owner::Endpoint(i, j) => p.registries.get(i)?.endpoints.get(j).map(|e| &e.tls),
            Owner::Harbor => p.harbor.as_ref().map(|h| &h.tls),
            Owner::AirGap => p.air_gap.as_ref().map(|a| &a.tls),
        }
    }

    fn tls_mut(self, p: &mut Project) -> Option<&mut Tls> {
        match self {
            Owner::Endpoint(i, j) => p.registries.get_mut(i)?.endpoints.get_mut(j).map(|e| &mut e.tls),
            Owner::Harbor => p.harbor.as_mut().map(|h| &mut h.tls),
            Owner::AirGap => p.air_gap.as_mut().map(|a| &mut a.tls),
        }
    }

    /// The URL the block is about, as typed.
    fn url(self, p: &Project) -> String {
        match self {
            Owner::Endpoint(i, j) => p.registries.get(i).and_then(|r| r.endpoints.get(j)).map(|e| e.url.trim().to_string()),
            Owner::Harbor => p.harbor.as_ref().map(|h| h.address.trim().to_string()),
            Owner::AirGap => p.air_gap.as_ref().map(|a| a.registry.trim().to_string()),
        }
        .unwrap_or_default()
    }
}

/// Every block the project has, in page order.
pub fn owners(p: &Project) -> Vec<Owner> {
    let mut out: Vec<Owner> = Vec::new();
    for (i, r) in p.registries.iter().enumerate() {
        out.extend((0..r.endpoints.len()).map(|j| Owner::Endpoint(i, j)));
    }
    if p.harbor.is_some() {
        out.push(Owner::Harbor);
    }
    if p.air_gap.is_some() {
        out.push(Owner::AirGap);
    }
    out
}

/// A file name for a pasted CA: from the host of the URL, so two hosts in one directory do not collide.
fn default_ca_name(url: &str, k: usize) -> String {
    let host = ccb_core::net::parse_url(url).ok().map(|u| u.host_port).unwrap_or_default();
    let base: String = host.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect();
    let base = if base.is_empty() { "registry".to_string() } else { base };
    if k == 0 {
        format!("{base}-ca")
    } else {
        format!("{base}-ca{}", k + 1)
    }
}

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
    let url = owner.url(&ctx.project);
    let set = {
        let ctx = ctx.clone();
        move |key: String, f: Rc<dyn Fn(&mut CaCert)>| {
            edit(&ctx, key, move |p| {
                if let Some(c) = owner.tls_mut(p).and_then(|t| t.ca.get_mut(k)) {
                    f(c);
                }
            })
        }
    };
    let on_type = {
        let set = set.clone();
        let url = url.clone();
        let key = format!("{cp}.type");
        Callback::from(move |v: String| {
            let url = url.clone();
            set(key.clone(), Rc::new(move |c: &mut CaCert| {
                *c = match (&*c, v.as_str()) {
                    (CaCert::Path(_), "pem") => CaCert::Pem { name: default_ca_name(&url, k), pem: String::new() },
                    (CaCert::Pem { .. }, "path") => CaCert::Path(String::new()),
                    (c, _) => c.clone(),
                };
            }))
        })
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| edit(&ctx, format!("remove {}.ca[{k}]", owner.path()), move |p| {
            if let Some(t) = owner.tls_mut(p) {
                if k < t.ca.len() {
                    t.ca.remove(k);
                }
            }
        }))
    };
    let types = [("path", "tls.ca.path"), ("pem", "tls.ca.pem")].map(|(v, k)| (AttrValue::from(v), AttrValue::from(k))).to_vec();
    let fields = match &ca {
        CaCert::Path(v) => {
            let set = set.clone();
            let key = cp.clone();
            let on_path = Callback::from(move |v: String| set(key.clone(), Rc::new(move |c: &mut CaCert| *c = CaCert::Path(v.clone()))));
            html! { <TextField path={cp.clone()} label="tls.ca.path_label" hint="tls.ca.path_hint" value={v.clone()} placeholder="/etc/pki/tls/certs/registry-ca.crt" on_input={on_path} /> }
        }
        CaCert::Pem { name, pem } => {
            let on_name = {
                let set = set.clone();
                let key = format!("{cp}.name");
                Callback::from(move |v: String| set(key.clone(), Rc::new(move |c: &mut CaCert| {
                    if let CaCert::Pem { name, .. } = c {
                        *name = v.clone();
                    }
                })))
            };
            let on_pem = {
                let set = set.clone();
                let key = format!("{cp}.pem");
                Callback::from(move |v: String| set(key.clone(), Rc::new(move |c: &mut CaCert| {
                    if let CaCert::Pem { pem, .. } = c {
                        *pem = v.clone();
                    }
                })))
            };
            let file_id = format!("{}-file", field_id(&cp));
            let on_file = {
                let set = set.clone();
                let key = format!("load {cp}");
                Callback::from(move |e: Event| {
                    use wasm_bindgen::JsCast;
                    let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
                    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
                    input.set_value("");
                    let file_name = file.name();
                    let set = set.clone();
                    let key = key.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let blob = gloo_file::Blob::from(file);
                        if let Ok(text) = gloo_file::futures::read_as_text(&blob).await {
                            let name = name_from_file(&file_name);
                            set(key, Rc::new(move |c: &mut CaCert| {
                                if let CaCert::Pem { name: n, pem } = c {
                                    *pem = text.clone();
                                    if !name.is_empty() {
                                        *n = name.clone();
                                    }
                                }
                            }));
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
                <button type="button" class="icon danger" id={format!("{}-remove", field_id(&cp))} onclick={remove} aria-label={label.clone()} title={label}>{ "✕" }</button>
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
        move |key: String, f: Rc<dyn Fn(&mut ClientCert)>| {
            edit(&ctx, key, move |p| {
                if let Some(c) = owner.tls_mut(p).and_then(|t| t.client.get_mut(k)) {
                    f(c);
                }
            })
        }
    };
    let on_type = {
        let set = set.clone();
        let key = format!("{cp}.type");
        Callback::from(move |v: String| set(key.clone(), Rc::new(move |c: &mut ClientCert| {
            *c = match (&*c, v.as_str()) {
                // The combined file holds the certificate, so its path is the likeliest certificate path.
                (ClientCert::Combined(path), "pair") => ClientCert::Pair { cert: path.clone(), key: String::new() },
                (ClientCert::Pair { cert, .. }, "combined") => ClientCert::Combined(cert.clone()),
                (c, _) => c.clone(),
            };
        })))
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| edit(&ctx, format!("remove {}.client[{k}]", owner.path()), move |p| {
            if let Some(t) = owner.tls_mut(p) {
                if k < t.client.len() {
                    t.client.remove(k);
                }
            }
        }))
    };
    let types = [("combined", "tls.client.combined"), ("pair", "tls.client.pair")].map(|(v, k)| (AttrValue::from(v), AttrValue::from(k))).to_vec();
    let fields = match &cert {
        ClientCert::Combined(v) => {
            let key = cp.clone();
            let on_path = Callback::from(move |v: String| set(key.clone(), Rc::new(move |c: &mut ClientCert| *c = ClientCert::Combined(v.clone()))));
            html! { <TextField path={cp.clone()} label="tls.client.combined_label" hint="tls.client.combined_hint" value={v.clone()} placeholder="/etc/containerd/certs/client.pem" on_input={on_path} /> }
        }
        ClientCert::Pair { cert, key } => {
            let on_cert = {
                let set = set.clone();
                let k2 = format!("{cp}.cert");
                Callback::from(move |v: String| set(k2.clone(), Rc::new(move |c: &mut ClientCert| {
                    if let ClientCert::Pair { cert, .. } = c {
                        *cert = v.clone();
                    }
                })))
            };
            let on_key = {
                let k2 = format!("{cp}.key");
                Callback::from(move |v: String| set(k2.clone(), Rc::new(move |c: &mut ClientCert| {
                    if let ClientCert::Pair { key, .. } = c {
                        *key = v.clone();
                    }
                })))
            };
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
                <button type="button" class="icon danger" id={format!("{}-remove", field_id(&cp))} onclick={remove} aria-label={label.clone()} title={label}>{ "✕" }</button>
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
        Owner::Endpoint(i, j) => {
            let up = ctx.project.registries.get(i).map(|r| r.upstream.trim().to_string()).unwrap_or_default();
            let up = if up.is_empty() { t(lang, "registries.unnamed").to_string() } else { up };
            tf(lang, "tls.of_endpoint", &[("registry", &up), ("n", &(j + 1).to_string())])
        }
        Owner::Harbor => t(lang, "tls.of_harbor").to_string(),
        Owner::AirGap => t(lang, "tls.of_airgap").to_string(),
    };
    let add_ca = |pem: bool| {
        let ctx = ctx.clone();
        let url = url.clone();
        let k = tls.ca.len();
        let cp = format!("{path}.ca[{k}]");
        Callback::from(move |_| {
            let ca = if pem { CaCert::Pem { name: default_ca_name(&url, k), pem: String::new() } } else { CaCert::Path(String::new()) };
            edit(&ctx, format!("add {}.ca", owner.path()), move |p| {
                if let Some(t) = owner.tls_mut(p) {
                    t.ca.push(ca.clone());
                }
            });
            focus_soon(field_id(&if pem { format!("{cp}.pem") } else { cp.clone() }));
        })
    };
    let add_client = {
        let ctx = ctx.clone();
        let k = tls.client.len();
        let cp = format!("{path}.client[{k}]");
        Callback::from(move |_| {
            edit(&ctx, format!("add {}.client", owner.path()), move |p| {
                if let Some(t) = owner.tls_mut(p) {
                    t.client.push(ClientCert::Combined(String::new()));
                }
            });
            focus_soon(field_id(&cp));
        })
    };
    let on_skip = {
        let ctx = ctx.clone();
        Callback::from(move |v: bool| edit(&ctx, format!("{}.skip_verify", owner.path()), move |p| {
            if let Some(t) = owner.tls_mut(p) {
                t.skip_verify = v;
            }
        }))
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
    let blocks = owners(&ctx.project);
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
    use ccb_core::model::{AirGap, Endpoint, HarborProxy, Registry};

    #[test]
    fn one_block_per_endpoint_then_harbor_and_air_gap() {
        let p = Project {
            registries: vec![Registry { endpoints: vec![Endpoint::default(), Endpoint::default()], ..Default::default() }],
            harbor: Some(HarborProxy::default()),
            air_gap: Some(AirGap::default()),
            ..Default::default()
        };
        assert_eq!(owners(&p), vec![Owner::Endpoint(0, 0), Owner::Endpoint(0, 1), Owner::Harbor, Owner::AirGap]);
        assert_eq!(Owner::Endpoint(0, 1).path(), "registries[0].endpoints[1].tls");
        assert!(owners(&Project::default()).is_empty());
    }

    #[test]
    fn ca_names_are_valid_file_names() {
        assert_eq!(default_ca_name("https://registry.internal:5000", 0), "registry.internal_5000-ca");
        assert_eq!(default_ca_name("", 1), "registry-ca2");
        assert_eq!(name_from_file("my ca.crt"), "my_ca");
    }
}
