//! [`memo`]: a view drawn again only when its data changes, through one component for every such view. Each yew
//! component costs the wasm its own monomorphised lifecycle; the preview's coloured file and its file tree are
//! memoised (re-drawing them is the dearest part of a keystroke's render with many registries) but share this one.

use std::any::Any;
use std::rc::Rc;

use yew::prelude::*;

/// Data that draws a view; `memo` draws it again only when the data is unequal to the last.
pub trait View: PartialEq + 'static {
    fn view(&self) -> Html;
}

/// A [`View`] of any type, compared with another only when both are of the same type.
pub trait Memoised {
    fn same(&self, other: &dyn Memoised) -> bool;
    fn draw(&self) -> Html;
    fn as_any(&self) -> &dyn Any;
}

impl<T: View> Memoised for T {
    fn same(&self, other: &dyn Memoised) -> bool {
        other.as_any().downcast_ref::<T>().is_some_and(|o| o == self)
    }
    fn draw(&self) -> Html {
        self.view()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[derive(Properties)]
pub struct MemoProps {
    pub of: Rc<dyn Memoised>,
}

impl PartialEq for MemoProps {
    fn eq(&self, other: &Self) -> bool {
        self.of.same(&*other.of)
    }
}

#[function_component(Memo)]
fn memo_component(p: &MemoProps) -> Html {
    p.of.draw()
}

fn memo_of(of: Rc<dyn Memoised>) -> Html {
    html! { <Memo {of} /> }
}

/// `data`'s view, skipped when `data` equals what was drawn at this place last time.
pub fn memo(data: impl View) -> Html {
    memo_of(Rc::new(data))
}
