// One static server of a built dist/ and one browser per test file: opened before the file's tests, closed after
// them. `opened` receives { server, browser } once they are up.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { serve } from './server.mjs';
import { launch } from './browser.mjs';

export function appSuite(dist, opened, { artifacts } = {}) {
  let server;
  let browser;
  before(async () => {
    assert.ok(fs.existsSync(path.join(dist, 'index.html')), `${dist}/index.html is missing: run \`trunk build --release\` first`);
    if (artifacts) fs.mkdirSync(artifacts, { recursive: true });
    server = await serve(dist);
    browser = await launch();
    opened({ server, browser });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}
