// The official openai npm package's images.generate against grok2api and the simulator's
// imagine socket and images.edit against its image edits: url answers served from the local
// cache, b64_json, and the SDK's errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI, { toFile } from 'openai';

import { request } from 'node:http';
import { startStack } from './harness.mjs';

let stack;
let sim;
let gw;
let client;

before(async () => {
  stack = await startStack([['sdk-image-token-0001', 'super']]);
  ({ sim, gw, client } = stack);
});

after(async () => {
  if (stack) assert.deepEqual(await stack.stop(), [], 'the simulator saw protocol violations');
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

test('images: the lite model draws through a Fast chat turn (three images: two turns)', async () => {
  const seq = (await sim.control('requests?limit=1')).at(-1)?.seq ?? 0;
  const r = await client.images.generate({ model: 'grok-imagine-image-lite', prompt: 'a kite', n: 3 });
  assert.equal(r.data.length, 3);
  for (const img of r.data) {
    const got = await fetch(local(img.url));
    assert.equal(got.status, 200);
    assert.match(got.headers.get('content-type'), /^image\//);
  }
  const turns = (await sim.control('requests?kind=mgw&limit=100')).filter((q) => q.seq > seq);
  assert.equal(turns.length, 2, 'two chat turns of two images each');
});

// A GET of the path exactly as written: fetch() would resolve "%2E%2E" to ".." and ask
// for "/" instead, which the gateway answers with its console.
function rawGet(base, path) {
  return new Promise((resolveGet, reject) => {
    const { hostname, port } = new URL(base);
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolveGet({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('images: the cache never serves a name outside it', async () => {
  for (const name of ['..%2Fsetting.toml', 'nope.jpg', '%2E%2E', 'x.txt']) {
    const r = await rawGet(gw.base, `/images/${name}`);
    assert.equal(r.status, 404, name);
    assert.ok(JSON.parse(r.body).error, name);
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

// A 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const png = (name = 'in.png') => toFile(PNG, name, { type: 'image/png' });

test('images.edit: a PNG comes back edited as a cached url', async () => {
  const before = (await sim.control('requests?kind=upload&limit=100')).length;
  const r = await client.images.edit({ image: await png(), prompt: 'add a hat', response_format: 'url' });
  assert.equal(r.data.length, 1);
  assert.match(r.data[0].url, /\/images\/[0-9a-f]{32}\.(jpg|png|webp|gif)$/);
  const got = await fetch(local(r.data[0].url));
  assert.equal(got.status, 200);
  assert.match(got.headers.get('content-type'), /^image\//);
  assert.ok((await got.arrayBuffer()).byteLength > 0);
  // The input went up through upload-file-v2 first.
  assert.equal((await sim.control('requests?kind=upload&limit=100')).length, before + 1);
});

test('images.edit: several images, a mask, n=2 and b64_json', async () => {
  const r = await client.images.edit({
    image: [await png('a.png'), await png('b.png')],
    mask: await png('mask.png'),
    prompt: 'merge them',
    n: 2,
    size: '1024x1024',
    response_format: 'b64_json',
  });
  assert.equal(r.data.length, 2);
  for (const d of r.data) assert.ok(Buffer.from(d.b64_json, 'base64').length > 100);
});

test('images.edit: bad input is a BadRequestError naming the field', async () => {
  const cases = [
    [{ image: await png(), prompt: '' }, 'prompt'],
    [{ image: await toFile(Buffer.from('just text'), 'notes.txt', { type: 'text/plain' }), prompt: 'x' }, 'image'],
    [{ image: await png(), prompt: 'x', n: 11 }, 'n'],
    [{ image: await png(), prompt: 'x', size: 'huge' }, 'size'],
    [{ image: await png(), prompt: 'x', model: 'grok-4-fast' }, 'model'],
  ];
  for (const [params, param] of cases) {
    await assert.rejects(client.images.edit(params), (e) => {
      assert.ok(e instanceof OpenAI.BadRequestError, `${param}: ${e}`);
      assert.equal(e.param, param);
      return true;
    });
  }
  // Not multipart at all.
  const r = await fetch(`${gw.base}/v1/images/edits`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test-key', 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'x' }),
  });
  assert.equal(r.status, 400);
  assert.match((await r.json()).error.message, /multipart/);
});

test('images.edit: a moderated edit is an error, not an empty list', async () => {
  await assert.rejects(client.images.edit({ image: await png(), prompt: 'please moderate this' }), OpenAI.APIError);
});
