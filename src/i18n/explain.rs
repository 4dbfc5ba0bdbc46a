//! Strings of the "Try an image" box (`preview/try_image.rs`): its frame only. The answer's own lines (the
//! outcome, the directories, the hosts and their facts) come in both languages from the core (`explain::view`).

use super::Catalogue;

pub const CATALOGUE: Catalogue = Catalogue {
    name: "explain",
    forms: false,
    en: &[
        ("try.title", "Try an image"),
        ("try.label", "Image reference"),
        ("try.hint", "What containerd does with these files when it pulls this image, for each release of the target range where the answer differs."),
        ("try.loading", "Loading the explain (a part of this page fetched on first use)… The answer follows as soon as it is there."),
        ("try.not_loaded", "The explain could not be loaded ({why}). What you typed is kept: type again to retry."),
        ("try.broken", "The explain stopped with an error ({why}). What you typed is kept; reload the page to try again."),
        ("try.summary_one", "{image}: the same answer for all of containerd {range}."),
        ("try.summary_many", "{image}: {n} different answers across the target range."),
        ("try.group", "containerd {releases}"),
        ("try.assumptions", "What this answer assumes about the node"),
    ],
    #[cfg(not(target_arch = "wasm32"))]
    zh: &[
        ("try.title", "试一个镜像"),
        ("try.label", "镜像引用"),
        ("try.hint", "containerd 拉取此镜像时如何使用这些文件；目标范围内结论不同的版本分别列出。"),
        ("try.loading", "正在加载镜像解析功能（本页面的一部分，首次使用时才下载）……加载完成后立即显示结果。"),
        ("try.not_loaded", "无法加载镜像解析功能（{why}）。你输入的内容已保留：再次输入即可重试。"),
        ("try.broken", "镜像解析因错误而中止（{why}）。你输入的内容已保留；请重新加载页面再试。"),
        ("try.summary_one", "{image}：containerd {range} 的结论全部相同。"),
        ("try.summary_many", "{image}：目标范围内有 {n} 种不同的结论。"),
        ("try.group", "containerd {releases}"),
        ("try.assumptions", "此结论对节点的前提"),
    ],
};
