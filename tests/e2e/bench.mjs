// Performance numbers of the built app (dist/), measured in Debian's Chromium on 127.0.0.1 (scripts/bench.sh).
//  1. first preview: navigation start → performance.mark('ccb-first-preview'), median of RUNS fresh page loads (new
//     browser context each: no cache, no storage; requests watched but not intercepted, and the page untouched by
//     Playwright until the marks). The mark is set once the preview is rendered: by index.html's gate script in the
//     first task after the frame that draws the prerendered first screen (crates/xtask/src/prerender.rs), else by
//     the app after its first render (both before that frame reaches the screen, which the first contentful paint
//     says). Next to it, the same loads' 'ccb-app-ready' (the app rendered, its first
//     render's effects run: the page answers input) and first contentful paint;
//  2. keystroke → preview updated, with N registries loaded from a share-link fragment: a keydown listener
//     (capture phase) stamps performance.now(), a MutationObserver stamps the first change of #preview-content's
//     text after it; p50 / p95 over KEYS keystrokes typed into a mirror URL shown in the preview, with 1, 50 and 500 registries
//     (BENCH_REGISTRIES=1,50,500).
// Prints a human table and, last, one JSON line (prefix `BENCH_JSON `) for scripts.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

import { serve } from './lib/server.mjs';
import { launch, openPage, assertClean } from './lib/browser.mjs';
import { gotoApp, openFile, encodeShareFragment } from './lib/app.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
// Twenty: on a shared 2-core machine the median of ten loads of one build moved by 45 ms from run to run.
const RUNS = Number(process.env.BENCH_RUNS || 20);
const KEYS = Number(process.env.BENCH_KEYS || 40);
const WARMUP = 5;
const SIZES = (process.env.BENCH_REGISTRIES || '1,50,500').split(',').map(Number);

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const ms = (x) => `${x.toFixed(1)} ms`;

if (!fs.existsSync(path.join(DIST, 'index.html'))) {
  console.error(`${DIST}/index.html is missing: run \`trunk build --release\` first`);
  process.exit(2);
}
// Loads the app without touching the page until its first preview: Playwright's waits evaluate its own large
// script in the page, which, run during the load, delayed the mark by 25–50 ms. A PerformanceObserver added
// before the page's scripts reports the mark on the console, which the test process only listens to.
async function loadUntouched(page, origin) {
  await page.addInitScript(() => {
    new PerformanceObserver((list) => {
      if (list.getEntriesByName('ccb-app-ready').length) console.debug('ccb-app-ready');
    }).observe({ type: 'mark' });
  });
  const marked = page.waitForEvent('console', { predicate: (m) => m.text() === 'ccb-app-ready', timeout: 30_000 });
  await page.goto(`${origin}/`, { waitUntil: 'commit' });
  await marked;
}

