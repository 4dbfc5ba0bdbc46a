// End-to-end tests of the page's Chinese texts, a text module loaded on demand (src/i18n/mod.rs `load_zh`, written
// by `cargo run -p xtask -- text-modules`): an English page never fetches it; a page that opens in Chinese fetches it
// before its first render, so no English shows for a moment; switching the language fetches it once; a failed load
// keeps the page in English, says why, and the next switch tries again; the offline file carries it inline. The
// module carries the core's Chinese words too (diagnostics, the generated files), which the page's wasm does not hold.
// Run: `node tests/e2e/run.mjs` or `node --test tests/e2e/i18n.test.mjs` (CCB_DIST=… for another build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { openPage, assertClean } from './lib/browser.mjs';
import { gotoApp, waitForPreview } from './lib/app.mjs';
import { appSuite } from './lib/suite.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
const T = { timeout: 120_000 };
const ZH_MODULE = /\/ccb-zh-[0-9a-f]+\.js$/;
const TAB_EN = 'Registries & mirrors';
const TAB_ZH = '仓库与镜像';

let server;
let browser;

appSuite(DIST, (opened) => ({ server, browser } = opened));

/** A page whose requests for the Chinese texts are counted, and which records whether the English name of the
 * registries tab was ever in the document (a flash of English before the Chinese texts arrived). */
async function fresh(opts = {}) {
  const { context, page, watch } = await openPage(browser, server.origin, opts);
  const zh = [];
  page.on('request', (r) => {
    if (ZH_MODULE.test(new URL(r.url()).pathname)) zh.push(r.url());
  });
  await page.addInitScript((english) => {
    window.__sawEnglish = false;
    new MutationObserver(() => {
      if (document.body?.textContent.includes(english)) window.__sawEnglish = true;
    }).observe(document, { subtree: true, childList: true, characterData: true });
  }, TAB_EN);
  await gotoApp(page, server.origin);
  return { context, page, watch, zh };
}

const tabName = (page) => page.textContent('#tab-registries');

// A diagnostic of the core (validate/names.rs, N3) and a line of README.txt (render/catalogue.rs `readme.files`),
// in the words the page shows in Chinese; the first line of every generated file (catalogue `header`), as the
// page's zh text module words it.
const N3_ZH = '"Quay.io" 含有大写字母；镜像名使用小写，且 certs.d 目录匹配区分大小写。请写成 "quay.io"。';
const README_ZH = '文件（路径相对于 /etc/containerd）';
const HEADER_ZH = '生成，适用于 {target}';

/** Adds a registry named Quay.io; returns its field message and the Problems list, once the page shows them. */
async function upperCaseRegistry(page) {
  await page.click('#add-registry');
  await page.fill('#f-registries-0-upstream', 'Quay.io');
  await page.waitForSelector('#f-registries-0-upstream-msgs');
  return { field: await page.textContent('#f-registries-0-upstream-msgs'), problems: await page.textContent('#summary-list') };
}

test('an English page never fetches the Chinese texts; switching to Chinese fetches them once', T, async () => {
  const index = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  assert.match(index, /<meta name="ccb-lazy-zh" content="\.\/ccb-zh-[0-9a-f]+\.js">/, 'index.html lists the Chinese texts');
  const { context, page, watch, zh } = await fresh();
  assert.match(await tabName(page), new RegExp(TAB_EN));
  await page.waitForTimeout(300);
  assert.deepEqual(zh, [], 'an English page does not fetch the Chinese texts');

  await page.selectOption('#lang', 'zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.match(await tabName(page), new RegExp(TAB_ZH));
  assert.equal(await page.title(), 'containerd 配置生成器');
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.selectOption('#lang', 'zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.equal(zh.length, 1, `fetched once: ${zh}`);
  assertClean(watch);
  await context.close();
});

test('a page that opens in Chinese shows no English first', T, async () => {
  const { context, page, watch, zh } = await fresh({ locale: 'zh-CN' });
  assert.match(await tabName(page), new RegExp(TAB_ZH));
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.equal(await page.evaluate(() => window.__sawEnglish), false, 'the English tab name never appeared');
  // The first bundle too: its files' comments are the core's Chinese words before anything is edited (the first
  // state is made before the Chinese texts arrive; it is written again once they are there).
  const first = await page.textContent('#preview-content');
  assert.match(first, /# 由 containerd-config-builder .* 生成，适用于 containerd/, first);
  assert.doesNotMatch(first, /Generated by containerd-config-builder/, first);
  assert.equal(zh.length, 1);
  assertClean(watch);
  await context.close();
});

test('a page that opens in Chinese (or dark) has its lang and theme before its first render, not after', T, async () => {
  const { context, page, watch } = await openPage(browser, server.origin, { locale: 'zh-CN' });
  // In the order they happen: whether the page had any of the app's DOM when <html lang> / data-theme became the
  // page's own. Set in an effect after the first render, they restyled and relaid the page after its first paint,
  // and a first paint under lang="en" may draw Chinese text in another face.
  await page.addInitScript(() => {
    window.__rootAttrs = [];
    let rendered = false;
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'childList' && [...r.addedNodes].some((n) => n.nodeType === 1 && (n.id === 'preview-content' || n.querySelector?.('#preview-content')))) rendered = true;
        if (r.type === 'attributes' && r.target === document.documentElement) {
          window.__rootAttrs.push({ name: r.attributeName, value: document.documentElement.getAttribute(r.attributeName), rendered });
        }
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['lang', 'data-theme'] });
  });
  await gotoApp(page, server.origin, { query: 'theme=dark' });
  const attrs = await page.evaluate(() => window.__rootAttrs);
  const first = (name) => attrs.find((a) => a.name === name);
  assert.deepEqual(first('lang'), { name: 'lang', value: 'zh-CN', rendered: false }, JSON.stringify(attrs));
  assert.deepEqual(first('data-theme'), { name: 'data-theme', value: 'dark', rendered: false }, JSON.stringify(attrs));
  assertClean(watch);
  await context.close();
});

