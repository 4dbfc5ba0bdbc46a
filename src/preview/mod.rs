//! The live preview: every file of the bundle as a folder tree (files with problems marked), the selected file
//! coloured with the lines of the last edit highlighted and its diagnostics above it, copy and download per file,
//! and — when the node's config.toml was pasted — the diff of the merged config.toml against it.
//!
//! It reads the state on every render, so it follows every keystroke; the core always renders a complete bundle,
//! so it never goes blank, errors or not.

pub mod code;
pub mod download;
pub mod highlight;
pub mod tree;

use std::rc::Rc;

use ccb_core::textdiff::changed_lines;
use ccb_core::{Diagnostic, RenderedFile, Severity};
use yew::prelude::*;

use crate::browser;
use crate::fields::{field_id, severity_class, use_ctx, Ctx};
use crate::i18n::{t, tf};
use crate::state::{Action, Notice, Section};
use code::{CodeView, DiffView};
use tree::Node;

/// What the page shows of bundle text: control characters (but tab, line feed and carriage return, which are
/// layout) escaped as `\u{1b}`, so a host name or a pasted file cannot hide or fake text in the preview.
/// Copies and downloads keep the file's real bytes.
pub fn shown(s: &str) -> std::borrow::Cow<'_, str> {
    ccb_core::diagnostics::escape_controls_except(s, &['\t', '\n', '\r'])
}

/// The worst error or warning among a file's diagnostics.
pub fn file_problem(f: &RenderedFile) -> Option<Severity> {
    f.diagnostics.iter().map(|d| d.severity).filter(|s| *s > Severity::Info).max()
}

/// The name a single file is downloaded as (browsers take no folders).
pub fn download_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

pub fn mime_for(path: &str) -> &'static str {
    if path.ends_with(".sh") {
        "text/x-shellscript"
    } else if path.ends_with(".toml") {
        "application/toml"
    } else if path.ends_with(".crt") || path.ends_with(".pem") {
        "application/x-pem-file"
    } else {
        "text/plain;charset=utf-8"
    }
}

/// Moves to the form field a diagnostic is about (its section, then focus).
pub fn jump_to_field(ctx: &Ctx, path: &str) {
    ctx.dispatch(Action::SetSection(Section::of_path(path)));
    let id = field_id(path);
    gloo_timers::callback::Timeout::new(0, move || {
        browser::focus(&id);
    })
    .forget();
}

/// i18n key of a one-line description of the file at `path`.
fn describe_key(path: &str) -> &'static str {
    if path == "config.toml" {
        "preview.about_config"
    } else if path == ccb_core::render::FRAGMENT_PATH {
        "preview.about_fragment"
    } else if path.starts_with("conf.d/") {
        "preview.about_dropin"
    } else if path.ends_with("/hosts.toml") {
        "preview.about_hosts"
    } else if path.ends_with(".crt") || path.ends_with(".pem") {
        "preview.about_cert"
    } else if path == "install.sh" {
        "preview.about_install"
    } else if path == "README.txt" {
        "preview.about_readme"
    } else {
        "preview.about_other"
    }
}

#[derive(Clone, PartialEq)]
enum CopyState {
    Idle,
    Copied,
    /// The clipboard refused: the text in a selected textarea, for Ctrl+C.
    Fallback(Rc<String>),
}

fn tree_html(nodes: &[Node], ctx: &Ctx, files: &[RenderedFile], selected: &str) -> Html {
    html! {
        { for nodes.iter().map(|n| match n {
            // A folder holding one file only (`docker.io/hosts.toml`) takes one line.
            Node::Dir { name, children } if matches!(children.as_slice(), [Node::File { .. }]) => {
                let Node::File { name: file, index } = &children[0] else { unreachable!() };
                file_html(&format!("{name}/{file}"), *index, ctx, files, selected)
            }
            Node::Dir { name, children } => html! {
                <li class="dir">
                    <span class="dir-name" aria-hidden="true">{ "▾ " }</span><span class="dir-name">{ format!("{}/", shown(name)) }</span>
                    <ul>{ tree_html(children, ctx, files, selected) }</ul>
                </li>
            },
            Node::File { name, index } => file_html(name, *index, ctx, files, selected),
        }) }
    }
}

