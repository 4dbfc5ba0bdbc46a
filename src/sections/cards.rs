//! What the Apply section's cards hold between renders: the import's and the export's answers, the error of an
//! opened project file or of a pasted state code, the "include secrets" choice and the copy buttons' outcome.
//! Kept in the state (`AppState::cards`) so that the cards are plain functions of it: a component each cost the
//! first download its own lifecycle code. Emptied whenever another section opens, as each card's component state
//! was when the section was left.

use std::rc::Rc;

use ccb_core::share::Encoded;
use yew::prelude::*;

use crate::copy::Copied;
use crate::fields::Ctx;
use crate::sharing::Link;
use crate::state::{Action, AppState};

#[derive(Clone, Default)]
pub struct Cards {
    pub import: super::import::Shown,
    pub export: super::export::Shown,
    /// The project download keeps its secrets.
    pub include_secrets: bool,
    /// Why the opened project file was not opened: an i18n key and the detail.
    pub open_error: Option<(&'static str, String)>,
    pub code_error: Option<super::statecode::CodeError>,
    /// Per copy button that was pressed: its id, the text it copied and how that went. Shown while the button's
    /// text is still that text (a copy of an older link confirms nothing).
    pub copied: Vec<(&'static str, String, Copied)>,
    /// This visit of the section: a slow answer (a module load, a file read) that arrives after the section was
    /// left, and perhaps opened again, is dropped, as it was by the unmounted component.
    visit: Rc<()>,
}

/// One change of the cards, as the reducer applies it.
pub type Change = Box<dyn FnOnce(&mut Cards)>;

/// The visit an answer started in (see [`answer`]).
pub fn visit(ctx: &AppState) -> Rc<()> {
    Rc::clone(&ctx.cards.visit)
}

/// Applies `change` now.
pub fn set(ctx: &Ctx, change: Change) {
    ctx.dispatch(Action::Cards(change));
}

/// `change`, applied only while the section is still in the visit `visit` (taken when the work started).
pub fn in_visit(visit: Rc<()>, change: Change) -> Change {
    Box::new(move |c: &mut Cards| {
        if Rc::ptr_eq(&c.visit, &visit) {
            change(c)
        }
    })
}

/// Applies `change` if the section is still in the visit `visit`.
pub fn answer(ctx: &Ctx, visit: Rc<()>, change: Change) {
    set(ctx, in_visit(visit, change));
}

/// How the copy button `id` stands for the text it copies now.
pub fn copied(ctx: &AppState, id: &'static str, text: &str) -> Copied {
    ctx.cards.copied.iter().find(|(i, copied, _)| *i == id && copied == text).map_or(Copied::Idle, |c| c.2)
}

/// The click of the copy button `id`: copies `text` through the page's one copy mechanism
/// ([`crate::copy::copy_then`]: when the browser refuses — file://, an iframe without `allow="clipboard-write"` —
/// it selects the text in the field `fallback_id` for Ctrl+C); the outcome is kept here, per button, for this
/// visit of the section.
pub fn on_copy(ctx: &Ctx, id: &'static str, fallback_id: &'static str, text: String) -> Callback<MouseEvent> {
    let ctx = ctx.clone();
    Callback::from(move |_| {
        let (ctx, shown, visit) = (ctx.clone(), text.clone(), visit(&ctx));
        let report = Callback::from(move |state: Copied| {
            let shown = shown.clone();
            answer(&ctx, Rc::clone(&visit), Box::new(move |c: &mut Cards| match state {
                // Back to idle after a moment: only a confirmation goes, not a later refusal.
                Copied::Idle => c.copied.retain(|(i, _, s)| !(*i == id && *s == Copied::Done)),
                _ => {
                    c.copied.retain(|(i, _, _)| *i != id);
                    c.copied.push((id, shown, state));
                }
            }));
        });
        crate::copy::copy_then(text.clone(), fallback_id, report);
    })
}

/// The project as a share link's fragment (in the page's language), made once per project and language
/// (`sharing::encoded`). While the browser compresses it (a moment, asynchronously), the fragment is empty — the
/// share link and the state code show nothing and cannot be copied, rather than show an older one — and the
/// cards are drawn again once it is made.
pub fn encoded(ctx: &Ctx) -> Rc<Encoded> {
    let dispatch = ctx.dispatcher();
    match crate::sharing::encoded(&ctx.project, ctx.lang, move |_| dispatch.dispatch(Action::Cards(Box::new(|_| {})))) {
        Link::Made(e) => e,
        Link::Pending(payload) => Rc::new(Encoded { fragment: String::new(), omitted: Vec::new(), omissions: payload.omissions().to_vec(), refused: None }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Section;

    fn apply_open() -> Rc<AppState> {
        use yew::Reducible;
        Rc::new(AppState::new(ccb_core::Project::default(), ccb_core::Lang::En)).reduce(Action::SetSection(Section::Apply))
    }

    #[test]
    fn the_cards_are_emptied_when_another_section_opens_and_a_late_answer_is_dropped() {
        use yew::Reducible;
        let s = apply_open().reduce(Action::Cards(Box::new(|c: &mut Cards| c.include_secrets = true)));
        assert!(s.cards.include_secrets);
        let s = s.reduce(Action::SetSection(Section::Apply));
        assert!(s.cards.include_secrets, "opening the open section again keeps what the cards show");
        let started = visit(&s);
        let s = s.reduce(Action::SetSection(Section::Auth)).reduce(Action::SetSection(Section::Apply));
        assert!(!s.cards.include_secrets, "back in Apply, the cards start afresh");
        let s = s.reduce(Action::Cards(in_visit(started, Box::new(|c: &mut Cards| c.open_error = Some(("apply.read_failed", "late".into()))))));
        assert_eq!(s.cards.open_error, None, "an answer from the earlier visit is not shown");
        let now = visit(&s);
        let s = s.reduce(Action::Cards(in_visit(now, Box::new(|c: &mut Cards| c.open_error = Some(("apply.read_failed", "now".into()))))));
        assert_eq!(s.cards.open_error.as_ref().map(|e| e.1.as_str()), Some("now"));
    }
}
