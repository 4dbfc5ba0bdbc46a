//! `install.sh`: a POSIX sh installer for the bundle that can never break a node's config.toml.
//!
//! - A merged config.toml is installed only if the node's file still has the hash of the file it was merged
//!   from; otherwise the script refuses and says how to redo the merge.
//! - Without a merge it never touches config.toml: 1.x nodes get the fragment to merge (a 1.x `imports` drop-in
//!   would replace the whole CRI section, verified on 1.6.20); 2.x nodes get a drop-in only when their
//!   config.toml is version 3+ and imports conf.d.
//! - Every replaced file is backed up; every file is written from a quoted heredoc whose delimiter occurs in no
//!   line of the content; it says whether containerd must restart and how to verify.
//! - A file is never written into: its content goes into a new file (umask 077) in the same directory, which gets
//!   its final mode and is then renamed over the old one, so an old file's owner or loose mode is not inherited.
//!   Backups keep the old file's owner and mode.
//! - Any failed step stops the script with exit status 1 and undoes the run: replaced files are restored from
//!   their backups, created files and directories removed, and it says so. Temporary files go on every exit.
//! - Its comments and messages are in the bundle's language ([`crate::render::catalogue`]), never the node's
//!   `LANG`: a zh bundle speaks Chinese on a node with `LANG=C`.
//! - What it prints about paths and names shows control characters escaped (`\u{1b}`): the bundle's names are
//!   escaped here, `$CONTAINERD_ETC` and command errors by the script's `esc` at run time.

use crate::diagnostics::{escape_controls, Lang};
use crate::model::OutputStyle;
use crate::render::catalogue::{fill, text, text_with};

pub use crate::render::ConfigDelivery;

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
    /// The language of the script's comments and messages (the bundle's, never the node's `LANG`).
    pub lang: Lang,
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

/// `s` as install.sh may print it on one line: control characters (newlines too) escaped as `\u{1b}`.
fn shown(s: &str) -> String {
    escape_controls(s).replace('\n', "\\u{a}")
}

/// A `say` of `text` (generated, so quoted as one literal word) followed by `rest`, which is expanded at run time.
fn say_line(text: &str, rest: &str) -> String {
    if rest.is_empty() {
        format!("say {}\n", sh_quote(&shown(text)))
    } else {
        format!("say {} {rest}\n", sh_quote(&shown(text)))
    }
}

/// The `version` the drop-in is written with (3 unless it says otherwise: the writer always emits it, as the first
/// line after the comments). Read from the line, not parsed: rendering a bundle needs no TOML parser (the web page
/// loads that with the merge only).
fn drop_in_version(content: &str) -> i64 {
    content
        .lines()
        .find_map(|l| l.strip_prefix("version = "))
        .and_then(|v| v.trim().parse().ok())
        .filter(|v| (3..=4).contains(v))
        .unwrap_or(3)
}

