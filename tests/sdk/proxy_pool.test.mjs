// The proxy pool of issue 6 end to end: a real gateway, the grok.com simulator, real
// tinyproxy (HTTP) and microsocks (SOCKS5) processes (tests/sdk/proxies.mjs), each binding
// its outgoing connections to its own 127.0.0.N so that the simulator's `peer` of a
// request names the proxy it came through, and the official openai client.
// Cases: SSO bindings stay stable; every kind of call of an SSO takes its proxy, asset
// downloads grok.cache_proxy_url when set; a killed proxy's SSOs move on with no
// client-visible error; a restarted proxy is re-admitted by the health check (and log sinks
// hear both transitions); every proxy down, with and without a static fallback and with
// allow_direct false/true; credentials masked; proxy_used in the call logs. The plugins' cases are in proxy_pool_plugins.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import OpenAI from 'openai';

import {
  until, portOf, startPoolStack, ask, simRequests, lastSeq, askUntilUsed, proxiesState, entryOf, callRecords, onlyPeer,
  everyKindOfCall,
} from './pool_stack.mjs';

// --- binding ---------------------------------------------------------------------------

for (const transport of ['ws', 'rest']) {
  test(`binding (${transport}): every SSO reaches grok.com from one proxy, the one /api/proxies and the call logs name`, async () => {
    const ssos = ['pp-bind-a-0001', 'pp-bind-b-0002', 'pp-bind-c-0003', 'pp-bind-d-0004'];
    const stack = await startPoolStack({
      ssos,
      env: { GROK2API_GROK_CHAT_TRANSPORT: transport },
      proxies: [
        { kind: 'tinyproxy', bind: '127.0.0.2' },
        { kind: 'microsocks', bind: '127.0.0.3' },
        { kind: 'tinyproxy', bind: '127.0.0.4' },
      ],
      grok: (ps) => ({ proxy_urls: ps.map((p) => p.url), allow_direct: false, proxy_health_interval: 0 }),
    });
    const { sim, gw, proxies } = stack;
    try {
      await askUntilUsed(stack, ssos);
      // Two more rounds: nothing moves.
      for (let i = 0; i < 2 * ssos.length; i++) await ask(stack.client, `again ${i}`);
      const byBind = new Map(proxies.map((p) => [p.bind, p]));
      const peerOf = {};
      for (const sso of ssos) {
        peerOf[sso] = await onlyPeer(sim, sso);
        assert.ok(byBind.has(peerOf[sso]), `${sso} came from ${peerOf[sso]}, not through a proxy`);
      }
      // Round robin: four accounts over three proxies use all three.
      assert.equal(new Set(Object.values(peerOf)).size, 3, JSON.stringify(peerOf));

      const state = await proxiesState(gw);
      assert.equal(state.total, 3);
      assert.equal(state.allow_direct, false);
      for (const sso of ssos) {
        const p = byBind.get(peerOf[sso]);
        const e = entryOf(state, p);
        assert.equal(portOf(state.assignments[sso]), p.port, `assignment of ${sso}`);
        assert.ok(e.assigned_sso.includes(sso), JSON.stringify(e));
      }
      for (const p of proxies) {
        const e = entryOf(state, p);
        assert.equal(e.healthy, true);
        assert.equal(e.fail_count, 0);
        assert.ok(e.total_requests >= 1 && e.success_requests >= 1, JSON.stringify(e));
        assert.ok(e.last_used > 1.7e12, JSON.stringify(e));
        assert.equal(e.source, 'settings');
      }

      // The call logs name the proxy of every call: the SSO's own.
      const records = await callRecords(gw);
      assert.ok(records.length >= ssos.length + 8, `${records.length} records`);
      for (const r of records) {
        assert.equal(r.success, true, JSON.stringify(r));
        assert.ok(ssos.includes(r.sso_full), JSON.stringify(r));
        assert.notEqual(r.proxy_used, '', JSON.stringify(r));
        assert.equal(portOf(r.proxy_used), byBind.get(peerOf[r.sso_full]).port, JSON.stringify(r));
      }
    } finally {
      assert.deepEqual(await stack.stop(), [], 'the simulator saw protocol violations');
    }
  });
}


