'use strict';
// HTTP routing for the grok.com host: classify each request into a call kind,
// run the gate (checks.js), then hand it to the kind's handler.
const { gate } = require('./checks');
const { send, sendJson, sendViolation, decisionReply } = require('./respond');
const { readBody, sleep } = require('./util');
const { renderPage, chunkSource } = require('./page');
const { handleRestChat } = require('./rest_chat');
const { handleImageEdit, handleVideo } = require('./media');
const { handleUpload } = require('./upload');
const api = require('./account_api');

const CONV_RESPONSES = /^\/rest\/app-chat\/conversations\/([^/]+)\/responses$/;
const CHUNK = /^\/_next\/static\/chunks\/([0-9a-f]+)\.js$/;

// Endpoints that existed in earlier protocol generations; calling them now is a gateway bug.
const RETIRED = {
  '/rest/app-chat/upload-file': 'retired upload endpoint (use /http/upload-file-v2/direct)',
  '/rest/media/post/create': 'retired media-post endpoint (video uses mediaGenInput now)',
};

// → {kind, handler, method} or {retired} or null.
function route(pathname, json) {
  if (pathname === '/' || pathname === '/index') return { kind: 'page', method: 'GET' };
  if (CHUNK.test(pathname)) return { kind: 'chunk', method: 'GET' };
  if (pathname === '/api/auth/session') return { kind: 'session', method: 'GET', handler: api.handleSession };
  if (pathname === '/rest/app-chat/conversations/new') {
    const model = json && json.modelName;
    if (model === 'imagine-video-gen') return { kind: 'video', method: 'POST', handler: handleVideo };
    if (model === 'imagine-image-edit') return { kind: 'image_edit', method: 'POST', handler: handleImageEdit };
    return { kind: 'rest_chat', method: 'POST', handler: handleRestChat };
  }
  const m = CONV_RESPONSES.exec(pathname);
  if (m) return { kind: 'rest_chat', method: 'POST', handler: handleRestChat, conversationId: decodeURIComponent(m[1]) };
  if (pathname === '/rest/rate-limits') return { kind: 'rate_limits', method: 'POST', handler: api.handleRateLimits };
  if (pathname === '/rest/media/imagine/quota_info') return { kind: 'quota_info', method: 'POST', handler: api.handleQuotaInfo };
  if (pathname === '/rest/auth/set-birth-date') return { kind: 'account_prep', method: 'POST', handler: api.handleBirthDate };
  if (pathname === '/rest/auth/set-tos-accepted') return { kind: 'account_prep', method: 'POST', handler: api.handleTos };
  if (pathname === '/auth_mgmt.AuthManagement/UpdateUserFeatureControls') return { kind: 'grpc_nsfw', method: 'POST', handler: api.handleNsfw };
  if (pathname === '/grok_api_v2.GrokBuildBilling/GetGrokCreditsConfig') return { kind: 'grpc_credits', method: 'POST', handler: api.handleCredits };
  if (pathname === '/http/upload-file-v2/direct') return { kind: 'upload', method: 'POST', handler: handleUpload };
  if (RETIRED[pathname]) return { retired: RETIRED[pathname] };
  return null;
}

async function handleGrok(sim, req, res, { target, rec }) {
  let body = Buffer.alloc(0);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    try {
      body = await readBody(req);
    } catch (e) {
      return sendJson(req, res, 413, { error: { code: 3, message: 'Request body too large', details: [] } });
    }
  }
  let json;
  const isJson = /^application\/json/i.test(req.headers['content-type'] || '');
  if (isJson && body.length) {
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      json = undefined;
    }
  }
  const r = route(target.pathname, json);
  if (!r) {
    rec.kind = 'unknown';
    if (target.pathname.startsWith('/rest/') || target.pathname.startsWith('/http/')) {
      sim.violation(rec, `unknown endpoint ${req.method} ${target.pathname}`);
      return sendViolation(req, res, `unknown endpoint ${req.method} ${target.pathname}`);
    }
    return send(req, res, 404, 'Not Found', { 'content-type': 'text/plain' });
  }
  if (r.retired) {
    rec.kind = 'retired';
    sim.violation(rec, `${target.pathname}: ${r.retired}`);
    return sendViolation(req, res, `${target.pathname}: ${r.retired}`);
  }
  rec.kind = r.kind;
  if (req.method !== r.method && !(r.method === 'GET' && req.method === 'HEAD')) {
    sim.violation(rec, `${req.method} ${target.pathname} (want ${r.method})`);
    return sendViolation(req, res, `${req.method} ${target.pathname} (want ${r.method})`);
  }
  if (isJson && body.length && json === undefined) {
    sim.violation(rec, 'request body is not valid JSON');
    return sendViolation(req, res, 'request body is not valid JSON');
  }
  if (r.method === 'POST' && isJson && !body.length) {
    sim.violation(rec, 'empty JSON body');
    return sendViolation(req, res, 'empty JSON body');
  }

  const d = gate(sim, { req, kind: r.kind, method: req.method, pathname: target.pathname, target, rec });
  if (d.action !== 'ok') {
    const reply = decisionReply(r.kind, d);
    return send(req, res, reply.status, reply.body, reply.headers);
  }

  if (r.kind === 'page' || r.kind === 'chunk') {
    if (d.fault && (d.fault.fault === 'slow_first_byte' || d.fault.fault === 'slow_first_event')) await sleep(d.fault.delay_ms);
    return servePage(sim, req, res, target.pathname);
  }
  const ctx = { sim, req, res, rec, target, body, json, account: d.account, fault: d.fault, kind: r.kind, conversationId: r.conversationId };
  return r.handler(ctx);
}

function servePage(sim, req, res, pathname) {
  const html = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-cache, no-store, max-age=0, must-revalidate' };
  if (pathname === '/') return send(req, res, 200, renderPage(sim.build), html);
  if (pathname === '/index') return send(req, res, 404, renderPage(sim.build, { notFound: true }), html);
  const name = CHUNK.exec(pathname)[1];
  // Old builds' chunks stay on the CDN, like immutable hashed assets do.
  for (let i = sim.builds.length - 1; i >= 0; i--) {
    const js = chunkSource(sim.builds[i], name);
    if (js) return send(req, res, 200, js, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
  }
  return send(req, res, 404, 'Not Found', { 'content-type': 'text/plain' });
}

module.exports = { handleGrok, route };
