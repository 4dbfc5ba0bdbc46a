// End-to-end tests of the other tools' formats in the page: a k3s registries.yaml, a Talos machine config and a
// Docker daemon.json opened in "Start from your own containerd files" (src/sections/import.rs), with the
// importer's questions as checkboxes that read the files again; and the "For k3s, RKE2 and Talos" downloads
// (src/sections/export.rs, exported by the lazily loaded tools module), each equal to the CLI's `export` of the
// same project file, and the report of what a format cannot carry at the field's label.
// Run: `node tests/e2e/run.mjs` or `node --test tests/e2e/formats.test.mjs` (CCB_DIST=… for another build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { appSuite } from './lib/suite.mjs';
import { openPage, assertClean } from './lib/browser.mjs';
import { gotoApp, tab, waitForPreview, encodeShareFragment } from './lib/app.mjs';
import { readTarGz } from './lib/tar.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
const T = { timeout: 180_000 };
const TOOLS_MODULE = /\/ccb-tools-[0-9a-f]+(\.js|_bg\.wasm)$/;
const CA = fs.readFileSync(path.join(ROOT, 'crates/core/tests/fixtures/pem/ca.crt'), 'utf8');

const K3S = `mirrors:
  docker.io:
    endpoint:
      - "https://mirror.example.com"
`;
const TALOS = `version: v1alpha1
machine:
  registries:
    mirrors:
      docker.io:
        endpoints:
          - https://talos-mirror.example.com
        skipFallback: true
`;
const DAEMON = '{\n  "registry-mirrors": ["https://docker-mirror.example.com"]\n}\n';

let server;
let browser;
appSuite(DIST, (s) => ({ server, browser } = s));

/** A page on the Apply section (a project from `patch` through a share link), its tools-module requests recorded. */
async function fresh(patch) {
  const { context, page, watch } = await openPage(browser, server.origin);
  const tools = [];
  page.on('request', (r) => {
    if (TOOLS_MODULE.test(new URL(r.url()).pathname)) tools.push(r.url());
  });
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    d.accept();
  });
  await gotoApp(page, server.origin, patch ? { fragment: encodeShareFragment(patch) } : {});
  await tab(page, 'apply');
  return { context, page, watch, tools };
}

async function findings(page) {
  return page.$$eval('#import-result li[data-code]', (els) => els.map((e) => ({ code: e.dataset.code, text: e.textContent })));
}

/** Opens what was pasted / chosen and waits for the report. */
async function open(page) {
  await page.click('#import-open');
  await page.waitForSelector('#import-result');
}

/** The docker.io hosts.toml after "Use this project". */
async function useAndReadDockerHosts(page, pred, what) {
  await page.click('#import-use');
  await page.waitForSelector('#tab-registries[aria-selected="true"]');
  return waitForPreview(page, 'certs.d/docker.io/hosts.toml', pred, what);
}

function tmpDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ccb-formats-'));
}

async function download(page, selector, dir) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = path.join(dir, dl.suggestedFilename());
  await dl.saveAs(file);
  return file;
}