// --- every kind of call -------------------------------------------------------------

test('every upstream call of an SSO (session, quota, chat, imagine, upload, image edit, assets) goes through its proxy', async () => {
  const sso = 'pp-kinds-0001';
  const stack = await startPoolStack({
    ssos: [sso],
    proxies: [
      { kind: 'microsocks', bind: '127.0.0.21' },
      { kind: 'tinyproxy', bind: '127.0.0.22' },
    ],
    grok: (ps) => ({ proxy_urls: ps.map((p) => p.url), allow_direct: false, proxy_health_interval: 0 }),
  });
  const { sim, gw, client, proxies } = stack;
  try {
    await everyKindOfCall(client);
    const calls = await simRequests(sim, sso);
    const kinds = new Set(calls.map((r) => r.kind));
    for (const k of ['session', 'rate_limits', 'mgw', 'imagine', 'upload', 'image_edit', 'assets']) assert.ok(kinds.has(k), `no ${k} call: ${[...kinds]}`);
    const peer = await onlyPeer(sim, sso);
    const bound = proxies.find((p) => p.bind === peer);
    assert.ok(bound, `the calls came from ${peer}`);
    assert.equal(portOf((await proxiesState(gw)).assignments[sso]), bound.port);
    for (const r of await callRecords(gw)) assert.equal(portOf(r.proxy_used), bound.port, JSON.stringify(r));
  } finally {
    assert.deepEqual(await stack.stop(), []);
  }
});


test('grok.cache_proxy_url carries asset downloads; every other call keeps the SSO\'s proxy', async () => {
  const sso = 'pp-cache-0001';
  const stack = await startPoolStack({
    ssos: [sso],
    proxies: [
      { kind: 'tinyproxy', bind: '127.0.0.23' },
      { kind: 'microsocks', bind: '127.0.0.24' }, // the cache proxy
    ],
    grok: ([pool, cache]) => ({ proxy_urls: [pool.url], cache_proxy_url: cache.url, allow_direct: false, proxy_health_interval: 0 }),
  });
  const { sim, client, proxies } = stack;
  const [pool, cache] = proxies;
  try {
    await everyKindOfCall(client);
    const calls = await simRequests(sim, sso);
    const assets = calls.filter((r) => r.host === 'assets');
    assert.ok(assets.length >= 2, JSON.stringify(calls.map((r) => r.kind)));
    for (const r of assets) assert.equal(r.peer, cache.bind, JSON.stringify(r));
    for (const r of calls.filter((x) => x.host !== 'assets')) assert.equal(r.peer, pool.bind, JSON.stringify(r));
  } finally {
    assert.deepEqual(await stack.stop(), []);
  }
});

// --- failover and recovery -----------------------------------------------------------

// Uses every account, then returns the proxy with the most bindings and its SSOs.
async function busiestProxy(stack, ssos) {
  await askUntilUsed(stack, ssos);
  const state = await proxiesState(stack.gw);
  let best = null;
  for (const p of stack.proxies) {
    const bound = entryOf(state, p).assigned_sso;
    if (!best || bound.length > best.bound.length) best = { proxy: p, bound };
  }
  assert.ok(best.bound.length >= 1, JSON.stringify(state));
  for (const sso of best.bound) assert.equal(await onlyPeer(stack.sim, sso), best.proxy.bind);
  return best;
}

