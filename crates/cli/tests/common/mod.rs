//! Helpers shared by the CLI integration tests: run the built binary, build project files, snapshot directories.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

pub const BIN: &str = env!("CARGO_BIN_EXE_containerd-config-builder");

/// A real (throw-away) CA certificate in PEM form (validation walks its DER) followed by text that looks like
/// install.sh heredoc delimiters and shell syntax. Text outside the BEGIN/END block is legal (Go's pem.Decode skips it; `openssl x509 -text` output
/// looks like that), so it must reach the node byte for byte.
pub const TRICKY_PEM: &str = "-----BEGIN CERTIFICATE-----\n\
MIIBiTCCAS+gAwIBAgIUfivnLTkvmeHra4SOoc624paRd1IwCgYIKoZIzj0EAwIw\n\
GjEYMBYGA1UEAwwPY2NiIENMSSB0ZXN0IENBMB4XDTI2MTIwMTA5NTYyMFoXDTM2\n\
MTEyODA5NTYyMFowGjEYMBYGA1UEAwwPY2NiIENMSSB0ZXN0IENBMFkwEwYHKoZI\n\
zj0CAQYIKoZIzj0DAQcDQgAEcj+cL8g5GKZXAr7sVw7KWSQUXFl1jeEVTzSGDzgz\n\
HCY+r4T/tRoUrPn9UAcprYgBl6BVh7rwOvaeEd4jv3VpwKNTMFEwHQYDVR0OBBYE\n\
FOl4R7qRTbtmvxIjurUffF4mLzaTMB8GA1UdIwQYMBaAFOl4R7qRTbtmvxIjurUf\n\
fF4mLzaTMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhALVwvclB\n\
CYRInoZXWUVAG/AffS7gI527MNTpue5sCeOYAiBMg2x+cj6malJIHLsZzCFC04kN\n\
EtXVFx/xZ63Jd1LzZQ==\n\
-----END CERTIFICATE-----\n\
CCB_EOF_1\n\
CCB_EOF_2\n\
CCB_EOF_2X\n\
CCB_EOF_3\n\
CCB_EOF_4\n\
'quoted' \"double\" $HOME `id` \\backslash\n";

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}\n--- stdout ---\n{}\n--- stderr ---\n{}", self.code, self.stdout, self.stderr)
    }
}

