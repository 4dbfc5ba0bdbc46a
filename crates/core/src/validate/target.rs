//! Target range and output style (spec §1.1, §1.4, C1, C6).

use crate::zh::zh;
use crate::diagnostics::Diagnostic;
use crate::model::{OutputStyle, Project, SCHEMA_VERSION};
use crate::version::{KNOWN_LINES, NEXT_PRERELEASE, RELEASES_AS_OF};

fn known() -> String {
    KNOWN_LINES.iter().map(|(a, b)| format!("{a}.{b}")).collect::<Vec<_>>().join(", ")
}

pub fn check(p: &Project, out: &mut Vec<Diagnostic>) {
    if p.schema_version != SCHEMA_VERSION {
        out.push(Diagnostic::error(
            "schema_version",
            "P1-schema-version",
            format!("This project file has schema_version {}, but this tool reads version {SCHEMA_VERSION}.", p.schema_version),
            zh!("此项目文件的 schema_version 为 {}，本工具只能读取版本 {SCHEMA_VERSION}。", p.schema_version),
        ));
    }
    let t = &p.target;
    for (field, v) in [("target.min", t.min), ("target.max", t.max)] {
        if !v.is_known_line() {
            // A line that is only tagged as a beta says so: the user may well have read about it.
            let (beta_en, beta_zh) = if v.line() == NEXT_PRERELEASE.0.line() {
                let (_, tag, date) = NEXT_PRERELEASE;
                (format!(" As of {RELEASES_AS_OF}, {}.{} exists only as {tag} (tagged {date}), not as a release.", v.major, v.minor), zh!("截至 {RELEASES_AS_OF}，{}.{} 只有 {tag}（{date} 打标签），尚未正式发布。", v.major, v.minor))
            } else {
                (String::new(), String::new())
            };
            out.push(Diagnostic::error(
                field,
                "T1-unknown-release",
                format!("containerd {v} is not a release line this tool knows ({}); its behaviour would be a guess.{beta_en}", known()),
                zh!("containerd {v} 不在本工具已知的版本线内（{}）；其行为只能靠猜测。{beta_zh}", known()),
            ));
        }
    }
    if t.min.lowest() > t.max.highest() {
        out.push(Diagnostic::error(
            "target.max",
            "T2-range-reversed",
            format!("The newest release ({}) is older than the oldest ({}).", t.max, t.min),
            zh!("最高版本（{}）早于最低版本（{}）。", t.max, t.min),
        ));
    }
    if p.output == OutputStyle::Legacy {
        out.push(Diagnostic::warning(
            "output",
            "C8-legacy-deprecated",
            "Inline registry.mirrors / registry.configs are deprecated since containerd 1.5 (their announced removal keeps moving: 2.1, 2.3, 2.4…) and cannot express capabilities, headers or no-fallback. Prefer the hosts directory unless your nodes are older than 1.5.",
            zh!("config.toml 内联的 registry.mirrors / registry.configs 自 containerd 1.5 起已废弃（计划移除的版本一再推迟：2.1、2.3、2.4……），且无法表达 capabilities、header 或禁止回源。除非节点早于 1.5，请使用 hosts 目录方式。"),
        ));
        if t.config_version() == 2 && t.touches((2, 2, 0), (2, 2, 1)) {
            out.push(Diagnostic::error(
                "output",
                "C6-legacy-on-2.2.0",
                "containerd 2.2.0 and 2.2.1 set a default config_path when reading a version 2 file, and then refuse `mirrors` (\"`mirrors` cannot be set when `config_path` is provided\"): the CRI plugin would not load. Use the hosts directory, or exclude 2.2.0–2.2.1 from the target.",
                zh!("containerd 2.2.0 与 2.2.1 读取版本 2 配置时会设置默认 config_path，随后拒绝 `mirrors`（\"`mirrors` cannot be set when `config_path` is provided\"），CRI 插件将无法加载。请改用 hosts 目录，或把 2.2.0–2.2.1 排除出目标范围。"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::*;
    use crate::validate::test_util::*;
    use crate::validate::validate;

    fn with_target(min: &str, max: &str) -> Project {
        Project { target: Target { min: min.parse().unwrap(), max: max.parse().unwrap() }, ..Default::default() }
    }

    #[test]
    fn unknown_and_reversed_ranges() {
        let d = validate(&with_target("1.4.0", "1.7.x"));
        find(&d, "T1-unknown-release", "target.min");
        let d = validate(&with_target("2.1.0", "1.7.x"));
        find(&d, "T2-range-reversed", "target.max");
        let d = validate(&with_target("2.3.0", "2.4.x"));
        let beta = find(&d, "T1-unknown-release", "target.max");
        assert!(beta.message.en.contains("2.4.0-beta.0 (tagged 2026-08-10)"), "{}", beta.message.en);
        assert!(errors(&validate(&with_target("1.6.20", "2.1.x"))).is_empty());
    }

    #[test]
    fn legacy_mirrors_on_2_2_0_with_version_2() {
        let mut p = with_target("1.7.0", "2.2.x");
        p.output = OutputStyle::Legacy;
        find(&validate(&p), "C6-legacy-on-2.2.0", "output");
        p.target.min = "2.0.0".parse().unwrap();
        assert!(!codes(&validate(&p)).contains(&"C6-legacy-on-2.2.0"));
    }
}
