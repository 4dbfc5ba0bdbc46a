//! Strings of the apply part of the page.

use super::Catalogue;

pub const CATALOGUE: Catalogue = Catalogue {
    name: "apply",
    en: &[
    ],
    zh: &[
    ],
};