fn to_run(o: Output) -> Run {
    Run {
        code: o.status.code().expect("terminated by a signal"),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Runs the CLI in `cwd` with a predictable environment (English, no project secrets) plus `env`.
pub fn ccb_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut c = Command::new(BIN);
    c.args(args).current_dir(cwd).env("LANG", "C").env_remove("LC_ALL").env_remove("LC_MESSAGES");
    for v in ["MIRROR_PW", "HARBOR_PW", "MIRROR_KEY", "CR_TOKEN"] {
        c.env_remove(v);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    to_run(c.output().expect("run containerd-config-builder"))
}

pub fn ccb(args: &[&str], env: &[(&str, &str)]) -> Run {
    ccb_in(&std::env::temp_dir(), args, env)
}

pub fn write(path: &Path, text: &str) -> PathBuf {
    if let Some(p) = path.parent() {
        fs::create_dir_all(p).unwrap();
    }
    fs::write(path, text).unwrap();
    path.to_path_buf()
}

pub fn write_json(path: &Path, v: &Value) -> PathBuf {
    write(path, &serde_json::to_string_pretty(v).unwrap())
}

pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

pub fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode() & 0o7777
}

pub fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every file and directory under `root` (relative path → kind, mode, content), symlinks not followed.
pub fn snapshot(root: &Path) -> BTreeMap<String, (char, u32, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, (char, u32, Vec<u8>)>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for e in entries {
            let e = e.unwrap();
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            let m = fs::symlink_metadata(&p).unwrap();
            let perm = m.permissions().mode() & 0o7777;
            if m.file_type().is_symlink() {
                out.insert(rel, ('l', perm, fs::read_link(&p).unwrap().to_string_lossy().as_bytes().to_vec()));
            } else if m.is_dir() {
                out.insert(rel, ('d', perm, Vec::new()));
                walk(root, &p, out);
            } else {
                out.insert(rel, ('f', perm, fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// The relative paths of the regular files under `root`, sorted.
pub fn files_under(root: &Path) -> Vec<String> {
    snapshot(root).into_iter().filter(|(_, (k, _, _))| *k == 'f').map(|(p, _)| p).collect()
}

// ---- project files ----------------------------------------------------------------------------------------------

/// Docker Hub through `https://mirror.test` (with a pasted CA), credentials for mirror.test from `$MIRROR_PW`.
pub fn project_1x_with_auth() -> Value {
    json!({
        "target": {"min": "1.6.20", "max": "2.1.x"},
        "registries": [{
            "upstream": "docker.io",
            "endpoints": [{
                "url": "https://mirror.test",
                "kind": "private_mirror",
                "tls": {"ca": [{"pem": {"name": "mirror-ca", "pem": TRICKY_PEM}}]}
            }]
        }],
        "auth": [{"host": "mirror.test", "method": {"type": "basic", "username": "robot$pull", "password": {"env": "MIRROR_PW"}}}]
    })
}

/// Docker Hub and quay.io through mirrors, no credentials, 1.x-including target.
pub fn project_1x_plain() -> Value {
    json!({
        "target": {"min": "1.6.20", "max": "2.1.x"},
        "registries": [
            {"upstream": "docker.io", "endpoints": [{"url": "https://mirror.test"}]},
            {"upstream": "quay.io", "endpoints": [{"url": "https://quay-mirror.test"}]}
        ]
    })
}

/// A 2.x-only target: the config settings go into a conf.d drop-in.
pub fn project_2x(with_auth: bool) -> Value {
    let mut p = json!({
        "target": {"min": "2.0.0", "max": "2.1.x"},
        "registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://mirror.test"}]}]
    });
    if with_auth {
        p["auth"] = json!([{"host": "mirror.test", "method": {"type": "basic", "username": "robot$pull", "password": {"env": "MIRROR_PW"}}}]);
    }
    p
}

/// A typical kubeadm node's config.toml (version 2), with comments and settings this tool does not manage.
pub const NODE_TOML: &str = r#"# /etc/containerd/config.toml on node-1 — hand-written, keep my comments
version = 2
root = "/var/lib/containerd"   # data lives here
oom_score = -999

[grpc]
  address = "/run/containerd/containerd.sock"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.9"   # pinned by the platform team
  [plugins."io.containerd.grpc.v1.cri".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = true  # required by the kubelet's cgroup driver
"#;

/// Renders `project` into `<dir>/<out_name>` (optionally merged into `merge_into`); panics unless it succeeds.
pub fn render_ok(dir: &Path, project: &Value, out_name: &str, merge_into: Option<&str>, env: &[(&str, &str)]) -> PathBuf {
    let proj = write_json(&dir.join(format!("{out_name}.project.json")), project);
    let out = dir.join(out_name);
    let mut args = vec!["render", s(&proj), "--out", s(&out)];
    let node;
    if let Some(text) = merge_into {
        node = write(&dir.join(format!("{out_name}.node.toml")), text);
        args.push("--merge-into");
        args.push(s(&node));
    }
    let r = ccb(&args, env);
    assert_eq!(r.code, 0, "render failed: {r:?}");
    lint_script(&out.join("install.sh"));
    out
}

/// `sh -n` always; `shellcheck -s sh` when it is installed (its errors fail the test), else says it skipped.
pub fn lint_script(script: &Path) {
    let o = Command::new("sh").arg("-n").arg(script).output().expect("run sh -n");
    assert!(o.status.success(), "sh -n {}: {}", script.display(), String::from_utf8_lossy(&o.stderr));
    let have = Command::new("sh").args(["-c", "command -v shellcheck"]).output().map(|o| o.status.success()).unwrap_or(false);
    if have {
        let o = Command::new("shellcheck").args(["-s", "sh", "-S", "error"]).arg(script).output().expect("run shellcheck");
        assert!(
            o.status.success(),
            "shellcheck -s sh {}:\n{}{}",
            script.display(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    } else {
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| println!("shellcheck is not installed: skipped `shellcheck -s sh` on the generated install.sh files"));
    }
}
