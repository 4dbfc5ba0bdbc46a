//! Strings of the Air-gap section.

use super::Catalogue;

/// What the page shows outside these forms too (the Problems list's labels, the downloads beside the preview).
pub const CATALOGUE: Catalogue = Catalogue {
    name: "airgap",
    forms: false,
    en: &[
        ("airgap.registry", "Private registry"),
        ("airgap.fallback", "Fall back to the real upstream"),
        ("airgap.namespaces", "Registries with a complete directory of their own"),
        ("airgap.sandbox_image", "Sandbox image"),
    ],
    #[cfg(not(target_arch = "wasm32"))]
    zh: &[
        ("airgap.registry", "私有仓库"),
        ("airgap.fallback", "回退到真实上游"),
        ("airgap.namespaces", "拥有独立完整目录的仓库"),
        ("airgap.sandbox_image", "Sandbox 镜像"),
    ],
};

/// Shown by the forms alone (in the split page, their text module: see `super::forms_only`).
pub const FORMS: Catalogue = Catalogue {
    name: "airgap.forms",
    forms: true,
    en: super::forms_only(&[
        ("airgap.intro", "For nodes without internet access: every image, whatever registry its name says, is pulled from one private registry. Nothing is fetched on demand, so only images imported into that registry beforehand can be pulled."),
        ("airgap.enable", "Redirect every registry to one private registry"),
        ("airgap.enable_hint", "air-gapped or offline nodes"),
        ("airgap.off", "No air-gap: registries without settings of their own are pulled from directly."),
        ("airgap.registry_hint", "URL with scheme: https://registry.internal:5000"),
        ("airgap.fallback_hint", "off by default: an air-gapped node cannot reach it, and trying only adds DNS and connect timeouts that hide the real error; turn on for nodes that are only partly offline"),
        ("airgap.namespaces_hint", "certs.d/_default covers every registry without a directory, but only on containerd {since.default_dir} and later. The registries listed here each get their own directory pointing at the private registry (needed on older releases, harmless elsewhere)."),
        ("airgap.default_all", "Every release in the target range reads _default."),
        ("airgap.default_some", "Some releases in the target range ignore _default: list every registry your images come from."),
        ("airgap.default_none", "No release in the target range reads _default, so it is not written: list every registry your images come from."),
        ("airgap.namespace", "Registry"),
        ("airgap.remove_namespace", "Remove {name}"),
        ("airgap.add_namespace", "Add a registry"),
        ("airgap.fill_seed", "Add the usual ones ({names})"),
        ("airgap.import_note", "Import images under their upstream repository path (library/nginx, coreos/etcd, pause): containerd asks the private registry for the same repository it would ask the upstream for. Images of different upstreams with the same path collide."),
        ("airgap.tls_note", "A private CA or a self-signed certificate on the private registry is set up in"),
        ("airgap.to_tls", "TLS settings"),
        ("airgap.sandbox_title", "Sandbox (pause) image"),
        ("airgap.sandbox_explain", "Every pod starts with a small sandbox container, by default registry.k8s.io/pause. On an air-gapped node that pull fails and pods stay in ContainerCreating, so name a pause image your registry serves. containerd 1.x reads it as sandbox_image in the CRI plugin, containerd 2.x as pinned_images.sandbox."),
        ("airgap.sandbox_hint", "as in crictl pull, without https://; empty = containerd's default"),
        ("airgap.sandbox_key_1x", "For this target it is written as sandbox_image in [plugins.\"io.containerd.grpc.v1.cri\"]."),
        ("airgap.sandbox_key_2x", "For this target it is written as sandbox in [plugins.\"io.containerd.cri.v1.images\".pinned_images]."),
    ]),
    #[cfg(not(target_arch = "wasm32"))]
    zh: &[
        ("airgap.intro", "用于无法访问互联网的节点：无论镜像名中写的是哪个仓库，所有镜像都从同一个私有仓库拉取。私有仓库不会按需从上游获取，所以只能拉取事先导入的镜像。"),
        ("airgap.enable", "把所有仓库重定向到一个私有仓库"),
        ("airgap.enable_hint", "离线或隔离网络中的节点"),
        ("airgap.off", "未启用离线模式：没有单独设置的仓库将直接从仓库本身拉取。"),
        ("airgap.registry_hint", "带协议的 URL：https://registry.internal:5000"),
        ("airgap.fallback_hint", "默认关闭：离线节点访问不到上游，尝试只会增加 DNS 与连接超时，并掩盖真正的错误；仅部分离线的节点可以开启"),
        ("airgap.namespaces_hint", "certs.d/_default 覆盖所有没有独立目录的仓库，但仅适用于 containerd {since.default_dir} 及以上。这里列出的仓库各自获得一个指向私有仓库的目录（旧版本必需，其他版本也无害）。"),
        ("airgap.default_all", "目标范围内的所有版本都会读取 _default。"),
        ("airgap.default_some", "目标范围内有些版本会忽略 _default：请列出镜像来源的所有仓库。"),
        ("airgap.default_none", "目标范围内没有版本读取 _default，因此不会生成它：请列出镜像来源的所有仓库。"),
        ("airgap.namespace", "仓库"),
        ("airgap.remove_namespace", "删除 {name}"),
        ("airgap.add_namespace", "添加仓库"),
        ("airgap.fill_seed", "添加常用仓库（{names}）"),
        ("airgap.import_note", "导入镜像时请保持其在上游的仓库路径（library/nginx、coreos/etcd、pause）：containerd 向私有仓库请求的仓库路径与向上游请求的相同。不同上游中路径相同的镜像会互相冲突。"),
        ("airgap.tls_note", "私有仓库使用私有 CA 或自签名证书时，请在此设置："),
        ("airgap.to_tls", "TLS 设置"),
        ("airgap.sandbox_title", "Sandbox（pause）镜像"),
        ("airgap.sandbox_explain", "每个 Pod 都先启动一个很小的 sandbox 容器，默认镜像是 registry.k8s.io/pause。离线节点上拉取它会失败，Pod 会一直停在 ContainerCreating，因此请填写你的仓库中已有的 pause 镜像。containerd 1.x 从 CRI 插件的 sandbox_image 读取，containerd 2.x 从 pinned_images.sandbox 读取。"),
        ("airgap.sandbox_hint", "按 crictl pull 的写法，不带 https://；留空 = containerd 默认值"),
        ("airgap.sandbox_key_1x", "按当前目标，它将写成 [plugins.\"io.containerd.grpc.v1.cri\"] 中的 sandbox_image。"),
        ("airgap.sandbox_key_2x", "按当前目标，它将写成 [plugins.\"io.containerd.cri.v1.images\".pinned_images] 中的 sandbox。"),
    ],
};
