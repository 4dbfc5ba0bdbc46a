//! What the form sections' rows share: the callbacks that turn an input's value into an `Edit`, and text fields at
//! fixed places of the project and of a list's items described as data ([`TextRow`], [`ItemText`], [`ItemParsed`]).

use ccb_core::edit::Edit;
use ccb_core::model::Project;
use yew::prelude::*;

use crate::fields::{parsed_field, suffixed, text_field, Ctx, Parsed, Text};

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

/// A text field at a fixed place of the project, as data: its field path, the i18n keys of its label and hint, its
/// placeholder, the value it shows (`None` for none) and the edit its text makes. Drawn by [`text_row`], so each such
/// field is a row of a table instead of its own call with its own callback.
pub struct TextRow {
    pub path: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub placeholder: &'static str,
    pub get: fn(&Project) -> Option<&str>,
    pub set: fn(String) -> Edit,
}

/// The text field `row` describes.
pub fn text_row(ctx: &Ctx, row: &'static TextRow) -> Html {
    let value = (row.get)(&ctx.project).unwrap_or_default().to_string();
    let on_input = on_value(ctx, row.set);
    text_field(ctx, Text { path: row.path.to_string(), label: row.label, hint: row.hint, value, placeholder: row.placeholder, ..Text::default() }, on_input)
}

/// A text field of a list's item (a registry, an endpoint, a CA …), as data: the suffix of its path after the
/// item's path ("" for the item's own path), the i18n keys of its label and hint, its placeholder ("" for none),
/// whether it is a textarea and the values it offers. Drawn by [`item_text`].
pub struct ItemText {
    pub suffix: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub placeholder: &'static str,
    pub multiline: bool,
    pub suggestions: &'static [&'static str],
}

impl ItemText {
    /// A single-line field with no hint and no suggestions.
    pub const fn plain(suffix: &'static str, label: &'static str, placeholder: &'static str) -> ItemText {
        ItemText { suffix, label, hint: None, placeholder, multiline: false, suggestions: &[] }
    }
}

/// The field `row` describes of the item at `base`, showing `value`.
pub fn item_text(ctx: &Ctx, base: &str, row: &'static ItemText, value: String, on_input: Callback<String>) -> Html {
    let ItemText { suffix, label, hint, placeholder, multiline, suggestions } = *row;
    text_field(ctx, Text { path: suffixed(base, suffix), label, hint, value, placeholder, secret: false, multiline, suggestions }, on_input)
}

/// A field path with an index: `path_at("auth[", 2, "].host")` = `auth[2].host` (one body instead of a `format!` at
/// every place that names a list's item).
pub fn path_at(head: &str, i: usize, tail: &str) -> String {
    [head, &i.to_string(), tail].concat()
}

/// A [`crate::widgets::ParsedField`] of the project, as data: the suffix of its path after `base` ("" for `base`
/// itself), the i18n keys of its label, hint and "not valid" message, its placeholder and what makes its text a
/// value. Drawn by [`item_parsed`].
pub struct ItemParsed {
    pub suffix: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub invalid: Option<&'static str>,
    pub placeholder: &'static str,
    pub normalize: fn(String) -> Option<String>,
}

impl ItemParsed {
    /// A field whose every text is valid, with no hint.
    pub const fn plain(suffix: &'static str, label: &'static str, placeholder: &'static str) -> ItemParsed {
        ItemParsed { suffix, label, hint: None, invalid: None, placeholder, normalize: Some }
    }
}

/// The field `row` describes at `base`, showing `value` and offering `suggestions`.
pub fn item_parsed(base: &str, row: &'static ItemParsed, value: String, suggestions: Vec<AttrValue>, on_input: Callback<String>) -> Html {
    let ItemParsed { suffix, label, hint, invalid, placeholder, normalize } = *row;
    parsed_field(Parsed { path: suffixed(base, suffix).into(), label, hint, invalid, value, normalize, placeholder: AttrValue::Static(placeholder), suggestions }, on_input)
}
