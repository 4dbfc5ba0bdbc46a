//! `#file-tree`: the bundle's files as folders, install.sh and README.txt first (the files a user opens first,
//! visible however many hosts.toml files follow). Each button is named by the file's whole path
//! ("certs.d/docker.io/hosts.toml") and its problems, so a screen reader tells the hosts.toml files apart.

use ccb_core::{FileKind, RenderedFile, Severity};
use yew::prelude::*;

use super::tree::{self, Node};
use super::{clause_sep, file_problem, shown};
use crate::fields::{severity_class, Ctx};
use crate::i18n::{t, tf};
use crate::problem_labels::count;
use crate::state::Action;

/// Kinds listed before every other file, in this order.
const PINNED: [FileKind; 2] = [FileKind::InstallScript, FileKind::Readme];

/// The files in tree order: the pinned kinds first, then the bundle's order.
pub fn tree_order(files: &[RenderedFile]) -> Vec<(usize, &str)> {
    let rank = |f: &RenderedFile| PINNED.iter().position(|k| *k == f.kind).unwrap_or(PINNED.len());
    let mut order: Vec<(usize, &RenderedFile)> = files.iter().enumerate().collect();
    // Stable: files of the same rank keep the bundle's order (host order is try order, never sorted).
    order.sort_by_key(|(_, f)| rank(f));
    order.into_iter().map(|(i, f)| (i, f.path.as_str())).collect()
}

fn nodes_html(nodes: &[Node], ctx: &Ctx, files: &[RenderedFile], selected: &str) -> Html {
    html! {
        { for nodes.iter().map(|n| match n {
            // A folder holding one file only (`docker.io/hosts.toml`) takes one line.
            Node::Dir { name, children } if matches!(children.as_slice(), [Node::File { .. }]) => {
                let Node::File { name: file, index } = &children[0] else { unreachable!() };
                file_html(&[name.as_str(), "/", file].concat(), *index, ctx, files, selected)
            }
            Node::Dir { name, children } => html! {
                <li class="dir">
                    <span class="dir-name" aria-hidden="true">{ "▾ " }</span><span class="dir-name">{ [&*shown(name), "/"].concat() }</span>
                    <ul>{ nodes_html(children, ctx, files, selected) }</ul>
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
    let marked = problem.map(|sev| {
        let n = f.diagnostics.iter().filter(|d| d.severity == sev).count();
        // `file_problem` is an error or a warning.
        let (mark, counted) = if sev == Severity::Error { ("preview.mark_error", "errors") } else { ("preview.mark_warning", "warnings") };
        (sev, tf(lang, mark, &[("n", &count(lang, counted, n))]))
    });
    // Named by the whole path (the tree draws the folders above the shown name) and the file's problems.
    let name_read = match &marked {
        Some((_, label)) => [&*shown(&f.path), clause_sep(lang), label].concat(),
        None => shown(&f.path).into_owned(),
    };
    let mark = marked.map(|(sev, label)| html! {
        <span class={classes!("mark", severity_class(sev))} title={label} aria-hidden="true">{ if sev == Severity::Error { "✕" } else { "!" } }</span>
    });
    html! {
        <li class="file">
            <button type="button" class={classes!("file-link", active.then_some("active"), problem.map(severity_class))}
                data-path={f.path.clone()} title={shown(&f.path).into_owned()} aria-label={name_read} aria-current={active.then_some("true")} {onclick}>
                <span class="name">{ shown(name).into_owned() }</span>{ for mark }
            </button>
        </li>
    }
}

/// `#file-tree`, with the file at `selected` marked as the one shown.
pub fn file_tree(ctx: &Ctx, selected: &str) -> Html {
    let files = &ctx.rendered.files;
    let nodes = tree::build(tree_order(files));
    html! {
        <ul class="file-tree" id="file-tree" aria-label={t(ctx.lang, "preview.tree_label")}>
            { nodes_html(&nodes, ctx, files, selected) }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_sh_and_the_readme_come_first_and_hosts_keep_their_order() {
        let mut p = ccb_core::Project::default();
        for up in ["zeta.example.com", "docker.io", "alpha.example.com"] {
            p.registries.push(ccb_core::model::Registry {
                upstream: up.into(),
                endpoints: vec![ccb_core::model::Endpoint { url: "https://m.example.com".into(), ..Default::default() }],
                ..Default::default()
            });
        }
        let r = ccb_core::render(&p);
        let order: Vec<(usize, &str)> = tree_order(&r.files);
        let kinds: Vec<FileKind> = order.iter().map(|(i, _)| r.files[*i].kind).collect();
        assert_eq!(&kinds[..2], [FileKind::InstallScript, FileKind::Readme]);
        let hosts: Vec<&str> = order.iter().filter(|(i, _)| r.files[*i].kind == FileKind::HostsToml).map(|(_, p)| *p).collect();
        let want: Vec<String> = ["zeta.example.com", "docker.io", "alpha.example.com"].map(ccb_core::paths::hosts_toml).to_vec();
        assert_eq!(hosts, want);
        assert_eq!(order.len(), r.files.len());
        for (i, path) in tree_order(&r.files) {
            assert_eq!(r.files[i].path, path, "indexes point at their files");
        }
    }
}
