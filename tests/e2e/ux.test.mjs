// What a new user stumbles on (issue 8, items 1, 2, 3, 8 and 9), on a phone (390×844) and a desktop (1280×800):
// focused fields below the sticky tab bar, the bundle download beside the preview, the target line first, the
// phone layout, the tabs' keys and the accessible names (with axe-core). Run: `node tests/e2e/run.mjs
// tests/e2e/ux.test.mjs` against `dist/` (or `$CCB_DIST`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openPage, assertClean, tmpDir } from './lib/browser.mjs';
import { readTarGz } from './lib/tar.mjs';
import { gotoApp, tab, encodeShareFragment, isDisabled } from './lib/app.mjs';
import { appSuite } from './lib/suite.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
const ARTIFACTS = path.join(ROOT, 'target', 'e2e-artifacts');
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const T = { timeout: 180_000 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const VIEWPORTS = [['phone', PHONE], ['desktop', DESKTOP]];
const URL0 = '#f-registries-0-endpoints-0-url';

let server;
let browser;

appSuite(DIST, (opened) => ({ server, browser } = opened), { artifacts: ARTIFACTS });

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

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `ux-${name}.png`) });
}

/** Waits until the scroll position stops moving (two equal readings of `selector`'s rect 50 ms apart). */
async function settled(page, selector) {
  let last = '';
  for (let i = 0; i < 40; i++) {
    const now = await page.$eval(selector, (e) => JSON.stringify(e.getBoundingClientRect()));
    if (now === last) return;
    last = now;
    await page.waitForTimeout(50);
  }
}

/**
 * Asserts that `selector` has the focus and that it — and its messages (`<id>-msgs`), when it has any — are fully
 * visible: below the sticky tab bar, above the bottom of the viewport (and of the form column on a desktop).
 */
async function assertFocusedAndVisible(page, selector, what) {
  await page.waitForFunction((s) => document.activeElement?.matches(s), selector);
  await settled(page, selector);
  const r = await page.evaluate((s) => {
    const el = document.querySelector(s);
    const msgs = document.getElementById(`${el.id}-msgs`);
    const bar = document.querySelector('[role="tablist"]').getBoundingClientRect();
    const col = el.closest('.form-col').getBoundingClientRect();
    const rect = (e) => { const b = e.getBoundingClientRect(); return { top: b.top, bottom: b.bottom }; };
    return { field: rect(el), msgs: msgs ? rect(msgs) : null, barBottom: bar.bottom, bottom: Math.min(innerHeight, col.bottom) };
  }, selector);
  for (const [name, box] of [['field', r.field], ['its message', r.msgs]]) {
    if (!box) continue;
    assert.ok(box.top >= r.barBottom - 0.5, `${what}: the ${name} starts at y=${box.top}, under the tab bar (ends at y=${r.barBottom})`);
    assert.ok(box.bottom <= r.bottom + 0.5, `${what}: the ${name} ends at y=${box.bottom}, below the visible area (y=${r.bottom})`);
  }
}

test('item 1: a focused field and its message are never under the sticky tab bar (add, add endpoint, Problems)', T, async () => {
  for (const [name, viewport] of VIEWPORTS) {
    const { page, done } = await fresh({ viewport });
    await tab(page, 'registries');
    for (let i = 0; i < 4; i++) {
      await page.click('#add-registry');
      await assertFocusedAndVisible(page, `#f-registries-${i}-endpoints-0-url`, `${name}, after "Add a registry" #${i + 1}`);
    }
    await page.click('#f-registries-0-add-endpoint');
    await assertFocusedAndVisible(page, '#f-registries-0-endpoints-1-url', `${name}, after "Add an endpoint"`);

    // An error far up the form, reached from the Problems list at its bottom.
    await page.fill(URL0, 'https://my_mirror.example.com');
    await page.waitForSelector(`${URL0}-msgs .error`);
    const entry = page.locator('#summary-list button', { has: page.locator('.place[data-path="registries[0].endpoints[0].url"]') });
    await entry.first().click();
    await assertFocusedAndVisible(page, URL0, `${name}, after clicking its Problems entry`);
    await shot(page, `focus-below-bar-${name}`);
    await done(`focus (${name})`);
  }
});

