// Images in chat with the official openai npm package: image inputs (data URL, raw base64,
// a URL fetched under the SSRF policy) reach the simulator as uploads and attachments;
// images the turn draws (the lite model, "Drawing:" prompts) come back as working links.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import OpenAI from 'openai';

import { startStack } from './harness.mjs';

// A 1x1 PNG.
const PNG_B64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PNG = Buffer.from(PNG_B64, 'base64');
const SSO = 'sdk-chat-image-token-0001';

let sim;
let gw;
let client;
let stop;
let imageServer;
let imageHits = 0;
let imageBase;

before(async () => {
  ({ sim, gw, client, stop } = await startStack([[SSO, 'super']]));
  // The client's own image host, on loopback: refused unless private addresses are allowed.
  imageServer = createServer((req, res) => {
    imageHits += 1;
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/pixel.png' });
      return res.end();
    }
    if (req.url === '/to-unspecified') {
      res.writeHead(302, { location: `http://0.0.0.0:${imageServer.address().port}/pixel.png` });
      return res.end();
    }
    if (req.url === '/big') {
      // 2 MiB without a Content-Length: the limit must hold while reading.
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG.subarray(0, 8));
      return res.end(Buffer.alloc(2 << 20));
    }
    if (req.url === '/hang') {
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.write(PNG.subarray(0, 8)); // and never ends
    }
    if (req.url === '/page') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<html></html>');
    }
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
    return res.end(PNG);
  });
  await new Promise((r) => imageServer.listen(0, '127.0.0.1', r));
  imageBase = `http://127.0.0.1:${imageServer.address().port}`;
});

after(async () => {
  if (imageServer) {
    imageServer.closeAllConnections();
    await new Promise((r) => imageServer.close(r));
  }
  if (stop) assert.deepEqual(await stop(), [], 'the simulator saw protocol violations');
});

const withImage = (url, text = 'what is in this picture?') => [
  { role: 'user', content: [{ type: 'text', text }, { type: 'image_url', image_url: { url } }] },
];

async function uploadsSince(seq) {
  const log = await sim.control(`requests?kind=upload&limit=100`);
  return log.filter((r) => r.seq > seq && r.status === 200);
}

async function lastSeq() {
  const log = await sim.control('requests?limit=1');
  return log.length ? log[log.length - 1].seq : 0;
}