test("a page that opens in Chinese shows the core's diagnostics and generated files in the module's words", T, async () => {
  // The module is served with two of the core's texts marked: what the page shows comes from it, not from its wasm.
  // (README.txt and install.sh are written by the tools module, with the Chinese texts compiled in: the marked
  // line is the first line of a file the page writes itself.)
  const { context, page, watch } = await openPage(browser, server.origin, { locale: 'zh-CN' });
  await context.route(ZH_MODULE, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('含有大写字母', '含有【大写】字母').replace(HEADER_ZH, '生成，【模块】适用于 {target}');
    await route.fulfill({ response, body });
  });
  await gotoApp(page, server.origin);
  const shown = await upperCaseRegistry(page);
  const marked = N3_ZH.replace('含有大写字母', '含有【大写】字母');
  assert.ok(shown.field.includes(marked), shown.field);
  assert.ok(shown.problems.includes(marked), shown.problems);
  const hosts = await waitForPreview(page, 'certs.d/Quay.io/hosts.toml', (t) => t.includes('【模块】'), 'hosts.toml in Chinese');
  assert.match(hosts.split('\n')[0], /^# 由 containerd-config-builder .* 生成，【模块】适用于 containerd/, hosts);
  // README.txt, from the tools module, speaks Chinese too.
  assert.ok((await waitForPreview(page, 'README.txt', (t) => t.includes(README_ZH), 'README.txt in Chinese')).includes('\n应用\n'));
  assertClean(watch);
  await context.close();
});

test('when the Chinese texts cannot be loaded the page stays in English, says why, and tries again', T, async () => {
  const { context, page, watch, zh } = await fresh();
  await context.route(ZH_MODULE, (route) => route.abort('connectionrefused'));
  await page.selectOption('#lang', 'zh-CN');
  await page.waitForSelector('#notice');
  assert.match(await page.textContent('#notice'), /Chinese texts of the page could not be loaded/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.match(await tabName(page), new RegExp(TAB_EN));
  assert.equal(await page.inputValue('#lang'), 'en', 'the language menu shows the language the page speaks');

  await context.unroute(ZH_MODULE);
  await page.selectOption('#lang', 'zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.match(await tabName(page), new RegExp(TAB_ZH));
  assert.equal(zh.length, 2, 'one failed fetch, one that worked');
  // The refused request is the only failure, and the browser's own report of it the only console error.
  assert.equal(watch.pageErrors.length, 0, `${watch.pageErrors}`);
  assert.ok(watch.failed.every((f) => ZH_MODULE.test(new URL(f.split(': ')[0]).pathname)), `${watch.failed}`);
  await context.close();
});

test('the offline file speaks Chinese with the network off', T, async (t) => {
  const file = path.join(DIST, 'containerd-config-builder.html');
  if (!fs.existsSync(file)) return t.skip('no offline file in this dist (run `cargo run -p xtask -- postbuild DIST`)');
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ locale: 'zh-CN' });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.setOffline(true);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('ccb-app-ready').length > 0);
  assert.match(await tabName(page), new RegExp(TAB_ZH));
  // The core's words too: a diagnostic and a line of README.txt.
  const shown = await upperCaseRegistry(page);
  assert.ok(shown.field.includes(N3_ZH) && shown.problems.includes(N3_ZH), `${shown.field}\n${shown.problems}`);
  assert.ok((await waitForPreview(page, 'README.txt', (t) => t.includes(README_ZH), 'README.txt in Chinese')).includes('\n应用\n'));
  assert.deepEqual(errors, []);
  assert.ok(requests.every((u) => /^(data|blob):/.test(u) || u.split('#')[0] === url), `only the file itself: ${requests}`);
  await context.close();
});
