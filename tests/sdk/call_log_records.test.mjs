// The call-log record of each kind of client call the gateway serves, made with the
// official openai package (or a plain MCP client) through the simulator: an image edit
// (multipart) with its media URLs, an MCP tools/call (one record, not two), a stream the
// client abandons half-way (a failed record written when the stream ended), and the
// account's pool as token_type. Background work (the signer's page fetch, quota reads)
// leaves no record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { toFile } from 'openai';

import { startStack } from './harness.mjs';

const SSO = 'sdk-records-token-0001';
let stack;

before(async () => {
  stack = await startStack([[SSO, 'super']], { GROK2API_GROK_CHAT_TRANSPORT: 'rest' });
});

after(async () => {
  if (stack) assert.deepEqual(await stack.stop(), [], 'the simulator saw protocol violations');
});

// Each test but the first starts from an empty log (the first checks what start-up left).
async function clearLogs() {
  assert.equal((await stack.gw.admin('DELETE', '/api/logs?max_count=0')).status, 200);
}

// Every record so far, oldest first (the admin query writes the queue first).
async function records() {
  const r = await stack.gw.admin('GET', '/api/logs?page_size=1000');
  assert.equal(r.status, 200);
  return r.body.data.reverse();
}

// Polls read() until it gives something truthy (or 20 s pass); returns its last answer.
async function eventually(read) {
  const until = Date.now() + 20000;
  for (;;) {
    const v = await read();
    if (v || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The records once there is one (a record is submitted when the handler ends, which can
// be after the client has read the whole answer), or null after 20 s.
const eventuallyRecorded = () =>
  eventually(async () => {
    const r = await records();
    return r.length ? r : null;
  });

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

test('records: background work (signer page fetch, quota reads) leaves no record', async () => {
  const { sim, gw } = stack;
  // Start-up: the signer fetched the site's page (and scripts) to prepare.
  assert.ok((await eventually(async () => (await sim.control('requests?kind=page')).length)) > 0);
  const before = (await sim.control('requests?kind=rate_limits')).length;
  const tested = await gw.admin('POST', '/api/tokens/test', { token: SSO, token_type: 'ssoSuper' });
  assert.equal(tested.status, 200, JSON.stringify(tested.body));
  assert.ok((await sim.control('requests?kind=rate_limits')).length > before, 'the quota read reached grok.com');
  assert.deepEqual(await records(), []);
});

test('records: an image edit (multipart) names its media URLs and the pool', async () => {
  await clearLogs();
  const image = await toFile(PNG, 'in.png', { type: 'image/png' });
  const r = await stack.client.images.edit({ image, prompt: 'add a hat', response_format: 'url' });
  assert.equal(r.data.length, 1);
  const rows = (await eventuallyRecorded()) ?? []; // submitted when the handler ends, maybe after the body
  assert.equal(rows.length, 1, JSON.stringify(rows));
  const [rec] = rows;
  assert.equal(rec.path, '/v1/images/edits');
  assert.equal(rec.success, true);
  assert.equal(rec.status_code, 200);
  assert.equal(rec.stream, false);
  assert.equal(rec.sso_full, SSO);
  assert.equal(rec.token_type, 'ssoSuper');
  assert.ok(rec.model.length > 0);
  assert.deepEqual(rec.media_urls, [r.data[0].url]);
});

test('records: an MCP tools/call is one record with the chat model and the pool', async () => {
  await clearLogs();
  const res = await fetch(`${stack.gw.base}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: 'Bearer sk-test-key',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'ask_grok', arguments: { query: 'hello records', model: 'grok-4-fast' } },
    }),
  });
  assert.equal(res.status, 200);
  const answer = await res.json();
  assert.equal(answer.result.isError, false);
  const rows = (await eventuallyRecorded()) ?? [];
  assert.equal(rows.length, 1, JSON.stringify(rows));
  const [rec] = rows;
  assert.equal(rec.path, '/mcp');
  assert.equal(rec.model, 'grok-4-fast');
  assert.equal(rec.success, true);
  assert.equal(rec.upstream_status, 200);
  assert.equal(rec.sso_full, SSO);
  assert.equal(rec.token_type, 'ssoSuper');
});

test('records: a client that leaves mid-stream gets a failed record, status 499', async () => {
  await clearLogs();
  const { sim, client } = stack;
  // 50 ms between the answer's pieces: the gateway still has pieces, the finish chunk and
  // [DONE] to write when the client leaves after the first piece.
  await sim.control('config', { chunk_delay_ms: 50 });
  try {
    const controller = new AbortController();
    const s = await client.chat.completions.create(
      { model: 'grok-4-fast', messages: [{ role: 'user', content: 'please answer slowly' }], stream: true },
      { signal: controller.signal },
    );
    let pieces = 0;
    // The SDK ends the iteration quietly on an abort.
    for await (const chunk of s) {
      if (chunk.choices[0]?.delta?.content) {
        ++pieces;
        controller.abort();
      }
    }
    assert.equal(pieces, 1);
  } finally {
    await sim.control('config', { chunk_delay_ms: 0 });
  }
  // The record is submitted when the handler ends: after the client's side is over.
  const rows = await eventuallyRecorded();
  assert.ok(rows, 'no record within 20 s');
  assert.equal(rows.length, 1, JSON.stringify(rows));
  const [rec] = rows;
  assert.equal(rec.path, '/v1/chat/completions');
  assert.equal(rec.stream, true);
  assert.equal(rec.success, false);
  assert.equal(rec.status_code, 499);
  assert.equal(rec.error_type, 'client_disconnected');
  assert.equal(rec.token_type, 'ssoSuper');
  assert.ok(rec.first_byte_time > 0 && rec.response_time > rec.first_byte_time, JSON.stringify(rec));
});
