// Named API keys through the official openai npm package: the error classes it raises
// for a wrong key (401), a model outside the key's allow-list (403) and a key over its
// requests per minute (429), and /v1/models listing only the allowed models.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

import { startGateway, startSimulator } from './harness.mjs';

let sim;
let gw;

const keys = [
  { name: 'limited', key: 'sk-limited-key', rpm: 1 },
  { name: 'fast-only', key: 'sk-fast-only-key', models: ['grok-4-fast'] },
];

before(async () => {
  sim = await startSimulator();
  gw = await startGateway(sim, { GROK2API_GLOBAL_API_KEYS: JSON.stringify(keys) });
});

after(async () => {
  if (gw) await gw.stop();
  if (sim) await sim.stop();
});

const client = (apiKey) => new OpenAI({ apiKey, baseURL: `${gw.base}/v1`, maxRetries: 0 });

test('keys: a wrong key raises AuthenticationError (401)', async () => {
  await assert.rejects(client('sk-wrong').models.list(), (e) => {
    assert.ok(e instanceof OpenAI.AuthenticationError, e.constructor.name);
    assert.equal(e.status, 401);
    assert.equal(e.code, 'invalid_api_key');
    return true;
  });
});

test('keys: grok.api_key and the named keys are all accepted', async () => {
  for (const key of ['sk-test-key', 'sk-fast-only-key']) {
    const m = await client(key).models.retrieve('grok-4-fast');
    assert.equal(m.id, 'grok-4-fast');
  }
});

test('keys: a model outside the allow-list raises PermissionDeniedError (403)', async () => {
  const c = client('sk-fast-only-key');
  const ids = [];
  for await (const m of c.models.list()) ids.push(m.id);
  assert.deepEqual(ids, ['grok-4-fast']);
  await assert.rejects(
    c.chat.completions.create({ model: 'grok-4-heavy', messages: [{ role: 'user', content: 'hi' }] }),
    (e) => {
      assert.ok(e instanceof OpenAI.PermissionDeniedError, e.constructor.name);
      assert.equal(e.status, 403);
      assert.equal(e.param, 'model');
      assert.equal(e.code, 'model_not_allowed');
      return true;
    },
  );
});

test('keys: a key over its rpm raises RateLimitError (429) with retry-after', async () => {
  const c = client('sk-limited-key');
  await c.models.list();
  await assert.rejects(c.models.list(), (e) => {
    assert.ok(e instanceof OpenAI.RateLimitError, e.constructor.name);
    assert.equal(e.status, 429);
    assert.equal(e.code, 'rate_limit_exceeded');
    const retry = Number(e.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, String(retry));
    return true;
  });
});
