//! Daemon settings from the seed (spec §1.11, §1.12, C13, C17).

use crate::zh::zh;
use crate::diagnostics::Diagnostic;
use crate::model::*;

const LEVELS: [&str; 8] = ["trace", "debug", "info", "warn", "warning", "error", "fatal", "panic"];

fn abs_dir(v: &Option<String>, path: &str, out: &mut Vec<Diagnostic>) {
    if let Some(v) = v {
        let t = v.trim();
        if t.is_empty() || !t.starts_with('/') || t.contains("..") {
            out.push(Diagnostic::error(
                path,
                "C13-absolute-path",
                format!("\"{t}\" must be an absolute path (starting with /)."),
                zh!("\"{t}\" 必须是绝对路径（以 / 开头）。"),
            ));
        }
    }
}

pub fn check(p: &Project, out: &mut Vec<Diagnostic>) {
    let d = &p.daemon;
    abs_dir(&d.root, "daemon.root", out);
    abs_dir(&d.state, "daemon.state", out);
    let norm = |s: &Option<String>| s.as_deref().map(|x| x.trim().trim_end_matches('/').to_string());
    let root = norm(&d.root).unwrap_or_else(|| "/var/lib/containerd".into());
    let state = norm(&d.state).unwrap_or_else(|| "/run/containerd".into());
    if root == state {
        out.push(Diagnostic::error(
            "daemon.state",
            "C13-root-equals-state",
            "root and state must be different directories (containerd refuses to start).",
            zh!("root 与 state 必须是不同的目录（否则 containerd 拒绝启动）。"),
        ));
    }
    if let Some(o) = d.oom_score {
        if !(-1000..=1000).contains(&o) {
            out.push(Diagnostic::error(
                "daemon.oom_score",
                "C13-oom-score",
                format!("oom_score {o} is outside -1000…1000."),
                zh!("oom_score {o} 超出 -1000…1000 范围。"),
            ));
        }
    }
    for (i, imp) in d.imports.iter().enumerate() {
        if imp.trim().is_empty() {
            out.push(Diagnostic::error(format!("daemon.imports[{i}]"), "C16-import-empty", "Enter a file path or glob, or remove the entry.", zh!("请填写文件路径或通配符，或删除该项。")));
        } else if p.target.includes_1x() {
            out.push(Diagnostic::warning(
                format!("daemon.imports[{i}]"),
                "C16-import-on-1x",
                "On containerd 1.x an imported file that sets any CRI setting replaces the whole CRI plugin section of config.toml (seen on 1.6.20: SystemdCgroup reverted to false). Keep CRI settings out of imported files.",
                zh!("在 containerd 1.x 上，被导入的文件只要设置了任何 CRI 选项，就会替换 config.toml 中整个 CRI 插件段（在 1.6.20 上实测：SystemdCgroup 被还原为 false）。请不要在导入文件中放 CRI 设置。"),
            ));
        }
    }
    if let Some(dbg) = &d.debug {
        if let Some(l) = &dbg.level {
            if !LEVELS.contains(&l.trim()) {
                out.push(Diagnostic::error(
                    "daemon.debug.level",
                    "C13-debug-level",
                    format!("\"{}\" is not a log level: use one of {}.", l.trim(), LEVELS.join(", ")),
                    zh!("\"{}\" 不是日志级别：请使用 {} 之一。", l.trim(), LEVELS.join(zh!("、"))),
                ));
            }
        }
        if let Some(a) = &dbg.address {
            if !a.trim().starts_with('/') {
                out.push(Diagnostic::error(
                    "daemon.debug.address",
                    "C13-debug-address",
                    "The debug address is a Unix socket path such as /run/containerd/debug.sock.",
                    zh!("debug 地址是 Unix 套接字路径，例如 /run/containerd/debug.sock。"),
                ));
            }
        }
    }
    if let Some(m) = &d.metrics_address {
        let m = m.trim();
        let ok = match m.rsplit_once(':') {
            Some((h, port)) => !port.is_empty() && port.parse::<u16>().is_ok_and(|x| x > 0) && (h.is_empty() || crate::net::check_host_port(h).is_ok()),
            None => false,
        };
        if m.contains('@') {
            // Not quoted: what precedes the @ would be a password.
            out.push(Diagnostic::error(
                "daemon.metrics_address",
                "C13-metrics-address",
                "The metrics address holds credentials (user:password@): containerd listens on host:port only (e.g. 127.0.0.1:1338).",
                zh!("metrics 地址中含有凭据（user:password@）：containerd 只监听 <主机>:<端口>（例如 127.0.0.1:1338）。"),
            ));
        } else if !ok {
            out.push(Diagnostic::error(
                "daemon.metrics_address",
                "C13-metrics-address",
                format!("\"{m}\" is not host:port (e.g. 127.0.0.1:1338)."),
                zh!("\"{m}\" 不是 <主机>:<端口> 格式（例如 127.0.0.1:1338）。"),
            ));
        }
    }
    if d.snapshotter == Some(Snapshotter::Zfs) {
        let mount = format!("{root}/io.containerd.snapshotter.v1.zfs");
        out.push(Diagnostic::warning(
            "daemon.snapshotter",
            "C17-zfs",
            format!("The zfs snapshotter gets very slow with many volumes (zfs list / import / mount all slow down, so do cluster start-ups). If you use it, a ZFS dataset must be mounted at {mount} before containerd starts (zfs create -o mountpoint={mount} <pool>/containerd), or CRI fails with \"failed to find snapshotter zfs\"."),
            zh!("zfs 快照器在卷很多时会非常慢（zfs list / import / mount 都会变慢，集群启动也随之变慢）。如仍要使用，containerd 启动前必须在 {mount} 挂载 ZFS 数据集（zfs create -o mountpoint={mount} <pool>/containerd），否则 CRI 会报 \"failed to find snapshotter zfs\"。"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::model::*;
    use crate::validate::test_util::*;
    use crate::validate::validate;

    #[test]
    fn daemon_rules() {
        let mut p = Project::default();
        p.daemon.root = Some("var/lib/containerd".into());
        p.daemon.state = Some("/run/containerd".into());
        p.daemon.oom_score = Some(-2000);
        p.daemon.debug = Some(DebugSettings { address: Some("debug.sock".into()), level: Some("verbose".into()) });
        p.daemon.metrics_address = Some("1338".into());
        let d = validate(&p);
        find(&d, "C13-absolute-path", "daemon.root");
        find(&d, "C13-oom-score", "daemon.oom_score");
        find(&d, "C13-debug-level", "daemon.debug.level");
        find(&d, "C13-debug-address", "daemon.debug.address");
        find(&d, "C13-metrics-address", "daemon.metrics_address");
        p.daemon.root = Some("/run/containerd/".into());
        find(&validate(&p), "C13-root-equals-state", "daemon.state");
    }

    #[test]
    fn zfs_warning_names_the_mountpoint_under_root() {
        let mut p = Project::default();
        p.daemon.snapshotter = Some(Snapshotter::Zfs);
        p.daemon.root = Some("/data/containerd".into());
        let x = find(&validate(&p), "C17-zfs", "daemon.snapshotter").clone();
        assert!(x.message.en.contains("/data/containerd/io.containerd.snapshotter.v1.zfs"));
        assert!(x.message.zh.contains("非常慢"));
    }
}
