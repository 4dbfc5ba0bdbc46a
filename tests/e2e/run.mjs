// Runs the end-to-end tests with node's test runner and ends with the plain line `N passed, M failed`.
// Usage: node tests/e2e/run.mjs [files…]   (default: every tests/e2e/*.test.mjs)
// Exit status: 0 only when every test passed and at least one ran.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const artifacts = path.join(root, 'target', 'e2e-artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const tap = path.join(artifacts, 'results.tap');
fs.rmSync(tap, { force: true });

const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : fs.readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(here, f));

const started = Date.now();
const r = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
const seconds = ((Date.now() - started) / 1000).toFixed(1);

const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
const count = (name) => Number((text.match(new RegExp(`^# ${name} (\\d+)$`, 'm')) ?? [0, 0])[1]);
const passed = count('pass');
const failed = count('fail') + count('cancelled');
console.log(`e2e: ${files.length} file(s) in ${seconds}s; TAP report in ${path.relative(root, tap)}; screenshots in ${path.relative(root, artifacts)}/`);
const ok = r.status === 0 && failed === 0 && passed > 0;
// If the runner died without a report, count that as a failure.
console.log(`${passed} passed, ${failed || (ok ? 0 : 1)} failed`);
process.exit(ok ? 0 : 1);
