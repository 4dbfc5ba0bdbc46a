// End-to-end tests of the page's split module (src/sections/split.rs, crates/xtask/src/split.rs): the forms after
// the first screen (Harbor, air-gap, auth, TLS, daemon, Apply) are a wasm chunk of their own, fetched right after
// the first preview, never before it; every tab shows its form; a tab opened before the chunk arrived says it is
// loading and then shows the form; a failed load says why, keeps what was typed, and opening the tab again retries.
// Run: `node tests/e2e/run.mjs` or `node --test tests/e2e/split.test.mjs` (CCB_DIST=… for another build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openPage, assertClean } from './lib/browser.mjs';
import { gotoApp, tab, waitForPreview } from './lib/app.mjs';
import { appSuite } from './lib/suite.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
const T = { timeout: 120_000 };
const CHUNK = /\/ccb-split-forms-[0-9a-f]+\.wasm$/;
const LATER_TABS = ['harbor', 'airgap', 'auth', 'tls', 'daemon', 'apply'];

let server;
let browser;

appSuite(DIST, (opened) => ({ server, browser } = opened));

/** What the open section's body shows: the loading / failure note of the split, or a form. */
async function body(page) {
  return page.$eval('.section-body', (b) => ({
    waiting: b.querySelector('.lazy-wait')?.textContent ?? null,
    failed: !!b.querySelector('.lazy-wait.error'),
    fields: b.querySelectorAll('input, select, textarea, button').length,
  }));
}

async function waitForForm(page, what) {
  await page.waitForFunction(() => {
    const b = document.querySelector('.section-body');
    return b && !b.querySelector('.lazy-wait') && b.querySelectorAll('input, select, textarea, button').length > 0;
  }, null, { timeout: 10_000 }).catch(() => assert.fail(`${what}: the form did not appear`));
}

test('the forms after the first screen are a chunk fetched after the first preview; every tab shows its form', T, async () => {
  const dist = fs.readdirSync(DIST);
  assert.equal(dist.filter((f) => /^ccb-split-forms-[0-9a-f]+\.wasm$/.test(f)).length, 1, `one forms chunk in dist: ${dist}`);
  const index = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  assert.doesNotMatch(index, /ccb-split-forms/, 'the chunk is not preloaded by index.html');
  assert.match(index, /<link rel="modulepreload" href="\.\/ccb-split-[0-9a-f]+\.js" crossorigin="anonymous" integrity="sha384-/);

  const { context, page, watch } = await openPage(browser, server.origin);
  const chunk = [];
  page.on('request', (r) => { if (CHUNK.test(new URL(r.url()).pathname)) chunk.push(r.url()); });
  await gotoApp(page, server.origin);
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /ccb-split-forms-/.test(e.name)));
  const [mark, fetched] = await page.evaluate(() => [
    performance.getEntriesByName('ccb-first-preview')[0].startTime,
    performance.getEntriesByType('resource').find((e) => /ccb-split-forms-/.test(e.name)).startTime,
  ]);
  assert.ok(fetched >= mark, `the chunk is requested after the first preview (${fetched.toFixed(1)} ms ≥ ${mark.toFixed(1)} ms)`);

  // The first screen's forms are in the main module.
  await tab(page, 'registries');
  assert.equal((await body(page)).waiting, null, 'Registries never waits for the chunk');
  for (const name of LATER_TABS) {
    await tab(page, name);
    await waitForForm(page, name);
  }
  // A form of the chunk works: a Harbor mapping shows in the preview.
  await page.selectOption('#preset', 'harbor-proxy-cache');
  await tab(page, 'harbor');
  await page.fill('#f-harbor-address', 'https://cr.corp.example.net');
  await waitForPreview(page, 'certs.d/docker.io/hosts.toml', (t) => t.includes('cr.corp.example.net'), 'the preview after the Harbor form');
  assert.equal(chunk.length, 1, `the chunk is fetched once: ${chunk}`);
  assertClean(watch);
  await context.close();
});

test('a tab opened before the chunk arrived says it is loading, then shows its form', T, async () => {
  const { context, page, watch } = await openPage(browser, server.origin);
  let release;
  const held = new Promise((r) => { release = r; });
  await context.route(CHUNK, async (route) => { await held; await route.continue(); });
  await gotoApp(page, server.origin);
  await tab(page, 'auth');
  const waiting = await body(page);
  assert.match(waiting.waiting ?? '', /Loading this section/, 'the note while the chunk is on its way');
  assert.equal(waiting.failed, false);
  assert.equal(await page.getAttribute('.section-body .lazy-wait', 'role'), 'status', 'announced to screen readers');
  release();
  await waitForForm(page, 'auth after the chunk arrived');
  assertClean(watch);
  await context.close();
});

test('a chunk that cannot be loaded: the tab says why, what was typed is kept, and opening it again retries', T, async () => {
  const { context, page, watch } = await openPage(browser, server.origin);
  await context.route(CHUNK, (route) => route.abort('connectionrefused'));
  await gotoApp(page, server.origin);
  await page.click('#add-registry');
  await page.fill('#f-registries-0-endpoints-0-url', 'https://mirror.example.com');
  await tab(page, 'tls');
  await page.waitForSelector('.section-body .lazy-wait.error');
  assert.match((await body(page)).waiting, /could not be loaded/);

  await context.unroute(CHUNK);
  await tab(page, 'registries');
  assert.equal(await page.inputValue('#f-registries-0-endpoints-0-url'), 'https://mirror.example.com', 'nothing typed is lost');
  await tab(page, 'tls');
  await waitForForm(page, 'TLS after the retry');
  // The refused request and the browser's report of it are the only failures.
  assert.deepEqual(watch.pageErrors, [], 'no page error');
  assert.ok(watch.failed.length >= 1 && watch.failed.every((f) => CHUNK.test(new URL(f.split(': ')[0]).pathname)), `${watch.failed}`);
  await context.close();
});
