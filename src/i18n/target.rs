//! Strings of the target part of the page.

use super::Catalogue;

pub const CATALOGUE: Catalogue = Catalogue {
    name: "target",
    en: &[
    ],
    zh: &[
    ],
};