/// `template` with each marker replaced by its value in one pass, so that a value (which may quote user input)
/// is never searched for another marker.
fn put(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some((at, marker, value)) =
        values.iter().filter_map(|(m, v)| rest.find(m).map(|i| (i, *m, *v))).min_by_key(|(i, _, _)| *i)
    {
        out.push_str(&rest[..at]);
        out.push_str(value);
        rest = &rest[at + marker.len()..];
    }
    out.push_str(rest);
    out
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
# Every file this script creates (temporary files, backups, installed files) starts readable by root only; an
# installed file gets its final mode before it is renamed into place.
umask 077

say() { printf '%s\n' "$*"; }
tell() { printf '%s\n' "$*" >&2; }
die() { tell "{{sh.die_prefix}}"; exit 1; }

# esc TEXT: TEXT with control characters shown as \u{1b} (bytes that are not UTF-8 as \x9b), so that printing a
# path or a name can never recolour, retitle or rewrite the terminal. esc_lines does the same to each line of its
# input but keeps tabs (a diff of a node's file is printed with it: a tab cannot rewrite the terminal).
ESC_AWK='BEGIN { for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i }
  function esc(s, tabs,   n, out, i, c, k, ok, j, d) {
    n = length(s); out = ""
    for (i = 1; i <= n; i++) {
      c = ord[substr(s, i, 1)]
      if (c == 9 && tabs) { out = out "\t"; continue }
      if (c < 32 || c == 127) { out = out sprintf("\\u{%x}", c); continue }
      if (c < 128) { out = out substr(s, i, 1); continue }
      # UTF-8: the lead byte gives the number of continuation bytes (0x80-0xBF) that must follow.
      k = (c >= 194 && c <= 223) ? 1 : (c >= 224 && c <= 239) ? 2 : (c >= 240 && c <= 244) ? 3 : 0
      ok = k > 0 && i + k <= n
      for (j = 1; ok && j <= k; j++) { d = ord[substr(s, i + j, 1)]; if (d < 128 || d > 191) ok = 0 }
      if (!ok) { out = out sprintf("\\x%02x", c); continue }
      d = ord[substr(s, i + 1, 1)]
      if (c == 194 && d < 160) out = out sprintf("\\u{%x}", d)
      else out = out substr(s, i, k + 1)
      i += k
    }
    return out
  }'
esc() { CCB_ESC_TEXT="$1" LC_ALL=C awk "$ESC_AWK"' BEGIN { printf "%s", esc(ENVIRON["CCB_ESC_TEXT"], 0) }'; }
esc_lines() { LC_ALL=C awk "$ESC_AWK"' { print esc($0, 1) }'; }

usage() {
  cat <<'CCB_USAGE'
{{sh.usage}}
CCB_USAGE
}

DRY_RUN=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    -h|--help) usage; exit 0 ;;
    *) tell "{{sh.unknown_option}}"; usage >&2; exit 2 ;;
  esac
done

