'use strict';
// End-to-end calls against a running simulator with Node's http and ws clients.
const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const crypto = require('node:crypto');
const h = require('../test_support/helpers');
const { jpeg } = require('../lib/media_files');

let sim;
let scraped;
const SSO = 'sso-basic-token-0001';
const SUPER = 'sso-super-token-0002';
let basic;
let sup;

test.before(async () => {
  sim = await h.startSim();
  await h.control(sim, 'POST', '/config', { chunk_delay_ms: 0, video_step_ms: 0, imagine_step_ms: 0 });
  basic = await h.control(sim, 'POST', '/accounts', { sso: SSO, tier: 'basic' });
  sup = await h.control(sim, 'POST', '/accounts', { sso: SUPER, tier: 'super' });
  scraped = await h.scrapeBuild(sim);
});

test.after(async () => {
  const r = await sim.stop();
  assert.doesNotMatch(sim.stderr(), /internal error|handler error|upgrade error|imagine error/);
  assert.equal(r.code, 0, 'exits cleanly on SIGTERM');
});

const rest = (p, sso, opts = {}) => {
  const statsig = opts.statsig === undefined ? h.signWith(scraped, 'POST', p) : opts.statsig;
  return h.request(`${sim.grok}${p}`, { method: 'POST', headers: { ...h.restHeaders(sso, { statsig, referer: opts.referer, ua: opts.ua, extraCookies: opts.extraCookies }), ...(opts.headers || {}) }, body: opts.body === undefined ? {} : opts.body });
};
const ndjson = (text) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l));

test('page scrape recovers the vector build', () => {
  assert.equal(scraped.fingerprint, 'b68f210028f5c28f5c28f60028f5c28f5c28f6100');
  assert.deepEqual(scraped.indices, { group: 5, segment: 12, time: [8, 20, 29] });
});

test('session: authenticated, unauthenticated, no statsig allowed', async () => {
  const hdr = (sso) => {
    const x = h.restHeaders(sso, { json: false });
    delete x.origin;
    return x;
  };
  let r = await h.request(`${sim.grok}/api/auth/session`, { headers: hdr(SSO) });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'authenticated');
  assert.equal(r.json.session.userId, basic.user_id);
  r = await h.request(`${sim.grok}/api/auth/session`, { headers: hdr('nobody') });
  assert.deepEqual(r.json, { status: 'unauthenticated' });
  r = await h.request(`${sim.grok}/api/auth/session`, { headers: { ...hdr(SSO), 'x-statsig-id': h.signWith(scraped, 'GET', '/api/auth/session') } });
  assert.equal(r.status, 400);
  assert.match(r.json.sim_violation, /x-statsig-id must not be sent/);
});

test('rate-limits: valid statsig, reuse rejected, compressed body', async () => {
  const statsig = h.signWith(scraped, 'POST', '/rest/rate-limits');
  let r = await rest('/rest/rate-limits', SUPER, { statsig, body: { modelName: 'fast' } });
  assert.equal(r.status, 200);
  assert.ok(r.headers['content-encoding'], 'compressed per Accept-Encoding');
  assert.deepEqual(r.json, { windowSizeSeconds: 7200, remainingQueries: 140, totalQueries: 140, lowEffortRateLimits: null, highEffortRateLimits: null });
  r = await rest('/rest/rate-limits', SUPER, { statsig, body: { modelName: 'fast' } });
  assert.equal(r.status, 403);
  assert.deepEqual(r.json, { error: { code: 7, message: 'Request rejected by anti-bot rules.', details: [] } });
  r = await rest('/rest/rate-limits', SUPER, { statsig: h.signWith(scraped, 'POST', '/rest/other'), body: { modelName: 'fast' } });
  assert.equal(r.status, 403);
  const reqs = await h.control(sim, 'GET', '/requests?kind=rate_limits');
  assert.deepEqual(reqs.slice(-3).map((x) => x.statsig), ['ok', 'reused', 'hash']);
});

