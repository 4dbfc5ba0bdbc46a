//! Strings of the lazily loaded modules (`src/lazy/`): what the page says while one loads.

use super::Catalogue;

pub const CATALOGUE: Catalogue = Catalogue {
    name: "lazy",
    forms: false,
    en: &[
        ("lazy.merge_loading", "Loading the merge (a part of this page fetched when a config.toml is first pasted)… The preview shows the merged bundle as soon as it is there."),
        ("lazy.scripts_loading", "Loading the part of this page that writes install.sh and README.txt (fetched when they are first needed)… The download follows as soon as it is there."),
        ("lazy.scripts_meanwhile", "Being written: install.sh and README.txt come from a part of this page fetched when they are first needed. They follow in a moment."),
        ("lazy.scripts_failed", "install.sh and README.txt could not be written: a part of this page did not load ({why}). The next download, or showing either file, tries again."),
        ("lazy.scripts_broken", "install.sh and README.txt could not be written ({why}). Reload the page to try again."),
        ("lazy.forms_loading", "Loading this section (a part of this page fetched right after it first appears)… The form shows as soon as it is there."),
        ("lazy.forms_failed", "This section could not be loaded: a part of this page did not arrive (the browser's console says why). Open the section again to retry; what you entered is kept."),
        ("lazy.part_missing", "a part of this page did not arrive; the browser's console says why"),
    ],
    #[cfg(not(target_arch = "wasm32"))]
    zh: &[
        ("lazy.merge_loading", "正在加载合并功能（本页面的一部分，首次粘贴 config.toml 时才下载）……加载完成后，预览会立即显示合并后的配置包。"),
        ("lazy.scripts_loading", "正在加载本页面中生成 install.sh 和 README.txt 的部分（首次需要时才下载）……加载完成后随即开始下载。"),
        ("lazy.scripts_meanwhile", "正在生成：install.sh 和 README.txt 由本页面中首次需要时才下载的部分生成，稍后即会显示。"),
        ("lazy.scripts_failed", "无法生成 install.sh 和 README.txt：本页面的一部分未能加载（{why}）。下次下载或查看其中任一文件时会重试。"),
        ("lazy.scripts_broken", "无法生成 install.sh 和 README.txt（{why}）。请重新加载页面后再试。"),
        ("lazy.forms_loading", "正在加载本部分（本页面的一部分，页面首次显示后随即下载）……加载完成后立即显示表单。"),
        ("lazy.forms_failed", "无法加载本部分：本页面的一部分未能下载（浏览器控制台中有原因）。请重新打开本部分以重试；已填写的内容会保留。"),
        ("lazy.part_missing", "本页面的一部分未能下载，浏览器控制台中有原因"),
    ],
};