ETC="${CONTAINERD_ETC:-/etc/containerd}"
# A relative directory must not be taken for an option by mkdir, cp or mv.
case "$ETC" in /*) ;; *) ETC="./$ETC" ;; esac
ETC_SHOWN="$(esc "$ETC")"
STAMP="$(date +%Y%m%d-%H%M%S)"
ME="$(id -u)"
RESTART=0
CHANGED=0
FIXED=0
DRY_FAIL=0
DONE=0
# 0 when the node's containerd does not read the hosts.toml files this bundle installs (checked below).
CONFIG_PATH_ACTIVE=1
CONFIG_PATH_SOURCE=""

# What this run changed, newest last, so that a failure can undo it: entry i is STATE_i (dir: created directory
# DEST_i; creating: new file DEST_i; backup: DEST_i copied to BAK_i; replacing: DEST_i being replaced, its old
# content in BAK_i). The paths stay in variables and are never parsed again, whatever bytes they hold.
JN=0
journal() {
  JN=$((JN + 1))
  eval "STATE_$JN=\$1 DEST_$JN=\$2 BAK_$JN=\${3:-}"
}
TMP_NEW=""
TMP_BAK=""

rollback() {
  [ "$JN" -gt 0 ] || return 0
  tell "{{sh.undoing}}"
  lost=0
  i=$JN
  while [ "$i" -gt 0 ]; do
    eval "state=\$STATE_$i dest=\$DEST_$i bak=\$BAK_$i"
    case "$state" in
      dir) if rmdir "$dest" 2>/dev/null; then tell "{{sh.rb_removed_dir}}"; fi ;;
      creating)
        if [ -e "$dest" ] || [ -L "$dest" ]; then
          if rm -f "$dest"; then tell "{{sh.rb_removed}}"; else lost=1; tell "{{sh.rb_not_removed}}"; fi
        fi ;;
      backup) rm -f "$bak" ;;
      replacing)
        if mv -f "$bak" "$dest"; then
          tell "{{sh.rb_restored}}"
        else
          lost=1; tell "{{sh.rb_not_restored}}"
        fi ;;
    esac
    i=$((i - 1))
  done
  if [ "$lost" = 0 ]; then tell "{{sh.rb_all_back}}"; else tell "{{sh.rb_some_lost}}"; fi
}

# On every exit: temporary files go; a failure (or Ctrl-C) before the last file was installed undoes this run.
on_exit() {
  status=$?
  set +e
  if [ -n "$TMP_NEW" ]; then rm -f "$TMP_NEW"; fi
  if [ -n "$TMP_BAK" ]; then rm -f "$TMP_BAK"; fi
  if [ "$status" != 0 ] && [ "$DONE" = 0 ]; then rollback; fi
  exit "$status"
}
trap on_exit EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

for d in /etc/rancher/k3s /etc/rancher/rke2; do
  if [ -d "$d" ]; then
    say "{{sh.k3s_1}}"
    say "{{sh.k3s_2}}"
  fi
done

# A dry run only reads, so anyone may run it (it says so when a file it must read is unreadable).
if [ -z "${CONTAINERD_ETC:-}" ] && [ "$ME" != 0 ] && [ "$DRY_RUN" = 0 ]; then
  die "{{sh.need_root}}"
fi
if [ -f "$ETC/config.toml" ] && [ ! -r "$ETC/config.toml" ]; then
  die "{{sh.cannot_read_config}}"
fi

file_sha256() { sha256sum "$1" | cut -d ' ' -f 1; }

# set -e does not apply inside `if install_file ...`, so every step below checks its command itself.
# run WHAT COMMAND...: stops with "could not WHAT" and the command's own (escaped) error when COMMAND fails.
run() {
  what="$1"
  shift
  if ! err="$("$@" 2>&1)"; then die "{{sh.could_not}}"; fi
}

# new_tmp FILE: a new, empty file next to FILE (same directory, so the final mv is a rename), mode 0600.
new_tmp() {
  if ! tmp="$(mktemp "$1.ccb-tmp.XXXXXX" 2>&1)"; then die "{{sh.no_tmp}}"; fi
}

# ensure_dir DIR: creates DIR and its missing parents (mode 755), each noted for the rollback.
ensure_dir() {
  if [ -z "$1" ] || [ -d "$1" ]; then return 0; fi
  if [ -e "$1" ] || [ -L "$1" ]; then die "{{sh.not_a_dir}}"; fi
  ensure_dir "${1%/*}"
  run "{{sh.what_mkdir}}" mkdir -m 755 "$1"
  journal dir "$1"
}

# is_final FILE MODE: FILE is owned by this user and has exactly MODE (find -perm without '-' matches exactly).
is_final() { [ -n "$(find "$1" -prune -user "$ME" -perm "$2" 2>/dev/null)" ]; }

# install_file DEST MODE < content: writes DEST (relative to $ETC) if its content differs, backing up the old
# file first. Returns 0 when the file changed (or would change with --dry-run), 1 when its content was already
# identical. A file is never written into: its new content goes into a new file that is renamed over it, so an
# old file owned by someone else, or with a looser mode, is replaced rather than reused.
install_file() {
  dest="$ETC/$1"
  shown="$(esc "$dest")"
  if [ "$DRY_RUN" = 1 ]; then
    dry_run_file "$2"
    return
  fi
  if { [ -e "$dest" ] || [ -L "$dest" ]; } && [ ! -f "$dest" ]; then die "{{sh.not_a_file}}"; fi
  ensure_dir "${dest%/*}"
  new_tmp "$dest"
  TMP_NEW="$tmp"
  if ! err="$(cat 2>&1 >"$TMP_NEW")"; then die "{{sh.could_not_write}}"; fi
  if [ -f "$dest" ] && [ ! -L "$dest" ] && cmp -s "$TMP_NEW" "$dest"; then
    if is_final "$dest" "$2"; then
      rm -f "$TMP_NEW"
      TMP_NEW=""
      say "{{sh.unchanged}}"
      return 1
    fi
    # Same content, but another owner or mode (a file holding credentials must not stay readable by others).
    # No backup: it would be one more copy of the same content.
    run "{{sh.what_chmod}}" chmod "$2" "$TMP_NEW"
    run "{{sh.what_replace}}" mv -f "$TMP_NEW" "$dest"
    TMP_NEW=""
    FIXED=1
    say "{{sh.fixed}}"
    return 1
  fi
  if [ -e "$dest" ]; then
    bak="$dest.bak.$STAMP"
    k=1
    while [ -e "$bak" ] || [ -L "$bak" ]; do bak="$dest.bak.$STAMP.$k"; k=$((k + 1)); done
    new_tmp "$dest"
    TMP_BAK="$tmp"
    # cp -p keeps the old file's owner and mode: a backup is never more readable than the file it copies.
    run "{{sh.what_backup}}" cp -p "$dest" "$TMP_BAK"
    run "{{sh.what_backup}}" mv -f "$TMP_BAK" "$bak"
    TMP_BAK=""
    journal backup "$dest" "$bak"
    say "{{sh.backup}}"
    run "{{sh.what_chmod}}" chmod "$2" "$TMP_NEW"
    eval "STATE_$JN=replacing"
  else
    run "{{sh.what_chmod}}" chmod "$2" "$TMP_NEW"
    journal creating "$dest"
  fi
  run "{{sh.what_install}}" mv -f "$TMP_NEW" "$dest"
  TMP_NEW=""
  say "{{sh.wrote}}"
  return 0
}

# dry_run_file MODE < content: what install_file would do, writing nothing; for a file that would change, the
# change as a unified diff (read from a variable: nothing is written, not even a temporary file).
dry_run_file() {
  new="$(cat; printf x)"
  new="${new%x}"
  if { [ -e "$dest" ] || [ -L "$dest" ]; } && [ ! -f "$dest" ]; then
    say "{{sh.dry_not_file}}"
    DRY_FAIL=1
    return 0
  fi
  d="${dest%/*}"
  while [ -n "$d" ] && [ ! -e "$d" ]; do d="${d%/*}"; done
  if [ -n "$d" ] && [ ! -d "$d" ]; then
    say "{{sh.dry_not_dir}}"
    DRY_FAIL=1
    return 0
  fi
  if [ -f "$dest" ] && [ ! -r "$dest" ]; then
    say "{{sh.dry_unreadable}}"
    DRY_FAIL=1
    return 0
  fi
  if [ -f "$dest" ] && [ ! -L "$dest" ] && printf '%s' "$new" | cmp -s - "$dest"; then
    if is_final "$dest" "$1"; then say "{{sh.unchanged}}"; else say "{{sh.dry_fix}}"; fi
    return 1
  fi
  if [ -e "$dest" ]; then say "{{sh.dry_update}}"; old="$dest"; else say "{{sh.dry_create}}"; old=/dev/null; fi
  if command -v diff >/dev/null 2>&1; then
    # diff exits 1 when the files differ, which they do here.
    printf '%s' "$new" | { diff -u "$old" - || true; } | esc_lines
  else
    say "{{sh.dry_no_diff}}"
  fi
  return 0
}
"#;

/// Fragment bundles: whether the node's containerd uses `config_path`, from `containerd config dump` where
/// containerd is installed, else from the node's config.toml. No TOML parser in sh, so the reading is
/// conservative: a value it cannot find (or cannot be sure of) counts as "not in effect" (exit status 3).
const CONFIG_PATH_CHECK: &str = r##"# config_path_of < FILE: the registry config_path a config.toml (or `containerd config dump` output) sets for
# the CRI plugin its version reads: version 2 plugins."io.containerd.grpc.v1.cri".registry, version 3 and 4
# plugins."io.containerd.cri.v1.images".registry, version 1 (or none) plugins.cri.registry. Table headers and
# dotted keys are joined into one key; anything else (a value split over lines, an inline table) is not found.
config_path_of() {
  LC_ALL=C awk '
    function squeeze(s) { gsub(/[ \t]/, "", s); gsub(/\047/, "\"", s); return s }
    { line = $0; sub(/^[ \t]+/, "", line) }
    line == "" || substr(line, 1, 1) == "#" { next }
    substr(line, 1, 1) == "[" {
      t = line; sub(/\][ \t]*(#.*)?$/, "", t); sub(/^\[+/, "", t); sub(/\]+$/, "", t); table = squeeze(t); next
    }
    {
      eq = index(line, "="); if (eq == 0) next
      key = squeeze(substr(line, 1, eq - 1)); val = substr(line, eq + 1)
      full = (table == "") ? key : table "." key
      if (full == "version") { if (match(val, /[0-9]+/)) version = substr(val, RSTART, RLENGTH); next }
      sub(/^[ \t]+/, "", val)
      q = substr(val, 1, 1)
      if (q != "\"" && q != "\047") next
      rest = substr(val, 2); end = index(rest, q); if (end == 0) next
      v = substr(rest, 1, end - 1)
      if (full == "plugins.\"io.containerd.grpc.v1.cri\".registry.config_path") cp2 = v
      else if (full == "plugins.\"io.containerd.cri.v1.images\".registry.config_path") cp3 = v
      else if (full == "plugins.cri.registry.config_path" || full == "plugins.\"cri\".registry.config_path") cp1 = v
    }
    END {
      if (version == "2") print cp2
      else if (version == "3" || version == "4") print cp3
      else if (version == "" || version == "1") print cp1
    }'
}
# uses_certs_d < FILE: config_path (one directory, or several separated by ':') includes /etc/containerd/certs.d.
uses_certs_d() {
  cp="$(config_path_of)"
  case ":$cp:" in *:/etc/containerd/certs.d:*|*:/etc/containerd/certs.d/:*) return 0 ;; esac
  return 1
}
CONFIG_PATH_ACTIVE=0
if [ ! -f "$ETC/config.toml" ]; then
  CONFIG_PATH_SOURCE="{{sh.cp_missing}}"
elif command -v containerd >/dev/null 2>&1 && dump="$(containerd --config "$ETC/config.toml" config dump 2>/dev/null)"; then
  CONFIG_PATH_SOURCE="containerd config dump"
  if printf '%s
' "$dump" | uses_certs_d; then CONFIG_PATH_ACTIVE=1; fi
else
  CONFIG_PATH_SOURCE="$ETC_SHOWN/config.toml"
  if uses_certs_d <"$ETC/config.toml"; then CONFIG_PATH_ACTIVE=1; fi
fi
if [ "$CONFIG_PATH_ACTIVE" = 1 ]; then
  say "{{sh.cp_in_effect}}"
fi
"##;

/// How to merge the node's config.toml, for a user who may have only the web app: the CLI exists only as source
/// (built from the repository), and the bundle's project.json is what it renders from.
const HOW_TO_MERGE: &str = r#"say "{{sh.merge_1}}"
say "{{sh.merge_2}}"
say "{{sh.merge_3}}"
say "{{sh.merge_4}}"
say "      containerd-config-builder render project.json --out bundle --merge-into $ETC_SHOWN/config.toml"
"#;

/// Merged config.toml: installed only over the node file it was merged from (or the merged file itself).
const MERGED: &str = r#"{{sh.merged_comment}}
ORIGINAL_SHA256=@SHA@
MERGED_SHA256=@MERGED@
if [ ! -f "$ETC/config.toml" ]; then
  die "{{sh.merged_no_config}}"
fi
CURRENT_SHA256="$(file_sha256 "$ETC/config.toml")"
# The merged file itself is fine too: then this bundle is already installed.
if [ "$CURRENT_SHA256" != "$ORIGINAL_SHA256" ] && [ "$CURRENT_SHA256" != "$MERGED_SHA256" ]; then
  say "{{sh.merged_other_file}}"
  say "{{sh.merged_expected}}"
  say "{{sh.merged_found}}"
  say "{{sh.merged_again}}"
@HOW@  exit 1
fi
"#;

/// Drop-in: only into a version 3+ config.toml that imports conf.d (or a new minimal one). containerd 2.3 and
/// later refuse to start when a drop-in's version is higher than the main file's (`drop-in config version %d
/// higher than root config version %d`, `cmd/containerd/server/config/config.go`); a lower one is migrated in
/// memory. So the node's version is read first and a version 4 drop-in refused over a version 3 file
/// ([`DROP_IN_VERSION_CHECK`]).
const DROP_IN: &str = r#"{{sh.drop_in_comment}}
if [ -f "$ETC/config.toml" ]; then
  NODE_VERSION=$(sed -n -E 's/^[[:space:]]*version[[:space:]]*=[[:space:]]*([0-9]+)[[:space:]]*(#.*)?$/\1/p' "$ETC/config.toml" | head -n 1)
  case "$NODE_VERSION" in
    3|4) ;;
    *) die "{{sh.drop_in_not_v3}}" ;;
  esac
@VCHECK@  # imports may span several lines: look at the file without comments, joined into one line.
  if ! sed 's/#.*//' "$ETC/config.toml" | tr '\n' ' ' | grep -Eq '(^|[[:space:]])imports[[:space:]]*=[[:space:]]*\[[^]]*conf\.d/\*\.toml'; then
    die "{{sh.drop_in_no_import}}"
  fi
