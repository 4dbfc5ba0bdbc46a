// End-to-end tests of the three ways the app ships (README "Deploying"): the static site at / and under a
// sub-path, the offline single file over file:// with the network off, and the site in a host page's iframe
// (?embed=1). In each one a mirror is added, the preview shows it and the bundle downloads (on the site and in the
// offline file after a pasted config.toml was merged by the lazily loaded tools module, which then also answers
// "Try an image"); the test fails on any
// request other than the page's own assets, any CSP violation and any console error.
//
// Run after `make dist`:   node tests/e2e/deploy.test.mjs      (ends with the line "N passed, M failed")
// or with the other e2e tests: node tests/e2e/run.mjs
// The artifacts come from $CCB_DIST (default dist/). If that folder holds only trunk's output, the tests apply
// `make dist`'s post-build step (xtask) to a temporary copy first, so they always test the finished files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { launch, serve, watchedContext, assertClean, readTarGz, finishedDist, SINGLE_FILE } from './deploy/lib.mjs';

const HERE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(HERE), '../..');
// Used only when the tests finish a bare trunk build themselves (see above).
const TEST_CANONICAL = 'https://tools.example.com/containerd/';
const T = { timeout: 120_000 };

// `node tests/e2e/deploy.test.mjs`: run this file under node's test runner and print "N passed, M failed".
if (!process.env.NODE_TEST_CONTEXT && !process.execArgv.some((a) => a.startsWith('--test'))) {
  const tap = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ccb-deploy-tap-')), 'results.tap');
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, HERE],
    { cwd: ROOT, stdio: 'inherit' },
  );
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  fs.rmSync(path.dirname(tap), { recursive: true, force: true });
  const count = (name) => Number((text.match(new RegExp(`^# ${name} (\\d+)$`, 'm')) ?? [0, 0])[1]);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const ok = r.status === 0 && failed === 0 && passed > 0;
  console.log(`deploy e2e: ${((Date.now() - started) / 1000).toFixed(1)}s`);
  console.log(`${passed} passed, ${failed || (ok ? 0 : 1)} failed`);
  process.exit(ok ? 0 : 1);
}

let dist; // { dir, copied }
let canonical; // the CCB_CANONICAL_URL the artifacts were built with ('' when none)
let browser;
const servers = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ccb-deploy-'));