test('violation: missing Origin is answered 400 and listed', async () => {
  const headers = h.restHeaders(SUPER, { statsig: h.signWith(scraped, 'POST', '/rest/rate-limits') });
  delete headers.origin;
  const r = await h.request(`${sim.grok}/rest/rate-limits`, { method: 'POST', headers, body: { modelName: 'fast' } });
  assert.equal(r.status, 400);
  assert.match(r.json.sim_violation, /missing Origin/);
  const v = await h.control(sim, 'GET', '/violations');
  assert.ok(v.some((x) => /missing Origin/.test(x.violation) && x.path === '/rest/rate-limits'));
});

test('x1 fallback rejected unless configured; padding is a violation', async () => {
  const x1 = Buffer.from(`x1:TypeError: Cannot read properties of undefined (reading '${crypto.randomBytes(4).toString('hex')}')`).toString('base64').replace(/=+$/, '');
  let r = await rest('/rest/media/imagine/quota_info', SSO, { statsig: x1, referer: h.REFERER.imagine });
  assert.equal(r.status, 403);
  await h.control(sim, 'POST', '/config', { accept_x1_fallback: true });
  const x1b = Buffer.from(`x1:TypeError: Cannot read properties of undefined (reading '${crypto.randomBytes(4).toString('hex')}')`).toString('base64').replace(/=+$/, '');
  r = await rest('/rest/media/imagine/quota_info', SSO, { statsig: x1b, referer: h.REFERER.imagine });
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.json).sort(), ['image', 'imageEdit', 'imagePro', 'video', 'video720p']);
  await h.control(sim, 'POST', '/config', { accept_x1_fallback: false });
  r = await rest('/rest/media/imagine/quota_info', SSO, { statsig: `${h.signWith(scraped, 'POST', '/rest/media/imagine/quota_info')}==`, referer: h.REFERER.imagine });
  assert.equal(r.status, 400);
  assert.match(r.json.sim_violation, /padding/);
});

test('REST chat: NDJSON stream, thinking, search, follow-up, tier check', async () => {
  const body = { message: '[user]\nplease think and search for cats', modeId: 'expert', temporary: true, sendFinalMetadata: true };
  let r = await rest('/rest/app-chat/conversations/new', SUPER, { body });
  assert.equal(r.status, 200);
  const lines = ndjson(r.text);
  const convId = lines[0].result.conversation.conversationId;
  assert.ok(lines.some((l) => l.result.response && l.result.response.isThinking && l.result.response.messageTag === 'header'));
  assert.ok(lines.some((l) => l.result.response && l.result.response.webSearchResults));
  const final = lines.find((l) => l.result.response && l.result.response.modelResponse).result.response.modelResponse;
  assert.equal(final.message.replace(/<grok:render[^]*?<\/grok:render>/g, ''), 'You said: please think and search for cats');
  const tokens = lines.filter((l) => l.result.response && typeof l.result.response.token === 'string' && l.result.response.messageTag === 'final' && !l.result.response.isThinking).map((l) => l.result.response.token);
  assert.ok(tokens.length >= 3, 'answer streamed in several deltas');

  r = await rest(`/rest/app-chat/conversations/${convId}/responses`, SUPER, { body: { message: 'again', modeId: 'fast', responseId: final.responseId } });
  assert.equal(r.status, 200);
  assert.ok(ndjson(r.text).some((l) => l.result.response && l.result.response.modelResponse && l.result.response.modelResponse.message === 'You said: again'));

  r = await rest('/rest/app-chat/conversations/new', SSO, { body: { message: 'hi', modeId: 'expert' } });
  assert.equal(r.status, 403);
  r = await rest('/rest/app-chat/conversations/new', SSO, { body: { message: 'hi', modelName: 'grok-3', modeId: 'fast' } });
  assert.equal(r.status, 400);
  assert.match(r.json.sim_violation, /obsolete field modelName/);
});

test('usage limit: quota 0 yields the in-stream usage-limit error', async () => {
  await h.control(sim, 'POST', '/quota', { sso: SSO, mode: 'fast', remaining: 1 });
  let r = await rest('/rest/app-chat/conversations/new', SSO, { body: { message: 'one', modeId: 'fast' } });
  assert.ok(ndjson(r.text).some((l) => l.result.response && l.result.response.modelResponse));
  r = await rest('/rest/app-chat/conversations/new', SSO, { body: { message: 'two', modeId: 'fast' } });
  const err = ndjson(r.text).find((l) => l.result && l.result.response && l.result.response.error);
  assert.match(err.result.response.error.message, /usage limit/);
  r = await rest('/rest/rate-limits', SSO, { body: { modelName: 'fast' } });
  assert.equal(r.json.remainingQueries, 0);
  assert.equal(r.json.windowSizeSeconds, 86400);
  await h.control(sim, 'POST', '/quota', { sso: SSO, mode: 'fast', remaining: 30 });
});

