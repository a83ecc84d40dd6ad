'use strict';
// Peer addresses, IP-bound Cloudflare clearance and the FlareSolverr stand-in solving
// through a proxy, against real tinyproxy and microsocks processes (tests/sdk/proxies.mjs)
// bound to their own loopback addresses.
const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../test_support/helpers');

let sim;
let scraped;
let proxies; // the harness module
const SSO = 'sso-proxy-token-0001';

test.before(async () => {
  proxies = await import('../../sdk/proxies.mjs');
  sim = await h.startSim();
  await h.control(sim, 'POST', '/config', { chunk_delay_ms: 0 });
  await h.control(sim, 'POST', '/accounts', { sso: SSO, tier: 'super' });
  scraped = await h.scrapeBuild(sim);
});

test.after(async () => {
  const r = await sim.stop();
  assert.doesNotMatch(sim.stderr(), /internal error|handler error|upgrade error/);
  assert.equal(r.code, 0);
});

const rateLimits = (opts = {}) =>
  h.request(`${sim.grok}/rest/rate-limits`, {
    method: 'POST',
    localAddress: opts.from,
    headers: h.restHeaders(SSO, { statsig: h.signWith(scraped, 'POST', '/rest/rate-limits'), ua: opts.ua, extraCookies: opts.cf ? `; cf_clearance=${opts.cf}` : '' }),
    body: { modelName: 'fast' },
  });

