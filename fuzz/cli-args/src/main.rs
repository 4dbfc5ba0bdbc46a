//! A bounded mutation harness for the CLI binary itself (stable, std only): random argument lists built from the
//! CLI's commands and flags, real and broken input files, missing paths, odd `--out` targets, non-UTF-8 and
//! control-character arguments, and `LANG` / secret variables set or not.
//!
//! Each run gets a fresh scratch directory; the harness checks that the binary
//! - ends within 10 s, by exiting (no signal) with 0, 1, 2 or 3, and never panics (exit 101, "panicked" on stderr);
//! - writes only inside its `--out` directory, and nothing at all unless it exits 0;
//! - never modifies or removes an input (the project file, the `--merge-into` file);
//! - after `render` exits 0, has written install.sh and README.txt.
//!
//! A libFuzzer target is no place for this (a process per input is ~1000× slower than the in-process `cli`
//! target, which covers the CLI's project-file path), so it runs a fixed number of random cases:
//!
//!   cargo run --release --manifest-path fuzz/cli-args/Cargo.toml -- target/debug/containerd-config-builder RUNS [SEED]
//!   cargo run --release --manifest-path fuzz/cli-args/Cargo.toml -- BINARY --replay fuzz/regressions/cli-args/*.args
//!
//! Distinct failures are saved as `.args` files (one `arg …` / `env NAME=…` line each, `\xNN` escapes, `@name`
//! for the scratch files) in `fuzz/artifacts/cli-args/`, and the run exits 1 if there was any.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::io::Read;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const TIMEOUT: Duration = Duration::from_secs(10);

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// An argument or variable value: bytes, with `@name` standing for a scratch path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Case {
    args: Vec<Vec<u8>>,
    env: Vec<(String, Vec<u8>)>,
}

