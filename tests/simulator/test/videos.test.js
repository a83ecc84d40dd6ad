'use strict';
// The video controls the gateway's Video API tests use: holding streams mid-generation
// (and waiting for them without sleeping), failures after progress 45, the generation
// log with the quota charged, and the stored bytes of an asset.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const zlib = require('node:zlib');
const h = require('../test_support/helpers');
const { jpeg } = require('../lib/media_files');

let sim;
let scraped;
const SSO = 'sso-video-super-0001';
const OTHER = 'sso-video-heavy-0002';

test.before(async () => {
  sim = await h.startSim();
  await h.control(sim, 'POST', '/config', { chunk_delay_ms: 0, video_step_ms: 0, imagine_step_ms: 0 });
  await h.control(sim, 'POST', '/accounts', { sso: SSO, tier: 'super' });
  await h.control(sim, 'POST', '/accounts', { sso: OTHER, tier: 'heavy' });
  scraped = await h.scrapeBuild(sim);
});
test.after(async () => {
  await sim.stop();
  assert.doesNotMatch(sim.stderr(), /internal error|handler error/);
});

const PATH = '/rest/app-chat/conversations/new';
const videoBody = (prompt, { resolution = '480p', duration = 6, assets } = {}) => {
  const spec = { prompt, aspectRatio: '16:9', duration, resolutionName: resolution };
  const mediaGenInput = assets ? { imageToVideo: { ...spec, inputAssets: assets, mode: 'custom' } } : { textToVideo: spec };
  return { modelName: 'imagine-video-gen', message: `${prompt} --mode=custom`, mediaGenInput, kind: 'CONVERSATION_KIND_IMAGINE' };
};
const headersFor = (sso) => h.restHeaders(sso, { statsig: h.signWith(scraped, 'POST', PATH), referer: h.REFERER.imagine });

// A video request whose NDJSON lines are collected as they arrive; `done` resolves with
// {lines, ended: 'end'|'aborted'} and never rejects. received(n) resolves once n lines
// arrived; abort() drops the connection.
function startVideo(sso, body) {
  const lines = [];
  const waiting = [];
  let req;
  const done = new Promise((resolve) => {
    req = http.request(`${sim.grok}${PATH}`, { method: 'POST', headers: headersFor(sso) }, (res) => {
      const enc = res.headers['content-encoding'];
      const stream = enc === 'br' ? res.pipe(zlib.createBrotliDecompress()) : enc === 'gzip' ? res.pipe(zlib.createGunzip()) : enc === 'deflate' ? res.pipe(zlib.createInflate()) : res;
      let buf = '';
      stream.on('data', (d) => {
        buf += d.toString();
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          lines.push(JSON.parse(buf.slice(0, nl)));
          buf = buf.slice(nl + 1);
          for (const w of waiting) if (lines.length >= w.n) w.resolve();
        }
      });
      stream.on('end', () => resolve({ status: res.statusCode, lines, ended: 'end' }));
      stream.on('error', () => resolve({ status: res.statusCode, lines, ended: 'aborted' }));
      res.on('aborted', () => resolve({ status: res.statusCode, lines, ended: 'aborted' }));
    });
    req.on('error', () => resolve({ status: 0, lines, ended: 'aborted' }));
    req.end(JSON.stringify(body));
  });
  const received = (n) => (lines.length >= n ? Promise.resolve() : new Promise((resolve) => waiting.push({ n, resolve })));
  return { done, lines, received, abort: () => req.destroy() };
}

const progressOf = (lines) => lines.map((l) => l.result && l.result.response && l.result.response.streamingVideoGenerationResponse).filter(Boolean);
const generations = (q = '') => h.control(sim, 'GET', `/videos${q}`);
const lastGeneration = async (sso) => (await generations(`?sso=${encodeURIComponent(sso)}`)).slice(-1)[0];

test('hold: a stream stops after progress 45 until release; held long-polls', async () => {
  await h.control(sim, 'POST', '/video/hold', { after_progress: 45 });
  const v = startVideo(SSO, videoBody('held fox'));
  const held = await h.control(sim, 'GET', '/video/held?count=1&timeout_ms=10000');
  assert.equal(held.held, 1);
  assert.equal(held.streams[0].progress, 45);
  assert.equal(held.streams[0].status, 'held');
  assert.equal(held.streams[0].prompt, 'held fox');
  await v.received(4); // the conversation line and progress 1, 20, 45
  assert.deepEqual(progressOf(v.lines).map((p) => p.progress), [1, 20, 45], 'nothing after 45 while held');

  const rel = await h.control(sim, 'POST', '/video/release', {});
  assert.equal(rel.released, 1);
  assert.equal(rel.hold, null);
  const r = await v.done;
  assert.equal(r.ended, 'end');
  const last = progressOf(r.lines).slice(-1)[0];
  assert.equal(last.progress, 100);
  assert.ok(last.videoUrl);
  const gen = await lastGeneration(SSO);
  assert.equal(gen.status, 'completed');
  assert.equal(gen.was_held, true);
  assert.equal(gen.video_path, last.videoUrl);

  // After the release, new streams run through.
  const free = await startVideo(SSO, videoBody('free fox')).done;
  assert.equal(progressOf(free.lines).slice(-1)[0].progress, 100);
  assert.equal((await lastGeneration(SSO)).was_held, false);
});

