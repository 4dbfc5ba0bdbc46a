// Keystroke cost (issue 8): the address bar and the saved draft re-encode the whole project, so they are written
// once the browser is idle, not inside every keystroke — and never lose the last edit. Run: `node
// tests/e2e/run.mjs tests/e2e/perf.test.mjs` against `dist/` (or `$CCB_DIST`). Timings are `make bench`'s job:
// these tests count writes, which depends little on how loaded the machine is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openPage, assertClean } from './lib/browser.mjs';
import { gotoApp, tab, encodeShareFragment, decodeShareFragment } from './lib/app.mjs';
import { appSuite } from './lib/suite.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
const T = { timeout: 120_000 };
const URL0 = '#f-registries-0-endpoints-0-url';
const PATCH = { registries: [{ upstream: 'r0.example.com', endpoints: [{ url: 'https://m0.example.com' }] }] };

let server;
let browser;

appSuite(DIST, (opened) => ({ server, browser } = opened));

/** Types `text` at the end of `selector`, one input event per task, each task queued right after the last one
 * (a MessageChannel, which browsers do not throttle as they do nested timers): typing faster than the page idles.
 * Resolves with the number of `history.replaceState` calls made until the last keystroke was handled. */
async function burst(page, selector, text) {
  return page.evaluate(([sel, text]) => new Promise((resolve) => {
    const input = document.querySelector(sel);
    input.focus();
    const chars = [...text];
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const ch = chars.shift();
      if (ch === undefined) return resolve(window.__replaceStateCalls);
      input.value += ch;
      input.dispatchEvent(new InputEvent('input', { bubbles: true, data: ch, inputType: 'insertText' }));
      channel.port2.postMessage(0);
    };
    channel.port2.postMessage(0);
  }), [selector, text]);
}

test('a burst of keystrokes writes the address bar once, after it, with the last state', T, async () => {
  const { context, page, watch } = await openPage(browser, server.origin);
  await gotoApp(page, server.origin, { fragment: encodeShareFragment(PATCH) });
  await page.waitForSelector(URL0);
  await page.evaluate(() => {
    window.__replaceStateCalls = 0;
    const original = history.replaceState.bind(history);
    history.replaceState = (...args) => {
      window.__replaceStateCalls += 1;
      return original(...args);
    };
  });
  const typed = 'abcdefghijklmnopqrst';
  const duringBurst = await burst(page, URL0, typed);
  // Each keystroke used to write it (20 here); an idle moment may still come between two of them.
  assert.ok(duringBurst < typed.length / 2, `the address bar written ${duringBurst} times for ${typed.length} keystrokes`);
  const want = `https://m0.example.com${typed}`;
  await page.waitForFunction(() => window.__replaceStateCalls > 0);
  // One idle moment later: written once, with the last keystroke in it.
  await page.waitForTimeout(300);
  const calls = await page.evaluate(() => window.__replaceStateCalls);
  assert.ok(calls >= 1 && calls <= duringBurst + 1, `one write after the burst (${duringBurst} during it, ${calls} in all)`);
  const json = JSON.parse(decodeShareFragment(page.url()));
  assert.equal(json.p.registries[0].endpoints[0].url, want);
  assertClean(watch, 'typing');
  await context.close();
});

test('the saved draft keeps the last keystroke even when the page is left at once', T, async () => {
  const { context, page, watch } = await openPage(browser, server.origin);
  await gotoApp(page, server.origin, { fragment: encodeShareFragment(PATCH) });
  await tab(page, 'apply');
  await page.check('#remember-draft');
  await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.includes('draft')));
  await tab(page, 'registries');
  // Typed and left in the same task: only the pagehide flush can save it.
  await Promise.all([page.waitForEvent('load'), page.evaluate((sel) => {
    const input = document.querySelector(sel);
    input.value += '-last';
    input.dispatchEvent(new InputEvent('input', { bubbles: true, data: '-last', inputType: 'insertText' }));
    location.replace(location.pathname);
  }, URL0)]);
  await page.waitForFunction(() => performance.getEntriesByName('ccb-app-ready').length > 0);
  await page.waitForSelector(URL0);
  assert.equal(await page.inputValue(URL0), 'https://m0.example.com-last', 'the draft holds the last edit');
  assertClean(watch, 'leaving right after an edit');
  await context.close();
});