before(async () => {
  dist = finishedDist(ROOT, process.env.CCB_DIST || path.join(ROOT, 'dist'), TEST_CANONICAL);
  const index = fs.readFileSync(path.join(dist.dir, 'index.html'), 'utf8');
  canonical = /<meta name="ccb-canonical-url" content="([^"]*)">/.exec(index)?.[1].replaceAll('&amp;', '&') ?? '';
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  if (dist?.copied) fs.rmSync(dist.dir, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function server(opts) {
  const s = await serve(dist.dir, opts);
  servers.push(s);
  return s;
}

/** Waits until the app in `f` (a page or a frame) has rendered and answers input. */
async function ready(f) {
  await f.waitForSelector('#preview-content');
  await f.waitForFunction(() => performance.getEntriesByName('ccb-app-ready').length > 0);
}

/** Adds a registry with one mirror; checks the preview's hosts.toml shows it. Returns the upstream's hosts.toml path. */
async function addMirror(f, mirror) {
  await f.click('#tab-registries');
  await f.click('#add-registry');
  const upstream = await f.inputValue('#f-registries-0-upstream');
  assert.ok(upstream, 'a new registry has an upstream');
  await f.fill('#f-registries-0-endpoints-0-url', mirror);
  const hosts = `certs.d/${upstream}/hosts.toml`;
  await f.click(`#file-tree [data-path="${hosts}"]`);
  await f.waitForFunction(
    ([p, m]) => {
      const e = document.querySelector('#preview-content');
      return e?.getAttribute('data-path') === p && e.textContent.includes(m);
    },
    [hosts, mirror],
  );
  return hosts;
}

/** Downloads the bundle from `f` (events come from `page`); checks it is a .tar.gz whose hosts.toml has `mirror`. */
async function downloadBundle(page, f, hosts, mirror) {
  await f.click('#tab-apply');
  await f.waitForSelector('#download-bundle:not([disabled])');
  const [dl] = await Promise.all([page.waitForEvent('download'), f.click('#download-bundle')]);
  assert.match(dl.suggestedFilename(), /\.tar\.gz$/);
  assert.match(dl.url(), /^blob:/, 'the bundle is made in the page');
  const file = path.join(fs.mkdtempSync(path.join(tmp, 'dl-')), dl.suggestedFilename());
  await dl.saveAs(file);
  assert.equal(await dl.failure(), null);
  const bytes = fs.readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic');
  const entries = readTarGz(bytes).filter((e) => e.type === 'file');
  const names = entries.map((e) => e.path);
  const entry = entries.find((e) => e.path.endsWith(`/${hosts}`));
  assert.ok(entry, `${hosts} in the bundle: ${names}`);
  assert.ok(entry.content.toString('utf8').includes(mirror), `${hosts} in the bundle names ${mirror}`);
  assert.ok(names.some((n) => n.endsWith('/install.sh')), `install.sh in the bundle: ${names}`);
}

/** Pastes a node's config.toml: the lazily loaded tools module (from the site, or inline in the offline file)
 * merges it, and the preview shows the merged file. */
async function mergeNodeConfig(f) {
  await f.click('#tab-apply');
  await f.fill('#existing-config', 'version = 2\n# kept by the merge\n');
  await f.click('#file-tree [data-path="config.toml"]');
  await f.waitForFunction(() => {
    const e = document.querySelector('#preview-content');
    return e?.getAttribute('data-path') === 'config.toml' && e.textContent.includes('config_path') && e.textContent.includes('# kept by the merge');
  });
}

/** Types an image into "Try an image": the lazily loaded tools module (inline in the offline file) answers, and
 * the mirror `host` is the first host asked for the manifest. */
async function tryImage(f, host) {
  await f.fill('#try-image', 'nginx');
  await f.waitForFunction((h) => {
    const first = document.querySelector('#try-results .try-resolve .try-url');
    return first?.textContent.startsWith(`https://${h}/v2/library/nginx/manifests/latest`);
  }, host);
}

/** The whole flow on a page served over http at `url`; returns nothing, asserts everything. */
async function siteFlow(s, url, what) {
  const { context, seen } = await watchedContext(browser, (u) => u.startsWith(s.url.replace(/\/$/, '')));
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  await ready(page);
  const mirror = 'https://mirror.deploy-test.example.com';
  const hosts = await addMirror(page, mirror);
  await mergeNodeConfig(page);
  await downloadBundle(page, page, hosts, mirror);
  assertClean(seen, what);
  await context.close();
  return seen;
}

test('static site at /: mirror, preview, bundle; nothing fetched but its own files, no CSP violation', T, async () => {
  const s = await server({ mount: '/' });
  const seen = await siteFlow(s, s.url, 'site at /');
  const files = new Set(seen.requests.filter((u) => !/^(data|blob):/.test(u)).map((u) => new URL(u).pathname));
  for (const ext of ['.js', '_bg.wasm']) {
    assert.ok([...files].some((f) => f.endsWith(ext)), `the site loaded its ${ext} (${[...files]})`);
  }
  // The stylesheet is in index.html (xtask postbuild): no request waits for it, and the policy allows it by hash.
  assert.ok(![...files].some((f) => f.endsWith('.css')), `no stylesheet request (${[...files]})`);
  const index = fs.readFileSync(path.join(dist.dir, 'index.html'), 'utf8');
  assert.doesNotMatch(index, /<link[^>]+rel="stylesheet"/);
  assert.match(index, /style-src 'sha256-[A-Za-z0-9+/=]+';/);
});

test('static site under /tools/containerd/: the same files work under a sub-path', T, async () => {
  const s = await server({ mount: '/tools/containerd/' });
  // Without the trailing slash the server redirects, as static hosts do.
  await siteFlow(s, s.url.replace(/\/$/, ''), 'site under a sub-path');
  const outside = s.requests.filter((p) => !p.startsWith('/tools/containerd'));
  assert.deepEqual(outside, [], 'every request stays under the sub-path');
});

test('offline single file over file:// with the network off', T, async () => {
  const file = path.join(dist.dir, SINGLE_FILE);
  const html = fs.readFileSync(file, 'utf8');
  assert.match(html, /<meta name="ccb-offline" content="1">/);
  assert.match(html, /connect-src 'none'/);
  assert.doesNotMatch(html, /<(script|link)[^>]+(src|href)="(?!data:)/, 'no external script or stylesheet');
  const fileUrl = pathToFileURL(file).href;
  const { context, seen } = await watchedContext(browser, (u) => u.split('#')[0] === fileUrl);
  await context.setOffline(true);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(fileUrl);
  await ready(page);
  const mirror = 'https://offline-mirror.example.com';
  const hosts = await addMirror(page, mirror);
  await mergeNodeConfig(page);
  await downloadBundle(page, page, hosts, mirror);
  await tryImage(page, 'offline-mirror.example.com');
  // The Chinese texts, packed in the file, inflated on the first switch: the page and the open form speak Chinese.
  await page.selectOption('#lang', 'zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN' && document.querySelector('h1')?.textContent === 'containerd 配置生成器');
  assert.match(await page.textContent('#section-panel'), /[\u4e00-\u9fff]{4}/, 'the Apply form in Chinese');
  assertClean(seen, 'offline file');
  assert.ok(seen.requests.some((u) => u.split('#')[0] === fileUrl), `the file's own load is recorded: ${seen.requests}`);
  assert.ok(seen.requests.every((u) => /^(data|blob):/.test(u) || u.split('#')[0] === fileUrl), `${seen.requests}`);
  await context.close();
});

test('share links: the canonical URL set at build time, never a local file (site under a sub-path, offline file)', T, async () => {
  const s = await server({ mount: '/docs/tools/' });
  const fileUrl = pathToFileURL(path.join(dist.dir, SINGLE_FILE)).href;
  const { context, seen } = await watchedContext(browser, (u) => u.startsWith(s.url) || u.split('#')[0] === fileUrl);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  for (const [where, url] of [['site', s.url], ['offline file', fileUrl]]) {
    await page.goto(url);
    await ready(page);
    await addMirror(page, 'https://share-mirror.example.com');
    await page.click('#tab-apply');
    // The code and the link are compressed by the browser: they appear a moment after the card.
    await page.waitForFunction(() => document.querySelector('#state-code')?.value);
    const code = await page.$eval('#state-code', (e) => e.value).catch(() => null);
    const link = await page.$eval('#share-link', (e) => e.value).catch(() => '');
    assert.doesNotMatch(link, /^file:/, `${where}: the share link does not point at the file`);
    if (canonical) {
      assert.ok(link.startsWith(`${canonical}#`), `${where}: share link ${link} starts with the build's ${canonical}#`);
    } else if (where === 'site') {
      assert.ok(link.startsWith(`${s.url}#`), `${where}: without a canonical URL the site's own address: ${link}`);
    } else {
      assert.equal(link, '', `${where}: no share link without a canonical URL (the state code is the way)`);
    }
    if (link && code !== null) assert.equal(link.slice(link.indexOf('#') + 1), code, `${where}: the link's # part is the state code`);
  }
  assertClean(seen, 'share links');
  await context.close();
});

/** The host page of README "Embedding", verbatim apart from the addresses. */
function hostPage(src, toolOrigin) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Docs portal</title></head>
<body>
<h1>Configure registry mirrors</h1>
<iframe id="ccb" src="${src}" title="containerd config builder" style="width: 100%; border: 0; height: 600px"
  allow="clipboard-write" sandbox="allow-scripts allow-same-origin allow-downloads allow-modals"></iframe>
<p id="after">After the tool.</p>
<script>
  window.heights = [];
  const iframe = document.getElementById('ccb');
  window.addEventListener('message', (event) => {
    if (event.source !== iframe.contentWindow || event.origin !== '${toolOrigin}') return;
    const msg = event.data;
    if (!msg || msg.type !== 'containerd-config-builder:height' || typeof msg.height !== 'number') return;
    window.heights.push(msg.height);
    iframe.style.height = Math.ceil(msg.height) + 'px';
  });
</script>
</body></html>`;
}

test('embedded: ?embed=1 in a sandboxed iframe of another origin; auto-height; mirror, preview, bundle', T, async () => {
  // Two origins, as in production: the docs portal and the tool (whose CSP header lets the portal frame it).
  const pages = {};
  const portal = await serve(null, { pages });
  servers.push(portal);
  const tool = await server({ mount: '/tools/containerd/', frameAncestors: `'self' ${portal.origin}` });
  pages['/docs/containerd.html'] = hostPage(`${tool.url}?embed=1`, tool.origin);
  const { context, seen } = await watchedContext(browser, (u) => u.startsWith(tool.url) || u === `${portal.origin}/docs/containerd.html`);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${portal.origin}/docs/containerd.html`);
  const frame = await (await page.waitForSelector('#ccb')).contentFrame();
  await ready(frame);
  assert.equal(await frame.evaluate(() => document.documentElement.dataset.embed), '1');
  assert.equal(await frame.$('.foot'), null, 'embed mode hides the footer');

  // The content's own height: the bottom of the lowest box in the frame's body.
  const contentHeight = () =>
    frame.evaluate(() => Math.max(0, ...[...document.body.children].map((e) => e.getBoundingClientRect().bottom + scrollY)));
  const iframeHeight = () => page.$eval('#ccb', (e) => e.getBoundingClientRect().height);
  /** Waits until the iframe is exactly as tall as its content (no gap, no inner scrolling); returns that height. */
  const follows = async (what) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const [ih, ch] = [await iframeHeight(), await contentHeight()];
      const scrolls = await frame.evaluate(() => document.documentElement.scrollHeight > innerHeight + 1);
      if (Math.abs(ih - ch) <= 2 && !scrolls) return ih;
      if (Date.now() > deadline) {
        const heights = await page.evaluate(() => window.heights);
        assert.fail(`${what}: the iframe is ${ih}px tall, its content ${ch}px (inner scrolling: ${scrolls}); messages: ${heights.slice(-5)}`);
      }
      await page.waitForTimeout(50);
    }
  };
  const first = await follows('at start');

  const mirror = 'https://embedded-mirror.example.com';
  const hosts = await addMirror(frame, mirror);
  const one = await follows('one registry');
  // More content: two more registries; the page grows and the iframe with it.
  await frame.click('#add-registry');
  await frame.click('#add-registry');
  const grown = await follows('three registries');
  assert.ok(grown > one, `the iframe grew with the form (${one}px → ${grown}px)`);
  // Less content: undo both; the iframe shrinks back.
  await frame.click('#undo');
  await frame.click('#undo');
  const shrunk = await follows('undone');
  assert.ok(shrunk < grown, `the iframe shrank with the form (${grown}px → ${shrunk}px)`);
  await mergeNodeConfig(frame);
  await downloadBundle(page, frame, hosts, mirror);
  await follows('on the apply tab');
  const heights = await page.evaluate(() => window.heights);
  assert.ok(heights.length >= 3, `height messages received: ${heights}`);
  assertClean(seen, 'embedded');
  await context.close();
});

