#!/usr/bin/python3
"""Real-containerd end-to-end driver (stdlib + Debian's python3-grpcio).

Outer mode (`driver.py run …`, on the host): makes a throw-away PKI, renders every scenario's bundle with the
project's CLI, and runs each scenario on every given containerd whose version lies in the scenario's target range,
one at a time, each inside its own `unshare --mount --net --pid --fork --kill-child --mount-proc` namespace.

Inner mode (`driver.py inner SPEC.json`, inside that namespace): tmpfs on the work dir, /var/lib/containerd and
/run/containerd; bundle bind-mounted on /etc/containerd; generated /etc/hosts bind-mounted over /etc/hosts;
one `docker-registry serve` per endpoint on its own 127.77.0.N; a tiny image pushed over the registry HTTP API;
containerd started on the bundle; CRI PullImage (and `ctr images pull --hosts-dir` for hosts-dir bundles);
routing judged from each registry's access log. The result is written as JSON outside the tmpfs.

Nothing here talks to anything but 127.0.0.0/8 inside a fresh network namespace.
"""

import argparse
import base64
import gzip
import hashlib
import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO_DIR = os.path.join(HERE, "scenarios")
BASE_DIR = os.path.join(HERE, "base")
INNER_TIMEOUT = 180  # seconds for one scenario × version
COUNTS = {"passed": 0, "failed": 0}  # for the summary line if the driver itself breaks

# Daemon-log lines that fail a scenario whatever else happened (toolchain.md §11, spec §1.6/§2.7).
BAD_DAEMON_LOG = [
    "Ignoring unknown key",
    "failed to decode hosts.toml",
    "failed to load plugin io.containerd.grpc.v1.cri",
    "failed to load plugin io.containerd.cri.v1",
]

MT_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


# --------------------------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------------------------

def sh(cmd, check=True, **kw):
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.STDOUT)
    kw.setdefault("text", True)
    p = subprocess.run(cmd, **kw)
    if check and p.returncode != 0:
        raise RuntimeError("command failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stdout or ""))
    return p


def parse_version(s):
    """'1.6.20' / '2.1.x' / 'v1.7' -> (major, minor, patch|None)."""
    t = s.strip().lstrip("v").split(".")
    major, minor = int(t[0]), int(t[1])
    patch = None
    if len(t) > 2 and t[2] not in ("x", "X", "*"):
        patch = int(t[2])
    return major, minor, patch


def in_range(ver, tmin, tmax):
    lo = parse_version(tmin)
    hi = parse_version(tmax)
    lo = (lo[0], lo[1], lo[2] or 0)
    hi = (hi[0], hi[1], hi[2] if hi[2] is not None else 1 << 30)
    return lo <= ver <= hi


def containerd_version(bindir):
    out = sh([os.path.join(bindir, "containerd"), "--version"]).stdout.strip()
    # "containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3"
    # "containerd github.com/containerd/containerd/v2 2.1.9+unknown "
    m = re.search(r"\sv?(\d+)\.(\d+)\.(\d+)", out)
    if not m:
        raise RuntimeError("cannot parse containerd version from %r" % out)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))), out


def host_port(host, scheme):
    """'mirror.test' + https -> ('mirror.test', 443); 'registry.internal:5000' -> (…, 5000)."""
    if host.rsplit(":", 1)[-1].isdigit() and ":" in host:
        name, port = host.rsplit(":", 1)
        return name, int(port)
    return host, 443 if scheme == "https" else 80


def split_ref(ref):
    """'docker.io/library/busybox:1' -> ('docker.io/library/busybox', '1'); a digest reference
    'busybox@sha256:…' -> ('busybox', 'sha256:…'): the object its manifest is asked for."""
    if "@" in ref:
        name, digest = ref.split("@", 1)
        return name, digest
    slash = ref.rfind("/")
    colon = ref.rfind(":")
    if colon > slash:
        return ref[:colon], ref[colon + 1:]
    return ref, "latest"


def pull_refs(pull, img):
    """The pull's CRI and ctr references, `{digest}` replaced by the pushed manifest's digest."""
    return {k: pull[k].replace("{digest}", img["manifest_digest"]) for k in ("cri", "ctr") if pull.get(k)}


def image_for(scenario_name, i, pull):
    """The image of a scenario's pull number i: different per pull, and the same in the outer run (which asks
    explain about its digest) as in the inner one (which pushes it)."""
    return make_image("%s #%d %s" % (scenario_name, i, pull["cri"]))


# --------------------------------------------------------------------------------------------------------------
# PKI (outer): two server CAs — "public" (stands for the web PKI: containerd gets it as its *system* pool via
# SSL_CERT_FILE, used by the fake upstreams) and "private" (only reachable through the bundle: pasted PEM) — and a
# client CA for mTLS.
# --------------------------------------------------------------------------------------------------------------