/// The scratch inputs: name → content (`None`: a directory).
fn inputs() -> Vec<(&'static str, Option<Vec<u8>>)> {
    let read = |p: &str| std::fs::read(Path::new(REPO).join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    let env_project = String::from_utf8(read("examples/08-secrets-from-environment.json")).unwrap();
    vec![
        ("valid.json", Some(read("examples/01-seed-dockerhub-mirrors.json"))),
        ("harbor.json", Some(read("examples/02-harbor-path-mode.json"))),
        ("legacy.json", Some(read("examples/07-legacy-inline-mirrors.json"))),
        ("env.json", Some(env_project.replace("GHCR_CACHE_PASSWORD", "CCB_FUZZ_SECRET").into_bytes())),
        (
            "errors.json",
            Some(br#"{"schema_version":1,"target":{"min":"1.6.20","max":"2.1.x"},"registries":[{"upstream":"docker.io","endpoints":[{"url":"ftp://x"}]}]}"#.to_vec()),
        ),
        ("warnings.json", Some(br#"{"schema_version":1,"target":{"min":"1.6.20","max":"2.1.x"},"registries":[{"upstream":"docker.io","endpoints":[{"url":"http://10.0.0.1:5000"}]}]}"#.to_vec())),
        ("empty.json", Some(Vec::new())),
        ("broken.json", Some(b"{\"schema_version\": 1, \"target\": {".to_vec())),
        ("other.json", Some(b"{\"x\": 1}".to_vec())),
        ("nonutf8.json", Some(vec![0xff, 0xfe, b'{', b'}'])),
        ("cfg-1.6.toml", Some(read("crates/core/tests/configs/containerd-1.6.20-default.toml"))),
        ("cfg-2.1.toml", Some(read("crates/core/tests/configs/containerd-2.1.9-default.toml"))),
        ("cfg-kubeadm.toml", Some(read("crates/core/tests/configs/kubeadm-systemd-cgroup.toml"))),
        ("cfg-broken.toml", Some(b"version = 2\n[plugins\n".to_vec())),
        ("cfg-v1.toml", Some(b"[plugins.cri]\n".to_vec())),
        ("cfg-nonutf8.toml", Some(vec![b'v', 0xff, b'\n'])),
        ("a-file", Some(b"not a directory\n".to_vec())),
        ("dir", None),
    ]
}

fn case(rng: &mut Rng) -> Case {
    const COMMANDS: &[&str] = &["render", "check", "schema", "help", "-h", "--help", "", "bogus", "RENDER", "render ", "--lang"];
    const FLAGS: &[&str] = &["--out", "--merge-into", "--lang", "--", "-", "--out=@out", "--lang=zh", "-o", "--OUT", "--merge-into="];
    const LANGS: &[&str] = &["en", "zh", "zh_CN", "zh-CN", "fr", "", "--out"];
    const PROJECTS: &[&str] = &[
        "@valid.json", "@harbor.json", "@legacy.json", "@env.json", "@errors.json", "@warnings.json", "@empty.json",
        "@broken.json", "@other.json", "@nonutf8.json", "@missing.json", "@dir", "/dev/null", "@cfg-2.1.toml",
    ];
    const CONFIGS: &[&str] = &[
        "@cfg-1.6.toml", "@cfg-2.1.toml", "@cfg-kubeadm.toml", "@cfg-broken.toml", "@cfg-v1.toml", "@cfg-nonutf8.toml",
        "@missing.toml", "@dir", "/dev/null", "@valid.json",
    ];
    const OUTS: &[&str] = &["@out", "@out", "@out/nested/deeper", "@out/../escape", "@a-file", "@a-file/sub", "@dir", "@out/", "."];
    fn weird(rng: &mut Rng) -> Vec<u8> {
        match rng.below(7) {
            0 => vec![0xff, b'x'],
            1 => b"a\nb".to_vec(),
            2 => "\u{1b}[31m中文".as_bytes().to_vec(),
            3 => vec![b'a'; 5000],
            4 => b"--".to_vec(),
            5 => b"-".to_vec(),
            _ => b"@out/../../x".to_vec(),
        }
    }
    let mut args: Vec<Vec<u8>> = Vec::new();
    if rng.chance(70) {
        // Shaped like a real invocation, then mutated.
        args.push(rng.pick(&["render", "render", "check", "check", "schema"][..]).as_bytes().to_vec());
        if rng.chance(90) {
            args.push(rng.pick(PROJECTS).as_bytes().to_vec());
        }
        let mut flags: Vec<Vec<Vec<u8>>> = Vec::new();
        if rng.chance(80) {
            flags.push(vec![b"--out".to_vec(), rng.pick(OUTS).as_bytes().to_vec()]);
        }
        if rng.chance(40) {
            flags.push(vec![b"--merge-into".to_vec(), rng.pick(CONFIGS).as_bytes().to_vec()]);
        }
        if rng.chance(30) {
            flags.push(vec![b"--lang".to_vec(), rng.pick(LANGS).as_bytes().to_vec()]);
        }
        while !flags.is_empty() {
            let i = rng.below(flags.len());
            args.extend(flags.remove(i));
        }
        // Mutations: drop, duplicate, swap, insert a token.
        for _ in 0..rng.below(3) {
            if args.is_empty() {
                break;
            }
            let i = rng.below(args.len());
            match rng.below(5) {
                0 => {
                    args.remove(i);
                }
                1 => {
                    let a = args[i].clone();
                    args.insert(i, a);
                }
                2 => {
                    let j = rng.below(args.len());
                    args.swap(i, j);
                }
                3 => args.insert(i, rng.pick(FLAGS).as_bytes().to_vec()),
                _ => args.insert(i, weird(rng)),
            }
        }
    } else {
        for _ in 0..rng.below(7) {
            let tok = match rng.below(6) {
                0 => rng.pick(COMMANDS).as_bytes().to_vec(),
                1 => rng.pick(FLAGS).as_bytes().to_vec(),
                2 => rng.pick(PROJECTS).as_bytes().to_vec(),
                3 => rng.pick(CONFIGS).as_bytes().to_vec(),
                4 => rng.pick(OUTS).as_bytes().to_vec(),
                _ => weird(rng),
            };
            args.push(tok);
        }
    }
    let mut env = Vec::new();
    match rng.below(5) {
        0 => env.push(("LANG".to_string(), b"zh_CN.UTF-8".to_vec())),
        1 => env.push(("LANG".to_string(), b"C".to_vec())),
        2 => env.push(("LANG".to_string(), vec![b'z', b'h', 0xff])),
        _ => {}
    }
    if rng.chance(50) {
        env.push(("CCB_FUZZ_SECRET".to_string(), if rng.chance(80) { b"s3cret".to_vec() } else { vec![0xff] }));
    }
    Case { args, env }
}

fn resolve(v: &[u8], scratch: &Path) -> OsString {
    match v.strip_prefix(b"@") {
        Some(rest) => {
            let mut p = scratch.as_os_str().as_bytes().to_vec();
            p.push(b'/');
            p.extend_from_slice(rest);
            OsString::from_vec(p)
        }
        None => OsString::from_vec(v.to_vec()),
    }
}

/// Every file and directory under `root`: relative path → content (`None` for directories).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_path_buf();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                out.insert(rel, None);
                stack.push(p);
            } else {
                out.insert(rel, Some(std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out
}

fn setup(scratch: &Path) {
    let _ = std::fs::remove_dir_all(scratch);
    std::fs::create_dir_all(scratch).unwrap();
    for (name, content) in inputs() {
        match content {
            Some(c) => std::fs::write(scratch.join(name), c).unwrap(),
            None => std::fs::create_dir_all(scratch.join(name)).unwrap(),
        }
    }
}

/// Runs one case; `Err(signature, detail)` when an invariant broke.
fn run(bin: &Path, scratch: &Path, c: &Case) -> Result<(), (String, String)> {
    setup(scratch);
    let before = snapshot(scratch);
    let mut cmd = Command::new(bin);
    cmd.current_dir(scratch).env_remove("LANG").env_remove("CCB_FUZZ_SECRET").env_remove("LC_ALL");
    for a in &c.args {
        cmd.arg(resolve(a, scratch));
    }
    for (k, v) in &c.env {
        cmd.env(k, OsString::from_vec(v.clone()));
    }
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn the CLI");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stdout.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stderr.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_micros(200));
    };
    let out = t_out.join().unwrap();
    let err = String::from_utf8_lossy(&t_err.join().unwrap()).into_owned();
    let detail = |what: &str| format!("{what}\nstderr: {}\nstdout: {}", err.trim_end(), String::from_utf8_lossy(&out).trim_end());
    let Some(status) = status else { return Err(("timeout".into(), detail("no exit within 10 s"))) };
    let Some(code) = status.code() else { return Err(("signal".into(), detail(&format!("killed by a signal: {status:?}")))) };
    if err.contains("panicked") || code == 101 {
        let line = err.lines().find(|l| l.contains("panicked")).unwrap_or("").to_string();
        let sig = line.split(" at ").nth(1).map(|s| s.split(':').next().unwrap_or("").to_string()).unwrap_or_default();
        let msg = err.lines().skip_while(|l| !l.contains("panicked")).nth(1).unwrap_or("").to_string();
        return Err((format!("panic {sig}: {}", msg.chars().take(80).collect::<String>()), detail(&format!("exit {code}"))));
    }
    if !(0..=3).contains(&code) {
        return Err((format!("exit {code}"), detail(&format!("unexpected exit code {code}"))));
    }
    let after = snapshot(scratch);
    let out_dir = out_dir_of(c, scratch);
    for (p, v) in &before {
        if after.get(p) != Some(v) {
            return Err((format!("input changed: {}", p.display()), detail(&format!("{} was modified or removed", p.display()))));
        }
    }
    let new: BTreeSet<&PathBuf> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    if code != 0 && !new.is_empty() {
        return Err((format!("exit {code} but wrote files"), detail(&format!("exit {code}, yet new paths: {new:?}"))));
    }
    for p in &new {
        let inside = out_dir.as_ref().is_some_and(|o| scratch.join(p).starts_with(o) || o.starts_with(scratch.join(p)));
        if !inside {
            return Err(("wrote outside --out".into(), detail(&format!("{} is outside --out {:?}", p.display(), out_dir))));
        }
    }
    let is_render = c.args.first().is_some_and(|a| a == b"render");
    if is_render && code == 0 {
        let o = out_dir.clone().unwrap_or_default();
        for f in ["install.sh", "README.txt"] {
            if !o.join(f).is_file() {
                return Err((format!("render exit 0 without {f}"), detail(&format!("no {f} in {}", o.display()))));
            }
        }
    }
    Ok(())
}

/// Where the CLI should write: the value after the first `--out`, lexically normalised.
fn out_dir_of(c: &Case, scratch: &Path) -> Option<PathBuf> {
    let i = c.args.iter().position(|a| a == b"--out")?;
    let v = c.args.get(i + 1)?;
    let p = PathBuf::from(resolve(v, scratch));
    let p = if p.is_absolute() { p } else { scratch.join(p) };
    let mut norm = PathBuf::new();
    for comp in p.components() {
        match comp {
            std::path::Component::ParentDir => {
                norm.pop();
            }
            std::path::Component::CurDir => {}
            other => norm.push(other),
        }
    }
    Some(norm)
}

fn escape(v: &[u8]) -> String {
    let mut s = String::new();
    for &b in v {
        if b.is_ascii_graphic() && b != b'\\' || b == b' ' {
            s.push(b as char);
        } else {
            s.push_str(&format!("\\x{b:02x}"));
        }
    }
    s
}

fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() && b[i + 1] == b'x' {
            out.push(u8::from_str_radix(&s[i + 2..i + 4], 16).expect("\\xNN"));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn to_file(c: &Case) -> String {
    let mut s = String::new();
    for (k, v) in &c.env {
        s.push_str(&format!("env {k}={}\n", escape(v)));
    }
    for a in &c.args {
        s.push_str(&format!("arg {}\n", escape(a)));
    }
    s
}

fn from_file(text: &str) -> Case {
    let mut c = Case { args: Vec::new(), env: Vec::new() };
    for line in text.lines() {
        if let Some(a) = line.strip_prefix("arg ") {
            c.args.push(unescape(a));
        } else if line == "arg" {
            c.args.push(Vec::new());
        } else if let Some(kv) = line.strip_prefix("env ") {
            let (k, v) = kv.split_once('=').expect("env NAME=VALUE");
            c.env.push((k.to_string(), unescape(v)));
        }
    }
    c
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bin = PathBuf::from(args.first().expect("usage: ccb-cli-args-fuzz BINARY [RUNS [SEED]] | BINARY --replay FILE…"));
    let bin = std::fs::canonicalize(&bin).unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
    let scratch = std::env::temp_dir().join(format!("ccb-cli-args-{}", std::process::id()));
    let mut failures: BTreeMap<String, (Case, String)> = BTreeMap::new();
    let start = Instant::now();
    let mut n = 0u64;
    if args.get(1).map(String::as_str) == Some("--replay") {
        for f in &args[2..] {
            let c = from_file(&std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{f}: {e}")));
            n += 1;
            match run(&bin, &scratch, &c) {
                Ok(()) => println!("ok      {f}"),
                Err((sig, detail)) => {
                    println!("FAILS   {f}: {sig}\n{detail}\n");
                    failures.insert(sig, (c, detail));
                }
            }
        }
    } else {
        let runs: u64 = args.get(1).map(|s| s.parse().expect("RUNS")).unwrap_or(10_000);
        let seed: u64 = args.get(2).map(|s| s.parse().expect("SEED")).unwrap_or(0x5eed_cafe);
        let mut rng = Rng(seed | 1);
        for i in 0..runs {
            let c = case(&mut rng);
            n += 1;
            if let Err((sig, detail)) = run(&bin, &scratch, &c) {
                if !failures.contains_key(&sig) {
                    eprintln!("#{i} NEW FAILURE {sig}\n{}{detail}\n", to_file(&c));
                    failures.insert(sig, (c, detail));
                }
            }
            if (i + 1) % 1000 == 0 {
                eprintln!("#{} runs, {:.0} runs/s, {} distinct failures", i + 1, (i + 1) as f64 / start.elapsed().as_secs_f64(), failures.len());
            }
        }
        let dir = Path::new(REPO).join("fuzz/artifacts/cli-args");
        std::fs::create_dir_all(&dir).unwrap();
        for (i, (sig, (c, _))) in failures.iter().enumerate() {
            let name = format!("failure-{i}.args");
            std::fs::write(dir.join(&name), format!("# {sig}\n{}", to_file(c))).unwrap();
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    let secs = start.elapsed().as_secs_f64();
    println!("cli-args: {n} runs in {secs:.1} s ({:.0} runs/s), {} distinct failure(s)", n as f64 / secs, failures.len());
    for sig in failures.keys() {
        println!("  {sig}");
    }
    std::process::exit(if failures.is_empty() { 0 } else { 1 });
}
