// End-to-end tests of "Start from your own containerd files" (src/sections/import.rs, run by the lazily loaded
// tools module, src/lazy/import.rs): the module is not fetched before the card is used; pasting the seed note's
// legacy config and opening it shows the report at each line, and "Use this project" fills the form (one undo
// step, a confirm when something was typed); a .tar.gz of /etc/containerd built here imports; the lint of a
// hosts.toml with `skip-verify` shows the finding at its line; in Chinese too.
// Run: `node tests/e2e/run.mjs` or `node --test tests/e2e/import.test.mjs` (CCB_DIST=… for another build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

import { serve } from './lib/server.mjs';
import { launch, openPage, assertClean } from './lib/browser.mjs';
import { gotoApp, tab, waitForPreview, filePaths } from './lib/app.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
const ARTIFACTS = process.env.CCB_ARTIFACTS || path.join(ROOT, 'target', 'e2e-artifacts');
const T = { timeout: 120_000 };
const TOOLS_MODULE = /\/ccb-tools-[0-9a-f]+(\.js|_bg\.wasm)$/;
const GOLDEN = path.join(ROOT, 'crates/core/tests/import');
// The seed note's legacy block (mirrors next to config_path, configs.auth / tls), as the core's golden test has it.
const SEED_CONFIG = fs.readFileSync(path.join(GOLDEN, 'seed-01-legacy-registry-block/input/config.toml'), 'utf8');
const HOSTS_WITH_TYPO = `server = "https://registry-1.docker.io"

[host."https://mirror.example.com"]
  capabilities = ["pull", "resolve"]
  skip-verify = true
`;

let server;
let browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html is missing: run \`trunk build --release\` first`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  server = await serve(DIST);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A page on the Apply section whose requests for the tools module are recorded; dialogs answered by `answer`. */
async function fresh(opts = {}, answer = true) {
  const { context, page, watch } = await openPage(browser, server.origin, opts);
  const tools = [];
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (TOOLS_MODULE.test(p)) tools.push(p);
  });
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    if (answer) d.accept();
    else d.dismiss();
  });
  await gotoApp(page, server.origin);
  await tab(page, 'apply');
  return { context, page, watch, tools };
}

/** The report's lines: { code, text } of each finding shown. */
async function findings(page) {
  return page.$$eval('#import-result li[data-code]', (els) => els.map((e) => ({ code: e.dataset.code, text: e.textContent })));
}

/** A screenshot of the files card as laid out on the page (`target/e2e-artifacts/NAME.png`). */
async function cardShot(page, name) {
  const box = await page.$eval('#import-card', (e) => {
    const r = e.getBoundingClientRect();
    return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: Math.min(r.height, 1600) };
  });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true, clip: box });
}

