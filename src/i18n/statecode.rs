//! Strings of the state code (copy the settings as a code, open a code): see `sections::statecode`.

use super::Catalogue;

/// Shown by the forms alone (in the split page, their text module: see `super::forms_only`).
pub const FORMS: Catalogue = Catalogue {
    name: "statecode",
    forms: true,
    en: super::forms_only(&[
        ("statecode.title", "State code"),
        ("statecode.intro", "A short text that holds these settings, the same as the share link's # part. Paste it into any copy of this tool — the hosted page, a docs portal or the offline file — to open the same settings there. Secrets are never put into it (the same ones the share link leaves out)."),
        ("statecode.label", "Code for these settings"),
        ("statecode.copy", "Copy code"),
        ("statecode.copied", "Code copied."),
        ("statecode.refused", "Your browser did not allow copying. The code is selected: press Ctrl+C (⌘C on a Mac) to copy it."),
        ("statecode.omitted", "Left out of the code:"),
        ("statecode.open_label", "Open a code"),
        ("statecode.open_hint", "paste a code (z1.… or c1.…) or a whole share link"),
        ("statecode.open", "Open"),
        ("statecode.opened", "Opened the settings from the code. Undo (Ctrl+Z) brings back the previous ones."),
        ("statecode.empty", "Paste a code first."),
        ("statecode.not_ours", "This is not a code of this tool: codes start with z1. or c1."),
        ("statecode.too_long", "This code is too long."),
        ("statecode.too_large", "This code is too large to open ({v}), so nothing was opened. A code holds at most 1 MiB of settings and 1,000 registries."),
        ("statecode.code_too_large", "This code would be too large to open ({v}): it would open nothing. Use the project file instead."),
        ("statecode.corrupt", "This code is damaged; was it cut off when copied?"),
        ("statecode.version", "This code uses format {v}, which this version of the tool cannot read."),
        ("statecode.project", "This code holds settings this version of the tool cannot read."),
        ("statecode.unchanged", "Your settings are unchanged."),
    ]),
    #[cfg(not(target_arch = "wasm32"))]
    zh: &[
        ("statecode.title", "状态码"),
        ("statecode.intro", "一段保存这些设置的短文本，与分享链接 # 之后的部分相同。把它粘贴到本工具的任何副本中（在线页面、文档门户或离线文件），即可在那里打开同样的设置。机密绝不会放进状态码（与分享链接省略的内容相同）。"),
        ("statecode.label", "这些设置的状态码"),
        ("statecode.copy", "复制状态码"),
        ("statecode.copied", "状态码已复制。"),
        ("statecode.refused", "浏览器不允许复制。状态码已选中：请按 Ctrl+C（Mac 上按 ⌘C）复制。"),
        ("statecode.omitted", "状态码中省略了："),
        ("statecode.open_label", "打开状态码"),
        ("statecode.open_hint", "粘贴状态码（z1.… 或 c1.…）或完整的分享链接"),
        ("statecode.open", "打开"),
        ("statecode.opened", "已从状态码打开设置。撤销（Ctrl+Z）可恢复之前的设置。"),
        ("statecode.empty", "请先粘贴状态码。"),
        ("statecode.not_ours", "这不是本工具的状态码：状态码以 z1. 或 c1. 开头。"),
        ("statecode.too_long", "此状态码过长。"),
        ("statecode.too_large", "此状态码过大，无法打开（{v}），因此没有打开任何内容。状态码最多容纳 1 MiB 的设置和 1,000 个仓库。"),
        ("statecode.code_too_large", "此状态码过大，无法打开（{v}）：打开它不会载入任何内容。请改用项目文件。"),
        ("statecode.corrupt", "此状态码已损坏；复制时是否被截断了？"),
        ("statecode.version", "此状态码使用格式 {v}，当前版本的工具无法读取。"),
        ("statecode.project", "此状态码包含当前版本的工具无法读取的设置。"),
        ("statecode.unchanged", "你的设置没有改变。"),
    ],
};
