//! Strings of the daemon part of the page.

use super::Catalogue;

pub const CATALOGUE: Catalogue = Catalogue {
    name: "daemon",
    en: &[
    ],
    zh: &[
    ],
};
