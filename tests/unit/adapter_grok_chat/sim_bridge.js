'use strict';
// Lets the C++ adapter test talk to the grok.com simulator without a WebSocket or HTTP
// client of its own: starts the simulator, makes an account, then relays one JSON object
// per line over stdin/stdout.
//   in:  {"op":"ws_open","id":n}  {"op":"ws_send","id":n,"data":"<frame>"}  {"op":"ws_close","id":n}
//        {"op":"rest","path":"/rest/...","body":"<json text>"[,"referer":"imagine"]}
//        {"op":"upload_image"}   (a small PNG, with the imagine file source)
//        {"op":"control","method":"GET|POST","path":"/violations","body":{...}}
//   out: {"op":"ready","sso":...,"user_id":...}  {"op":"ws_opened"|"ws_rejected","id":n,...}
//        {"op":"ws_message","id":n,"data":"<text>"}  {"op":"ws_closed","id":n}
//        {"op":"http","status":s,"body":"<decoded text>"}  {"op":"control","json":...}
//        {"op":"uploaded","status":s,"json":{...}}
// The bridge exits when stdin closes.
const path = require('node:path');
const readline = require('node:readline');

const simDir = path.join(__dirname, '..', '..', 'simulator');
const h = require(path.join(simDir, 'test_support', 'helpers'));
const WebSocket = require(require.resolve('ws', { paths: [simDir] }));

const SSO = 'sso-adapter-test-0001';
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const out = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);

async function main() {
  const sim = await h.startSim();
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      sim.child.kill('SIGKILL');
      process.exit(1);
    }, 5000).unref();
    await sim.stop();
    process.exit(code);
  };
  process.on('SIGTERM', () => stop(0));
  process.stdout.on('error', () => stop(1)); // the test went away
  await h.control(sim, 'POST', '/config', { chunk_delay_ms: 0 });
  const account = await h.control(sim, 'POST', '/accounts', { sso: SSO, tier: 'super' });
  const scraped = await h.scrapeBuild(sim);
  const sockets = new Map();

  const handlers = {
    ws_open(m) {
      const url = `${sim.grok.replace('http', 'ws')}/ws/mgw/?uid=${account.user_id}`;
      const ws = new WebSocket(url, { headers: h.wsHeaders(SSO, { userId: account.user_id }), perMessageDeflate: false });
      sockets.set(m.id, ws);
      ws.on('open', () => out({ op: 'ws_opened', id: m.id }));
      ws.on('unexpected-response', (req, res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => out({ op: 'ws_rejected', id: m.id, status: res.statusCode, body }));
      });
      ws.on('message', (data, isBinary) => out({ op: 'ws_message', id: m.id, data: isBinary ? '' : data.toString('utf8') }));
      ws.on('close', () => out({ op: 'ws_closed', id: m.id }));
      ws.on('error', () => {});
    },
    ws_send(m) {
      const ws = sockets.get(m.id);
      if (ws && ws.readyState === WebSocket.OPEN) ws.send(m.data);
    },
    ws_close(m) {
      const ws = sockets.get(m.id);
      if (ws) ws.close();
    },
    async rest(m) {
      const statsig = h.signWith(scraped, 'POST', m.path);
      const referer = m.referer === 'imagine' ? h.REFERER.imagine : h.REFERER.root;
      const r = await h.request(`${sim.grok}${m.path}`, { method: 'POST', headers: h.restHeaders(SSO, { statsig, referer }), body: m.body });
      out({ op: 'http', status: r.status, body: r.text });
    },
    async upload_image() {
      const boundary = 'bridge-boundary-0001';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ref.png"\r\nContent-Type: image/png\r\n\r\n`),
        Buffer.from(PNG_1X1, 'base64'),
        Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="file_source"\r\n\r\nIMAGINE_SELF_UPLOAD_FILE_SOURCE\r\n--${boundary}--\r\n`),
      ]);
      const headers = h.restHeaders(SSO, { json: false, requestId: false, referer: h.REFERER.imagine });
      headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
      const r = await h.request(`${sim.grok}/http/upload-file-v2/direct`, { method: 'POST', headers, body });
      out({ op: 'uploaded', status: r.status, json: r.json });
    },
    async control(m) {
      const body = m.body === undefined ? undefined : { sso: SSO, ...m.body };
      out({ op: 'control', json: await h.control(sim, m.method || 'GET', m.path, body) });
    },
  };

  const rl = readline.createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  rl.on('line', (text) => {
    queue = queue.then(async () => {
      const m = JSON.parse(text);
      const fn = handlers[m.op];
      if (!fn) throw new Error(`unknown op ${m.op}`);
      await fn(m);
    }).catch((e) => out({ op: 'bridge_error', message: String(e && e.stack) }));
  });
  rl.on('close', () => queue.then(() => stop(0)));
  out({ op: 'ready', sso: SSO, user_id: account.user_id });
}

main().catch((e) => {
  process.stderr.write(`sim_bridge: ${e.stack}\n`);
  process.exit(1);
});
