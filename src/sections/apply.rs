//! Apply: the node's current config.toml (merged instead of a fragment), the project file download, opening a
//! project file, the share link, remembering the draft, and how to install. The bundle and install.sh downloads are
//! beside the preview (`preview::download`); the k3s / Talos downloads are a card of their own (`sections::export`).

use ccb_core::archive::ARCHIVE_ROOT;
use ccb_core::model::Project;
use ccb_core::render::{RESTART_COMMAND, FRAGMENT_PATH};
use ccb_core::secrets::{strip_secrets_detailed, Omitted};
use ccb_core::{paths, Delivery, Restart, Severity};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::browser;
use crate::fields::{bool_attr, button, titled_card, check_row, field_class, field_id, field_messages, label, labelled, para, suffixed, Check, Ctx, div};
use crate::i18n::{t, tf};
use crate::widgets::cardkit::{code, el, frag, lit, none, owned, text};
use crate::sections::cards;
use crate::sections::statecode::{omitted_list, too_large_note};
use crate::state::{Action, Notice};

/// The field path of the pasted config.toml in diagnostics.
const EXISTING_PATH: &str = "existing_config";
/// Name of the downloaded project file (what `containerd-config-builder render project.json` reads).
pub const PROJECT_FILE: &str = paths::PROJECT_JSON;

/// The project as the downloaded file holds it: pretty JSON in the CLI's format, secrets left out unless asked.
pub fn project_json(p: &Project, include_secrets: bool) -> (String, Vec<Omitted>) {
    let (project, omitted) = if include_secrets { (p.clone(), Vec::new()) } else { strip_secrets_detailed(p) };
    let mut json = ccb_core::json::project::to_string_pretty(&project);
    json.push('\n');
    (json, omitted)
}

/// Reads an opened project file with the core's loader (the CLI's: only objects are projects, at every level):
/// the project, or what is wrong (with line and column, in `lang`) under an i18n key.
pub fn parse_project(text: &str, lang: ccb_core::Lang) -> Result<Project, (&'static str, String)> {
    ccb_core::load::project_from_json(text).map_err(|e| {
        let key = match e {
            ccb_core::load::LoadError::Syntax(_) => "apply.open_not_json",
            _ => "apply.open_not_project",
        };
        (key, e.detail().get(lang).to_string())
    })
}

fn notify(ctx: &crate::fields::Ctx, key: &'static str, detail: String, severity: Severity) {
    ctx.dispatch(Action::Notify(Some(Notice { key, detail, severity })));
}

/// The first file chosen in an `<input type=file>`, and the input (to clear it, so the same file can be chosen
/// again).
fn chosen_file(e: &Event) -> Option<(web_sys::HtmlInputElement, web_sys::File)> {
    let input = e.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0)?;
    Some((input, file))
}

/// What a card does with a file chosen in its input: the section's visit when it was chosen, the file's name, and
/// its text or why it could not be read.
type OnText = fn(&Ctx, std::rc::Rc<()>, String, Result<String, String>);

/// The change of an `<input type=file>`: reads the first file chosen as text, hands it to `then`, and clears the
/// input (so the same file can be chosen again). One read for every such input, so the wasm holds one copy of it.
fn on_file_text(ctx: &Ctx, then: OnText) -> Callback<Event> {
    let ctx = ctx.clone();
    Callback::from(move |e: Event| {
        let Some((input, file)) = chosen_file(&e) else { return };
        let (ctx, visit) = (ctx.clone(), cards::visit(&ctx));
        let name = file.name();
        wasm_bindgen_futures::spawn_local(async move {
            let text = crate::browser::main_only::read_text(file).await;
            then(&ctx, visit, name, text);
            input.set_value("");
        });
    })
}