class Pki:
    def __init__(self, root):
        self.root = root
        os.makedirs(root, exist_ok=True)
        for ca in ("public", "private", "client"):
            self._ca(ca)
        self._leaf("client", "ccb-e2e-client", client=True)

    def _ca(self, name):
        key, crt = self.path(name + "-ca.key"), self.path(name + "-ca.crt")
        if os.path.exists(crt):
            return
        sh(["openssl", "req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-keyout", key, "-out", crt, "-days", "7",
            "-subj", "/CN=ccb-e2e %s CA (throw-away)" % name,
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign"])

    def path(self, *p):
        return os.path.join(self.root, *p)

    def _leaf(self, ca, cn, client=False):
        base = self.path("%s--%s" % (ca, cn.replace(":", "_")))
        if os.path.exists(base + ".crt"):
            return base + ".crt", base + ".key"
        ext = base + ".ext"
        with open(ext, "w") as f:
            if client:
                f.write("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                        "extendedKeyUsage=clientAuth\n")
            else:
                f.write("subjectAltName=DNS:%s\nbasicConstraints=critical,CA:FALSE\n"
                        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n" % cn)
        sh(["openssl", "req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-keyout", base + ".key", "-out", base + ".csr", "-subj", "/CN=" + cn])
        sh(["openssl", "x509", "-req", "-in", base + ".csr", "-CA", self.path(ca + "-ca.crt"),
            "-CAkey", self.path(ca + "-ca.key"), "-set_serial", str(int.from_bytes(os.urandom(8), "big")),
            "-days", "7", "-out", base + ".crt", "-extfile", ext])
        return base + ".crt", base + ".key"

    def server_cert(self, ca, name):
        return self._leaf(ca, name)

    def pem(self, name):
        with open(self.path(name)) as f:
            return f.read()


# --------------------------------------------------------------------------------------------------------------
# Scenario loading and rendering (outer)
# --------------------------------------------------------------------------------------------------------------

def load_scenarios(only=None):
    out = []

    def wanted(name):
        return not only or any(name == o or name.startswith(o) for o in only)

    def expectations(name):
        with open(os.path.join(SCENARIO_DIR, name + ".expect.json")) as f:
            return json.load(f)

    for fn in sorted(os.listdir(SCENARIO_DIR)):
        if not fn.endswith(".json") or fn.endswith(".expect.json"):
            continue
        name = fn[:-5]
        if not wanted(name):
            continue
        expect = expectations(name)
        with open(os.path.join(SCENARIO_DIR, fn)) as f:
            project_text = f.read()
        project = json.loads(project_text)
        out.append({"name": name, "project_text": project_text, "project": project, "expect": expect})
    for fn in sorted(os.listdir(SCENARIO_DIR)):
        # A node's own files (an /etc/containerd tree) instead of a project: see run_node_scenario.
        if not fn.endswith(".node") or not os.path.isdir(os.path.join(SCENARIO_DIR, fn)):
            continue
        name = fn[:-5]
        if not wanted(name):
            continue
        expect = expectations(name)
        project = {"target": expect["target"], "output": expect.get("output", "hosts_dir")}
        out.append({"name": name, "node": os.path.join(SCENARIO_DIR, fn), "project": project, "expect": expect})
    out.sort(key=lambda x: x["name"])
    return out


def template_project(text, pki):
    """Fill @PEM:<file>@ placeholders (inside JSON strings) with the PEM text of a PKI file."""
    def repl(m):
        return json.dumps(pki.pem(m.group(1)))[1:-1]
    return re.sub(r"@PEM:([A-Za-z0-9_.-]+)@", repl, text)


def base_config_for(project):
    tmin = project.get("target", {}).get("min", "1.7.0")
    return os.path.join(BASE_DIR, "config-v2.toml" if parse_version(tmin)[0] < 2 else "config-v3.toml")


def render(repo, scn, pki, outdir, prebuilt=None):
    """Render the scenario's bundle with the CLI. Returns (ok, message)."""
    os.makedirs(outdir, exist_ok=True)
    proj = os.path.join(outdir, "project.json")
    with open(proj, "w") as f:
        f.write(template_project(scn["project_text"], pki))
    bundle = os.path.join(outdir, "bundle")
    shutil.rmtree(bundle, ignore_errors=True)
    if prebuilt:
        src = os.path.join(prebuilt, scn["name"])
        if not os.path.isdir(src):
            return False, "no prebuilt bundle %s" % src
        shutil.copytree(src, bundle)
        return True, "prebuilt bundle " + src
    base = scn.get("base") or base_config_for(scn["project"])
    cmd = ["cargo", "run", "-q", "-p", "containerd-config-builder", "--", "render", proj, "--out", bundle,
           "--merge-into", base]
    p = subprocess.run(cmd, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with open(os.path.join(outdir, "render.log"), "w") as f:
        f.write("$ %s\n%s" % (" ".join(cmd), p.stdout))
    if p.returncode != 0:
        return False, "render exited %d:\n%s" % (p.returncode, p.stdout.strip())
    if not os.path.isfile(os.path.join(bundle, "config.toml")):
        return False, "render produced no config.toml in %s (output: %s)" % (bundle, p.stdout.strip())
    return True, p.stdout.strip()


def cli_command(repo, cli):
    """The CLI as a command: the binary run.sh built, else through cargo."""
    if cli:
        return [cli]
    return ["cargo", "run", "-q", "--manifest-path", os.path.join(repo, "Cargo.toml"), "-p",
            "containerd-config-builder", "--"]


def explain_pulls(repo, cli, scn, sdir, cd):
    """`explain --json` for every pull of the scenario on this containerd release: for the CRI reference and,
    for hosts-dir bundles, the ctr one. Returns (per-pull {"cri": answer, "ctr": answer}, error text or None)."""
    hosts_dir = scn["project"].get("output", "hosts_dir") == "hosts_dir"
    out = []
    log = []
    for i, pull in enumerate(scn["expect"]["pulls"]):
        refs = pull_refs(pull, image_for(scn["name"], i, pull))
        answers = {}
        for phase, ref in refs.items():
            if phase == "ctr" and not hosts_dir:
                continue
            cmd = cli_command(repo, cli) + ["explain", os.path.join(sdir, "project.json"), ref, "--containerd",
                                            cd["label"], "--json"]
            p = subprocess.run(cmd, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            log.append("$ %s   # exit %d\n%s%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
            if p.returncode not in (0, 1):
                return None, "explain %s exited %d: %s" % (ref, p.returncode, p.stderr.strip())
            try:
                answers[phase] = json.loads(p.stdout)
            except ValueError as e:
                return None, "explain %s printed no JSON (%s): %s" % (ref, e, p.stdout[:300])
        out.append(answers)
    with open(os.path.join(sdir, "explain-%s.log" % cd["label"]), "w") as f:
        f.write("\n".join(log))
    return out, None


# --------------------------------------------------------------------------------------------------------------
# Outer driver
# --------------------------------------------------------------------------------------------------------------

def cmd_run(args):
    t_all = time.monotonic()
    repo = os.path.abspath(args.repo)
    rundir = os.path.abspath(args.workdir or tempfile.mkdtemp(prefix="ccb-real-containerd."))
    os.makedirs(rundir, exist_ok=True)
    pki = Pki(os.path.join(rundir, "pki"))

    cds = []
    for bindir in args.containerd:
        ver, text = containerd_version(bindir)
        cds.append({"bindir": os.path.abspath(bindir), "version": ver, "text": text,
                    "label": "%d.%d.%d" % ver})
    scenarios = load_scenarios(args.only)
    if not scenarios:
        print("no scenarios found in %s%s" % (SCENARIO_DIR, " matching %s" % args.only if args.only else ""))
        print("0 passed, 0 failed")
        return 1
    prepare_certs(pki, scenarios)
    W = max(len(x["name"]) + 1 + max([len(c["name"]) for c in x["expect"].get("self_checks", [])] + [-1])
            for x in scenarios)

    passed = failed = 0
    lines = []
    for scn in scenarios:
        tgt = scn["project"].get("target", {})
        tmin, tmax = tgt.get("min", "1.7.0"), tgt.get("max", "2.1.x")
        todo = [c for c in cds if in_range(c["version"], tmin, tmax)]
        sdir = os.path.join(rundir, scn["name"])
        if not todo:
            print("SKIP %-*s no containerd in %s–%s" % (W, scn["name"], tmin, tmax), flush=True)
            continue
        if "node" in scn:
            for ok, line in run_node_scenario(repo, args, scn, pki, sdir, rundir, todo, W):
                passed, failed = passed + ok, failed + (not ok)
                lines.append(line)
                COUNTS.update(passed=passed, failed=failed)
            continue
        t0 = time.monotonic()
        ok, msg = render(repo, scn, pki, sdir, args.prebuilt)
        t_render = time.monotonic() - t0
        if not ok:
            for c in todo:
                failed += 1
                line = "FAIL %-*s containerd %-7s %5.1fs  render failed" % (W, scn["name"], c["label"], t_render)
                print(line, flush=True)
                print(indent(msg), flush=True)
                lines.append(line)
                COUNTS.update(passed=passed, failed=failed)
            continue
        for c in todo:
            predictions, err = explain_pulls(repo, args.cli, scn, sdir, c) if not args.prebuilt else (None, None)
            if err:
                res = {"ok": False, "failures": ["explain: " + err], "seconds": 0.0, "logs": sdir}
            else:
                res = run_inner(scn, c, pki, sdir, rundir, args, predictions=predictions)
            dt = res["seconds"]
            if res["ok"]:
                passed += 1
                line = "PASS %-*s containerd %-7s %5.1fs" % (W, scn["name"], c["label"], dt)
                print(line, flush=True)
                if args.verbose:
                    for n in res.get("notes", []):
                        print(indent(n), flush=True)
            else:
                failed += 1
                line = "FAIL %-*s containerd %-7s %5.1fs" % (W, scn["name"], c["label"], dt)
                print(line, flush=True)
                fls = res.get("failures", [])
                for fl in fls[:8]:
                    print(indent("- " + fl), flush=True)
                if len(fls) > 8:
                    print(indent("- … %d more failure(s): see result.json in the logs dir" % (len(fls) - 8)))
                print(indent("logs: %s" % res.get("logs", "?")), flush=True)
            lines.append(line)
            COUNTS.update(passed=passed, failed=failed)

        if args.no_self_checks:
            continue
        for chk in scn["expect"].get("self_checks", []):
            ctodo = [c for c in todo if in_range(c["version"], chk.get("min", tmin), chk.get("max", tmax))]
            label = "%s~%s" % (scn["name"], chk["name"])
            bundle = os.path.join(sdir, "bundle~" + chk["name"])
            err = None if "explain_edits" in chk else mutate(os.path.join(sdir, "bundle"), bundle, chk["edits"])
            for c in ctodo:
                if "explain_edits" in chk:
                    # The bundle as rendered, explain's answers broken on purpose: the comparison must notice.
                    predictions, err = explain_pulls(repo, args.cli, scn, sdir, c)
                    err = err or mutate_answers(predictions, chk["explain_edits"])
                if err:
                    res = {"ok": True, "failures": [], "seconds": 0.0, "logs": bundle}
                elif "explain_edits" in chk:
                    res = run_inner(scn, c, pki, sdir, rundir, args, tag=chk["name"], predictions=predictions)
                else:
                    res = run_inner(scn, c, pki, sdir, rundir, args, bundle=bundle, tag=chk["name"])
                fl = res.get("failures", [])
                hit = [f for f in fl if chk.get("expect", "") in f]
                if not err and not res["ok"] and hit:
                    passed += 1
                    first = hit[0].splitlines()[0]
                    line = "PASS %-*s containerd %-7s %5.1fs  caught: %s" % (
                        W, label, c["label"], res["seconds"], first[:110])
                    print(line, flush=True)
                else:
                    failed += 1
                    why = err or ("the deliberately broken bundle was not caught (%s)" % (
                        "it passed" if res["ok"] else "no failure mentions %r" % chk.get("expect")))
                    line = "FAIL %-*s containerd %-7s %5.1fs  self-check: %s" % (W, label, c["label"],
                                                                                res["seconds"], why)
                    print(line, flush=True)
                    for f in fl[:6]:
                        print(indent("- " + f), flush=True)
                    print(indent("logs: %s" % res.get("logs", "?")), flush=True)
                lines.append(line)
                COUNTS.update(passed=passed, failed=failed)

    total = time.monotonic() - t_all
    if failed == 0 and not args.keep:
        shutil.rmtree(rundir, ignore_errors=True)
    else:
        print("work dir kept: %s" % rundir)
    if args.started:
        print("total %.1fs (scenarios %.1fs)" % (time.time() - args.started, total))
    else:
        print("total %.1fs" % total)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


# --------------------------------------------------------------------------------------------------------------
# A node's own files (outer): the original tree on containerd, then its import rendered and installed over it
# --------------------------------------------------------------------------------------------------------------

REPORT_LINE_RE = re.compile(r"(?:^|: )(error|warning|info)\[([^\]]+)\] ")


def template_tree(src, dst, pki):
    """Copy a scenario's /etc/containerd tree, each @PEM:<file>@ replaced by that PKI file's PEM text."""
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    for root, _, files in os.walk(dst):
        for fn in files:
            path = os.path.join(root, fn)
            with open(path) as f:
                text = f.read()
            new = re.sub(r"@PEM:([A-Za-z0-9_.-]+)@\n?", lambda m: pki.pem(m.group(1)), text)
            if new != text:
                with open(path, "w") as f:
                    f.write(new)


def import_tree(repo, cli, tree, out):
    """`import <tree> --out <out>`: (exit code, report codes, report text)."""
    cmd = cli_command(repo, cli) + ["import", tree, "--out", out]
    p = subprocess.run(cmd, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    codes = sorted({m.group(2) for l in p.stderr.splitlines() for m in [REPORT_LINE_RE.search(l)] if m})
    return p.returncode, codes, "$ %s   # exit %d\n%s%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr)


def original_pull(pull, ver):
    """The pull as the node's own files route it on release `ver`: the pull itself, or its `original` entry
    for that release (where the import report says the imported project routes differently)."""
    for o in pull.get("original", []):
        if in_range(ver, o.get("min", "0.0.0"), o.get("max", "99.0.x")):
            merged = dict(pull)
            merged.update({k: v for k, v in o.items() if k not in ("min", "max", "because")})
            merged["because"] = o["because"]
            return merged
    return pull


def routing_text(r):
    return "manifest asked of %s, answered by %s, blobs from %s" % (
        " → ".join(r["hosts"]) or "nobody", r["answered"] or "nobody", ", ".join(r["blobs"]) or "nobody")


def run_node_scenario(repo, args, scn, pki, sdir, rundir, todo, W):
    """A scenario whose starting point is a node's own files (`scenarios/<name>.node/`, an /etc/containerd tree)
    rather than a project. On each containerd: the tree as it is (bind-mounted, no install.sh) is pulled through
    and judged with each pull's `original` routing for that release (default: the pull's own); then the tree is
    imported (`import`, its report kept), the project's target set to the scenario's, rendered with
    `--merge-into` the node's own config.toml, installed by its install.sh over the node's tree, pulled through,
    judged with the pull's routing and compared with explain. Fails unless every pull is routed alike by both
    (manifest hosts in order, the one that answered, blob hosts), except where the pull names an `original`
    routing whose `because` code the import report has. Yields (ok, line)."""
    os.makedirs(sdir, exist_ok=True)
    tree = os.path.join(sdir, "node")
    template_tree(scn["node"], tree, pki)
    imp_dir = os.path.join(sdir, "imported")
    os.makedirs(imp_dir, exist_ok=True)
    code, codes, log = import_tree(repo, args.cli, tree, os.path.join(imp_dir, "imported.json"))
    with open(os.path.join(sdir, "import.log"), "w") as f:
        f.write(log)
    problems = []
    if code not in (0, 1, 3):
        problems.append("import exited %d:\n%s" % (code, log.strip()[-2000:]))
    want = set(scn["expect"].get("import_codes", []))
    for pull in scn["expect"]["pulls"]:
        want |= {o["because"] for o in pull.get("original", [])}
    if not problems and want - set(codes):
        problems.append("the import report lacks %s (it has %s):\n%s" % (sorted(want - set(codes)), codes,
                                                                          log.strip()[-3000:]))
    imported = None
    if not problems:
        with open(os.path.join(imp_dir, "imported.json")) as f:
            project = json.load(f)
        project["target"] = scn["expect"]["target"]   # what the user picks after the import
        text = json.dumps(project, indent=2) + "\n"
        imported = {"name": scn["name"], "project_text": text, "project": project, "expect": scn["expect"],
                    "base": os.path.join(tree, "config.toml"), "node_tree": tree}
        ok, msg = render(repo, imported, pki, imp_dir, args.prebuilt)
        if not ok:
            problems.append("render of the imported project failed: " + msg)
    original = {"name": scn["name"], "project": scn["project"], "expect": scn["expect"], "original": True}
    for c in todo:
        if problems:
            line = "FAIL %-*s containerd %-7s %5.1fs  %s" % (W, scn["name"], c["label"], 0.0, problems[0].splitlines()[0])
            print(line, flush=True)
            print(indent("\n".join(problems)), flush=True)
            yield False, line
            continue
        orig = dict(original, expect=dict(scn["expect"], pulls=[original_pull(p, c["version"])
                                                                 for p in scn["expect"]["pulls"]]))
        r0 = run_inner(orig, c, pki, sdir, rundir, args, bundle=tree, tag="original")
        failures = ["original files: " + f for f in r0.get("failures", [])]
        predictions, err = explain_pulls(repo, args.cli, imported, imp_dir, c) if not args.prebuilt else (None, None)
        if err:
            r1 = {"ok": False, "failures": ["explain: " + err], "seconds": 0.0, "logs": imp_dir}
        else:
            r1 = run_inner(imported, c, pki, imp_dir, rundir, args, predictions=predictions)
        failures += ["imported project: " + f for f in r1.get("failures", [])]
        if r0["ok"] and r1["ok"]:
            before = {(x["pull"], x["phase"]): x for x in r0.get("routing", [])}
            after = {(x["pull"], x["phase"]): x for x in r1.get("routing", [])}
            for key in sorted(set(before) & set(after)):
                b, a = before[key], after[key]
                same = all(b[k] == a[k] for k in ("hosts", "answered", "blobs"))
                because = original_pull(scn["expect"]["pulls"][key[0]], c["version"]).get("because")
                if not same and not because:
                    failures.append("%s %s is routed differently after the import, and the report does not say so:\n"
                                    "  original files: %s\n  imported:       %s" % (key[1], a["ref"], routing_text(b),
                                                                                 routing_text(a)))
                elif same and because:
                    failures.append("%s %s: the report says (%s) the import routes it differently, but both runs "
                                    "routed it alike: %s" % (key[1], a["ref"], because, routing_text(a)))
            if not after or set(before) - set(after):
                failures.append("pulls of the original files not run for the import: %s" % sorted(set(before) - set(after)))
        dt = r0["seconds"] + r1["seconds"]
        ok = not failures
        told = sorted({p["because"] for p in (original_pull(p, c["version"]) for p in scn["expect"]["pulls"]) if "because" in p})
        line = "%s %-*s containerd %-7s %5.1fs  original files, then imported: %d pull(s)%s" % (
            "PASS" if ok else "FAIL", W, scn["name"], c["label"], dt, len(r1.get("routing", [])),
            ", routed alike" + (" except as the report says (%s)" % ", ".join(told) if told else "") if ok else "")
        print(line, flush=True)
        if args.verbose:
            for r in (r0, r1):
                for n in r.get("notes", []):
                    print(indent(n), flush=True)
        for fl in failures[:8]:
            print(indent("- " + fl), flush=True)
        if not ok:
            print(indent("logs: %s, %s" % (r0.get("logs"), r1.get("logs"))), flush=True)
        yield ok, line


def indent(text, n=6):
    return "\n".join(" " * n + l for l in str(text).splitlines())


def mutate(src, dst, edits):
    """Copy the rendered bundle and break it on purpose (self-check). Returns an error text or None."""
    import glob
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    for e in edits:
        if "create" in e:   # a file the bundle does not have (a directory of another name, say)
            path = os.path.join(dst, e["file"])
            if os.path.exists(path):
                return "self-check edit: %s exists in the rendered bundle already" % e["file"]
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(e["create"])
            continue
        files = sorted(glob.glob(os.path.join(dst, e["file"])))
        if not files:
            return "self-check edit: no file %s in the rendered bundle" % e["file"]
        changed = False
        for fn in files:
            with open(fn) as f:
                text = f.read()
            new = text
            if "delete" in e:
                new = "".join(l for l in text.splitlines(True) if not re.search(e["delete"], l))
            if "replace" in e:
                new = re.sub(e["replace"][0], e["replace"][1], new, count=e.get("count", 0), flags=re.M)
            if "append" in e:
                new = new + e["append"]
            if new != text:
                changed = True
                with open(fn, "w") as f:
                    f.write(new)
        if not changed:
            return "self-check edit %s matched nothing in %s" % (json.dumps(e), e["file"])
    return None


def mutate_answers(predictions, edits):
    """Break explain's answers on purpose (self-check of the comparison): each edit {"path": [key or index…],
    "replace": [regex, replacement]} applies to that value of every answer. Returns an error text or None."""
    for e in edits:
        changed = False
        for answers in predictions:
            for answer in answers.values():
                node = answer
                try:
                    for k in e["path"][:-1]:
                        node = node[k]
                    old = node[e["path"][-1]]
                except (KeyError, IndexError, TypeError):
                    continue
                new = re.sub(e["replace"][0], e["replace"][1], old)
                if new != old:
                    node[e["path"][-1]] = new
                    changed = True
        if not changed:
            return "self-check explain edit %s matched nothing" % json.dumps(e)
    return None


def run_inner(scn, cd, pki, sdir, rundir, args, bundle=None, tag="", predictions=None):
    key = "%s--%s%s" % (scn["name"], cd["label"], "~" + tag if tag else "")
    nswork = os.path.join(rundir, "ns", key)       # tmpfs mounted over it inside the namespace
    logs = os.path.join(sdir, "logs-" + cd["label"] + ("~" + tag if tag else ""))  # survives the namespace
    os.makedirs(nswork, exist_ok=True)
    shutil.rmtree(logs, ignore_errors=True)
    os.makedirs(logs)
    spec = {
        "name": scn["name"],
        "expect": scn["expect"],
        "project": scn["project"],
        "bundle": bundle or os.path.join(sdir, "bundle"),
        "install": bundle is None and not args.prebuilt and not args.no_install_sh,
        "base_config": scn.get("base") or base_config_for(scn["project"]),
        # the node's whole /etc/containerd before install.sh (import scenarios: the files it was imported from)
        "node_tree": scn.get("node_tree"),
        # the node's own files run as they are: their daemon-log warnings are the node's, noted, not failed
        "original": bool(scn.get("original")),
        "bindir": cd["bindir"],
        "version": list(cd["version"]),
        "work": nswork,
        "logs": logs,
        "pki": pki.root,
        "result": os.path.join(logs, "result.json"),
        # explain's answers per pull (None for self-checks: their bundles are broken on purpose, unlike the
        # project explain reads)
        "explain": predictions,
    }
    spec_path = os.path.join(logs, "spec.json")
    with open(spec_path, "w") as f:
        json.dump(spec, f, indent=1)
    cmd = ["unshare", "--mount", "--net", "--pid", "--fork", "--kill-child", "--mount-proc",
           "--propagation", "private", sys.executable, os.path.abspath(__file__), "inner", spec_path]
    t0 = time.monotonic()
    with open(os.path.join(logs, "inner.log"), "w") as out:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            p.wait(timeout=INNER_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)   # unshare --kill-child takes the whole namespace with it
            p.wait()
        except BaseException:                  # Ctrl-C: the namespace is in its own session, end it too
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            raise
    dt = time.monotonic() - t0
    try:
        os.rmdir(nswork)
    except OSError:
        pass
    try:
        with open(spec["result"]) as f:
            res = json.load(f)
    except (OSError, ValueError):
        tail = ""
        try:
            with open(os.path.join(logs, "inner.log")) as f:
                tail = "".join(f.readlines()[-30:])
        except OSError:
            pass
        res = {"ok": False, "failures": ["inner run died (exit %s) without a result:\n%s" % (p.returncode, tail)]}
    if p.returncode != 0 and res.get("ok"):
        res["ok"] = False
        res.setdefault("failures", []).append("inner run exited %d" % p.returncode)
    res["seconds"] = dt
    res["logs"] = logs
    return res


# --------------------------------------------------------------------------------------------------------------
# Inner: registries
# --------------------------------------------------------------------------------------------------------------

LOGFMT_RE = re.compile(r'([\w.]+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))')
ACCESS_RE = re.compile(r'"(GET|HEAD|POST|PUT|PATCH|DELETE) (\S+) HTTP/[\d.]+" (\d{3})')


class Registry:
    def __init__(self, rid, spec, ip, work, pki):
        self.id = rid
        self.spec = spec
        self.scheme = spec.get("scheme", "https")
        self.name, self.port = host_port(spec["host"], self.scheme)
        self.host = spec["host"]
        self.ip = ip
        self.dir = os.path.join(work, "reg-" + rid)
        os.makedirs(os.path.join(self.dir, "data"))
        self.access_log = os.path.join(self.dir, "access.log")
        self.error_log = os.path.join(self.dir, "registry.log")
        self.proc = None
        self.auth = spec.get("htpasswd")
        self.mtls = bool(spec.get("mtls"))
        self.pki = pki
        self.ca_file = None
        cfg = [
            "version: 0.1",
            "log:",
            "  level: info",
            "  formatter: text",
            "  accesslog:",
            "    disabled: false",
            "storage:",
            "  filesystem:",
            "    rootdirectory: %s" % os.path.join(self.dir, "data"),
            "  maintenance:",
            "    uploadpurging:",
            "      enabled: false",
            "http:",
            "  addr: %s:%d" % (ip, self.port),
            "  secret: ccb-e2e-%s" % rid,
            "  relativeurls: true",
        ]
        if self.scheme == "https":
            ca = spec.get("ca", "private")
            crt, key = pki.server_cert(ca, self.name)
            self.ca_file = os.path.join(pki.root, ca + "-ca.crt")
            cfg += ["  tls:", "    certificate: %s" % crt, "    key: %s" % key]
            if self.mtls:
                cfg += ["    clientcas:", "      - %s" % os.path.join(pki.root, "client-ca.crt")]
        if self.auth:
            htp = os.path.join(self.dir, "htpasswd")
            line = sh(["htpasswd", "-Bbn", self.auth["user"], self.auth["password"]]).stdout.strip()
            with open(htp, "w") as f:
                f.write(line + "\n")
            cfg += ["auth:", "  htpasswd:", "    realm: ccb-e2e", "    path: %s" % htp]
        self.config = os.path.join(self.dir, "config.yml")
        with open(self.config, "w") as f:
            f.write("\n".join(cfg) + "\n")

    def start(self):
        self.out = open(self.access_log, "ab")
        self.err = open(self.error_log, "ab")
        self.proc = subprocess.Popen(["docker-registry", "serve", self.config], stdout=self.out, stderr=self.err,
                                     stdin=subprocess.DEVNULL)

    def wait_ready(self, deadline):
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("registry %s exited %s: %s" % (self.id, self.proc.returncode, tail(self.error_log)))
            try:
                with socket.create_connection((self.ip, self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("registry %s did not listen on %s:%d" % (self.id, self.ip, self.port))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    # --- HTTP client (push) ---
    def conn(self):
        if self.scheme == "https":
            ctx = ssl.create_default_context(cafile=self.ca_file)
            if self.mtls:
                ctx.load_cert_chain(os.path.join(self.pki.root, "client--ccb-e2e-client.crt"),
                                    os.path.join(self.pki.root, "client--ccb-e2e-client.key"))
            return http.client.HTTPSConnection(self.name, self.port, context=ctx, timeout=10)
        return http.client.HTTPConnection(self.name, self.port, timeout=10)

    def request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.auth:
            tok = base64.b64encode(("%s:%s" % (self.auth["user"], self.auth["password"])).encode()).decode()
            h["Authorization"] = "Basic " + tok
        c = self.conn()
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
            return r.status, dict(r.getheaders()), data
        finally:
            c.close()

    def push(self, repo, tag, image):
        for digest, data in image["blobs"]:
            st, _, _ = self.request("HEAD", "/v2/%s/blobs/%s" % (repo, digest))
            if st == 200:
                continue
            st, hd, body = self.request("POST", "/v2/%s/blobs/uploads/" % repo)
            if st != 202:
                raise RuntimeError("push %s to %s: POST uploads -> %d %s" % (repo, self.id, st, body[:200]))
            loc = {k.lower(): v for k, v in hd.items()}["location"]
            u = urllib.parse.urlsplit(loc)
            path = u.path + "?" + (u.query + "&" if u.query else "") + "digest=" + urllib.parse.quote(digest)
            st, _, body = self.request("PUT", path, body=data,
                                       headers={"Content-Type": "application/octet-stream"})
            if st != 201:
                raise RuntimeError("push %s to %s: PUT blob -> %d %s" % (repo, self.id, st, body[:200]))
        st, _, body = self.request("PUT", "/v2/%s/manifests/%s" % (repo, tag), body=image["manifest"],
                                   headers={"Content-Type": MT_MANIFEST})
        if st != 201:
            raise RuntimeError("push %s:%s to %s: PUT manifest -> %d %s" % (repo, tag, self.id, st, body[:300]))

    # --- logs ---
    def mark(self):
        return (os.path.getsize(self.access_log), os.path.getsize(self.error_log))

    def since(self, mark):
        with open(self.access_log, "rb") as f:
            f.seek(mark[0])
            acc = f.read().decode(errors="replace").splitlines()
        with open(self.error_log, "rb") as f:
            f.seek(mark[1])
            err = f.read().decode(errors="replace").splitlines()
        reqs = []
        for l in acc:
            m = ACCESS_RE.search(l)
            if m:
                reqs.append((m.group(1), m.group(2), int(m.group(3)), l))
        handshake = [l for l in err if "TLS handshake error" in l]
        return reqs, handshake

    def completed(self, mark):
        """The requests answered since `mark`, in order, from the registry's own log (nanosecond times, unlike
        the access log's seconds; a 401 challenge is not logged there): [(time, method, raw uri, status)]."""
        with open(self.error_log, "rb") as f:
            f.seek(mark[1])
            lines = f.read().decode(errors="replace").splitlines()
        out = []
        for l in lines:
            if 'msg="response completed' not in l:
                continue
            kv = dict((k, a if a else b) for k, a, b in LOGFMT_RE.findall(l))
            try:
                out.append((kv["time"], kv["http.request.method"], kv["http.request.uri"],
                            int(kv["http.response.status"])))
            except (KeyError, ValueError):
                continue
        return out


def listing(lines, n=4):
    out = ["  " + l for l in lines[:n]]
    if len(lines) > n:
        out.append("  … %d more" % (len(lines) - n))
    return "\n".join(out)


def tail(path, n=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


# --------------------------------------------------------------------------------------------------------------
# Inner: explain's prediction against what containerd did
# --------------------------------------------------------------------------------------------------------------

def canon_host(host, scheme):
    """'mirror.test' over https -> 'mirror.test:443': one spelling for the test's registries and explain's hosts."""
    name, port = host_port(host, scheme)
    return "%s:%d" % (name, port)


def log_time(t):
    """logrus' RFC 3339 time with 0–9 fraction digits -> a key that sorts like the time."""
    whole, _, frac = t.rstrip("Z").partition(".")
    return whole, frac.ljust(9, "0")


def predict(answer, pull, registries, phase, ctr_user):
    """What explain's answer means for one pull in this test's world, where explain's hosts are the test's
    registries: a host with no registry behind it cannot be connected to; a registry is reached only over its own
    scheme (an HTTPS-first host falls back to HTTP), trusted when its CA is the system's (public) or explain says
    a CA or skip_verify is used, with a client certificate where it wants one, with credentials where it wants
    them (CRI: explain's credentials; ctr: --user). The first reached host that holds the image at the path
    explain says answers; blobs come from the first reached fetch host that holds them.
    Returns {"hosts": [rid…], "first": {rid: (path, query)}, "answered": rid|None, "blobs": {rid…},
    "blob_query": {rid: query}, "skipped": [(host, why)]}."""
    by_key = {canon_host(r["host"], r.get("scheme", "https")): rid for rid, r in registries.items()}

    def reach(step):
        rid = by_key.get(canon_host(step["host"], "http" if step.get("http_fallback") else step["scheme"]))
        if rid is None:
            return None, "no registry of this test answers there"
        r = registries[rid]
        tls = step.get("tls") or {}
        if r.get("scheme", "https") == "http":
            if step["scheme"] != "http" and not step.get("http_fallback"):
                return None, "https to a plain-http registry"
        else:
            if step["scheme"] != "https":
                return None, "http to an https registry"
            if r.get("ca", "private") != "public" and not tls.get("ca") and not tls.get("skip_verify"):
                return None, "its CA is not trusted (explain uses no CA file for it)"
            if r.get("mtls") and not tls.get("client"):
                return None, "it wants a client certificate, explain sends none"
        if r.get("htpasswd") and not (ctr_user if phase == "ctr" else step.get("credentials")):
            return None, "it wants a password, none is sent (401)"
        return rid, None

    ref = answer["reference"]
    obj = ref["digest"] or ref["tag"]
    out = {"hosts": [], "first": {}, "answered": None, "blobs": set(), "blob_query": {}, "skipped": []}
    for step in answer["resolve"]:
        rid, why = reach(step)
        if rid is None:
            out["skipped"].append((step["host"], why))
            continue
        u = urllib.parse.urlsplit(step["request"])
        if rid not in out["first"]:
            out["hosts"].append(rid)
            out["first"][rid] = (u.path, u.query)
        if rid in pull["push"] and u.path == "/v2/%s/manifests/%s" % (pull["push"][rid], obj):
            out["answered"] = rid
            break
    if out["answered"] is None:
        return out
    for step in answer["fetch"]:
        rid, _ = reach(step)
        if rid is None:
            continue
        u = urllib.parse.urlsplit(step["request"])
        out["blob_query"].setdefault(rid, u.query)
        if rid in pull["push"] and u.path.rsplit("/blobs/", 1)[0] == "/v2/%s" % pull["push"][rid]:
            out["blobs"] = {rid}
            break
    return out


def observe(events, obj):
    """The same facts from the registries' logs of one pull: events [(time key, rid, method, raw uri, status)]."""
    manifest = re.compile(r"^/v2/.+/manifests/%s$" % re.escape(obj))
    out = {"hosts": [], "first": {}, "answered": None, "blobs": set(), "blob_query": {}, "answers": []}
    for _, rid, method, uri, status in sorted(events):
        path, _, query = uri.partition("?")
        if method in ("GET", "HEAD") and manifest.match(path):
            if rid not in out["first"]:
                out["hosts"].append(rid)
                out["first"][rid] = (path, query)
            if 200 <= status < 300 and rid not in out["answers"]:
                out["answers"].append(rid)
        elif method == "GET" and "/blobs/" in path:
            out["blob_query"].setdefault(rid, query)
            if 200 <= status < 300:
                out["blobs"].add(rid)
    out["answered"] = out["answers"][0] if out["answers"] else None
    return out


# --------------------------------------------------------------------------------------------------------------
# Inner: image
# --------------------------------------------------------------------------------------------------------------

def make_image(label):
    content = ("ccb real-containerd e2e image: %s\n" % label).encode()
    tbuf = io.BytesIO()
    with tarfile.open(fileobj=tbuf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        ti = tarfile.TarInfo("ccb-e2e.txt")
        ti.size = len(content)
        ti.mtime = 0
        ti.mode = 0o644
        tf.addfile(ti, io.BytesIO(content))
    tar = tbuf.getvalue()
    gz = gzip.compress(tar, mtime=0)
    diff_id = "sha256:" + hashlib.sha256(tar).hexdigest()
    layer_d = "sha256:" + hashlib.sha256(gz).hexdigest()
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Cmd": ["/bin/true"]},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created_by": "ccb e2e"}],
    }, sort_keys=True).encode()
    config_d = "sha256:" + hashlib.sha256(config).hexdigest()
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": MT_MANIFEST,
        "config": {"mediaType": MT_CONFIG, "digest": config_d, "size": len(config)},
        "layers": [{"mediaType": MT_LAYER, "digest": layer_d, "size": len(gz)}],
    }, sort_keys=True).encode()
    return {"blobs": [(layer_d, gz), (config_d, config)], "layer": layer_d, "config": config_d,
            "manifest": manifest, "manifest_digest": "sha256:" + hashlib.sha256(manifest).hexdigest()}


# --------------------------------------------------------------------------------------------------------------
# Inner: CRI client (hand-encoded protobuf over grpcio's generic API)
# --------------------------------------------------------------------------------------------------------------

def pb_varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def pb_len(field, data):
    return pb_varint((field << 3) | 2) + pb_varint(len(data)) + data


def pb_fields(data):
    i = 0
    while i < len(data):
        key = 0
        shift = 0
        while True:
            b = data[i]; i += 1
            key |= (b & 0x7F) << shift; shift += 7
            if not b & 0x80:
                break
        field, wt = key >> 3, key & 7
        if wt == 2:
            ln = 0; shift = 0
            while True:
                b = data[i]; i += 1
                ln |= (b & 0x7F) << shift; shift += 7
                if not b & 0x80:
                    break
            yield field, data[i:i + ln]
            i += ln
        elif wt == 0:
            while data[i] & 0x80:
                i += 1
            i += 1
        else:
            raise ValueError("unexpected wire type %d" % wt)


def cri_pull(sock, image, timeout=90):
    import grpc
    ch = grpc.insecure_channel("unix://" + sock, options=[("grpc.enable_http_proxy", 0)])
    try:
        call = ch.unary_unary("/runtime.v1.ImageService/PullImage", request_serializer=None,
                              response_deserializer=None)
        req = pb_len(1, pb_len(1, image.encode()))   # PullImageRequest{image: ImageSpec{image}}
        resp = call(req, timeout=timeout)
        for f, v in pb_fields(resp):
            if f == 1:
                return v.decode()
        return ""
    finally:
        ch.close()


# --------------------------------------------------------------------------------------------------------------
# Inner: the run
# --------------------------------------------------------------------------------------------------------------

class Inner:
    def __init__(self, spec):
        self.s = spec
        self.failures = []
        self.notes = []
        self.regs = {}
        self.routing = []
        self.containerd = None
        self.work = spec["work"]
        self.mounted = []

    def fail(self, msg):
        self.failures.append(msg)

    def note(self, msg):
        self.notes.append(msg)

    # --- namespace setup ---
    def mount(self, *args):
        sh(["mount"] + list(args))
        self.mounted.append(args[-1])

    def setup_ns(self):
        sh(["ip", "link", "set", "lo", "up"])
        self.mount("-t", "tmpfs", "-o", "mode=0755,size=512m", "ccb-e2e-work", self.work)
        for d in ("/var/lib/containerd", "/run/containerd"):
            if os.path.isdir(d):
                self.mount("-t", "tmpfs", "-o", "mode=0711", "ccb-e2e", d)
            else:
                parent = os.path.dirname(d)
                self.mount("-t", "tmpfs", "-o", "mode=0755", "ccb-e2e", parent)
                os.makedirs(d, mode=0o711)
        if not os.path.isdir("/etc/containerd"):
            raise RuntimeError("/etc/containerd is missing on this machine (mount point for the bundle)")
        etc = os.path.join(self.work, "etc-containerd")
        bundle = self.s["bundle"]
        if self.s.get("install") and os.path.isfile(os.path.join(bundle, "install.sh")):
            # The node before: only its own config.toml (the file the bundle was merged from). Then the
            # bundle's install.sh puts the files in place, as an admin would run it.
            if self.s.get("node_tree"):
                shutil.copytree(self.s["node_tree"], etc, symlinks=True)
            else:
                os.makedirs(etc)
                shutil.copyfile(self.s["base_config"], os.path.join(etc, "config.toml"))
            self.mount("--bind", etc, "/etc/containerd")
            self.run_install_sh(bundle)
        else:
            # The bundle as it is (self-checks break files of the bundle on purpose), over the node's own files
            # where the scenario has them (--no-install-sh on an import scenario).
            if self.s.get("node_tree"):
                shutil.copytree(self.s["node_tree"], etc, symlinks=True)
            shutil.copytree(bundle, etc, symlinks=True, dirs_exist_ok=True)
            self.mount("--bind", etc, "/etc/containerd")
        # Files an admin puts on the node by hand (client certificates referenced by path).
        for rel, src in self.s["expect"].get("node_files", {}).items():
            dst = os.path.join("/etc/containerd", rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(os.path.join(self.s["pki"], src), dst)
            os.chmod(dst, 0o600 if src.endswith(".key") else 0o644)
        sh(["mount", "-o", "remount,bind,ro", "/etc/containerd"])
        # /etc/hosts: every registry name -> its own 127.77.0.N
        names = []
        for rid, r in self.s["expect"]["registries"].items():
            n, _ = host_port(r["host"], r.get("scheme", "https"))
            if n not in names:
                names.append(n)
        # (a registry named localhost listens on 127.0.0.1 itself: containerd treats that name apart)
        others = [n for n in names if n != "localhost"]
        self.ips = {n: "127.77.0.%d" % (i + 1) for i, n in enumerate(others)}
        self.ips["localhost"] = "127.0.0.1"
        hosts = os.path.join(self.work, "hosts")
        with open(hosts, "w") as f:
            f.write("127.0.0.1 localhost\n")
            for n in others:
                f.write("%s %s\n" % (self.ips[n], n))
        self.mount("--bind", hosts, "/etc/hosts")
        # containerd's "system" trust store: the public CA only (stands for the web PKI)
        self.sslcertdir = os.path.join(self.work, "empty-ssl-dir")
        os.makedirs(self.sslcertdir)

    def run_install_sh(self, bundle):
        env = {"PATH": self.s["bindir"] + ":/usr/sbin:/usr/bin:/sbin:/bin", "HOME": self.work, "TMPDIR": self.work}
        log = []
        for attempt in (1, 2):
            p = subprocess.run(["sh", os.path.join(bundle, "install.sh")], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env, timeout=60)
            log.append("$ sh install.sh   # run %d, exit %d\n%s" % (attempt, p.returncode, p.stdout))
            if p.returncode != 0:
                self.fail("install.sh run %d exited %d:\n%s" % (attempt, p.returncode, p.stdout.strip()[-2000:]))
                break
            if attempt == 2 and "Everything was already installed" not in p.stdout:
                self.fail("install.sh is not idempotent: the second run said:\n%s" % p.stdout.strip()[-1500:])
        with open(os.path.join(self.s["logs"], "install.log"), "w") as f:
            f.write("\n".join(log))
        # what install.sh wrote must be exactly the bundle's files
        for root, _, files in os.walk(bundle):
            for fn in files:
                rel = os.path.relpath(os.path.join(root, fn), bundle)
                if rel in ("install.sh", "README.txt", "project.json"):  # project.json is never installed
                    continue
                dst = os.path.join("/etc/containerd", rel)
                if not os.path.isfile(dst):
                    self.fail("install.sh did not install %s" % rel)
                    continue
                with open(os.path.join(bundle, rel), "rb") as a, open(dst, "rb") as b:
                    if a.read() != b.read():
                        self.fail("install.sh installed %s with content different from the bundle's" % rel)
                if oct(os.stat(dst).st_mode & 0o777) != oct(os.stat(os.path.join(bundle, rel)).st_mode & 0o777):
                    self.note("mode of installed %s: %o (bundle: %o)" % (rel, os.stat(dst).st_mode & 0o777,
                                                                         os.stat(os.path.join(bundle, rel)).st_mode & 0o777))

    def cleanup(self):
        if self.containerd and self.containerd.poll() is None:
            self.containerd.terminate()
            try:
                self.containerd.wait(5)
            except subprocess.TimeoutExpired:
                self.containerd.kill()
                self.containerd.wait()
        for r in self.regs.values():
            try:
                r.stop()
            except Exception:
                pass
        # Any straggler (shims, …) in this PID namespace: we are PID 1 here.
        for pid in os.listdir("/proc"):
            if pid.isdigit() and int(pid) != os.getpid():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except OSError:
                    pass
        self.save_logs()
        for m in reversed(self.mounted):
            subprocess.run(["umount", "-l", m], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def save_logs(self):
        dst = self.s["logs"]
        try:
            if os.path.exists(os.path.join(self.work, "containerd.log")):
                shutil.copy(os.path.join(self.work, "containerd.log"), dst)
            for rid, r in self.regs.items():
                for fn in ("access.log", "registry.log", "config.yml"):
                    p = os.path.join(r.dir, fn)
                    if os.path.exists(p):
                        shutil.copy(p, os.path.join(dst, "%s.%s" % (rid, fn)))
            shutil.copy(os.path.join(self.work, "hosts"), os.path.join(dst, "etc-hosts"))
            if os.path.isdir("/etc/containerd"):
                sh(["cp", "-a", "/etc/containerd", os.path.join(dst, "etc-containerd")], check=False)
        except OSError as e:
            self.note("saving logs: %s" % e)

    # --- registries ---
    def start_registries(self):
        for rid, r in self.s["expect"]["registries"].items():
            n, _ = host_port(r["host"], r.get("scheme", "https"))
            self.regs[rid] = Registry(rid, r, self.ips[n], self.work, PkiView(self.s["pki"]))
        for r in self.regs.values():
            r.start()
        deadline = time.monotonic() + 10
        for r in self.regs.values():
            r.wait_ready(deadline)

    def push_images(self):
        self.images = []
        for i, p in enumerate(self.s["expect"]["pulls"]):
            img = image_for(self.s["name"], i, p)
            refs = pull_refs(p, img)
            _, tag = split_ref(refs.get("ctr") or refs["cri"])   # a digest reference: pushed by digest
            for rid, repo in p["push"].items():
                self.regs[rid].push(repo, tag, img)
            self.images.append(img)

    # --- containerd ---
    def ctr(self, *args, check=False, timeout=60):
        cmd = [os.path.join(self.s["bindir"], "ctr"), "--address", self.sock] + list(args)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env,
                           timeout=timeout)
        p.output = (p.stdout + p.stderr).strip()
        return p

    def start_containerd(self):
        # /run/containerd is a tmpfs of this namespace; a short path, since unix sockets allow ~104 bytes
        self.sock = "/run/containerd/containerd.sock"
        self.env = {
            "PATH": self.s["bindir"] + ":/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": self.work,
            "TMPDIR": self.work,
            "SSL_CERT_FILE": os.path.join(self.s["pki"], "public-ca.crt"),
            "SSL_CERT_DIR": self.sslcertdir,
        }
        self.clog_path = os.path.join(self.work, "containerd.log")
        self.clog = open(self.clog_path, "ab")
        cmd = [os.path.join(self.s["bindir"], "containerd"), "--config", "/etc/containerd/config.toml",
               "--root", "/var/lib/containerd", "--state", "/run/containerd", "--address", self.sock,
               "--log-level", "debug"]
        self.containerd = subprocess.Popen(cmd, stdout=self.clog, stderr=subprocess.STDOUT, env=self.env,
                                           stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.containerd.poll() is not None:
                raise RuntimeError("containerd exited %s:\n%s" % (self.containerd.returncode, tail(self.clog_path, 30)))
            if os.path.exists(self.sock):
                p = self.ctr("version")
                if p.returncode == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("containerd did not come up:\n" + tail(self.clog_path, 30))

    def check_plugins(self):
        p = self.ctr("plugins", "ls")
        rows = [l.split() for l in p.stdout.splitlines()]
        want = [("io.containerd.grpc.v1", "cri")]
        if self.s["version"][0] >= 2:
            want.append(("io.containerd.cri.v1", "images"))
        for typ, pid in want:
            row = [r for r in rows if len(r) >= 3 and r[0] == typ and r[1] == pid]
            if not row:
                self.fail("ctr plugins ls: no %s %s plugin:\n%s" % (typ, pid, p.stdout))
            elif row[0][-1] != "ok":
                self.fail("ctr plugins ls: %s %s is %r (not ok)" % (typ, pid, row[0][-1]))

    def check_config_dump(self):
        p = subprocess.run([os.path.join(self.s["bindir"], "containerd"), "--config", "/etc/containerd/config.toml",
                            "config", "dump"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           env=self.env, timeout=30)
        with open(os.path.join(self.s["logs"], "config-dump.toml"), "w") as f:
            f.write(p.stdout)
        if p.returncode != 0:
            self.fail("containerd config dump exited %d: %s" % (p.returncode, p.stdout[-2000:]))
            return
        # the base config's kubelet-relevant setting must survive the merge
        if not re.search(r"SystemdCgroup\s*=\s*true", p.stdout):
            self.fail("config dump: SystemdCgroup = true from the base config.toml is gone after the merge")
        if self.s["project"].get("output", "hosts_dir") == "hosts_dir":
            if not re.search(r"""config_path\s*=\s*["']/etc/containerd/certs.d["']""", p.stdout):
                self.fail('config dump: no config_path = "/etc/containerd/certs.d"')

    def forget_cri_images(self):
        """Remove what the CRI pulls brought (images, then content via a synchronous GC), so that the ctr pulls
        have to fetch every blob again (content is shared between namespaces by default)."""
        names = self.ctr("--namespace", "k8s.io", "images", "ls", "-q").stdout.split()
        if names:
            p = self.ctr(*(["--namespace", "k8s.io", "images", "rm", "--sync"] + names))
            if p.returncode != 0:
                self.note("ctr images rm: %s" % p.output)
        left = self.ctr("--namespace", "k8s.io", "content", "ls", "-q").stdout.split()
        if left:
            self.note("content left after removing the CRI images: %s" % " ".join(left))

    # --- judging one pull ---
    def judge(self, what, pull, img, marks, phase):
        """Routing of one pull, from the registries' access logs (and TLS handshake errors) since `marks`."""
        misses = pull.get("misses", {})   # registries asked first that have no such image: 404, then the next
        # registries containerd tries and does not trust (their CA is not given to it): TLS handshakes that fail,
        # never an HTTP request
        untrusted = set(pull.get("untrusted", []))
        allowed = {pull.get("resolve"), pull.get("blobs")} | set(misses) | untrusted
        refs = pull_refs(pull, img)
        _, tag = split_ref(refs.get("ctr") or refs["cri"])
        evidence = []
        seen = {}
        for rid, r in self.regs.items():
            reqs, hs = r.since(marks[rid])
            seen[rid] = reqs
            evidence += ["%s: %s %s -> %d" % (rid, m, p, st) for (m, p, st, _) in reqs]
            evidence += ["%s: %s" % (rid, h) for h in hs]
            if rid not in allowed:
                if reqs or hs:
                    self.fail("%s %s: %s (%s) must not be contacted, but it got %d request(s), %d failed TLS "
                              "handshake(s):\n%s" % (phase, what, rid, r.host, len(reqs), len(hs),
                                                     listing(["%s %s -> %d" % (m, p, st) for (m, p, st, _) in reqs]
                                                             + hs)))
                continue
            if rid in untrusted:
                if reqs or not hs:
                    self.fail("%s %s: %s (%s) must be tried and not trusted (failed TLS handshakes only), but it got "
                              "%d request(s), %d failed TLS handshake(s)" % (phase, what, rid, r.host, len(reqs), len(hs)))
                continue
            # On a registry the pull may use, a failed handshake means a trust problem (the client's alert shows as
            # "remote error: tls: bad certificate" / "unknown certificate authority"). A bare EOF is a client that
            # hung up mid-handshake (ctr 1.6 exiting while a spare connection was still being set up, seen once
            # under load): not a trust failure, so not counted here. On a registry that must not be contacted,
            # above, any handshake at all is a contact and still fails.
            trust = [h for h in hs if not h.rstrip().endswith(": EOF")]
            if trust:
                self.fail("%s %s: %d failed TLS handshake(s) on %s (%s):\n%s" % (phase, what, len(trust), rid, r.host,
                                                                               listing(trust)))
            repo = pull["push"][rid] if rid in pull["push"] else misses[rid]
            ok_status = (401, 404) if rid in misses and rid not in pull["push"] else (401,)
            bad = ["%s %s -> %d" % (m, p, st) for (m, p, st, _) in reqs
                   if (p.split("?", 1)[0] != "/v2/" and not p.split("?", 1)[0].startswith("/v2/%s/" % repo))
                   or (st >= 400 and st not in ok_status)]
            if bad:
                self.fail("%s %s: %s (%s) got request(s) outside /v2/%s/ or that failed:\n%s" % (
                    phase, what, rid, r.host, repo, listing(bad)))
        if pull.get("fails"):
            self.note("%s %s:\n  %s" % (phase, what, "\n  ".join(evidence) or "(no requests)"))
            return
        # resolve: the tag's manifest from the first endpoint with `resolve`
        rid = pull["resolve"]
        tagpath = "/v2/%s/manifests/%s" % (pull["push"][rid], tag)
        if not any(m in ("GET", "HEAD") and p.split("?")[0] == tagpath and 200 <= st < 300
                   for (m, p, st, _) in seen[rid]):
            self.fail("%s %s: the tag was not resolved by %s (%s): no 2xx HEAD/GET %s" % (
                phase, what, rid, self.regs[rid].host, tagpath))
        # blobs: from the first endpoint with `pull`
        rid = pull["blobs"]
        got = {p.split("?")[0] for (m, p, st, _) in seen[rid] if m == "GET" and 200 <= st < 300}
        missing = [d for d in (img["layer"], img["config"])
                   if "/v2/%s/blobs/%s" % (pull["push"][rid], d) not in got]
        if missing:
            self.fail("%s %s: blob(s) %s not fetched from %s (%s)" % (phase, what, ", ".join(missing), rid,
                                                                      self.regs[rid].host))
        self.note("%s %s:\n  %s" % (phase, what, "\n  ".join(evidence) or "(no requests)"))

    def record_routing(self, i, phase, ref, marks):
        """What the registries' logs show for pull i (the facts compare_explain judges), kept in result.json so
        that the outer driver can compare the runs of a node's own files and of their import."""
        events = []
        for rid, r in self.regs.items():
            events += [(log_time(t), rid, m, u, st) for (t, m, u, st) in r.completed(marks[rid])]
        obs = observe(events, split_ref(ref)[1])
        self.routing.append({"pull": i, "phase": phase, "ref": ref, "hosts": obs["hosts"], "answered": obs["answered"],
                             "blobs": sorted(obs["blobs"])})

    def compare_explain(self, ref, pull, img, marks, phase, answer):
        """Fails on any difference between explain's answer for this pull and what containerd did: the ordered
        distinct hosts asked for the tag's manifest (or the digest's), the path and query (`ns`, as sent) of each
        one's first such request, the host that answered it, the set of hosts that served blobs, and the query of
        each host's first blob request."""
        regs = self.s["expect"]["registries"]
        pred = predict(answer, pull, regs, phase, self.s["expect"].get("ctr_user"))
        events = []
        for rid, r in self.regs.items():
            events += [(log_time(t), rid, m, u, st) for (t, m, u, st) in r.completed(marks[rid])]
        obs = observe(events, split_ref(ref)[1])
        name = lambda rid: "%s (%s)" % (rid, regs[rid]["host"]) if rid else "nobody"
        diffs = []
        if pred["hosts"] != obs["hosts"]:
            diffs.append("hosts asked for the manifest, in order: explain %s | containerd %s" % (
                [name(r) for r in pred["hosts"]], [name(r) for r in obs["hosts"]]))
        for rid in pred["hosts"]:
            if rid in obs["first"] and pred["first"][rid] != obs["first"][rid]:
                diffs.append("first manifest request to %s: explain %s | containerd %s" % (
                    name(rid), "?".join(pred["first"][rid]).rstrip("?"), "?".join(obs["first"][rid]).rstrip("?")))
        if pred["answered"] != obs["answered"] or len(obs["answers"]) > 1:
            diffs.append("manifest answered by: explain %s | containerd %s" % (
                name(pred["answered"]), ", ".join(name(r) for r in obs["answers"]) or "nobody"))
        if pred["blobs"] != obs["blobs"]:
            diffs.append("blobs served by: explain %s | containerd %s" % (
                sorted(name(r) for r in pred["blobs"]) or "nobody", sorted(name(r) for r in obs["blobs"]) or "nobody"))
        for rid, q in obs["blob_query"].items():
            if rid in pred["blob_query"] and pred["blob_query"][rid] != q:
                diffs.append("query of the first blob request to %s: explain %r | containerd %r" % (
                    name(rid), pred["blob_query"][rid], q))
        def side(x):
            return "manifest %s, answered by %s, blobs %s" % (
                " → ".join("%s %s" % (name(r), "?".join(x["first"][r]).rstrip("?")) for r in x["hosts"]) or "-",
                name(x["answered"]), sorted(name(r) for r in x["blobs"]) or "-")
        skipped = ""
        if pred["skipped"]:
            skipped = "; explain's hosts not reachable here: " + ", ".join("%s (%s)" % s for s in pred["skipped"])
        self.note("explain %s (containerd %s, %s %s): %s%s" % ("agrees" if not diffs else "DISAGREES",
                                                               answer["release"], phase, ref, side(obs), skipped))
        if diffs:
            self.fail("explain disagrees with containerd %s on %s %s:\n%s\n  whole answer: explain   %s%s\n"
                      "                containerd %s" % (answer["release"], phase, ref,
                                                      "\n".join("  " + d for d in diffs), side(pred), skipped,
                                                      side(obs)))

    def compare_https_first(self, predictions, clog):
        """explain's http_fallback (an http:// host with TLS settings tried over HTTPS first) against the line
        containerd logs for each such host when it configures the hosts ("host will try HTTPS first"): the CRI
        pulls configure them in the daemon (so do ctr's on 2.x, through the transfer service)."""
        said = set()
        for answers in predictions:
            if "cri" in answers:
                said |= {h["host"] for h in answers["cri"]["resolve"] + answers["cri"]["fetch"] if h["http_fallback"]}
        logged = set(re.findall(r'msg="host will try HTTPS first[^"]*"[^\n]*?\shost="?([^"\s]+)', clog))
        if said != logged:
            self.fail("explain disagrees with containerd %s on the hosts tried over HTTPS first: explain %s | "
                      "containerd's log %s" % (".".join(map(str, self.s["version"])), sorted(said) or "none",
                                               sorted(logged) or "none"))
        elif said:
            self.note("explain agrees: HTTPS first for %s" % ", ".join(sorted(said)))

    def run(self):
        t0 = time.monotonic()
        self.setup_ns()
        self.start_registries()
        self.push_images()
        t_setup = time.monotonic() - t0
        self.start_containerd()
        t_cd = time.monotonic() - t0
        self.check_plugins()
        self.check_config_dump()
        hosts_dir = self.s["project"].get("output", "hosts_dir") == "hosts_dir"
        predictions = self.s.get("explain")
        for i, pull in enumerate(self.s["expect"]["pulls"]):
            img = self.images[i]
            ref = pull_refs(pull, img)["cri"]
            marks = {rid: r.mark() for rid, r in self.regs.items()}
            try:
                got = cri_pull(self.sock, ref)
                self.note("CRI PullImage %s -> %s" % (ref, got))
                if pull.get("fails"):
                    self.fail("CRI PullImage %s succeeded, but must fail: %s" % (ref, pull["fails"]))
            except Exception as e:  # grpc.RpcError
                detail = getattr(e, "details", lambda: str(e))()
                if pull.get("fails"):
                    self.note("CRI PullImage %s failed as it must (%s): %s" % (ref, pull["fails"], detail))
                else:
                    self.fail("CRI PullImage %s failed: %s" % (ref, detail))
            time.sleep(0.2)  # let the registries flush their access logs
            self.judge(ref, pull, img, marks, "CRI")
            self.record_routing(i, "CRI", ref, marks)
            if predictions:
                self.compare_explain(ref, pull, img, marks, "CRI", predictions[i]["cri"])
        if hosts_dir and any(p.get("ctr") for p in self.s["expect"]["pulls"]):
            self.forget_cri_images()
            for i, pull in enumerate(self.s["expect"]["pulls"]):
                if not pull.get("ctr"):
                    continue
                img = self.images[i]
                ref = pull_refs(pull, img)["ctr"]
                marks = {rid: r.mark() for rid, r in self.regs.items()}
                args = ["--namespace", "ccb-e2e", "images", "pull", "--hosts-dir", "/etc/containerd/certs.d"]
                if self.s["expect"].get("ctr_user"):
                    args += ["--user", self.s["expect"]["ctr_user"]]
                p = self.ctr(*(args + [ref]), timeout=90)
                if p.returncode != 0:
                    self.fail("ctr images pull %s exited %d:\n%s" % (ref, p.returncode, p.output[-3000:]))
                time.sleep(0.2)
                self.judge(ref, pull, img, marks, "ctr")
                self.record_routing(i, "ctr", ref, marks)
                if predictions:
                    self.compare_explain(ref, pull, img, marks, "ctr", predictions[i]["ctr"])
        # daemon log
        with open(self.clog_path, errors="replace") as f:
            clog = f.read()
        if predictions:
            self.compare_https_first(predictions, clog)
        for bad in BAD_DAEMON_LOG:
            hits = [l for l in clog.splitlines() if bad in l]
            if hits and self.s.get("original"):
                self.note("daemon log of the node's own files has %r:\n%s" % (bad, "\n".join(hits[:5])))
            elif hits:
                self.fail("daemon log has %r:\n%s" % (bad, "\n".join(hits[:5])))
        t_end = time.monotonic() - t0
        self.note("timings: registries+push %.1fs, containerd up %.1fs, total %.1fs" % (t_setup, t_cd - t_setup,
                                                                                        t_end))


class PkiView:
    """Read-only view of the outer PKI for the inner run (certs were all created before entering)."""

    def __init__(self, root):
        self.root = root

    def server_cert(self, ca, name):
        base = os.path.join(self.root, "%s--%s" % (ca, name.replace(":", "_")))
        return base + ".crt", base + ".key"


def cmd_inner(args):
    with open(args.spec) as f:
        spec = json.load(f)
    inner = Inner(spec)
    ok = False
    try:
        inner.run()
        ok = not inner.failures
    except RuntimeError as e:
        inner.fail(str(e))
    except Exception as e:
        import traceback
        inner.fail("%s\n%s" % (e, traceback.format_exc()))
    finally:
        inner.cleanup()
    with open(spec["result"], "w") as f:
        json.dump({"ok": ok, "failures": inner.failures, "notes": inner.notes, "routing": inner.routing}, f, indent=1)
    print("\n".join(inner.notes))
    print("\n".join(inner.failures))
    return 0 if ok else 1


def prepare_certs(pki, scenarios):
    for scn in scenarios:
        for r in scn["expect"]["registries"].values():
            if r.get("scheme", "https") == "https":
                pki.server_cert(r.get("ca", "private"), host_port(r["host"], "https")[0])


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--repo", required=True)
    r.add_argument("--containerd", action="append", required=True, help="dir with containerd and ctr")
    r.add_argument("--only", action="append", help="scenario name (prefix)")
    r.add_argument("--workdir")
    r.add_argument("--started", type=float, help="epoch seconds when run.sh started (for the total)")
    r.add_argument("--prebuilt", help="dir of hand-made bundles <scenario>/ (development only; no explain)")
    r.add_argument("--cli", help="the built containerd-config-builder binary (else `cargo run`)")
    r.add_argument("--keep", action="store_true")
    r.add_argument("--no-self-checks", action="store_true", help="skip the deliberately broken bundles")
    r.add_argument("--no-install-sh", action="store_true",
                   help="bind-mount the bundle on /etc/containerd instead of installing it with its install.sh")
    r.add_argument("-v", "--verbose", action="store_true")
    i = sub.add_parser("inner")
    i.add_argument("spec")
    a = ap.parse_args()
    if a.cmd == "run":
        try:
            return cmd_run(a)
        except KeyboardInterrupt:
            print("interrupted")
        except Exception:
            import traceback
            traceback.print_exc(file=sys.stdout)
        print("%d passed, %d failed" % (COUNTS["passed"], COUNTS["failed"] + 1))
        return 1
    return cmd_inner(a)


if __name__ == "__main__":
    sys.exit(main())