async function setAllowPrivate(value) {
  const r = await gw.admin('POST', '/api/settings', { global_config: { image_fetch_allow_private: value } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

test('chat images: a data URL is uploaded and attached to the turn', async () => {
  const seq = await lastSeq();
  const r = await client.chat.completions.create({
    model: 'grok-4-fast',
    messages: withImage(`data:image/png;base64,${PNG_B64}`),
  });
  // The simulator names the attachments it received in its answer.
  assert.match(r.choices[0].message.content, /attachments: image-1\.png/);
  const uploads = await uploadsSince(seq);
  assert.equal(uploads.length, 1);
  const assets = await sim.control('assets');
  assert.ok(assets.some((a) => a.content_type === 'image/png' && a.size === PNG.length), JSON.stringify(assets));
});

test('chat images: raw base64 over the REST transport, streamed', async () => {
  const set = (t) => gw.admin('POST', '/api/settings', { grok_config: { chat_transport: t } });
  assert.equal((await set('rest')).status, 200);
  try {
    const stream = await client.chat.completions.create({
      model: 'grok-4-fast',
      stream: true,
      messages: withImage(PNG_B64, 'describe'),
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    // REST answers name the file ids.
    assert.match(text, /\(attachments: [0-9a-f-]{36}\)/);
  } finally {
    await set('ws');
  }
});

test('chat images: a loopback URL is refused by default, naming the part', async () => {
  const hits = imageHits;
  await assert.rejects(
    client.chat.completions.create({ model: 'grok-4-fast', messages: withImage(`${imageBase}/pixel.png`) }),
    (e) => {
      assert.ok(e instanceof OpenAI.BadRequestError, String(e));
      assert.equal(e.param, 'messages[0].content[1].image_url');
      assert.match(e.message, /loopback/);
      return true;
    },
  );
  assert.equal(imageHits, hits, 'the gateway must not connect to a refused address');
  // A name is judged by what it resolves to.
  const byName = `http://localhost:${imageServer.address().port}/pixel.png`;
  await assert.rejects(
    client.chat.completions.create({ model: 'grok-4-fast', messages: withImage(byName) }),
    (e) => e instanceof OpenAI.BadRequestError && /localhost is a loopback address/.test(e.message),
  );
  assert.equal(imageHits, hits);
});

test('chat images: with private addresses allowed, a URL (through a redirect) is fetched and attached', async () => {
  await setAllowPrivate(true);
  try {
    const seq = await lastSeq();
    const r = await client.chat.completions.create({
      model: 'grok-4-fast',
      messages: withImage(`${imageBase}/redirect`),
    });
    assert.match(r.choices[0].message.content, /attachments: image-1\.png/);
    assert.equal((await uploadsSince(seq)).length, 1);
    // A name that resolves to loopback is fine now too.
    const byName = `http://localhost:${imageServer.address().port}/pixel.png`;
    const named = await client.chat.completions.create({ model: 'grok-4-fast', messages: withImage(byName) });
    assert.match(named.choices[0].message.content, /attachments: image-1\.png/);
    // Every redirect is judged again: an unspecified address is never fetched.
    const hits = imageHits;
    await assert.rejects(
      client.chat.completions.create({ model: 'grok-4-fast', messages: withImage(`${imageBase}/to-unspecified`) }),
      (e) => e instanceof OpenAI.BadRequestError && /unspecified/.test(e.message),
    );
    assert.equal(imageHits, hits + 1, 'only the redirecting hop was fetched');
    // Size and time limits.
    const limits = (v) => gw.admin('POST', '/api/settings', { global_config: v });
    assert.equal((await limits({ image_fetch_max_mb: 1, image_fetch_timeout: 1 })).status, 200);
    try {
      await assert.rejects(
        client.chat.completions.create({ model: 'grok-4-fast', messages: withImage(`${imageBase}/big`) }),
        (e) => e instanceof OpenAI.BadRequestError && /larger than 1 MiB/.test(e.message),
      );
      await assert.rejects(
        client.chat.completions.create({ model: 'grok-4-fast', messages: withImage(`${imageBase}/hang`) }),
        (e) => e instanceof OpenAI.BadRequestError && /timed out/.test(e.message),
      );
    } finally {
      await limits({ image_fetch_max_mb: 20, image_fetch_timeout: 15 });
    }
    // Not an image: a clear 400.
    await assert.rejects(
      client.chat.completions.create({ model: 'grok-4-fast', messages: withImage(`${imageBase}/page`) }),
      (e) => e instanceof OpenAI.BadRequestError && /not an image/.test(e.message),
    );
  } finally {
    await setAllowPrivate(false);
  }
});

test('chat images: bad image input is a BadRequestError naming the field', async () => {
  for (const url of ['not base64!', 'file:///etc/passwd', 'data:text/plain;base64,aGk=', 'aGVsbG8gd29ybGQ=']) {
    await assert.rejects(
      client.chat.completions.create({ model: 'grok-4-fast', messages: withImage(url) }),
      (e) => {
        assert.ok(e instanceof OpenAI.BadRequestError, `${url}: ${e}`);
        assert.equal(e.param, 'messages[0].content[1].image_url', url);
        return true;
      },
    );
  }
});

// Every /images/ link in the text, fetched through the gateway: an image whose bytes hash
// to the name the cache gave it.
async function checkLinks(text, expected) {
  const links = [...text.matchAll(/!\[Generated Image\]\((http[^)]+\/images\/([0-9a-f]+)\.(\w+))\)/g)];
  assert.equal(links.length, expected, text);
  for (const [, url, hash] of links) {
    const got = await fetch(`${gw.base}${new URL(url).pathname}`);
    assert.equal(got.status, 200);
    assert.match(got.headers.get('content-type'), /^image\//);
    const bytes = Buffer.from(await got.arrayBuffer());
    assert.ok(bytes.length > 0);
    assert.ok(createHash('sha256').update(bytes).digest('hex').startsWith(hash), 'name is the content hash');
  }
}

test('chat images: the lite image model answers with cached image links', async () => {
  const r = await client.chat.completions.create({
    model: 'grok-imagine-image-lite',
    messages: [{ role: 'user', content: 'a red bicycle' }],
  });
  await checkLinks(r.choices[0].message.content, 2);
});

test('chat images: a "Drawing:" prompt over the REST transport', async () => {
  const set = (t) => gw.admin('POST', '/api/settings', { grok_config: { chat_transport: t } });
  assert.equal((await set('rest')).status, 200);
  try {
    const r = await client.chat.completions.create({
      model: 'grok-4-fast',
      messages: [{ role: 'user', content: 'Drawing: a yellow house' }],
    });
    await checkLinks(r.choices[0].message.content, 2);
  } finally {
    await set('ws');
  }
});

test('chat images: a "Drawing:" prompt streamed on a chat model ends with image links', async () => {
  const stream = await client.chat.completions.create({
    model: 'grok-4-fast',
    stream: true,
    messages: [{ role: 'user', content: 'Drawing: a green boat' }],
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  await checkLinks(text, 2);
});

test('chat images: with global.image_mode = "base64" the drawn images come inline', async () => {
  const mode = (m) => gw.admin('POST', '/api/settings', { global_config: { image_mode: m } });
  assert.equal((await mode('base64')).status, 200);
  try {
    const r = await client.chat.completions.create({
      model: 'grok-imagine-image-lite',
      messages: [{ role: 'user', content: 'a blue whale' }],
    });
    const text = r.choices[0].message.content;
    const inline = [...text.matchAll(/!\[Generated Image\]\(data:(image\/\w+);base64,([A-Za-z0-9+/=]+)\)/g)];
    assert.equal(inline.length, 2, text.slice(0, 300));
    for (const [, , b64] of inline) assert.ok(Buffer.from(b64, 'base64').length > 100);
    assert.ok(!text.includes('/images/'));
  } finally {
    await mode('url');
  }
});