fn file_html(name: &str, index: usize, ctx: &Ctx, files: &[RenderedFile], selected: &str) -> Html {
    let lang = ctx.lang;
    let f = &files[index];
    let active = f.path == selected;
    let problem = file_problem(f);
    let onclick = {
        let ctx = ctx.clone();
        let path = f.path.clone();
        Callback::from(move |_| ctx.dispatch(Action::SelectFile(path.clone())))
    };
    let count = problem.map(|sev| f.diagnostics.iter().filter(|d| d.severity == sev).count()).unwrap_or(0);
    let mark = match problem {
        Some(sev) => {
            let label = tf(lang, &format!("preview.mark_{}", sev.as_str()), &[("n", &crate::problem_labels::count(lang, &format!("{}s", sev.as_str()), count))]);
            html! { <span class={classes!("mark", severity_class(sev))} title={label.clone()} aria-label={label}>{ if sev == Severity::Error { "✕" } else { "!" } }</span> }
        }
        None => html! {},
    };
    html! {
        <li class="file">
            <button type="button" class={classes!("file-link", active.then_some("active"), problem.map(severity_class))}
                data-path={f.path.clone()} title={shown(&f.path).into_owned()} aria-current={active.then_some("true")} {onclick}>
                <span class="name">{ shown(name).into_owned() }</span>{ mark }
            </button>
        </li>
    }
}

