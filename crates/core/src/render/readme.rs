//! README.txt of the bundle: what is in it, how to apply it, how to verify, what needs a restart.

use crate::model::OutputStyle;
use crate::render::install_sh::ConfigDelivery;

pub struct ReadmeInput<'a> {
    pub header: &'a str,
    pub style: OutputStyle,
    pub config: &'a ConfigDelivery,
    pub config_path: &'a str,
    pub files: Vec<&'a str>,
    pub try_orders: Vec<(String, Vec<String>)>,
    pub verify_commands: &'a [String],
    pub has_credentials: bool,
}

pub fn readme(r: &ReadmeInput) -> String {
    let mut s = String::new();
    for line in r.header.lines() {
        s.push_str(line);
        s.push('\n');
    }
    s.push_str("\nFILES (paths relative to /etc/containerd)\n");
    for f in &r.files {
        s.push_str(&format!("  {}\n", crate::diagnostics::one_line(f)));
    }
    s.push_str(
        "\nNOT INSTALLED\n\
         \x20 project.json   the project this bundle was made from, secrets left out; the CLI renders it again\n\
         \x20                 (containerd-config-builder render project.json --out bundle), the web app opens it.\n",
    );
    s.push_str("\nAPPLY\n");
    match r.config {
        ConfigDelivery::Merged { .. } => s.push_str(
            "  1. Copy this folder to the node and run, as root:  sh install.sh --dry-run   then   sh install.sh\n\
             \x20    config.toml was merged from the node's own file: only the registry settings changed, every other\n\
             \x20    setting and comment is kept. install.sh refuses to run if the node's config.toml changed since.\n",
        ),
        ConfigDelivery::Fragment { path } => s.push_str(&format!(
            "  1. {path} holds the settings config.toml needs. Do NOT replace config.toml with it, and do not use it\n\
             \x20    as an imports drop-in on containerd 1.x (a drop-in replaces the whole CRI plugin section there:\n\
             \x20    SystemdCgroup and the sandbox image would be lost). Merge it instead, either\n\
             \x20    a. in the web app: paste the node's config.toml (or `containerd config dump` output) into\n\
             \x20       'Your current config.toml' on the Apply tab and download the bundle again: its config.toml is then\n\
             \x20       the node's file merged, and its install.sh installs it; or\n\
             \x20    b. with the CLI, built from the containerd-config-builder repository (there is no other download):\n\
             \x20         cargo install --path crates/cli\n\
             \x20         containerd-config-builder render project.json --out bundle --merge-into /etc/containerd/config.toml\n\
             \x20       (project.json has no secrets: add them back first, or as {{\"env\": \"NAME\"}} references).\n\
             \x20 2. Run install.sh as root for the remaining files:  sh install.sh --dry-run   then   sh install.sh\n"
        )),
        ConfigDelivery::DropIn { path } => s.push_str(&format!(
            "  1. Run as root:  sh install.sh --dry-run   then   sh install.sh\n\
             \x20    {path} is installed as a drop-in. containerd 2.x merges it into config.toml, which must be\n\
             \x20    version 3 or later and contain  imports = [\"/etc/containerd/conf.d/*.toml\"]  (install.sh checks).\n"
        )),
    }
    if r.has_credentials {
        s.push_str("     config.toml holds registry credentials in plain text: install.sh makes it mode 0600.\n");
    }
    s.push_str(
        "\nRESTART\n\
         \x20 containerd cannot reload its configuration: after config.toml changes, run  systemctl restart containerd.\n",
    );
    if r.style == OutputStyle::HostsDir {
        s.push_str(
            "  hosts.toml files are read again on every pull: changing only them needs no restart.\n",
        );
    }
    if r.style == OutputStyle::HostsDir && matches!(r.config, ConfigDelivery::Fragment { .. }) {
        s.push_str(
            "\nINSTALL.SH EXIT STATUS\n\
             \x20 0 installed; 1 failed (everything it changed was put back); 2 unknown option;\n\
             \x20 3 the hosts.toml files are installed, but the registry settings are NOT active yet: the node's config.toml\n\
             \x20   does not set config_path = \"/etc/containerd/certs.d\" (install.sh reads `containerd config dump` where\n\
             \x20   containerd is installed, else config.toml). Merge the fragment (step 1), restart containerd, run it again.\n",
        );
    }
    s.push_str("\nVERIFY\n");
    if let Some(crictl) = r.verify_commands.first() {
        s.push_str(&format!("  {crictl}          (the kubelet's path: uses config.toml and hosts.toml)\n"));
    }
    if let Some(ctr) = r.verify_commands.get(1) {
        s.push_str(&format!(
            "  {ctr}\n\
             \x20   (plain `ctr images pull` ignores config_path, and ctr never uses config.toml credentials: add --user)\n"
        ));
        s.push_str("  containerd config dump | grep config_path     must show the directory above\n");
    } else {
        s.push_str("  ctr never reads registry settings from config.toml: verify with crictl.\n");
    }
    if !r.try_orders.is_empty() {
        s.push_str("\nTRY ORDER PER REGISTRY\n");
        for (ns, order) in &r.try_orders {
            s.push_str(&format!("  {}:\n", crate::diagnostics::one_line(ns)));
            for (i, h) in order.iter().enumerate() {
                s.push_str(&format!("    {}. {}\n", i + 1, h));
            }
        }
    }
    s.push_str(
        "\nK3S / RKE2\n\
         \x20 k3s and RKE2 regenerate containerd's config from /etc/rancher/{k3s,rke2}/registries.yaml at every start;\n\
         \x20 on such nodes configure registries.yaml instead of installing these files.\n",
    );
    s
}
