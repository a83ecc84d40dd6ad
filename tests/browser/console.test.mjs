// The admin console end to end in Debian's headless Chromium (playwright-core with
// executablePath), against a real gateway, the grok.com simulator, a real tinyproxy and
// the official openai npm package: log in, add tokens, see a chat call in the call logs,
// add and bind a proxy, watch a video complete, change a setting and see it survive a
// restart, in English and Chinese, at desktop and phone width, by keyboard.
// Screenshots of every page go to $G2A_SCREENSHOT_DIR (default <build>/console-screenshots).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from '../sdk/node_modules/openai/index.mjs';
import { chromium } from 'playwright-core';
import { startSimulator, startGateway } from '../sdk/harness.mjs';
import { startTinyproxy, simulatorPorts } from '../sdk/proxies.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const buildDir = process.env.G2A_BUILD_DIR || resolve(here, '..', '..', 'build-test');
const shots = process.env.G2A_SCREENSHOT_DIR || join(buildDir, 'console-screenshots');
const chromiumPath = process.env.G2A_CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'sdk-test-admin';
const ACCOUNTS = [
  ['console-super-0001-aaaaaaaaaaaaaaaaaaaa', 'super'],
  ['console-super-0002-bbbbbbbbbbbbbbbbbbbb', 'super'],
];
// Settings the environment must not pin, so the console can change them.
const ENV = { GROK2API_VIDEO_POLL_AFTER_MS: '100' };

let sim;
let gw;
let proxy;
let browser;

before(async () => {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath} (apt-get install chromium)`);
  mkdirSync(shots, { recursive: true });
  sim = await startSimulator();
  for (const [sso, tier] of ACCOUNTS) {
    await sim.control('accounts', { sso, tier });
    await sim.control('quota', { sso, media: 'video', remaining: 400 });
    await sim.control('quota', { sso, media: 'video720p', remaining: 400 });
  }
  gw = await startGateway(sim, ENV);
  proxy = await startTinyproxy({ connectPorts: simulatorPorts(sim) });
  // The flags a closed network needs: no background connections to Google's hosts.
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (proxy) await proxy.close();
  if (gw) await gw.stop();
  if (sim) {
    await sim.control('video/release', {});
    const violations = await sim.control('violations');
    await sim.stop();
    assert.deepEqual(violations, [], 'the simulator saw protocol violations');
  }
});

// A page that fails the test on any script error or failed request of the console.
async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  // Chromium reports every 4xx answer as a console error; the refusals the tests provoke
  // (a wrong password, a refused setting) are checked where they happen, so only script
  // errors and server errors count here.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.problems.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500) page.problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return page;
}

function noProblems(page) {
  const seen = page.problems.splice(0);
  assert.deepEqual(seen, [], 'the console ran without errors');
}

async function login(page, base = gw.base) {
  await page.goto(`${base}/`);
  await page.waitForURL('**/login**');
  await page.fill('#username', 'admin');
  await page.fill('#password', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL('**/manage#tokens');
}

// The whole page, or with full false what the window shows (a long page's focused part).
async function shot(page, name, full = true) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: full });
}

const rowCount = (page, selector) => page.locator(selector).count();

// Waits until the page in <main> has its data: a heading and no loading placeholder.
function settled(page) {
  return page.waitForFunction(() => {
    const main = document.querySelector('main');
    return main && main.querySelector('h1') && !/Loading…|加载中…/.test(main.textContent);
  });
}

let page;

test('the console is served by the gateway with no external resources', async () => {
  const root = await fetch(`${gw.base}/`, { redirect: 'manual' });
  assert.equal(root.status, 302);
  assert.equal(root.headers.get('location'), '/manage');
  for (const path of ['/login', '/manage']) {
    const r = await fetch(`${gw.base}${path}`);
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
    const html = await r.text();
    assert.doesNotMatch(html, /https?:\/\//, `${path} loads nothing from another site`);
  }
  const js = await fetch(`${gw.base}/static/manage.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /javascript/);
  const again = await fetch(`${gw.base}/static/manage.js`, { headers: { 'if-none-match': js.headers.get('etag') } });
  assert.equal(again.status, 304, 'revalidation by ETag');
  assert.equal((await fetch(`${gw.base}/static/nope.js`)).status, 404);
  assert.equal((await fetch(`${gw.base}/static/..%2Fsetting.toml`)).status, 404);
});

