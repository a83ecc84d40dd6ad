// The Video API through the official openai npm package (client.videos) and plain fetch
// (curl-like JSON, form-urlencoded, Range), against grok2api and the grok.com simulator:
// tasks from create to content, image-to-video, remix, pagination over 250 tasks, errors
// naming the field, the queue limit, a crash mid-generation, a third-party adapter plugin,
// the admin listing, chat with a video model and the Pro-shaped video_tasks.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI, { toFile, BadRequestError, NotFoundError } from 'openai';

import { startSimulator, startGateway } from './harness.mjs';
import { until } from './pool_stack.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const buildDir = process.env.G2A_BUILD_DIR || resolve(here, '..', '..', 'build-test');

// A 1x1 PNG (the reference image of image-to-video).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const POLL = 100; // [video] poll_after_ms of these gateways (its minimum)

let sim;
const running = new Set(); // gateways to stop at the end

before(async () => {
  sim = await startSimulator();
});

after(async () => {
  for (const gw of running) await gw.stop();
  if (!sim) return;
  await sim.control('video/release', {});
  const violations = await sim.control('violations');
  await sim.stop();
  assert.deepEqual(violations, [], 'the simulator saw protocol violations');
});

const TOKEN_TYPE = { basic: 'ssoNormal', super: 'ssoSuper', heavy: 'ssoHeavy' };

// Registers accounts with enough video quota for long runs (basic accounts have none of
// the 480p kind on grok.com, and keep none here).
async function addAccounts(accounts) {
  for (const [sso, tier] of accounts) {
    await sim.control('accounts', { sso, tier });
    if (tier !== 'basic') await sim.control('quota', { sso, media: 'video', remaining: 400 });
    await sim.control('quota', { sso, media: 'video720p', remaining: 400 });
  }
}

function settingsToml({ video = {}, global = {}, plugins = [] }) {
  const table = (name, kv) => `[${name}]\n${Object.entries(kv).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join('\n')}\n`;
  let out = table('video', { poll_after_ms: POLL, ...video });
  if (Object.keys(global).length) out += table('global', global);
  if (plugins.length) out += table('plugins', { paths: plugins });
  return out;
}

// A gateway of its own over the shared simulator, with these accounts in its pool.
// opts.work: start again in that working directory (tokens and tasks are kept there).
async function gateway(accounts, opts = {}) {
  await addAccounts(accounts);
  const gw = await startGateway(sim, {}, { settings: settingsToml(opts), work: opts.work });
  running.add(gw);
  if (accounts.length && !opts.work) {
    for (const tier of new Set(accounts.map(([, t]) => t))) {
      const added = await gw.admin('POST', '/api/tokens/add', { tokens: accounts.filter(([, t]) => t === tier).map(([s]) => s), token_type: TOKEN_TYPE[tier] });
      assert.equal(added.status, 200, JSON.stringify(added.body));
    }
  }
  const client = new OpenAI({ apiKey: 'sk-test-key', baseURL: `${gw.base}/v1`, maxRetries: 0 });
  const api = (path, init = {}) => fetch(`${gw.base}${path}`, { ...init, headers: { authorization: 'Bearer sk-test-key', ...(init.headers || {}) } });
  const end = async (how) => {
    running.delete(gw);
    await gw[how]();
  };
  return { gw, client, api, stop: () => end('stop'), halt: () => end('halt'), kill: () => end('kill') };
}

// Polls retrieve at the openai-poll-after-ms interval until the task is terminal.
async function settle(client, id, ms = 120000) {
  const end = Date.now() + ms;
  for (;;) {
    const { data, response } = await client.videos.retrieve(id).withResponse();
    if (data.status === 'completed' || data.status === 'failed') {
      assert.equal(response.headers.get('openai-poll-after-ms'), null, 'no poll header on a finished task');
      return data;
    }
    assert.ok(['queued', 'in_progress'].includes(data.status), `status ${data.status}`);
    const wait = response.headers.get('openai-poll-after-ms');
    assert.match(wait || '', /^\d+$/, 'openai-poll-after-ms is an integer while queued or in progress');
    if (Date.now() > end) throw new Error(`video ${id} still ${data.status} after ${ms} ms`);
    await new Promise((ok) => setTimeout(ok, Number(wait)));
  }
}

// The simulator's generations with this prompt.
const generationsOf = async (prompt) => (await sim.control('videos')).filter((g) => g.prompt === prompt);
async function onlyGeneration(prompt) {
  const list = await generationsOf(prompt);
  assert.equal(list.length, 1, `one generation of "${prompt}": ${JSON.stringify(list)}`);
  return list[0];
}
const simAsset = async (path) => {
  const r = await fetch(`${sim.grok}/__sim/asset?path=${encodeURIComponent(path)}`);
  assert.equal(r.status, 200, path);
  return Buffer.from(await r.arrayBuffer());
};
const held = (q) => sim.control(`video/held?${q}&timeout_ms=20000`);