fn diagnostics_html(ctx: &Ctx, diags: &[Diagnostic]) -> Html {
    if diags.is_empty() {
        return html! {};
    }
    let lang = ctx.lang;
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| std::cmp::Reverse(d.severity));
    html! {
        <ul class="file-msgs" id="file-diagnostics" aria-label={t(lang, "preview.file_problems")}>
            { for sorted.into_iter().map(|d| {
                let path = d.path.clone();
                let onclick = {
                    let ctx = ctx.clone();
                    Callback::from(move |_| jump_to_field(&ctx, &path))
                };
                html! {
                    <li class={classes!("msg", severity_class(d.severity))} data-code={d.code}>
                        <button type="button" class="link" {onclick}>
                            <span class="sev">{ t(lang, &format!("severity.{}", d.severity.as_str())) }</span>
                            { " " }
                            // The field by its place in the form, as in the summary; the path for support.
                            if !d.path.is_empty() {
                                <span class="place" data-path={d.path.clone()} title={tf(lang, "place.raw_path", &[("path", &d.path)])}>{ crate::problem_labels::place(&d.path, &ctx.project, lang) }</span>{ " " }
                            }
                            { d.message.get(lang).to_string() }
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}

#[function_component(PreviewPanel)]
pub fn preview_panel() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let files = &ctx.rendered.files;
    let selected = ctx
        .selected_file
        .clone()
        .filter(|p| files.iter().any(|f| &f.path == p))
        .or_else(|| files.first().map(|f| f.path.clone()))
        .unwrap_or_default();

    // Hooks first (before any early return).
    let diff_on = use_state(|| false);
    let copy = use_state(|| CopyState::Idle);
    let merged_config = ctx.existing.is_some() && ctx.rendered.file("config.toml").is_some();
    {
        // Pasting the node's config.toml shows its diff at once; removing it goes back to the plain view.
        let diff_on = diff_on.clone();
        let ctx = ctx.clone();
        use_effect_with(merged_config, move |merged| {
            if *merged {
                diff_on.set(true);
                ctx.dispatch(Action::SelectFile("config.toml".into()));
            } else if *diff_on {
                diff_on.set(false);
            }
        });
    }
    {
        let copy = copy.clone();
        // A new file or new content: the copied text is no longer what is shown.
        use_effect_with((selected.clone(), ctx.revision), move |_| {
            if *copy != CopyState::Idle {
                copy.set(CopyState::Idle);
            }
        });
    }
    {
        let fallback = matches!(*copy, CopyState::Fallback(_));
        use_effect_with(fallback, move |on| {
            if *on {
                browser::select_all("copy-fallback");
            }
        });
    }
    // Lines changed by the last edit: same path before and after; a new file is all new.
    let changed: Rc<Vec<usize>> = {
        let previous = ctx.previous.clone();
        let rendered = ctx.rendered.clone();
        use_memo((ctx.revision, selected.clone()), move |(_, path)| {
            if Rc::ptr_eq(&previous, &rendered) {
                return Vec::new();
            }
            let Some(new) = rendered.file(path) else { return Vec::new() };
            match previous.file(path) {
                Some(old) => changed_lines(&old.content, &new.content),
                None => (0..new.content.lines().count()).collect(),
            }
        })
    };

    let Some(file) = files.iter().find(|f| f.path == selected) else {
        return html! { <section class="preview"><h2>{ t(lang, "preview.title") }</h2></section> };
    };
    let nodes = tree::build(files.iter().map(|f| f.path.as_str()));

    let on_copy = {
        let copy = copy.clone();
        let text = Rc::new(file.content.clone());
        Callback::from(move |_| {
            let copy = copy.clone();
            let text = text.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match browser::copy_text(&text).await {
                    Ok(()) => {
                        copy.set(CopyState::Copied);
                        let copy = copy.clone();
                        gloo_timers::callback::Timeout::new(2500, move || copy.set(CopyState::Idle)).forget();
                    }
                    Err(()) => copy.set(CopyState::Fallback(text)),
                }
            });
        })
    };
    let on_download = {
        let ctx = ctx.clone();
        let path = file.path.clone();
        let content = file.content.clone();
        Callback::from(move |_| {
            let name = download_name(&path);
            if browser::download(&name, mime_for(&path), content.as_bytes()).is_err() {
                ctx.dispatch(Action::Notify(Some(Notice { key: "preview.download_failed", detail: name, severity: Severity::Error })));
            }
        })
    };
    let close_fallback = {
        let copy = copy.clone();
        Callback::from(move |_| copy.set(CopyState::Idle))
    };
    let toggle_diff = {
        let diff_on = diff_on.clone();
        let ctx = ctx.clone();
        Callback::from(move |_| {
            let on = !*diff_on;
            diff_on.set(on);
            if on {
                ctx.dispatch(Action::SelectFile("config.toml".into()));
            }
        })
    };
    let to_apply = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            ctx.dispatch(Action::SetSection(Section::Apply));
            gloo_timers::callback::Timeout::new(0, || {
                browser::focus("existing-config");
            })
            .forget();
        })
    };

    let show_diff = *diff_on && merged_config && file.path == "config.toml";
    let line_count = file.content.lines().count();
    let errors = ctx.rendered.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let host = file.path.strip_prefix("certs.d/").and_then(|p| p.rsplit_once('/')).map(|(h, _)| h).unwrap_or("");
    let status = match &*copy {
        CopyState::Idle => html! {},
        CopyState::Copied => html! { <span class="ok small">{ t(lang, "preview.copied") }</span> },
        CopyState::Fallback(_) => html! {},
    };
    html! {
        <section class="preview" aria-labelledby="preview-title">
            <div class="preview-head">
                <h2 id="preview-title">{ t(lang, "preview.title") }</h2>
                <span class="muted small">{ tf(lang, "preview.file_count", &[("n", &files.len().to_string())]) }</span>
                <span class="spacer"></span>
                if !ctx.rendered.installable {
                    <span class="badge error" title={t(lang, "preview.blocked_hint")}>{ tf(lang, "preview.errors", &[("n", &crate::problem_labels::count(lang, "errors", errors))]) }</span>
                }
            </div>
            <download::BundleDownload />
            <ul class="file-tree" id="file-tree" aria-label={t(lang, "preview.tree_label")}>
                { tree_html(&nodes, &ctx, files, &selected) }
            </ul>
            <div class="file-bar">
                <div class="file-title">
                    <h3><code>{ shown(&file.path).into_owned() }</code></h3>
                    <span class="muted small">{ tf(lang, "preview.file_meta", &[("mode", &format!("{:04o}", file.mode)), ("lines", &line_count.to_string())]) }</span>
                </div>
                <span class="spacer"></span>
                <div class="tools">
                    if merged_config {
                        <button type="button" id="show-diff" onclick={toggle_diff} aria-pressed={show_diff.to_string()}
                            title={t(lang, "preview.diff_hint")}>
                            { if show_diff { t(lang, "preview.hide_diff") } else { t(lang, "preview.show_diff") } }
                        </button>
                    }
                    <button type="button" id="copy-file" onclick={on_copy}>{ t(lang, "preview.copy") }</button>
                    <button type="button" id="download-file" onclick={on_download} disabled={!ctx.rendered.installable}
                        title={if ctx.rendered.installable { t(lang, "preview.download_hint") } else { t(lang, "preview.blocked_hint") }}>
                        { t(lang, "preview.download") }
                    </button>
                    { status }
                </div>
            </div>
            <p class="file-about small muted">
                { tf(lang, describe_key(&file.path), &[("host", &shown(host))]) }
                if file.path == ccb_core::render::FRAGMENT_PATH || file.path.starts_with("conf.d/") {
                    { " " }<button type="button" class="link" id="goto-apply" onclick={to_apply}>{ t(lang, "preview.paste_yours") }</button>
                }
            </p>
            if let CopyState::Fallback(text) = &*copy {
                <div class="copy-fallback note warning" role="alert">
                    <label for="copy-fallback">{ t(lang, "preview.copy_refused") }</label>
                    <textarea id="copy-fallback" readonly=true rows="6" spellcheck="false" value={(**text).clone()} />
                    <button type="button" class="small" onclick={close_fallback}>{ t(lang, "preview.close") }</button>
                </div>
            }
            { diagnostics_html(&ctx, &file.diagnostics) }
            if !changed.is_empty() {
                <p class="changed-note small" id="changed-note">
                    <span class="swatch" aria-hidden="true"></span>
                    { tf(lang, if line_count > 0 && changed.len() == line_count { "preview.new_file" } else { "preview.changed_lines" }, &[("n", &changed.len().to_string())]) }
                </p>
            }
            if show_diff {
                if let Some(old) = ctx.existing.clone() {
                    <DiffView {old} new={AttrValue::from(file.content.clone())} />
                }
            }
            if show_diff {
                <h4 class="code-title">{ t(lang, "preview.whole_file") }</h4>
            }
            <CodeView path={AttrValue::from(file.path.clone())} text={AttrValue::from(file.content.clone())} changed={changed.clone()} />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_escaped_but_layout_is_kept() {
        assert_eq!(shown("certs.d/a\u{1b}[2J\u{7}/hosts.toml"), "certs.d/a\\u{1b}[2J\\u{7}/hosts.toml");
        assert_eq!(shown("k = 1\r\n\tx"), "k = 1\r\n\tx");
        assert!(matches!(shown("plain"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn names_and_types_of_single_downloads() {
        assert_eq!(download_name("certs.d/docker.io/hosts.toml"), "hosts.toml");
        assert_eq!(download_name("install.sh"), "install.sh");
        assert_eq!(mime_for("install.sh"), "text/x-shellscript");
        assert_eq!(mime_for("certs.d/x/ca.crt"), "application/x-pem-file");
        assert_eq!(describe_key("certs.d/x/hosts.toml"), "preview.about_hosts");
        assert_eq!(describe_key("conf.d/containerd-config-builder.toml"), "preview.about_dropin");
    }

    #[test]
    fn every_description_and_mark_has_a_text() {
        for p in ["config.toml", "config-fragment.toml", "conf.d/a.toml", "certs.d/h/hosts.toml", "certs.d/h/ca.crt", "install.sh", "README.txt", "x"] {
            let k = describe_key(p);
            assert_ne!(t(ccb_core::Lang::En, k), k);
        }
        for s in ["error", "warning"] {
            let k = format!("preview.mark_{s}");
            assert_ne!(t(ccb_core::Lang::Zh, &k), k);
        }
    }
}