test('item 2: the bundle downloads beside the preview from any tab; blocked, it says why and leads to the field', T, async () => {
  const { page, done } = await fresh();
  await tab(page, 'registries');
  await page.click('#add-registry');
  const upstream = await page.inputValue('#f-registries-0-upstream');
  await page.fill(URL0, 'https://my_mirror.example.com');

  const blocked = page.locator('.preview #download-blocked');
  await blocked.waitFor();
  assert.ok(await isDisabled(page, '.preview #download-bundle'), 'the bundle download is disabled while there are errors');
  assert.ok(await isDisabled(page, '.preview #download-install'), 'install.sh too');
  const why = await blocked.textContent();
  assert.match(why, /1 error/, `the blocked state counts the errors: ${why}`);
  assert.match(why, /my_mirror/, `and lists them: ${why}`);
  assert.ok(why.includes(`${upstream} › endpoint 1 › URL`), `named by their place in the form: ${why}`);
  assert.equal(await page.locator('.preview #goto-summary').count(), 1, 'a link to the Problems list');
  await shot(page, 'download-blocked');
  await blocked.locator('li button').first().click();
  await page.waitForFunction((s) => document.activeElement?.matches(s), URL0);

  await page.fill(URL0, 'https://my-mirror.example.com');
  await page.waitForSelector('.preview #download-bundle:not([disabled])');
  assert.equal(await page.getAttribute('#tab-registries', 'aria-selected'), 'true', 'still on Registries');
  const dir = tmpDir();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('.preview #download-bundle')]);
  assert.match(dl.suggestedFilename(), /\.tar\.gz$/);
  const file = path.join(dir, dl.suggestedFilename());
  await dl.saveAs(file);
  const entries = readTarGz(fs.readFileSync(file)).filter((e) => e.type === 'file');
  const hosts = entries.find((e) => e.path.endsWith(`certs.d/${upstream}/hosts.toml`));
  assert.ok(hosts, `the archive has the registry's hosts.toml: ${entries.map((e) => e.path)}`);
  assert.match(hosts.content.toString('utf8'), /my-mirror\.example\.com/);
  const [script] = await Promise.all([page.waitForEvent('download'), page.click('.preview #download-install')]);
  assert.equal(script.suggestedFilename(), 'install.sh');
  await shot(page, 'download-ready');

  // Apply keeps the steps after the download.
  await page.click('.preview #goto-steps');
  await page.waitForSelector('#tab-apply[aria-selected="true"]');
  await page.waitForFunction(() => document.activeElement?.id === 'apply-steps-title');
  fs.rmSync(dir, { recursive: true, force: true });
  await done('download beside the preview');
});

test('item 3: the first thing on the page says which containerd the files are for, one click from Target', T, async () => {
  for (const [name, viewport] of VIEWPORTS) {
    const { page, done } = await fresh({ viewport });
    const box = await page.$eval('#target-line', (e) => {
      const r = e.getBoundingClientRect();
      const tabs = document.querySelector('[role="tablist"]').getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, tabsTop: tabs.top, vh: innerHeight };
    });
    assert.ok(box.top >= 0 && box.bottom <= box.vh, `${name}: on screen at load (${box.top}–${box.bottom})`);
    assert.ok(box.bottom <= box.tabsTop + 0.5, `${name}: above the tabs`);
    const text = (await page.textContent('#target-line')).trim();
    assert.match(text, /^Files for containerd 1\.\d+\.\S+ – 2\.\d+\.\S+ \(config version 2\) · Change$/, `${name}: ${text}`);

    await page.click('#change-target');
    await page.waitForSelector('#tab-target[aria-selected="true"]');
    await page.waitForFunction(() => document.activeElement?.id === 'f-target-major');
    await page.selectOption('#f-target-major', '2x');
    await page.waitForFunction(() => /containerd 2\.\S+ – 2\.\S+ \(config version 3\)/.test(document.querySelector('#target-line').textContent));
    await shot(page, `target-line-${name}`);
    await done(`target line (${name})`);
  }
  const { page, done } = await fresh({ locale: 'zh-CN' });
  const text = (await page.textContent('#target-line')).trim();
  assert.match(text, /^这些文件适用于 containerd 1\.\S+ – 2\.\S+（配置版本 2） · 更改$/, text);
  await done('target line (zh)');
});

