//! Strings of the lazily loaded modules (`src/lazy/`): what the page says while one loads.

use super::Catalogue;

pub const CATALOGUE: Catalogue = Catalogue {
    name: "lazy",
    en: &[
        ("lazy.merge_loading", "Loading the merge (a part of this page fetched when a config.toml is first pasted)… The preview shows the merged bundle as soon as it is there."),
        ("lazy.scripts_loading", "install.sh and README.txt are being written by a part of this page that loads after the first preview… The downloads are ready as soon as it is there."),
        ("lazy.scripts_failed", "install.sh and README.txt could not be written: a part of this page did not load ({why}). Reload the page to try again."),
        ("lazy.scripts_broken", "install.sh and README.txt could not be written ({why}). Reload the page to try again."),
    ],
    #[cfg(not(target_arch = "wasm32"))]
    zh: &[
        ("lazy.merge_loading", "正在加载合并功能（本页面的一部分，首次粘贴 config.toml 时才下载）……加载完成后，预览会立即显示合并后的配置包。"),
        ("lazy.scripts_loading", "install.sh 和 README.txt 正由本页面在首次预览后加载的一部分生成……加载完成后即可下载。"),
        ("lazy.scripts_failed", "无法生成 install.sh 和 README.txt：本页面的一部分未能加载（{why}）。请重新加载页面后再试。"),
        ("lazy.scripts_broken", "无法生成 install.sh 和 README.txt（{why}）。请重新加载页面后再试。"),
    ],
};
