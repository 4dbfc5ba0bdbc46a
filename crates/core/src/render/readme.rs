//! README.txt of the bundle: what is in it, how to apply it, how to verify, what needs a restart.

use crate::diagnostics::Lang;
use crate::model::OutputStyle;
use crate::render::catalogue::{text, text_with};
use crate::render::ConfigDelivery;

pub struct ReadmeInput<'a> {
    pub header: &'a str,
    pub style: OutputStyle,
    pub config: &'a ConfigDelivery,
    pub config_path: &'a str,
    pub files: Vec<&'a str>,
    pub try_orders: Vec<(String, Vec<String>)>,
    pub verify_commands: &'a [String],
    pub has_credentials: bool,
    /// The language of the text (the bundle's).
    pub lang: Lang,
}

pub fn readme(r: &ReadmeInput) -> String {
    let lang = r.lang;
    let t = |key| text(lang, key);
    let mut s = String::new();
    for line in r.header.lines() {
        s.push_str(line);
        s.push('\n');
    }
    s.push_str(t("readme.files"));
    for f in &r.files {
        s.push_str(&format!("  {}\n", crate::diagnostics::one_line(f)));
    }
    s.push_str(t("readme.not_installed"));
    s.push_str(t("readme.apply"));
    match r.config {
        ConfigDelivery::Merged { .. } => s.push_str(t("readme.apply_merged")),
        ConfigDelivery::Fragment { path } => s.push_str(&text_with(lang, "readme.apply_fragment", &[("path", path)])),
        ConfigDelivery::DropIn { path } => s.push_str(&text_with(lang, "readme.apply_drop_in", &[("path", path)])),
    }
    if r.has_credentials {
        s.push_str(t("readme.credentials"));
    }
    s.push_str(t("readme.restart"));
    if r.style == OutputStyle::HostsDir {
        s.push_str(t("readme.restart_hosts"));
    }
    if r.style == OutputStyle::HostsDir && matches!(r.config, ConfigDelivery::Fragment { .. }) {
        s.push_str(t("readme.exit_status"));
    }
    s.push_str(t("readme.verify"));
    if let Some(crictl) = r.verify_commands.first() {
        s.push_str(&text_with(lang, "readme.verify_crictl", &[("crictl", crictl)]));
    }
    if let Some(ctr) = r.verify_commands.get(1) {
        s.push_str(&text_with(lang, "readme.verify_ctr", &[("ctr", ctr)]));
        s.push_str(t("readme.verify_config_path"));
    } else {
        s.push_str(t("readme.verify_legacy"));
    }
    if !r.try_orders.is_empty() {
        s.push_str(t("readme.try_order"));
        for (ns, order) in &r.try_orders {
            s.push_str(&format!("  {}:\n", crate::diagnostics::one_line(ns)));
            for (i, h) in order.iter().enumerate() {
                s.push_str(&format!("    {}. {}\n", i + 1, h));
            }
        }
    }
    s.push_str(t("readme.k3s"));
    s
}