const solve = (body) =>
  h.request(`${sim.grok}/__sim/flaresolverr/v1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: { cmd: 'request.get', url: 'https://grok.com/', maxTimeout: 20000, ...body } });

const clearanceOf = (solved) => solved.json.solution.cookies.find((c) => c.name === 'cf_clearance').value;

test('every request records its peer address; GET /__sim/requests filters by peer', async () => {
  await h.control(sim, 'POST', '/reset', {});
  assert.equal((await rateLimits()).status, 200);
  assert.equal((await rateLimits({ from: '127.0.0.7' })).status, 200);
  const all = await h.control(sim, 'GET', '/requests?kind=rate_limits');
  assert.deepEqual(all.map((r) => r.peer), ['127.0.0.1', '127.0.0.7']);
  const one = await h.control(sim, 'GET', '/requests?peer=127.0.0.7');
  assert.equal(one.length, 1);
  assert.equal(one[0].kind, 'rate_limits');
  assert.deepEqual(await h.control(sim, 'GET', '/requests?peer=127.0.0.9'), []);
  assert.deepEqual(await h.control(sim, 'GET', '/peer'), { peer: '127.0.0.1', via: null });
});

test('WebSocket upgrades record their peer too', async () => {
  await h.control(sim, 'POST', '/reset', {});
  const acct = (await h.control(sim, 'GET', '/accounts')).find((a) => a.sso === SSO);
  const wsUrl = `${sim.grok.replace('http:', 'ws:')}/ws/mgw/?uid=${acct.user_id}`;
  const c = await h.openWs(wsUrl, h.wsHeaders(SSO, { userId: acct.user_id }), { localAddress: '127.0.0.8' });
  assert.ok(c.ws, JSON.stringify(c));
  c.ws.close();
  const recs = await h.control(sim, 'GET', '/requests?kind=mgw');
  assert.equal(recs.length, 1);
  assert.equal(recs[0].peer, '127.0.0.8');
  assert.equal(recs[0].status, 101);
});

test('clearance is bound to the IP it was earned from as well as the User-Agent', async () => {
  await h.control(sim, 'POST', '/reset', {});
  await h.control(sim, 'POST', '/cloudflare', { required: true });
  try {
    const issued = await h.control(sim, 'POST', '/cloudflare/issue', { user_agent: h.UA, ip: '127.0.0.4' });
    assert.equal(issued.ip, '127.0.0.4');
    let r = await rateLimits({ from: '127.0.0.4', cf: issued.cf_clearance });
    assert.equal(r.status, 200, r.text);
    // The same cookie and UA from another address: challenged (not a violation).
    r = await rateLimits({ from: '127.0.0.5', cf: issued.cf_clearance });
    assert.equal(r.status, 403);
    assert.equal(r.headers['cf-mitigated'], 'challenge');
    // Without an ip, the clearance belongs to 127.0.0.1, as before.
    const direct = await h.control(sim, 'POST', '/cloudflare/issue', { user_agent: h.UA });
    assert.equal(direct.ip, '127.0.0.1');
    assert.equal((await rateLimits({ cf: direct.cf_clearance })).status, 200);
    assert.equal((await rateLimits({ from: '127.0.0.4', cf: direct.cf_clearance })).status, 403);
    // Another UA from another address is another browser, not a UA change of this sso.
    const other = await h.control(sim, 'POST', '/cloudflare/issue', { user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0.0.0', ip: '127.0.0.6' });
    r = await rateLimits({ from: '127.0.0.6', ua: other.user_agent, cf: other.cf_clearance });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await h.control(sim, 'GET', '/violations'), []);
  } finally {
    await h.control(sim, 'POST', '/cloudflare', { required: false });
  }
});

test('FlareSolverr stand-in: without a proxy the clearance belongs to 127.0.0.1', async () => {
  await h.control(sim, 'POST', '/reset', { config: true });
  await h.control(sim, 'POST', '/config', { chunk_delay_ms: 0 });
  await h.control(sim, 'POST', '/cloudflare', { required: true });
  const solved = await solve({});
  assert.equal(solved.status, 200);
  assert.equal(solved.json.status, 'ok');
  const ua = solved.json.solution.userAgent;
  assert.equal((await rateLimits({ ua, cf: clearanceOf(solved) })).status, 200);
  assert.equal((await rateLimits({ from: '127.0.0.2', ua, cf: clearanceOf(solved) })).status, 403);
  const cf = await h.control(sim, 'GET', '/cloudflare');
  assert.deepEqual(cf.solved.at(-1), { peer: '127.0.0.1', user_agent: ua, proxy: null });
  await h.control(sim, 'POST', '/cloudflare', { required: false });
});

test('FlareSolverr stand-in solves through tinyproxy (with BasicAuth) and binds the clearance to its address', async () => {
  const ports = proxies.simulatorPorts(sim);
  const tp = await proxies.startTinyproxy({ bind: '127.0.0.12', connectPorts: ports, user: 'solveuser', password: 'solve-pass-1', probeUrl: `${sim.grok}/__sim/peer` });
  try {
    await h.control(sim, 'POST', '/cloudflare', { required: true });
    const solved = await solve({ proxy: { url: `http://${tp.address}`, username: 'solveuser', password: 'solve-pass-1' } });
    assert.equal(solved.status, 200, solved.text);
    const ua = solved.json.solution.userAgent;
    const cf = clearanceOf(solved);
    assert.equal((await rateLimits({ from: '127.0.0.12', ua, cf })).status, 200);
    assert.equal((await rateLimits({ ua, cf })).status, 403, 'not valid from 127.0.0.1');
    const log = (await h.control(sim, 'GET', '/cloudflare')).solved.at(-1);
    assert.equal(log.peer, '127.0.0.12');
    assert.equal(log.proxy, `http://solveu…er:***@${tp.address}`);
    assert.equal(JSON.stringify(await h.control(sim, 'GET', '/cloudflare')).includes('solve-pass-1'), false);
    // Wrong credentials: tinyproxy answers 407, the solve fails in FlareSolverr's shape.
    const denied = await solve({ proxy: { url: `http://${tp.address}`, username: 'solveuser', password: 'wrong' } });
    assert.equal(denied.status, 500);
    assert.equal(denied.json.status, 'error');
    assert.match(denied.json.message, /^Error: Error solving the challenge\..*ERR_PROXY_AUTH/);
    // Stopped and started again, it serves on the same port from the same address.
    const url = tp.url;
    await tp.stop();
    await tp.start({ probeUrl: `${sim.grok}/__sim/peer` });
    assert.equal(tp.url, url);
  } finally {
    await h.control(sim, 'POST', '/cloudflare', { required: false });
    await tp.close();
  }
});

