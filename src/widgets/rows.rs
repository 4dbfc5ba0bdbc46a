//! What the form sections' rows share: the callbacks that turn an input's value into an `Edit`.

use ccb_core::edit::Edit;
use yew::prelude::*;

use crate::fields::Ctx;

/// A callback that applies the edit `make` builds from an input's value (a text, a checkbox's state). `make` is a
/// function pointer, so every field of one value type shares one callback type (a closure per field was a type,
/// a vtable and drop glue each in the wasm).
pub fn on_value<T: 'static>(ctx: &Ctx, make: fn(T) -> Edit) -> Callback<T> {
    crate::widgets::on_edit(ctx, make)
}

/// [`on_value`] for an item of a list: `make` gets the item's place `at` (its index, or its owner and index) too.
pub fn on_value_at<A: Copy + 'static, T: 'static>(ctx: &Ctx, at: A, make: fn(A, T) -> Edit) -> Callback<T> {
    let ctx = ctx.clone();
    Callback::from(move |v: T| crate::state::edit(&ctx, make(at, v)))
}