test('log in: a wrong password is refused on the page, the right one opens the console', async () => {
  page = await newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${gw.base}/manage#logs`);
  await page.waitForURL('**/login**');
  await shot(page, 'login');
  await page.fill('#username', 'admin');
  await page.fill('#password', 'wrong');
  await page.click('#login-form button[type=submit]');
  await page.locator('#login-error').filter({ hasText: 'wrong username or password' }).waitFor();
  await page.fill('#password', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL('**/manage#logs', { timeout: 10000 });
  await page.locator('h1', { hasText: 'Call logs' }).waitFor();
  const foreign = requests.filter((u) => !u.startsWith(gw.base) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'every request stays on the gateway');
  noProblems(page);
});

test('tokens: add in bulk, tag, note, test, filter and delete', async () => {
  await page.goto(`${gw.base}/manage#tokens`);
  await page.locator('.state.empty', { hasText: 'No tokens yet' }).waitFor();
  await page.click('#tokens-add');
  const extra = 'console-extra-0003-cccccccccccccccccccc';
  await page.fill('#tokens-paste', `${ACCOUNTS[0][0]}\n${ACCOUNTS[1][0]}, sso=${extra}\n\n`);
  await page.selectOption('#tokens-add-type', 'ssoSuper');
  await shot(page, 'tokens-add');
  await page.locator('dialog .buttons button.primary').click();
  await page.locator('#toast .msg', { hasText: '3 token(s) added' }).waitFor();
  await page.locator(`tr[data-token="${extra}"]`).waitFor();
  assert.equal(await rowCount(page, 'tbody tr[data-token]'), 3);
  const listed = await gw.admin('GET', '/api/tokens?limit=100');
  assert.deepEqual(listed.body.data.map((t) => t.token).sort(), [...ACCOUNTS.map((a) => a[0]), extra].sort());
  assert.ok(listed.body.data.every((t) => t.token_type === 'ssoSuper'));

  // Tags and a note through the dialogs.
  const row = page.locator(`tr[data-token="${ACCOUNTS[0][0]}"]`);
  await row.getByRole('button', { name: /^Tags / }).click();
  await page.locator('dialog input').fill('eu, primary');
  await page.locator('dialog input').press('Enter');
  await row.locator('.tag', { hasText: 'primary' }).waitFor();
  await row.getByRole('button', { name: /^Note / }).click();
  await page.locator('dialog input').fill('from the console');
  await page.locator('dialog .buttons button.primary').click();
  await row.locator('td', { hasText: 'from the console' }).waitFor();
  const tagged = (await gw.admin('GET', '/api/tokens?limit=100')).body.data.find((t) => t.token === ACCOUNTS[0][0]);
  assert.deepEqual(tagged.tags, ['eu', 'primary']);
  assert.equal(tagged.note, 'from the console');

  // The tag filter lists the new tags and narrows the list.
  await page.locator('#token-tag-filter option[value="primary"]').waitFor({ state: 'attached' });
  await page.selectOption('#token-tag-filter', 'primary');
  await page.waitForFunction(() => document.querySelectorAll('tbody tr[data-token]').length === 1);
  await page.selectOption('#token-tag-filter', '');
  await page.waitForFunction(() => document.querySelectorAll('tbody tr[data-token]').length === 3);

  // Test one: the simulator answers its quotas.
  await row.getByRole('button', { name: /^Test / }).click();
  await page.locator('#toast .msg', { hasText: 'valid' }).waitFor();

  // Delete the one grok.com does not know, with confirmation.
  await page.locator(`tr[data-token="${extra}"]`).getByRole('button', { name: /^Delete / }).click();
  await page.locator('dialog .buttons button.danger').click();
  await page.locator(`tr[data-token="${extra}"]`).waitFor({ state: 'detached' });
  assert.equal((await gw.admin('GET', '/api/tokens?limit=100')).body.total, 2);
  await shot(page, 'tokens');
  noProblems(page);
});

test('call logs: a chat call appears with stats, chart, filters, detail, export and trim', async () => {
  const client = new OpenAI({ apiKey: 'sk-test-key', baseURL: `${gw.base}/v1`, maxRetries: 0 });
  const done = await client.chat.completions.create({ model: 'grok-4-fast', messages: [{ role: 'user', content: 'hello from the console test' }] });
  assert.ok(done.choices[0].message.content.length > 0);
  await assert.rejects(client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }));

  // The page holds its first answers until the layout is measured: numbers arriving must
  // not move what is below them.
  let release;
  const gate = new Promise((r) => (release = r));
  const hold = async (route) => {
    await gate;
    await route.continue();
  };
  await page.route('**/api/logs/stats', hold);
  await page.route('**/api/logs/timeseries?*', hold);
  await page.goto(`${gw.base}/manage#logs`);
  await page.locator('tbody tr[data-id]').first().waitFor();
  const before = await page.locator('#logs-filters').boundingBox();
  release();
  await page.locator('.stat', { hasText: 'Calls' }).locator('.value', { hasText: '2' }).waitFor();
  await page.locator('svg.chart').waitFor();
  await page.unroute('**/api/logs/stats');
  await page.unroute('**/api/logs/timeseries?*');
  const afterBox = await page.locator('#logs-filters').boundingBox();
  assert.equal(afterBox.y, before.y, 'the filters did not move when the stats and chart arrived');

  assert.equal(await rowCount(page, 'tbody tr[data-id]'), 2);
  await page.locator('.stat', { hasText: 'Calls' }).locator('.value', { hasText: '2' }).waitFor();
  await page.locator('.stat', { hasText: 'Success rate' }).locator('.value', { hasText: '50.00%' }).waitFor();
  await page.locator('#logs-chart-summary', { hasText: '2 calls, 1 failed' }).waitFor();
  const bars = await page.locator('svg.chart rect.calls').count();
  assert.ok(bars >= 1 && bars <= 2, `a bar for this hour (two across an hour's end): ${bars}`);
  const ok = page.locator('tbody tr[data-id]', { hasText: 'grok-4-fast' });
  await ok.locator('.badge.ok').waitFor();

  // Filters: failures only, then the model.
  await page.selectOption('#logs-success', 'false');
  await page.click('#logs-filters button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('tbody tr[data-id]').length === 1);
  assert.match(await page.locator('tbody tr[data-id]').innerText(), /no-such-model/);
  await page.click('#logs-filters button[type=button]');
  await page.waitForFunction(() => document.querySelectorAll('tbody tr[data-id]').length === 2);
  await page.selectOption('#logs-model', 'grok-4-fast');
  await page.click('#logs-filters button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('tbody tr[data-id]').length === 1);
  await shot(page, 'logs');

  // Detail by keyboard: focus the row, Enter.
  await page.locator('tbody tr[data-id]').first().focus();
  await page.keyboard.press('Enter');
  const detail = page.locator('#log-detail');
  await detail.waitFor();
  assert.match(await detail.innerText(), /grok-4-fast/);
  assert.match(await detail.innerText(), /request_id/);
  await shot(page, 'logs-detail');
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'detached' });

  // Export of the filtered view.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#logs-export-csv')]);
  const file = await download.path();
  assert.ok(statSync(file).size > 0);
  const csv = (await import('node:fs')).readFileSync(file, 'utf8');
  assert.match(csv, /grok-4-fast/);
  assert.doesNotMatch(csv, /no-such-model/, 'the export follows the filters');

  // Keep the newest 1, then clear, each confirmed.
  await page.click('#logs-filters button[type=button]');
  await page.click('#logs-trim');
  await page.locator('dialog input').fill('1');
  await page.locator('dialog .buttons button.primary').click();
  await page.locator('dialog .buttons button.danger').click();
  await page.locator('#toast .msg', { hasText: '1 record(s) deleted' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('tbody tr[data-id]').length === 1);
  await page.click('#logs-clear');
  await page.locator('dialog .buttons button', { hasText: 'Cancel' }).click();
  assert.equal((await gw.admin('GET', '/api/logs')).body.total, 1, 'cancel kept the records');
  await page.click('#logs-clear');
  await page.locator('dialog .buttons button.danger').click();
  await page.locator('.state.empty', { hasText: 'No calls recorded yet' }).waitFor();
  assert.equal((await gw.admin('GET', '/api/logs')).body.total, 0);
  noProblems(page);
});

