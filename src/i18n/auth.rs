//! Strings of the Auth section.

use super::Catalogue;

/// What the page shows outside these forms too (the Problems list's labels, the downloads beside the preview).
pub const CATALOGUE: Catalogue = Catalogue {
    name: "auth",
    forms: false,
    en: &[
        ("auth.host", "Host"),
        ("auth.method", "Kind"),
        ("auth.username", "User name"),
        ("auth.password", "Password"),
        ("auth.auth_value", "auth"),
        ("auth.token", "Identity token"),
        ("auth.from_env", "from environment variable {name}"),
        ("auth.replace_env", "Type a value instead"),
    ],
    #[cfg(not(target_arch = "wasm32"))]
    zh: &[
        ("auth.host", "主机"),
        ("auth.method", "类型"),
        ("auth.username", "用户名"),
        ("auth.password", "密码"),
        ("auth.auth_value", "auth"),
        ("auth.token", "身份令牌"),
        ("auth.from_env", "来自环境变量 {name}"),
        ("auth.replace_env", "改为直接填写"),
    ],
};

/// Shown by the forms alone (in the split page, their text module: see `super::forms_only`).
pub const FORMS: Catalogue = Catalogue {
    name: "auth.forms",
    forms: true,
    en: super::forms_only(&[
        ("auth.intro", "Credentials for private registries and private Harbor projects. They are written to the CRI registry configs in config.toml (hosts.toml has no place for them), one set per host."),
        ("auth.key_note", "containerd looks credentials up by the host it actually contacts, not by the registry in the image name: Docker Hub is registry-1.docker.io (not docker.io), and a mirror or Harbor is its own host[:port]."),
        ("auth.contacted", "Hosts contacted with the current settings: {hosts}."),
        ("auth.plaintext_note", "Credentials end up in plain text in config.toml on every node (install.sh makes the file readable by root only). In Kubernetes, imagePullSecrets or a kubelet credential provider keep them off the nodes' disks."),
        ("auth.add", "Add credentials"),
        ("auth.unnamed", "New credentials"),
        ("auth.remove", "Remove the credentials for {host}"),
        ("auth.host_hint", "host[:port] containerd contacts, no https://"),
        ("auth.method.basic", "User name and password"),
        ("auth.method.auth", "Ready-made auth value (base64)"),
        ("auth.method.identity_token", "Identity token (OAuth2 refresh token)"),
        ("auth.encode", "Write as base64 auth"),
        ("auth.encode_hint", "one auth = base64(user:password) line instead of username and password"),
        ("auth.auth_value_hint", "base64 of user:password, as in ~/.docker/config.json"),
        ("auth.token_hint", "written as identitytoken"),
    ]),
    #[cfg(not(target_arch = "wasm32"))]
    zh: &[
        ("auth.intro", "私有仓库和 Harbor 私有项目的凭据。它们写入 config.toml 的 CRI registry configs（hosts.toml 中没有凭据字段），每个主机一组。"),
        ("auth.key_note", "containerd 按实际访问的主机查找凭据，而不是按镜像名中的仓库：Docker Hub 是 registry-1.docker.io（不是 docker.io），镜像站或 Harbor 则是它自己的 <主机>[:<端口>]。"),
        ("auth.contacted", "按当前设置会访问的主机：{hosts}。"),
        ("auth.plaintext_note", "凭据会以明文写入每个节点的 config.toml（install.sh 会把该文件设为仅 root 可读）。在 Kubernetes 中，使用 imagePullSecrets 或 kubelet 凭据提供程序可避免把凭据存放在节点磁盘上。"),
        ("auth.add", "添加凭据"),
        ("auth.unnamed", "新凭据"),
        ("auth.remove", "删除 {host} 的凭据"),
        ("auth.host_hint", "containerd 访问的 <主机>[:<端口>]，不带 https://"),
        ("auth.method.basic", "用户名和密码"),
        ("auth.method.auth", "现成的 auth 值（base64）"),
        ("auth.method.identity_token", "身份令牌（OAuth2 刷新令牌）"),
        ("auth.encode", "写成 base64 的 auth"),
        ("auth.encode_hint", "写一行 auth = base64(<用户名>:<密码>)，而不是 username 和 password"),
        ("auth.auth_value_hint", "<用户名>:<密码> 的 base64 编码，与 ~/.docker/config.json 相同"),
        ("auth.token_hint", "写成 identitytoken"),
    ],
};