test('failover: a killed proxy\'s SSOs move to another proxy and the client sees no error', async () => {
  const ssos = ['pp-fail-a-0001', 'pp-fail-b-0002', 'pp-fail-c-0003'];
  const stack = await startPoolStack({
    ssos,
    proxies: [
      { kind: 'tinyproxy', bind: '127.0.0.5' },
      { kind: 'microsocks', bind: '127.0.0.6' },
    ],
    grok: (ps) => ({ proxy_urls: ps.map((p) => p.url), allow_direct: false, proxy_max_failures: 1, proxy_health_interval: 0 }),
  });
  const { sim, gw, proxies } = stack;
  try {
    const { proxy: dead, bound } = await busiestProxy(stack, ssos);
    const alive = proxies.find((p) => p !== dead);
    await dead.kill();
    const killedAt = await lastSeq(sim);
    const logsBefore = (await callRecords(gw)).length;
    // Every request succeeds (the openai client has no retries of its own here) until each
    // account that was bound to the dead proxy has been served again.
    const answers = await askUntilUsed(stack, bound, { afterSeq: killedAt });
    assert.ok(answers.length >= 1);
    for (const a of answers) assert.match(a.choices[0].message.content, /You said: request \d+/);
    for (const sso of ssos) {
      const after = await simRequests(sim, sso, killedAt);
      for (const r of after) assert.equal(r.peer, alive.bind, `${sso} after the kill: ${JSON.stringify(r)}`);
    }
    const state = await proxiesState(gw);
    const d = entryOf(state, dead);
    assert.equal(d.healthy, false, JSON.stringify(d));
    assert.ok(d.fail_count >= 1);
    assert.deepEqual(d.assigned_sso, [], 'an unhealthy proxy keeps no bindings');
    assert.ok(d.last_error, JSON.stringify(d));
    for (const sso of bound) assert.equal(portOf(state.assignments[sso]), alive.port, `${sso} is bound to the live proxy`);
    // The records of the calls after the kill name the proxy that answered.
    const after = (await callRecords(gw)).slice(logsBefore);
    assert.equal(after.length, answers.length);
    for (const r of after) {
      assert.equal(r.success, true, JSON.stringify(r));
      assert.equal(portOf(r.proxy_used), alive.port, JSON.stringify(r));
    }
  } finally {
    assert.deepEqual(await stack.stop(), []);
  }
});

// A log-webhook receiver on 127.0.0.1 that keeps the state events it gets.
async function startEventReceiver() {
  const r = { events: [] };
  r.server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      for (const item of JSON.parse(Buffer.concat(chunks).toString('utf8'))) if (item.type === 'event') r.events.push(item);
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise((ok) => r.server.listen(0, '127.0.0.1', ok));
  r.settings = `\n[[plugins.log-webhook.receivers]]\nurl = "http://127.0.0.1:${r.server.address().port}/events"\nformat = "json"\n`;
  r.close = () => new Promise((ok) => r.server.close(ok));
  return r;
}