test('proxies: add a real tinyproxy, test it, bind and unbind an SSO, reset, delete', async () => {
  await page.goto(`${gw.base}/manage#proxies`);
  await page.locator('.state.empty').waitFor();
  await page.fill('#proxy-url', 'ftp://nope');
  await page.click('#proxy-add');
  await page.locator('#proxy-add-error', { hasText: 'Failed' }).waitFor();
  await page.fill('#proxy-url', proxy.url);
  await page.click('#proxy-add');
  const row = page.locator('tbody tr[data-url]');
  await row.waitFor();
  assert.equal(await row.getAttribute('data-url'), proxy.url);
  await row.locator('.badge.ok').waitFor();

  const linesBefore = proxy.lines.length;
  await row.getByRole('button', { name: /^Test / }).click();
  await page.locator('#toast .msg', { hasText: 'HTTP 200' }).waitFor();
  assert.ok(proxy.lines.length > linesBefore, 'the test went through tinyproxy');

  await row.getByRole('button', { name: /^Bind SSO / }).click();
  await page.selectOption('#proxy-assign-sso', ACCOUNTS[1][0]);
  await page.locator('dialog .buttons button.primary').click();
  await row.locator('.mono[title]', { hasText: ACCOUNTS[1][0].slice(0, 8) }).waitFor();
  const listed = await gw.admin('GET', '/api/proxies');
  assert.equal(listed.body.assignments[ACCOUNTS[1][0]], proxy.url);
  await page.locator('.stat', { hasText: 'Bound SSOs' }).locator('.value', { hasText: '1' }).waitFor();
  await shot(page, 'proxies');

  await row.getByRole('button', { name: /^Unbind / }).click();
  await row.locator('.mono[title]').waitFor({ state: 'detached' });
  assert.deepEqual((await gw.admin('GET', '/api/proxies')).body.assignments, {});

  await row.getByRole('button', { name: /^Reset health / }).click();
  await page.locator('#toast .msg', { hasText: 'healthy again' }).waitFor();

  await row.getByRole('button', { name: /^Delete / }).click();
  await page.locator('dialog .buttons button.danger').click();
  await page.locator('.state.empty').waitFor();
  assert.equal((await gw.admin('GET', '/api/proxies')).body.total, 0);
  noProblems(page);
});