const VIDEO_KEYS = ['id', 'object', 'model', 'status', 'progress', 'created_at', 'completed_at', 'expires_at', 'prompt', 'size', 'seconds', 'remixed_from_video_id', 'error'];
function assertVideoObject(v) {
  for (const k of VIDEO_KEYS) assert.ok(k in v, `the Video object has ${k}: ${JSON.stringify(v)}`);
  assert.equal(v.object, 'video');
  assert.match(v.id, /^video_[0-9a-f]+$/);
  assert.equal(typeof v.seconds, 'string');
  assert.ok('quality' in v);
}

// ---- the main gateway: two SuperGrok accounts, the test adapter plugin ----

const MAIN = [['sdk-video-super-0001', 'super'], ['sdk-video-super-0002', 'super']];
let main;
const testPlugin = () => {
  const dir = join(buildDir, 'tests/plugins');
  const f = existsSync(dir) ? readdirSync(dir).find((n) => /acme.*video|video.*acme/.test(n) && n.endsWith('.so')) : null;
  return f ? join(dir, f) : null;
};
const local = (url) => `${main.gw.base}${new URL(url).pathname}`;

test('main gateway starts with the video models', async () => {
  const plugin = testPlugin();
  assert.ok(plugin, `the test adapter plugin is built in ${buildDir}/tests/plugins`);
  main = await gateway(MAIN, { plugins: [plugin] });
  const ids = (await main.client.models.list()).data.map((m) => m.id);
  for (const id of ['sora-2', 'sora-2-pro', 'grok-imagine-0.9', 'acme-video-1']) assert.ok(ids.includes(id), `${id} in ${ids}`);
});

let first; // the completed task of the first test (remix, content, admin listing)