else
  if install_file config.toml 644 <<'CCB_EOF_MIN'
{{sh.drop_in_new_config}}
version = @DROPV@
imports = ["/etc/containerd/conf.d/*.toml"]
CCB_EOF_MIN
  then
    RESTART=1; CHANGED=1
  fi
fi
"#;

/// Only for a version 4 drop-in (2.3+-only targets): a version 3 node file would make containerd refuse to start.
const DROP_IN_VERSION_CHECK: &str = r#"  if [ "$NODE_VERSION" -lt @DROPV@ ]; then
    die "{{sh.drop_in_version_higher}}"
  fi
"#;

/// Merged config.toml or drop-in: they set config_path themselves; warn if containerd does not show it.
const CONFIG_PATH_SHOWN: &str = r#"if [ "$DRY_RUN" = 0 ] && command -v containerd >/dev/null 2>&1 && [ -f "$ETC/config.toml" ]; then
  if containerd --config "$ETC/config.toml" config dump 2>/dev/null | grep -Eq "config_path[[:space:]]*=[[:space:]]*['\"]/etc/containerd/certs.d['\"]"; then
    say "{{sh.cp_effective}}"
  else
    say "{{sh.cp_not_shown}}"
    say "{{sh.cp_not_shown_2}}"
  fi
fi
"#;

