// Call logs end to end: a streamed chat, an image generation and a failed chat through the
// official openai package each leave exactly one record with the right fields, and a
// graceful SIGTERM (right after the last answer) loses none of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { startStack } from './harness.mjs';

const SSO = 'sdk-calllog-token-0001';

test('call logs: one record per client call, written by the graceful shutdown', async () => {
  const { sim, gw, client } = await startStack([[SSO, 'super']], { GROK2API_GROK_CHAT_TRANSPORT: 'rest' });
  let records;
  try {
    // 1. A streamed chat that succeeds.
    const s = await client.chat.completions.create({
      model: 'grok-4-fast',
      messages: [{ role: 'user', content: 'hello log' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of s) text += chunk.choices[0]?.delta?.content || '';
    assert.ok(text.length > 0);

    // 2. An image generation (links into the gateway's cache).
    const img = await client.images.generate({ prompt: 'a red fox', n: 1, response_format: 'url' });
    assert.equal(img.data.length, 1);

    // 3. A chat that fails: upstream answers 429 and the only account is spent.
    await sim.control('script', { sso: SSO, call: 'any', fault: '429' });
    await assert.rejects(
      client.chat.completions.create({ model: 'grok-4-fast', messages: [{ role: 'user', content: 'fail' }] }),
      (e) => e.status === 429,
    );

    // Nothing was flushed on purpose: the graceful stop must write every record.
    assert.equal(await gw.halt(), 0);
    const file = join(gw.work, 'data', 'call_logs.ndjson');
    records = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
  } finally {
    await gw.stop();
    await sim.stop();
  }

  assert.equal(records.length, 3, JSON.stringify(records));
  const [chat, image, failed] = records;
  for (const r of records) {
    assert.match(r.id, /^[0-9a-f-]{36}$/);
    assert.ok(r.timestamp > 1.7e12);
    assert.equal(r.sso_full, SSO);
    assert.equal(r.sso, 'sdk-calllo****');
    assert.equal(r.token_type, 'ssoSuper'); // the pool the account was leased from
    assert.equal(r.api_key_name, 'default');
    assert.equal(r.client_ip, '127.0.0.1');
    assert.ok(r.request_id.length > 0);
    assert.ok(r.response_time >= r.first_byte_time && r.first_byte_time > 0, JSON.stringify(r));
  }
  assert.equal(new Set(records.map((r) => r.id)).size, 3);

  assert.equal(chat.path, '/v1/chat/completions');
  assert.equal(chat.model, 'grok-4-fast');
  assert.equal(chat.stream, true);
  assert.equal(chat.success, true);
  assert.equal(chat.status_code, 200);
  assert.equal(chat.upstream_status, 200);
  assert.equal(chat.error_type, '');

  assert.equal(image.path, '/v1/images/generations');
  assert.equal(image.success, true);
  assert.equal(image.stream, false);
  assert.equal(image.media_urls.length, 1);
  assert.match(image.media_urls[0], /\/images\/[0-9a-f]{32}\.(jpg|png|webp|gif)$/);

  assert.equal(failed.success, false);
  assert.equal(failed.status_code, 429);
  assert.equal(failed.upstream_status, 429);
  assert.ok(failed.error_type.length > 0);
  assert.ok(failed.error_message.length > 0);
  assert.equal(failed.stream, false);
});

test('call logs: the admin API lists, filters, pages, counts, buckets, names models and deletes', async () => {
  const { gw, client, stop } = await startStack([[SSO, 'super']], { GROK2API_GROK_CHAT_TRANSPORT: 'rest' });
  try {
    const ask = (model) => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
    await ask('grok-4-fast');
    await ask('grok-4-fast');
    await ask('grok-4.1');
    await assert.rejects(ask('no-such-model'), (e) => e.status === 404);

    // Every finished call is visible at once (the queue is written before a query).
    const all = await gw.admin('GET', '/api/logs');
    assert.equal(all.status, 200);
    assert.equal(all.body.success, true);
    assert.equal(all.body.total, 4);
    assert.equal(all.body.page, 1);
    assert.equal(all.body.page_size, 50);
    const stamps = all.body.data.map((r) => r.timestamp);
    assert.deepEqual(stamps, [...stamps].sort((a, b) => b - a), 'newest first');
    assert.equal(all.body.data[0].model, 'no-such-model');
    assert.equal(all.body.data[0].success, false);
    assert.equal(all.body.data[0].status_code, 404);
    assert.equal(all.body.data[0].sso_full, '');

    const failed = await gw.admin('GET', '/api/logs?success=false');
    assert.equal(failed.body.total, 1);
    const byModel = await gw.admin('GET', '/api/logs?model=4-FAST');
    assert.equal(byModel.body.total, 2);
    const bySso = await gw.admin('GET', '/api/logs?sso=CALLLOG-TOKEN');
    assert.equal(bySso.body.total, 3);
    const page2 = await gw.admin('GET', '/api/logs?page=2&page_size=3');
    assert.equal(page2.body.total, 4);
    assert.equal(page2.body.data.length, 1);
    assert.equal(page2.body.data[0].id, all.body.data[3].id);
    const window = await gw.admin('GET', `/api/logs?start_time=${stamps[2]}&end_time=${stamps[1]}`);
    assert.ok(window.body.total >= 2 && window.body.total <= 4);
    for (const r of window.body.data) assert.ok(r.timestamp >= stamps[2] && r.timestamp <= stamps[1]);
    const bad = await gw.admin('GET', '/api/logs?page_size=abc');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.success, false);

    const models = await gw.admin('GET', '/api/logs/models');
    assert.deepEqual(models.body.data, ['grok-4-fast', 'grok-4.1', 'no-such-model']);

    const stats = await gw.admin('GET', '/api/logs/stats');
    assert.equal(stats.status, 200);
    assert.deepEqual(stats.body.data, { total: 4, success: 3, failed: 1, success_rate: 75, today_total: 4 });

    const sum = (rows, k) => rows.reduce((n, r) => n + r[k], 0);
    for (const bucket of ['minute', 'hour', 'day']) {
      const ts = await gw.admin('GET', `/api/logs/timeseries?bucket=${bucket}`);
      assert.equal(ts.status, 200);
      assert.equal(ts.body.bucket, bucket);
      assert.equal(sum(ts.body.data, 'calls'), 4);
      assert.equal(sum(ts.body.data, 'failures'), 1);
      const times = ts.body.data.map((r) => r.time);
      assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest bucket first');
      for (const r of ts.body.data) assert.ok(r.median_latency > 0 && r.time <= stamps[3]);
    }
    const filtered = await gw.admin('GET', '/api/logs/timeseries?bucket=day&success=true');
    assert.equal(sum(filtered.body.data, 'failures'), 0);
    assert.equal(sum(filtered.body.data, 'calls'), 3);
    assert.equal((await gw.admin('GET', '/api/logs/timeseries?bucket=week')).status, 400);

    // Exports stream the same filters.
    const token = (await gw.admin('POST', '/api/login', { username: 'admin', password: 'sdk-test-admin' })).body.token;
    const download = (query) => fetch(`${gw.base}/api/logs/export${query}`, { headers: { authorization: `Bearer ${token}` } });
    const csv = await download('?format=csv&model=4-fast');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.ok(lines[0].startsWith('id,timestamp,sso,sso_full,model,success,'));
    assert.ok(lines[1].startsWith(`${byModel.body.data[0].id},`));
    const nd = await download('?format=ndjson&success=false');
    assert.match(nd.headers.get('content-type'), /ndjson/);
    const rows = (await nd.text()).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((r) => r.id), failed.body.data.map((r) => r.id));
    assert.equal((await download('?format=xml')).status, 400);
    assert.equal((await fetch(`${gw.base}/api/logs/export`)).status, 401);

    const trimmed = await gw.admin('DELETE', '/api/logs?max_count=1');
    assert.equal(trimmed.body.deleted_count, 3);
    assert.equal((await gw.admin('GET', '/api/logs')).body.total, 1);
    const cleared = await gw.admin('DELETE', '/api/logs?max_count=0');
    assert.equal(cleared.body.deleted_count, 1);
    assert.equal((await gw.admin('GET', '/api/logs')).body.total, 0);
    // Admin calls themselves are not logged.
    assert.equal((await gw.admin('GET', '/api/logs')).body.total, 0);
  } finally {
    assert.deepEqual(await stop(), [], 'the simulator saw protocol violations');
  }
});
