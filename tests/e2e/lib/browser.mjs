// Debian's Chromium driven by playwright-core (never `npx playwright install`: no browser is downloaded).
// Every page is watched: console errors, page errors, failed requests and any request that leaves the page's
// own origin are collected, and `assertClean` fails the test on any of them. Requests to other origins are
// also aborted, so no test can depend on the network.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

export const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launch() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (scripts/setup.sh)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** A fresh context (own storage, downloads allowed) and page watched as described above. With `intercept: false`
 * (the timings of bench.mjs) requests are only watched, not routed through Playwright: routing every request of
 * the page through the test process added ≈ 80 ms to a first load on loopback, a delay no user has. */
export async function openPage(browser, origin, { viewport = { width: 1280, height: 800 }, locale = 'en-US', intercept = true } = {}) {
  const context = await browser.newContext({ viewport, locale, acceptDownloads: true });
  const watch = { consoleErrors: [], pageErrors: [], foreign: [], failed: [], dialogs: [] };
  if (intercept) {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (sameOrigin(url, origin)) return route.continue();
      watch.foreign.push(url);
      return route.abort('blockedbyclient');
    });
  }
  const page = await context.newPage();
  // Fail fast: nothing in this app takes seconds (Playwright's default wait is 30 s).
  page.setDefaultTimeout(10_000);
  watchPage(page, origin, watch);
  return { context, page, watch };
}

export function watchPage(page, origin, watch) {
  page.on('console', (m) => {
    if (m.type() === 'error') watch.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => watch.pageErrors.push(String(e && e.stack ? e.stack : e)));
  page.on('request', (r) => {
    if (!sameOrigin(r.url(), origin)) watch.foreign.push(r.url());
  });
  page.on('requestfailed', (r) => {
    if (sameOrigin(r.url(), origin)) watch.failed.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (sameOrigin(r.url(), origin) && r.status() >= 400) watch.failed.push(`${r.url()}: HTTP ${r.status()}`);
  });
  return watch;
}

/** data:, blob: and about: are part of the page itself (favicon, downloads made in the page). */
function sameOrigin(url, origin) {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

export function assertClean(watch, what = 'the page') {
  const uniq = (a) => [...new Set(a)];
  assert.deepEqual(uniq(watch.pageErrors), [], `${what}: page errors`);
  assert.deepEqual(uniq(watch.consoleErrors), [], `${what}: console errors`);
  assert.deepEqual(uniq(watch.foreign), [], `${what}: requests to other origins`);
  assert.deepEqual(uniq(watch.failed), [], `${what}: failed requests`);
}

export function tmpDir(prefix = 'ccb-e2e-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
