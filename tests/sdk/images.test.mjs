// The official openai npm package's images.generate against grok2api and the simulator's
// imagine socket: url answers served from the local cache, b64_json, and the SDK's errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

import { startGateway, startSimulator } from './harness.mjs';

let sim;
let gw;
let client;

before(async () => {
  sim = await startSimulator();
  gw = await startGateway(sim);
  await sim.control('accounts', { sso: 'sdk-image-token-0001', tier: 'super' });
  const added = await gw.admin('POST', '/api/tokens/add', {
    tokens: ['sdk-image-token-0001'],
    token_type: 'ssoSuper',
  });
  assert.equal(added.status, 200, JSON.stringify(added.body));
  client = new OpenAI({ apiKey: 'sk-test-key', baseURL: `${gw.base}/v1`, maxRetries: 0 });
});

after(async () => {
  if (gw) await gw.stop();
  if (sim) {
    const violations = await sim.control('violations');
    await sim.stop();
    assert.deepEqual(violations, [], 'the simulator saw protocol violations');
  }
});

// The links use global.base_url; the test's gateway listens on another port.
const local = (url) => `${gw.base}${new URL(url).pathname}`;

test('images: two url images, each served from the cache with an image content type', async () => {
  const r = await client.images.generate({ prompt: 'a red fox', n: 2, size: '1792x1024', response_format: 'url' });
  assert.ok(r.created > 0);
  assert.equal(r.data.length, 2);
  for (const img of r.data) {
    assert.match(img.url, /\/images\/[0-9a-f]{32}\.(jpg|png|webp|gif)$/);
    const got = await fetch(local(img.url));
    assert.equal(got.status, 200);
    assert.match(got.headers.get('content-type'), /^image\//);
    assert.ok((await got.arrayBuffer()).byteLength > 0);
  }
});

test('images: b64_json with the pro model', async () => {
  const r = await client.images.generate({
    model: 'grok-imagine-image-2.0',
    prompt: 'a lighthouse',
    response_format: 'b64_json',
  });
  assert.equal(r.data.length, 1);
  assert.ok(Buffer.from(r.data[0].b64_json, 'base64').length > 100);
});

test('images: the cache never serves a name outside it', async () => {
  for (const name of ['..%2Fsetting.toml', 'nope.jpg', '%2E%2E', 'x.txt']) {
    const r = await fetch(`${gw.base}/images/${name}`);
    assert.equal(r.status, 404, name);
    assert.ok((await r.json()).error, name);
  }
});

test('images: a bad n is a BadRequestError naming n', async () => {
  await assert.rejects(client.images.generate({ prompt: 'x', n: 11 }), (e) => {
    assert.ok(e instanceof OpenAI.BadRequestError);
    assert.equal(e.param, 'n');
    return true;
  });
  await assert.rejects(client.images.generate({ prompt: '' }), OpenAI.BadRequestError);
});

test('images: unknown and non-imagine models are refused', async () => {
  await assert.rejects(client.images.generate({ prompt: 'x', model: 'dall-e-3' }), OpenAI.NotFoundError);
  await assert.rejects(client.images.generate({ prompt: 'x', model: 'grok-4-fast' }), (e) => {
    assert.ok(e instanceof OpenAI.BadRequestError);
    assert.equal(e.param, 'model');
    return true;
  });
});

test('images: a moderated prompt is an error, not an empty list', async () => {
  await assert.rejects(client.images.generate({ prompt: 'please moderate this' }), OpenAI.APIError);
});
