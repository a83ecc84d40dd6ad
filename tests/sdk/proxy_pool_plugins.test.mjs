// The proxy pool's plugins end to end (see proxy_pool.test.mjs for the stack): the
// proxy-source-api plugin reading each answer format from grok.proxy_pool_url, and a
// Cloudflare challenge solved per proxy by the clearance-flaresolverr plugin through the
// simulator's FlareSolverr stand-in, which solves through the proxy it is given and binds
// the clearance to that proxy's address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';

import {
  toml, portOf, startPoolStack, ask, simRequests, lastSeq, askUntilUsed, proxiesState, entryOf, callRecords, onlyPeer,
} from './pool_stack.mjs';

const SOLVER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36';

// --- the proxy-source-api plugin -----------------------------------------------------

// A proxy-pool API on 127.0.0.1: answers body() with contentType to every GET.
async function startPoolApi(body, contentType) {
  const api = { hits: [] };
  api.server = createServer((req, res) => {
    api.hits.push({ peer: req.socket.remoteAddress, url: req.url });
    const b = body();
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(b) });
    res.end(b);
  });
  await new Promise((ok) => api.server.listen(0, '127.0.0.1', ok));
  api.url = `http://127.0.0.1:${api.server.address().port}/proxies?key=pool-api-key`;
  api.close = () => new Promise((ok) => api.server.close(ok));
  return api;
}

const SOURCE_FORMATS = [
  {
    name: 'one proxy as plain text (with credentials)',
    proxies: [{ kind: 'tinyproxy', bind: '127.0.0.9', user: 'srcuser', password: 'src-secret-1' }],
    contentType: 'text/plain',
    body: ([tp]) => `${tp.url}\n`,
  },
  {
    name: 'a newline list',
    proxies: [
      { kind: 'tinyproxy', bind: '127.0.0.9' },
      { kind: 'microsocks', bind: '127.0.0.10' },
    ],
    contentType: 'text/plain',
    body: ([tp, ms]) => `# proxies\r\n${tp.address}\r\n\r\nsocks5://${ms.address}\r\n`,
  },
  {
    name: 'a JSON array of strings',
    proxies: [
      { kind: 'microsocks', bind: '127.0.0.9', user: 'srcuser', password: 'src-secret-2' },
      { kind: 'tinyproxy', bind: '127.0.0.10' },
    ],
    contentType: 'application/json',
    body: ([ms, tp]) => JSON.stringify([`socks5h://srcuser:src-secret-2@${ms.address}`, `http://${tp.address}`]),
  },
  {
    name: 'a JSON array of objects',
    proxies: [
      { kind: 'microsocks', bind: '127.0.0.9', user: 'srcuser', password: 'src-secret-3' },
      { kind: 'tinyproxy', bind: '127.0.0.10' },
    ],
    contentType: 'application/json',
    body: ([ms, tp]) =>
      JSON.stringify([
        { host: '127.0.0.1', port: ms.port, scheme: 'socks5', user: 'srcuser', pass: 'src-secret-3' },
        { ip: '127.0.0.1', port: String(tp.port), protocol: 'HTTP' },
      ]),
  },
];

for (const format of SOURCE_FORMATS) {
  test(`proxy-source-api: ${format.name} from grok.proxy_pool_url fills the pool`, async () => {
    const ssos = ['pp-src-a-0001', 'pp-src-b-0002'];
    let served = null; // the proxies, once they run
    const api = await startPoolApi(() => (served ? format.body(served) : ''), format.contentType);
    let stack;
    try {
      stack = await startPoolStack({
        ssos,
        proxies: format.proxies,
        grok: (ps) => {
          served = ps;
          // 0: no background refresh; the pool asks its sources at start and on demand.
          return { proxy_pool_url: api.url, proxy_pool_interval: 0, allow_direct: false, proxy_health_interval: 0 };
        },
      });
      await askUntilUsed(stack, ssos);
      const { sim, gw, proxies } = stack;
      const binds = new Set(proxies.map((p) => p.bind));
      const peers = new Set();
      for (const sso of ssos) {
        const peer = await onlyPeer(sim, sso);
        assert.ok(binds.has(peer), `${sso} came from ${peer}`);
        peers.add(peer);
      }
      assert.deepEqual([...peers].sort(), [...binds].sort(), 'every sourced proxy served');
      const state = await proxiesState(gw);
      assert.equal(state.total, proxies.length, JSON.stringify(state.proxies));
      for (const p of proxies) {
        const e = entryOf(state, p);
        assert.equal(e.source, 'proxy-source-api', JSON.stringify(e));
        assert.equal(e.healthy, true);
        if (p.password) {
          assert.equal(e.url.includes(p.password), false, e.url);
          assert.match(e.url, /^[a-z0-9]+:\/\/srcuser:\*\*\*\*@127\.0\.0\.1:\d+$/);
        }
      }
      assert.ok(api.hits.length >= 1);
      for (const h of api.hits) assert.match(h.peer, /127\.0\.0\.1$/, 'the pool API is fetched directly');
      const secret = proxies.find((p) => p.password)?.password;
      if (secret) {
        assert.equal(gw.output().includes(secret), false, 'the gateway log holds no proxy password');
        assert.equal(JSON.stringify(await callRecords(gw)).includes(secret), false);
      }
      assert.equal(gw.output().includes('pool-api-key'), false, 'the gateway log holds no pool API key');
    } finally {
      if (stack) assert.deepEqual(await stack.stop(), []);
      await api.close();
    }
  });
}