/// The node's config.toml read from a file.
fn existing_read(ctx: &Ctx, _: std::rc::Rc<()>, name: String, text: Result<String, String>) {
    match text {
        Ok(text) => {
            ctx.dispatch(Action::SetExisting(Some(text)));
            notify(ctx, "apply.existing_loaded", name, Severity::Info);
        }
        Err(err) => notify(ctx, "apply.read_failed", format!("{name}: {err}"), Severity::Error),
    }
}

/// A project file read: opened, or why not kept in the cards.
fn project_read(ctx: &Ctx, visit: std::rc::Rc<()>, name: String, text: Result<String, String>) {
    let error = match text {
        Ok(text) => match parse_project(&text, ctx.lang) {
            Ok(project) => {
                ctx.dispatch(Action::Replace(project));
                notify(ctx, "apply.opened", name, Severity::Info);
                None
            }
            Err((key, msg)) => Some((key, format!("{name}: {msg}"))),
        },
        Err(err) => Some(("apply.read_failed", format!("{name}: {err}"))),
    };
    cards::answer(ctx, visit, Box::new(move |c: &mut cards::Cards| c.open_error = error));
}

/// The node's own config.toml: pasted or uploaded, then merged instead of a fragment.
fn existing_config(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let on_input = {
        let ctx = ctx.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()).map(|t| t.value());
            ctx.dispatch(Action::SetExisting(v));
        })
    };
    let on_upload = on_file_text(ctx, existing_read);
    let on_clear = crate::widgets::on_click(ctx, || Action::SetExisting(None));
    let show = crate::widgets::on_click(ctx, || Action::SelectFile(paths::CONFIG_TOML.into()));
    let value = ctx.existing.as_deref().cloned().unwrap_or_default();
    let worst = ctx.diagnostics_at(EXISTING_PATH).map(|d| d.severity).max();
    let described = worst.map(|_| suffixed(&field_id(EXISTING_PATH), "-msgs"));
    let status = match (&ctx.existing, ctx.rendered.delivery) {
        (Some(text), Delivery::Merged) => {
            let merged = ctx.rendered.config_file().map(|f| f.content.as_str()).unwrap_or("");
            let changed = ccb_core::textdiff::diff_lines(text, merged)
                .iter()
                .filter(|d| d.change != ccb_core::textdiff::Change::Same)
                .count();
            el("p", "note ok", "existing-status", vec![
                owned(tf(lang, "apply.existing_merged", &[("n", &changed.to_string())])),
                lit(" "),
                button("existing-show".into(), "link", t(lang, "apply.existing_show"), false, show),
            ])
        }
        (Some(_), _) if crate::lazy::merge::loading() => crate::lazy::merge::loading_note(lang, "existing-status"),
        (Some(_), _) => para("note error", "existing-status", t(lang, "apply.existing_unreadable").into()),
        (None, _) => para("note", "existing-status", t(lang, "apply.existing_none").into()),
    };
    let parts = vec![
        label(lang, &AttrValue::Static("existing-config"), "apply.existing_label", Some("apply.existing_hint")),
        html! {
            <textarea id="existing-config" rows="8" spellcheck="false" autocomplete="off" wrap="off" {value} oninput={on_input}
                placeholder={"version = 2\n\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  …"}
                aria-invalid={bool_attr(worst == Some(Severity::Error))} aria-describedby={described} />
        },
        field_messages(ctx, EXISTING_PATH),
    ];
    let upload = vec![
        text(lang, "apply.existing_upload"),
        html! { <input type="file" id="existing-upload" class="visually-hidden" accept=".toml,.txt,text/plain,application/toml" onchange={on_upload} /> },
    ];
    titled_card(lang, "", "apply-existing-title", "apply.existing_title", false, frag(vec![
        para("hint", "", t(lang, "apply.existing_intro").into()),
        // The summary moves focus to `f-existing_config` (the field id of the path `existing_config`).
        html! { <div class={field_class(worst)} id="f-existing_config" tabindex="-1">{ for parts }</div> },
        div("row tools", frag(vec![
            el("label", "button file-button", "", upload),
            button("existing-clear".into(), "", t(lang, "apply.existing_clear"), ctx.existing.is_none(), on_clear),
        ])),
        status,
    ]))
}

