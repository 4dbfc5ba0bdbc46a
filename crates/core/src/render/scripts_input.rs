//! What install.sh and README.txt are written from: the other files of the bundle and the facts the render decided
//! about it, as plain data. Both texts repeat every other file, so they are written from this, never from the
//! project: natively on first read, and in the page by the tools module, which is sent this very data
//! (`scripts_result`) and so neither plans nor renders the bundle a second time.

use std::rc::Rc;

use super::{ConfigDelivery, Text};
use crate::diagnostics::Lang;
use crate::model::OutputStyle;

#[derive(Debug, Clone, PartialEq)]
pub struct ScriptsInput {
    /// The first lines of every generated file (`render::header`).
    pub header: String,
    pub style: OutputStyle,
    pub config: ConfigDelivery,
    /// (bundle path, content) of the config file (merged config.toml, fragment or drop-in).
    pub config_file: (String, Text),
    /// (bundle path, content, mode) of the hosts.toml and CA files, in the bundle's order.
    pub other_files: Vec<(String, Text, u32)>,
    pub has_credentials: bool,
    /// `crictl pull …`, then (hosts-dir style) `ctr … --hosts-dir …`.
    pub verify_commands: Vec<String>,
    /// The bundle's files as README.txt lists them (install.sh and README.txt last).
    pub files: Vec<String>,
    /// Each directory's try order (namespace, hosts), as README.txt lists them.
    pub try_orders: Rc<Vec<(String, Vec<String>)>>,
    /// The words of both texts (the bundle's language, never the node's `LANG`).
    pub lang: Lang,
}

#[cfg(any(not(target_arch = "wasm32"), feature = "scripts"))]
impl ScriptsInput {
    pub fn install_sh(&self) -> String {
        super::install_sh::install_sh(&super::install_sh::InstallPlan {
            header: &self.header,
            style: self.style,
            config: self.config.clone(),
            config_file: (&self.config_file.0, &self.config_file.1),
            other_files: self.other_files.iter().map(|(path, content, mode)| (path.as_str(), content.as_str(), *mode)).collect(),
            has_credentials: self.has_credentials,
            verify_commands: &self.verify_commands,
            lang: self.lang,
        })
    }

    pub fn readme(&self) -> String {
        super::readme::readme(&super::readme::ReadmeInput {
            header: &self.header,
            style: self.style,
            config: &self.config,
            config_path: crate::model::CERTS_D,
            files: self.files.iter().map(String::as_str).collect(),
            try_orders: self.try_orders.as_ref().clone(),
            verify_commands: &self.verify_commands,
            has_credentials: self.has_credentials,
            lang: self.lang,
        })
    }
}
