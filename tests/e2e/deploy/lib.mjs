// Helpers of the deployment tests (tests/e2e/deploy.test.mjs): a static server that mounts dist/ under any
// sub-path with the HTTP headers the README recommends, a watcher that records every request, CSP violation and
// console error of a browser context, and a .tar.gz reader.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

// The browser is launched exactly as in the app's e2e tests.
export { ARGS, CHROMIUM, launch } from '../lib/browser.mjs';

export const SINGLE_FILE = 'containerd-config-builder.html';

/**
 * The folder to test: `dist` as `make dist` leaves it. When it holds only trunk's output (e.g. after a bare
 * `trunk build --release`), the same post-build step `make dist` runs is applied to a copy, so the test always
 * sees the finished artifacts and never changes dist/ under other tests.
 */
export function finishedDist(root, dist, canonical) {
  assert.ok(fs.existsSync(path.join(dist, 'index.html')), `${dist}/index.html is missing: run \`make dist\` first`);
  const index = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  if (index.includes('Content-Security-Policy') && fs.existsSync(path.join(dist, SINGLE_FILE))) {
    return { dir: dist, copied: false };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccb-deploy-dist-'));
  fs.cpSync(dist, dir, { recursive: true, filter: (src) => !path.basename(src).startsWith('.') || src === dist });
  execFileSync('cargo', ['run', '-q', '-p', 'xtask', '--', 'postbuild', dir], {
    cwd: root,
    env: { ...process.env, CCB_CANONICAL_URL: canonical },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { dir, copied: true };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Serves `root` at `mount` (e.g. '/tools/containerd/') on 127.0.0.1 with a port the OS picks, sending the headers
 * README "Hosting headers" recommends (`frameAncestors` goes into the CSP header, the only place it works).
 * `headers` are added to every file's response. `pages` maps extra absolute paths to HTML (a host page; `root` may then be null). Every request path is recorded
 * in `requests`.
 */
export async function serve(root, { mount = '/', frameAncestors = "'self'", pages = {}, headers = {} } = {}) {
  const base = root ? path.resolve(root) : null;
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push(url.pathname);
    if (pages[url.pathname] !== undefined) {
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' }).end(pages[url.pathname]);
      return;
    }
    if (url.pathname === mount.replace(/\/$/, '') && mount !== '/') {
      res.writeHead(301, { location: mount + url.search }).end();
      return;
    }
    if (!base || !url.pathname.startsWith(mount)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(mount.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(base, rel);
    if (!file.startsWith(base + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'content-security-policy': `frame-ancestors ${frameAncestors}; base-uri 'none'; form-action 'none'; object-src 'none'`,
        ...headers,
      });
      res.end(body);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: origin + mount,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

/** Reports CSP violations to the console, where the watcher sees them (runs in every frame before any script). */
function cspProbe() {
  document.addEventListener('securitypolicyviolation', (e) => {
    console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
  });
}

/**
 * A fresh context with downloads on and every request, console error, page error and CSP violation recorded,
 * in all frames (`context.on('request')` sees the iframe's requests too). `allowed(url)` says which requests
 * belong to the page itself; data: and blob: always do. Nothing else is let through: it is aborted and recorded.
 */
export async function watchedContext(browser, allowed, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', acceptDownloads: true, ...options });
  const seen = { requests: [], foreign: [], console: [], errors: [], csp: [], failed: [] };
  const ours = (u) => /^(data|blob):/.test(u) || allowed(u);
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (ours(u)) return route.continue();
    seen.foreign.push(u);
    return route.abort('blockedbyclient');
  });
  context.on('request', (r) => {
    seen.requests.push(r.url());
    if (!ours(r.url())) seen.foreign.push(r.url());
  });
  context.on('requestfailed', (r) => {
    // A blob: download is handed to the download manager, which Chromium reports as an aborted request.
    if (!/^blob:/.test(r.url())) seen.failed.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  context.on('response', (r) => {
    if (r.status() >= 400) seen.failed.push(`${r.url()}: HTTP ${r.status()}`);
  });
  context.on('console', (m) => {
    const text = m.text();
    if (/Content.Security.Policy|CSP violation/i.test(text)) seen.csp.push(text);
    else if (m.type() === 'error') seen.console.push(text);
  });
  context.on('weberror', (e) => seen.errors.push(String(e.error()?.stack ?? e.error())));
  await context.addInitScript(cspProbe);
  return { context, seen };
}

export function assertClean(seen, what) {
  const uniq = (a) => [...new Set(a)];
  assert.deepEqual(uniq(seen.csp), [], `${what}: CSP violations`);
  assert.deepEqual(uniq(seen.errors), [], `${what}: uncaught errors`);
  assert.deepEqual(uniq(seen.console), [], `${what}: console errors`);
  assert.deepEqual(uniq(seen.foreign), [], `${what}: requests other than the page's own assets`);
  assert.deepEqual(uniq(seen.failed), [], `${what}: failed requests`);
}

/** Reads a .tar.gz in memory: [{ path, type, content }] (ustar names with prefix; GNU 'L' and pax 'path'). */
export function readTarGz(bytes) {
  const tar = zlib.gunzipSync(bytes);
  const str = (b, s, n) => {
    const x = b.subarray(s, s + n);
    const z = x.indexOf(0);
    return (z < 0 ? x : x.subarray(0, z)).toString('utf8');
  };
  const out = [];
  let long = null;
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(str(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 48);
    const prefix = str(h, 257, 6).startsWith('ustar') ? str(h, 345, 155) : '';
    const name = (prefix ? `${prefix}/` : '') + str(h, 0, 100);
    const body = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      long = str(body, 0, body.length);
      continue;
    }
    if (type === 'x') {
      const m = /^\d+ path=(.*)$/m.exec(body.toString('utf8'));
      if (m) long = m[1];
      continue;
    }
    if (type === 'g') continue;
    out.push({ path: long ?? name, type: type === '5' ? 'dir' : type === '0' ? 'file' : type, content: Buffer.from(body) });
    long = null;
  }
  return out;
}