test('held: times out with 408; at_most waits for a disconnected client', async () => {
  const r = await h.request(`${sim.grok}/__sim/video/held?count=1&timeout_ms=30`);
  assert.equal(r.status, 408);
  assert.match(r.json.error, /0 video streams held/);

  await h.control(sim, 'POST', '/video/hold', { after_progress: 20 });
  const a = startVideo(SSO, videoBody('gone fox'));
  const b = startVideo(OTHER, videoBody('second fox'));
  const held = await h.control(sim, 'GET', '/video/held?count=2&timeout_ms=10000');
  assert.equal(held.held, 2);
  a.abort();
  assert.equal((await a.done).ended, 'aborted');
  const after = await h.control(sim, 'GET', '/video/held?at_most=1&timeout_ms=10000');
  assert.equal(after.held, 1);
  assert.equal(after.streams[0].prompt, 'second fox');
  await h.control(sim, 'POST', '/video/release', {});
  assert.equal(progressOf((await b.done).lines).slice(-1)[0].progress, 100);
  const gone = (await generations(`?sso=${SSO}`)).find((g) => g.prompt === 'gone fox');
  assert.equal(gone.status, 'closed');
  assert.equal(gone.progress, 20);
});

test('faults: error line after progress 45 (own message), reset after progress 45', async () => {
  await h.control(sim, 'POST', '/script', { sso: SSO, call: 'video', fault: 'error_event', message: 'Generation failed: GPU on fire' });
  let r = await startVideo(SSO, videoBody('burning fox')).done;
  assert.equal(r.ended, 'end');
  assert.deepEqual(progressOf(r.lines).map((p) => p.progress), [1, 20, 45]);
  assert.deepEqual(r.lines.slice(-1)[0], { error: { code: 13, message: 'Generation failed: GPU on fire' } });
  assert.equal((await lastGeneration(SSO)).status, 'error');

  await h.control(sim, 'POST', '/script', { sso: SSO, call: 'video', fault: 'reset' });
  r = await startVideo(SSO, videoBody('dropped fox')).done;
  assert.equal(r.ended, 'aborted');
  assert.deepEqual(progressOf(r.lines).map((p) => p.progress), [1, 20, 45]);
  assert.equal((await lastGeneration(SSO)).status, 'reset');

  // Unused scripts can be dropped, per sso or all.
  await h.control(sim, 'POST', '/script', { sso: SSO, call: 'video', fault: 'reset' });
  await h.control(sim, 'POST', '/script', { sso: OTHER, call: 'video', fault: 'reset' });
  assert.deepEqual(await h.control(sim, 'DELETE', `/scripts?sso=${SSO}`), { dropped: 1 });
  assert.deepEqual((await h.control(sim, 'GET', '/scripts')).map((s) => s.sso), [OTHER]);
  assert.deepEqual(await h.control(sim, 'DELETE', '/scripts'), { dropped: 1 });
});

test('generations: quota kind, imageToVideo inputs, moderation; asset bytes by path', async () => {
  const before = (await h.control(sim, 'GET', '/accounts')).find((a) => a.sso === OTHER).quotas.media;
  await startVideo(OTHER, videoBody('hd fox', { resolution: '720p' })).done;
  const hd = await lastGeneration(OTHER);
  assert.equal(hd.quota, 'video720p');
  assert.equal(hd.kind, 'textToVideo');
  const after = (await h.control(sim, 'GET', '/accounts')).find((a) => a.sso === OTHER).quotas.media;
  assert.equal(after.video720p.remaining, before.video720p.remaining - 1);
  assert.equal(after.video.remaining, before.video.remaining);

  // Upload an image, then image-to-video with it.
  const img = jpeg(16, 16, [200, 10, 10]);
  const up = await h.uploadImage(sim, OTHER, img);
  const id = up.json.fileMetadata.fileMetadataId;
  const r = await startVideo(OTHER, videoBody('moving picture', { assets: [id] })).done;
  const final = progressOf(r.lines).slice(-1)[0];
  const gen = await lastGeneration(OTHER);
  assert.equal(gen.kind, 'imageToVideo');
  assert.equal(gen.quota, 'video');
  assert.equal(gen.input_assets.length, 1);
  assert.equal(gen.input_assets[0].mime, 'image/jpeg');
  assert.equal(gen.input_assets[0].sha256, crypto.createHash('sha256').update(img).digest('hex'));

  // The control's bytes are the assets host's bytes (which need the owner's cookies).
  const raw = await h.request(`${sim.grok}/__sim/asset?path=${encodeURIComponent(final.videoUrl)}`);
  assert.equal(raw.status, 200);
  assert.equal(raw.headers['content-type'], 'video/mp4');
  const served = await h.request(`${sim.assets}/${final.videoUrl}`, { headers: { 'user-agent': h.UA, cookie: `sso=${OTHER}; sso-rw=${OTHER}` } });
  assert.ok(raw.buf.equals(served.buf));
  const listed = (await h.control(sim, 'GET', '/assets')).find((a) => a.path === final.videoUrl);
  assert.equal(listed.sha256, crypto.createHash('sha256').update(raw.buf).digest('hex'));
  assert.equal((await h.request(`${sim.grok}/__sim/asset?path=users/nobody/x.mp4`)).status, 404);

  await startVideo(OTHER, videoBody('moderate this fox')).done;
  const mod = await lastGeneration(OTHER);
  assert.equal(mod.status, 'moderated');
  assert.equal(mod.video_path, null);

  // Quotas big enough for long test runs.
  const q = await h.control(sim, 'POST', '/quota', { sso: SSO, media: 'video', remaining: 300 });
  assert.equal(q.remaining, 300);
  assert.ok((await generations(`?sso=${SSO}`)).every((g) => g.sso !== hd.sso));
});
