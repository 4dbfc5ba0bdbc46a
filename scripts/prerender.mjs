// The page's first screen as HTML, for index.html to show before its wasm has started (`xtask postbuild` runs
// this on the built site and puts the result in a <template> that index.html's gate script shows when the page
// would start in its default state: see crates/xtask/src/prerender.rs).
//
// Loads DIST/index.html in Debian's Chromium (1280 × 800, en-US, light: the default state's first screen), and takes
// the nodes the app put into <body> at its mark `ccb-app-ready` (tests/e2e/lib/snapshot.mjs).
// Prints one JSON line: { html, lang, theme, title }. Exit 2 when Chromium is missing (postbuild then builds the page
// without a prerendered screen, and says so).
//
//   node scripts/prerender.mjs DIST
import fs from 'node:fs';
import path from 'node:path';
import { serve } from '../tests/e2e/lib/server.mjs';
import { CHROMIUM, launch } from '../tests/e2e/lib/browser.mjs';
import { snapshotAtAppReady } from '../tests/e2e/lib/snapshot.mjs';

const dist = process.argv[2];
if (!dist || !fs.existsSync(path.join(dist, 'index.html'))) {
  console.error('usage: node scripts/prerender.mjs DIST (a built site with its index.html)');
  process.exit(1);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`prerender: ${CHROMIUM} is missing (scripts/setup.sh installs it)`);
  process.exit(2);
}

const server = await serve(dist);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', colorScheme: 'light' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.addInitScript(snapshotAtAppReady);
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => window.__ccbSnapshot, null, { timeout: 30_000 });
  const snapshot = await page.evaluate(() => window.__ccbSnapshot);
  if (errors.length) throw new Error(`prerender: the page reported errors: ${errors.join('; ')}`);
  if (!snapshot.html.includes('id="preview-content"')) throw new Error('prerender: the first screen has no preview');
  process.stdout.write(JSON.stringify(snapshot) + '\n');
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
