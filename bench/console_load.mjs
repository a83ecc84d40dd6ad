// How fast the admin console shows its data: a gateway with many tokens and call-log
// records, each page opened in Debian's headless Chromium and timed from navigation start
// until its data is on screen (no "Loading…" left, every stat filled). A documented
// command, not a test:
//
//   node bench/console_load.mjs [--build-dir build-test] [--tokens 1000] [--records 5000]
//                               [--runs 5] [--chromium /usr/bin/chromium]
//
// Prints one JSON line per page: the first load (empty cache) and the median of the
// reloads after it, in ms, and the bytes the page transferred the first time.
import { parseArgs } from 'node:util';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import OpenAI from '../tests/sdk/node_modules/openai/index.mjs';
import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';
import { startSimulator, startGateway } from '../tests/sdk/harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    'build-dir': { type: 'string', default: 'build-test' },
    tokens: { type: 'string', default: '1000' },
    records: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '5' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
process.env.G2A_BUILD_DIR = resolve(root, opt['build-dir']);
const SSO = 'bench-console-token-0001';

const sim = await startSimulator();
await sim.control('accounts', { sso: SSO, tier: 'super' });
const gw = await startGateway(sim);
let browser;
try {
  // The pool: one real account and many that only fill the list.
  const fillers = Array.from({ length: Number(opt.tokens) - 1 }, (_, i) => `bench-console-filler-${String(i).padStart(6, '0')}`);
  const added = await gw.admin('POST', '/api/tokens/add', { tokens: [SSO, ...fillers], token_type: 'ssoSuper' });
  if (added.status !== 200) throw new Error(`adding tokens: ${JSON.stringify(added.body)}`);
  // The call log: real chat calls, 8 at a time (a tenth of them for an unknown model).
  const client = new OpenAI({ apiKey: 'sk-test-key', baseURL: `${gw.base}/v1`, maxRetries: 0 });
  let next = 0;
  const worker = async () => {
    while (next < Number(opt.records)) {
      const i = next++;
      const model = i % 10 === 0 ? 'bench-no-such-model' : 'grok-4-fast';
      await client.chat.completions.create({ model, messages: [{ role: 'user', content: `bench ${i}` }] }).catch(() => {});
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));

  browser = await chromium.launch({
    executablePath: opt.chromium,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${gw.base}/login`);
  await page.fill('#username', 'admin');
  await page.fill('#password', 'sdk-test-admin');
  await page.click('#login-form button[type=submit]');
  await page.waitForURL('**/manage#tokens');

  const shown = () => {
    const main = document.querySelector('main');
    if (!main || !main.querySelector('h1') || /Loading…/.test(main.textContent)) return false;
    if ([...main.querySelectorAll('.stat .value')].some((v) => v.textContent === '–')) return false;
    return main.querySelector('tbody tr, .settings-section') !== null;
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const name of ['tokens', 'logs', 'proxies', 'videos', 'settings', 'plugins']) {
    await context.clearCookies();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    const times = [];
    let bytes = 0;
    for (let run = 0; run <= Number(opt.runs); run++) {
      await page.goto('about:blank');
      await page.goto(`${gw.base}/manage#${name}`);
      await page.waitForFunction(shown, null, { polling: 'raf', timeout: 60000 });
      const [ms, transferred] = await page.evaluate(() => [
        performance.now(),
        performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, 0) +
          performance.getEntriesByType('navigation').reduce((n, r) => n + r.transferSize, 0),
      ]);
      if (run === 0) bytes = transferred;
      times.push(ms);
    }
    console.log(JSON.stringify({
      page: name, tokens: Number(opt.tokens), records: Number(opt.records),
      first_ms: Math.round(times[0]), median_reload_ms: Math.round(median(times.slice(1))), first_bytes: bytes,
    }));
  }
} finally {
  if (browser) await browser.close();
  await gw.stop();
  await sim.stop();
}
