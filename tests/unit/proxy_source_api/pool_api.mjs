// A proxy-pool API for the proxy-source-api tests: answers what the request asks for, so
// each test names its answer in the URL.
//   node pool_api.mjs
// GET /answer/<status>?body=<hex>  answers <status> with the hex-decoded body
// GET /hang                         never answers
// GET /seen                         the requests so far (path and headers) as JSON
import { createServer } from 'node:http';

const seen = [];

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/seen') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(seen));
    return;
  }
  seen.push({ method: req.method, path: req.url, headers: req.headers });
  if (url.pathname === '/hang') return;
  const m = /^\/answer\/(\d+)$/.exec(url.pathname);
  if (!m) {
    res.writeHead(404);
    res.end('no such path');
    return;
  }
  res.writeHead(Number(m[1]), { 'content-type': 'text/plain' });
  res.end(Buffer.from(url.searchParams.get('body') ?? '', 'hex'));
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on 127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
