//! The CLI's own words: language choice, usage text, and the only two ways anything reaches the terminal.
//!
//! Messages quote what the user gave (paths, arguments, variable names, the JSON reader's excerpts of the project
//! file). Every message leaves through [`say`] or [`complain`], which show control characters escaped (`\u{1b}`),
//! so no input can clear the screen, retitle the window or hide text in the terminal.

use std::ffi::OsStr;
use std::io::Write;
use std::sync::OnceLock;

use ccb_core::diagnostics::{escape_controls, one_line, Diagnostic, Lang};

const USAGE: &str = "\
Usage:
  containerd-config-builder render PROJECT.json --out DIR [--merge-into CONFIG.toml] [--lang en|zh]
  containerd-config-builder check PROJECT.json [--lang en|zh]
  containerd-config-builder explain PROJECT.json IMAGE [--containerd 2.3.4] [--json] [--lang en|zh]
  containerd-config-builder export --format k3s|talos PROJECT.json [--out FILE] [--talos-version 1.12]
                            [--files-dir DIR] [--lang en|zh]
  containerd-config-builder import PATH… [--out project.json] [--secrets-as-env PREFIX] [--lang en|zh]
                            [--format containerd|k3s|talos|docker] [--disable-default-registry-endpoint yes|no]
                            [--embedded-registry yes|no] [--upstream-reachable yes|no]
  containerd-config-builder lint DIR [--target 1.7.0-2.3.x] [--lang en|zh]
  containerd-config-builder schema

render  writes the bundle (config fragment or merged config.toml, certs.d/<host>/hosts.toml, CA files,
        install.sh, README.txt) into DIR, all files or none; while the project has errors it writes nothing
        and exits 1. It refuses to write through a symbolic link inside DIR; files in DIR that are not part
        of the bundle are left alone and listed.
        --merge-into FILE merges the registry settings into a copy of that config.toml (the node's own
        file), keeping everything else; FILE itself is never modified (so it must not lie inside DIR).
check   prints the diagnostics; exit 0 clean, 1 errors, 3 warnings only.
explain shows what containerd will do with the bundle for IMAGE (nginx, quay.io/org/app:1, app@sha256:…):
        the certs.d directory it picks, the hosts it asks for the tag and for blobs with each request URL,
        TLS, headers and credentials (redacted). --containerd: the release (default: the newest of the
        target range); --json: the answer as JSON (schema/explain.schema.json). Exit 0 the pull can
        succeed, 1 it cannot, 2 bad input.
export  writes the project as a k3s / RKE2 registries.yaml (--format k3s) or for Talos (--format talos: the
        RegistryMirrorConfig / RegistryAuthConfig / RegistryTLSConfig documents for 1.12 and later, a
        machine.registries patch for --talos-version 1.11 and earlier) to stdout or FILE; the report goes to
        stderr, naming each setting the format cannot carry. CA files k3s reads by path are listed, or
        written under DIR as they lie on the node (--files-dir). Exit 0 clean, 1 errors (nothing written),
        3 warnings only, 2 bad input.
import  reads a node's own files into a project: PATH is a config.toml (version 1–4), a certs.d folder, or an
        /etc/containerd directory (config.toml and certs.d/). The project goes to stdout (or --out, mode 0600
        when it holds a secret); the report to stderr, one line each: file:line:col: severity[code] message —
        every setting taken over, every one the project cannot express, every problem. --secrets-as-env
        PREFIX writes each secret as {\"env\": \"PREFIX_…\"} and names the variables. Exit 0 clean, 1 errors,
        3 warnings only, 2 unreadable input.
        PATH may also be a k3s / RKE2 registries.yaml, a Talos machine config or registry documents, or a Docker
        daemon.json, known by name or content (or --format), converted by that tool's own rules. What the tool
        decides outside the file is asked: --disable-default-registry-endpoint and --embedded-registry (the
        k3s / RKE2 flags; assumed no), --upstream-reachable (whether the nodes reach Docker Hub; assumed yes);
        without them the report says what was assumed.
lint    checks DIR (an /etc/containerd layout or a certs.d folder) as containerd reads it on every release of
        --target (default 1.7.0-2.3.x): keys it ignores, files it rejects, directories it never looks up,
        settings it drops. Same output and exit codes as import.
schema  prints the JSON Schema of the project file.
--lang en|zh  the language of these messages and of the bundle's words (README.txt, install.sh's messages,
        the comments in hosts.toml and the config settings; values never change with it). Default: from
        LC_ALL, LC_MESSAGES or LANG (zh_* for Chinese), otherwise English. install.sh speaks the bundle's
        language whatever the node's locale.
