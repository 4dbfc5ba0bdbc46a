//! Strings of "For k3s, RKE2 and Talos": the exports to those tools' own formats (see `sections::export`).

use super::Catalogue;

/// What the page shows outside these forms too (the Problems list's labels, the downloads beside the preview).
pub const CATALOGUE: Catalogue = Catalogue {
    name: "export",
    forms: false,
    en: &[
        ("export.goto", "For k3s, RKE2 or Talos: their own formats (Apply)"),
    ],
    #[cfg(not(target_arch = "wasm32"))]
    zh: &[
        ("export.goto", "用于 k3s、RKE2 或 Talos：它们自己的格式（应用）"),
    ],
};

/// Shown by the forms alone (in the split page, their text module: see `super::forms_only`).
pub const FORMS: Catalogue = Catalogue {
    name: "export.forms",
    forms: true,
    en: super::forms_only(&[
        ("export.title", "For k3s, RKE2 and Talos"),
        ("export.intro", "k3s, RKE2 and Talos write containerd's files themselves, from their own configuration: download the same registries in their format. What a format cannot carry is listed at its field."),
        ("export.k3s", "For k3s / RKE2: registries.yaml"),
        ("export.talos_patch", "For Talos ≤ 1.11: machine config patch"),
        ("export.talos_documents", "For Talos 1.12+: registry documents"),
        ("export.secrets", "Credentials go into the file as the project holds them, as into the bundle. The file is made in this browser: nothing is sent anywhere."),
        ("export.busy", "Preparing the export (a part of this page fetched on first use)…"),
        ("export.not_loaded", "The export could not be loaded. Try again, or reload the page:"),
        ("export.broken", "The export failed inside. Reload the page:"),
        ("export.report_title", "Report of {name}"),
        ("export.blocked", "Not downloaded: {n} to fix first (warnings never block)."),
        ("export.downloaded", "{name} downloaded."),
        ("export.counts", "{errors}, {warnings}, {infos}."),
        ("export.clean", "The format carries everything in the project."),
        ("export.cas", "Download the CA files ({name}, {n})"),
        ("export.cas_hint", "registries.yaml names them under /etc/rancher/registry-ca/: on every node, unpack them there with sudo tar -xzf {name} -C /"),
        ("export.stale", "The form has changed since the last export: export again."),
        ("export.k3s_link", "Download registries.yaml for this project"),
    ]),
    #[cfg(not(target_arch = "wasm32"))]
    zh: &[
        ("export.title", "用于 k3s、RKE2 和 Talos"),
        ("export.intro", "k3s、RKE2 和 Talos 会根据自己的配置自行写出 containerd 的文件：在这里以它们的格式下载相同的镜像仓库设置。格式无法表达的内容会列在对应字段处。"),
        ("export.k3s", "用于 k3s / RKE2：registries.yaml"),
        ("export.talos_patch", "用于 Talos ≤ 1.11：机器配置补丁"),
        ("export.talos_documents", "用于 Talos 1.12+：镜像仓库文档"),
        ("export.secrets", "凭据按项目中的内容写入文件，与配置包相同。文件在本浏览器中生成：不会发送到任何地方。"),
        ("export.busy", "正在准备导出（本页面的一部分，首次使用时才下载）…"),
        ("export.not_loaded", "无法加载导出功能。请重试或重新加载页面："),
        ("export.broken", "导出内部出错。请重新加载页面："),
        ("export.report_title", "{name} 的报告"),
        ("export.blocked", "未下载：需要先修复 {n}（警告不影响下载）。"),
        ("export.downloaded", "已下载 {name}。"),
        ("export.counts", "{errors}，{warnings}，{infos}。"),
        ("export.clean", "该格式可以表达项目中的全部内容。"),
        ("export.cas", "下载 CA 文件（{name}，{n} 个）"),
        ("export.cas_hint", "registries.yaml 在 /etc/rancher/registry-ca/ 下引用它们：在每个节点上用 sudo tar -xzf {name} -C / 解压到该处"),
        ("export.stale", "上次导出后表单已更改：请重新导出。"),
        ("export.k3s_link", "下载此项目的 registries.yaml"),
    ],
};