test('create (multipart) -> retrieve until completed -> downloadContent is the bytes grok.com made', async () => {
  const prompt = 'a calico cat playing a piano on stage';
  const created = await main.client.videos.create({ prompt, model: 'sora-2', seconds: '4', size: '1280x720' });
  assertVideoObject(created);
  assert.ok(['queued', 'in_progress'].includes(created.status));
  assert.equal(created.prompt, prompt);
  assert.equal(created.model, 'sora-2');
  assert.equal(created.seconds, '4');
  assert.equal(created.size, '1280x720');
  assert.equal(created.completed_at, null);
  assert.equal(created.error, null);

  const done = await settle(main.client, created.id);
  assertVideoObject(done);
  assert.equal(done.status, 'completed', JSON.stringify(done.error));
  assert.equal(done.progress, 100);
  assert.ok(done.completed_at >= done.created_at);
  assert.ok(done.expires_at > done.created_at);
  assert.match(done.video_url, new RegExp(`/videos/${done.id}\\.mp4$`));

  const gen = await onlyGeneration(prompt);
  assert.equal(gen.kind, 'textToVideo');
  assert.equal(gen.duration, 4);
  assert.equal(gen.aspect_ratio, '16:9');
  assert.equal(gen.resolution, '480p');
  assert.equal(gen.quota, 'video', 'sora-2 is charged to the 480p quota');
  const mp4 = await simAsset(gen.video_path);

  const content = await main.client.videos.downloadContent(done.id);
  assert.match(content.headers.get('content-type'), /^video\/mp4/);
  assert.equal(content.headers.get('accept-ranges'), 'bytes');
  const got = Buffer.from(await content.arrayBuffer());
  assert.equal(sha256(got), sha256(mp4));
  assert.equal(Number(content.headers.get('content-length')), mp4.length);

  const thumb = await main.client.videos.downloadContent(done.id, { variant: 'thumbnail' });
  assert.match(thumb.headers.get('content-type'), /^image\//);
  assert.ok(Buffer.from(await thumb.arrayBuffer()).equals(await simAsset(gen.thumbnail_path)));

  // variant=mp4 (Pro) is the video; the public link serves it too.
  const mp4Variant = await main.api(`/v1/videos/${done.id}/content?variant=mp4`);
  assert.equal(mp4Variant.status, 200);
  assert.ok(Buffer.from(await mp4Variant.arrayBuffer()).equals(mp4));
  const pub = await fetch(local(done.video_url));
  assert.equal(pub.status, 200);
  assert.ok(Buffer.from(await pub.arrayBuffer()).equals(mp4));
  first = { ...done, mp4, gen };
});

test('content: Range requests give 206 slices; unsatisfiable 416; spritesheet 404', async () => {
  const { id } = first;
  const mp4 = first.mp4;
  const range = async (r, path = `/v1/videos/${id}/content`) => main.api(path, { headers: { range: r } });
  let r = await range('bytes=0-9');
  assert.equal(r.status, 206);
  assert.equal(r.headers.get('content-range'), `bytes 0-9/${mp4.length}`);
  assert.ok(Buffer.from(await r.arrayBuffer()).equals(mp4.subarray(0, 10)));
  r = await range('bytes=16-');
  assert.equal(r.status, 206);
  assert.equal(r.headers.get('content-range'), `bytes 16-${mp4.length - 1}/${mp4.length}`);
  assert.ok(Buffer.from(await r.arrayBuffer()).equals(mp4.subarray(16)));
  r = await range('bytes=-8');
  assert.equal(r.status, 206);
  assert.ok(Buffer.from(await r.arrayBuffer()).equals(mp4.subarray(mp4.length - 8)));
  r = await range('bytes=5-9', new URL(first.video_url).pathname);
  assert.equal(r.status, 206, 'the public /videos/ link supports Range too');
  assert.ok(Buffer.from(await r.arrayBuffer()).equals(mp4.subarray(5, 10)));
  r = await range(`bytes=${mp4.length + 10}-`);
  assert.equal(r.status, 416);
  assert.equal(r.headers.get('content-range'), `bytes */${mp4.length}`);

  r = await main.api(`/v1/videos/${id}/content?variant=spritesheet`);
  assert.equal(r.status, 404);
  assert.equal((await r.json()).error.code, 'variant_not_found');
});

test('image-to-video: an input_reference file reaches grok.com as an uploaded asset of imageToVideo', async () => {
  const prompt = 'the pixel slowly turns into a sunrise';
  const created = await main.client.videos.create({ prompt, model: 'sora-2-pro', seconds: '6', size: '720x1280', input_reference: await toFile(PNG, 'ref.png', { type: 'image/png' }) });
  const done = await settle(main.client, created.id);
  assert.equal(done.status, 'completed', JSON.stringify(done.error));
  const gen = await onlyGeneration(prompt);
  assert.equal(gen.kind, 'imageToVideo');
  assert.equal(gen.aspect_ratio, '9:16');
  assert.equal(gen.duration, 6);
  assert.equal(gen.resolution, '720p');
  assert.equal(gen.quota, 'video720p', 'sora-2-pro is charged to the 720p quota');
  assert.equal(gen.input_assets.length, 1);
  assert.equal(gen.input_assets[0].mime, 'image/png');
  assert.equal(gen.input_assets[0].sha256, sha256(PNG), 'the uploaded asset is the reference as sent');
  // The public link serves the video, never the client's reference image beside it.
  assert.equal((await fetch(local(done.video_url))).status, 200);
  const name = new URL(done.video_url).pathname.split('/').pop().replace(/\.mp4$/, '');
  for (const ext of ['png', 'jpg', 'webp', 'gif'])
    assert.equal((await fetch(local(done.video_url).replace(/[^/]+$/, `${name}.reference.${ext}`))).status, 404, ext);
});

test('image-to-video: input_reference[image_url] on a private address is refused (400)', async () => {
  const srv = await pngServer();
  try {
    await assert.rejects(
      main.client.videos.create({ prompt: 'from a private url', input_reference: { image_url: `${srv.url}/ref.png` } }),
      (e) => e instanceof BadRequestError && /^input_reference/.test(e.param) && /private|loopback|local|not allowed/i.test(e.message),
    );
    assert.equal(srv.hits(), 0, 'not fetched');
  } finally {
    await srv.close();
  }
  assert.equal((await generationsOf('from a private url')).length, 0);
});

test('list: limit, after and order; bad values name the field', async () => {
  const page = await main.client.videos.list({ limit: 1, order: 'desc' });
  assert.equal(page.data.length, 1);
  assert.equal(page.has_more, true);
  assert.equal(page.last_id, page.data[0].id);
  const raw = await (await main.api('/v1/videos?limit=100&order=asc')).json();
  assert.equal(raw.object, 'list');
  assert.equal(raw.has_more, false);
  assert.equal(raw.first_id, raw.data[0].id);
  assert.equal(raw.last_id, raw.data.at(-1).id);
  const after = await (await main.api(`/v1/videos?order=asc&after=${raw.last_id}`)).json();
  assert.deepEqual(after, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  for (const [q, param] of [['limit=0', 'limit'], ['limit=101', 'limit'], ['order=sideways', 'order'], ['after=video_doesnotexist', 'after']]) {
    await assert.rejects(main.client.videos.list(Object.fromEntries([q.split('=')])), (e) => e instanceof BadRequestError && e.param === param, q);
  }
});

test('remix: a new image-to-video from the source thumbnail, remixed_from_video_id set', async () => {
  const prompt = 'the same cat, now on a rooftop at night';
  const remix = await main.client.videos.remix(first.id, { prompt });
  assertVideoObject(remix);
  assert.equal(remix.remixed_from_video_id, first.id);
  assert.notEqual(remix.id, first.id);
  const done = await settle(main.client, remix.id);
  assert.equal(done.status, 'completed', JSON.stringify(done.error));
  assert.equal(done.remixed_from_video_id, first.id);
  const gen = await onlyGeneration(prompt);
  assert.equal(gen.kind, 'imageToVideo');
  assert.equal(gen.input_assets.length, 1);
  assert.match(gen.input_assets[0].mime, /^image\//);
  assert.equal(gen.input_assets[0].sha256, sha256(await simAsset(first.gen.thumbnail_path)), "the source's thumbnail");

  await assert.rejects(main.client.videos.remix('video_doesnotexist', { prompt: 'x' }), NotFoundError);
  await assert.rejects(main.client.videos.remix(first.id, { prompt: '' }), (e) => e instanceof BadRequestError && e.param === 'prompt');
});

test('delete: then retrieve is NotFoundError, content 404, a second delete 404', async () => {
  const prompt = 'a short-lived paper boat';
  const created = await main.client.videos.create({ prompt, seconds: '4' });
  const done = await settle(main.client, created.id);
  assert.equal(done.status, 'completed');
  const del = await main.client.videos.delete(done.id);
  assert.deepEqual(del, { id: done.id, object: 'video.deleted', deleted: true });
  await assert.rejects(main.client.videos.retrieve(done.id), (e) => e instanceof NotFoundError && e.code === 'video_not_found');
  const content = await main.api(`/v1/videos/${done.id}/content`);
  assert.equal(content.status, 404);
  assert.equal((await content.json()).error.code, 'video_not_found');
  assert.equal((await fetch(local(done.video_url))).status, 404, 'the cached file went too');
  await assert.rejects(main.client.videos.delete(done.id), NotFoundError);
  const ids = [];
  for await (const v of main.client.videos.list({ limit: 100 })) ids.push(v.id);
  assert.ok(!ids.includes(done.id));
  // A removed task as the cursor: the next page starts where it stood.
  const page = await main.client.videos.list({ after: done.id, limit: 100, order: 'asc' });
  assert.ok(page.data.every((v) => v.created_at >= done.created_at), 'after the removed cursor');
});

test('JSON create as curl sends it (seconds as a string and as an integer), form-urlencoded, /v1/videos/generations', async () => {
  const post = (path, type, body) => main.api(path, { method: 'POST', headers: { 'content-type': type }, body });
  const bodies = [
    ['/v1/videos', 'application/json', JSON.stringify({ prompt: 'json string seconds', model: 'sora-2', seconds: '6', size: '720x1280' }), '6'],
    ['/v1/videos', 'application/json', JSON.stringify({ prompt: 'json integer seconds', seconds: 4 }), '4'],
    ['/v1/videos/', 'application/x-www-form-urlencoded', new URLSearchParams({ prompt: 'form urlencoded', seconds: '5', size: '1280x720' }).toString(), '5'],
    ['/v1/videos/generations', 'application/json', JSON.stringify({ prompt: 'pro alias', seconds: '4' }), '4'],
  ];
  for (const [path, type, body, seconds] of bodies) {
    const r = await post(path, type, body);
    const v = await r.json();
    assert.equal(r.status, 200, `${path} ${type}: ${JSON.stringify(v)}`);
    assertVideoObject(v);
    assert.equal(v.seconds, seconds);
    const done = await settle(main.client, v.id);
    assert.equal(done.status, 'completed');
    assert.equal((await onlyGeneration(done.prompt)).duration, Number(seconds));
  }
});

test('400s name the field: missing prompt, bad size, seconds over 10, file_id', async () => {
  // param: the field's name, or a pattern (input_reference or input_reference[file_id]).
  const bad = async (body, param) => {
    await assert.rejects(main.client.videos.create(body), (e) => {
      assert.ok(e instanceof BadRequestError, `${JSON.stringify(body)}: ${e}`);
      if (param instanceof RegExp) assert.match(e.param || '', param, e.message);
      else assert.equal(e.param, param, e.message);
      assert.equal(e.type, 'invalid_request_error');
      return true;
    });
  };
  await bad({ model: 'sora-2' }, 'prompt');
  await bad({ prompt: 'wrong size', size: '999x1' }, 'size');
  await bad({ prompt: 'too long', seconds: '12' }, 'seconds');
  await bad({ prompt: 'not a number', seconds: 'four' }, 'seconds');
  await bad({ prompt: 'unknown model', model: 'no-such-video-model' }, 'model');
  await bad({ prompt: 'file id', input_reference: { file_id: 'file-123' } }, /^input_reference/);
  const json = await main.api('/v1/videos', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":' });
  assert.equal(json.status, 400);
  for (const p of ['wrong size', 'too long', 'not a number', 'unknown model', 'file id']) assert.equal((await generationsOf(p)).length, 0, `"${p}" never went upstream`);
});

test('failures: an error mid-generation ends failed with its message; a moderated prompt ends failed "moderated"', async () => {
  // The other account's script, left unused, must not hit later tests.
  const dropScripts = async () => assert.equal((await fetch(`${sim.grok}/__sim/scripts`, { method: 'DELETE' })).status, 200);
  try {
    for (const [sso] of MAIN) await sim.control('script', { sso, call: 'video', fault: 'error_event', message: 'Video generation failed: GPU melted', count: 1 });
    const prompt = 'a doomed generation';
    const created = await main.client.videos.create({ prompt, seconds: '4' });
    const failed = await settle(main.client, created.id);
    assert.equal(failed.status, 'failed');
    assert.ok(failed.error && typeof failed.error.code === 'string' && failed.error.code.length > 0);
    assert.match(failed.error.message, /GPU melted/);
    const gen = await onlyGeneration(prompt);
    assert.equal(gen.status, 'error');
    assert.equal(gen.progress, 45);
  } finally {
    await dropScripts();
  }

  const mod = await main.client.videos.create({ prompt: 'please moderate this scene', seconds: '4' });
  const m = await settle(main.client, mod.id);
  assert.equal(m.status, 'failed');
  assert.equal(m.error.code, 'moderated');
  const content = await main.api(`/v1/videos/${m.id}/content`);
  assert.equal(content.status, 409);
  assert.equal(content.headers.get('x-should-retry'), 'false', 'the SDKs must not retry it');
  assert.equal((await content.json()).error.code, 'video_not_ready');
});

// A generation that made progress fails with it: another account would make (and be
// charged for) the same video again.
test('failures: a connection dropped after progress 45 ends failed, generated once', async () => {
  try {
    for (const [sso] of MAIN) await sim.control('script', { sso, call: 'video', fault: 'reset', count: 1 });
    const dropped = await settle(main.client, (await main.client.videos.create({ prompt: 'a dropped generation', seconds: '4' })).id);
    assert.equal(dropped.status, 'failed');
    assert.ok(dropped.error && dropped.error.code && dropped.error.message, JSON.stringify(dropped.error));
    assert.equal((await onlyGeneration('a dropped generation')).status, 'reset');
  } finally {
    assert.equal((await fetch(`${sim.grok}/__sim/scripts`, { method: 'DELETE' })).status, 200);
  }
});

test('a third-party adapter plugin (acme-video-1) makes a completed video', async () => {
  const prompt = 'acme rockets over the desert';
  const created = await main.client.videos.create({ prompt, model: 'acme-video-1', seconds: '4', size: '1280x720' });
  assert.equal(created.model, 'acme-video-1');
  const done = await settle(main.client, created.id);
  assert.equal(done.status, 'completed', JSON.stringify(done.error));
  const gen = await onlyGeneration(prompt);
  const content = Buffer.from(await (await main.client.videos.downloadContent(done.id)).arrayBuffer());
  assert.ok(content.equals(await simAsset(gen.video_path)));
  await assert.rejects(main.client.videos.create({ prompt: 'acme too long', model: 'acme-video-1', seconds: '6', size: '1280x720' }), (e) => e instanceof BadRequestError && e.param === 'seconds');
});

test('GET /api/videos: the admin session lists the tasks; no session 401', async () => {
  const r = await main.gw.admin('GET', '/api/videos');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.success, true);
  assert.ok(r.body.total >= 5);
  const mine = r.body.videos.find((v) => v.id === first.id);
  assert.ok(mine, 'the first task is listed');
  assert.equal(mine.status, 'completed');
  assert.ok(!JSON.stringify(r.body).includes(MAIN[0][0]) && !JSON.stringify(r.body).includes(MAIN[1][0]), 'sso tokens are masked');
  assert.ok('sso' in mine && 'updated_at' in mine);
  const failed = await main.gw.admin('GET', '/api/videos?status=failed');
  assert.ok(failed.body.videos.length >= 2 && failed.body.videos.every((v) => v.status === 'failed'));
  const one = await main.gw.admin('GET', '/api/videos?limit=1&offset=1');
  assert.equal(one.body.videos.length, 1);
  assert.equal(one.body.videos[0].id, r.body.videos[1].id);

  assert.equal((await fetch(`${main.gw.base}/api/videos`)).status, 401);
  assert.equal((await main.api('/api/videos')).status, 401, 'an API key is not an admin session');
});

test('chat with sora-2 answers a <video> tag whose URL serves the video', async () => {
  const prompt = 'a dancing robot in the rain';
  const r = await main.client.chat.completions.create({ model: 'sora-2', messages: [{ role: 'user', content: prompt }] });
  const text = r.choices[0].message.content;
  const m = /<video[^>]*\ssrc="([^"]+)"/.exec(text);
  assert.ok(m, `a <video src> tag in ${text}`);
  const got = await fetch(local(m[1]));
  assert.equal(got.status, 200);
  const gen = (await sim.control('videos')).filter((g) => g.prompt.includes('dancing robot')).at(-1);
  assert.ok(gen, 'the simulator made the video');
  assert.ok(Buffer.from(await got.arrayBuffer()).equals(await simAsset(gen.video_path)));
});

test('video_tasks.json holds the tasks in the Pro shape after shutdown', async () => {
  const ids = [];
  for await (const v of main.client.videos.list({ limit: 100 })) ids.push(v.id);
  await main.halt();
  const file = join(main.gw.work, 'data', 'video_tasks.json');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(typeof doc.tasks, 'object');
  assert.equal(typeof doc.meta, 'object');
  assert.deepEqual(Object.keys(doc.tasks).sort(), ids.slice().sort());
  const t = doc.tasks[first.id];
  for (const k of ['id', 'model', 'status', 'progress', 'created_at', 'completed_at', 'expires_at', 'prompt', 'size', 'seconds', 'quality', 'video_url', 'sso_token']) assert.ok(k in t, `stored task has ${k}`);
  assert.equal(t.status, 'completed');
  assert.equal(t.video_url, first.video_url);
  assert.ok('total_count' in doc.meta || 'last_save' in doc.meta, JSON.stringify(doc.meta));
});

// ---- free accounts only: seconds over 6 refused, or clamped when the setting says ----

test('basic accounts only: seconds "8" is a 400 on seconds; clamp_seconds makes 6 s instead', async () => {
  const plain = await gateway([['sdk-video-basic-0001', 'basic']]);
  await assert.rejects(plain.client.videos.create({ prompt: 'eight seconds on free', model: 'sora-2-pro', seconds: '8' }), (e) => e instanceof BadRequestError && e.param === 'seconds');
  const ok = await settle(plain.client, (await plain.client.videos.create({ prompt: 'six seconds on free', model: 'sora-2-pro', seconds: '6' })).id);
  assert.equal(ok.status, 'completed', JSON.stringify(ok.error));
  await plain.stop();
  assert.equal((await generationsOf('eight seconds on free')).length, 0);

  const clamp = await gateway([['sdk-video-basic-0002', 'basic']], { video: { clamp_seconds: true } });
  const v = await clamp.client.videos.create({ prompt: 'eight seconds clamped', model: 'sora-2-pro', seconds: '8' });
  const done = await settle(clamp.client, v.id);
  assert.equal(done.status, 'completed', JSON.stringify(done.error));
  assert.equal(done.seconds, '6');
  assert.equal((await onlyGeneration('eight seconds clamped')).duration, 6);
  await clamp.stop();
});

test('image_fetch_allow_private: input_reference[image_url] on a local server is fetched and uploaded', async () => {
  const srv = await pngServer();
  const g = await gateway([['sdk-video-super-0003', 'super']], { global: { image_fetch_allow_private: true } });
  try {
    const prompt = 'from a private url, allowed';
    const created = await g.client.videos.create({ prompt, input_reference: { image_url: `${srv.url}/ref.png` } });
    const done = await settle(g.client, created.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    assert.equal(srv.hits(), 1);
    const gen = await onlyGeneration(prompt);
    assert.equal(gen.kind, 'imageToVideo');
    assert.equal(gen.input_assets[0].sha256, sha256(PNG));
  } finally {
    await g.stop();
    await srv.close();
  }
});

// ---- pagination over 250 tasks ----

test('list: 250 tasks, auto-pagination in both orders ends, ids in created order, no duplicates', async () => {
  const g = await gateway([['sdk-video-super-0004', 'super'], ['sdk-video-super-0005', 'super']]);
  try {
    const created = [];
    for (let i = 0; i < 250; i++) created.push((await g.client.videos.create({ prompt: `page task ${i}`, seconds: '1' })).id);
    assert.equal(new Set(created).size, 250);
    const collect = async (order, limit) => {
      const ids = [];
      for await (const v of g.client.videos.list({ order, limit })) ids.push(v.id);
      return ids;
    };
    const asc = await collect('asc', 100);
    assert.equal(asc.length, 250, 'auto-pagination ended after every task once');
    assert.equal(new Set(asc).size, 250, 'no duplicates');
    assert.deepEqual(asc, created, 'asc is the created order');
    const desc = await collect('desc', 33);
    assert.deepEqual(desc, created.slice().reverse(), 'desc is the reverse');
    const dflt = await collect(undefined, undefined);
    assert.deepEqual(dflt, desc, 'default order desc, limit 20');

    const page = await g.client.videos.list({ order: 'asc', limit: 100, after: created[199] });
    assert.deepEqual(page.data.map((v) => v.id), created.slice(200));
    assert.equal(page.has_more, false);
    const mid = await g.client.videos.list({ order: 'desc', limit: 10, after: created[100] });
    assert.deepEqual(mid.data.map((v) => v.id), created.slice(90, 100).reverse());
    assert.equal(mid.has_more, true);
  } finally {
    await g.stop();
  }
});

// ---- the queue limit and a crash mid-generation ----

test('max_concurrency=1: a second task stays queued while the first is held, then both complete', async () => {
  const g = await gateway([['sdk-video-super-0006', 'super']], { video: { max_concurrency: 1 } });
  try {
    await sim.control('video/hold', { after_progress: 45 });
    const a = await g.client.videos.create({ prompt: 'held first', seconds: '4' });
    await held('count=1');
    const running = await g.client.videos.retrieve(a.id);
    assert.equal(running.status, 'in_progress');
    assert.equal(running.progress, 45, 'the upstream progress is shown');
    const b = await g.client.videos.create({ prompt: 'queued second', seconds: '4' });
    const q = await g.client.videos.retrieve(b.id);
    assert.equal(q.status, 'queued');
    assert.equal(q.progress, 0);
    // Not started upstream: a second held stream never appears.
    const r = await fetch(`${sim.grok}/__sim/video/held?count=2&timeout_ms=500`);
    assert.equal(r.status, 408);
    assert.equal((await g.client.videos.retrieve(b.id)).status, 'queued');
    assert.equal((await generationsOf('queued second')).length, 0);

    await sim.control('video/release', {});
    assert.equal((await settle(g.client, a.id)).status, 'completed');
    assert.equal((await settle(g.client, b.id)).status, 'completed');
  } finally {
    await sim.control('video/release', {});
    await g.stop();
  }
});

test('retention: max_tasks keeps the newest finished tasks, retention_hours removes old ones with their files', async () => {
  const g = await gateway([['sdk-video-super-0009', 'super']], { video: { max_tasks: 2, sweep_interval: 0.2 } });
  try {
    const done = [];
    for (const prompt of ['kept not: the oldest', 'kept: the middle', 'kept: the newest'])
      done.push(await settle(g.client, (await g.client.videos.create({ prompt, seconds: '4' })).id));
    // The sweep runs on its own schedule (sweep_interval): poll until it has.
    await until('the oldest task swept', async () => (await g.api(`/v1/videos/${done[0].id}`)).status === 404);
    assert.equal((await fetch(`${g.gw.base}${new URL(done[0].video_url).pathname}`)).status, 404, 'its file went too');
    for (const v of done.slice(1)) assert.equal((await g.client.videos.retrieve(v.id)).status, 'completed');
  } finally {
    await g.stop();
  }
  // 0.0005 h = 1.8 s.
  const r = await gateway([['sdk-video-super-0010', 'super']], { video: { retention_hours: 0.0005, sweep_interval: 0.2 } });
  try {
    const v = await settle(r.client, (await r.client.videos.create({ prompt: 'short-lived by retention', seconds: '4' })).id);
    assert.equal(v.status, 'completed');
    assert.equal(v.expires_at - v.created_at, 1, 'expires_at follows retention_hours (whole seconds)');
    await until('the expired task swept', async () => (await r.api(`/v1/videos/${v.id}`)).status === 404);
    assert.equal((await fetch(`${r.gw.base}${new URL(v.video_url).pathname}`)).status, 404, 'its file went too');
  } finally {
    await r.stop();
  }
});

test('generation_timeout: a generation that outlives it fails with code timeout, generated once', async () => {
  const g = await gateway([['sdk-video-super-0011', 'super'], ['sdk-video-super-0012', 'super']], { video: { generation_timeout: 1 } });
  try {
    await sim.control('video/hold', { after_progress: 45 });
    const v = await g.client.videos.create({ prompt: 'held past the timeout', seconds: '4' });
    const failed = await settle(g.client, v.id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error.code, 'timeout', JSON.stringify(failed.error));
    assert.match(failed.error.message, /generation_timeout/);
    assert.equal((await generationsOf('held past the timeout')).length, 1, 'not moved to the other account');
  } finally {
    await sim.control('video/release', {});
    await g.stop();
  }
});

const readIfThere = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

// The stored document of a task in data/video_tasks.json (null until saved).
function storedTask(work, id) {
  try {
    return JSON.parse(readIfThere(join(work, 'data', 'video_tasks.json'))).tasks[id] || null;
  } catch {
    return null;
  }
}

// A gateway of account sso makes a task of prompt; its stream is held after progress 45,
// the gateway saves it in progress and is SIGKILLed; a gateway with the restart's [video]
// settings starts on the same data; check(gateway, task) runs against it.
async function crashMidGeneration(sso, prompt, restartVideo, check) {
  let g = await gateway([[sso, 'super']]);
  try {
    await sim.control('video/hold', { after_progress: 45 });
    const v = await g.client.videos.create({ prompt, seconds: '4' });
    await held('count=1');
    await until('the task saved in progress', () => storedTask(g.gw.work, v.id)?.status === 'in_progress');
    await until('the token saved', () => readIfThere(join(g.gw.work, 'data', 'token.json')).includes(sso));
    await g.kill();
    await held('at_most=0'); // the simulator saw the connection go
    await sim.control('video/release', {});
    g = await gateway([], { work: g.gw.work, video: restartVideo });
    await check(g, v);
  } finally {
    await sim.control('video/release', {});
    await g.stop();
  }
}

test('restart mid-generation: the task fails "interrupted" and is not generated again', async () => {
  const prompt = 'interrupted by a crash';
  await crashMidGeneration('sdk-video-super-0007', prompt, {}, async (g, v) => {
    const after = await g.client.videos.retrieve(v.id);
    assert.equal(after.status, 'failed');
    assert.equal(after.error.code, 'interrupted');
    const gens = await generationsOf(prompt);
    assert.equal(gens.length, 1, 'no second generation');
    assert.equal(gens[0].status, 'closed');
    // New work still runs on the restarted gateway.
    const next = await settle(g.client, (await g.client.videos.create({ prompt: 'after the restart', seconds: '4' })).id);
    assert.equal(next.status, 'completed');
    assert.equal((await g.client.videos.retrieve(v.id)).status, 'failed', 'still failed');
    assert.equal((await generationsOf(prompt)).length, 1);
  });
});

test('restart mid-generation with resubmit_interrupted: submitted again and completed', async () => {
  const prompt = 'resubmitted after a crash';
  await crashMidGeneration('sdk-video-super-0008', prompt, { resubmit_interrupted: true }, async (g, v) => {
    const done = await settle(g.client, v.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    const gens = await generationsOf(prompt);
    assert.equal(gens.length, 2, 'generated again');
    assert.equal(gens[1].status, 'completed');
    const content = Buffer.from(await (await g.client.videos.downloadContent(v.id)).arrayBuffer());
    assert.ok(content.equals(await simAsset(gens[1].video_path)), 'the second generation is served');
  });
});

test('a graceful stop mid-generation ends the held stream and exits 0; the next start reads the task as interrupted', async () => {
  const prompt = 'stopped while grok.com held it';
  let g = await gateway([['sdk-video-super-0013', 'super']]);
  try {
    await sim.control('video/hold', { after_progress: 45 });
    const v = await g.client.videos.create({ prompt, seconds: '4' });
    await held('count=1');
    // SIGTERM with the stream still open: the gateway ends it itself, and nothing it
    // held is left behind (under AddressSanitizer a leak would make the exit code 1).
    running.delete(g.gw);
    const code = await g.gw.halt();
    assert.equal(code, 0, `exit code ${code}:\n${g.gw.output().slice(-4000)}`);
    await held('at_most=0');
    await sim.control('video/release', {});
    g = await gateway([], { work: g.gw.work });
    const after = await g.client.videos.retrieve(v.id);
    assert.equal(after.status, 'failed');
    assert.equal(after.error.code, 'interrupted');
    assert.equal((await generationsOf(prompt)).length, 1, 'not generated again');
  } finally {
    await sim.control('video/release', {});
    await g.stop();
  }
});

// A local HTTP server with one PNG (a "private address" reference URL).
async function pngServer() {
  let hits = 0;
  const srv = createServer((req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
    res.end(PNG);
  });
  await new Promise((ok) => srv.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${srv.address().port}`,
    hits: () => hits,
    close: () => new Promise((ok) => srv.close(ok)),
  };
}
