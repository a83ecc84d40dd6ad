'use strict';
// Scripted faults and less common paths: mgw/imagine stream faults, moderation,
// image edit, lite drawing, gRPC credits, blocked accounts, unknown endpoints.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const h = require('../test_support/helpers');
const { jpeg } = require('../lib/media_files');

let sim;
let scraped;
let acct;
const SSO = 'sso-heavy-token-0003';

test.before(async () => {
  sim = await h.startSim(['--seed-build', 'random']);
  await h.control(sim, 'POST', '/config', { chunk_delay_ms: 0, video_step_ms: 0, imagine_step_ms: 0 });
  acct = await h.control(sim, 'POST', '/accounts', { sso: SSO, tier: 'heavy' });
  scraped = await h.scrapeBuild(sim);
});
test.after(async () => {
  await sim.stop();
  assert.doesNotMatch(sim.stderr(), /internal error|handler error|upgrade error|imagine error/);
});

const rest = (p, sso, body, opts = {}) =>
  h.request(`${sim.grok}${p}`, { method: 'POST', headers: h.restHeaders(sso, { statsig: h.signWith(scraped, 'POST', p), referer: opts.referer }), body });
const ndjson = (text) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
const script = (call, fault, extra = {}) => h.control(sim, 'POST', '/script', { sso: SSO, call, fault, count: 1, ...extra });
const waitClose = (ws) => new Promise((r) => (ws.readyState === 3 ? r() : ws.once('close', r)));

test('random build scrapes to the served fingerprint', async () => {
  const b = await h.control(sim, 'GET', '/build');
  assert.equal(b.source, 'random');
  assert.equal(scraped.fingerprint, b.fingerprint);
});

test('mgw: heavy mode thinks; error_event, usage_limit, reset, stall', async () => {
  let { c, sid } = await h.mgwSession(sim, SSO, acct.user_id, { mode: 'heavy' });
  h.mgwAsk(c, sid, 'hello');
  await c.waitFor((f) => f.event && f.event.type === 'response.done');
  assert.ok(c.frames.some((f) => f.event.chunk && f.event.chunk.text && f.event.chunk.text.channel === 'CHANNEL_ANALYSIS'));
  c.ws.close();

  await script('mgw', 'error_event');
  ({ c, sid } = await h.mgwSession(sim, SSO, acct.user_id));
  h.mgwAsk(c, sid, 'hello');
  const err = await c.waitFor((f) => f.event && f.event.type === 'error');
  assert.equal(err.event.error.code, 'internal');
  c.ws.close();

  await script('mgw', 'usage_limit');
  ({ c, sid } = await h.mgwSession(sim, SSO, acct.user_id));
  h.mgwAsk(c, sid, 'hello');
  const done = await c.waitFor((f) => f.event && f.event.type === 'response.done');
  assert.equal(done.event.response.status, 'failed');
  assert.ok(c.frames.some((f) => f.event.output && f.event.output.stream_error && /usage limit/.test(f.event.output.stream_error.message)));
  c.ws.close();

  await script('mgw', 'reset');
  ({ c, sid } = await h.mgwSession(sim, SSO, acct.user_id));
  h.mgwAsk(c, sid, 'hello world again and again');
  await waitClose(c.ws);
  assert.ok(!c.frames.some((f) => f.event.type === 'response.done'));

  await script('mgw', 'stall');
  ({ c, sid } = await h.mgwSession(sim, SSO, acct.user_id));
  h.mgwAsk(c, sid, 'hello world again and again');
  await c.waitFor((f) => f.event && f.event.type === 'response.created');
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!c.frames.some((f) => f.event.type === 'response.done'));
  assert.equal(c.ws.readyState, 1, 'still open');
  c.ws.terminate();
});

test('mgw: slow_first_event delays session.created; slow_first_byte delays the 101', async () => {
  await script('mgw', 'slow_first_event', { delay_ms: 300 });
  let t = Date.now();
  const { c } = await h.mgwSession(sim, SSO, acct.user_id);
  assert.ok(Date.now() - t >= 280);
  c.ws.close();
  await script('imagine', 'slow_first_byte', { delay_ms: 300 });
  t = Date.now();
  const w = await h.openWs(`${sim.grok.replace('http', 'ws')}/ws/imagine/listen`, h.wsHeaders(SSO));
  assert.ok(w.ws && Date.now() - t >= 280);
  w.ws.close();
});