/// The downloads card (its "include secrets" choice in `ctx.cards`).
fn downloads(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let include_secrets = ctx.cards.include_secrets;
    let (_, omitted) = project_json(&ctx.project, false);
    let on_project = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            let (json, _) = project_json(&ctx.project, ctx.cards.include_secrets);
            if browser::download(PROJECT_FILE, "application/json", json.as_bytes()).is_err() {
                notify(&ctx, "apply.download_failed", PROJECT_FILE.to_string(), Severity::Error);
            }
        })
    };
    let on_include = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let on = crate::fields::event_checked(&e);
            cards::set(&ctx, Box::new(move |c: &mut cards::Cards| c.include_secrets = on));
        })
    };
    let secrets_note = if include_secrets {
        para("note warning small", "project-omitted", t(lang, "apply.project_with_secrets").into())
    } else if omitted.is_empty() {
        para("hint", "project-omitted", t(lang, "apply.project_no_secrets").into())
    } else {
        omitted_list(lang, &ctx.project, "project-omitted", "apply.project_omitted", &omitted)
    };
    let include = Check { id: "include-secrets".into(), label: t(lang, "apply.include_secrets").into(), hint: None, checked: include_secrets, disabled: false, described_by: None };
    titled_card(lang, "", "apply-downloads-title", "apply.downloads_title", false, frag(vec![
        para("hint", "bundle-beside-preview", t(lang, "apply.bundle_beside_preview").into()),
        div("row tools", frag(vec![
            button("download-project".into(), "", &tf(lang, "apply.download_project", &[("name", PROJECT_FILE)]), false, on_project),
            check_row(lang, "field check", include, on_include, none()),
        ])),
        secrets_note,
    ]))
}

/// Opening a project file; why one was not opened is in `ctx.cards`.
fn open_project(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let error = &ctx.cards.open_error;
    let on_open = on_file_text(ctx, project_read);
    let error_note = match error {
        Some((key, msg)) => crate::widgets::alert_error(lang, "open-project-error", frag(vec![
            text(lang, key), lit(" "), code(msg.clone()), lit(" "), text(lang, "apply.open_unchanged"),
        ])),
        None => none(),
    };
    titled_card(lang, "", "apply-open-title", "apply.open_title", false, labelled(lang, "open-project", "apply.open_label", Some("apply.open_hint"), frag(vec![
        html! {
            <input type="file" id="open-project" accept=".json,application/json" onchange={on_open}
                aria-invalid={bool_attr(error.is_some())} aria-describedby={error.is_some().then_some("open-project-error")} />
        },
        error_note,
    ])))
}

thread_local! {
    /// The address a share link starts with (`browser::share_base`), read once.
    static SHARE_BASE: std::cell::OnceCell<Option<String>> = const { std::cell::OnceCell::new() };
}