test('recovery: a proxy that comes back is re-admitted by the health check and serves again', async () => {
  const ssos = ['pp-heal-a-0001', 'pp-heal-b-0002'];
  const receiver = await startEventReceiver();
  const stack = await startPoolStack({
    ssos,
    env: { GROK2API_GLOBAL_LOG_FLUSH_INTERVAL: '0.1' },
    proxies: [
      { kind: 'microsocks', bind: '127.0.0.7' },
      { kind: 'tinyproxy', bind: '127.0.0.8' },
    ],
    grok: (ps) => ({ proxy_urls: ps.map((p) => p.url), allow_direct: false, proxy_max_failures: 1, proxy_health_interval: 1 }),
    extraSettings: () => receiver.settings,
  }).catch(async (e) => {
    await receiver.close();
    throw e;
  });
  const { sim, gw, proxies } = stack;
  try {
    const { proxy: dead, bound } = await busiestProxy(stack, ssos);
    await dead.kill();
    const killedAt = await lastSeq(sim);
    await askUntilUsed(stack, bound, { afterSeq: killedAt });
    let e = entryOf(await proxiesState(gw), dead);
    assert.equal(e.healthy, false, JSON.stringify(e));
    // While it is down, the probes fail and keep it out.
    const firstCheck = await until('a failed probe', async () => {
      const x = entryOf(await proxiesState(gw), dead);
      return x.last_check > 0 && x;
    });
    assert.equal(firstCheck.healthy, false);

    await dead.start();
    const restartedAt = await lastSeq(sim);
    e = await until('the health check to re-admit the proxy', async () => {
      const x = entryOf(await proxiesState(gw), dead);
      return x.healthy && x;
    });
    assert.equal(e.fail_count, 0);
    assert.ok(e.last_check >= firstCheck.last_check);
    // The probe really went through the proxy to grok.com (the simulator's page).
    const probes = (await sim.control(`requests?peer=${dead.bind}`)).filter((r) => r.seq > restartedAt);
    assert.ok(probes.length >= 1, 'the simulator saw the probe through the restarted proxy');

    // It serves again: an SSO assigned to it goes through it.
    const sso = ssos[0];
    const listedUrl = entryOf(await proxiesState(gw), dead).url;
    const assigned = await gw.admin('POST', '/api/proxies/assign', { proxy_url: listedUrl, sso });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
    const assignedAt = await lastSeq(sim);
    await askUntilUsed(stack, [sso], { afterSeq: assignedAt });
    assert.equal(await onlyPeer(sim, sso, assignedAt), dead.bind);
    const alive = proxies.find((p) => p !== dead);
    assert.equal(entryOf(await proxiesState(gw), alive).healthy, true);

    // Log sinks heard of both transitions, once each, naming the proxy.
    const events = await until('proxy.unhealthy and proxy.recovered at the receiver', () => receiver.events.length >= 2 && receiver.events);
    assert.deepEqual(events.map((e) => e.event), ['proxy.unhealthy', 'proxy.recovered'], JSON.stringify(events));
    for (const e of events) assert.equal(portOf(e.proxy), dead.port, JSON.stringify(e));
  } finally {
    assert.deepEqual(await stack.stop(), []);
    await receiver.close();
  }
});

// --- every proxy down --------------------------------------------------------------

// A client whose requests cannot hang the test: 60 s, no retries.
const patientClient = (gw) => new OpenAI({ apiKey: 'sk-test-key', baseURL: `${gw.base}/v1`, maxRetries: 0, timeout: 60000 });

// Asks once and expects a clear error in the OpenAI envelope, quickly.
async function expectClearError(gw, what) {
  const started = Date.now();
  const err = await patientClient(gw).chat.completions.create({ model: 'grok-4-fast', messages: [{ role: 'user', content: what }] }).then(
    (r) => assert.fail(`${what}: answered ${JSON.stringify(r)}`),
    (e) => e,
  );
  const took = Date.now() - started;
  assert.ok(err instanceof OpenAI.APIError, `${what}: ${err}`);
  assert.ok(!(err instanceof OpenAI.APIConnectionError), `${what}: no HTTP answer (${err})`);
  assert.ok(err.status >= 500 && err.status < 600, `${what}: HTTP ${err.status} ${err.message}`);
  assert.ok(err.error && typeof err.error.message === 'string' && err.error.message.length > 0, JSON.stringify(err.error));
  assert.ok(took < 30000, `${what}: took ${took} ms`);
  return err;
}

