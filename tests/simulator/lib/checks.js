'use strict';
// The gate every grok.com / assets call passes before its handler runs:
// header rules per call kind (spec §1.3 and the per-call sections), UA and
// Cloudflare clearance, scripted faults, x-statsig-id, then the account.
// Protocol mistakes a correct gateway never makes are "violations": they are
// recorded and answered with 400 {"sim_violation": ...} so tests fail loudly.
const { parseCookies, isUuidV4, maskSso, peerAddress } = require('./util');
const { verify, matchesBuild, decodeB64, WINDOW_S } = require('./statsig');
const { Sim } = require('./sim');

const GROK = 'https://grok.com';
const ACCOUNTS = 'https://accounts.x.ai';
const REFERERS = {
  root: { want: 'https://grok.com/', ok: (r) => r === `${GROK}/` },
  chat: { want: 'https://grok.com/', ok: (r) => r === `${GROK}/` || r.startsWith(`${GROK}/c/`) },
  imagine: { want: 'https://grok.com/imagine', ok: (r) => r === `${GROK}/imagine` || r.startsWith(`${GROK}/imagine/`) },
  upload: {
    want: 'https://grok.com/ or https://grok.com/imagine',
    ok: (r) => r === `${GROK}/` || r === `${GROK}/imagine` || r.startsWith(`${GROK}/imagine/`) || r.startsWith(`${GROK}/c/`),
  },
  any: { want: 'a https://grok.com/ page', ok: (r) => r.startsWith(`${GROK}/`) },
  acceptTos: { want: 'https://accounts.x.ai/accept-tos', ok: (r) => r === `${ACCOUNTS}/accept-tos` },
};

// sso: require|optional; account: require|soft|none; statsig/reqId:
// require|forbid|optional; ct: json|multipart|grpc|none|null(any);
// origin: require|optional (originWant: the value, default config.origin); fetch:
// 'cors' requires the same-origin fetch set; xUserAgent: the exact gRPC-web
// x-user-agent; cfCookies: 'forbid' makes any Cloudflare cookie a violation;
// cloudflare: false = not behind grok.com's clearance.
const REST = { sso: 'require', account: 'require', statsig: 'require', reqId: 'require', ct: 'json', origin: 'require', fetch: 'cors' };
const RULES = {
  page: { sso: 'optional', account: 'none', statsig: 'forbid', reqId: 'optional', ct: null, origin: 'optional', referer: null, fetch: null },
  chunk: { sso: 'optional', account: 'none', statsig: 'forbid', reqId: 'optional', ct: null, origin: 'optional', referer: null, fetch: null },
  session: { sso: 'require', account: 'soft', statsig: 'forbid', reqId: 'optional', ct: 'none', origin: 'optional', referer: REFERERS.root, fetch: 'cors' },
  rest_chat: { ...REST, referer: REFERERS.chat },
  image_edit: { ...REST, referer: REFERERS.imagine },
  video: { ...REST, referer: REFERERS.imagine },
  rate_limits: { ...REST, referer: REFERERS.root },
  quota_info: { ...REST, referer: REFERERS.imagine },
  account_prep: { ...REST, referer: REFERERS.any },
  grpc_nsfw: { ...REST, reqId: 'forbid', ct: 'grpc', referer: REFERERS.any, grpc: true },
  grpc_credits: { ...REST, statsig: 'forbid', reqId: 'forbid', ct: 'grpc', referer: REFERERS.any, grpc: true },
  // accounts.x.ai SetTosAcceptedVersion (spec §2.11): its own origin, no statsig,
  // and grok.com's Cloudflare cookies must not leak to another site.
  grpc_tos: {
    ...REST, statsig: 'forbid', reqId: 'forbid', ct: 'grpc', origin: 'require', originWant: ACCOUNTS, referer: REFERERS.acceptTos,
    grpc: true, xUserAgent: 'connect-es/2.1.1', cfCookies: 'forbid', cloudflare: false,
  },
  upload: { ...REST, statsig: 'forbid', reqId: 'forbid', ct: 'multipart', referer: REFERERS.upload },
  // Assets answer 403 themselves when the cookies are not the owner's.
  assets: { sso: 'optional', account: 'soft', statsig: 'forbid', reqId: 'optional', ct: 'none', origin: 'optional', referer: null, fetch: null },
  mgw: { sso: 'require', account: 'require', statsig: 'forbid', ws: true },
  imagine: { sso: 'require', account: 'require', statsig: 'forbid', ws: true },
};

// Fault call names group some kinds (grpc + auth prep are "account_prep").
const FAULT_CALL = { chunk: 'page', grpc_nsfw: 'account_prep', grpc_credits: 'account_prep', grpc_tos: 'account_prep' };

