//! Strings of the airgap part of the page.

use super::Catalogue;

pub const CATALOGUE: Catalogue = Catalogue {
    name: "airgap",
    en: &[
    ],
    zh: &[
    ],
};