/** The CLI's `export` of `projectFile`: stdout, with exit 0 (clean) or 3 (warnings only). */
function cliExport(projectFile, ...args) {
  const r = spawnSync('cargo', ['run', '-q', '-p', 'containerd-config-builder', '--', 'export', ...args, projectFile], { cwd: ROOT, encoding: 'utf8' });
  assert.ok([0, 3].includes(r.status), `export ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

test('a pasted k3s registries.yaml: report in English and Chinese, --disable-default-registry-endpoint removes the fallback', T, async () => {
  const { context, page, watch, tools } = await fresh();
  await page.fill('#import-paste', K3S);
  await open(page);
  assert.match(await page.textContent('#import-files-read'), /registries\.yaml/);
  const assumed = (await findings(page)).find((f) => f.code === 'I46-k3s-default-endpoint');
  assert.match(assumed?.text ?? '', /^registries\.yaml:1:1 Note Assumed that k3s runs without --disable-default-registry-endpoint/, JSON.stringify(await findings(page)));
  assert.equal(await page.isChecked('#import-q-no-default'), false, 'checked as the report assumed');
  assert.equal(await page.isChecked('#import-q-embedded'), false);
  assert.match(await page.textContent('#import-questions'), /then no registry falls back to itself/);
  assert.equal(await page.$('#import-q-reachable'), null, 'Docker\'s question is not asked of a k3s file');

  await page.selectOption('#lang', 'zh-CN');
  await page.waitForFunction(() => document.querySelector('#import-result-title')?.textContent === '导入报告');
  assert.match(await page.textContent('#import-questions'), /节点使用 --disable-default-registry-endpoint 运行/);
  const zh = (await findings(page)).find((f) => f.code === 'I46-k3s-default-endpoint');
  assert.match(zh.text, /^registries\.yaml:1:1 提示 假定 k3s 未使用 --disable-default-registry-endpoint/);
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.querySelector('#import-result-title')?.textContent === 'Import report');

  // Assumed: docker.io falls back to Docker Hub after the mirror.
  const withFallback = await useAndReadDockerHosts(page, (t) => t.includes('mirror.example.com'), 'k3s as assumed');
  assert.doesNotMatch(withFallback, /^server = "https:\/\/mirror\.example\.com"/m, withFallback);

  await tab(page, 'apply');
  await page.fill('#import-paste', K3S);
  await open(page);
  await page.check('#import-q-no-default');
  await page.waitForFunction(() => [...document.querySelectorAll('#import-result li[data-code="I46-k3s-default-endpoint"]')].some((l) => l.textContent.includes('With --disable-default-registry-endpoint')));
  assert.equal(await page.isChecked('#import-q-no-default'), true);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'import-q-no-default', 'focus stays on the checkbox');
  const noFallback = await useAndReadDockerHosts(page, (t) => /^server = "https:\/\/mirror\.example\.com"/m.test(t), 'k3s without the default endpoint');
  assert.doesNotMatch(noFallback, /registry-1\.docker\.io/, `no fallback to Docker Hub:\n${noFallback}`);
  assert.equal(new Set(tools.map((u) => new URL(u).pathname)).size, 2, `the tools module fetched once: ${tools}`);
  watch.dialogs.length = 0; // the second "Use this project" replaces the first import after a confirm
  assertClean(watch, 'k3s import');
  await context.close();
});

test('a Talos machine config file: skipFallback makes the mirror the last host, no questions asked', T, async () => {
  const { context, page, watch } = await fresh();
  await page.setInputFiles('#import-files', { name: 'controlplane.yaml', mimeType: 'application/yaml', buffer: Buffer.from(TALOS) });
  await open(page);
  assert.match(await page.textContent('#import-files-read'), /controlplane\.yaml/);
  assert.equal(await page.$('#import-questions'), null, 'Talos leaves nothing to flags');
  assert.match(await page.textContent('#import-counts'), /0 errors, 0 warnings.* has 1 registry\./);
  assert.ok((await findings(page)).every((f) => f.text.startsWith('controlplane.yaml:')), JSON.stringify(await findings(page)));
  const hosts = await useAndReadDockerHosts(page, (t) => t.includes('talos-mirror.example.com'), 'Talos import');
  assert.match(hosts, /^server = "https:\/\/talos-mirror\.example\.com"/m, hosts);
  assert.doesNotMatch(hosts, /registry-1\.docker\.io/);
  assertClean(watch, 'Talos import');
  await context.close();
});

test('a Docker daemon.json file: "the nodes can reach Docker Hub" is asked, checked as assumed, and re-reads', T, async () => {
  const { context, page, watch } = await fresh();
  await page.setInputFiles('#import-files', { name: 'daemon.json', mimeType: 'application/json', buffer: Buffer.from(DAEMON) });
  await open(page);
  assert.equal(await page.isChecked('#import-q-reachable'), true, 'Docker falls back to Docker Hub: assumed reachable');
  assert.equal(await page.$('#import-q-no-default'), null);
  const assumed = (await findings(page)).find((f) => f.code === 'I62-docker-upstream-assumed');
  assert.match(assumed?.text ?? '', /^daemon\.json:2:\d+ Note Assumed that the nodes reach Docker Hub/);
  await page.uncheck('#import-q-reachable');
  await page.waitForFunction(() => !document.querySelector('#import-result li[data-code="I62-docker-upstream-assumed"]'));
  assert.equal(await page.isChecked('#import-q-reachable'), false);
  await page.click('#import-use');
  await page.waitForSelector('#tab-registries[aria-selected="true"]');
  await tab(page, 'apply');
  const used = JSON.parse(fs.readFileSync(await download(page, '#download-project', tmpDir()), 'utf8'));
  assert.equal(used.registries[0].upstream, 'docker.io');
  assert.equal(used.registries[0].upstream_reachable, false, 'the answer is in the project used');
  assertClean(watch, 'Docker import');
  await context.close();
});

/** The project file the page downloads (with its secrets, as the CLI needs them). */
async function projectFile(page, dir) {
  await page.check('#include-secrets');
  return download(page, '#download-project', dir);
}

test('the k3s and Talos downloads equal the CLI\'s export; not fetched before use', T, async () => {
  const { context, page, watch, tools } = await fresh({
    registries: [{ upstream: 'docker.io', endpoints: [{ url: 'https://mirror.example.com' }] }, { upstream: 'quay.io', endpoints: [{ url: 'https://quay-mirror.example.com' }] }],
  });
  assert.ok(await page.isVisible('#export-card'));
  assert.deepEqual(tools, [], 'the tools module is not fetched for the Apply section');
  const dir = tmpDir();
  const project = await projectFile(page, dir);
  for (const [button, name, args] of [
    ['#export-k3s', 'registries.yaml', ['--format', 'k3s']],
    ['#export-talos-patch', 'talos-registries-patch.yaml', ['--format', 'talos', '--talos-version', '1.11']],
    ['#export-talos-documents', 'talos-registries.yaml', ['--format', 'talos', '--talos-version', '1.12']],
  ]) {
    const file = await download(page, button, dir);
    assert.equal(path.basename(file), name);
    assert.equal(fs.readFileSync(file, 'utf8'), cliExport(project, ...args), `${name} equals the CLI's export ${args.join(' ')}`);
    await page.waitForSelector(`#export-result[data-format="${name}"]`);
    assert.match(await page.textContent('#export-status'), new RegExp(`${name.replace('.', '\\.')} downloaded`));
  }
  assert.match(fs.readFileSync(path.join(dir, 'registries.yaml'), 'utf8'), /quay-mirror\.example\.com/);
  assert.equal(new Set(tools.map((u) => new URL(u).pathname)).size, 2, `fetched on the first press, once: ${tools}`);
  // The link beside the bundle download leads here.
  await page.click('#goto-export');
  await page.waitForFunction(() => document.activeElement?.id === 'export-title');
  assertClean(watch, 'export downloads');
  await context.close();
});

