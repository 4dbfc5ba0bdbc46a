// End-to-end tests of the page's split module (src/sections/split.rs, crates/xtask/src/split.rs): the forms after
// the first screen (target, Harbor, air-gap, auth, TLS, daemon, Apply) and an open registry card's fields are a
// wasm chunk of their own, fetched right after the first preview, never before it; every tab shows its form; a tab
// opened before the chunk arrived says it is loading and then shows the form; a registry added before it (the rules
// of every edit come with it) is added, with its fields and the focus, once it is there; a failed load says why,
// keeps the edit made meanwhile, and opening a tab again retries.
// The forms' English texts are not in the main module either: a text module (`ccb-forms-en-HASH.js`, written by
// `xtask text-modules`) fetched with the chunk; what the first screen shows (the Problems list's labels of those
// forms' fields, the downloads) stays in the main module, so no key of the text module is ever shown before it.
// Run: `node tests/e2e/run.mjs` or `node --test tests/e2e/split.test.mjs` (CCB_DIST=… for another build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openPage, assertClean } from './lib/browser.mjs';
import { gotoApp, tab, waitForPreview, encodeShareFragment } from './lib/app.mjs';
import { appSuite } from './lib/suite.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
const T = { timeout: 120_000 };
const CHUNK = /\/ccb-split-forms-[0-9a-f]+\.wasm$/;
const TEXTS = /\/ccb-forms-en-[0-9a-f]+\.js$/;
const LATER_TABS = ['target', 'harbor', 'airgap', 'auth', 'tls', 'daemon', 'apply'];

/** The keys of the forms' text module in dist (the JSON object its `texts()` returns). */
function formsKeys() {
  const file = fs.readdirSync(DIST).find((f) => /^ccb-forms-en-[0-9a-f]+\.js$/.test(f));
  assert.ok(file, 'dist has the forms\' text module');
  const registry = {};
  new Function('globalThis', fs.readFileSync(path.join(DIST, file), 'utf8'))(registry);
  return Object.keys(JSON.parse(registry.ccbLazy['forms-en'].exports.texts()));
}

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

/** Holds the requests for `parts` until the function returned is called. */
async function hold(context, parts) {
  let release;
  const held = new Promise((r) => { release = r; });
  for (const part of parts) await context.route(part, async (route) => { await held; await route.continue(); });
  return release;
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
  const texts = [];
  page.on('request', (r) => {
    const at = new URL(r.url()).pathname;
    if (CHUNK.test(at)) chunk.push(r.url());
    if (TEXTS.test(at)) texts.push(r.url());
  });
  await gotoApp(page, server.origin);
  await page.waitForFunction(() => ['ccb-split-forms-', 'ccb-forms-en-'].every((f) => performance.getEntriesByType('resource').some((e) => e.name.includes(f))));
  const [mark, fetched, textsFetched] = await page.evaluate(() => [
    performance.getEntriesByName('ccb-app-ready')[0].startTime,
    performance.getEntriesByType('resource').find((e) => /ccb-split-forms-/.test(e.name)).startTime,
    performance.getEntriesByType('resource').find((e) => /ccb-forms-en-/.test(e.name)).startTime,
  ]);
  assert.ok(fetched >= mark, `the chunk is requested after the app's first render (${fetched.toFixed(1)} ms ≥ ${mark.toFixed(1)} ms)`);
  assert.ok(textsFetched >= mark, `the forms' texts are requested after the app's first render (${textsFetched.toFixed(1)} ms ≥ ${mark.toFixed(1)} ms)`);

  // The first screen's list of registries is in the main module.
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
  // A registry card's fields come from the chunk too.
  await tab(page, 'registries');
  await page.click('#add-registry');
  await page.fill('#f-registries-0-endpoints-0-url', 'https://mirror.example.com');
  const upstream = await page.inputValue('#f-registries-0-upstream');
  await waitForPreview(page, `certs.d/${upstream}/hosts.toml`, (t) => t.includes('mirror.example.com'), 'the preview after a registry card');
  assert.equal(chunk.length, 1, `the chunk is fetched once: ${chunk}`);
  assert.equal(texts.length, 1, `the forms' texts are fetched once: ${texts}`);
  assertClean(watch);
  await context.close();
});

