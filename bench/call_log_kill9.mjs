// What a kill -9 costs the call log: four clients send chats through the gateway to the
// simulator for a while, the gateway is SIGKILLed, and the records on disk are compared
// with the answers the clients got. A documented command, not a test:
//
//   node bench/call_log_kill9.mjs [--build-dir build-test] [--interval 2.0] [--batch 500]
//                                 [--seconds 6] [--clients 4]
//
// Prints one JSON line: answers by status, records on disk, records lost, and how long
// before the kill the oldest lost call was answered (bounded by global.log_flush_interval,
// and by global.log_batch_size at the measured rate).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { startSimulator } from '../tests/sdk/harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    'build-dir': { type: 'string', default: 'build-test' },
    interval: { type: 'string', default: '2.0' },
    batch: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '6' },
    clients: { type: 'string', default: '4' },
  },
});
const SSO = 'bench-kill9-token-0001';

const sim = await startSimulator();
await sim.control('accounts', { sso: SSO, tier: 'super' });
const work = mkdtempSync(join(tmpdir(), 'g2a-kill9-'));
const gateway = spawn(resolve(root, opt['build-dir'], 'bin/grok2api'), ['--host', '127.0.0.1', '--port', '0'], {
  cwd: work,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GROK2API_'))),
    GROK2API_GROK_UPSTREAM_URL: sim.grok,
    GROK2API_GROK_ASSETS_URL: sim.assets,
    GROK2API_GROK_ACCOUNTS_URL: sim.accounts,
    GROK2API_GROK_CHAT_TRANSPORT: 'rest',
    GROK2API_GLOBAL_LOG_FLUSH_INTERVAL: opt.interval,
    GROK2API_GLOBAL_LOG_BATCH_SIZE: opt.batch,
    API_KEY: 'sk-bench',
    ADMIN_PASSWORD: 'bench-kill9-admin',
  },
});
const exited = new Promise((r) => gateway.once('exit', r));
const port = await new Promise((res, rej) => {
  let out = '';
  gateway.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/listening on 127\.0\.0\.1:(\d+)/);
    if (m) res(m[1]);
  });
  exited.then(() => rej(new Error(`the gateway exited before listening:\n${out}`)));
});
const base = `http://127.0.0.1:${port}`;
const post = (path, body, key) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
const login = await (await post('/api/login', { username: 'admin', password: 'bench-kill9-admin' })).json();
await post('/api/tokens/add', { tokens: [SSO], token_type: 'ssoSuper' }, login.token);

// Every answer a client got (the account's quota runs out early: most are 429, which are
// recorded like any other call).
const answered = [];
let stop = false;
async function client(c) {
  for (let i = 0; !stop; i++) {
    const id = `kill9-${c}-${i}`;
    const r = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench', 'x-request-id': id },
      body: JSON.stringify({ model: 'grok-4-fast', messages: [{ role: 'user', content: 'hi' }] }),
    }).catch(() => null);
    if (!r) return; // the gateway is gone
    await r.text().catch(() => '');
    answered.push({ id, at: Date.now(), status: r.status });
  }
}
const started = Date.now();
const clients = Array.from({ length: Number(opt.clients) }, (_, c) => client(c));
await new Promise((r) => setTimeout(r, Number(opt.seconds) * 1000));
const killedAt = Date.now();
gateway.kill('SIGKILL');
stop = true;
await Promise.allSettled(clients);
await exited;

const file = join(work, 'data', 'call_logs.ndjson');
const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
const onDisk = new Set(lines.filter((l) => l.trim()).map((l) => JSON.parse(l).request_id));
const lost = answered.filter((a) => a.at <= killedAt && !onDisk.has(a.id));
const statuses = {};
for (const a of answered) statuses[a.status] = (statuses[a.status] || 0) + 1;
console.log(
  JSON.stringify({
    log_flush_interval: Number(opt.interval),
    log_batch_size: Number(opt.batch),
    seconds: (killedAt - started) / 1000,
    calls_per_second: Math.round(answered.length / ((killedAt - started) / 1000)),
    answered: statuses,
    on_disk: onDisk.size,
    lost: lost.length,
    oldest_lost_answered_s_before_kill: lost.length ? (killedAt - Math.min(...lost.map((a) => a.at))) / 1000 : 0,
  }),
);
await sim.stop();
rmSync(work, { recursive: true, force: true });
