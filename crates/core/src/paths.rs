//! Where things are: the bundle's paths (relative to the bundle root, which install.sh copies to
//! `/etc/containerd` on the node) and the node's own paths. The shells name files through these constants and
//! [`crate::render::FileKind`], never by matching path strings of their own.

/// The node's containerd configuration directory: the bundle root is installed here.
pub const NODE_ETC: &str = "/etc/containerd";
/// The node's config.toml.
pub const NODE_CONFIG_TOML: &str = "/etc/containerd/config.toml";
/// The directory every generated `config_path` points at.
pub const NODE_CERTS_D: &str = crate::model::CERTS_D;

/// The node's config.toml merged with the project (only when the node's file was given).
pub const CONFIG_TOML: &str = "config.toml";
/// The managed settings, to merge into config.toml by hand (or with the CLI's `--merge-into`); never installed.
pub const CONFIG_FRAGMENT: &str = "config-fragment.toml";
/// containerd 2.x's drop-in directory (relative to the bundle root).
pub const CONF_D: &str = "conf.d";
/// What a version 3+ config.toml imports for containerd 2.x to read the drop-ins (its `imports` entry).
pub const NODE_CONF_D_IMPORT: &str = "/etc/containerd/conf.d/*.toml";
/// The managed settings as a containerd 2.x drop-in.
pub const DROP_IN: &str = "conf.d/containerd-config-builder.toml";
/// One directory per registry namespace, each with a `hosts.toml` (relative to the bundle root).
pub const CERTS_D: &str = "certs.d";
/// The file name containerd reads in each namespace directory.
pub const HOSTS_TOML: &str = "hosts.toml";
pub const INSTALL_SH: &str = "install.sh";
pub const README: &str = "README.txt";
/// The project the bundle was rendered from (secrets left out); never installed on the node.
pub const PROJECT_JSON: &str = "project.json";

/// `certs.d/<namespace>`: where a namespace's hosts.toml and shipped CAs live, relative to the bundle root.
pub fn hosts_dir(namespace: &str) -> String {
    format!("{CERTS_D}/{namespace}")
}

/// `certs.d/<namespace>/hosts.toml`.
pub fn hosts_toml(namespace: &str) -> String {
    format!("{CERTS_D}/{namespace}/{HOSTS_TOML}")
}

/// The namespace directory a bundle path is in (`certs.d/docker.io/ca.crt` → `docker.io`), if any.
pub fn namespace_of(path: &str) -> Option<&str> {
    let rest = path.strip_prefix(CERTS_D)?.strip_prefix('/')?;
    rest.rsplit_once('/').map(|(ns, _)| ns).filter(|ns| !ns.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_dirs_are_named_by_the_namespace() {
        assert_eq!(hosts_toml("registry.example.com:5000"), "certs.d/registry.example.com:5000/hosts.toml");
        assert_eq!(namespace_of("certs.d/docker.io/hosts.toml"), Some("docker.io"));
        assert_eq!(namespace_of("certs.d/_default/ca-0.crt"), Some("_default"));
        assert_eq!(namespace_of(DROP_IN), None);
        assert_eq!(namespace_of("certs.d/hosts.toml"), None);
        assert!(NODE_CONFIG_TOML.starts_with(NODE_ETC) && NODE_CERTS_D.starts_with(NODE_ETC));
        assert_eq!(NODE_CONF_D_IMPORT, format!("{NODE_ETC}/{CONF_D}/*.toml"));
    }
}
