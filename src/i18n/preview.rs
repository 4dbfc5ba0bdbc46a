//! Strings of the preview.

use super::Catalogue;

pub const CATALOGUE: Catalogue = Catalogue {
    name: "preview",
    en: &[
        ("preview.title", "Files to install"),
    ],
    zh: &[
        ("preview.title", "待安装的文件"),
    ],
};
