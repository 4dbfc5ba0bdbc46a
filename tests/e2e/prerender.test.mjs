// End-to-end tests of the prerendered first screen (crates/xtask/src/prerender.rs, scripts/prerender.mjs): a fresh
// visit in the default state sees the app's first screen, preview included, before the wasm has even arrived; it is
// inert until the app replaces it with the very same screen (no duplicate, no flash); every other first state — a
// share link, a query parameter, a saved draft, a Chinese browser, no WebAssembly — never has it in the page.
// Run: `node tests/e2e/run.mjs` or `node --test tests/e2e/prerender.test.mjs` (CCB_DIST=… for another build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openPage, assertClean } from './lib/browser.mjs';
import { encodeShareFragment } from './lib/app.mjs';
import { appSuite } from './lib/suite.mjs';
import { snapshotAtAppReady } from './lib/snapshot.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
const T = { timeout: 120_000 };
const MAIN_WASM = /\/containerd-config-builder-web-[0-9a-f]+_bg\.wasm$/;

let server;
let browser;
appSuite(DIST, (opened) => ({ server, browser } = opened));

const appReady = (page) => page.waitForFunction(() => performance.getEntriesByName('ccb-app-ready').length > 0, null, { timeout: 20_000 });

test('a fresh visit shows the first screen, preview included, before the wasm arrives; inert; then the app\'s own same screen', T, async () => {
  const index = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  assert.match(index, /<template id="ccb-prerender">/, 'index.html carries the prerendered first screen (xtask postbuild)');
  const { context, page, watch } = await openPage(browser, server.origin);
  // The main module is held back until the prerendered screen has been looked at.
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(MAIN_WASM, async (route) => {
    await held;
    await route.continue();
  });
  await page.addInitScript(snapshotAtAppReady);
  await page.goto(`${server.origin}/`, { waitUntil: 'commit' });
  await page.waitForFunction(() => performance.getEntriesByName('ccb-first-preview').length > 0);
  const before = await page.evaluate(() => {
    const shown = [...document.querySelectorAll('[data-ccb-prerender]')];
    return {
      detail: performance.getEntriesByName('ccb-first-preview')[0].detail,
      ready: performance.getEntriesByName('ccb-app-ready').length,
      top: shown.map((n) => n.parentNode === document.body),
      inert: shown.map((n) => n.inert),
      preview: document.querySelector('#preview-content')?.textContent ?? '',
      visible: !!document.querySelector('#preview-content')?.getClientRects().length,
      lang: document.documentElement.lang,
    };
  });
  assert.equal(before.detail, 'prerendered');
  assert.equal(before.ready, 0, 'the wasm has not run yet');
  assert.ok(before.top.length > 0 && before.top.every(Boolean), 'the screen is in <body>');
  assert.ok(before.inert.every(Boolean), 'every part of it is inert');
  assert.match(before.preview, /version = \d/, 'the preview shows a config.toml');
  assert.ok(before.visible, 'the preview is laid out');
  assert.equal(before.lang, 'en');
  // Inert: a click on the first input and typing reach nothing.
  await page.mouse.click(5, 5);
  await page.keyboard.type('x');
  assert.equal(await page.evaluate(() => document.activeElement === document.body || document.activeElement === null), true);

  release();
  await appReady(page);
  await page.waitForFunction(() => window.__ccbSnapshot);
  const after = await page.evaluate(async () => {
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    const html = await (await fetch(location.href)).text();
    const template = new DOMParser().parseFromString(html, 'text/html').querySelector('#ccb-prerender');
    const parsed = document.createElement('div');
    parsed.append(template.content.cloneNode(true));
    return {
      left: document.querySelectorAll('[data-ccb-prerender]').length,
      dupes: ids.filter((id, i) => ids.indexOf(id) !== i),
      prerendered: parsed.innerHTML,
      app: window.__ccbSnapshot.html,
      preview: document.querySelector('#preview-content').textContent,
    };
  });
  assert.equal(after.left, 0, 'the app took the prerendered screen out');
  assert.deepEqual(after.dupes, [], 'no id is in the page twice');
  assert.equal(after.preview, before.preview, 'the app shows the preview the prerendered screen showed');
  // The screen index.html carries is the app's own first screen, node for node (fails when it is stale).
  assert.equal(after.prerendered, after.app);
  assertClean(watch, 'a fresh visit');
  await context.close();
});

const KEY = 'containerd-config-builder.draft';
const LINK = encodeShareFragment({ registries: [{ upstream: 'docker.io', endpoints: [{ url: 'https://prerender-check.example.com' }] }] });
const CASES = [
  { what: 'a share link', url: `/#${LINK}`, expect: 'prerender-check.example.com' },
  { what: 'a query parameter', url: '/?theme=dark' },
  { what: 'a saved draft', url: '/', draft: LINK, expect: 'prerender-check.example.com' },
  { what: 'a Chinese browser', url: '/', locale: 'zh-CN', expect: '镜像' },
  { what: 'no WebAssembly', url: '/', noWasm: true },
];

for (const c of CASES) {
  test(`${c.what} never has the prerendered screen in the page`, T, async () => {
    const { context, page, watch } = await openPage(browser, server.origin, c.locale ? { locale: c.locale } : {});
    await page.addInitScript(({ key, draft, noWasm }) => {
      if (draft) localStorage.setItem(key, draft);
      if (noWasm) delete window.WebAssembly;
      window.__prerenderSeen = 0;
      new MutationObserver((records) => {
        for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1 && n.hasAttribute('data-ccb-prerender')) window.__prerenderSeen++;
      }).observe(document, { childList: true, subtree: true });
    }, { key: KEY, draft: c.draft, noWasm: !!c.noWasm });
    await page.goto(`${server.origin}${c.url}`, { waitUntil: 'load' });
    if (!c.noWasm) await appReady(page);
    // The registry card's fields come with the forms' chunk, right after the first render.
    const shows = (want) => document.body.innerText.includes(want) || [...document.querySelectorAll('input')].some((i) => i.value.includes(want));
    if (c.expect) await page.waitForFunction(shows, c.expect).catch(() => {});
    const seen = await page.evaluate((want) => ({
      seen: window.__prerenderSeen,
      template: !!document.querySelector('#ccb-prerender'),
      detail: performance.getEntriesByName('ccb-first-preview')[0]?.detail ?? null,
      shown: !want || document.body.innerText.includes(want) || [...document.querySelectorAll('input')].some((i) => i.value.includes(want)),
    }), c.expect);
    assert.equal(seen.seen, 0, 'no prerendered node was ever put into the page');
    assert.equal(seen.template, false, 'the gate dropped the template');
    assert.notEqual(seen.detail, 'prerendered');
    assert.ok(seen.shown, `the app shows its own first state (${c.expect})`);
    if (!c.noWasm) assertClean(watch, c.what);
    await context.close();
  });
}