/// What happened, whether containerd must restart, how to verify; exit status 3 while config_path is not in effect.
const END: &str = r#"say ""
if [ "$DRY_RUN" = 1 ] && [ "$DRY_FAIL" = 1 ]; then
  say "{{sh.end_dry_fail}}"
  exit 1
elif [ "$DRY_RUN" = 1 ]; then
  say "{{sh.end_dry}}"
elif [ "$RESTART" = 1 ]; then
  say "{{sh.end_restart}}"
  say "  systemctl restart containerd"
  say "{{sh.end_restart_3}}"
elif [ "$CONFIG_PATH_ACTIVE" = 0 ]; then
  say "{{sh.end_not_active}}"
elif [ "$CHANGED" = 1 ]; then
  say "{{sh.end_hosts_only}}"
elif [ "$FIXED" = 1 ]; then
  say "{{sh.end_fixed}}"
else
  say "{{sh.end_installed}}"
fi
say ""
say "{{sh.end_verify}}"
say @CRICTL@
say @CTR@
if [ "$CONFIG_PATH_ACTIVE" = 0 ]; then
  say ""
  if [ "$DRY_RUN" = 1 ]; then say "{{sh.end_would_not_be_active}}"; else say "{{sh.end_not_active_yet}}"; fi
  say "{{sh.end_cp_1}}"
  say "{{sh.end_cp_2}}"
  say "{{sh.end_cp_3}}"
  say "{{sh.end_cp_4}}"
  exit 3
