// Helpers that speak the app's DOM contract (ids agreed between the sections, the preview and these tests).
import assert from 'node:assert/strict';
import zlib from 'node:zlib';

/** Loads the app and waits until it has rendered and answers input (mark ccb-app-ready; a prerendered first screen may be shown before, inert). */
export async function gotoApp(page, origin, { query = '', fragment = '' } = {}) {
  const url = `${origin}/${query ? `?${query}` : ''}${fragment ? `#${fragment}` : ''}`;
  await page.goto(url);
  await page.waitForSelector('#preview-content');
  await page.waitForFunction(() => performance.getEntriesByName('ccb-app-ready').length > 0);
}

export async function tab(page, name) {
  await page.click(`#tab-${name}`);
  await page.waitForSelector(`#tab-${name}[aria-selected="true"]`);
}

export async function filePaths(page) {
  return page.$$eval('#file-tree [data-path]', (els) => els.map((e) => e.getAttribute('data-path')));
}

export async function openFile(page, path) {
  const button = page.locator(`#file-tree [data-path="${path}"]`);
  await button.scrollIntoViewIfNeeded();
  await button.click();
  // install.sh and README.txt are `aria-busy` until the tools module has written them (src/lazy/scripts.rs).
  await page.waitForSelector(`#preview-content[data-path="${path}"]:not([aria-busy])`);
}

export async function previewText(page) {
  return page.$eval('#preview-content', (e) => e.textContent);
}

/** Waits until the preview shows `path` with a text for which `pred` holds; returns that text. */
export async function waitForPreview(page, path, pred, what = 'the preview') {
  const deadline = Date.now() + 5000;
  let text = '';
  for (;;) {
    const shown = await page.getAttribute('#preview-content', 'data-path');
    if (shown !== path) await openFile(page, path);
    text = await previewText(page);
    if (pred(text)) return text;
    if (Date.now() > deadline) assert.fail(`${what}: ${path} never matched; it shows:\n${text}`);
    await page.waitForTimeout(50);
  }
}

/** Every file of the preview: { path: text }. */
export async function allPreviewFiles(page) {
  const out = {};
  for (const p of await filePaths(page)) {
    await openFile(page, p);
    out[p] = await previewText(page);
  }
  return out;
}

/** `[host."URL"]` table headers of a hosts.toml, in file order (= try order). */
export function hostOrder(text) {
  return [...text.matchAll(/^\s*\[host\.(?:"([^"]+)"|'([^']+)')\]/gm)].map((m) => m[1] ?? m[2]);
}

/** Decodes a share link's fragment (`c1.<base64url JSON>` / `z1.<base64url raw deflate>`) to its JSON text. */
export function decodeShareFragment(link) {
  const frag = new URL(link).hash.replace(/^#/, '');
  const dot = frag.indexOf('.');
  assert.ok(dot > 0, `not a share fragment: ${frag}`);
  const kind = frag.slice(0, dot);
  const bytes = Buffer.from(frag.slice(dot + 1), 'base64url');
  if (kind === 'c1') return bytes.toString('utf8');
  if (kind === 'z1') return zlib.inflateRawSync(bytes).toString('utf8');
  assert.fail(`unknown share format ${kind}`);
}

/**
 * The address bar's fragment once it holds `needle` (decoded): the page writes it once the browser is idle after
 * the last edit, not on every keystroke, so a test that reads it right after typing may see an older state.
 */
export async function settledFragment(page, needle, what = 'the address bar') {
  const deadline = Date.now() + 5000;
  for (;;) {
    const url = page.url();
    const hash = new URL(url).hash.slice(1);
    if (hash && decodeShareFragment(url).includes(needle)) return hash;
    if (Date.now() > deadline) assert.fail(`${what} never held ${needle}: ${url}`);
    await page.waitForTimeout(50);
  }
}

/** A share fragment for a project patch (what differs from the defaults), as the app writes it. */
export function encodeShareFragment(patch, lang) {
  const doc = { v: 1, ...(lang ? { lang } : {}), p: patch };
  return `z1.${zlib.deflateRawSync(Buffer.from(JSON.stringify(doc)), { level: 9 }).toString('base64url')}`;
}

export async function isDisabled(page, selector) {
  return page.$eval(selector, (e) => e.disabled || e.getAttribute('aria-disabled') === 'true');
}

/** Presses Tab until `selector` has the focus (at most `max` times); returns how many presses it took. */
export async function tabTo(page, selector, { max = 250, shift = false } = {}) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
  }
  const active = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200));
  assert.fail(`Tab never reached ${selector} in ${max} presses (focus on ${active})`);
}