test('videos: a task shows its progress live, completes, plays and is deleted', async () => {
  await sim.control('video/hold', { after_progress: 45 });
  await page.goto(`${gw.base}/manage#videos`);
  await page.locator('.state.empty', { hasText: 'No video tasks' }).waitFor();
  const client = new OpenAI({ apiKey: 'sk-test-key', baseURL: `${gw.base}/v1`, maxRetries: 0 });
  const created = await client.videos.create({ prompt: 'a lighthouse in the console', model: 'sora-2', seconds: '4' });
  await sim.control('video/held?count=1&timeout_ms=20000');
  // The open page finds the new task by itself and shows it running.
  const row = page.locator(`tr[data-id="${created.id}"]`);
  await row.waitFor({ timeout: 20000 });
  await page.locator(`tr[data-id="${created.id}"][data-status="in_progress"]`).waitFor({ timeout: 20000 });
  await page.waitForFunction((id) => {
    const p = document.querySelector(`tr[data-id="${id}"] progress`);
    return p && p.value >= 45 && p.value < 100;
  }, created.id);
  await page.locator('#videos-live', { hasText: 'Updating live' }).waitFor();
  await shot(page, 'videos-running');
  await sim.control('video/release', {});
  await page.locator(`tr[data-id="${created.id}"][data-status="completed"]`).waitFor({ timeout: 30000 });

  // Preview: the dialog's <video> loads the file from the gateway.
  const [media] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(`/videos/${created.id}`)),
    page.locator(`tr[data-id="${created.id}"]`).getByRole('button', { name: /^Preview / }).click(),
  ]);
  assert.ok([200, 206].includes(media.status()), `video answered ${media.status()}`);
  assert.match(media.headers()['content-type'], /^video\//);
  await page.locator('#video-preview').waitFor();
  await shot(page, 'videos-preview');
  await page.keyboard.press('Escape');

  await page.locator(`tr[data-id="${created.id}"]`).getByRole('button', { name: /^Delete / }).click();
  await page.locator('dialog .buttons button.danger').click();
  await page.locator('.state.empty', { hasText: 'No video tasks' }).waitFor();
  const gone = await gw.admin('GET', '/api/videos');
  assert.equal(gone.body.total, 0);
  noProblems(page);
});

