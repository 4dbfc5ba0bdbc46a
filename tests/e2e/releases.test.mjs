// containerd as it is today (issue 9) in the page: the default range a newcomer starts with, each release line's
// support status where the range is chosen (stored data "as of 2026-08", never the clock), in both languages, and
// the config version the range implies in the preview (2.3+ only: version 4). Run: `node tests/e2e/run.mjs
// tests/e2e/releases.test.mjs` against `dist/` (or `$CCB_DIST`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openPage, assertClean } from './lib/browser.mjs';
import { gotoApp, tab, filePaths, waitForPreview } from './lib/app.mjs';
import { appSuite } from './lib/suite.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
const T = { timeout: 120_000 };

let server;
let browser;

appSuite(DIST, (opened) => ({ server, browser } = opened));

async function fresh(opts = {}) {
  const { context, page, watch } = await openPage(browser, server.origin, opts);
  page.on('dialog', (d) => d.accept());
  await gotoApp(page, server.origin, opts);
  return {
    page,
    done: async (what) => {
      assertClean(watch, what);
      await context.close();
    },
  };
}

const releaseLines = (page) => page.$$eval('#target-releases li', (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));

async function setVersion(page, field, value) {
  await page.fill(`#f-target-${field}`, value);
  await page.press(`#f-target-${field}`, 'Tab');
}

test('a newcomer starts on containerd 1.7 through 2.3, and Target says how each line is supported', T, async () => {
  const { page, done } = await fresh();
  const line = await page.textContent('#target-line-text');
  assert.match(line, /1\.7\.0 – 2\.3\.x/, `the default range is what people run today: ${line}`);
  await tab(page, 'target');
  const lines = await releaseLines(page);
  assert.deepEqual(lines.map((l) => l.split(' ')[0]), ['1.7', '2.0', '2.1', '2.2', '2.3'], lines.join('\n'));
  const of = (v) => lines.find((l) => l.startsWith(`${v} `));
  assert.match(of('2.3'), /LTS.*2028-04-30/, of('2.3'));
  assert.match(of('2.3'), /2\.3\.4/, `latest patch: ${of('2.3')}`);
  assert.match(of('2.2'), /2026-11-06/, of('2.2'));
  assert.match(of('2.1'), /end of life.*2026-07-03/i, of('2.1'));
  assert.match(of('1.7'), /1\.7\.34/, of('1.7'));

  // Debian 12's containerd: 1.6 is end of life, and the tool still supports it.
  await setVersion(page, 'min', '1.6.20');
  await page.waitForFunction(() => document.querySelector('#target-releases')?.textContent.includes('1.6'));
  const with16 = await releaseLines(page);
  const l16 = with16.find((l) => l.startsWith('1.6 '));
  assert.match(l16, /end of life.*2025-08-23/i, l16);
  assert.match(l16, /still supported by this tool/i, l16);
  await done('release statuses');
});

test('简体中文: the release statuses speak Chinese', T, async () => {
  const { page, done } = await fresh({ query: 'lang=zh' });
  await tab(page, 'target');
  const lines = await releaseLines(page);
  const l21 = lines.find((l) => l.startsWith('2.1 '));
  assert.ok(l21 && /[\u4e00-\u9fff]/.test(l21) && l21.includes('2026-07-03'), `2.1 in Chinese: ${l21}`);
  assert.doesNotMatch(lines.join('\n'), /end of life|supported until/i, 'no English left');
  await done('zh release statuses');
});

test('a 2.3+-only range writes config version 4, and the target line says so', T, async () => {
  const { page, done } = await fresh();
  await tab(page, 'target');
  await setVersion(page, 'min', '2.3.0');
  await page.waitForFunction(() => /config version 4/.test(document.querySelector('#target-line-text')?.textContent ?? ''));
  const config = (await filePaths(page)).find((p) => p.endsWith('.toml') && !p.includes('hosts.toml'));
  assert.ok(config, `a config settings file in the bundle: ${await filePaths(page)}`);
  await waitForPreview(page, config, (t) => /^version = 4$/m.test(t), `${config} for 2.3.0 – 2.3.x`);
  await done('version 4');
});