test('all proxies down, static fallback (grok.proxy_url): requests go through the static proxy', async () => {
  const sso = 'pp-static-0001';
  const stack = await startPoolStack({
    ssos: [sso],
    proxies: [
      { kind: 'tinyproxy', bind: '127.0.0.11' },
      { kind: 'microsocks', bind: '127.0.0.12' }, // the static proxy
    ],
    grok: ([pool, fixed]) => ({ proxy_urls: [pool.url], proxy_url: fixed.url, allow_direct: false, proxy_max_failures: 1, proxy_health_interval: 0 }),
  });
  const { sim, gw, client, proxies } = stack;
  const [pool, fixed] = proxies;
  try {
    await ask(client, 'through the pool');
    assert.equal(await onlyPeer(sim, sso), pool.bind);
    let state = await proxiesState(gw);
    assert.equal(portOf(state.static_proxy), fixed.port);
    assert.equal(state.allow_direct, false);
    await pool.kill();
    const killedAt = await lastSeq(sim);
    const before = (await callRecords(gw)).length;
    for (let i = 0; i < 3; i++) assert.match((await ask(client, `static ${i}`)).choices[0].message.content, /You said: static/);
    assert.equal(await onlyPeer(sim, sso, killedAt), fixed.bind);
    const after = (await callRecords(gw)).slice(before);
    assert.equal(after.length, 3);
    for (const r of after) assert.equal(portOf(r.proxy_used), fixed.port, JSON.stringify(r));
    state = await proxiesState(gw);
    assert.equal(entryOf(state, pool).healthy, false);
  } finally {
    assert.deepEqual(await stack.stop(), []);
  }
});

for (const staticDown of [false, true]) {
  test(`all proxies down, ${staticDown ? 'the static proxy down too' : 'no static proxy'}, allow_direct = false: a clear error, never a direct call`, async () => {
    const sso = staticDown ? 'pp-nodir-s-0001' : 'pp-nodir-0001';
    const stack = await startPoolStack({
      ssos: [sso],
      proxies: [{ kind: 'microsocks', bind: '127.0.0.13' }, ...(staticDown ? [{ kind: 'tinyproxy', bind: '127.0.0.14' }] : [])],
      grok: ([pool, fixed]) => ({
        proxy_urls: [pool.url],
        ...(fixed ? { proxy_url: fixed.url } : {}),
        allow_direct: false,
        proxy_max_failures: 1,
        proxy_health_interval: 0,
      }),
    });
    const { sim, gw, client, proxies } = stack;
    try {
      await ask(client, 'through the pool');
      for (const p of proxies) await p.kill();
      const killedAt = await lastSeq(sim);
      // The request that finds the pool proxy dead fails as a transport error (504
      // upstream_unreachable, the gateway's answer to any way out that cannot connect).
      const unreachable = (e) => {
        assert.equal(e.status, 504, e.message);
        assert.equal(e.code, 'upstream_unreachable', JSON.stringify(e.error));
      };
      unreachable(await expectClearError(gw, 'the proxy just died'));
      const second = await expectClearError(gw, 'nothing is left');
      if (staticDown) {
        // The static proxy is still the way out (it is never unbound), and it fails.
        unreachable(second);
      } else {
        // Once the pool knows, the error says why.
        assert.equal(second.status, 503, second.message);
        assert.equal(second.code, 'no_healthy_proxy', JSON.stringify(second.error));
        assert.match(second.error.message, /no healthy proxy/i, second.error.message);
      }
      assert.deepEqual(await simRequests(sim, sso, killedAt), [], 'nothing reached grok.com directly');
      const failed = (await callRecords(gw)).filter((r) => !r.success);
      assert.equal(failed.length, 2, JSON.stringify(failed));
      if (staticDown) for (const r of failed.slice(-1)) assert.equal(portOf(r.proxy_used), proxies[1].port, JSON.stringify(r));
    } finally {
      assert.deepEqual(await stack.stop(), []);
    }
  });
}

