'use strict';
// Writing responses the way grok.com's edge does: bodies compressed with the
// best coding the client advertised (so a gateway that advertises br/zstd but
// cannot decode it fails here, as it would in production), streams flushed
// line by line, and the exact error bodies of spec §3.
const zlib = require('node:zlib');

// zstd is not in Node 20's zlib, so it is never chosen even when advertised.
const SUPPORTED = ['br', 'gzip', 'deflate'];

function negotiate(req, enabled) {
  if (!enabled) return null;
  const header = req.headers['accept-encoding'];
  if (!header) return null;
  const offered = new Map();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    offered.set(name, q ? Number(q.slice(2)) : 1);
  }
  return SUPPORTED.find((c) => offered.has(c) && offered.get(c) > 0) || null;
}

function encoderFor(coding) {
  if (coding === 'br') return zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
  if (coding === 'gzip') return zlib.createGzip();
  if (coding === 'deflate') return zlib.createDeflate();
  return null;
}

function compressSync(coding, buf) {
  if (coding === 'br') return zlib.brotliCompressSync(buf);
  if (coding === 'gzip') return zlib.gzipSync(buf);
  if (coding === 'deflate') return zlib.deflateSync(buf);
  return buf;
}

const BASE_HEADERS = { server: 'cloudflare', 'cf-ray': () => `${Date.now().toString(16)}-SIM` };

function baseHeaders(extra) {
  const h = {};
  for (const [k, v] of Object.entries(BASE_HEADERS)) h[k] = typeof v === 'function' ? v() : v;
  return Object.assign(h, extra);
}

function send(req, res, status, body, headers = {}, { compress = true } = {}) {
  if (res.headersSent || res.destroyed) return;
  let buf = Buffer.isBuffer(body) ? body : Buffer.from(String(body));
  const h = baseHeaders(headers);
  const coding = negotiate(req, compress && req.sim ? req.sim.config.compress : false);
  if (coding && buf.length > 0) {
    buf = compressSync(coding, buf);
    h['content-encoding'] = coding;
    h.vary = 'Accept-Encoding';
  }
  h['content-length'] = buf.length;
  res.writeHead(status, h);
  res.end(req.method === 'HEAD' ? undefined : buf);
}

const sendJson = (req, res, status, obj, headers = {}) =>
  send(req, res, status, JSON.stringify(obj), { 'content-type': 'application/json', ...headers });

// A streamed body. write() resolves once the bytes have been handed to the
// socket (compressed and flushed), so faults like "stall" and "reset" act on
// data the client has really received.
function openStream(req, res, status, headers = {}) {
  const h = baseHeaders(headers);
  const coding = negotiate(req, req.sim ? req.sim.config.compress : false);
  let enc = null;
  if (coding) {
    h['content-encoding'] = coding;
    h.vary = 'Accept-Encoding';
    enc = encoderFor(coding);
    enc.on('data', (d) => {
      if (!res.destroyed) res.write(d);
    });
    enc.on('end', () => {
      if (!res.destroyed) res.end();
    });
  }
  res.writeHead(status, h);
  res.flushHeaders();
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  return {
    get closed() {
      return closed || res.destroyed;
    },
    write(text) {
      if (closed || res.destroyed) return Promise.resolve(false);
      return new Promise((resolve) => {
        if (enc) {
          enc.write(text);
          enc.flush(() => setImmediate(() => resolve(true)));
        } else {
          res.write(text, () => resolve(true));
        }
      });
    },
    end() {
      if (closed || res.destroyed) return;
      if (enc) enc.end();
      else res.end();
    },
    destroy() {
      if (res.socket) res.socket.destroy();
      else res.destroy();
    },
  };
}

