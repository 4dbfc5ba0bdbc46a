//! Strings of the lazily loaded modules (`src/lazy/`): what the page says while one loads.

use super::Catalogue;

pub const CATALOGUE: Catalogue = Catalogue {
    name: "lazy",
    en: &[
        ("lazy.merge_loading", "Loading the merge (a part of this page fetched when a config.toml is first pasted)… The preview shows the merged bundle as soon as it is there."),
    ],
    #[cfg(not(target_arch = "wasm32"))]
    zh: &[
        ("lazy.merge_loading", "正在加载合并功能（本页面的一部分，首次粘贴 config.toml 时才下载）……加载完成后，预览会立即显示合并后的配置包。"),
    ],
};
