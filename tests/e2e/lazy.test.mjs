// End-to-end tests of the merge in the lazily loaded tools module (src/lazy.rs, crates/web-tools; the same module
// answers the "Try an image" box, see explain.test.mjs): the page's first load does not fetch it; pasting a
// config.toml does, once, and the preview then shows the merged file; a slow load says so
// in the preview; a failed load says why at the pasted file, keeps everything typed, and the next paste retries.
// install.sh and README.txt come from the same module (src/lazy/scripts.rs): fetched when either is first shown or
// the bundle is downloaded.
// Run: `node tests/e2e/run.mjs` or `node --test tests/e2e/lazy.test.mjs` (CCB_DIST=… for another build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openPage, assertClean } from './lib/browser.mjs';
import { gotoApp, tab, openFile, waitForPreview } from './lib/app.mjs';
import { appSuite } from './lib/suite.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
const T = { timeout: 120_000 };
const TOOLS_MODULE = /\/ccb-tools-[0-9a-f]+(\.js|_bg\.wasm)$/;

const NODE_CONFIG = `version = 2
# the node's own comment, kept by the merge
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = true
`;

let server;
let browser;

appSuite(DIST, (opened) => ({ server, browser } = opened));

/** A page on the app whose requests for the tools module are recorded (paths, in order). */
async function fresh(opts) {
  const { context, page, watch } = await openPage(browser, server.origin, opts);
  const merge = [];
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (TOOLS_MODULE.test(p)) merge.push(p);
  });
  await gotoApp(page, server.origin);
  return { context, page, watch, merge };
}

async function paste(page, text) {
  await tab(page, 'apply');
  await page.fill('#existing-config', text);
}