/** A ustar archive of `files` ({ path: text }) under `root`, gzipped: what `tar -czf … -C /etc containerd` makes. */
function tarGz(root, files) {
  const blocks = [];
  const header = (name, size, type) => {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100);
    h.write(type === '5' ? '0000755\0' : '0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(size.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write(type, 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    h.fill(' ', 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    return h;
  };
  blocks.push(header(`${root}/`, 0, '5'));
  for (const [p, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    blocks.push(header(`${root}/${p}`, data.length, '0'));
    blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(blocks));
}

test('the seed legacy config: not fetched before use, report at its lines, "Use this project" fills the form', T, async () => {
  const { context, page, watch, tools } = await fresh();
  assert.ok(await page.isVisible('#import-card'), 'the card is in the Apply section');
  await page.fill('#import-paste', SEED_CONFIG);
  await page.waitForTimeout(300);
  assert.deepEqual(tools, [], 'the tools module is not fetched by opening the section or pasting');

  await page.click('#import-open');
  await page.waitForSelector('#import-result');
  assert.equal(tools.length, 2, `the glue and the wasm, once each: ${tools}`);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'import-result-title', 'focus moves to the report');
  assert.match(await page.textContent('#import-files-read'), /config\.toml/);
  const shown = await findings(page);
  const migrated = shown.find((f) => f.code === 'M7-mirrors-migrated');
  assert.ok(migrated, `the mirrors are taken over: ${JSON.stringify(shown)}`);
  assert.match(migrated.text, /^config\.toml:8:1 Note /, 'at its file, line and column');
  assert.ok(await page.$('#import-taken li[data-code="M7-mirrors-migrated"]'), 'listed under "Taken over"');
  const both = shown.find((f) => f.code === 'I15-mirrors-with-config-path');
  assert.match(both.text, /^config\.toml:8:1 Error .*CRI plugin/);
  assert.ok(await page.$('#import-problems li[data-code="H8-skip-verify"]'), 'problems listed');
  assert.match(await page.textContent('#import-counts'), /\d+ errors?, \d+ warnings?/);
  assert.doesNotMatch(await page.textContent('#import-counts'), /\b1 (errors|warnings|notes|registries)\b/, 'singular forms');

  await page.click('#import-use');
  assert.deepEqual(watch.dialogs, [], 'an untouched form is replaced without asking');
  await page.waitForSelector('#tab-registries[aria-selected="true"]');
  const hosts = await waitForPreview(page, 'certs.d/docker.io/hosts.toml', (t) => t.includes('fogjl973'), 'docker.io hosts.toml');
  const order = [...hosts.matchAll(/^\[host\."([^"]+)"\]/gm)].map((m) => m[1]);
  assert.deepEqual(order.slice(0, 3), ['https://fogjl973.mirror.aliyuncs.com', 'https://8x40wsit.mirror.aliyuncs.com', 'https://docker.mirrors.ustc.edu.cn'], 'mirror order kept');
  assert.ok((await filePaths(page)).includes('certs.d/my.custom.registry/hosts.toml'));
  // One undo step brings back the empty form.
  await page.click('#undo');
  await page.waitForFunction(() => !document.querySelector('#file-tree [data-path="certs.d/docker.io/hosts.toml"]'));
  assertClean(watch, 'import of the seed config');
  await page.setViewportSize({ width: 1280, height: 900 });
  await tab(page, 'apply');
  await page.fill('#import-paste', SEED_CONFIG);
  await page.click('#import-open');
  await page.waitForSelector('#import-result');
  await cardShot(page, 'import-desktop');
  await context.close();
});

test('a .tar.gz of /etc/containerd imports; typed settings are replaced only after a confirm', T, async () => {
  const { context, page, watch } = await fresh({}, false);
  const archive = tarGz('containerd', {
    'config.toml': 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
    'certs.d/quay.io/hosts.toml': 'server = "https://quay.io"\n\n[host."https://quay-mirror.example.com"]\n  capabilities = ["pull", "resolve"]\n',
  });
  // Something typed first: the import then asks before replacing it.
  await tab(page, 'registries');
  await page.click('#add-registry');
  await tab(page, 'apply');
  await page.setInputFiles('#import-files', { name: 'containerd.tar.gz', mimeType: 'application/gzip', buffer: archive });
  await page.click('#import-open');
  await page.waitForSelector('#import-result');
  const read = await page.textContent('#import-files-read');
  assert.match(read, /config\.toml/);
  assert.match(read, /certs\.d\/quay\.io\/hosts\.toml/, 'the archive\'s folder is the layout\'s root');
  assert.match(await page.textContent('#import-counts'), /has 1 registry\./);

  await page.click('#import-use');
  assert.equal(watch.dialogs.length, 1, `asked first: ${watch.dialogs}`);
  assert.match(watch.dialogs[0], /^confirm: Replace your current settings/);
  assert.ok(await page.isVisible('#tab-apply[aria-selected="true"]'), 'refused: still here, nothing replaced');
  page.removeAllListeners('dialog');
  page.on('dialog', (d) => d.accept());
  await page.click('#import-use');
  await waitForPreview(page, 'certs.d/quay.io/hosts.toml', (t) => t.includes('https://quay-mirror.example.com'), 'quay.io hosts.toml');
  watch.dialogs.length = 0;
  assertClean(watch, 'import of a tar.gz');
  await context.close();
});

test('"Check my files" lints a hosts.toml with skip-verify at its line, for the Target range, in English and Chinese', T, async () => {
  const { context, page, watch, tools } = await fresh();
  await page.fill('#import-paste', HOSTS_WITH_TYPO);
  assert.equal(await page.inputValue('#import-registry'), 'docker.io');
  assert.match(await page.textContent('#import-lint-for'), /containerd 1\.\d+\.\d+–2\.\d+\.x/);
  await page.click('#import-lint');
  await page.waitForSelector('#import-result');
  assert.match(await page.textContent('#import-result-title'), /Check of your files/);
  const file = page.locator('#import-result .import-file[data-file="docker.io/hosts.toml"]');
  assert.match(await file.textContent(), /docker\.io\/hosts\.toml:5:3 Warning .*skip-verify.*skip_verify/);
  assert.match(await page.textContent('#import-counts'), /0 errors, [1-9]\d* warnings?/);
  assert.doesNotMatch(await page.textContent('#import-counts'), /\b1 (errors|warnings|notes)\b/, 'singular forms');
  assert.equal(await page.$('#import-use'), null, 'a lint has no project to use');
  assert.equal(tools.length, 2);

  await page.selectOption('#lang', 'zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await page.click('#import-lint');
  await page.waitForFunction(() => document.querySelector('#import-result-title')?.textContent === '文件检查结果');
  assert.match(await file.textContent(), /docker\.io\/hosts\.toml:5:3 警告/);
  assert.match(await page.textContent('#import-counts'), /个错误/);
  assert.equal(await page.textContent('#import-open'), '打开您的文件');
  assertClean(watch, 'lint');
  await context.close();
});

test('nothing given is said, not run; on a phone the card fits', T, async () => {
  const { context, page, watch, tools } = await fresh({ viewport: { width: 390, height: 844 } });
  await page.click('#import-lint');
  await page.waitForSelector('#import-error[role="alert"]');
  assert.match(await page.textContent('#import-error'), /Paste a file or choose files first/);
  assert.deepEqual(tools, [], 'nothing to read: nothing loaded');
  const width = await page.$eval('#import-card', (e) => e.scrollWidth <= e.clientWidth + 1);
  assert.ok(width, 'no sideways scrolling inside the card');
  await page.fill('#import-paste', HOSTS_WITH_TYPO);
  await page.click('#import-lint');
  await page.waitForSelector('#import-result');
  await cardShot(page, 'import-phone');
  assertClean(watch, 'phone');
  await context.close();
});
