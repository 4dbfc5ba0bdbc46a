// End-to-end tests of the "Try an image" box (src/preview/try_image.rs) and the lazily loaded tools module that
// answers it (crates/web-tools, shared with the merge): not fetched before the box is used; typing an image
// shows the hosts containerd asks, in order, per stretch of the target range where the answers differ, in both
// languages; an invalid reference and a failing pull say so; a failed load keeps what was typed and retries.
// The offline single file is tested in deploy.test.mjs. Screenshots (desktop and 390 px) go to target/e2e-artifacts/.
// Run: `node tests/e2e/run.mjs` or `node --test tests/e2e/explain.test.mjs` (CCB_DIST=… for another build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openPage, assertClean } from './lib/browser.mjs';
import { gotoApp, encodeShareFragment } from './lib/app.mjs';
import { appSuite } from './lib/suite.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
const ARTIFACTS = path.join(ROOT, 'target', 'e2e-artifacts');
const T = { timeout: 120_000 };
const TOOLS_MODULE = /\/ccb-tools-[0-9a-f]+(\.js|_bg\.wasm)$/;
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const HUB_MIRRORS = ['fogjl973.mirror.aliyuncs.com', '8x40wsit.mirror.aliyuncs.com', 'docker.mirrors.ustc.edu.cn'];

let server;
let browser;

appSuite(DIST, (opened) => ({ server, browser } = opened), { artifacts: ARTIFACTS });

/** A page on the app whose requests for the tools module are recorded (paths, in order). */
async function fresh(opts = {}) {
  const { context, page, watch } = await openPage(browser, server.origin, opts);
  const tools = [];
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (TOOLS_MODULE.test(p)) tools.push(p);
  });
  await gotoApp(page, server.origin, opts);
  return { context, page, watch, tools };
}

/** Types `image` into the box and waits for the answer; returns the groups as
 * [{ releases, resolve: [request URL…], fetch: [request URL…], text }]. */
async function tryImage(page, image) {
  await page.fill('#try-image', image);
  await page.waitForFunction((img) => {
    const r = document.querySelector('#try-results');
    return r && document.querySelector('#try-image').value === img && r.querySelector('.try-group');
  }, image);
  return groups(page);
}

function groups(page) {
  return page.$$eval('#try-results .try-group', (els) =>
    els.map((g) => ({
      releases: g.getAttribute('data-releases'),
      resolve: [...g.querySelectorAll('.try-resolve .try-url')].map((e) => e.textContent),
      fetch: [...g.querySelectorAll('.try-fetch .try-url')].map((e) => e.textContent),
      text: g.textContent,
    })),
  );
}

test('the tools module is fetched only on the box\'s first use; with the Docker Hub preset, nginx shows the mirrors in order', T, async () => {
  const { context, page, watch, tools } = await fresh({ query: 'preset=dockerhub-mirrors' });
  const index = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  assert.match(index, /<meta name="ccb-lazy-tools" content="\.\/ccb-tools-[0-9a-f]+\.js">/, 'index.html lists the tools module');
  assert.doesNotMatch(index, /ccb-lazy-merge/, 'one lazy module for the merge and the explain');
  await page.waitForTimeout(500);
  assert.deepEqual(tools, [], 'not requested at startup');
  assert.equal(await page.$('#try-results'), null);

  await page.focus('#try-image');
  await page.waitForFunction(() => globalThis.ccbLazy?.tools, null, { timeout: 10_000 });
  const g = await tryImage(page, 'nginx');
  assert.equal(tools.length, 2, `the glue and the wasm, once each: ${tools}`);
  assert.match(await page.textContent('#try-summary'), /docker\.io\/library\/nginx:latest/);
  // The preset's range is 1.7–2.3: 2.2 adds `referrers` to what the registry itself may do, so two answers.
  assert.deepEqual(g.map((x) => x.releases), ['1.7–2.1', '2.2–2.3']);
  for (const x of g) {
    const hosts = x.resolve.map((u) => new URL(u).host);
    assert.deepEqual(hosts, [...HUB_MIRRORS, 'registry-1.docker.io'], `${x.releases}: the mirrors in the preset's order, then Docker Hub`);
    assert.ok(x.resolve.slice(0, 3).every((u) => u.endsWith('/v2/library/nginx/manifests/latest?ns=docker.io')), `${x.resolve}`);
    assert.ok(!x.resolve[3].includes('ns='), 'no ns for the registry itself');
    assert.deepEqual(x.fetch.map((u) => new URL(u).host), [...HUB_MIRRORS, 'registry-1.docker.io']);
  }
  assert.match(g[1].text, /referrers/);
  assert.doesNotMatch(g[0].text, /referrers/);
  // Each host says where it comes from in the form's words, as the Problems list does, never as a field path.
  assert.match(g[0].text, /docker\.io › endpoint 1/);
  assert.doesNotMatch(g[0].text, /registries\[\d|endpoints\[\d/);
  // Screen readers: a label, and the summary read with the box; axe-core finds nothing serious in the answer.
  assert.equal(await page.getAttribute('#try-image', 'aria-describedby'), 'try-summary');
  assert.match(await page.textContent('label[for="try-image"]'), /Image reference/);
  await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run('.try-image', { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3)}`);
  });
  assert.deepEqual(violations, [], 'axe-core on the box with its answer');

  // Each keystroke answers at once, with the module already there.
  const q = await tryImage(page, 'quay.io/prometheus/node-exporter:v1.8.2');
  assert.deepEqual(q.map((x) => x.releases), ['1.7–2.1', '2.2–2.3']);
  assert.deepEqual(q[0].resolve, ['https://quay.io/v2/prometheus/node-exporter/manifests/v1.8.2'], 'no directory covers quay.io');
  assert.match(q[0].text, /not covered/);
  const d = await tryImage(page, 'library/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
  assert.match(d[0].text, /Manifest by digest/);
  assert.equal(tools.length, 2, `fetched once: ${tools}`);

  for (const [name, viewport] of [['try-image-desktop', { width: 1280, height: 900 }], ['try-image-phone', { width: 390, height: 844 }]]) {
    await page.setViewportSize(viewport);
    await tryImage(page, 'nginx');
    await page.locator('.try-image').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
    if (viewport.width > 800) {
      // The answer scrolls on its own: the preview's file tree stays on screen below it.
      const tree = await page.locator('#file-tree').boundingBox();
      assert.ok(tree && tree.y < viewport.height, `the file tree is in view at ${tree?.y}px`);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name}: the page does not scroll sideways (${overflow}px)`);
  }
  assertClean(watch, 'try an image');
  await context.close();
});

