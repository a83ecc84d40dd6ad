// The log-webhook plugin end to end: a real gateway with the plugin, the grok.com
// simulator, the official openai client and a Node HTTP receiver on 127.0.0.1 (port 0)
// that verifies signatures as plugins/log-webhook/README.md tells receivers to. Covers
// retries until the receiver recovers, the bounded queue's exact loss count, the SIGTERM
// drain, the token events and GET /api/sinks and /api/plugins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

import { startStack } from './harness.mjs';

const SECRET = 'whsec-sdk-test-0123456789';
const FAST = { GROK2API_GROK_CHAT_TRANSPORT: 'rest', GROK2API_GLOBAL_LOG_FLUSH_INTERVAL: '0.1' };

// The README's check: the HMAC of "<timestamp>.<raw body>" and at most 300 s of skew.
function verify(secret, headers, rawBody, nowSeconds = Date.now() / 1000) {
  const ts = headers['x-g2a-timestamp'];
  const sig = headers['x-g2a-signature'] ?? '';
  if (!ts) return false;
  const expected = 'sha256=' + createHmac('sha256', secret).update(`${ts}.`).update(rawBody).digest('hex');
  const a = Buffer.from(sig);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return false;
  return Math.abs(nowSeconds - Number(ts)) <= 300;
}

// A receiver that answers `status` (settable) and keeps every accepted record by id.
async function startReceiver() {
  const r = {
    status: 200,
    attempts: [], // every POST: {path, status, headers, body (Buffer), valid}
    records: new Map(), // id -> record, from POSTs answered 2xx (at-least-once: dedup here)
    duplicates: 0,
  };
  r.server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const status = r.status;
      const valid = verify(SECRET, req.headers, body);
      r.attempts.push({ path: req.url, status, headers: req.headers, body, valid });
      if (status >= 200 && status < 300 && valid) {
        const text = body.toString('utf8');
        const items = req.headers['content-type'] === 'application/x-ndjson'
          ? text.split('\n').filter((l) => l).map((l) => JSON.parse(l))
          : JSON.parse(text);
        for (const item of items) {
          if (r.records.has(`${req.url} ${item.id}`)) r.duplicates += 1;
          r.records.set(`${req.url} ${item.id}`, { item, at: req.url });
        }
      }
      res.writeHead(valid ? status : 401);
      res.end();
    });
  });
  await new Promise((ok) => r.server.listen(0, '127.0.0.1', ok));
  r.url = (path) => `http://127.0.0.1:${r.server.address().port}${path}`;
  r.items = (path) => [...r.records.values()].filter((x) => x.at === path).map((x) => x.item);
  r.calls = (path) => r.items(path).filter((x) => x.type === 'call');
  r.events = (path) => r.items(path).filter((x) => x.type === 'event');
  r.close = () => new Promise((ok) => r.server.close(ok));
  return r;
}

function webhookSettings(receiver, extra = '') {
  return `[[plugins.log-webhook.receivers]]
url = "${receiver.url('/hook')}"
format = "json"
secret = "${SECRET}"
timeout_ms = 5000
${extra}`;
}

// Polls cond() until it returns a truthy value or the deadline passes.
async function until(what, cond, ms = 60000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setImmediate(ok));
  }
}

async function sink(gw) {
  const s = await gw.admin('GET', '/api/sinks');
  assert.equal(s.status, 200);
  const entry = s.body.data.find((x) => x.id === 'log-webhook');
  assert.ok(entry, JSON.stringify(s.body));
  return entry;
}

const ask = (client, content = 'hi') =>
  client.chat.completions.create({ model: 'grok-4-fast', messages: [{ role: 'user', content }] });

