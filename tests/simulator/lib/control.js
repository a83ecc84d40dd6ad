'use strict';
// The tests' control API under /__sim on the grok port. Never checked, never
// logged as upstream traffic.
const { readBody, maskSso, peerAddress } = require('./util');
const { describe } = require('./build');
const { publicView } = require('./accounts');
const { sign } = require('./statsig');
const { DEFAULT_CONFIG } = require('./sim');
const { sha256 } = require('./video_generations');

function plain(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function setConfig(sim, patch) {
  for (const [k, v] of Object.entries(patch || {})) {
    if (!(k in DEFAULT_CONFIG)) throw new Error(`unknown config key ${k}`);
    const want = DEFAULT_CONFIG[k];
    const ok = want === null ? v === null || typeof v === 'string' : Array.isArray(want) ? Array.isArray(v) : typeof v === typeof want;
    if (!ok) throw new Error(`config ${k} must be ${want === null ? 'string|null' : Array.isArray(want) ? 'array' : typeof want}`);
    if (k === 'header_profile' && !['required', 'full'].includes(v)) throw new Error('header_profile must be required|full');
  }
  Object.assign(sim.config, patch);
  return sim.config;
}

async function handleControl(sim, req, res, target) {
  const path = target.pathname.replace(/\/+$/, '') || '/__sim';
  const method = req.method;
  let body = {};
  if (method === 'POST' || method === 'PUT' || method === 'DELETE') {
    const raw = await readBody(req);
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return plain(res, 400, { error: 'control body must be JSON' });
      }
    }
  }
  try {
    // The FlareSolverr stand-in may make a request through a proxy first.
    const r = path === '/__sim/flaresolverr/v1' && method === 'POST'
      ? await sim.cloudflare.flaresolverr(body, { selfUrl: sim.urls.grok })
      : await dispatch(sim, method, path, body, target, req);
    if (r.raw) {
      res.writeHead(200, { 'content-type': r.contentType, 'content-length': r.raw.length });
      return res.end(r.raw);
    }
    return plain(res, r.status || 200, r.body);
  } catch (e) {
    return plain(res, e.status || 400, { error: e.message });
  }
}

// GET /__sim/video/held?count=N&timeout_ms=T: long-polls until N video streams are held
// (?at_most=N: until no more than N are, e.g. 0 once the client went away).
async function waitHeld(sim, q) {
  const atMost = q.get('at_most') !== null;
  const count = atMost ? Number(q.get('at_most')) : q.get('count') === null ? 1 : Number(q.get('count'));
  const timeout = q.get('timeout_ms') === null ? 10000 : Number(q.get('timeout_ms'));
  if (!Number.isFinite(timeout) || timeout < 0 || timeout > 600000) throw new Error('timeout_ms must be 0..600000');
  return { body: await sim.videos.waitHeld(count, timeout, { atMost }) };
}

// GET /__sim/asset?path=<asset path>: the stored bytes, whoever owns them (for tests
// comparing what the gateway served with what grok.com made).
function assetBytes(sim, q) {
  const p = (q.get('path') || '').replace(/^\/+/, '');
  const a = sim.assets.get(p);
  if (!a) return { status: 404, body: { error: `no asset ${p}` } };
  return { raw: a.bytes, contentType: a.contentType };
}

function dispatch(sim, method, path, body, target, req) {
  const ok = (b) => ({ body: b });
  const key = `${method} ${path}`;
  switch (key) {
    case 'GET /__sim':
    case 'GET /__sim/health':
      return ok({ ok: true, build: sim.build.id, urls: sim.urls });
    case 'GET /__sim/build':
      return ok({ ...describe(sim.build), previous: sim.olderBuilds().map((b) => b.id) });
    case 'POST /__sim/rotate':
      sim.rotate();
      return ok({ ...describe(sim.build), previous: sim.olderBuilds().map((b) => b.id) });
    case 'POST /__sim/sign': {
      // A valid x-statsig-id for the current (or an older) build.
      if (!body.path || !body.method) throw new Error('method and path are required');
      const build = body.previous ? sim.olderBuilds().slice(-1)[0] : sim.build;
      if (!build) throw new Error('no previous build');
      const now = body.now !== undefined ? Number(body.now) : sim.nowSeconds();
      return ok({ 'x-statsig-id': sign(body.method, body.path, now, build, body.nonce) });
    }
    case 'GET /__sim/accounts':
      return ok([...sim.accounts.bySso.values()].map(publicView));
    case 'POST /__sim/accounts':
      return ok(publicView(sim.accounts.upsert(body)));
    case 'POST /__sim/quota':
      return ok(sim.accounts.setQuota(body));
    case 'POST /__sim/script':
      return ok(sim.faults.add(body));
    case 'GET /__sim/scripts':
      return ok(sim.faults.list());
    case 'DELETE /__sim/scripts': {
      // Drops pending scripts (of one sso with ?sso=<raw token>): a test that scripted
      // every account of a pool leaves none for the next.
      const sso = target.searchParams.get('sso');
      const dropped = sim.faults.drop(sso);
      return ok({ dropped });
    }
    case 'GET /__sim/config':
      return ok(sim.config);
    case 'POST /__sim/config':
      return ok(setConfig(sim, body));
    case 'GET /__sim/cloudflare':
      return ok(sim.cloudflare.describe());
    case 'POST /__sim/cloudflare':
      sim.cloudflare.configure(body);
      return ok(sim.cloudflare.describe());
    case 'POST /__sim/cloudflare/issue': {
      if (!body.user_agent) throw new Error('user_agent is required');
      const c = sim.cloudflare.issue(String(body.user_agent), body.ip === undefined ? undefined : String(body.ip));
      return ok({ cf_clearance: c.value, expires: c.expires, user_agent: body.user_agent, ip: c.ip });
    }
    case 'GET /__sim/peer':
      // The address this request came from (through a proxy: the proxy's outgoing address).
      return ok({ peer: peerAddress(req.socket), via: req.headers.via || null });
    case 'GET /__sim/violations':
      return ok(sim.violations);
    case 'GET /__sim/requests': {
      const q = target.searchParams;
      let list = sim.requests;
      if (q.get('sso')) list = list.filter((r) => r.sso === maskSso(q.get('sso')));
      if (q.get('kind')) list = list.filter((r) => r.kind === q.get('kind'));
      if (q.get('peer')) list = list.filter((r) => r.peer === q.get('peer'));
      if (q.get('limit')) list = list.slice(-Number(q.get('limit')));
      return ok(list);
    }
    case 'GET /__sim/assets':
      return ok([...sim.assets.entries()].map(([p, a]) => ({ path: p, owner: a.owner, content_type: a.contentType, size: a.bytes.length, sha256: sha256(a.bytes) })));
    case 'GET /__sim/asset':
      return assetBytes(sim, target.searchParams);
    case 'GET /__sim/videos':
      return ok(sim.videos.query(target.searchParams));
    case 'GET /__sim/video/hold':
      return ok(sim.videos.describe());
    case 'POST /__sim/video/hold':
      return ok(sim.videos.setHold(body));
    case 'POST /__sim/video/release':
      return ok(sim.videos.release());
    case 'GET /__sim/video/held':
      return waitHeld(sim, target.searchParams);
    case 'POST /__sim/reset':
      sim.reset(body);
      return ok({ ok: true });
    default:
      return { status: 404, body: { error: `no control endpoint ${key}` } };
  }
}

module.exports = { handleControl };