test('FlareSolverr stand-in solves through microsocks (socks5 with credentials, socks5h) and binds to its address', async () => {
  const plain = await proxies.startMicrosocks({ bind: '127.0.0.13', scheme: 'socks5h', probeUrl: `${sim.grok}/__sim/peer` });
  const authed = await proxies.startMicrosocks({ bind: '127.0.0.14', user: 'sockuser', password: 'sock-pass-1', probeUrl: `${sim.grok}/__sim/peer` });
  try {
    await h.control(sim, 'POST', '/cloudflare', { required: true });
    const viaPlain = await solve({ proxy: { url: `socks5h://${plain.address}` } });
    assert.equal(viaPlain.status, 200, viaPlain.text);
    // Credentials may also come inside the URL.
    const viaAuthed = await solve({ proxy: { url: `socks5://sockuser:sock-pass-1@${authed.address}` } });
    assert.equal(viaAuthed.status, 200, viaAuthed.text);
    const ua = viaPlain.json.solution.userAgent;
    assert.equal((await rateLimits({ from: '127.0.0.13', ua, cf: clearanceOf(viaPlain) })).status, 200);
    assert.equal((await rateLimits({ from: '127.0.0.14', ua, cf: clearanceOf(viaAuthed) })).status, 200);
    assert.equal((await rateLimits({ from: '127.0.0.14', ua, cf: clearanceOf(viaPlain) })).status, 403);
    const solved = (await h.control(sim, 'GET', '/cloudflare')).solved.slice(-2);
    assert.deepEqual(solved.map((s) => s.peer), ['127.0.0.13', '127.0.0.14']);
    const refused = await solve({ proxy: { url: `socks5://${authed.address}`, username: 'sockuser', password: 'nope' } });
    assert.equal(refused.status, 500);
    assert.match(refused.json.message, /ERR_SOCKS_CONNECTION_FAILED/);
  } finally {
    await h.control(sim, 'POST', '/cloudflare', { required: false });
    await plain.close();
    await authed.close();
  }
});

test('FlareSolverr stand-in: an unreachable proxy or a bad command answers FlareSolverr\'s error shape', async () => {
  const ms = await proxies.startMicrosocks({ bind: '127.0.0.15' });
  const url = `socks5://${ms.address}`;
  await ms.stop();
  const before = (await h.control(sim, 'GET', '/cloudflare')).solves;
  for (const proxy of [{ url }, { url: url.replace('socks5', 'http') }]) {
    const r = await solve({ proxy });
    assert.equal(r.status, 500);
    assert.equal(r.json.status, 'error');
    assert.match(r.json.message, /^Error: Error solving the challenge\. .*net::ERR_PROXY_CONNECTION_FAILED/);
    assert.ok(r.json.startTimestamp <= r.json.endTimestamp);
    assert.match(r.json.version, /^\d+\.\d+\.\d+$/);
  }
  assert.equal((await solve({ proxy: { url: 'ftp://127.0.0.1:21' } })).status, 500);
  const bad = await solve({ cmd: 'request.nope' });
  assert.equal(bad.status, 500);
  assert.match(bad.json.message, /Request parameter 'cmd' = 'request.nope' is invalid/);
  assert.equal((await h.control(sim, 'GET', '/cloudflare')).solves, before, 'no clearance was issued');
  // The same port serves again after a restart.
  await ms.start({ probeUrl: `${sim.grok}/__sim/peer` });
  assert.equal(ms.url, url);
  assert.equal((await solve({ proxy: { url } })).status, 200);
  await ms.close();
});