test('log-webhook: signed deliveries survive a receiver answering 500, then every record arrives', async () => {
  const receiver = await startReceiver();
  receiver.status = 500;
  const { gw, client, stop } = await startStack([['sdk-webhook-retry-0001', 'super']], FAST, {
    settings: webhookSettings(receiver),
  });
  try {
    for (let i = 0; i < 3; i++) await ask(client, `retry ${i}`);
    // The core resends the same batch with a backoff while the receiver fails.
    await until('two failed deliveries', () => receiver.attempts.filter((a) => a.status === 500).length >= 2);
    const failing = await sink(gw);
    assert.ok(failing.retried >= 1, JSON.stringify(failing));
    assert.match(failing.last_error.message, /HTTP 500/);
    assert.ok(failing.last_error.at > 1.7e12);
    receiver.status = 200;
    await until('every record', () => receiver.calls('/hook').length === 3);
    const s = await until('an empty queue', async () => {
      const x = await sink(gw);
      return x.pending === 0 && !x.in_flight && x;
    });
    assert.equal(s.delivered, 3);
    assert.equal(s.dropped, 0);
    assert.ok(s.retried >= 1);
    assert.equal(s.queue_max, 10000);

    // Every delivery was signed and verifies; the documented check refuses replays and
    // tampering.
    assert.ok(receiver.attempts.every((a) => a.valid), 'every signature verifies');
    const d = receiver.attempts.at(-1);
    assert.equal(d.headers['content-type'], 'application/json');
    const sentAt = Number(d.headers['x-g2a-timestamp']);
    assert.ok(verify(SECRET, d.headers, d.body, sentAt + 300));
    assert.equal(verify(SECRET, d.headers, d.body, sentAt + 301), false, 'a replay after the window');
    assert.equal(verify(SECRET, d.headers, d.body, sentAt - 301), false, 'a timestamp from the future');
    assert.equal(verify(SECRET, d.headers, Buffer.concat([d.body, Buffer.from(' ')])), false);
    assert.equal(verify('another-secret', d.headers, d.body), false);
    for (const rec of receiver.calls('/hook')) {
      assert.match(rec.id, /^[0-9a-f-]{36}$/);
      assert.equal(rec.success, true);
      assert.equal(rec.sso, 'sdk-webhoo****');
    }
  } finally {
    assert.deepEqual(await stop(), []);
    await receiver.close();
  }
});

test('log-webhook: a receiver down longer than the queue holds loses a bounded, exactly counted number', async () => {
  const receiver = await startReceiver();
  receiver.status = 503;
  const produced = 12;
  const bound = 5;
  const { gw, client, stop } = await startStack(
    [['sdk-webhook-bound-0001', 'super']],
    { ...FAST, GROK2API_GLOBAL_LOG_SINK_QUEUE_MAX: String(bound) },
    { settings: webhookSettings(receiver) },
  );
  try {
    for (let i = 0; i < produced; i++) await ask(client, `bound ${i}`);
    // Every record has reached the sink's queue: kept (at most the bound) or dropped.
    const down = await until('every record at the sink', async () => {
      const x = await sink(gw);
      return x.dropped + x.pending === produced && x;
    });
    assert.equal(down.queue_max, bound);
    assert.ok(down.pending <= bound, JSON.stringify(down));
    assert.ok(down.dropped >= produced - bound, JSON.stringify(down));
    assert.equal(down.delivered, 0);
    receiver.status = 200;
    const s = await until('the queue delivered', async () => {
      const x = await sink(gw);
      return x.pending === 0 && !x.in_flight && x;
    });
    const received = receiver.calls('/hook').length;
    assert.equal(received + s.dropped, produced, JSON.stringify(s));
    assert.equal(s.delivered, received);
    assert.ok(s.retried >= 1);
    assert.equal(receiver.events('/hook').length, 0);
  } finally {
    assert.deepEqual(await stop(), []);
    await receiver.close();
  }
});

test('log-webhook: SIGTERM delivers everything still queued before the gateway exits', async () => {
  const receiver = await startReceiver();
  // No periodic flush before the signal: everything is still queued at SIGTERM. The first
  // delivery fails, so the drain must also wait out a retry.
  const { sim, gw, client } = await startStack(
    [['sdk-webhook-drain-0001', 'super']],
    { GROK2API_GROK_CHAT_TRANSPORT: 'rest', GROK2API_GLOBAL_LOG_FLUSH_INTERVAL: '3600' },
    { settings: webhookSettings(receiver) },
  );
  try {
    for (let i = 0; i < 4; i++) await ask(client, `drain ${i}`);
    assert.equal(receiver.attempts.length, 0);
    receiver.status = 503;
    const first = new Promise((ok) => {
      const check = () => (receiver.attempts.length ? ok() : setImmediate(check));
      check();
    });
    const exited = gw.halt();
    await first;
    receiver.status = 200;
    assert.equal(await exited, 0);
    assert.equal(receiver.calls('/hook').length, 4);
    assert.ok(receiver.attempts.length >= 2, 'the failed delivery was retried during the drain');
  } finally {
    await gw.stop();
    await sim.stop();
    await receiver.close();
  }
});