/** Words (letters and digits) of the element's text that the layout split over two lines. */
async function splitWords(page, selector) {
  return page.$$eval(selector, (els) => {
    const out = [];
    for (const el of els) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (const m of n.data.matchAll(/[A-Za-z0-9]+/g)) {
          const range = document.createRange();
          range.setStart(n, m.index);
          range.setEnd(n, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) out.push(m[0]);
        }
      }
    }
    return out;
  });
}

async function assertNoPageScroll(page, what) {
  const w = await page.evaluate(() => ({ scroll: document.scrollingElement.scrollWidth, inner: innerWidth }));
  assert.ok(w.scroll <= w.inner, `${what}: the page scrolls sideways (${w.scroll} > ${w.inner})`);
}

test('item 8: at 390 px nothing overflows, the Harbor table fits, the tab strip shows it scrolls, words stay whole', T, async () => {
  const { page, done } = await fresh({ viewport: PHONE });
  await page.selectOption('#preset', 'harbor-proxy-cache');
  await tab(page, 'harbor');
  await page.waitForSelector('table.mapping input');
  await assertNoPageScroll(page, 'Harbor');
  const inputs = await page.$$eval('table.mapping input', (els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { id: e.id, value: e.value, left: r.left, right: r.right, fits: e.scrollWidth <= e.clientWidth };
  }));
  assert.ok(inputs.length >= 2, 'the preset has mappings');
  for (const i of inputs) {
    assert.ok(i.left >= 0 && i.right <= PHONE.width, `#${i.id} is inside the viewport (${i.left}–${i.right})`);
    assert.ok(i.fits, `#${i.id} shows its whole value "${i.value}"`);
  }
  const removes = await page.$$eval('table.mapping button.danger', (els) => els.map((e) => {
    e.scrollIntoView({ block: 'center' });
    const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { id: e.id, left: r.left, right: r.right, width: r.width, hit: hit === e || e.contains(hit) };
  }));
  assert.equal(removes.length, inputs.length / 2, 'one ✕ per mapping');
  for (const b of removes) {
    assert.ok(b.left >= 0 && b.right <= PHONE.width && b.width >= 24, `#${b.id} is whole on screen (${b.left}–${b.right})`);
    assert.ok(b.hit, `#${b.id} can be tapped (nothing covers it)`);
  }
  assert.deepEqual(await splitWords(page, 'table.mapping output code'), [], 'Harbor endpoints wrap between words only');
  await shot(page, 'phone-harbor');

  // The tab strip scrolls: a hint on the side that hides tabs, gone once scrolled to that end.
  const hint = (side) => page.$eval('.tabs-bar', (e, s) => getComputedStyle(e, s).display !== 'none', side);
  await page.$eval('[role="tablist"]', (e) => { e.scrollLeft = 0; });
  await page.waitForSelector('.tabs-bar.more-right:not(.more-left)');
  assert.ok(await hint('::after'), 'the right edge shows that more tabs follow');
  assert.ok(!(await hint('::before')), 'nothing hidden on the left');
  await shot(page, 'phone-tabs-hint');
  await page.$eval('[role="tablist"]', (e) => { e.scrollLeft = e.scrollWidth; });
  await page.waitForSelector('.tabs-bar.more-left:not(.more-right)');
  assert.ok(await hint('::before') && !(await hint('::after')), 'scrolled to the end: the hint moves to the left');

  // Every section fits the phone; endpoint cards keep host names whole.
  await page.selectOption('#preset', 'dockerhub-mirrors');
  for (const s of ['target', 'registries', 'harbor', 'airgap', 'auth', 'tls', 'daemon', 'apply']) {
    await tab(page, s);
    await assertNoPageScroll(page, s);
  }
  await tab(page, 'registries');
  assert.deepEqual(await splitWords(page, '#section-panel .card-head, #section-panel .endpoints input'), [], 'registry and endpoint names wrap between words only');
  await shot(page, 'phone-registries');
  await done('phone layout');
});