async function mgwTurn(sso, account, text, { mode = 'fast', conv, parent } = {}) {
  const c = await h.openWs(`${sim.grok.replace('http', 'ws')}/ws/mgw/?uid=${account.user_id}`, h.wsHeaders(sso, { userId: account.user_id }));
  assert.ok(c.ws, `handshake: ${c.status} ${c.body}`);
  const x_grok = { protocol_capabilities: ['conversation_attached', 'custom_methods_v1'], use_chunk: true, enable_side_by_side: true, force_side_by_side: false, enable_image_generation: true, image_generation_count: 2, disable_text_follow_ups: false, disable_artifact: true, force_concise: false };
  Object.assign(x_grok, conv ? { conversation_id: conv, load_existing: true, needs_history: false } : { keep_context: false, is_temporary: true, disable_memory: true });
  const init = { event: { type: 'session.create', event_id: `evt_init_${crypto.randomUUID()}`, session: { model: mode, x_grok } } };
  if (conv) init.session_id = conv;
  c.send(init);
  const created = await c.waitFor((f) => f.event.type === 'session.created');
  assert.equal(created.event.client_event_id, init.event.event_id);
  const attached = await c.waitFor((f) => f.event.type === 'conversation.attached');
  const sid = attached.event.conversation.id;
  const item = { session_id: sid, event: { type: 'conversation.item.create', event_id: `evt_msg_${Date.now()}`, item: { type: 'message', role: 'user', x_grok: { client_message_id: crypto.randomUUID(), input_chunks: [{ text: { text } }] } } } };
  if (parent) item.event.parent_response_id = parent;
  c.send(item);
  c.send({ session_id: sid, event: { type: 'response.create', event_id: `evt_resp_${Date.now()}` } });
  const done = await c.waitFor((f) => f.event.type === 'response.done' || f.event.type === 'error');
  c.ws.close();
  const answer = c.frames.filter((f) => f.event.type === 'response.chunk' && f.event.chunk.text && f.event.chunk.text.channel === 'CHANNEL_ASSISTANT_RESPONSE').map((f) => f.event.chunk.text.text);
  return { sid, done, frames: c.frames, answer };
}

test('mgw: full turn, thinking, search, continuation', async () => {
  const t1 = await mgwTurn(SUPER, sup, '[user]\nthink then search grok 4.6', { mode: 'auto' });
  assert.equal(t1.done.event.response.status, 'completed');
  assert.equal(t1.answer.join(''), 'You said: think then search grok 4.6');
  assert.ok(t1.answer.length >= 3);
  const types = t1.frames.map((f) => f.event.type);
  assert.ok(types.indexOf('response.created') < types.indexOf('response.done'));
  assert.ok(t1.frames.some((f) => f.event.type === 'response.chunk' && f.event.chunk.text && f.event.chunk.text.channel === 'CHANNEL_ANALYSIS'));
  assert.ok(t1.frames.some((f) => f.event.type === 'response.chunk' && f.event.chunk.tool_usage_card));
  assert.ok(t1.frames.some((f) => f.event.type === 'response.chunk' && f.event.chunk.render_citation));
  assert.ok(types.includes('ping'));
  const t2 = await mgwTurn(SUPER, sup, 'second', { conv: t1.sid, parent: t1.done.event.response.id });
  assert.equal(t2.sid, t1.sid);
  assert.equal(t2.answer.join(''), 'You said: second');
  // Another account cannot continue this conversation.
  const c = await h.openWs(`${sim.grok.replace('http', 'ws')}/ws/mgw/?uid=${basic.user_id}`, h.wsHeaders(SSO, { userId: basic.user_id }));
  c.send({ session_id: t1.sid, event: { type: 'session.create', event_id: 'evt_init_x', session: { model: 'fast', x_grok: { conversation_id: t1.sid, load_existing: true, needs_history: false } } } });
  const err = await c.waitFor((f) => f.event.type === 'error');
  assert.equal(err.event.error.code, 'not_found');
  c.ws.close();
});