Secrets written as {\"env\": \"NAME\"} in the project are read from environment variable NAME.";

const USAGE_ZH: &str = "\
用法：
  containerd-config-builder render PROJECT.json --out DIR [--merge-into CONFIG.toml] [--lang en|zh]
  containerd-config-builder check PROJECT.json [--lang en|zh]
  containerd-config-builder explain PROJECT.json IMAGE [--containerd 2.3.4] [--json] [--lang en|zh]
  containerd-config-builder export --format k3s|talos PROJECT.json [--out FILE] [--talos-version 1.12]
                            [--files-dir DIR] [--lang en|zh]
  containerd-config-builder import PATH… [--out project.json] [--secrets-as-env PREFIX] [--lang en|zh]
                            [--format containerd|k3s|talos|docker] [--disable-default-registry-endpoint yes|no]
                            [--embedded-registry yes|no] [--upstream-reachable yes|no]
  containerd-config-builder lint DIR [--target 1.7.0-2.3.x] [--lang en|zh]
  containerd-config-builder schema

render  把配置包（配置片段或合并后的 config.toml、certs.d/<host>/hosts.toml、CA 文件、install.sh、README.txt）
        写入 DIR，要么全部写入，要么一个也不写；项目有错误时不写任何文件，退出码 1。
        不会经由 DIR 内的符号链接写入；DIR 中不属于本配置包的文件保持不动，并会列出。
        --merge-into FILE 把仓库设置合并进该 config.toml（节点自己的文件）的副本，其余内容保持不变；
        FILE 本身不会被修改（因此它不能位于 DIR 之内）。
check   输出诊断信息；退出码 0 无问题，1 有错误，3 只有警告。
explain 说明 containerd 对 IMAGE（nginx、quay.io/org/app:1、app@sha256:…）会如何使用配置包：
        选用哪个 certs.d 目录，按顺序向哪些主机解析标签、获取 blob（附每个请求 URL、TLS、请求头和
        凭据，密钥已隐去）。--containerd：版本（默认为目标范围内最新的版本）；--json：以 JSON 输出
        （schema/explain.schema.json）。退出码 0 可以拉取，1 无法拉取，2 输入有误。
export  把项目导出为 k3s / RKE2 的 registries.yaml（--format k3s）或 Talos 配置（--format talos：1.12 及以后为
        RegistryMirrorConfig / RegistryAuthConfig / RegistryTLSConfig 文档，--talos-version 1.11 及更早为
        machine.registries 补丁），输出到标准输出或 FILE；报告输出到标准错误，列出该格式无法表达的每项设置。
        k3s 按路径读取的 CA 文件会被列出，或按其在节点上的位置写入 DIR（--files-dir）。
        退出码 0 无问题，1 有错误（不写入任何内容），3 只有警告，2 输入有误。
import  把节点上已有的文件读入项目：PATH 可以是 config.toml（版本 1–4）、certs.d 目录，或 /etc/containerd
        目录（含 config.toml 与 certs.d/）。项目输出到标准输出（或 --out 指定的文件；含密钥时权限为
        0600）；报告输出到标准错误，每行一条：<文件>:<行>:<列>: <级别>[<代码>] <说明>——每项已导入的设置、每项本项目
        无法表达的设置、每个问题。--secrets-as-env PREFIX 把每个密钥写成 {\"env\": \"PREFIX_…\"} 并列出变量名。
        退出码 0 无问题，1 有错误，3 只有警告，2 输入无法读取。
        PATH 也可以是 k3s / RKE2 的 registries.yaml、Talos 机器配置或仓库文档、Docker 的 daemon.json，按名称或内容
        识别（或用 --format 指定），并按该工具自己的规则转换。工具在文件之外决定的事项需要说明：
        --disable-default-registry-endpoint 与 --embedded-registry（k3s / RKE2 的启动参数；默认假定为 no），
        --upstream-reachable（节点能否访问 Docker Hub；默认假定为 yes）；未给出时，报告会写明所作的假定。
lint    按 containerd 在 --target（默认 1.7.0-2.3.x）每个版本上的读取方式检查 DIR（/etc/containerd 目录或
        certs.d 目录）：被忽略的键、被拒绝的文件、永远不会被查找的目录、被丢弃的设置。输出与退出码同 import。
schema  输出项目文件的 JSON Schema。
--lang en|zh  这些提示以及配置包文字（README.txt、install.sh 的提示、hosts.toml 与配置设置中的注释）
        所用的语言；取值不会因语言而改变。默认取自 LC_ALL、LC_MESSAGES 或 LANG（zh_* 为简体中文），
        否则为英文。无论节点的语言环境如何，install.sh 都使用配置包的语言。
项目中写成 {\"env\": \"NAME\"} 的密钥从环境变量 NAME 读取。";

static LANG: OnceLock<Lang> = OnceLock::new();

/// A `--lang` value: `en` or `zh`, also as a locale or tag (`zh_CN.UTF-8`, `zh-CN`, `en_US`).
pub fn parse_lang(value: &str) -> Option<Lang> {
    let v = value.trim().to_ascii_lowercase();
    let base = v.split(['_', '-', '.', '@']).next().unwrap_or("");
    match base {
        "zh" => Some(Lang::Zh),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// `--lang` wins; else the locale as POSIX reads it for messages (the first of LC_ALL, LC_MESSAGES, LANG that is
/// set and not empty): `zh_*` is Chinese, anything else English. (An unknown `--lang` is refused by the command;
/// until then the locale decides.)
pub fn lang_from(args: &[String]) -> Lang {
    if let Some(lang) = args.iter().position(|a| a == "--lang").and_then(|i| args.get(i + 1)).and_then(|v| parse_lang(v)) {
        return lang;
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    match locale {
        Some(l) if l.starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

pub fn lang() -> Lang {
    LANG.get().copied().unwrap_or(Lang::En)
}

/// The CLI's own messages in the language of `--lang` / `LANG`, like the diagnostics.
pub fn tr(en: String, zh: String) -> String {
    match lang() {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

pub fn usage() -> &'static str {
    match lang() {
        Lang::Zh => USAGE_ZH,
        Lang::En => USAGE,
    }
}

/// A value quoted in a message (a path, an argument, a variable name, the JSON reader's excerpt): one line, every
/// control character escaped — the line feed too, so a file name cannot forge a line of output.
pub fn shown(value: impl AsRef<OsStr>) -> String {
    one_line(&value.as_ref().to_string_lossy())
}

/// A line on stdout. Write errors (a closed pipe) are ignored: the exit code still tells the outcome.
pub fn say(msg: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{}", escape_controls(msg));
}

/// A line on stderr.
pub fn complain(msg: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", escape_controls(msg));
}

pub fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        let at = if d.path.is_empty() { String::new() } else { format!(" {}", shown(&d.path)) };
        complain(&format!("{}[{}]{}: {}", d.severity.as_str(), d.code, at, d.message.get(lang())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_values() {
        assert_eq!(parse_lang("zh"), Some(Lang::Zh));
        assert_eq!(parse_lang("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(parse_lang("en-US"), Some(Lang::En));
        assert_eq!(parse_lang("fr"), None);
        assert_eq!(parse_lang("zhx"), None);
    }

    #[test]
    fn shown_values_are_one_line_without_control_characters() {
        assert_eq!(shown("a\u{1b}[2J\nb\u{7}"), "a\\u{1b}[2J\\u{a}b\\u{7}");
        assert_eq!(shown("certs.d/[fd00::1]:5000/中文"), "certs.d/[fd00::1]:5000/中文");
    }
}
