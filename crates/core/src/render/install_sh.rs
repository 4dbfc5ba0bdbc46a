//! `install.sh`: a POSIX sh installer for the bundle that can never break a node's config.toml.
//!
//! - A merged config.toml is installed only if the node's file still has the hash of the file it was merged
//!   from; otherwise the script refuses and says how to redo the merge.
//! - Without a merge it never touches config.toml: 1.x nodes get the fragment to merge (a 1.x `imports` drop-in
//!   would replace the whole CRI section, verified on 1.6.20); 2.x nodes get a drop-in only when their
//!   config.toml is version 3+ and imports conf.d.
//! - Every replaced file is backed up; every file is written from a quoted heredoc whose delimiter occurs in no
//!   line of the content; it says whether containerd must restart and how to verify.

use crate::model::OutputStyle;

/// What the bundle does with config.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigDelivery {
    /// The node's file merged; install only over a file with this SHA-256.
    Merged { original_sha256: String },
    /// A fragment the user merges by hand (or with `--merge-into`); the script leaves config.toml alone.
    Fragment { path: String },
    /// A drop-in for `/etc/containerd/conf.d/` (2.x-only targets).
    DropIn { path: String },
}

pub struct InstallPlan<'a> {
    pub header: &'a str,
    pub style: OutputStyle,
    pub config: ConfigDelivery,
    /// (bundle path, content) of the config file (config.toml, fragment or drop-in).
    pub config_file: (&'a str, &'a str),
    /// (path relative to /etc/containerd, content) of the hosts.toml and CA files.
    pub other_files: Vec<(&'a str, &'a str, u32)>,
    pub has_credentials: bool,
    /// `crictl pull …`, then (hosts-dir style) `ctr … --hosts-dir …`.
    pub verify_commands: &'a [String],
}

/// A heredoc delimiter that no line of `content` equals.
pub fn delimiter(content: &str, n: usize) -> String {
    let mut d = format!("CCB_EOF_{n}");
    while content.lines().any(|l| l == d) {
        d.push('X');
    }
    d
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn heredoc_install(out: &mut String, dest: &str, mode: &str, content: &str, n: usize, on_change: &str) {
    let d = delimiter(content, n);
    out.push_str(&format!("if install_file {} {} <<'{}'\n", sh_quote(dest), mode, d));
    out.push_str(content);
    if !content.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("{d}\nthen\n  {on_change}\nfi\n"));
}

const PRELUDE: &str = r#"set -eu

usage() {
  cat <<'CCB_USAGE'
Usage: sh install.sh [--dry-run]
  --dry-run   show what would change, write nothing
Environment: CONTAINERD_ETC (default /etc/containerd) to install into another directory, e.g. for a test.
CCB_USAGE
}

DRY_RUN=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    -h|--help) usage; exit 0 ;;
    *) printf 'install.sh: unknown option %s\n' "$arg" >&2; usage >&2; exit 2 ;;
  esac
done

ETC="${CONTAINERD_ETC:-/etc/containerd}"
STAMP="$(date +%Y%m%d-%H%M%S)"
RESTART=0
CHANGED=0

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: ERROR: %s\n' "$*" >&2; exit 1; }

for d in /etc/rancher/k3s /etc/rancher/rke2; do
  if [ -d "$d" ]; then
    say "WARNING: $d exists. k3s and RKE2 regenerate containerd's config.toml and certs.d from $d/registries.yaml"
    say "         at every start, so files installed here will be overwritten. Configure registries.yaml instead."
  fi
done

if [ -z "${CONTAINERD_ETC:-}" ] && [ "$(id -u)" != 0 ]; then
  die "run as root (or set CONTAINERD_ETC to install into another directory)"
fi

file_sha256() { sha256sum "$1" | cut -d ' ' -f 1; }