test('mgw: lite drawing yields card_attachment images owned by the account', async () => {
  const { c, sid } = await h.mgwSession(sim, SSO, acct.user_id);
  h.mgwAsk(c, sid, 'Drawing: a lighthouse');
  await c.waitFor((f) => f.event && f.event.type === 'response.done');
  const cards = c.frames.filter((f) => f.event.type === 'response.grok.output').map((f) => JSON.parse(f.event.output.card_attachment.jsonData));
  const done = cards.filter((x) => x.image_chunk.progress === 100);
  assert.equal(done.length, 2);
  const r = await h.request(`${sim.assets}/${done[0].image_chunk.imageUrl}`, { headers: { 'user-agent': h.UA, cookie: `sso=${SSO}; sso-rw=${SSO}` } });
  assert.equal(r.status, 200);
  c.ws.close();
});

test('mgw: protocol mistakes become error events with sim_violation', async () => {
  const { c, sid } = await h.mgwSession(sim, SSO, acct.user_id);
  c.send({ session_id: sid, event: { type: 'response.create', event_id: 'evt_resp_1' } });
  const e = await c.waitFor((f) => f.sim_violation);
  assert.match(e.sim_violation, /without a preceding conversation.item.create/);
  c.ws.close();
  const v = await h.control(sim, 'GET', '/violations');
  assert.ok(v.some((x) => x.kind === 'mgw'));
});

test('imagine: moderated prompt, usage limit, error_event', async () => {
  const url = `${sim.grok.replace('http', 'ws')}/ws/imagine/listen`;
  const round = (c, text, n = 2) => {
    c.send({ type: 'conversation.item.create', timestamp: Date.now(), item: { type: 'message', content: [{ type: 'reset' }] } });
    c.send({ type: 'conversation.item.create', timestamp: Date.now(), item: { type: 'message', content: [{ requestId: `img_${Date.now()}`, text, type: 'input_text', properties: { section_count: 0, is_kids_mode: false, enable_nsfw: false, skip_upsampler: false, enable_side_by_side: true, is_initial: false, aspect_ratio: '1:1', enable_pro: false, num_generations: n } }] } });
  };
  let c = await h.openWs(url, h.wsHeaders(SSO));
  round(c, 'please moderate this');
  await c.waitFor((f) => f.current_status === 'completed' && f.order === 0);
  await new Promise((r) => setTimeout(r, 50));
  const completed = c.frames.filter((f) => f.current_status === 'completed');
  assert.ok(completed.every((f) => f.moderated === true));
  assert.ok(!c.frames.some((f) => f.type === 'image' && f.percentage_complete === 100));
  c.ws.close();

  await script('imagine', 'error_event');
  c = await h.openWs(url, h.wsHeaders(SSO));
  round(c, 'a boat');
  const err = await c.waitFor((f) => f.type === 'error');
  assert.equal(err.err_code, 'internal_error');
  c.ws.close();

  await h.control(sim, 'POST', '/quota', { sso: SSO, media: 'imagePro', remaining: 0 });
  c = await h.openWs(url, h.wsHeaders(SSO));
  round(c, 'a boat');
  const rl = await c.waitFor((f) => f.type === 'error');
  assert.equal(rl.err_code, 'rate_limit_exceeded');
  c.ws.close();
  await h.control(sim, 'POST', '/quota', { sso: SSO, media: 'imagePro', remaining: 10 });
});