test('query parameters: lang, theme, preset, target are applied (site at /)', T, async () => {
  const s = await server({ mount: '/' });
  const { context, seen } = await watchedContext(browser, (u) => u.startsWith(s.url));
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${s.url}?lang=zh-CN&theme=dark&preset=private-registry-ca&target=containerd1`);
  await ready(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.equal(await page.getAttribute('html', 'data-embed'), null, 'no embed mode without embed=1');
  const paths = await page.$$eval('#file-tree [data-path]', (els) => els.map((e) => e.getAttribute('data-path')));
  assert.ok(paths.some((p) => /^certs\.d\/.+\/(hosts\.toml|.*\.(crt|pem))$/.test(p)), `the preset's files: ${paths}`);
  await page.click('#tab-target');
  assert.equal(await page.inputValue('#f-target-min'), '1.6.20', 'target=containerd1 sets the release range');
  assertClean(seen, 'query parameters');
  await context.close();
});

test('state code: copied in the offline file, opened in the hosted site (undoable), a bad code is refused', T, async () => {
  const fileUrl = pathToFileURL(path.join(dist.dir, SINGLE_FILE)).href;
  const off = await watchedContext(browser, (u) => u.split('#')[0] === fileUrl);
  await off.context.setOffline(true);
  const page = await off.context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(fileUrl);
  await ready(page);
  const mirror = 'https://state-code-mirror.example.com';
  const hosts = await addMirror(page, mirror);
  await page.click('#tab-apply');
  assert.ok(await page.$('#state-code'), '#state-code is on the apply tab (mount sections::statecode::StateCode there)');
  await page.waitForFunction(() => document.querySelector('#state-code')?.value);
  const code = await page.inputValue('#state-code');
  assert.match(code, /^(z1|c1)\.[A-Za-z0-9_-]+$/);
  await page.click('#copy-state');
  const status = await page.waitForSelector('#state-code-status');
  if (/copied/i.test(await status.textContent())) {
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()).catch(() => code), code);
  } else {
    // Refused (no clipboard here): the code is selected for Ctrl+C.
    const sel = await page.evaluate(() => {
      const e = document.activeElement;
      return [e?.id, e?.selectionStart, e?.selectionEnd, e?.value.length];
    });
    assert.deepEqual(sel, ['state-code', 0, code.length, code.length], 'the fallback selects the whole code');
  }
  assertClean(off.seen, 'offline file, state code');
  await off.context.close();

  const s = await server({ mount: '/' });
  const on = await watchedContext(browser, (u) => u.startsWith(s.url));
  const site = await on.context.newPage();
  site.setDefaultTimeout(15_000);
  await site.goto(s.url);
  await ready(site);
  await site.click('#tab-apply');
  const before = await site.inputValue('#state-code');
  await site.fill('#state-code-input', 'z1.this-is-not-a-code');
  await site.click('#open-state');
  await site.waitForSelector('#state-code-error');
  assert.equal(await site.getAttribute('#state-code-input', 'aria-invalid'), 'true');
  assert.equal(await site.inputValue('#state-code'), before, 'a bad code changes nothing');

  await site.fill('#state-code-input', `  ${code}\n`);
  await site.press('#state-code-input', 'Enter');
  await site.waitForFunction((c) => document.querySelector('#state-code')?.value === c, code);
  assert.equal(await site.$('#state-code-error'), null);
  await site.waitForSelector(`#file-tree [data-path="${hosts}"]`);
  await site.click(`#file-tree [data-path="${hosts}"]`);
  await site.waitForFunction((m) => document.querySelector('#preview-content')?.textContent.includes(m), mirror);
  // One undo step brings the previous settings back.
  await site.click('#preview-content');
  await site.keyboard.press('Control+z');
  await site.waitForFunction((b) => document.querySelector('#state-code')?.value === b, before);
  assertClean(on.seen, 'site, state code');
  await on.context.close();
});