/** The accessible names of the buttons in `#file-tree`, from Playwright's ARIA snapshot. */
async function treeNames(page) {
  const yaml = await page.locator('#file-tree').ariaSnapshot();
  return [...yaml.matchAll(/- button "([^"]*)"/g)].map((m) => m[1]);
}

/** axe-core's violations that are serious or critical, and every label-content-name-mismatch. */
async function axeProblems(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'], rules: { 'label-content-name-mismatch': { enabled: true } } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'label-content-name-mismatch');
}

test('item 9: tabs follow the ARIA tabs keys with a roving tabindex', T, async () => {
  const { page, done } = await fresh();
  const selected = () => page.$eval('[role="tab"][aria-selected="true"]', (e) => e.id);
  const focused = () => page.evaluate(() => document.activeElement?.id);
  await page.focus(`#${await selected()}`);
  const tabbable = await page.$$eval('[role="tab"]', (els) => els.filter((e) => e.tabIndex === 0).map((e) => e.id));
  assert.deepEqual(tabbable, [await selected()], 'only the selected tab is in the Tab order');
  const ids = await page.$$eval('[role="tab"]', (els) => els.map((e) => e.id));
  const press = async (key, want) => {
    await page.keyboard.press(key);
    await page.waitForSelector(`#${want}[aria-selected="true"]`);
    await page.waitForFunction((w) => document.activeElement?.id === w, want);
    assert.deepEqual(await page.$$eval('[role="tab"][tabindex="0"]', (els) => els.map((e) => e.id)), [want], `${key}: roving tabindex`);
  };
  await press('Home', ids[0]);
  await press('ArrowRight', ids[1]);
  await press('ArrowLeft', ids[0]);
  await press('ArrowLeft', ids.at(-1));
  await press('ArrowRight', ids[0]);
  await press('End', ids.at(-1));
  await page.keyboard.press('Tab');
  assert.ok(!(await page.evaluate(() => document.activeElement?.getAttribute('role') === 'tab')), `Tab leaves the tab strip (focus on ${await focused()})`);
  await done('tab keys');
});

test('item 9: the file tree and the tab badges have names of their own; axe finds nothing serious', T, async () => {
  const { page, done } = await fresh();
  await page.selectOption('#preset', 'dockerhub-mirrors');
  await tab(page, 'registries');
  await page.click('#add-registry');
  await page.fill('#f-registries-1-upstream', 'quay.io');
  await page.fill('#f-registries-1-endpoints-0-url', 'https://my_mirror.example.com');
  await page.waitForSelector('#file-tree [data-path="certs.d/quay.io/hosts.toml"]');

  const names = await treeNames(page);
  assert.equal(new Set(names).size, names.length, `every file has its own name: ${names.join(' | ')}`);
  assert.ok(names.includes('certs.d/docker.io/hosts.toml'), `the directory is part of the name: ${names.join(' | ')}`);
  assert.ok(names.some((n) => /^certs\.d\/quay\.io\/hosts\.toml, 1 error in this file$/.test(n)), `with its problems: ${names.join(' | ')}`);

  const tabName = await page.getByRole('tab', { name: /^Registries & mirrors \d+ changes?, 1 problem$/ }).count();
  assert.equal(tabName, 1, `the Registries tab says its counts: ${await page.locator('[role="tablist"]').ariaSnapshot()}`);

  for (const [what, setup] of [
    ['registries with an error', async () => {}],
    ['harbor', async () => { await page.selectOption('#preset', 'harbor-proxy-cache'); await tab(page, 'harbor'); }],
    ['apply', async () => { await tab(page, 'apply'); }],
    ['target', async () => { await tab(page, 'target'); }],
    ['auth', async () => { await tab(page, 'auth'); await page.click('#f-auth-add'); }],
    ['tls', async () => { await tab(page, 'tls'); }],
  ]) {
    await setup();
    assert.deepEqual(await axeProblems(page), [], `axe on ${what}`);
  }
  await done('names and axe');

  for (const opts of [{ viewport: PHONE, query: 'theme=dark' }, { locale: 'zh-CN' }]) {
    const f = await fresh(opts);
    await tab(f.page, 'registries');
    await f.page.click('#add-registry');
    await f.page.fill(URL0, 'https://my_mirror.example.com');
    await f.page.waitForSelector(`${URL0}[aria-invalid="true"]`);
    assert.deepEqual(await axeProblems(f.page), [], `axe (${JSON.stringify(opts)})`);
    if (opts.locale) {
      assert.equal(await f.page.getByRole('tab', { name: /^仓库与镜像 \d+ 处改动，1 个问题$/ }).count(), 1, await f.page.locator('[role="tablist"]').ariaSnapshot());
    }
    await f.done(`axe ${JSON.stringify(opts)}`);
  }
});