test('log-webhook: a token disabled by grok.com reaches receivers as one token.disabled event, its re-adding as token.recovered', async () => {
  const receiver = await startReceiver();
  const SSO = 'sdk-webhook-event-0001';
  const { sim, gw, client, stop } = await startStack([[SSO, 'super']], FAST, {
    settings: `[plugins]
paths = ["no-such-dir/broken-sink.so"]

${webhookSettings(receiver)}
[[plugins.log-webhook.receivers]]
url = "${receiver.url('/alerts')}"
format = "ndjson"
records = "failures"
secret = "${SECRET}"
`,
  });
  try {
    await ask(client, 'fine');
    await sim.control('script', { sso: SSO, call: 'any', fault: 'blocked' });
    await assert.rejects(ask(client, 'blocked'));
    await assert.rejects(ask(client, 'no token left'));
    // Both failed calls reached both receivers; events are queued before the record of
    // the call that caused them, so the count is final once the last record is in.
    await until('the failed calls at /alerts', () => receiver.calls('/alerts').length === 2);
    await until('every call at /hook', () => receiver.calls('/hook').length === 3);
    for (const path of ['/hook', '/alerts']) {
      const events = receiver.events(path);
      assert.equal(events.length, 1, `${path}: ${JSON.stringify(events)}`);
      const [e] = events;
      assert.equal(e.event, 'token.disabled');
      assert.equal(e.sso, 'sdk-webhoo****');
      assert.equal(e.token_type, 'ssoSuper');
      assert.match(e.reason, /blocked/i);
      assert.match(e.id, /^[0-9a-f-]{36}$/);
      assert.ok(e.timestamp > 1.7e12);
      assert.equal(JSON.stringify(e).includes(SSO), false, 'the full SSO never leaves');
    }
    // The admin adds the account again: it is back in service, and receivers hear so.
    const readded = await gw.admin('POST', '/api/tokens/add', { tokens: [SSO], token_type: 'ssoSuper' });
    assert.equal(readded.status, 200);
    await until('token.recovered', () => receiver.events('/alerts').length === 2);
    const recovered = receiver.events('/alerts')[1];
    assert.equal(recovered.event, 'token.recovered');
    assert.equal(recovered.sso, 'sdk-webhoo****');
    assert.match(recovered.reason, /re-added/);
    // The failures-only receiver got no successful call.
    assert.ok(receiver.calls('/alerts').every((c) => c.success === false));
    assert.equal(receiver.duplicates, 0);

    // GET /api/plugins lists the loaded plugins with their ABI; both routes need a session.
    const plugins = await gw.admin('GET', '/api/plugins');
    assert.equal(plugins.status, 200);
    const hook = plugins.body.data.find((p) => p.id === 'log-webhook');
    assert.deepEqual(hook.kinds, ['log_sink']);
    assert.match(hook.abi, /^1\.\d+$/);
    assert.match(hook.version, /^\d+\.\d+\.\d+/);
    assert.equal(hook.path, 'log-webhook.so');
    assert.equal(hook.required, false);
    assert.ok(plugins.body.data.some((p) => p.kinds.includes('storage')));
    // A file that failed to load is listed by file name; its message names no directory.
    const broken = plugins.body.failures.find((f) => f.path === 'broken-sink.so');
    assert.ok(broken, JSON.stringify(plugins.body.failures));
    assert.match(broken.message, /broken-sink\.so/);
    assert.equal(broken.message.includes('no-such-dir'), false, broken.message);
    assert.equal(broken.required, false);
    for (const p of plugins.body.data) assert.equal(p.path.includes('/'), false, p.path);
    for (const path of ['/api/plugins', '/api/sinks'])
      assert.equal((await fetch(`${gw.base}${path}`)).status, 401);
  } finally {
    assert.deepEqual(await stop(), []);
    await receiver.close();
  }
});