// --- Cloudflare clearance per proxy ------------------------------------------------

test('Cloudflare: a challenge is solved through each proxy by clearance-flaresolverr; calls then carry that proxy\'s UA and clearance', async () => {
  const ssos = ['pp-cf-a-0001', 'pp-cf-b-0002'];
  const stack = await startPoolStack({
    ssos,
    proxies: [
      { kind: 'tinyproxy', bind: '127.0.0.16' },
      { kind: 'microsocks', bind: '127.0.0.17' },
    ],
    grok: (ps) => ({
      proxy_urls: ps.map((p) => p.url),
      allow_direct: false,
      proxy_health_interval: 0,
      proxy_max_failures: 10, // background calls meeting the challenge must not evict a proxy
      clearance_provider: 'clearance-flaresolverr',
    }),
    extraSettings: (ps, sim) => `\n[plugins.clearance-flaresolverr]\nurl = ${toml(`${sim.grok}/__sim/flaresolverr/v1`)}\nmax_timeout_ms = 20000\n`,
  });
  const { sim, gw, proxies } = stack;
  try {
    // Both accounts bound to their proxies, then grok.com starts challenging.
    await askUntilUsed(stack, ssos);
    const bindOf = {};
    for (const sso of ssos) bindOf[sso] = await onlyPeer(sim, sso);
    assert.equal(new Set(Object.values(bindOf)).size, 2, JSON.stringify(bindOf));
    await sim.control('cloudflare', { required: true, solver_user_agent: SOLVER_UA });
    const challengedAt = await lastSeq(sim);
    const logsBefore = (await callRecords(gw)).length;
    const answers = await askUntilUsed(stack, ssos, { afterSeq: challengedAt });
    for (const a of answers) assert.match(a.choices[0].message.content, /You said: request/);
    // One solve per proxy, through that proxy: the clearance belongs to its address.
    const cf = await sim.control('cloudflare');
    const through = (p) => cf.solved.filter((s) => s.peer === p.bind);
    for (const p of proxies) {
      assert.equal(through(p).length, 1, `solves through ${p.bind}: ${JSON.stringify(cf.solved)}`);
      assert.equal(portOf(through(p)[0].proxy), p.port);
    }
    assert.equal(cf.solved.length, proxies.length, `no solve for another egress: ${JSON.stringify(cf.solved)}`);
    // Every call that got through came from the SSO's own proxy with the solver's UA (the
    // simulator let it through, so its clearance was valid for that address and UA).
    for (const sso of ssos) {
      assert.equal(await onlyPeer(sim, sso, challengedAt), bindOf[sso]);
      const passed = (await simRequests(sim, sso, challengedAt)).filter((r) => r.status === 200 || r.status === 101);
      assert.ok(passed.length >= 1);
      for (const r of passed) assert.equal(r.user_agent, SOLVER_UA, JSON.stringify(r));
    }
    const state = await proxiesState(gw);
    for (const p of proxies) {
      const e = entryOf(state, p);
      assert.equal(e.user_agent, SOLVER_UA, JSON.stringify(e));
      assert.ok(e.cf_cookies && typeof e.cf_cookies.cf_clearance === 'string', JSON.stringify(e));
      assert.ok(e.cf_cookies.cf_clearance.length < 40, `masked: ${e.cf_cookies.cf_clearance}`);
      assert.equal(e.healthy, true);
    }
    // Later calls reuse each proxy's clearance: no new solve, no error.
    for (let i = 0; i < 2; i++) await ask(stack.client, `cleared ${i}`);
    assert.equal((await sim.control('cloudflare')).solved.length, proxies.length);
    const after = (await callRecords(gw)).slice(logsBefore);
    assert.ok(after.length >= answers.length + 2);
    for (const r of after) {
      assert.equal(r.success, true, JSON.stringify(r));
      assert.equal(portOf(r.proxy_used), proxies.find((p) => p.bind === bindOf[r.sso_full]).port, JSON.stringify(r));
    }
  } finally {
    assert.deepEqual(await stack.stop(), []);
  }
});