// The cookie names grok.com's Cloudflare sets.
const isCloudflareCookie = (name) => ['cf_clearance', '__cf_bm', '_cfuvid'].includes(name) || name.startsWith('cf_chl_');

const WS_ALLOWED = new Set([
  // §1.3: the only headers a gateway adds to the handshake
  'origin', 'user-agent', 'accept-language', 'cache-control', 'pragma', 'cookie',
  // RFC 6455 handshake
  'host', 'connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol',
  // added by HTTP proxies in between, not by the gateway
  'via', 'forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip', 'proxy-connection',
]);

const CT = {
  json: { want: 'application/json', ok: (v) => /^application\/json\s*(;.*)?$/i.test(v) },
  multipart: { want: 'multipart/form-data; boundary=…', ok: (v) => /^multipart\/form-data\s*;.*boundary=/i.test(v) },
  grpc: { want: 'application/grpc-web+proto', ok: (v) => /^application\/grpc-web\+proto\s*$/i.test(v) },
};

const KNOWN_CODINGS = new Set(['gzip', 'deflate', 'br', 'zstd', 'identity', '*', 'x-gzip', 'compress']);

// Client hints may be sent but must never contradict the UA (spec §1.3).
function clientHintViolations(h, ua) {
  const v = [];
  const chua = h['sec-ch-ua'];
  const chrome = /(?:Chrome|Chromium)\/(\d+)/.exec(ua || '');
  if (chua !== undefined) {
    if (!chrome) v.push('Sec-Ch-Ua sent with a non-Chromium User-Agent');
    else if (!new RegExp(`"(?:Google Chrome|Chromium)";v="${chrome[1]}"`).test(chua)) {
      v.push(`Sec-Ch-Ua (${chua}) contradicts User-Agent Chrome/${chrome[1]}`);
    }
  }
  const plat = h['sec-ch-ua-platform'];
  if (plat !== undefined && ua) {
    const want = /Android/.test(ua) ? 'Android' : /Mac OS X|Macintosh/.test(ua) ? 'macOS' : /Windows/.test(ua) ? 'Windows' : /Linux|X11/.test(ua) ? 'Linux' : null;
    if (want && plat.replace(/"/g, '') !== want) v.push(`Sec-Ch-Ua-Platform ${plat} contradicts User-Agent (${want})`);
  }
  const mobile = h['sec-ch-ua-mobile'];
  if (mobile !== undefined && ua && mobile !== (/Mobile/.test(ua) ? '?1' : '?0')) v.push(`Sec-Ch-Ua-Mobile ${mobile} contradicts User-Agent`);
  return v;
}

function cookieViolations(cookies, rules) {
  const v = [];
  const sso = cookies.map.get('sso');
  const ssoRw = cookies.map.get('sso-rw');
  if (rules.sso === 'require') {
    if (!sso) v.push('Cookie lacks sso=<token>');
    if (!ssoRw) v.push('Cookie lacks sso-rw=<token>');
  } else if ((sso && !ssoRw) || (!sso && ssoRw)) {
    v.push('Cookie carries only one of sso / sso-rw');
  }
  if (sso && ssoRw && sso !== ssoRw) v.push('sso and sso-rw cookies differ (must be the same token)');
  for (const name of ['sso', 'sso-rw', 'cf_clearance', 'x-userid']) {
    if (cookies.list.filter(([n]) => n === name).length > 1) v.push(`duplicate ${name} cookie`);
  }
  if (rules.cfCookies === 'forbid') {
    for (const [name] of cookies.list) if (isCloudflareCookie(name)) v.push(`Cloudflare cookie ${name} must not be sent to ${rules.originWant || 'this host'}`);
  }
  return v;
}

function httpHeaderViolations(sim, req, kind, rules, cookies) {
  const h = req.headers;
  const v = [];
  const ua = h['user-agent'];
  if (!ua || !ua.trim()) v.push('missing or empty User-Agent');
  v.push(...cookieViolations(cookies, rules));

  const st = h['x-statsig-id'];
  if (rules.statsig === 'forbid' && st !== undefined) v.push(`x-statsig-id must not be sent on ${kind}`);
  if (rules.statsig === 'require' && st) {
    const d = decodeB64(st);
    if (d.padded) v.push('x-statsig-id carries base64 padding (the browser sends none)');
  }

  const rid = h['x-xai-request-id'];
  if (rules.reqId === 'require' && !rid) v.push('missing x-xai-request-id');
  if (rules.reqId === 'forbid' && rid !== undefined) v.push(`x-xai-request-id must not be sent on ${kind}`);
  if (rid !== undefined && rules.reqId !== 'forbid') {
    if (!isUuidV4(rid)) v.push(`x-xai-request-id "${rid}" is not a UUID v4`);
    else if (Sim.seen(sim.usedRequestIds, rid.toLowerCase(), 3600 * 1000)) v.push(`x-xai-request-id ${rid} reused (must be new per request)`);
  }

  const ct = h['content-type'];
  if (rules.ct === 'none' && ct !== undefined) v.push(`Content-Type must not be sent on ${kind}`);
  else if (rules.ct && rules.ct !== 'none') {
    if (!ct) v.push(`missing Content-Type (want ${CT[rules.ct].want})`);
    else if (!CT[rules.ct].ok(ct)) v.push(`Content-Type "${ct}" is wrong for ${kind} (want ${CT[rules.ct].want})`);
  }

  const origin = h.origin;
  const wantOrigin = rules.originWant || sim.config.origin;
  if (rules.origin === 'require' && !origin) v.push(`missing Origin (want ${wantOrigin})`);
  if (origin !== undefined && origin !== wantOrigin) v.push(`Origin "${origin}" (want ${wantOrigin})`);

  if (rules.referer) {
    const ref = h.referer;
    if (!ref) v.push(`missing Referer (want ${rules.referer.want})`);
    else if (!rules.referer.ok(ref)) v.push(`Referer "${ref}" is wrong for ${kind} (want ${rules.referer.want})`);
  }

  if (rules.fetch === 'cors') {
    const want = { 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors', 'sec-fetch-site': 'same-origin' };
    for (const [name, val] of Object.entries(want)) {
      if (h[name] === undefined) v.push(`missing ${name} (want ${val})`);
      else if (h[name] !== val) v.push(`${name}: "${h[name]}" (want ${val})`);
    }
    if (sim.config.header_profile === 'full') {
      for (const name of ['accept', 'accept-language', 'priority']) if (!h[name]) v.push(`missing ${name} (header_profile=full)`);
      for (const name of ['cache-control', 'pragma']) if (h[name] !== 'no-cache') v.push(`${name} must be no-cache (header_profile=full)`);
    }
  }

  if (rules.grpc) {
    if (h['x-grpc-web'] !== '1') v.push('gRPC-web call without x-grpc-web: 1');
    if (!h['x-user-agent']) v.push('gRPC-web call without x-user-agent (connect-es/…)');
    else if (rules.xUserAgent && h['x-user-agent'] !== rules.xUserAgent) v.push(`x-user-agent "${h['x-user-agent']}" (want ${rules.xUserAgent})`);
  }

  const ae = h['accept-encoding'];
  if (ae !== undefined) {
    for (const part of ae.split(',')) {
      const name = part.trim().split(';')[0].trim().toLowerCase();
      if (name && !KNOWN_CODINGS.has(name)) v.push(`Accept-Encoding advertises unknown coding "${name}"`);
    }
  }
  v.push(...clientHintViolations(h, ua));
  return v;
}

function wsHeaderViolations(sim, req, kind, cookies, target) {
  const h = req.headers;
  const v = [];
  const allowed = new Set([...WS_ALLOWED, ...(sim.config.ws_extra_headers || []).map((x) => String(x).toLowerCase())]);
  for (const name of Object.keys(h)) if (!allowed.has(name)) v.push(`header ${name} must not be sent on the ${kind} WebSocket handshake`);
  const ua = h['user-agent'];
  if (!ua || !ua.trim()) v.push('missing or empty User-Agent');
  if (!h.origin) v.push(`missing Origin (want ${sim.config.origin})`);
  else if (h.origin !== sim.config.origin) v.push(`Origin "${h.origin}" (want ${sim.config.origin})`);
  for (const name of ['cache-control', 'pragma']) {
    if (h[name] !== undefined && h[name] !== 'no-cache') v.push(`${name}: "${h[name]}" (want no-cache)`);
    else if (h[name] === undefined && sim.config.header_profile === 'full') v.push(`missing ${name} (header_profile=full)`);
  }
  if (sim.config.header_profile === 'full' && !h['accept-language']) v.push('missing accept-language (header_profile=full)');
  v.push(...cookieViolations(cookies, { sso: 'require' }));
  if (kind === 'mgw') {
    const uid = target.searchParams.get('uid');
    const cookieUid = cookies.map.get('x-userid');
    if (!uid) v.push('mgw URL lacks ?uid=<user uuid>');
    else if (!isUuidV4(uid) && !/^[0-9a-f-]{36}$/i.test(uid)) v.push(`mgw uid "${uid}" is not a UUID`);
    if (!cookieUid) v.push('mgw Cookie lacks x-userid=<user uuid>');
    else if (uid && cookieUid !== uid) v.push(`x-userid cookie (${cookieUid}) differs from ?uid= (${uid})`);
  }
  return v;
}

// x-statsig-id per spec §1.4 with replay protection and "older build" detection.
function checkStatsig(sim, value, method, pathname) {
  if (value === undefined || value === '') return { ok: false, label: 'missing', error: 'antiBot' };
  const r = verify(value, method, pathname, sim.nowSeconds(), sim.build);
  const key = value.replace(/=+$/, '');
  const ttl = (2 * WINDOW_S + 60) * 1000;
  if (r.ok || (r.reason === 'x1' && sim.config.accept_x1_fallback)) {
    if (Sim.seen(sim.usedStatsig, key, ttl)) return { ok: false, label: 'reused', error: 'antiBot' };
    return { ok: true, label: r.ok ? 'ok' : 'x1_accepted' };
  }
  if ((r.reason === 'seed' || r.reason === 'hash') && sim.olderBuilds().some((b) => matchesBuild(r, method, pathname, b))) {
    return { ok: false, label: 'out_of_date', error: 'outOfDate' };
  }
  return { ok: false, label: r.reason === 'x1' ? 'x1_rejected' : r.reason, detail: r.detail, error: 'antiBot' };
}

// Returns one decision:
//  {action:'violation', text} | {action:'fault', fault} | {action:'cloudflare', reason}
//  {action:'antiBot'|'outOfDate'} | {action:'unauthenticated'} | {action:'blocked'}
//  {action:'ok', account, fault (stream fault or null), sso, ua}
function gate(sim, { req, kind, method, pathname, target, rec }) {
  const rules = RULES[kind];
  const cookies = parseCookies(req.headers.cookie);
  const sso = cookies.map.get('sso') || null;
  const ua = req.headers['user-agent'] || '';
  if (rec) {
    rec.sso = maskSso(sso);
    rec.user_agent = ua || null;
  }
  const v = rules.ws ? wsHeaderViolations(sim, req, kind, cookies, target) : httpHeaderViolations(sim, req, kind, rules, cookies);

  const cf = sim.cloudflare;
  const clearance = cookies.map.get('cf_clearance');
  // grok.com sees a browser as (IP, User-Agent): one sso may use another UA
  // from another address (another proxy), but from the same address a UA
  // change is legitimate only together with a clearance solved for the new UA
  // there (FlareSolverr hands out its own UA); otherwise it is a gateway bug
  // whenever clearance is required (or always, with strict_ua).
  const peer = peerAddress(req.socket);
  const uaKey = sso ? `${sso} ${peer}` : null;
  const prevUa = uaKey ? sim.uaBySso.get(uaKey) : null;
  if (prevUa && ua && prevUa !== ua && !cf.validFor(clearance, ua, peer)) {
    if (cf.required) v.push(`User-Agent changed for this sso while Cloudflare clearance is required (was "${prevUa}", now "${ua}")`);
    else if (sim.config.strict_ua) v.push(`User-Agent changed for this sso (was "${prevUa}", now "${ua}"; strict_ua)`);
  }
  if (v.length) {
    for (const text of v) sim.violation(rec, text);
    return { action: 'violation', text: v.join('; ') };
  }
  if (uaKey && ua) sim.uaBySso.set(uaKey, ua);

  const faultCall = FAULT_CALL[kind] || kind;
  const immediate = sim.faults.take(sso, faultCall, 'immediate');
  if (immediate) {
    if (rec) rec.fault = immediate.fault;
    return { action: 'fault', fault: immediate };
  }

  if (cf.required && rules.cloudflare !== false) {
    const state = cf.check(clearance, ua, peer);
    if (state !== 'ok') return { action: 'cloudflare', reason: state };
  }

  if (rules.statsig === 'require') {
    const s = checkStatsig(sim, req.headers['x-statsig-id'], method, pathname);
    if (rec) rec.statsig = s.label;
    if (s.label === 'missing') sim.violation(rec, `missing x-statsig-id on ${kind}`);
    if (!s.ok) return { action: s.error, detail: s.detail || s.label };
  }

  let account = null;
  if (rules.account !== 'none') {
    account = sim.accounts.get(sso);
    if (rules.account === 'require') {
      if (!account) return { action: 'unauthenticated' };
      if (account.status === 'blocked') return { action: 'blocked' };
    }
  }
  if (kind === 'mgw' && account && target.searchParams.get('uid') !== account.userId) {
    const text = `mgw ?uid= (${target.searchParams.get('uid')}) is not this account's user id (${account.userId})`;
    sim.violation(rec, text);
    return { action: 'violation', text };
  }
  const fault = sim.faults.take(sso, faultCall, 'stream');
  if (fault && rec) rec.fault = fault.fault;
  return { action: 'ok', account, fault, sso, ua };
}

module.exports = { gate, checkStatsig, RULES, REFERERS };
