//! Strings of the harbor part of the page.

use super::Catalogue;

pub const CATALOGUE: Catalogue = Catalogue {
    name: "harbor",
    en: &[
    ],
    zh: &[
    ],
};
