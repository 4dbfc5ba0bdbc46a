// End-to-end tests of the built app (dist/ from `trunk build --release`) in Debian's Chromium via playwright-core.
// Run: `node tests/e2e/run.mjs` (or `make test`). Every page is served from 127.0.0.1; any request to another
// origin is blocked and fails the test, and so does any console error or page error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openPage, assertClean, tmpDir } from './lib/browser.mjs';
import { readTarGz } from './lib/tar.mjs';
import {
  gotoApp, tab, filePaths, openFile, previewText, waitForPreview, allPreviewFiles, hostOrder,
  decodeShareFragment, isDisabled, tabTo, settledFragment,
} from './lib/app.mjs';
import { appSuite } from './lib/suite.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
const ARTIFACTS = path.join(ROOT, 'target', 'e2e-artifacts');
const T = { timeout: 120_000 };

let server;
let browser;

appSuite(DIST, (opened) => ({ server, browser } = opened), { artifacts: ARTIFACTS });

/** A fresh context and page on the app; `done()` asserts the page stayed clean and closes it. */
async function fresh(opts = {}) {
  const { context, page, watch } = await openPage(browser, server.origin, opts);
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    d.accept();
  });
  await gotoApp(page, server.origin, opts);
  return {
    page,
    watch,
    context,
    done: async (what) => {
      assertClean(watch, what);
      await context.close();
    },
  };
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

const URL0 = '#f-registries-0-endpoints-0-url';
const URL1 = '#f-registries-0-endpoints-1-url';

test('Harbor preset: changing the Harbor host changes every hosts.toml', T, async () => {
  const { page, watch, done } = await fresh();
  // Edit something first: the preset then asks before replacing the form.
  await page.click('#add-registry');
  await page.selectOption('#preset', 'harbor-proxy-cache');
  assert.equal(watch.dialogs.length, 1, `one confirm dialog: ${watch.dialogs}`);
  assert.match(watch.dialogs[0], /^confirm: /);
  await tab(page, 'harbor');
  assert.equal(await page.inputValue('#f-harbor-address'), 'https://harbor.example.com');
  await page.fill('#f-harbor-address', 'https://cr.corp.example.net');

  await page.waitForFunction(() => !document.querySelector('#f-harbor-address')?.matches('[aria-invalid="true"]'));
  const hosts = (await filePaths(page)).filter((p) => /^certs\.d\/[^/]+\/hosts\.toml$/.test(p));
  for (const u of ['docker.io', 'registry.k8s.io', 'quay.io', 'ghcr.io', 'gcr.io']) {
    assert.ok(hosts.includes(`certs.d/${u}/hosts.toml`), `${u} has a hosts.toml: ${hosts}`);
  }
  for (const p of hosts) {
    const text = await waitForPreview(page, p, (t) => t.includes('cr.corp.example.net'), p);
    assert.ok(!text.includes('harbor.example.com'), `${p} still names the old host:\n${text}`);
    const order = hostOrder(text);
    assert.ok(order.length >= 1, `${p} has a [host] table:\n${text}`);
    assert.ok(order.every((h) => new URL(h).host === 'cr.corp.example.net'), `${p}: ${order}`);
  }
  await shot(page, 'harbor-preset');
  await done('Harbor preset');
});

test('mirrors: adding one and moving it with up/down changes the try order in hosts.toml', T, async () => {
  const { page, done } = await fresh();
  await page.click('#add-registry');
  const upstream = await page.inputValue('#f-registries-0-upstream');
  const hosts = `certs.d/${upstream}/hosts.toml`;
  await page.fill(URL0, 'https://first-mirror.example.com');
  await page.click('#f-registries-0-add-endpoint');
  await page.fill(URL1, 'https://second-mirror.example.com');
  const first = 'https://first-mirror.example.com';
  const second = 'https://second-mirror.example.com';
  const order = async (want) => hostOrder(await waitForPreview(page, hosts, (t) => {
    const o = hostOrder(t);
    return o.length === 2 && o[0].startsWith(want[0]) && o[1].startsWith(want[1]);
  }, `order ${want}`));

  await order([first, second]);
  assert.ok(await isDisabled(page, '#f-registries-0-endpoints-0-up'), 'the first endpoint cannot move up');
  assert.ok(await isDisabled(page, '#f-registries-0-endpoints-1-down'), 'the last endpoint cannot move down');

  await page.click('#f-registries-0-endpoints-1-up');
  await order([second, first]);
  assert.equal(await page.inputValue(URL0), second, 'the form shows the new order too');
  assert.equal(await page.inputValue(URL1), first);

  await page.click('#f-registries-0-endpoints-0-down');
  await order([first, second]);

  await page.click('#f-registries-0-endpoints-0-remove');
  await waitForPreview(page, hosts, (t) => hostOrder(t).length === 1 && hostOrder(t)[0].startsWith(second), 'after remove');
  await done('mirror order');
});