test('mgw: handshake header violations are rejected with 400', async () => {
  const url = `${sim.grok.replace('http', 'ws')}/ws/mgw/?uid=${sup.user_id}`;
  let c = await h.openWs(url, h.wsHeaders(SUPER));
  assert.equal(c.status, 400);
  assert.match(JSON.parse(c.body).sim_violation, /x-userid/);
  c = await h.openWs(url, { ...h.wsHeaders(SUPER, { userId: sup.user_id }), 'x-statsig-id': 'abc' });
  assert.equal(c.status, 400);
  assert.match(JSON.parse(c.body).sim_violation, /x-statsig-id must not be sent/);
  c = await h.openWs(url, h.wsHeaders('unknown-token', { userId: sup.user_id }));
  assert.equal(c.status, 401);
});

test('upload + assets: owner downloads, others get 403', async () => {
  const img = jpeg(32, 32, [10, 200, 30]);
  const boundary = `----sim${crypto.randomBytes(6).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="pic.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    img,
    Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="file_source"\r\n\r\nIMAGINE_SELF_UPLOAD_FILE_SOURCE\r\n--${boundary}--\r\n`),
  ]);
  const headers = h.restHeaders(SSO, { json: false, requestId: false, referer: h.REFERER.imagine });
  headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
  const r = await h.request(`${sim.grok}/http/upload-file-v2/direct`, { method: 'POST', headers, body });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.terminalError, null);
  const uri = r.json.fileMetadata.fileUri;
  assert.match(uri, new RegExp(`^users/${basic.user_id}/`));
  const get = (sso) => h.request(`${sim.assets}/${uri}`, { headers: { 'user-agent': h.UA, accept: '*/*', ...(sso ? { cookie: `sso=${sso}; sso-rw=${sso}` } : {}) } });
  const mine = await get(SSO);
  assert.equal(mine.status, 200);
  assert.ok(mine.buf.equals(img));
  assert.equal((await get(SUPER)).status, 403);
  assert.equal((await get(null)).status, 403);

  // x-xai-request-id must not be sent on upload.
  const bad = { ...headers, 'x-xai-request-id': crypto.randomUUID() };
  const r2 = await h.request(`${sim.grok}/http/upload-file-v2/direct`, { method: 'POST', headers: bad, body });
  assert.equal(r2.status, 400);
});

test('imagine WS: generations, progressive frames, downloadable finals', async () => {
  const c = await h.openWs(`${sim.grok.replace('http', 'ws')}/ws/imagine/listen`, h.wsHeaders(SUPER));
  assert.ok(c.ws, c.body);
  c.send({ type: 'conversation.item.create', timestamp: Date.now(), item: { type: 'message', content: [{ type: 'reset' }] } });
  c.send({ type: 'conversation.item.create', timestamp: Date.now() + 1, item: { type: 'message', content: [{ requestId: 'img_1', text: 'a red fox', type: 'input_text', properties: { section_count: 0, is_kids_mode: false, enable_nsfw: false, skip_upsampler: false, enable_side_by_side: true, is_initial: false, aspect_ratio: '16:9', enable_pro: true, num_generations: 3 } }] } });
  await new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error('imagine timeout')), 5000);
    const t = setInterval(() => {
      if (c.frames.filter((f) => f.current_status === 'completed').length === 3) {
        clearInterval(t);
        clearTimeout(deadline);
        resolve();
      }
    }, 20);
  });
  const finals = c.frames.filter((f) => f.type === 'image' && f.percentage_complete === 100);
  assert.equal(finals.length, 3);
  assert.ok(c.frames.some((f) => f.type === 'image' && f.percentage_complete < 100));
  const dl = await h.request(finals[0].url, { headers: { 'user-agent': h.UA, cookie: `sso=${SUPER}; sso-rw=${SUPER}` } });
  assert.equal(dl.status, 200);
  assert.equal(dl.headers['content-type'], 'image/jpeg');
  assert.ok(dl.buf.equals(Buffer.from(finals[0].blob, 'base64')));
  // A request without a reset is a violation (error frame).
  c.send({ type: 'conversation.item.create', timestamp: Date.now(), item: { type: 'message', content: [{ requestId: 'img_2', text: 'x', type: 'input_text', properties: { aspect_ratio: '1:1' } }] } });
  const err = await c.waitFor((f) => f.type === 'error');
  assert.match(err.sim_violation, /reset/);
  c.ws.close();
});