test('all proxies down, no static proxy, allow_direct = true: requests go direct', async () => {
  const sso = 'pp-direct-0001';
  const stack = await startPoolStack({
    ssos: [sso],
    proxies: [{ kind: 'tinyproxy', bind: '127.0.0.15' }],
    grok: ([pool]) => ({ proxy_urls: [pool.url], allow_direct: true, proxy_max_failures: 1, proxy_health_interval: 0 }),
  });
  const { sim, gw, client, proxies } = stack;
  try {
    await ask(client, 'through the pool');
    assert.equal(await onlyPeer(sim, sso), proxies[0].bind);
    assert.equal((await proxiesState(gw)).allow_direct, true);
    await proxies[0].kill();
    const killedAt = await lastSeq(sim);
    const before = (await callRecords(gw)).length;
    for (let i = 0; i < 2; i++) assert.match((await ask(client, `direct ${i}`)).choices[0].message.content, /You said: direct/);
    assert.equal(await onlyPeer(sim, sso, killedAt), '127.0.0.1');
    const after = (await callRecords(gw)).slice(before);
    assert.equal(after.length, 2);
    for (const r of after) assert.equal(r.proxy_used, '', JSON.stringify(r));
  } finally {
    assert.deepEqual(await stack.stop(), []);
  }
});

// --- credentials ---------------------------------------------------------------------

test('credentials: proxies that need them work, and no password appears in /api/proxies, the call logs or the gateway log', async () => {
  const ssos = ['pp-cred-a-0001', 'pp-cred-b-0002'];
  const secrets = ['tp-Secret-pass-1', 'ms-Secret-pass-2', 'st-Secret-pass-3'];
  const stack = await startPoolStack({
    ssos,
    proxies: [
      { kind: 'tinyproxy', bind: '127.0.0.18', user: 'tpuser', password: secrets[0] },
      { kind: 'microsocks', bind: '127.0.0.19', user: 'msuser', password: secrets[1] },
      { kind: 'microsocks', bind: '127.0.0.20', user: 'stuser', password: secrets[2] }, // static
    ],
    grok: ([tp, ms, st]) => ({ proxy_urls: [tp.url, ms.url], proxy_url: st.url, allow_direct: false, proxy_health_interval: 0 }),
  });
  const { sim, gw, proxies } = stack;
  const [tp, ms, st] = proxies;
  try {
    await askUntilUsed(stack, ssos);
    const peers = new Set();
    for (const sso of ssos) peers.add(await onlyPeer(sim, sso));
    assert.deepEqual([...peers].sort(), [tp.bind, ms.bind].sort(), 'both credentialed proxies served');
    // Through the admin test call as well (it names the proxy by its masked URL).
    const state = await proxiesState(gw);
    const tpEntry = entryOf(state, tp);
    assert.equal(tpEntry.url, `http://tpuser:****@127.0.0.1:${tp.port}`);
    assert.match(entryOf(state, ms).url, new RegExp(`^socks5h?://msuser:\\*\\*\\*\\*@127\\.0\\.0\\.1:${ms.port}$`));
    assert.match(state.static_proxy, new RegExp(`^socks5h?://stuser:\\*\\*\\*\\*@127\\.0\\.0\\.1:${st.port}$`));
    for (const url of Object.values(state.assignments)) assert.match(url, /:\*\*\*\*@/);
    const tested = await gw.admin('POST', '/api/proxies/test', { url: tpEntry.url });
    assert.equal(tested.status, 200, JSON.stringify(tested.body));
    assert.equal(tested.body.success, true, JSON.stringify(tested.body));
    assert.ok(tested.body.status_code > 0, JSON.stringify(tested.body));
    const logs = await callRecords(gw);
    for (const r of logs) assert.match(r.proxy_used, /^(http|socks5h?):\/\/(tp|ms)user:\*\*\*\*@127\.0\.0\.1:\d+$/, JSON.stringify(r));
    const seen = [JSON.stringify(state), JSON.stringify(logs), JSON.stringify(tested.body), JSON.stringify((await gw.admin('GET', '/api/logs')).body), gw.output()];
    for (const secret of secrets) for (const text of seen) assert.equal(text.includes(secret), false, `${secret} leaked`);
  } finally {
    assert.deepEqual(await stack.stop(), []);
  }
});

