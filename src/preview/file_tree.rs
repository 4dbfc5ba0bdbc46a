//! `#file-tree`: the bundle's files as folders, install.sh and README.txt first (the files a user opens first,
//! visible however many hosts.toml files follow). Each button is named by the file's whole path
//! ("certs.d/docker.io/hosts.toml") and its problems, so a screen reader tells the hosts.toml files apart.

use ccb_core::{FileKind, Lang, RenderedFile, Severity};
use yew::prelude::*;

use super::tree::{self, Node};
use super::{clause_sep, file_problem, shown};
use crate::fields::{severity_class, Dispatch};
use crate::i18n::{t, tf};
use crate::problem_labels::count;
use crate::state::Action;

/// Kinds listed before every other file, in this order.
const PINNED: [FileKind; 2] = [FileKind::InstallScript, FileKind::Readme];

/// What the tree shows of a file. The tree is drawn from these alone, so with 500 registries a keystroke that
/// changes one hosts.toml's text (not its name or problems) does not redraw 500 buttons.
#[derive(Clone, PartialEq)]
pub struct TreeFile {
    pub path: String,
    pub kind: FileKind,
    /// The worst problem above info, and how many of that severity.
    pub problem: Option<(Severity, usize)>,
}

pub fn tree_files(files: &[RenderedFile]) -> Vec<TreeFile> {
    files
        .iter()
        .map(|f| TreeFile {
            path: f.path.clone(),
            kind: f.kind,
            problem: file_problem(f).map(|sev| (sev, f.diagnostics.iter().filter(|d| d.severity == sev).count())),
        })
        .collect()
}

/// The files in tree order: the pinned kinds first, then the bundle's order.
pub fn tree_order(files: &[TreeFile]) -> Vec<(usize, &str)> {
    // The pinned kinds in their order, then every other file in the bundle's order (host order is try order,
    // never sorted). Passes rather than a sort, which would be one more copy of the standard library's sort.
    let pinned = PINNED.iter().flat_map(|k| files.iter().enumerate().filter(move |(_, f)| f.kind == *k));
    let rest = files.iter().enumerate().filter(|(_, f)| !PINNED.contains(&f.kind));
    pinned.chain(rest).map(|(i, f)| (i, f.path.as_str())).collect()
}

/// What every button of the tree needs besides its file.
struct TreeView<'a> {
    files: &'a [TreeFile],
    selected: &'a str,
    lang: Lang,
    dispatch: &'a Dispatch,
}

fn nodes_html(nodes: &[Node], v: &TreeView) -> Html {
    html! {
        { for nodes.iter().map(|n| match n {
            // A folder holding one file only (`docker.io/hosts.toml`) takes one line.
            Node::Dir { name, children } if matches!(children.as_slice(), [Node::File { .. }]) => {
                let Node::File { name: file, index } = &children[0] else { unreachable!() };
                file_html(&[name.as_str(), "/", file].concat(), *index, v)
            }
            Node::Dir { name, children } => html! {
                <li class="dir">
                    <span class="dir-name" aria-hidden="true">{ "▾ " }</span><span class="dir-name">{ [&*shown(name), "/"].concat() }</span>
                    <ul>{ nodes_html(children, v) }</ul>
                </li>
            },
            Node::File { name, index } => file_html(name, *index, v),
        }) }
    }
}

fn file_html(name: &str, index: usize, v: &TreeView) -> Html {
    let lang = v.lang;
    let f = &v.files[index];
    let active = f.path == v.selected;
    let onclick = {
        let dispatch = v.dispatch.clone();
        let path = f.path.clone();
        Callback::from(move |_| dispatch.dispatch(Action::SelectFile(path.clone())))
    };
    let marked = f.problem.map(|(sev, n)| {
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
            <button type="button" class={classes!("file-link", active.then_some("active"), f.problem.map(|(sev, _)| severity_class(sev)))}
                data-path={f.path.clone()} title={shown(&f.path).into_owned()} aria-label={name_read} aria-current={active.then_some("true")} {onclick}>
                <span class="name">{ shown(name).into_owned() }</span>{ for mark }
            </button>
        </li>
    }
}

/// What the tree is drawn from (memoised: `widgets::memo`); `dispatch` never changes.
#[derive(PartialEq)]
pub struct FileTreeProps {
    pub selected: AttrValue,
    pub files: Vec<TreeFile>,
    pub lang: Lang,
    pub dispatch: Dispatch,
}

impl crate::widgets::memo::View for FileTreeProps {
    fn view(&self) -> Html {
        file_tree(self)
    }
}

fn file_tree(p: &FileTreeProps) -> Html {
    let nodes = tree::build(tree_order(&p.files));
    let view = TreeView { files: &p.files, selected: &p.selected, lang: p.lang, dispatch: &p.dispatch };
    html! {
        <ul class="file-tree" id="file-tree" aria-label={t(p.lang, "preview.tree_label")}>
            { nodes_html(&nodes, &view) }
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
        let files = tree_files(&r.files);
        let order: Vec<(usize, &str)> = tree_order(&files);
        let kinds: Vec<FileKind> = order.iter().map(|(i, _)| r.files[*i].kind).collect();
        assert_eq!(&kinds[..2], [FileKind::InstallScript, FileKind::Readme]);
        let hosts: Vec<&str> = order.iter().filter(|(i, _)| r.files[*i].kind == FileKind::HostsToml).map(|(_, p)| *p).collect();
        let want: Vec<String> = ["zeta.example.com", "docker.io", "alpha.example.com"].map(ccb_core::paths::hosts_toml).to_vec();
        assert_eq!(hosts, want);
        assert_eq!(order.len(), r.files.len());
        for (i, path) in tree_order(&files) {
            assert_eq!(r.files[i].path, path, "indexes point at their files");
        }
    }
}