test('the tools module is fetched only when a config.toml is pasted, once, and the preview shows the merged file', T, async () => {
  const { context, page, watch, merge } = await fresh();
  const index = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  assert.match(index, /<meta name="ccb-lazy-tools" content="\.\/ccb-tools-[0-9a-f]+\.js">/, 'index.html lists the tools module');
  await page.click('#add-registry');
  await page.fill('#f-registries-0-endpoints-0-url', 'https://mirror.example.com');
  await page.waitForTimeout(300);
  assert.deepEqual(merge, [], 'not requested before a config.toml is pasted');
  // The Apply section's files card ("Start from your own containerd files", import.test.mjs) and the export card
  // (formats.test.mjs) load it only when used.
  await tab(page, 'apply');
  await page.fill('#import-paste', NODE_CONFIG);
  await page.waitForTimeout(300);
  assert.deepEqual(merge, [], 'not requested by opening Apply or typing into the files card');
  // Nor by the k3s / Talos downloads' card there (formats.test.mjs): it loads the module on its first press.
  assert.ok(await page.isVisible('#export-k3s'), 'the export card is on the Apply section');
  await page.fill('#import-paste', '');

  await paste(page, NODE_CONFIG);
  const merged = await waitForPreview(page, 'config.toml', (t) => t.includes('config_path'), 'merged config.toml');
  assert.match(merged, /# the node's own comment, kept by the merge/);
  assert.match(merged, /SystemdCgroup = true/);
  assert.equal(merge.length, 2, `the glue and the wasm, once each: ${merge}`);
  assert.ok(merge[0].endsWith('.js') && merge[1].endsWith('_bg.wasm'), `${merge}`);
  assert.ok(await page.isHidden('#merge-loading'), 'no loading note once merged');
  assert.match(await page.textContent('#existing-status'), /Merged/);

  // Later pastes and edits merge synchronously with the module already there.
  await paste(page, NODE_CONFIG.replace('SystemdCgroup = true', 'SystemdCgroup = false'));
  await waitForPreview(page, 'config.toml', (t) => t.includes('SystemdCgroup = false') && t.includes('config_path'), 'merged again');
  await tab(page, 'registries');
  await page.fill('#f-registries-0-endpoints-0-url', 'https://other-mirror.example.com');
  await waitForPreview(page, 'certs.d/docker.io/hosts.toml', (t) => t.includes('other-mirror.example.com'), 'hosts.toml after an edit');
  assert.equal(merge.length, 2, `fetched once: ${merge}`);
  // The same module answers "Try an image": nothing more is fetched.
  await page.fill('#try-image', 'nginx');
  await page.waitForSelector('#try-results .try-group');
  assert.equal(merge.length, 2, `one module for the merge and the explain: ${merge}`);
  assertClean(watch, 'tools module');
  await context.close();
});

test('简体中文: a slow tools module is announced in the preview, then the merged file replaces the note', T, async () => {
  const { context, page, watch, merge } = await fresh({ locale: 'zh-CN' });
  let release;
  const held = new Promise((r) => (release = r));
  await context.route(/ccb-tools-[0-9a-f]+_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await paste(page, NODE_CONFIG);
  await page.waitForSelector('#merge-loading', { state: 'visible' });
  assert.match(await page.textContent('#merge-loading'), /正在加载合并功能/);
  assert.match(await page.textContent('#existing-status'), /正在加载合并功能/);
  release();
  await waitForPreview(page, 'config.toml', (t) => t.includes('config_path'), 'merged after the slow load');
  assert.ok(await page.isHidden('#merge-loading'), 'the note is gone');
  assert.equal(await page.inputValue('#existing-config'), NODE_CONFIG, 'the pasted text is kept');
  assert.equal(merge.length, 2, `${merge}`);
  assertClean(watch, 'slow tools module');
  await context.close();
});

test('a tools module that cannot be loaded: the page says why, keeps what was typed, and the next paste retries', T, async () => {
  const { context, page, watch, merge } = await fresh();
  await context.route(/ccb-tools-[0-9a-f]+\.js$/, (route) => route.abort('connectionrefused'));
  await page.click('#add-registry');
  await paste(page, NODE_CONFIG);
  const message = page.locator('#existing-config-msgs [data-code="M0-merge-unavailable"]');
  await message.waitFor();
  assert.match(await message.textContent(), /could not be loaded/);
  assert.match(await page.textContent('#existing-status'), /cannot be merged/);
  // Screen readers read the message with the box: it names the message list by its id.
  assert.equal(await page.getAttribute('#existing-config', 'aria-describedby'), 'existing-config-msgs');
  assert.equal(await page.inputValue('#existing-config'), NODE_CONFIG, 'the pasted text is kept');
  await tab(page, 'registries');
  assert.equal(await page.inputValue('#f-registries-0-upstream'), 'docker.io', 'the project is kept');
  assert.ok(await page.isDisabled('#download-bundle'), 'no bundle download without the merge');

  await context.unroute(/ccb-tools-[0-9a-f]+\.js$/);
  await paste(page, NODE_CONFIG + '\n');
  await waitForPreview(page, 'config.toml', (t) => t.includes('config_path'), 'merged after the retry');
  assert.ok(merge.length >= 3, `the glue asked for twice, then the wasm: ${merge}`);
  // The aborted request is the only failure, and the browser's own report of it the only console error.
  assert.deepEqual(watch.pageErrors, [], 'no page error');
  assert.ok(watch.failed.every((f) => TOOLS_MODULE.test(new URL(f.split(': ')[0]).pathname)), `${watch.failed}`);
  await context.close();
});

test('install.sh and README.txt: written by the tools module, fetched when one is first shown or the bundle downloaded, said meanwhile', T, async () => {
  const { context, page, watch, merge } = await fresh();
  await page.click('#add-registry');
  await page.fill('#f-registries-0-endpoints-0-url', 'https://mirror.example.com');
  await page.waitForTimeout(300);
  assert.deepEqual(merge, [], 'not requested by the first preview or an edit');
  let release;
  const held = new Promise((r) => (release = r));
  await context.route(/ccb-tools-[0-9a-f]+_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  // Shown before the module is there: the preview says it is being written, busy, with nothing to copy yet.
  await page.locator('#file-tree [data-path="install.sh"]').click();
  await page.waitForSelector('#preview-content[data-path="install.sh"][aria-busy="true"]');
  assert.match(await page.textContent('#preview-content'), /Being written: install\.sh and README\.txt/);
  assert.ok(await page.isDisabled('#copy-file') && await page.isDisabled('#download-file'), 'nothing to copy or save yet');
  assert.match(await page.textContent('.file-title'), /mode 0755 · being written/, 'no line count of a stand-in');
  assert.ok(await page.isEnabled('#download-bundle'), 'the bundle download stays offered: it loads the module first');
  release();
  const script = await waitForPreview(page, 'install.sh', (t) => t.startsWith('#!/bin/sh'), 'install.sh written');
  assert.match(script, /mirror\.example\.com/);
  assert.equal(merge.length, 2, `the glue and the wasm, once each: ${merge}`);
  assert.ok(await page.isEnabled('#copy-file'));
  assert.match(await page.textContent('.file-title'), /mode 0755 · \d{2,} lines/);
  // Later edits write both from the loaded module at once.
  await tab(page, 'registries');
  await page.fill('#f-registries-0-endpoints-0-url', 'https://other-mirror.example.com');
  await waitForPreview(page, 'README.txt', (t) => t.includes('other-mirror.example.com') && /\nAPPLY\n/.test(t), 'README.txt after an edit');
  assert.equal(merge.length, 2, `${merge}`);
  assertClean(watch, 'install.sh from the tools module');
  await context.close();
});

test('the bundle download loads the tools module first when nothing needed it yet, then downloads', T, async () => {
  const { context, page, watch, merge } = await fresh();
  await page.click('#add-registry');
  await page.fill('#f-registries-0-endpoints-0-url', 'https://mirror.example.com');
  assert.deepEqual(merge, []);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-bundle')]);
  assert.match(download.suggestedFilename(), /\.tar\.gz$/);
  const bytes = fs.readFileSync(await download.path());
  const tar = zlib.gunzipSync(bytes).toString('latin1');
  assert.ok(tar.includes('#!/bin/sh') && tar.includes('\nAPPLY\n'), 'install.sh and README.txt are written in the archive');
  assert.ok(!tar.includes('Being written'), 'never the stand-in');
  assert.equal(merge.length, 2, `${merge}`);
  assertClean(watch, 'bundle download');
  await context.close();
});

test('install.sh and README.txt when the tools module cannot be loaded: they say why, and showing one again retries', T, async () => {
  const { context, page, watch, merge } = await fresh();
  await context.route(/ccb-tools-[0-9a-f]+\.js$/, (route) => route.abort('connectionrefused'));
  await page.locator('#file-tree [data-path="README.txt"]').click();
  await page.waitForFunction(() => /could not be written/.test(document.querySelector('#preview-content')?.textContent ?? ''));
  assert.equal(await page.getAttribute('#preview-content', 'aria-busy'), 'true');
  assert.match(await page.textContent('#preview-content'), /a part of this page did not load/);
  assert.ok(await page.isDisabled('#copy-file'), 'nothing to copy');

  await context.unroute(/ccb-tools-[0-9a-f]+\.js$/);
  await openFile(page, 'config-fragment.toml');
  const readme = await waitForPreview(page, 'README.txt', (t) => /\nAPPLY\n/.test(t), 'README.txt after the retry');
  assert.doesNotMatch(readme, /could not be written/);
  assert.ok(merge.length >= 3, `the glue asked for twice, then the wasm: ${merge}`);
  assert.deepEqual(watch.pageErrors, [], 'no page error');
  assert.ok(watch.failed.every((f) => TOOLS_MODULE.test(new URL(f.split(': ')[0]).pathname)), `${watch.failed}`);
  await context.close();
});