test('item 9: with 17 files and more, install.sh and README.txt stay in sight in the file tree', T, async () => {
  const registries = Array.from({ length: 16 }, (_, i) => ({ upstream: `r${i + 1}.example.com`, endpoints: [{ url: `https://m${i + 1}.example.com` }] }));
  for (const [name, viewport] of VIEWPORTS) {
    const { page, done } = await fresh({ viewport, fragment: encodeShareFragment({ registries }) });
    await page.waitForSelector('#file-tree [data-path="certs.d/r16.example.com/hosts.toml"]');
    const count = await page.locator('#file-tree [data-path]').count();
    assert.ok(count >= 17, `${count} files`);
    await page.locator('#file-tree').scrollIntoViewIfNeeded();
    for (const file of ['install.sh', 'README.txt']) {
      const r = await page.$eval(`#file-tree [data-path="${file}"]`, (e) => {
        const tree = e.closest('#file-tree');
        const b = e.getBoundingClientRect();
        const t = tree.getBoundingClientRect();
        return { inTree: b.top >= t.top && b.bottom <= t.bottom, onScreen: b.top >= 0 && b.bottom <= innerHeight, scrolled: tree.scrollTop };
      });
      assert.ok(r.inTree && r.scrolled === 0, `${name}: ${file} is visible in the tree without scrolling it (${JSON.stringify(r)})`);
      assert.ok(r.onScreen, `${name}: ${file} is on screen with the tree`);
    }
    await shot(page, `tree-17-${name}`);
    await done(`17 files (${name})`);
  }
});

test('screenshots: phone and desktop, light and dark, English and 简体中文 (nothing scrolls sideways)', T, async () => {
  for (const [name, viewport] of VIEWPORTS) {
    for (const theme of ['light', 'dark']) {
      for (const locale of ['en-US', 'zh-CN']) {
        const { page, done } = await fresh({ viewport, locale, query: `theme=${theme}` });
        await page.selectOption('#preset', 'dockerhub-mirrors');
        await tab(page, 'registries');
        await page.click('#add-registry');
        await page.fill('#f-registries-1-endpoints-0-url', 'https://my_mirror.example.com');
        await page.waitForSelector('.preview #download-blocked');
        await assertNoPageScroll(page, `${name} ${theme} ${locale}`);
        await page.evaluate(() => document.scrollingElement.scrollTo(0, 0));
        await page.$eval('.form-col', (e) => e.scrollTo(0, 0));
        await shot(page, `${name}-${theme}-${locale}`);
        if (name === 'phone') {
          await page.locator('.preview').scrollIntoViewIfNeeded();
          await shot(page, `${name}-${theme}-${locale}-preview`);
        }
        await done(`screenshot ${name} ${theme} ${locale}`);
      }
    }
  }
});