const ERR = {
  antiBot: { error: { code: 7, message: 'Request rejected by anti-bot rules.', details: [] } },
  outOfDate: { error: { code: 7, message: 'This page is out of date. Reload to continue.' } },
  blocked: { code: 7, message: 'User is blocked [WKE=unauthorized:blocked-user]' },
  unauthenticated: { error: { code: 16, message: 'Unauthenticated', details: [] } },
  tooMany: { error: { code: 8, message: 'Too many requests', details: [] } },
  internal: { error: { code: 13, message: 'Internal server error', details: [] } },
  usageLimit: "You've reached your usage limit. Please try again later.",
};

// Cloudflare's managed-challenge interstitial; gateways detect it by status,
// the cf-mitigated header, and these marker strings.
function cloudflarePage() {
  return (
    '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>' +
    '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">' +
    '<meta name="robots" content="noindex,nofollow"></head><body>' +
    '<div class="main-wrapper" role="main"><div class="main-content"><h1 class="zone-name-title h1">grok.com</h1>' +
    '<h2 class="h2">Verifying you are human. This may take a few seconds.</h2></div></div>' +
    `<script>(function(){window._cf_chl_opt={cvId:'3',cZone:'grok.com',cType:'managed',cRay:'${Date.now().toString(16)}'};` +
    "var a=document.createElement('script');a.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=sim';" +
    'document.getElementsByTagName(\'head\')[0].appendChild(a);}());</script></body></html>'
  );
}

const CF_HEADERS = {
  'content-type': 'text/html; charset=UTF-8',
  'cf-mitigated': 'challenge',
  'cache-control': 'private, max-age=0, no-store, no-cache, must-revalidate',
};

function sendCloudflare(req, res) {
  send(req, res, 403, cloudflarePage(), CF_HEADERS);
}

const sendViolation = (req, res, text) => sendJson(req, res, 400, { sim_violation: text });

// A raw HTTP reply on an upgrade socket (WebSocket handshake rejected).
function rejectUpgrade(socket, status, body, headers = {}) {
  if (socket.destroyed) return;
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests', 500: 'Internal Server Error' }[status] || 'Error';
  const buf = Buffer.from(body);
  const h = { ...baseHeaders(headers), 'content-length': buf.length, connection: 'close' };
  const head = Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.write(`HTTP/1.1 ${status} ${reason}\r\n${head}\r\n`);
  socket.end(buf);
  setTimeout(() => socket.destroy(), 200).unref();
}

module.exports = {
  negotiate,
  send,
  sendJson,
  openStream,
  sendCloudflare,
  sendViolation,
  rejectUpgrade,
  cloudflarePage,
  CF_HEADERS,
  ERR,
};

// The status/body/headers that a gate decision or an immediate scripted fault
// turns into, for HTTP and for rejected WebSocket handshakes alike.
function decisionReply(kind, d) {
  const json = (status, obj) => ({ status, body: JSON.stringify(obj), headers: { 'content-type': 'application/json' } });
  const cf = () => ({ status: 403, body: cloudflarePage(), headers: CF_HEADERS });
  if (d.action === 'violation') return json(400, { sim_violation: d.text });
  if (d.action === 'cloudflare') return cf();
  if (d.action === 'antiBot') return json(403, ERR.antiBot);
  if (d.action === 'outOfDate') return json(403, ERR.outOfDate);
  if (d.action === 'unauthenticated') return json(401, ERR.unauthenticated);
  if (d.action === 'blocked') return json(403, ERR.blocked);
  if (d.action === 'fault') {
    const f = d.fault.fault;
    if (f === '401') return json(401, kind === 'session' ? { status: 'unauthenticated' } : ERR.unauthenticated);
    if (f === 'blocked') return kind === 'session' ? json(200, { status: 'blocked' }) : json(403, ERR.blocked);
    if (f === 'cloudflare') return cf();
    if (f === 'code7') return json(403, ERR.antiBot);
    if (f === 'page_out_of_date') return json(403, ERR.outOfDate);
    if (f === '429') return json(429, ERR.tooMany);
    if (f === '500') return json(500, ERR.internal);
  }
  throw new Error(`no reply for decision ${d.action}`);
}

module.exports.decisionReply = decisionReply;