test('image edit: upload then imagine-image-edit stream', async () => {
  const boundary = `----sim${crypto.randomBytes(6).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="in.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    jpeg(16, 16, [1, 2, 3]),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const headers = h.restHeaders(SSO, { json: false, requestId: false, referer: h.REFERER.imagine });
  headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
  const up = await h.request(`${sim.grok}/http/upload-file-v2/direct`, { method: 'POST', headers, body });
  const id = up.json.fileMetadata.fileMetadataId;
  const r = await rest('/rest/app-chat/conversations/new', SSO, { modelName: 'imagine-image-edit', message: 'make it blue', enableImageStreaming: true, enableSideBySide: true, sendFinalMetadata: true, mediaGenInput: { imageToImage: { prompt: 'make it blue', inputAssets: [id], aspectRatio: '16:9' } } }, { referer: h.REFERER.imagine });
  assert.equal(r.status, 200, r.text);
  const lines = ndjson(r.text);
  const final = lines.find((l) => l.result.response && l.result.response.modelResponse).result.response.modelResponse;
  assert.equal(final.generatedImageUrls.length, 1);
  assert.ok(lines.some((l) => l.result.response && l.result.response.streamingImageGenerationResponse && l.result.response.streamingImageGenerationResponse.isFinal));
  const bad = await rest('/rest/app-chat/conversations/new', SSO, { modelName: 'imagine-image-edit', message: 'x', mediaGenInput: { imageToImage: { prompt: 'x', inputAssets: ['nope'] } } }, { referer: h.REFERER.imagine });
  assert.equal(bad.status, 400);
});

test('REST: slow_first_byte, error_event, long video without URL', async () => {
  await script('rest_chat', 'slow_first_byte', { delay_ms: 300 });
  const t = Date.now();
  let r = await rest('/rest/app-chat/conversations/new', SSO, { message: 'hi', modeId: 'fast' });
  assert.ok(Date.now() - t >= 280);
  assert.equal(r.status, 200);
  await script('rest_chat', 'error_event');
  r = await rest('/rest/app-chat/conversations/new', SSO, { message: 'hi there my friend', modeId: 'fast' });
  assert.ok(ndjson(r.text).some((l) => l.result && l.result.response && l.result.response.error));
  const video = (duration) => ({ modelName: 'imagine-video-gen', message: 'waves --mode=normal', kind: 'CONVERSATION_KIND_IMAGINE', mediaGenInput: { textToVideo: { prompt: 'waves', aspectRatio: '16:9', duration, resolutionName: '480p' } } });
  r = await rest('/rest/app-chat/conversations/new', SSO, video(12), { referer: h.REFERER.imagine });
  assert.equal(r.status, 200);
  assert.ok(!/videoUrl/.test(r.text), 'ends without a URL past 10 s');
});

test('gRPC credits, blocked account, unknown and retired endpoints, Cloudflare on WS', async () => {
  const p = '/grok_api_v2.GrokBuildBilling/GetGrokCreditsConfig';
  const headers = { ...h.restHeaders(SSO, { requestId: false, json: false }), 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1', 'x-user-agent': 'connect-es/2.1.1' };
  let r = await h.request(`${sim.grok}${p}`, { method: 'POST', headers, body: Buffer.alloc(5) });
  assert.equal(r.status, 200);
  assert.equal(r.buf[0], 0);
  assert.equal(r.headers['grpc-status'], '0');

  await h.control(sim, 'POST', '/accounts', { sso: 'blocked-1', status: 'blocked' });
  r = await rest('/rest/rate-limits', 'blocked-1', { modelName: 'fast' });
  assert.equal(r.status, 403);
  assert.deepEqual(r.json, { code: 7, message: 'User is blocked [WKE=unauthorized:blocked-user]' });
  const sh = h.restHeaders('blocked-1', { json: false });
  delete sh.origin;
  r = await h.request(`${sim.grok}/api/auth/session`, { headers: sh });
  assert.deepEqual(r.json, { status: 'blocked' });

  r = await rest('/rest/media/post/create', SSO, { mediaType: 'MEDIA_POST_TYPE_VIDEO' });
  assert.equal(r.status, 400);
  assert.match(r.json.sim_violation, /retired/);
  r = await rest('/rest/nope', SSO, {});
  assert.equal(r.status, 400);

  await h.control(sim, 'POST', '/cloudflare', { required: true });
  const w = await h.openWs(`${sim.grok.replace('http', 'ws')}/ws/imagine/listen`, h.wsHeaders(SSO));
  await h.control(sim, 'POST', '/cloudflare', { required: false });
  assert.equal(w.status, 403);
  assert.equal(w.headers['cf-mitigated'], 'challenge');
});