test('nodes that cannot reach docker.io, with only a pull-only mirror: unticking the box warns at it that tag pulls fail', T, async () => {
  const { page, done } = await fresh();
  await page.click('#add-registry');
  await page.fill('#f-registries-0-upstream', 'docker.io');
  await page.fill(URL0, 'https://mirror.example.com');
  await page.selectOption('#f-registries-0-endpoints-0-kind', 'public_mirror');
  const box = '#f-registries-0-upstream_reachable';
  assert.ok(await page.isChecked(box), 'reachable by default');
  assert.match(await page.textContent(`label[for="${box.slice(1)}"]`), /Can the nodes reach docker\.io itself\?/);
  assert.equal(await page.$(`${box}-msgs [data-code="R3-no-reachable-resolver"]`), null, 'no warning while reachable');
  await page.uncheck(box);
  await page.waitForSelector(`${box}-msgs [data-code="R3-no-reachable-resolver"]`);
  const msg = await page.textContent(`${box}-msgs`);
  assert.match(msg, /nginx:latest/, msg);
  // Letting the mirror resolve tags clears it.
  await page.selectOption('#f-registries-0-endpoints-0-kind', 'private_mirror');
  await page.waitForFunction((s) => !document.querySelector(`${s}-msgs [data-code="R3-no-reachable-resolver"]`), box);
  await done('upstream unreachable');
});

test('an invalid host shows its error at the field and disables the bundle download', T, async () => {
  const { page, done } = await fresh();
  await page.click('#add-registry');
  await page.fill(URL0, 'https://my_mirror.example.com');
  await page.waitForSelector(`${URL0}[aria-invalid="true"]`);
  const msg = await page.textContent(`${URL0}-msgs`);
  assert.match(msg, /my_mirror/, `the message names the bad label: ${msg}`);
  assert.ok(await page.isVisible(`${URL0}-msgs`));
  const described = (await page.getAttribute(URL0, 'aria-describedby')) ?? '';
  assert.ok(described.split(/\s+/).includes('f-registries-0-endpoints-0-url-msgs'), `aria-describedby="${described}"`);
  assert.match(await page.getAttribute('#installable', 'class'), /error/);
  await shot(page, 'invalid-host');

  await tab(page, 'apply');
  assert.ok(await isDisabled(page, '#download-bundle'), '#download-bundle is disabled while there are errors');

  await tab(page, 'registries');
  await page.fill(URL0, 'https://my-mirror.example.com');
  await page.waitForSelector(`${URL0}[aria-invalid="false"]`);
  assert.equal(await page.$(`${URL0}-msgs .error`), null, 'no error left at the field');
  await tab(page, 'apply');
  assert.ok(!(await isDisabled(page, '#download-bundle')), '#download-bundle is enabled again');
  await done('invalid host');
});

/** Clicks `selector` and returns the saved download. */
async function download(page, selector, dir) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = path.join(dir, dl.suggestedFilename());
  await dl.saveAs(file);
  return file;
}

function walk(dir, base = dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, base));
    else out.push(path.relative(base, p).split(path.sep).join('/'));
  }
  return out;
}

/** The CLI's `--lang` for the page's language (`<html lang>`): the bundle speaks the page's language. */
async function cliLang(page) {
  const tag = await page.getAttribute('html', 'lang');
  return tag.startsWith('zh') ? 'zh' : 'en';
}

