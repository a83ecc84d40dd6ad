// A webhook receiver for the log-webhook tests: verifies signatures with Node's own crypto
// (independently of the plugin's OpenSSL code) and records what arrived.
//   node receiver.mjs <secret>
// POST /status/<n> answers n; POST /hang never answers; any other POST answers 204.
// GET /received answers the deliveries so far as a JSON array.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secret = process.argv[2] ?? '';
const toleranceSeconds = 300;
const received = [];

function verify(headers, body) {
  const ts = headers['x-g2a-timestamp'];
  const sig = headers['x-g2a-signature'];
  if (!ts || !sig) return 'unsigned';
  const expected = 'sha256=' + createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex');
  const a = Buffer.from(sig);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return 'bad signature';
  if (Math.abs(Date.now() / 1000 - Number(ts)) > toleranceSeconds) return 'stale';
  return 'valid';
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/received') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(received));
      return;
    }
    const body = Buffer.concat(chunks);
    received.push({
      path: req.url,
      headers: req.headers,
      body: body.toString('utf8'),
      signature: verify(req.headers, body),
    });
    if (req.url === '/hang') return;
    const m = /^\/status\/(\d+)$/.exec(req.url);
    res.writeHead(m ? Number(m[1]) : 204);
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on 127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
