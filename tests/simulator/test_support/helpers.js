'use strict';
// Test helpers: start the simulator as a child process, a tiny HTTP client
// that decodes compressed bodies, browser-like headers per call kind, and a
// signer that scrapes the page and chunks exactly like a gateway would.
const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');
const zlib = require('node:zlib');
const crypto = require('node:crypto');
const WebSocket = require('ws');
const { fingerprint } = require('../lib/fingerprint');
const { sign } = require('../lib/statsig');

const SERVER = path.join(__dirname, '..', 'server.js');
const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36';

function startSim(args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        const urls = JSON.parse(out.slice(0, nl));
        resolve({
          ...urls,
          child,
          stderr: () => err,
          stop: () =>
            new Promise((r) => {
              child.once('exit', (code, signal) => r({ code, signal }));
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`simulator exited ${code}: ${err}`)));
  });
}

function decode(headers, buf) {
  const enc = headers['content-encoding'];
  if (enc === 'gzip') return zlib.gunzipSync(buf);
  if (enc === 'br') return zlib.brotliDecompressSync(buf);
  if (enc === 'deflate') return zlib.inflateSync(buf);
  return buf;
}

// localAddress: the loopback address to connect from (the simulator's `peer`).
function request(url, { method = 'GET', headers = {}, body, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, localAddress }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const buf = decode(res.headers, raw);
        const text = buf.toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, buf, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
    req.end();
  });
}