test('what k3s cannot carry is a warning at the field\'s label; pasted CAs come as registry-ca.tar.gz', T, async () => {
  const { context, page, watch } = await fresh({
    registries: [
      { upstream: 'docker.io', endpoints: [{ url: 'https://mirror.example.com', capabilities: ['pull'] }] },
      { upstream: 'quay.io', endpoints: [{ url: 'https://quay-mirror.example.com', tls: { ca: [{ pem: { name: 'corp', pem: CA } }] } }] },
    ],
  });
  const dir = tmpDir();
  const project = await projectFile(page, dir);
  const file = await download(page, '#export-k3s', dir);
  assert.equal(fs.readFileSync(file, 'utf8'), cliExport(project, '--format', 'k3s'));
  await page.waitForSelector('#export-diagnostics');
  const items = await page.$$eval('#export-diagnostics li', (els) => els.map((e) => ({ code: e.dataset.code, cls: e.className, place: e.querySelector('.place')?.textContent ?? '', path: e.querySelector('.place')?.dataset.path ?? '', text: e.textContent })));
  const pullOnly = items.find((i) => i.path.startsWith('registries[0].endpoints[0]') && i.cls.includes('warning'));
  assert.ok(pullOnly, `a warning at docker.io's endpoint: ${JSON.stringify(items)}`);
  assert.match(pullOnly.place, /^docker\.io › endpoint 1/, 'named by the form\'s label, not the field path');
  assert.match(pullOnly.text, /Warning/);
  assert.ok(!items.some((i) => /^registries\[/.test(i.place)), 'no raw field path shown');
  const cas = await download(page, '#export-cas', dir);
  assert.equal(path.basename(cas), 'registry-ca.tar.gz');
  const entries = readTarGz(fs.readFileSync(cas)).filter((e) => e.type === 'file');
  assert.ok(entries.length === 1 && entries[0].path.startsWith('etc/rancher/registry-ca/'), JSON.stringify(entries.map((e) => e.path)));
  assert.equal(entries[0].content.toString('utf8'), CA);
  assert.match(fs.readFileSync(file, 'utf8'), new RegExp(`ca_file: /${entries[0].path.replace(/[.]/g, '\\.')}`));

  await page.selectOption('#lang', 'zh-CN');
  await page.waitForFunction(() => document.querySelector('#export-title')?.textContent === '用于 k3s、RKE2 和 Talos');
  assert.match(await page.textContent('#export-diagnostics'), /警告/);
  assertClean(watch, 'k3s warnings');
  await context.close();
});
