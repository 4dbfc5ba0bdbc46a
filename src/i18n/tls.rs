//! Strings of the tls part of the page.

use super::Catalogue;

pub const CATALOGUE: Catalogue = Catalogue {
    name: "tls",
    en: &[
    ],
    zh: &[
    ],
};