/** The bundle downloaded from the page (in `pageLang`) equals what the CLI renders with the page's --lang. */
async function tarGzEqualsCli(pageLang) {
  const { page, done } = await fresh();
  const dir = tmpDir();
  if (pageLang !== 'en') {
    await page.selectOption('#lang', pageLang);
    await page.waitForFunction((l) => document.documentElement.lang === l, pageLang);
  }
  const lang = await cliLang(page);
  assert.equal(lang, pageLang.startsWith('zh') ? 'zh' : 'en');
  assert.equal(await page.title(), lang === 'zh' ? 'containerd 配置生成器' : 'containerd config builder', 'the tab title follows the page language');
  await page.selectOption('#preset', 'dockerhub-mirrors');
  await tab(page, 'registries');
  await page.click('#add-registry');
  await page.fill('#f-registries-1-upstream', 'registry.example.com:5000');
  await page.fill('#f-registries-1-endpoints-0-url', 'https://mirror.corp.example.com:8443');
  // A credential, so the bundle carries a secret and the project file must include it.
  await tab(page, 'auth');
  await page.click('#f-auth-add');
  await page.fill('#f-auth-0-host', 'mirror.corp.example.com:8443');
  await page.fill('#f-auth-0-method-username', 'robot');
  await page.fill('#f-auth-0-method-password', 'e2e-Secret-Pa55');
  await tab(page, 'apply');
  await page.waitForSelector('#download-bundle:not([disabled])');

  const tgz = await download(page, '#download-bundle', dir);
  assert.match(path.basename(tgz), /\.tar\.gz$/);
  await page.check('#include-secrets');
  const projectFile = await download(page, '#download-project', dir);
  const project = JSON.parse(fs.readFileSync(projectFile, 'utf8'));
  assert.ok(JSON.stringify(project).includes('e2e-Secret-Pa55'), 'with #include-secrets the project file has the password');

  const cliOut = path.join(dir, 'cli');
  execFileSync('cargo', ['run', '-q', '-p', 'containerd-config-builder', '--', 'render', projectFile, '--out', cliOut, '--lang', lang], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const cliFiles = walk(cliOut).sort();

  const entries = readTarGz(fs.readFileSync(tgz)).filter((e) => e.type === 'file');
  const roots = new Set(entries.map((e) => e.path.split('/')[0]));
  assert.equal(roots.size, 1, `one top folder in the archive: ${[...roots]}`);
  const strip = (p) => p.split('/').slice(1).join('/');
  const tarFiles = entries.map((e) => strip(e.path)).sort();
  assert.deepEqual(tarFiles, cliFiles, 'same file list');
  assert.ok(tarFiles.includes('certs.d/docker.io/hosts.toml') && tarFiles.includes('install.sh'), `${tarFiles}`);
  for (const e of entries) {
    const rel = strip(e.path);
    const cliPath = path.join(cliOut, rel);
    assert.equal(e.content.toString('utf8'), fs.readFileSync(cliPath, 'utf8'), `${rel}: same content`);
    assert.equal(e.mode.toString(8), (fs.statSync(cliPath).mode & 0o777).toString(8), `${rel}: same mode`);
  }
  // README.txt and install.sh speak the page's language.
  const readme = entries.find((e) => strip(e.path) === 'README.txt').content.toString('utf8');
  const script = entries.find((e) => strip(e.path) === 'install.sh').content.toString('utf8');
  if (lang === 'zh') {
    assert.match(readme, /\n应用\n/);
    assert.match(script, /已写入/);
    assert.doesNotMatch(readme, /\nAPPLY\n/);
  } else {
    assert.match(readme, /\nAPPLY\n/);
    assert.doesNotMatch(readme, /应用/);
  }
  // And the preview shows the same files as the bundle, in the same words.
  const preview = await allPreviewFiles(page);
  assert.deepEqual(Object.keys(preview).sort(), tarFiles);
  assert.match(preview['README.txt'], lang === 'zh' ? /\n应用\n/ : /\nAPPLY\n/);
  fs.rmSync(dir, { recursive: true, force: true });
  await done(`bundle download (${lang})`);
}

test('the downloaded .tar.gz equals what the CLI renders from the downloaded project file', T, () => tarGzEqualsCli('en'));

test('简体中文: the downloaded .tar.gz equals what the CLI renders with --lang zh (README.txt, install.sh and comments in Chinese)', T, () =>
  tarGzEqualsCli('zh-CN'),
);

const NODE_CONFIG = `version = 2
# the node's own comment, kept by the merge
root = "/var/lib/containerd"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.9"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = true
`;

test('Apply: an opened project file merged into the node\'s config.toml gives the CLI\'s bundle; the draft survives a reload', T, async () => {
  const { page, done } = await fresh();
  const dir = tmpDir();
  const projectFile = path.join(ROOT, 'examples', '01-seed-dockerhub-mirrors.json');
  const nodeFile = path.join(dir, 'node-config.toml');
  fs.writeFileSync(nodeFile, NODE_CONFIG);

  await tab(page, 'apply');
  await page.setInputFiles('#open-project', projectFile);
  await tab(page, 'registries');
  await page.waitForFunction((s) => document.querySelector(s)?.value === 'https://docker.mirrors.ustc.edu.cn', URL0);
  assert.equal(await page.inputValue('#f-registries-0-upstream'), 'docker.io');

  await tab(page, 'apply');
  await page.fill('#existing-config', NODE_CONFIG);
  const merged = await waitForPreview(page, 'config.toml', (t) => t.includes('config_path'), 'merged config.toml');
  assert.match(merged, /# the node's own comment, kept by the merge/);
  assert.match(merged, /SystemdCgroup = true/);
  await page.waitForSelector('#download-bundle:not([disabled])');
  const tgz = await download(page, '#download-bundle', dir);

  const cliOut = path.join(dir, 'cli');
  execFileSync('cargo', ['run', '-q', '-p', 'containerd-config-builder', '--', 'render', projectFile, '--out', cliOut, '--merge-into', nodeFile, '--lang', await cliLang(page)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const entries = readTarGz(fs.readFileSync(tgz)).filter((e) => e.type === 'file');
  const strip = (p) => p.split('/').slice(1).join('/');
  assert.deepEqual(entries.map((e) => strip(e.path)).sort(), walk(cliOut).sort(), 'same file list');
  for (const e of entries) {
    assert.equal(e.content.toString('utf8'), fs.readFileSync(path.join(cliOut, strip(e.path)), 'utf8'), `${strip(e.path)}: same content`);
  }

  // Remember the draft: a later visit without a link starts from it (and it holds no secret).
  await page.check('#remember-draft');
  await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.includes('draft')));
  await gotoApp(page, server.origin);
  await tab(page, 'registries');
  assert.equal(await page.inputValue(URL0), 'https://docker.mirrors.ustc.edu.cn', 'the draft was restored');
  assert.ok(await page.isVisible('#notice'), 'the page says the draft was restored');
  await tab(page, 'apply');
  assert.ok(await page.isChecked('#remember-draft'));

  // Forget it: the next visit starts empty.
  await page.uncheck('#remember-draft');
  await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.includes('draft')));
  await gotoApp(page, server.origin);
  await tab(page, 'registries');
  assert.equal(await page.$('#f-registries-0-upstream'), null, 'no registry after the draft was forgotten');
  fs.rmSync(dir, { recursive: true, force: true });
  await done('apply');
});