test('video: free accounts capped at 6 s; stream ends with a downloadable URL', async () => {
  const body = (duration) => ({ modelName: 'imagine-video-gen', message: 'a cat surfing --mode=custom', enableImageStreaming: true, enableSideBySide: true, sendFinalMetadata: true, responseMetadata: { experiments: [], modelConfigOverride: { modelMap: {} } }, mediaGenInput: { textToVideo: { prompt: 'a cat surfing', aspectRatio: '9:16', duration, resolutionName: '720p' } }, kind: 'CONVERSATION_KIND_IMAGINE' });
  let r = await rest('/rest/app-chat/conversations/new', SSO, { body: body(8), referer: h.REFERER.imagine });
  assert.equal(r.status, 429);
  r = await rest('/rest/app-chat/conversations/new', SSO, { body: body(6), referer: h.REFERER.imagine });
  assert.equal(r.status, 200);
  const prog = ndjson(r.text).filter((l) => l.result.response && l.result.response.streamingVideoGenerationResponse).map((l) => l.result.response.streamingVideoGenerationResponse);
  assert.ok(prog.length >= 3);
  const last = prog[prog.length - 1];
  assert.equal(last.progress, 100);
  const mp4 = await h.request(`${sim.assets}/${last.videoUrl}`, { headers: { 'user-agent': h.UA, cookie: `sso=${SSO}; sso-rw=${SSO}` } });
  assert.equal(mp4.status, 200);
  assert.equal(mp4.headers['content-type'], 'video/mp4');
  // Wrong Referer for media is a violation.
  r = await rest('/rest/app-chat/conversations/new', SSO, { body: body(6), referer: 'https://grok.com/' });
  assert.equal(r.status, 400);
});

test('scripted faults: 401, blocked, stall, reset', async () => {
  await h.control(sim, 'POST', '/script', { sso: SUPER, call: 'rate_limits', fault: '401', count: 1 });
  let r = await rest('/rest/rate-limits', SUPER, { body: { modelName: 'fast' } });
  assert.equal(r.status, 401);
  await h.control(sim, 'POST', '/script', { sso: SUPER, call: 'any', fault: 'blocked', count: 1 });
  r = await rest('/rest/rate-limits', SUPER, { body: { modelName: 'fast' } });
  assert.deepEqual(r.json, { code: 7, message: 'User is blocked [WKE=unauthorized:blocked-user]' });
  r = await rest('/rest/rate-limits', SUPER, { body: { modelName: 'fast' } });
  assert.equal(r.status, 200, 'count consumed');

  await h.control(sim, 'POST', '/script', { sso: SUPER, call: 'rest_chat', fault: 'reset' });
  await assert.rejects(rest('/rest/app-chat/conversations/new', SUPER, { body: { message: 'hello there friend', modeId: 'fast' } }));

  await h.control(sim, 'POST', '/script', { sso: SUPER, call: 'rest_chat', fault: 'stall' });
  const http = require('node:http');
  const got = await new Promise((resolve) => {
    const p = '/rest/app-chat/conversations/new';
    const headers = h.restHeaders(SUPER, { statsig: h.signWith(scraped, 'POST', p) });
    delete headers['accept-encoding'];
    const req = http.request(`${sim.grok}${p}`, { method: 'POST', headers }, (res) => {
      let data = '';
      res.on('data', (d) => {
        data += d;
      });
      setTimeout(() => {
        req.destroy();
        resolve({ status: res.statusCode, data });
      }, 400);
    });
    req.end(JSON.stringify({ message: 'stall please now', modeId: 'fast' }));
  });
  assert.equal(got.status, 200);
  assert.ok(got.data.length > 0 && !/modelResponse/.test(got.data), 'some bytes, then silence');
});

