//! The bundle's paths as a folder tree (pure): folders and files in the order they are given.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Dir { name: String, children: Vec<Node> },
    /// Index into `Rendered::files`.
    File { name: String, index: usize },
}

/// Builds the tree of `files`: each an index into `Rendered::files` and its path (e.g.
/// `certs.d/docker.io/hosts.toml`). A folder appears where its first file does.
pub fn build<'a>(files: impl IntoIterator<Item = (usize, &'a str)>) -> Vec<Node> {
    let mut root: Vec<Node> = Vec::new();
    for (index, path) in files {
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let Some((file, dirs)) = parts.split_last() else { continue };
        let mut level = &mut root;
        for d in dirs {
            let pos = level.iter().position(|n| matches!(n, Node::Dir { name, .. } if name == d));
            let pos = match pos {
                Some(p) => p,
                None => {
                    level.push(Node::Dir { name: d.to_string(), children: Vec::new() });
                    level.len() - 1
                }
            };
            level = match &mut level[pos] {
                Node::Dir { children, .. } => children,
                Node::File { .. } => unreachable!("position() matched a folder"),
            };
        }
        level.push(Node::File { name: file.to_string(), index });
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, index: usize) -> Node {
        Node::File { name: name.into(), index }
    }
    fn dir(name: &str, children: Vec<Node>) -> Node {
        Node::Dir { name: name.into(), children }
    }

    #[test]
    fn groups_by_folder_in_bundle_order() {
        let paths = [
            "config-fragment.toml",
            "conf.d/containerd-config-builder.toml",
            "certs.d/docker.io/hosts.toml",
            "certs.d/registry.example.com:5000/hosts.toml",
            "certs.d/registry.example.com:5000/ca.crt",
            "install.sh",
            "README.txt",
        ];
        assert_eq!(
            build(paths.into_iter().enumerate()),
            vec![
                file("config-fragment.toml", 0),
                dir("conf.d", vec![file("containerd-config-builder.toml", 1)]),
                dir(
                    "certs.d",
                    vec![
                        dir("docker.io", vec![file("hosts.toml", 2)]),
                        dir("registry.example.com:5000", vec![file("hosts.toml", 3), file("ca.crt", 4)]),
                    ]
                ),
                file("install.sh", 5),
                file("README.txt", 6),
            ]
        );
    }
}