fi
"#;

pub fn install_sh(p: &InstallPlan) -> String {
    let lang = p.lang;
    let mut out = String::from("#!/bin/sh\n");
    for line in p.header.lines() {
        out.push_str(&format!("# {line}\n").replace("# \n", "#\n"));
    }
    out.push_str(text(lang, "sh.about"));
    out.push_str(&fill(lang, PRELUDE));
    out.push('\n');

    let config_mode = if p.has_credentials { "600" } else { "644" };
    let how_to_merge = fill(lang, HOW_TO_MERGE);
    let mut n = 0;
    match &p.config {
        ConfigDelivery::Merged { original_sha256, merged_sha256 } => {
            let sha = sh_quote(original_sha256);
            let merged = sh_quote(merged_sha256);
            out.push_str(&put(&fill(lang, MERGED), &[("@SHA@", &sha), ("@MERGED@", &merged), ("@HOW@", &how_to_merge)]));
            n += 1;
            heredoc_install(&mut out, "config.toml", config_mode, p.config_file.1, n, "RESTART=1; CHANGED=1");
        }
        ConfigDelivery::Fragment { path } => {
            out.push_str(text(lang, "sh.fragment_comment"));
            out.push('\n');
            let note = text_with(lang, "sh.fragment_note", &[("path", path)]);
            out.push_str(&say_line(&note, &format!("\"{}\"", text(lang, "sh.fragment_note_2"))));
            out.push_str(&how_to_merge);
        }
        ConfigDelivery::DropIn { path } => {
            let version = drop_in_version(p.config_file.1).to_string();
            let check = if version != "3" { fill(lang, DROP_IN_VERSION_CHECK) } else { String::new() };
            let template = put(&fill(lang, DROP_IN), &[("@VCHECK@", &check)]);
            out.push_str(&put(&template, &[("@DROPV@", &version)]));
            n += 1;
            heredoc_install(&mut out, path, config_mode, p.config_file.1, n, "RESTART=1; CHANGED=1");
        }
    }

    if !p.other_files.is_empty() {
        out.push('\n');
        out.push_str(text(lang, "sh.hosts_comment"));
        out.push('\n');
    }
    for (path, content, mode) in &p.other_files {
        n += 1;
        heredoc_install(&mut out, path, &format!("{mode:o}"), content, n, "CHANGED=1");
    }
    out.push_str("# Everything is in place: from here on nothing is written, and a failure no longer undoes the run.\nDONE=1\n");

    out.push('\n');
    // Only a fragment bundle leaves config.toml as the node has it, so only then may config_path be missing after
    // the run (a merged config.toml and a drop-in set it themselves).
    let check_config_path = p.style == OutputStyle::HostsDir && matches!(p.config, ConfigDelivery::Fragment { .. });
    if check_config_path {
        out.push_str(&fill(lang, CONFIG_PATH_CHECK));
    } else if p.style == OutputStyle::HostsDir {
        out.push_str(&fill(lang, CONFIG_PATH_SHOWN));
    }
    let crictl = p.verify_commands.first().map(String::as_str).unwrap_or("crictl pull <image>");
    let ctr_line = match p.verify_commands.get(1) {
        Some(ctr) => format!("  {ctr}"),
        None => text(lang, "sh.end_ctr_legacy").to_string(),
    };
    let crictl = sh_quote(&shown(&format!("  {crictl}")));
    let ctr = sh_quote(&shown(&ctr_line));
    out.push_str(&put(&fill(lang, END), &[("@CRICTL@", &crictl), ("@CTR@", &ctr)]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_messages_are_one_quoted_word_with_controls_escaped() {
        assert_eq!(say_line("it's $(id) `id`", ""), "say 'it'\\''s $(id) `id`'\n");
        assert_eq!(say_line("a\u{1b}[2J\nb", r#""$ETC_SHOWN""#), "say 'a\\u{1b}[2J\\u{a}b' \"$ETC_SHOWN\"\n");
    }
}
