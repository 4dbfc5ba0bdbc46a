//! The file's text, coloured, one span per line (`changed` on the lines of the last edit); and the diff of the
//! merged config.toml against the node's own file.

use std::rc::Rc;

use ccb_core::textdiff::{diff_lines, Change};
use yew::prelude::*;

use super::highlight::{highlight, lang_for, Lang, Span};
use crate::i18n::{t, tf, tn};

fn spans(spans: &[Span]) -> Html {
    html! {
        <>
            { for spans.iter().map(|s| match s.tok.class() {
                None => html! { { super::shown(s.text).into_owned() } },
                Some(class) => html! { <span {class}>{ super::shown(s.text).into_owned() }</span> },
            }) }
        </>
    }
}

/// What the coloured file is drawn from (memoised: `widgets::memo`).
#[derive(PartialEq)]
pub struct CodeProps {
    /// The page's language (the view's name); data, not the context, so that the view is drawn again only when
    /// what it shows changes: colouring a long file is the dearest part of a keystroke's render.
    pub lang: ccb_core::Lang,
    pub path: AttrValue,
    pub kind: ccb_core::FileKind,
    pub text: AttrValue,
    /// Indexes of the lines changed by the last edit (ascending).
    pub changed: Rc<Vec<usize>>,
    /// The text is a stand-in until its writer is there (install.sh and README.txt, `lazy::scripts`).
    pub pending: bool,
}

/// `#preview-content`: its text is exactly the file's (line numbers are drawn by CSS and are not copied).
impl crate::widgets::memo::View for CodeProps {
    fn view(&self) -> Html {
        code_view(self)
    }
}

fn code_view(p: &CodeProps) -> Html {
    // A stand-in is a sentence, not a script: never coloured as one.
    let lang = if p.pending { Lang::Plain } else { lang_for(p.kind) };
    let lines = highlight(lang, &p.text);
    let mut marks = vec![false; lines.len()];
    for &i in p.changed.iter() {
        if let Some(m) = marks.get_mut(i) {
            *m = true;
        }
    }
    let class = match lang {
        Lang::Toml => "code lang-toml",
        Lang::Sh => "code lang-sh",
        Lang::Plain => "code lang-plain",
    };
    html! {
        <pre id="preview-content" {class} data-path={p.path.clone()} tabindex="0" aria-busy={p.pending.then_some("true")}
            aria-label={tf(p.lang, "preview.content_label", &[("path", &super::shown(&p.path))])}>
            <code>
                { for lines.iter().zip(marks).map(|(l, changed)| html! {
                    <span class={if changed { "line changed" } else { "line" }}>{ spans(l) }{ "\n" }</span>
                }) }
            </code>
        </pre>
    }
}

/// Unchanged lines kept around each change when the diff is folded.
const CONTEXT: usize = 3;

/// Which lines of a diff to show when folded: those within `CONTEXT` lines of a change.
pub fn visible_lines(changes: &[Change]) -> Vec<bool> {
    let mut keep = vec![false; changes.len()];
    for (i, c) in changes.iter().enumerate() {
        if *c != Change::Same {
            let from = i.saturating_sub(CONTEXT);
            let to = (i + CONTEXT + 1).min(changes.len());
            for k in keep.iter_mut().take(to).skip(from) {
                *k = true;
            }
        }
    }
    keep
}

/// `#config-diff`: the bundle's config.toml (`new`) against the node's file (`old`), `added` / `removed` lines,
/// unchanged runs folded unless the preview's state says unfolded (a button shows them all).
pub fn diff_view(ctx: &crate::fields::Ctx, old: &str, new: &str) -> Html {
    let lang = ctx.lang;
    let all = ctx.view.preview.unfolded;
    let diff = diff_lines(old, new);
    let added = diff.iter().filter(|d| d.change == Change::Added).count();
    let removed = diff.iter().filter(|d| d.change == Change::Removed).count();
    let changes: Vec<Change> = diff.iter().map(|d| d.change).collect();
    let keep = if all { vec![true; diff.len()] } else { visible_lines(&changes) };
    let folded = keep.iter().filter(|k| !**k).count();

    let mut rows: Vec<Html> = Vec::new();
    let mut hidden_run = 0usize;
    let flush = |rows: &mut Vec<Html>, n: &mut usize| {
        if *n > 0 {
            rows.push(html! {
                <span class="line fold">{ tn(lang, "preview.diff_folded", *n) }{ "\n" }</span>
            });
            *n = 0;
        }
    };
    for (d, show) in diff.iter().zip(&keep) {
        if !show {
            hidden_run += 1;
            continue;
        }
        flush(&mut rows, &mut hidden_run);
        let class = match d.change {
            Change::Added => "line added",
            Change::Removed => "line removed",
            Change::Same => "line same",
        };
        let coloured = highlight(Lang::Toml, d.text);
        rows.push(html! {
            <span {class}>{ for coloured.iter().map(|l| spans(l)) }{ "\n" }</span>
        });
    }
    flush(&mut rows, &mut hidden_run);

    let toggle = crate::widgets::on_click(ctx, || crate::state::Action::View(crate::app::ViewAction::Preview(super::PreviewAction::ToggleUnfold)));
    html! {
        <div class="diff-view">
            <h4 class="code-title">{ t(lang, "preview.diff_label") }</h4>
            <p class="diff-stats small" id="diff-stats">
                if added == 0 && removed == 0 {
                    { t(lang, "preview.diff_same") }
                } else {
                    <span class="added-count">{ tn(lang, "preview.diff_added", added) }</span>
                    { " · " }
                    <span class="removed-count">{ tn(lang, "preview.diff_removed", removed) }</span>
                }
                if folded > 0 || all {
                    { " " }
                    <button type="button" class="link" id="diff-all" onclick={toggle} aria-pressed={crate::fields::bool_attr(all)}>
                        { if all { t(lang, "preview.diff_fold") } else { t(lang, "preview.diff_unfold") } }
                    </button>
                }
            </p>
            <pre id="config-diff" class="code diff" tabindex="0" aria-label={t(lang, "preview.diff_label")}>
                <code>{ for rows }</code>
            </pre>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_context_around_changes() {
        use Change::*;
        let c = [Same, Same, Same, Same, Same, Added, Same, Same, Same, Same, Same, Removed];
        let keep = visible_lines(&c);
        assert_eq!(keep, vec![false, false, true, true, true, true, true, true, true, true, true, true]);
        assert!(visible_lines(&[Same, Same]).iter().all(|k| !k));
    }
}