fn share_link(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let encoded = cards::encoded(ctx);
    // The canonical URL set at build time (or the hosted page's own address); an offline copy without one has no
    // address worth sharing, and points at the state code instead.
    let base = SHARE_BASE.with(|b| b.get_or_init(browser::share_base).clone());
    // No fragment while the browser compresses it (`cards::encoded`): no link to show or copy yet.
    let url = base.as_ref().filter(|_| !encoded.fragment.is_empty()).map(|b| format!("{b}#{}", encoded.fragment)).unwrap_or_default();
    let copied = cards::copied(ctx, "copy-link", &url);
    let on_copy = cards::on_copy(ctx, "copy-link", "share-link", url.clone());
    let select = Callback::from(|_| browser::select_all("share-link"));
    let status = crate::widgets::copy_status(lang, copied, "share-status", "apply.link_copied", "apply.link_refused");
    let link = if base.is_some() {
        labelled(lang, "share-link", "apply.share_label", None, div("row inline-row", frag(vec![
            html! { <input type="text" id="share-link" readonly=true value={url.clone()} onclick={select} spellcheck="false" /> },
            button("copy-link".into(), "primary", t(lang, "apply.copy_link"), url.is_empty(), on_copy),
        ])))
    } else {
        para("note", "share-unavailable", t(lang, "apply.share_no_base").into())
    };
    let omitted = if encoded.omissions.is_empty() {
        para("hint", "share-omitted", t(lang, "apply.share_no_secrets").into())
    } else {
        omitted_list(lang, &ctx.project, "share-omitted", "apply.share_omitted", &encoded.omissions)
    };
    let long = if url.len() > 2000 { para("hint", "", tf(lang, "apply.share_long", &[("n", &url.len().to_string())]).into()) } else { none() };
    titled_card(lang, "", "apply-share-title", "apply.share_title", false, frag(vec![
        para("hint", "", t(lang, "apply.share_intro").into()),
        link,
        status,
        too_large_note(lang, "share-too-large", "apply.share_too_large", encoded.refused.as_ref()),
        omitted,
        long,
    ]))
}

thread_local! {
    /// Whether the browser lets the page keep a draft: asked once (the probe writes to the storage).
    static STORAGE_AVAILABLE: std::cell::OnceCell<bool> = const { std::cell::OnceCell::new() };
}

/// "Remember this draft in this browser", or why it cannot be.
fn remember_draft(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let available = &STORAGE_AVAILABLE.with(|a| *a.get_or_init(browser::storage_available));
    let on_change = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| ctx.dispatch(Action::SetRemember(crate::fields::event_checked(&e))))
    };
    let remember = Check {
        id: "remember-draft".into(),
        label: t(lang, "apply.remember_label").into(),
        hint: Some("apply.remember_hint"),
        checked: ctx.remember && *available,
        disabled: !*available,
        described_by: (!*available).then_some("remember-unavailable"),
    };
    let unavailable = if *available { none() } else { para("note warning small", "remember-unavailable", t(lang, "apply.remember_unavailable").into()) };
    titled_card(lang, "", "apply-remember-title", "apply.remember_title", false, frag(vec![
        check_row(lang, "field check", remember, on_change, none()),
        unavailable,
    ]))
}

fn cmd(text: AttrValue) -> Html {
    let text = Html::VText(yew::virtual_dom::VText::new(text));
    // Focusable: a long command scrolls sideways, and keyboard users must be able to scroll it too.
    html! { <pre class="cmd" tabindex="0"><code>{ text }</code></pre> }
}

