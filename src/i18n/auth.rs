//! Strings of the auth part of the page.

use super::Catalogue;

pub const CATALOGUE: Catalogue = Catalogue {
    name: "auth",
    en: &[
    ],
    zh: &[
    ],
};