const control = async (sim, method, p, body) => {
  const r = await request(`${sim.grok}/__sim${p}`, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
  if (r.status !== 200) throw new Error(`control ${method} ${p}: ${r.status} ${r.text}`);
  return r.json;
};

const REFERER = { root: 'https://grok.com/', imagine: 'https://grok.com/imagine' };

// Headers a correct gateway sends on a same-origin fetch (spec §1.3).
function restHeaders(sso, { referer = REFERER.root, statsig, ua = UA, json = true, requestId = true, extraCookies = '' } = {}) {
  const h = {
    accept: '*/*',
    'accept-encoding': 'gzip, deflate, br',
    'accept-language': 'en-US,en;q=0.9',
    'user-agent': ua,
    cookie: `sso=${sso}; sso-rw=${sso}${extraCookies}`,
    origin: 'https://grok.com',
    referer,
    'cache-control': 'no-cache',
    pragma: 'no-cache',
    priority: 'u=1, i',
    'sec-fetch-dest': 'empty',
    'sec-fetch-mode': 'cors',
    'sec-fetch-site': 'same-origin',
  };
  if (json) h['content-type'] = 'application/json';
  if (requestId) h['x-xai-request-id'] = crypto.randomUUID();
  if (statsig) h['x-statsig-id'] = statsig;
  return h;
}

// Signer as a gateway implements it: page meta + RSC curves + chunk indices.
async function scrapeBuild(sim, pagePath = '/index') {
  const page = await request(`${sim.grok}${pagePath}`, { headers: { 'user-agent': UA, accept: 'text/html' } });
  return parseBuild(page.text, async (src) => (await request(`${sim.grok}${src}`, { headers: { 'user-agent': UA } })).text);
}

async function parseBuild(html, fetchChunk) {
  const meta = /<meta[^>]+name="grok-site-verification"[^>]+content="([^"]+)"/i.exec(html);
  const seed = Buffer.from(meta[1], 'base64');
  // Curves sit inside a JS string literal: find the pushed strings, unescape, parse.
  let curves = null;
  for (const m of html.matchAll(/self\.__next_f\.push\(\[1,("(?:[^"\\]|\\.)*")\]\)/g)) {
    const text = JSON.parse(m[1]);
    const i = text.indexOf('"curves":');
    if (i < 0) continue;
    let depth = 0;
    let j = i + 9;
    for (; j < text.length; j++) {
      if (text[j] === '[') depth++;
      else if (text[j] === ']' && --depth === 0) break;
    }
    curves = JSON.parse(text.slice(i + 9, j + 1));
  }
  const srcs = [...html.matchAll(/<script src="(\/_next\/static\/chunks\/[0-9a-f]+\.js)" async><\/script>/g)].map((m) => m[1]);
  let indices = null;
  for (const src of srcs) {
    const js = await fetchChunk(src);
    if (!/\(1645e3\)/.test(js)) continue;
    const g = /\[[\w$]+\[(\d+)\]%4\]/.exec(js);
    const s = /\[[\w$]+\[(\d+)\]%16\]/.exec(js);
    const t = [...js.matchAll(/\([\w$]+\[(\d+)\],16\)/g)].map((x) => Number(x[1]));
    indices = { group: Number(g[1]), segment: Number(s[1]), time: t };
  }
  return { seed, curves, indices, scripts: srcs, fingerprint: fingerprint(seed, curves, indices) };
}

// Like a correct gateway, never reuse a nonce for the same method, path and
// second: the simulator rejects a value it has seen before.
const usedNonces = new Map();
function signWith(scraped, method, pathname, now = Date.now() / 1000) {
  const key = `${method} ${pathname} ${Math.floor(now)}`;
  const used = usedNonces.get(key) || new Set();
  usedNonces.set(key, used);
  let nonce;
  do nonce = crypto.randomInt(0, 256);
  while (used.has(nonce));
  used.add(nonce);
  return sign(method, pathname, now, { seed: scraped.seed, fingerprint: scraped.fingerprint }, nonce);
}

function wsHeaders(sso, { ua = UA, userId } = {}) {
  return {
    origin: 'https://grok.com',
    'user-agent': ua,
    'accept-language': 'en-US,en;q=0.9',
    'cache-control': 'no-cache',
    pragma: 'no-cache',
    cookie: `sso=${sso}; sso-rw=${sso}${userId ? `; x-userid=${userId}` : ''}`,
  };
}

// Opens a WS and collects parsed frames; resolves once open (or with the
// handshake rejection status/body).
function openWs(url, headers, { localAddress } = {}) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false, localAddress });
    const frames = [];
    const waiters = [];
    ws.on('message', (d) => {
      const msg = JSON.parse(d.toString());
      frames.push(msg);
      for (const w of [...waiters]) if (w.pred(msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    });
    ws.on('unexpected-response', (req, res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ rejected: true, status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    ws.on('error', () => {});
    ws.on('open', () =>
      resolve({
        ws,
        frames,
        send: (obj) => ws.send(JSON.stringify(obj)),
        waitFor: (pred, ms = 5000) =>
          new Promise((res, rej) => {
            const hit = frames.find(pred);
            if (hit) return res(hit);
            const t = setTimeout(() => rej(new Error(`timeout waiting for frame; got ${JSON.stringify(frames).slice(0, 2000)}`)), ms);
            waiters.push({ pred, resolve: (m) => { clearTimeout(t); res(m); } });
            return undefined;
          }),
      }),
    );
  });
}

module.exports = { startSim, request, control, restHeaders, scrapeBuild, parseBuild, signWith, wsHeaders, openWs, UA, REFERER };

// Opens /ws/mgw/ for an account and completes session.create; returns the
// connection and the attached conversation id.
async function mgwSession(sim, sso, userId, { mode = 'fast', conv } = {}) {
  const c = await openWs(`${sim.grok.replace('http', 'ws')}/ws/mgw/?uid=${userId}`, wsHeaders(sso, { userId }));
  if (!c.ws) return { c };
  const x_grok = { protocol_capabilities: ['conversation_attached', 'custom_methods_v1'], use_chunk: true, enable_side_by_side: true, force_side_by_side: false, enable_image_generation: true, image_generation_count: 2, disable_text_follow_ups: false, disable_artifact: true, force_concise: false };
  Object.assign(x_grok, conv ? { conversation_id: conv, load_existing: true, needs_history: false } : { keep_context: false, is_temporary: true, disable_memory: true });
  const init = { event: { type: 'session.create', event_id: `evt_init_${crypto.randomUUID()}`, session: { model: mode, x_grok } } };
  if (conv) init.session_id = conv;
  c.send(init);
  const attached = await c.waitFor((f) => f.event && f.event.type === 'conversation.attached');
  return { c, sid: attached.event.conversation.id };
}

function mgwAsk(c, sid, text, parent) {
  const item = { session_id: sid, event: { type: 'conversation.item.create', event_id: `evt_msg_${Date.now()}`, item: { type: 'message', role: 'user', x_grok: { client_message_id: crypto.randomUUID(), input_chunks: [{ text: { text } }] } } } };
  if (parent) item.event.parent_response_id = parent;
  c.send(item);
  c.send({ session_id: sid, event: { type: 'response.create', event_id: `evt_resp_${Date.now()}` } });
}

module.exports.mgwSession = mgwSession;
module.exports.mgwAsk = mgwAsk;

// Uploads an image as the imagine page does (file part plus file_source); the answer.
async function uploadImage(sim, sso, bytes, { filename = 'ref.jpg', type = 'image/jpeg' } = {}) {
  const boundary = `----sim${crypto.randomBytes(6).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  const tail = `\r\n--${boundary}\r\nContent-Disposition: form-data; name="file_source"\r\n\r\nIMAGINE_SELF_UPLOAD_FILE_SOURCE\r\n--${boundary}--\r\n`;
  const headers = restHeaders(sso, { json: false, requestId: false, referer: REFERER.imagine });
  headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
  return request(`${sim.grok}/http/upload-file-v2/direct`, { method: 'POST', headers, body: Buffer.concat([Buffer.from(head), bytes, Buffer.from(tail)]) });
}

module.exports.uploadImage = uploadImage;