test('简体中文, a range across 1.x and 2.x, a failing pull and an invalid reference', T, async () => {
  // Nodes that cannot reach Docker Hub, a pull-only mirror, and an http:// mirror with a CA (HTTPS first from
  // 1.6.32 / 1.7.16 / 2.0), on 1.6.20 – 2.3.x.
  const patch = {
    target: { min: '1.6.20', max: '2.3.x' },
    registries: [
      { upstream: 'docker.io', upstream_reachable: false, endpoints: [{ url: 'https://pull-only.example.com', kind: 'public_mirror' }] },
      { upstream: 'ghcr.io', endpoints: [{ url: 'http://ghcr-cache.example.com', tls: { ca: [{ path: '/etc/ssl/cache.pem' }] } }] },
    ],
  };
  const { context, page, watch } = await fresh({ fragment: encodeShareFragment(patch) });
  const hub = await tryImage(page, 'nginx:1.27');
  assert.ok(hub.length >= 1);
  for (const x of hub) assert.match(x.text, /The pull fails: No reachable host may resolve the tag/, `${x.releases}: the pull fails and says why`);
  assert.equal(await page.locator('#try-results .try-outcome.error').count(), hub.length);

  const ghcr = await tryImage(page, 'ghcr.io/owner/tool:1');
  assert.deepEqual(ghcr.map((x) => x.releases), ['1.6.20–1.6.31', '1.6.32–1.6.39', '1.7.0–1.7.15', '1.7.16–2.1', '2.2–2.3']);
  assert.ok(ghcr[0].resolve[0].startsWith('http://ghcr-cache.example.com/'), `1.6.20: plain http: ${ghcr[0].resolve}`);
  assert.ok(ghcr[1].resolve[0].startsWith('https://ghcr-cache.example.com/'), `1.6.32: HTTPS first: ${ghcr[1].resolve}`);
  const spans2x = ghcr.find((x) => x.releases === '1.7.16–2.1');
  assert.ok(spans2x, 'one answer for 1.7.16 up to 2.1, across the major versions');
  assert.match(spans2x.text, /ca \/etc\/ssl\/cache\.pem/);

  await page.selectOption('#lang', 'zh-CN');
  await page.waitForFunction(() => document.querySelector('#try-results')?.textContent.includes('解析标签'));
  const zh = await groups(page);
  assert.equal(zh.length, ghcr.length, 'the same answers, in Chinese');
  assert.match(zh[0].text, /能力：/);
  assert.match(await page.textContent('#try-summary'), /ghcr\.io\/owner\/tool:1：目标范围内有 \d+ 种不同的结论。/);
  assert.match(await page.textContent('label[for="try-image"]'), /镜像引用/);
  await tryImage(page, 'nginx');
  assert.match(await page.textContent('#try-results'), /拉取失败：/);

  // An invalid reference: a message at the box, no answer.
  await page.fill('#try-image', 'Nginx:Latest');
  const msg = page.locator('#try-image-msgs');
  await msg.waitFor();
  assert.ok((await msg.textContent()).length > 10);
  assert.equal(await page.getAttribute('#try-image', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#try-image', 'aria-describedby'), 'try-image-msgs');
  assert.equal(await page.$('#try-results'), null);
  await page.selectOption('#lang', 'en');
  assert.match(await msg.textContent(), /Error/);
  assertClean(watch, 'zh and failures');
  await context.close();
});

test('a tools module that cannot be loaded: the box says why, keeps what was typed, and the next keystroke retries', T, async () => {
  const { context, page, watch, tools } = await fresh();
  await context.route(/ccb-tools-[0-9a-f]+\.js$/, (route) => route.abort('connectionrefused'));
  await page.fill('#try-image', 'nginx');
  await page.waitForFunction(() => /could not be loaded/.test(document.querySelector('#try-summary')?.textContent ?? ''));
  assert.equal(await page.inputValue('#try-image'), 'nginx', 'what was typed is kept');
  assert.equal(await page.getAttribute('#try-summary', 'role'), 'status');

  await context.unroute(/ccb-tools-[0-9a-f]+\.js$/);
  await page.type('#try-image', ':1.27');
  await page.waitForSelector('#try-results .try-group');
  assert.match(await page.textContent('#try-summary'), /docker\.io\/library\/nginx:1\.27/);
  assert.ok(tools.length >= 3, `the glue asked for twice, then the wasm: ${tools}`);
  assert.deepEqual(watch.pageErrors, [], 'no page error');
  assert.ok(watch.failed.every((f) => TOOLS_MODULE.test(new URL(f.split(': ')[0]).pathname)), `${watch.failed}`);
  await context.close();
});