# install_file DEST MODE < content: writes DEST (relative to $ETC) if its content differs, backing up the old
# file first. Returns 0 when the file changed (or would change with --dry-run), 1 when it was already identical.
install_file() {
  dest="$ETC/$1"
  tmp="$(mktemp)"
  cat > "$tmp"
  if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then
    rm -f "$tmp"
    # Same content, but the mode still matters: a file holding credentials must not stay world-readable.
    if [ "$DRY_RUN" = 0 ]; then chmod "$2" "$dest"; fi
    say "unchanged   $dest"
    return 1
  fi
  if [ "$DRY_RUN" = 1 ]; then
    rm -f "$tmp"
    if [ -e "$dest" ]; then say "would update $dest"; else say "would create $dest"; fi
    return 0
  fi
  mkdir -p "$(dirname "$dest")"
  if [ -e "$dest" ]; then
    cp -p "$dest" "$dest.bak.$STAMP"
    say "backup      $dest.bak.$STAMP"
  fi
  chmod "$2" "$tmp"
  mv "$tmp" "$dest"
  say "wrote       $dest"
  return 0
}
"#;

pub fn install_sh(p: &InstallPlan) -> String {
    let mut out = String::from("#!/bin/sh\n");
    for line in p.header.lines() {
        out.push_str(&format!("# {line}\n").replace("# \n", "#\n"));
    }
    out.push_str("#\n# Installs this bundle into /etc/containerd. Safe to run again: unchanged files are left alone,\n");
    out.push_str("# replaced files are backed up as <file>.bak.<timestamp>.\n");
    out.push_str(PRELUDE);
    out.push('\n');

    let config_mode = if p.has_credentials { "600" } else { "644" };
    let mut n = 0;
    match &p.config {
        ConfigDelivery::Merged { original_sha256 } => {
            out.push_str(&format!(
                r#"# config.toml: merged from the node's own file; installed only over that exact file.
ORIGINAL_SHA256={sha}
MERGED_SHA256={merged}
if [ ! -f "$ETC/config.toml" ]; then
  die "$ETC/config.toml does not exist, but this bundle was merged from an existing config.toml (sha256 $ORIGINAL_SHA256). Render the bundle again without --merge-into, or on the node it was made for."
fi
CURRENT_SHA256="$(file_sha256 "$ETC/config.toml")"
# The merged file itself is fine too: then this bundle is already installed.
if [ "$CURRENT_SHA256" != "$ORIGINAL_SHA256" ] && [ "$CURRENT_SHA256" != "$MERGED_SHA256" ]; then
  say "$ETC/config.toml is not the file this bundle was merged from:"
  say "  expected sha256 $ORIGINAL_SHA256"
  say "  found    sha256 $CURRENT_SHA256"
  say "Nothing was changed. Merge again from the current file, then rerun the new install.sh:"
  say "  containerd-config-builder render project.json --out bundle --merge-into $ETC/config.toml"
  say "(or paste the current file into the web app's 'Your current config.toml' box and download again)."
  exit 1
fi
"#,
                sha = sh_quote(original_sha256),
                merged = sh_quote(&crate::merge::sha256_hex(p.config_file.1)),
            ));
            n += 1;
            heredoc_install(&mut out, "config.toml", config_mode, p.config_file.1, n, "RESTART=1; CHANGED=1");
        }
        ConfigDelivery::Fragment { path } => {
            out.push_str(&format!(
                r#"# config.toml is not touched: containerd 1.x cannot take registry settings from an imports drop-in
# (it would replace the whole CRI plugin section, losing SystemdCgroup and the sandbox image).
say "NOTE: config.toml is not changed by this script. Merge {path} into $ETC/config.toml first:"
say "  containerd-config-builder render project.json --out bundle --merge-into $ETC/config.toml"
say "  (or paste your config.toml into the web app), then run that bundle's install.sh."
"#
            ));
        }
        ConfigDelivery::DropIn { path } => {
            out.push_str(
                r#"# containerd 2.x merges imports drop-ins deeply, so the registry settings can live in their own file, provided
# config.toml is version 3 or later (a higher-version drop-in is an error in 2.3+, and loses settings before)
# and imports /etc/containerd/conf.d/*.toml.
if [ -f "$ETC/config.toml" ]; then
  if ! grep -Eq '^[[:space:]]*version[[:space:]]*=[[:space:]]*[34][[:space:]]*(#.*)?$' "$ETC/config.toml"; then
    die "$ETC/config.toml is not a version 3 config, so a version 3 drop-in must not be used. Merge instead: containerd-config-builder render project.json --out bundle --merge-into $ETC/config.toml"
  fi
  # imports may span several lines: look at the file without comments, joined into one line.
  if ! sed 's/#.*//' "$ETC/config.toml" | tr '\n' ' ' | grep -Eq '(^|[[:space:]])imports[[:space:]]*=[[:space:]]*\[[^]]*conf\.d/\*\.toml'; then
    die "$ETC/config.toml does not import $ETC/conf.d/*.toml, so the drop-in would be ignored. Add  imports = [\"/etc/containerd/conf.d/*.toml\"]  at the top of config.toml (before any [table]), or merge instead with --merge-into."
  fi
else
  if install_file config.toml 644 <<'CCB_EOF_MIN'
# Created by install.sh (containerd-config-builder): no config.toml existed. containerd's defaults apply,
# plus the drop-ins below.
version = 3
imports = ["/etc/containerd/conf.d/*.toml"]
CCB_EOF_MIN
  then
    RESTART=1; CHANGED=1
  fi
fi
"#,
            );
            n += 1;
            heredoc_install(&mut out, path, config_mode, p.config_file.1, n, "RESTART=1; CHANGED=1");
        }
    }

    if !p.other_files.is_empty() {
        out.push_str("\n# Registry host files: containerd re-reads them on every pull.\n");
    }
    for (path, content, mode) in &p.other_files {
        n += 1;
        heredoc_install(&mut out, path, &format!("{mode:o}"), content, n, "CHANGED=1");
    }

    out.push('\n');
    if p.style == OutputStyle::HostsDir {
        out.push_str(
            r#"if [ "$DRY_RUN" = 0 ] && command -v containerd >/dev/null 2>&1 && [ -f "$ETC/config.toml" ]; then
  if containerd --config "$ETC/config.toml" config dump 2>/dev/null | grep -Eq "config_path[[:space:]]*=[[:space:]]*['\"]/etc/containerd/certs.d['\"]"; then
    say "check       containerd config dump: config_path = /etc/containerd/certs.d (effective)"
  else
    say "WARNING     containerd config dump does not show config_path = \"/etc/containerd/certs.d\":"
    say "            the hosts.toml files are not used until config.toml sets it (see README.txt)."
  fi
fi
"#,
        );
    }
    let crictl = p.verify_commands.first().map(String::as_str).unwrap_or("crictl pull <image>");
    let ctr_line = match p.verify_commands.get(1) {
        Some(ctr) => format!("  {ctr}"),
        None => "  (ctr does not read config.toml registry settings: verify with crictl)".to_string(),
    };
    out.push_str(&format!(
        r#"say ""
if [ "$DRY_RUN" = 1 ]; then
  say "Dry run: nothing was written."
elif [ "$RESTART" = 1 ]; then
  say "config.toml changed. containerd cannot reload its configuration: restart it now"
  say "  systemctl restart containerd"
  say "(running containers keep running; the kubelet reconnects)."
elif [ "$CHANGED" = 1 ]; then
  say "Only registry host files changed: containerd reads them on every pull, no restart needed."
else
  say "Everything was already installed."
fi
say ""
say "Verify (the image must exist in your registries):"
say "  {crictl}"
say {ctr}
"#,
        ctr = sh_quote(&ctr_line),
    ));
    out
}
