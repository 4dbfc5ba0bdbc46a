//! Strings of the Harbor proxy cache section.

use super::Catalogue;

/// What the page shows outside these forms too (the Problems list's labels, the downloads beside the preview).
pub const CATALOGUE: Catalogue = Catalogue {
    name: "harbor",
    forms: false,
    en: &[
        ("harbor.address", "Harbor address"),
        ("harbor.mode", "How containerd reaches a project"),
        ("harbor.fallback", "Fall back to the real upstream"),
        ("harbor.mappings", "Upstream → Harbor project"),
        ("harbor.upstream", "Upstream"),
        ("harbor.project", "Harbor project"),
        ("harbor.endpoint", "Endpoint containerd uses"),
    ],
    #[cfg(not(target_arch = "wasm32"))]
    zh: &[
        ("harbor.address", "Harbor 地址"),
        ("harbor.mode", "containerd 访问项目的方式"),
        ("harbor.fallback", "回退到真实上游"),
        ("harbor.mappings", "上游 → Harbor 项目"),
        ("harbor.upstream", "上游"),
        ("harbor.project", "Harbor 项目"),
        ("harbor.endpoint", "containerd 使用的端点"),
    ],
};

/// Shown by the forms alone (in the split page, their text module: see `super::forms_only`).
pub const FORMS: Catalogue = Catalogue {
    name: "harbor.forms",
    forms: true,
    en: super::forms_only(&[
        ("harbor.intro", "A Harbor proxy-cache project pulls from one upstream registry and keeps a copy. Map each upstream to its project here: the builder writes the Harbor endpoint into that upstream's hosts.toml, in front of any mirrors you listed for it, with the settings Harbor needs (override_path in path mode)."),
        ("harbor.enable", "Use a Harbor proxy cache"),
        ("harbor.enable_hint", "starts with the usual projects for Docker Hub, registry.k8s.io, Quay, GHCR and GCR"),
        ("harbor.off", "Harbor is not used."),
        ("harbor.address_hint", "scheme and host only, no path: https://cr.example.com"),
        ("harbor.mode.path", "Path: https://<harbor>/v2/<project>"),
        ("harbor.mode.path_hint", "Written with override_path = true; needs containerd {since.override_path} or later and nothing on the Harbor side."),
        ("harbor.mode.subdomain", "Subdomain: https://<project>.<harbor>"),
        ("harbor.mode.subdomain_hint", "For older nodes. Harbor's ingress must map each <project>.<harbor> to <harbor>/v2/<project>/… and its certificate must cover *.<harbor>."),
        ("harbor.fallback_hint", "when Harbor fails; off = images come from Harbor or not at all"),
        ("harbor.mappings_hint", "Each project must be a proxy-cache project in Harbor whose registry endpoint is that upstream."),
        ("harbor.endpoint_in", "in certs.d/{dir}/hosts.toml"),
        ("harbor.add_mapping", "Add a mapping"),
        ("harbor.remove_mapping", "Remove the mapping for {upstream}"),
        ("harbor.more", "Harbor's CA certificate and a robot account for private projects are set elsewhere:"),
        ("harbor.to_tls", "TLS settings"),
        ("harbor.to_auth", "credentials"),
    ]),
    #[cfg(not(target_arch = "wasm32"))]
    zh: &[
        ("harbor.intro", "Harbor 代理缓存项目从一个上游仓库拉取镜像并保留副本。在这里把每个上游映射到对应的项目：生成器会把 Harbor 端点写入该上游的 hosts.toml，排在你为它列出的其他镜像站之前，并带上 Harbor 所需的设置（路径模式下为 override_path）。"),
        ("harbor.enable", "使用 Harbor 代理缓存"),
        ("harbor.enable_hint", "预置 Docker Hub、registry.k8s.io、Quay、GHCR 和 GCR 的常用项目"),
        ("harbor.off", "未使用 Harbor。"),
        ("harbor.address_hint", "只写协议和主机，不带路径：https://cr.example.com"),
        ("harbor.mode.path", "路径：https://<harbor>/v2/<项目>"),
        ("harbor.mode.path_hint", "写入 override_path = true；需要 containerd {since.override_path} 及以上，Harbor 侧无需任何改动。"),
        ("harbor.mode.subdomain", "子域名：https://<项目>.<harbor>"),
        ("harbor.mode.subdomain_hint", "用于旧节点。Harbor 的入口必须把每个 <项目>.<harbor> 映射到 <harbor>/v2/<项目>/…，且证书需覆盖 *.<harbor>。"),
        ("harbor.fallback_hint", "Harbor 不可用时；关闭 = 镜像只能来自 Harbor"),
        ("harbor.mappings_hint", "每个项目都必须是 Harbor 中以该上游为仓库端点的代理缓存项目。"),
        ("harbor.endpoint_in", "写入 certs.d/{dir}/hosts.toml"),
        ("harbor.add_mapping", "添加映射"),
        ("harbor.remove_mapping", "删除 {upstream} 的映射"),
        ("harbor.more", "Harbor 的 CA 证书以及私有项目所需的机器人账号在别处设置："),
        ("harbor.to_tls", "TLS 设置"),
        ("harbor.to_auth", "凭据"),
    ],
};