test('a share link restores the same preview and never carries a password', T, async () => {
  const { page, context, done } = await fresh();
  await page.click('#add-registry');
  await page.fill(URL0, 'https://share-mirror.example.com');
  await page.click('#f-registries-0-add-endpoint');
  await page.fill(URL1, 'https://share-second.example.com');
  await tab(page, 'auth');
  await page.click('#f-auth-add');
  await page.fill('#f-auth-0-host', 'share-mirror.example.com');
  await page.fill('#f-auth-0-method-username', 'robot-share');
  const password = 'Sup3r-Secret-Share-Pw';
  await page.fill('#f-auth-0-method-password', password);
  await tab(page, 'apply');
  // Compressed by the browser: the link appears a moment after the card.
  await page.waitForFunction(() => document.querySelector('#share-link')?.value);
  const shown = await page.inputValue('#share-link');
  // "Copy link" puts exactly the shown link on the clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  await page.click('#copy-link');
  await page.waitForSelector('#share-status');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, shown, 'the clipboard holds the shown link');
  assert.ok(link.startsWith(`${server.origin}/`), `the link points at this page: ${link}`);
  assert.ok(!link.includes(password), 'the raw link has no password');
  const json = decodeShareFragment(link);
  assert.ok(!json.includes(password), `the decoded link has no password: ${json}`);
  assert.ok(json.includes('robot-share') && json.includes('share-second.example.com'), json);
  // The omitted field is named as the form names it (not by its project path, which stays in data-path).
  const omitted = await page.textContent('#share-omitted');
  assert.match(omitted, /Auth › share-mirror\.example\.com › Password/, `#share-omitted names the password's field: ${omitted}`);
  assert.doesNotMatch(omitted, /auth\[0\]/, `no internal path in the list: ${omitted}`);
  assert.equal(await page.getAttribute('#share-omitted .place', 'data-path'), 'auth[0].method.password');
  const before = await allPreviewFiles(page);

  // Open the link as someone else would: a new context (no storage shared), a new page.
  const other = await openPage(browser, server.origin);
  await gotoApp(other.page, server.origin, { fragment: new URL(link).hash.slice(1) });
  await tab(other.page, 'auth');
  assert.equal(await other.page.inputValue('#f-auth-0-host'), 'share-mirror.example.com');
  assert.equal(await other.page.inputValue('#f-auth-0-method-username'), 'robot-share');
  assert.equal(await other.page.inputValue('#f-auth-0-method-password'), '', 'the password must be typed again');
  // Typing the password back gives exactly the same bundle.
  await other.page.fill('#f-auth-0-method-password', password);
  const after = await allPreviewFiles(other.page);
  assert.deepEqual(after, before);
  await tab(other.page, 'apply');
  assert.ok(!(await other.page.inputValue('#share-link')).includes(password));
  assertClean(other.watch, 'the shared page');
  await other.context.close();
  await done('share link');
});