test('cloudflare: clearance via FlareSolverr, bound to its UA', async () => {
  await h.control(sim, 'POST', '/cloudflare', { required: true });
  try {
    let r = await rest('/rest/rate-limits', SUPER, { body: { modelName: 'fast' } });
    assert.equal(r.status, 403);
    assert.equal(r.headers['cf-mitigated'], 'challenge');
    assert.match(r.text, /Just a moment\.\.\./);
    const solved = await h.control(sim, 'POST', '/flaresolverr/v1', { cmd: 'request.get', url: 'https://grok.com/', maxTimeout: 60000 });
    assert.equal(solved.status, 'ok');
    const ua = solved.solution.userAgent;
    const cf = solved.solution.cookies.find((c) => c.name === 'cf_clearance').value;
    r = await rest('/rest/rate-limits', SUPER, { ua, extraCookies: `; cf_clearance=${cf}`, body: { modelName: 'fast' } });
    assert.equal(r.status, 200, r.text);
    // Same sso, same clearance, another UA: a violation, loudly.
    r = await rest('/rest/rate-limits', SUPER, { ua: h.UA, extraCookies: `; cf_clearance=${cf}`, body: { modelName: 'fast' } });
    assert.equal(r.status, 400);
    assert.match(r.json.sim_violation, /User-Agent changed/);
    const reqs = await h.control(sim, 'GET', `/requests?sso=${SUPER}&kind=rate_limits&limit=2`);
    assert.notEqual(reqs[0].user_agent, reqs[1].user_agent);
  } finally {
    await h.control(sim, 'POST', '/cloudflare', { required: false });
    await h.control(sim, 'POST', '/reset', {});
  }
});

test('build rotation: old values are out of date; re-scrape fixes it', async () => {
  const before = await h.control(sim, 'GET', '/build');
  const after = await h.control(sim, 'POST', '/rotate');
  assert.notDeepEqual(after.chunks, before.chunks);
  let r = await rest('/rest/rate-limits', SUPER, { body: { modelName: 'fast' } });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.message, 'This page is out of date. Reload to continue.');
  scraped = await h.scrapeBuild(sim, '/');
  assert.equal(scraped.fingerprint, after.fingerprint);
  r = await rest('/rest/rate-limits', SUPER, { body: { modelName: 'fast' } });
  assert.equal(r.status, 200);
});

test('absolute-form request target (HTTP proxy style) is accepted and noted', async () => {
  const port = Number(new URL(sim.grok).port);
  const text = await new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(`GET http://127.0.0.1:${port}/index HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: ${h.UA}\r\nConnection: close\r\n\r\n`);
    });
    let buf = '';
    s.on('data', (d) => {
      buf += d;
    });
    s.on('end', () => resolve(buf));
    s.on('error', reject);
  });
  assert.match(text, /^HTTP\/1\.1 404/);
  assert.match(text, /grok-site-verification/);
  const reqs = await h.control(sim, 'GET', '/requests?kind=page&limit=1');
  assert.equal(reqs[0].via_proxy, 'absolute-form');
});

test('account preparation: birth date once, then NSFW gRPC-web', async () => {
  let r = await rest('/rest/auth/set-birth-date', SUPER, { body: { birthDate: '1995-04-12T16:00:00.000Z' } });
  assert.equal(r.status, 200);
  r = await rest('/rest/auth/set-birth-date', SUPER, { body: { birthDate: '1995-04-12T16:00:00.000Z' } });
  assert.equal(r.status, 429);
  assert.match(r.text, /birth-date-change-limit-reached/);
  const p = '/auth_mgmt.AuthManagement/UpdateUserFeatureControls';
  const msg = Buffer.concat([Buffer.from([0x0a, 0x02, 0x10, 0x01, 0x12, 0x1a, 0x0a, 0x18]), Buffer.from('always_show_nsfw_content')]);
  const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, msg.length]), msg]);
  const headers = { ...h.restHeaders(SUPER, { statsig: h.signWith(scraped, 'POST', p), requestId: false, json: false }), 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1', 'x-user-agent': 'connect-es/2.1.1' };
  r = await h.request(`${sim.grok}${p}`, { method: 'POST', headers, body: frame });
  assert.equal(r.status, 200);
  assert.equal(r.headers['grpc-status'], '0');
  const accts = await h.control(sim, 'GET', '/accounts');
  assert.equal(accts.find((a) => a.sso === SUPER).nsfw, true);
});
