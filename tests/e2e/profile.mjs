// Where the page's time goes (scripts/bench.sh with BENCH_PROFILE=1): Chromium's sampling profiler (CDP), self
// time summed per function and per crate, in one of two moments:
//   - keys (default): while KEYS characters are typed into a mirror URL with N registries loaded;
//   - load: a page load up to the mark 'ccb-app-ready' (the app's first render done), averaged over RUNS loads. Each load is a fresh context
//     whose tab first opens a same-origin page, so that the profiler is already running in the renderer the app
//     loads in; that renderer is then not cold (its font caches are warm), so the profile shows the script's share
//     of a first preview, not the browser's font lookups (a devtools.timeline trace shows those).
// Needs a dist/ whose wasm still has its name section (bench.sh swaps in the named main module `xtask split` keeps
// from before wasm-opt, same interface), else every wasm frame shows as wasm-function[…]. That module is not
// optimised by wasm-opt: its times are larger than the shipped one's, their proportions alike.
// Usage: CCB_DIST=DIR node tests/e2e/profile.mjs [keys] [N=500] [KEYS=20]
//        CCB_DIST=DIR node tests/e2e/profile.mjs load [RUNS=5]
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { serve } from './lib/server.mjs';
import { launch, openPage } from './lib/browser.mjs';
import { gotoApp, openFile, encodeShareFragment } from './lib/app.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.CCB_DIST || path.join(ROOT, 'dist');
const args = process.argv.slice(2);
const mode = args[0] === 'load' || args[0] === 'keys' ? args.shift() : 'keys';

const startProfiler = async (cdp) => {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
};

/** Self and inclusive time per function over `profiles`, divided by `per` (the number of loads averaged). */
function summarise(profiles, per, title) {
  const self = new Map();
  // Time with the function anywhere on the stack (counted once per sample however deep it recurses).
  const inclusive = new Map();
  let total = 0;
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((nd) => [nd.id, nd]));
    const parent = new Map();
    for (const nd of profile.nodes) for (const c of nd.children ?? []) parent.set(c, nd.id);
    const nameOf = (nd) => (nd.callFrame.functionName || `(${nd.callFrame.url.split('/').pop() || 'native'})`).replace(/::h[0-9a-f]{16}$/, '');
    profile.samples.forEach((id, i) => {
      const name = nameOf(byId.get(id));
      const d = profile.timeDeltas[i] / 1000 / per;
      total += d;
      self.set(name, (self.get(name) ?? 0) + d);
      const seen = new Set();
      for (let x = id; x !== undefined; x = parent.get(x)) {
        const k = nameOf(byId.get(x));
        if (!seen.has(k)) {
          seen.add(k);
          inclusive.set(k, (inclusive.get(k) ?? 0) + d);
        }
      }
    });
  }
  const crate = (s) => {
    if (s.startsWith('(')) return s; // (program) = the browser's own work: style, layout, paint, GC; (idle)
    const m = /^<?&?(?:mut )?([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/.exec(s);
    return m ? m[1] : 'JS glue / DOM calls';
  };
  const byCrate = new Map();
  for (const [k, v] of self) byCrate.set(crate(k), (byCrate.get(crate(k)) ?? 0) + v);
  const ms = (v) => `${v.toFixed(1).padStart(8)} ms`;
  console.log(`profile: ${title}, ${total.toFixed(0)} ms sampled; self time per crate:`);
  for (const [k, v] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${ms(v)}  ${k}`);
  console.log('largest self times:');
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${ms(v)}  ${k.slice(0, 150)}`);
  console.log('largest inclusive times (the function and what it calls), our crates and yew:');
  const ours = (k) => /^<?&?(?:mut )?(ccb_core|containerd_config_builder_web|yew)/.test(k) || /^<(ccb_core|containerd_config_builder_web|yew)/.test(k);
  for (const [k, v] of [...inclusive].filter(([k]) => ours(k)).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.PROFILE_TOP || 40))) console.log(`${ms(v)}  ${k.slice(0, 150)}`);
}

async function profileKeys(browser, server, n, keys) {
  const { page } = await openPage(browser, server.origin);
  const registries = Array.from({ length: n }, (_, i) => ({ upstream: `r${i}.example.com`, endpoints: [{ url: `https://m${i}.example.com` }] }));
  await gotoApp(page, server.origin, { fragment: encodeShareFragment({ registries }) });
  const field = '#f-registries-0-endpoints-0-url';
  // With many registries the cards start folded: unfold the first one, as a user would (as bench.mjs does).
  await page.waitForSelector('#f-registries-0-toggle');
  if (!(await page.$(field))) await page.click('#f-registries-0-toggle');
  await page.waitForSelector(field);
  await openFile(page, 'certs.d/r0.example.com/hosts.toml');
  await page.click(field);
  await page.keyboard.press('End');
  const cdp = await page.context().newCDPSession(page);
  await startProfiler(cdp);
  for (let k = 0; k < keys; k++) {
    await page.keyboard.press('x');
    await page.waitForTimeout(30);
  }
  await page.waitForTimeout(500);
  const { profile } = await cdp.send('Profiler.stop');
  summarise([profile], 1, `${keys} keystrokes with ${n} registries`);
}

async function profileLoads(browser, server, runs) {
  const profiles = [];
  for (let i = 0; i < runs; i++) {
    const { context, page } = await openPage(browser, server.origin, { intercept: false });
    // Any same-origin page (a 404 is fine): the app's load then stays in this renderer, the profiler's.
    await page.goto(`${server.origin}/profile-blank`);
    const cdp = await context.newCDPSession(page);
    await startProfiler(cdp);
    await page.goto(`${server.origin}/`, { waitUntil: 'commit' });
    await page.waitForFunction(() => performance.getEntriesByName('ccb-app-ready').length > 0, null, { polling: 5 });
    profiles.push((await cdp.send('Profiler.stop')).profile);
    await context.close();
  }
  summarise(profiles, runs, `a load up to the app's first render, mean of ${runs} loads (renderer warm, wasm not optimised)`);
}

const server = await serve(DIST);
const browser = await launch();
try {
  if (mode === 'load') await profileLoads(browser, server, Number(args[0] || 5));
  else await profileKeys(browser, server, Number(args[0] || 500), Number(args[1] || 20));
} finally {
  await browser.close();
  await server.close();
}