/// How to install the bundle, step by step, with the restart advice and the verify commands of this bundle.
fn install_steps(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let how = ctx.rendered.delivery;
    let crictl = AttrValue::from(ctx.rendered.verify_commands.first().cloned().unwrap_or_default());
    let ctr = ctx.rendered.verify_commands.get(1).cloned().map(AttrValue::from);
    let restart_advice = |class: &'static str, key: &str| {
        el("div", class, "restart-advice", vec![el("p", "", "", vec![text(lang, key)]), cmd(AttrValue::Static(RESTART_COMMAND))])
    };
    let restart = match (ctx.rendered.restart, how) {
        (Restart::NotNeeded, _) => para("note ok", "restart-advice", t(lang, "apply.restart_no").into()),
        (_, Delivery::DropIn) => restart_advice("note warning", "apply.restart_dropin"),
        (Restart::AfterInstall, _) => restart_advice("note warning", "apply.restart_yes"),
        (Restart::AfterManualMerge, _) => restart_advice("note", "apply.restart_fragment"),
    };
    let bundle = format!("{ARCHIVE_ROOT}.tar.gz");
    let step = |words: Html, then: Html| el("li", "", "", vec![words, then]);
    let hint = |key: &str| para("hint", "", t(lang, key).into());
    let verify = match ctr {
        Some(ctr) => {
            let dump = match ctx.rendered.config_path_check {
                Some(check) => frag(vec![cmd(AttrValue::Static(check)), hint("apply.verify_dump_hint")]),
                None => none(),
            };
            frag(vec![cmd(crictl), frag(vec![cmd(ctr), hint("apply.verify_ctr_hint"), dump])])
        }
        None => frag(vec![cmd(crictl), hint("apply.verify_legacy_hint")]),
    };
    let merge = if how == Delivery::Fragment { step(owned(tf(lang, "apply.step_merge", &[("path", FRAGMENT_PATH)])), none()) } else { none() };
    let steps = vec![
        step(owned(tf(lang, "apply.step_copy", &[("name", &bundle)])), cmd(format!("scp {bundle} root@NODE:\ntar xzf {bundle} && cd {ARCHIVE_ROOT}").into())),
        merge,
        step(text(lang, "apply.step_dry_run"), cmd(AttrValue::Static(ccb_core::render::INSTALL_DRY_RUN_COMMAND))),
        step(text(lang, "apply.step_install"), cmd(AttrValue::Static(ccb_core::render::INSTALL_COMMAND))),
        step(text(lang, "apply.step_restart"), restart),
        step(text(lang, "apply.step_verify"), verify),
    ];
    let warning = vec![
        el("strong", "", "", vec![text(lang, "apply.k3s_title")]),
        lit(" "),
        text(lang, "apply.k3s_text"),
        lit(" "),
        button("k3s-export-link".into(), "link", t(lang, "export.k3s_link"), false, crate::preview::download::to_export(ctx)),
    ];
    titled_card(lang, "", "apply-steps-title", "apply.steps_title", true, frag(vec![
        html! { <p class="note warning" id="k3s-warning" role="note">{ for warning }</p> },
        el("ol", "steps", "install-steps", steps),
    ]))
}