test('a tab opened before the chunk arrived says it is loading, then shows its form', T, async () => {
  const { context, page, watch } = await openPage(browser, server.origin);
  const release = await hold(context, [CHUNK]);
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

test('a registry added before the chunk arrived is added, with its fields and the focus, once it is there', T, async () => {
  const { context, page, watch } = await openPage(browser, server.origin);
  const release = await hold(context, [CHUNK]);
  await gotoApp(page, server.origin);
  // The rules of every edit come with the chunk: the click waits for it.
  await page.click('#add-registry');
  assert.equal(await page.locator('.registry.card').count(), 0, 'no registry before the chunk');
  release();
  await page.waitForSelector('#f-registries-0-endpoints-0-url');
  await page.waitForFunction(() => document.activeElement?.id === 'f-registries-0-endpoints-0-url', null, { timeout: 5000 })
    .catch(() => assert.fail('the new endpoint\'s URL field has the focus'));
  assert.equal(await page.locator('.registry.card').count(), 1, 'one click, one registry');
  await page.keyboard.type('https://typed.example.com');
  await waitForPreview(page, 'certs.d/docker.io/hosts.toml', (t) => t.includes('typed.example.com'), 'what was typed into the focused field');
  assertClean(watch);
  await context.close();
});

test('an image tried before the chunk arrived is answered once it is there (the chunk reads and lays out the answer)', T, async () => {
  const { context, page, watch } = await openPage(browser, server.origin);
  const release = await hold(context, [CHUNK]);
  await gotoApp(page, server.origin);
  await page.fill('#try-image', 'nginx');
  // The tools module answers, but the chunk that reads its answer is not there yet: the box says it is loading.
  await page.waitForFunction(() => /Loading/.test(document.querySelector('#try-summary')?.textContent ?? ''), null, { timeout: 10_000 })
    .catch(() => assert.fail('the box says it is loading'));
  assert.equal(await page.locator('#try-results .try-group').count(), 0);
  release();
  await page.waitForSelector('#try-results .try-group');
  assert.match(await page.textContent('#try-summary'), /docker\.io\/library\/nginx:latest/);
  assertClean(watch);
  await context.close();
});

test('on a slow CPU, a form of the chunk drawn for the first time still gets the focus asked for', T, async () => {
  const { context, page, watch } = await openPage(browser, server.origin);
  await gotoApp(page, server.origin);
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /ccb-split-forms-/.test(e.name) && e.responseEnd > 0));
  // Six times slower: the first render of the target form (V8 compiles its code then) takes over yew's 16 ms, and
  // yew yields a task before the field is there.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
  await page.click('#change-target');
  await page.waitForFunction(() => document.activeElement?.id === 'f-target-major', null, { timeout: 10_000 })
    .catch(() => assert.fail('the target form\'s first field has the focus'));
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  assertClean(watch);
  await context.close();
});

test('a chunk that cannot be loaded: the tab says why, an edit made meanwhile is kept, and opening a tab again retries', T, async () => {
  const { context, page, watch } = await openPage(browser, server.origin);
  await context.route(CHUNK, (route) => route.abort('connectionrefused'));
  await gotoApp(page, server.origin);
  await tab(page, 'tls');
  await page.waitForSelector('.section-body .lazy-wait.error');
  assert.match((await body(page)).waiting, /could not be loaded/);
  await tab(page, 'registries');
  await page.click('#add-registry');

  await context.unroute(CHUNK);
  await tab(page, 'tls');
  await waitForForm(page, 'TLS after the retry');
  await tab(page, 'registries');
  assert.equal(await page.locator('.registry.card').count(), 1, 'the registry added while the chunk was missing is there');
  await page.fill('#f-registries-0-endpoints-0-url', 'https://mirror.example.com');
  await waitForPreview(page, 'certs.d/docker.io/hosts.toml', (t) => t.includes('mirror.example.com'), 'the preview after the retry');
  // The refused request and the browser's report of it are the only failures.
  assert.deepEqual(watch.pageErrors, [], 'no page error');
  assert.ok(watch.failed.length >= 1 && watch.failed.every((f) => CHUNK.test(new URL(f.split(': ')[0]).pathname)), `${watch.failed}`);
  await context.close();
});

test('before the forms and their texts arrive, the first screen shows none of their keys, and their fields\' labels', T, async () => {
  const keys = formsKeys();
  assert.ok(keys.includes('harbor.intro') && keys.length > 200, `the forms' texts: ${keys.length} keys`);
  const { context, page, watch } = await openPage(browser, server.origin);
  const release = await hold(context, [CHUNK, TEXTS]);
  // Problems in the forms' fields: the Problems list of the first screen names them by their labels.
  const fragment = encodeShareFragment({
    harbor: { address: 'https://harbor.example.com/v2', mode: 'path', fallback_to_upstream: true, mappings: [{ upstream: 'docker.io', project: '' }] },
    daemon: { root: 'var/lib/containerd' },
  });
  await gotoApp(page, server.origin, { fragment });
  await tab(page, 'registries');
  const shown = await page.evaluate(() => document.body.innerText);
  const leaked = keys.filter((k) => new RegExp(`(^|[^\\w.])${k.replace(/[.]/g, '\\.')}($|[^\\w.])`).test(shown));
  assert.deepEqual(leaked, [], 'no key of the forms\' texts is shown');
  const problems = await page.textContent('section.summary');
  assert.match(problems, /Harbor address/, `the Problems list names the Harbor field: ${problems}`);
  assert.match(problems, /Daemon › root/, `and the daemon's: ${problems}`);
  assert.match(await page.textContent('#download-bundle'), /Download the bundle/);
  await tab(page, 'harbor');
  assert.match((await body(page)).waiting ?? '', /Loading this section/);
  release();
  await waitForForm(page, 'Harbor after the chunk and its texts arrived');
  assert.match(await page.textContent('.section-body'), /Harbor address/);
  assertClean(watch);
  await context.close();
});

test('forms\' texts that cannot be loaded: the tab says why, and opening it again retries', T, async () => {
  const { context, page, watch } = await openPage(browser, server.origin);
  await context.route(TEXTS, (route) => route.abort('connectionrefused'));
  await gotoApp(page, server.origin);
  await tab(page, 'daemon');
  await page.waitForSelector('.section-body .lazy-wait.error');
  assert.match((await body(page)).waiting, /could not be loaded/);
  await context.unroute(TEXTS);
  await tab(page, 'registries');
  await tab(page, 'daemon');
  await waitForForm(page, 'daemon after the retry');
  assert.doesNotMatch(await page.textContent('.section-body'), /\bdaemon\.[a-z_]+/, 'the form speaks, not its keys');
  assert.deepEqual(watch.pageErrors, [], 'no page error');
  assert.ok(watch.failed.length >= 1 && watch.failed.every((f) => TEXTS.test(new URL(f.split(': ')[0]).pathname)), `${watch.failed}`);
  await context.close();
});