test('settings: grouped as in the example, checked here, refused by the server at the field, kept across a restart', async () => {
  await page.goto(`${gw.base}/manage#settings`);
  const field = page.locator('#setting-global-log_max_count');
  await field.waitFor();
  // Grouped and ordered as in setting.example.toml.
  const sections = await page.locator('.settings-section > h2').allInnerTexts();
  assert.deepEqual(sections.slice(0, 3), ['models', '[grok]', '[global]']);
  assert.ok(sections.includes('[video]') && sections.includes('[storage]'));
  // Pinned by the environment: read-only, and says so.
  assert.ok(await page.locator('#setting-global-admin_password').isDisabled());
  // Not changeable at runtime: storage and plugins.
  assert.ok(await page.locator('#setting-storage-mode').isDisabled());
  // A masked secret list is editable only once revealed (else its masks would be saved).
  assert.ok(await page.locator('#setting-grok-proxy_urls').isDisabled());
  await page.check('#settings-reveal');
  await page.waitForFunction(() => !document.querySelector('#setting-grok-proxy_urls')?.disabled);
  await page.uncheck('#settings-reveal');
  await page.waitForFunction(() => document.querySelector('#setting-grok-proxy_urls')?.disabled);

  // Checked before saving: not a number, then out of the schema's range.
  await field.fill('lots');
  await page.click('#settings-save');
  const fieldError = page.locator('.field.invalid[data-name="global.log_max_count"] .error');
  await fieldError.filter({ hasText: 'whole number' }).waitFor();
  await field.fill('-5');
  await page.click('#settings-save');
  await fieldError.filter({ hasText: 'an integer >= 0' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'setting-global-log_max_count');
  // What only the server can judge: its verdict is shown next to the field it names.
  await field.fill('10000');
  const zone = page.locator('#setting-global-time_zone');
  const zoneBefore = await zone.inputValue();
  await zone.fill('Mars/Olympus_Mons');
  await page.click('#settings-save');
  const zoneError = page.locator('.field.invalid[data-name="global.time_zone"] .error');
  await zoneError.waitFor();
  assert.match(await zoneError.innerText(), /time_zone/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'setting-global-time_zone');
  assert.equal(await page.locator('.field.invalid').count(), 1, 'only that field is marked');
  await shot(page, 'settings-error', false);
  await zone.fill(zoneBefore);

  await field.fill('4321');
  await page.selectOption('#setting-grok-chat_transport', 'rest');
  await page.locator('#settings-status', { hasText: '2 unsaved change(s)' }).waitFor();
  await page.click('#settings-save');
  await page.locator('#toast .msg', { hasText: 'Settings saved' }).waitFor();
  const saved = await gw.admin('GET', '/api/settings');
  assert.equal(saved.body.data.global.log_max_count, 4321);
  assert.equal(saved.body.data.grok.chat_transport, 'rest');
  await shot(page, 'settings');

  // A restart on the same data directory: the console shows the saved values.
  const work = gw.work;
  await gw.halt();
  // Meanwhile the open console, its gateway gone, says so and offers to retry.
  await page.evaluate(() => {
    location.hash = '#proxies';
  });
  await page.locator('.state.error', { hasText: 'network error' }).waitFor();
  await page.locator('.state.error button', { hasText: 'Retry' }).waitFor();
  await shot(page, 'error-state');
  gw = await startGateway(sim, ENV, { work });
  await login(page, gw.base);
  await page.goto(`${gw.base}/manage#settings`);
  await page.locator('#setting-global-log_max_count').waitFor();
  assert.equal(await page.locator('#setting-global-log_max_count').inputValue(), '4321');
  assert.equal(await page.locator('#setting-grok-chat_transport').inputValue(), 'rest');
  noProblems(page);
});

test('plugins and sinks: what is loaded, versions and ABI', async () => {
  await page.goto(`${gw.base}/manage#plugins`);
  const row = page.locator('#plugins-loaded tr[data-id="storage-file"]');
  await row.waitFor();
  assert.match(await row.innerText(), /storage/);
  assert.match(await row.innerText(), /1\.\d/);
  await page.locator('#plugins-health .badge').waitFor();
  // log-webhook loads without receivers: its counters are all zero.
  await page.locator('#plugins-loaded tr[data-id="log-webhook"]').waitFor();
  const sink = page.locator('#plugins-sinks tr[data-id="log-webhook"]');
  await sink.waitFor();
  assert.match(await sink.innerText(), /log-webhook\s+0\s+0\s+0\s+0\s+no\s+10,000/);
  await shot(page, 'plugins');
  noProblems(page);
});

test('keyboard: skip link and navigation without a mouse', async () => {
  await page.goto(`${gw.base}/`); // redirected to /manage, then to its first page
  await page.waitForURL('**/manage#tokens');
  await page.locator('h1', { hasText: 'Tokens' }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '#logs');
  await page.keyboard.press('Enter');
  await page.locator('h1', { hasText: 'Call logs' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main', 'focus moves to the page');
  noProblems(page);
});

test('Chinese: chosen by the browser language, switchable, every page renders', async () => {
  const zh = await newPage({ locale: 'zh-CN' });
  await login(zh);
  await zh.locator('nav a', { hasText: '调用日志' }).waitFor();
  await zh.locator('nav a', { hasText: '代理管理' }).waitFor();
  for (const name of ['tokens', 'logs', 'proxies', 'videos', 'settings', 'plugins']) {
    await zh.goto(`${gw.base}/manage#${name}`);
    await settled(zh);
    await shot(zh, `zh-${name}`);
  }
  // The help of a setting is the Chinese line of the example file.
  await zh.goto(`${gw.base}/manage#settings`);
  await zh.locator('.field[data-name="global.log_max_count"] .help', { hasText: '调用日志' }).waitFor();
  await zh.click('#lang-switch');
  await zh.locator('nav a', { hasText: 'Call logs' }).waitFor();
  noProblems(zh);
  await zh.context().close();
});

test('phone width: every page fits 390 px without sideways scrolling', async () => {
  const phone = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await login(phone);
  for (const name of ['tokens', 'logs', 'proxies', 'videos', 'settings', 'plugins']) {
    await phone.goto(`${gw.base}/manage#${name}`);
    await settled(phone);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${name} is ${width} px wide`);
    await shot(phone, `phone-${name}`);
  }
  noProblems(phone);
  await phone.context().close();
});

test('log out ends the session', async () => {
  await page.goto(`${gw.base}/manage#tokens`);
  const token = await page.evaluate(() => localStorage.getItem('adminToken'));
  await page.focus('#logout');
  await page.keyboard.press('Enter');
  await page.waitForURL('**/login');
  const r = await fetch(`${gw.base}/api/tokens`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 401);
  noProblems(page);
});