/// The Apply section; what its cards keep between renders is in `ctx.cards` (`sections::cards`).
pub fn section(ctx: &Ctx) -> Html {
    frag(vec![
        crate::widgets::intro(ctx.lang, "apply.intro"),
        crate::sections::import::card(ctx),
        existing_config(ctx),
        downloads(ctx),
        crate::sections::export::card(ctx),
        install_steps(ctx),
        share_link(ctx),
        crate::sections::statecode::card(ctx),
        open_project(ctx),
        remember_draft(ctx),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccb_core::model::*;
    use ccb_core::secrets::SecretKind;

    fn project() -> Project {
        let mut p = Project::default();
        p.registries.push(Registry {
            upstream: "docker.io".into(),
            endpoints: vec![Endpoint { url: "https://m.example.com".into(), ..Default::default() }],
            ..Default::default()
        });
        p.auth.push(Credential {
            host: "m.example.com".into(),
            method: AuthMethod::Basic { username: "me".into(), password: Secret::literal("hunter2"), encode_as_auth: false },
        });
        p
    }

    #[test]
    fn the_project_file_round_trips_and_leaves_secrets_out_unless_asked() {
        let p = project();
        let (json, omitted) = project_json(&p, false);
        assert!(!json.contains("hunter2"));
        assert_eq!(omitted, vec![Omitted { path: "auth[0].method.password".into(), kind: SecretKind::Credential }]);
        assert!(json.contains("\n  \"registries\""), "pretty: {json}");
        let back = parse_project(&json, ccb_core::Lang::En).unwrap();
        assert_eq!(back, strip_secrets_detailed(&p).0);
        let (json, omitted) = project_json(&p, true);
        assert!(json.contains("hunter2") && omitted.is_empty());
        assert_eq!(parse_project(&json, ccb_core::Lang::En).unwrap(), p);
    }

    #[test]
    fn the_project_file_without_secrets_leaves_out_every_kind() {
        let mut p = project();
        let e = &mut p.registries[0].endpoints[0];
        e.url = "https://robot:PW1@m.example.com".into();
        e.headers.push(Header { name: "X-Registry-Auth".into(), values: vec![Secret::literal("PW2")] });
        e.headers.push(Header { name: "User-Agent".into(), values: vec![Secret::literal("ccb-test")] });
        e.tls.ca.push(CaCert::Pem { name: "ca".into(), pem: "-----BEGIN PRIVATE KEY-----\nPW3\n-----END PRIVATE KEY-----\n".into() });
        p.harbor = Some(HarborProxy { address: "https://robot:PW4@cr.example.com".into(), ..Default::default() });
        p.air_gap = Some(AirGap { registry: "robot:PW5@registry.internal:5000".into(), ..Default::default() });
        let (json, omitted) = project_json(&p, false);
        for pw in ["hunter2", "PW1", "PW2", "PW3", "PW4", "PW5"] {
            assert!(!json.contains(pw), "{pw}: {json}");
        }
        assert!(json.contains("ccb-test") && json.contains("https://cr.example.com") && json.contains("registry.internal:5000"));
        let paths: Vec<(&str, SecretKind)> = omitted.iter().map(|o| (o.path.as_str(), o.kind)).collect();
        assert_eq!(
            paths,
            [
                ("registries[0].endpoints[0].url", SecretKind::UrlUserinfo),
                ("registries[0].endpoints[0].tls.ca[0].pem", SecretKind::PrivateKey),
                ("registries[0].endpoints[0].headers[0].values[0]", SecretKind::HeaderValue),
                ("harbor.address", SecretKind::UrlUserinfo),
                ("air_gap.registry", SecretKind::UrlUserinfo),
                ("auth[0].method.password", SecretKind::Credential),
            ]
        );
        // The share link and the draft (the same fragment) leave out the same fields.
        let link: Vec<Omitted> = ccb_core::share::encode(&p, Some("en")).omissions;
        assert_eq!(link, omitted);
    }

    #[test]
    fn a_bad_project_file_says_where() {
        let (key, msg) = parse_project("{\n  \"registries\": [\n", ccb_core::Lang::En).unwrap_err();
        assert_eq!(key, "apply.open_not_json");
        assert!(msg.contains("line 3"), "{msg}");
        let (key, msg) = parse_project("{\"registrys\": []}", ccb_core::Lang::En).unwrap_err();
        assert_eq!(key, "apply.open_not_project");
        assert!(msg.contains("registrys") && msg.contains("column"), "{msg}");
        assert_ne!(t(ccb_core::Lang::Zh, key), key);
        // Issue 7 case 12: an array is no project, at the top or inside (serde would read it positionally).
        let (key, msg) = parse_project("[]", ccb_core::Lang::En).unwrap_err();
        assert_eq!(key, "apply.open_not_project");
        assert!(msg.contains("JSON object"), "{msg}");
        let (_, msg) = parse_project("{\"target\": [\"1.6.0\", \"1.7.x\"]}", ccb_core::Lang::Zh).unwrap_err();
        assert!(msg.contains("target") && msg.contains("对象"), "{msg}");
    }

    #[test]
    fn delivery_and_verify_commands_follow_the_bundle() {
        let p = project();
        let r = ccb_core::render(&p);
        assert_eq!(r.delivery, Delivery::Fragment);
        let crictl = &r.verify_commands[0];
        assert_eq!(crictl, "crictl pull docker.io/library/busybox:latest");
        let ctr = r.verify_commands.get(1).expect("hosts-dir style has a ctr command");
        assert!(ctr.starts_with("ctr -n k8s.io images pull --hosts-dir /etc/containerd/certs.d --user me:<password> "), "{ctr}");
        let r = ccb_core::render_merged(&p, "version = 2\n");
        assert_eq!(r.delivery, Delivery::Merged);
        let mut p2 = p.clone();
        p2.target.min = "2.0.0".parse().unwrap();
        p2.target.max = "2.1.x".parse().unwrap();
        assert_eq!(ccb_core::render(&p2).delivery, Delivery::DropIn);
    }
}