test('简体中文: tab labels and diagnostics switch language', T, async () => {
  const { page, done } = await fresh();
  await page.click('#add-registry');
  await page.fill('#f-registries-0-upstream', 'Quay.io');
  await page.waitForSelector('#f-registries-0-upstream-msgs');
  const enTab = (await page.textContent('#tab-registries')).trim();
  const enMsg = await page.textContent('#f-registries-0-upstream-msgs');
  assert.match(enTab, /Registries/);
  assert.match(enMsg, /upper-case/);

  await page.selectOption('#lang', 'zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  const zhTab = (await page.textContent('#tab-registries')).trim();
  const zhMsg = await page.textContent('#f-registries-0-upstream-msgs');
  assert.match(zhTab, /仓库与镜像/);
  assert.match(zhMsg, /大写字母/, zhMsg);
  assert.notEqual(zhMsg, enMsg);
  assert.match(await page.textContent('#tab-harbor'), /代理缓存/);
  assert.match(await page.textContent('#summary-list'), /错误/);
  await page.$eval('#f-registries-0-upstream', (e) => e.scrollIntoView({ block: 'center' }));
  await shot(page, 'zh-CN');

  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal((await page.textContent('#tab-registries')).trim(), enTab);
  await done('language switch');
});

test('keyboard only: Tab, Enter and typing fill a mirror that shows in the preview', T, async () => {
  const { page, done } = await fresh();
  await page.evaluate(() => document.activeElement?.blur());
  await tabTo(page, '#add-registry');
  await page.keyboard.press('Enter');
  // The new registry's first endpoint URL takes the focus.
  await page.waitForFunction((s) => document.activeElement?.matches(s), URL0);
  await page.keyboard.type('https://keyboard-mirror.example.com');
  assert.equal(await page.inputValue(URL0), 'https://keyboard-mirror.example.com');
  const upstream = await page.inputValue('#f-registries-0-upstream');
  const hosts = `certs.d/${upstream}/hosts.toml`;
  await tabTo(page, `#file-tree [data-path="${hosts}"]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#preview-content[data-path="${hosts}"]`);
  const text = await previewText(page);
  assert.deepEqual(hostOrder(text), ['https://keyboard-mirror.example.com'], text);
  // Ctrl+Z (keyboard) undoes the typing, in the form and in the preview.
  await page.keyboard.press('Control+z');
  await page.waitForFunction((s) => document.querySelector(s)?.value === '', URL0);
  await waitForPreview(page, hosts, (t) => !t.includes('keyboard-mirror'), 'after Ctrl+Z');
  // Ctrl+Shift+Z brings it back (the browser's own undo of the field must not have recorded an edit meanwhile).
  await page.keyboard.press('Control+Shift+z');
  await page.waitForFunction((s) => document.querySelector(s)?.value === 'https://keyboard-mirror.example.com', URL0);
  await waitForPreview(page, hosts, (t) => t.includes('keyboard-mirror'), 'after Ctrl+Shift+Z');
  await done('keyboard only');
});

test('screenshots at 1280×800 and 390×844, light and dark; every tab and file without errors or requests elsewhere', T, async () => {
  // A filled form: the Harbor preset plus one mirror with an error, so the shots show fields, messages and files.
  const { page, done } = await fresh();
  await page.selectOption('#preset', 'harbor-proxy-cache');
  await tab(page, 'registries');
  await page.click('#add-registry');
  await page.fill(URL0, 'https://my_mirror.example.com');
  await page.waitForSelector(`${URL0}[aria-invalid="true"]`);
  const fragment = await settledFragment(page, 'my_mirror.example.com', 'the address carries the state');
  // Visit every section and every file: nothing may log an error or ask the network.
  for (const s of ['target', 'registries', 'harbor', 'airgap', 'auth', 'tls', 'daemon', 'apply']) {
    await tab(page, s);
    assert.equal(await page.getAttribute('#section-panel', 'aria-labelledby'), `tab-${s}`);
  }
  await allPreviewFiles(page);
  await done('tour');

  for (const theme of ['light', 'dark']) {
    for (const [w, h] of [[1280, 800], [390, 844]]) {
      const s = await fresh({ viewport: { width: w, height: h }, query: `theme=${theme}`, fragment });
      assert.equal(await s.page.getAttribute('html', 'data-theme'), theme);
      await s.page.waitForSelector(`${URL0}[aria-invalid="true"]`);
      const overflow = await s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await shot(s.page, `app-${w}x${h}-${theme}`);
      assert.ok(overflow <= 0, `${w}×${h} ${theme}: the page scrolls sideways by ${overflow}px`);
      await s.done(`${w}×${h} ${theme}`);
    }
  }
  const asked = [...new Set(server.requests)];
  assert.ok(asked.every((p) => p === '/' || p === '/index.html' || /^\/[\w.-]+\.(js|wasm|css)$/.test(p)), `server saw ${asked}`);
});

test('a trailing slash is dropped: https://mirror.example.com/ is written without it, and with and without it is one endpoint (duplicate)', T, async () => {
  // Issue 8 item 7: the slash used to become its own [host."…/"] key, and both spellings were two endpoints.
  const { page, done } = await fresh();
  await page.click('#add-registry');
  await page.fill('#f-registries-0-upstream', 'docker.io');
  const hosts = 'certs.d/docker.io/hosts.toml';
  await page.fill(URL0, 'https://mirror.example.com/');
  const text = await waitForPreview(page, hosts, (t) => hostOrder(t).length === 1, 'the mirror in hosts.toml');
  assert.deepEqual(hostOrder(text), ['https://mirror.example.com'], text);
  assert.ok(!text.includes('mirror.example.com/'), text);
  // Said at the field, as a note: nothing is wrong with the URL.
  await page.waitForSelector(`${URL0}-msgs [data-code="U7-trailing-slash"]`);
  assert.equal(await page.getAttribute(URL0, 'aria-invalid'), 'false');

  await page.click('#f-registries-0-add-endpoint');
  await page.fill(URL1, 'https://mirror.example.com');
  await page.waitForSelector(`${URL1}[aria-invalid="true"]`);
  await page.waitForSelector(`${URL1}-msgs [data-code="U9-duplicate-endpoint"]`);
  assert.match(await page.getAttribute('#installable', 'class'), /error/);
  await done('trailing slash');
});

test('Problems list: each problem at its place in the form ("docker.io › endpoint 1 › URL"), counts in singular and plural, in both languages', T, async () => {
  // Issue 8 item 6: the list showed registries[0].endpoints[0].url and "1 errors".
  const { page, done } = await fresh();
  const title = () => page.textContent('#summary-title');
  const waitTitle = (re) => page.waitForFunction((src) => new RegExp(src).test(document.querySelector('#summary-title')?.textContent ?? ''), re.source);
  await page.click('#add-registry');
  await page.fill('#f-registries-0-upstream', 'docker.io');
  await page.fill(URL0, 'https://my_mirror.example.com');
  await page.waitForSelector(`${URL0}[aria-invalid="true"]`);
  await waitTitle(/\b1 error\b/);
  assert.doesNotMatch(await title(), /1 errors/);
  let list = await page.textContent('#summary-list');
  assert.ok(list.includes('docker.io › endpoint 1 › URL'), list);
  assert.ok(!list.includes('registries[0]'), `no internal path is shown: ${list}`);
  // The path itself stays at hand for support.
  const raw = page.locator('#summary-list [data-path="registries[0].endpoints[0].url"]');
  assert.equal(await raw.count(), 1);
  assert.match(await raw.getAttribute('title'), /registries\[0\]\.endpoints\[0\]\.url/);

  await page.click('#f-registries-0-add-endpoint');
  await page.fill(URL1, 'ftp://second.example.com');
  await waitTitle(/\b2 errors\b/);
  list = await page.textContent('#summary-list');
  assert.ok(list.includes('docker.io › endpoint 2 › URL'), list);
  assert.equal((await page.textContent('.preview-head .badge.error')).trim(), '2 errors — downloads blocked');

  await page.selectOption('#lang', 'zh-CN');
  await waitTitle(/2 个错误/);
  list = await page.textContent('#summary-list');
  assert.ok(list.includes('docker.io › 端点 1 › URL') && list.includes('docker.io › 端点 2 › URL'), list);
  await page.fill(URL1, 'https://second.example.com');
  await waitTitle(/(^|[^0-9])1 个错误/);
  assert.equal((await page.textContent('.preview-head .badge.error')).trim(), '1 个错误：无法下载');

  await page.selectOption('#lang', 'en');
  await waitTitle(/\b1 error\b/);
  assert.equal((await page.textContent('.preview-head .badge.error')).trim(), '1 error — downloads blocked');
  await done('problem places');
});

// ---- issue 8, items 4 and 10 ----------------------------------------------------------------------------------
// (Imports are hoisted, so these may sit here; distinct names keep them apart from the file's own.)
import { gunzipSync as gunzipTar } from 'node:zlib';
import { encodeShareFragment as linkFragment } from './lib/app.mjs';

/** Every entry's mtime (seconds since 1970) of a .tar.gz, read from the ustar headers. */
function tarMtimes(bytes) {
  const tar = gunzipTar(bytes);
  const out = [];
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const field = (start, len) => parseInt(h.subarray(start, start + len).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    out.push(field(136, 12));
    off += 512 + Math.ceil(field(124, 12) / 512) * 512;
  }
  return out;
}

test('the bundle carries project.json without secrets, says where the CLI comes from, and its entries are dated now, not 1970', T, async () => {
  const { page, done } = await fresh();
  const dir = tmpDir();
  await page.selectOption('#preset', 'dockerhub-mirrors');
  await tab(page, 'auth');
  await page.click('#f-auth-add');
  await page.fill('#f-auth-0-host', 'registry-1.docker.io');
  await page.fill('#f-auth-0-method-username', 'robot');
  await page.fill('#f-auth-0-method-password', 'e2e-Bundle-Secret-9');
  await tab(page, 'apply');
  await page.waitForSelector('#download-bundle:not([disabled])');
  const before = Math.floor(Date.now() / 1000);
  const tgz = await download(page, '#download-bundle', dir);
  const after = Math.ceil(Date.now() / 1000);
  const bytes = fs.readFileSync(tgz);
  const entries = readTarGz(bytes).filter((e) => e.type === 'file');
  const byName = Object.fromEntries(entries.map((e) => [e.path.split('/').slice(1).join('/'), e.content.toString('utf8')]));
  assert.ok('project.json' in byName, `project.json in the bundle: ${Object.keys(byName)}`);
  const project = JSON.parse(byName['project.json']);
  assert.equal(project.registries[0].upstream, 'docker.io');
  assert.ok(!byName['project.json'].includes('e2e-Bundle-Secret-9'), 'project.json holds no password');
  assert.ok(byName['config-fragment.toml'].includes('e2e-Bundle-Secret-9'), 'the fragment does (it is what gets installed)');
  // No-paste path: the CLI is built from this repository, and pasting the node's file is the other way.
  assert.match(byName['README.txt'], /cargo install --path crates\/cli/);
  assert.match(byName['README.txt'], /paste the node's config\.toml/);
  assert.match(byName['install.sh'], /cargo install --path crates\/cli/);
  assert.match(byName['install.sh'], /3 {2}the files are installed, but the registry settings are NOT active yet/);
  assert.ok(!/install_file 'project\.json'/.test(byName['install.sh']), 'install.sh does not install project.json');
  // The CLI reads the bundle's own project.json back.
  const pj = path.join(dir, 'project.json');
  fs.writeFileSync(pj, byName['project.json']);
  let status = 0;
  try {
    execFileSync('cargo', ['run', '-q', '-p', 'containerd-config-builder', '--', 'check', pj], { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'] });
  } catch (e) {
    status = e.status;
  }
  assert.notEqual(status, 2, 'the CLI loads the bundle\'s project.json (exit 2 is unreadable input)');
  // Dated when it was downloaded (the old archive said 1970-01-01 for every entry).
  const mtimes = tarMtimes(bytes);
  assert.ok(mtimes.length >= entries.length, `${mtimes}`);
  for (const m of mtimes) assert.ok(m >= before - 1 && m <= after + 1, `entry dated ${new Date(m * 1000).toISOString()}, downloaded at ${new Date(before * 1000).toISOString()}`);
  fs.rmSync(dir, { recursive: true, force: true });
  await done('bundle with project.json');
});

test('the config.toml diff lists a replaced line\'s old text (−) before its new text (+)', T, async () => {
  const { page, done } = await fresh();
  await page.click('#add-registry');
  await page.fill('#f-registries-0-upstream', 'docker.io');
  await page.fill(URL0, 'https://diff-mirror.example.com');
  await tab(page, 'apply');
  await page.fill('#existing-config', `${NODE_CONFIG}\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = ""\n`);
  await page.waitForSelector('#config-diff .line.added');
  const lines = await page.$$eval('#config-diff .line', (els) => els.map((e) => ({ c: e.classList.contains('added') ? '+' : e.classList.contains('removed') ? '-' : ' ', t: e.textContent })));
  const removed = lines.findIndex((l) => l.c === '-' && l.t.includes('config_path = ""'));
  const added = lines.findIndex((l) => l.c === '+' && l.t.includes('config_path = "/etc/containerd/certs.d"'));
  assert.ok(removed >= 0 && added >= 0, JSON.stringify(lines));
  assert.ok(removed < added, `the removed line comes first: ${JSON.stringify(lines.slice(Math.min(removed, added) - 1, Math.max(removed, added) + 2))}`);
  for (let i = 1; i < lines.length; i++) {
    assert.ok(!(lines[i - 1].c === '+' && lines[i].c === '-'), `an added line before a removed one at ${i}: ${JSON.stringify(lines.slice(i - 2, i + 2))}`);
  }
  await done('diff order');
});

test('a share link opens in the receiver\'s language (browser or ?lang=), not the sender\'s', T, async () => {
  const patch = { registries: [{ upstream: 'ghcr.io', endpoints: [{ url: 'https://lang-mirror.example.com' }] }] };
  // Made by a Chinese-speaking sender, opened by an English browser: English.
  const en = await fresh({ fragment: linkFragment(patch, 'zh-CN') });
  await en.page.waitForSelector('#notice');
  assert.equal(await en.page.getAttribute('html', 'lang'), 'en');
  assert.match(await en.page.textContent('#tab-registries'), /Registries/);
  await tab(en.page, 'registries');
  assert.equal(await en.page.inputValue(URL0), 'https://lang-mirror.example.com', 'the project itself is opened');
  await en.done('link in zh, English reader');
  // The other way round: a Chinese browser gets Chinese from an English link.
  const zh = await fresh({ locale: 'zh-CN', fragment: linkFragment(patch, 'en') });
  assert.equal(await zh.page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await zh.page.textContent('#tab-registries'), /仓库与镜像/);
  await zh.done('link in en, Chinese reader');
  // ?lang= is the receiver's explicit choice.
  const q = await fresh({ query: 'lang=zh-CN', fragment: linkFragment(patch, 'en') });
  assert.equal(await q.page.getAttribute('html', 'lang'), 'zh-CN');
  await q.done('?lang= wins');
});

test('Docker Hub preset: the ops note\'s three mirrors, and a banner that speaks of the ops note (no "seed"), in both languages', T, async () => {
  const { page, done } = await fresh();
  await page.selectOption('#preset', 'dockerhub-mirrors');
  await page.waitForSelector('#notice');
  const banner = await page.textContent('#notice');
  assert.match(banner, /As listed in the ops note/);
  assert.doesNotMatch(banner, /seed/i);
  await tab(page, 'registries');
  const urls = [];
  for (let i = 0; ; i++) {
    const el = await page.$(`#f-registries-0-endpoints-${i}-url`);
    if (!el) break;
    urls.push(await el.inputValue());
  }
  assert.deepEqual(urls, ['https://fogjl973.mirror.aliyuncs.com', 'https://8x40wsit.mirror.aliyuncs.com', 'https://docker.mirrors.ustc.edu.cn']);
  await done('dockerhub preset');

  const zh = await fresh({ locale: 'zh-CN' });
  await zh.page.selectOption('#preset', 'dockerhub-mirrors');
  await zh.page.waitForSelector('#notice');
  const zhBanner = await zh.page.textContent('#notice');
  assert.match(zhBanner, /运维笔记/);
  assert.doesNotMatch(zhBanner, /种子/);
  await zh.done('dockerhub preset, zh');
});