const server = await serve(DIST);
const browser = await launch();
const result = { first_preview_ms: {}, keystroke_ms: {} };
try {
  // 1. First preview.
  const loads = [];
  for (let i = 0; i < RUNS; i++) {
    const { context, page, watch } = await openPage(browser, server.origin, { intercept: false });
    await loadUntouched(page, server.origin);
    // The first contentful paint is reported a frame after it: wait for it (a page is painted within the second).
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 5_000 }).catch(() => {});
    const t = await page.evaluate(() => ({
      mark: performance.getEntriesByName('ccb-first-preview')[0].startTime,
      ready: performance.getEntriesByName('ccb-app-ready')[0].startTime,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      prerendered: performance.getEntriesByName('ccb-first-preview')[0].detail === 'prerendered',
      dcl: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? NaN,
    }));
    assertClean(watch, `load ${i + 1}`);
    loads.push(t);
    await context.close();
  }
  const marks = loads.map((l) => l.mark);
  result.first_preview_ms = {
    runs: RUNS,
    median: quantile(marks, 0.5),
    min: Math.min(...marks),
    p25: quantile(marks, 0.25),
    p75: quantile(marks, 0.75),
    max: Math.max(...marks),
    dom_content_loaded_median: quantile(loads.map((l) => l.dcl), 0.5),
    app_ready_median: quantile(loads.map((l) => l.ready), 0.5),
    first_contentful_paint_median: quantile(loads.map((l) => l.fcp), 0.5),
    prerendered: loads.filter((l) => l.prerendered).length,
  };
  console.log(`first preview (navigation start → mark 'ccb-first-preview'), ${RUNS} fresh loads: ` +
    `median ${ms(result.first_preview_ms.median)} (quartiles ${ms(result.first_preview_ms.p25)} – ${ms(result.first_preview_ms.p75)}, ` +
    `min ${ms(result.first_preview_ms.min)}, max ${ms(result.first_preview_ms.max)}; ` +
    `DOMContentLoaded median ${ms(result.first_preview_ms.dom_content_loaded_median)}; ` +
    `prerendered first screen shown in ${result.first_preview_ms.prerendered} of ${RUNS})`);
  console.log(`first contentful paint, same loads: median ${ms(result.first_preview_ms.first_contentful_paint_median)}; ` +
    `app ready (mark 'ccb-app-ready': rendered by the wasm, answers input): median ${ms(result.first_preview_ms.app_ready_median)}`);

  // 2. Keystroke → preview.
  for (const n of SIZES) {
    const registries = Array.from({ length: n }, (_, i) => ({
      upstream: `r${i}.example.com`,
      endpoints: [{ url: `https://m${i}.example.com` }],
    }));
    const fragment = encodeShareFragment({ registries });
    const { context, page, watch } = await openPage(browser, server.origin);
    const t0 = Date.now();
    await gotoApp(page, server.origin, { fragment });
    const field = '#f-registries-0-endpoints-0-url';
    // With many registries the cards start folded: unfold the first one, as a user would.
    await page.waitForSelector('#f-registries-0-toggle');
    if (!(await page.$(field))) await page.click('#f-registries-0-toggle');
    await page.waitForSelector(field);
    const loadMs = Date.now() - t0;
    const mark = await page.evaluate(() => performance.getEntriesByName('ccb-first-preview')[0].startTime);
    await openFile(page, 'certs.d/r0.example.com/hosts.toml');
    await page.evaluate(() => {
      const w = window;
      w.__bench = { down: [], changed: [] };
      let last = document.querySelector('#preview-content')?.textContent;
      let pending = false;
      document.addEventListener('keydown', (e) => {
        if (e.key.length !== 1) return; // typed characters only (not the End that places the caret)
        w.__bench.down.push(performance.now());
        pending = true;
      }, { capture: true });
      new MutationObserver(() => {
        const now = performance.now();
        const text = document.querySelector('#preview-content')?.textContent;
        if (pending && text !== last) {
          w.__bench.changed.push(now);
          pending = false;
        }
        last = text;
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: false });
    });
    await page.click(field);
    await page.keyboard.press('End');
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    let typed = '';
    for (let k = 0; k < WARMUP + KEYS; k++) {
      typed += letters[k % letters.length];
      await page.keyboard.press(letters[k % letters.length]);
      await page.waitForFunction((want) => window.__bench.changed.length >= want, k + 1, { timeout: 30_000 });
    }
    const { down, changed } = await page.evaluate(() => window.__bench);
    const lat = down.slice(WARMUP).map((d, i) => changed[WARMUP + i] - d);
    const value = await page.inputValue(field);
    if (value !== `https://m0.example.com${typed}`) throw new Error(`typing went astray: ${value}`);
    assertClean(watch, `${n} registries`);
    await context.close();
    result.keystroke_ms[n] = { keys: lat.length, p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), max: Math.max(...lat), load_ms: loadMs, first_preview_ms: mark };
    console.log(`keystroke → preview, ${String(n).padStart(3)} registries (${lat.length} keys): p50 ${ms(quantile(lat, 0.5))}, ` +
      `p95 ${ms(quantile(lat, 0.95))}, max ${ms(Math.max(...lat))}  (page with them ready in ${loadMs} ms, first preview mark ${ms(mark)})`);
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`BENCH_JSON ${JSON.stringify(result)}`);
