'use strict';
// accounts.x.ai SetTosAcceptedVersion (spec §2.11): the exact gRPC-web body and
// headers, no Cloudflare cookies and no statsig, the grpc-web status in the
// trailer frame (or trailers-only on errors), faults through `account_prep`.
const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../test_support/helpers');
const grpc = require('../lib/grpc');

let sim;
const SSO = 'sso-tos-token-0001';
const PATH = '/auth_mgmt.AuthManagement/SetTosAcceptedVersion';
const BODY = Buffer.from([0, 0, 0, 0, 2, 0x10, 0x01]);

test.before(async () => {
  sim = await h.startSim();
  await h.control(sim, 'POST', '/accounts', { sso: SSO, tier: 'basic' });
});
test.after(async () => {
  await sim.stop();
  assert.doesNotMatch(sim.stderr(), /internal error/);
});

function tosHeaders(sso, extra = {}) {
  return {
    accept: '*/*',
    'accept-language': 'en-US,en;q=0.9',
    'user-agent': h.UA,
    'content-type': 'application/grpc-web+proto',
    'x-grpc-web': '1',
    'x-user-agent': 'connect-es/2.1.1',
    cookie: `sso=${sso}; sso-rw=${sso}`,
    origin: 'https://accounts.x.ai',
    referer: 'https://accounts.x.ai/accept-tos',
    'sec-fetch-dest': 'empty',
    'sec-fetch-mode': 'cors',
    'sec-fetch-site': 'same-origin',
    ...extra,
  };
}
const tos = (headers, body = BODY, path = PATH) => h.request(`${sim.accounts}${path}`, { method: 'POST', headers, body });
const account = async (sso) => (await h.control(sim, 'GET', '/accounts')).find((a) => a.sso === sso);
const violations = () => h.control(sim, 'GET', '/violations');

test('the start-up line names the accounts host', () => {
  assert.match(sim.accounts, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(sim.accounts, sim.grok);
  assert.notEqual(sim.accounts, sim.assets);
});

test('a correct call accepts the terms; the status is in the trailer frame', async () => {
  assert.equal((await account(SSO)).xai_tos_version, null);
  const r = await tos(tosHeaders(SSO));
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/grpc-web+proto');
  assert.equal(r.headers['grpc-status'], undefined);
  const frames = grpc.parseFrames(r.buf);
  assert.equal(frames.length, 2);
  assert.deepEqual([frames[0].flag, frames[0].payload.length], [0, 0]);
  assert.equal(frames[1].flag, 0x80);
  assert.match(frames[1].payload.toString(), /^grpc-status:0\r\n/);
  assert.equal((await account(SSO)).xai_tos_version, 1);
  const log = await h.control(sim, 'GET', `/requests?sso=${SSO}`);
  assert.deepEqual(log.map((e) => [e.host, e.kind, e.path]), [['accounts', 'grpc_tos', PATH]]);
  assert.deepEqual(await violations(), []);
});

test('protocol mistakes are violations', async () => {
  const cases = [
    [{ cookie: `sso=${SSO}; sso-rw=${SSO}; cf_clearance=abc` }, /Cloudflare cookie cf_clearance/],
    [{ cookie: `sso=${SSO}; sso-rw=${SSO}; __cf_bm=x` }, /Cloudflare cookie __cf_bm/],
    [{ 'x-statsig-id': 'abc' }, /x-statsig-id must not be sent/],
    [{ origin: 'https://grok.com' }, /Origin "https:\/\/grok.com" \(want https:\/\/accounts.x.ai\)/],
    [{ referer: 'https://grok.com/' }, /Referer .*want https:\/\/accounts.x.ai\/accept-tos/],
    [{ 'x-user-agent': 'grpc-web-javascript/0.1' }, /x-user-agent .*connect-es\/2.1.1/],
    [{ 'x-grpc-web': undefined }, /x-grpc-web: 1/],
    [{ 'content-type': 'application/json' }, /Content-Type/],
    [{ 'x-xai-request-id': '6b9d8c1e-4f3a-4b2c-9d1e-0a1b2c3d4e5f' }, /x-xai-request-id must not be sent/],
    [{ cookie: `sso=${SSO}` }, /sso-rw/],
  ];
  for (const [extra, want] of cases) {
    const headers = tosHeaders(SSO, extra);
    for (const k of Object.keys(headers)) if (headers[k] === undefined) delete headers[k];
    await h.control(sim, 'POST', '/reset', {});
    const r = await tos(headers);
    assert.equal(r.status, 400, JSON.stringify(extra));
    assert.match(r.json.sim_violation, want);
    assert.match((await violations())[0].violation, want);
  }
  for (const body of [Buffer.from([0, 0, 0, 0, 2, 0x10, 0x02]), Buffer.from([0, 0, 0, 0, 0]), Buffer.from([0x10, 0x01])]) {
    await h.control(sim, 'POST', '/reset', {});
    const r = await tos(tosHeaders(SSO), body);
    assert.equal(r.status, 400);
    assert.match(r.json.sim_violation, /not 00000000021001/);
  }
  await h.control(sim, 'POST', '/reset', {});
  const r = await tos(tosHeaders(SSO), BODY, '/auth_mgmt.AuthManagement/Other');
  assert.equal(r.status, 400);
  assert.match((await violations())[0].violation, /unknown accounts.x.ai endpoint/);
  await h.control(sim, 'POST', '/reset', {});
});

test('faults through account_prep, unknown and blocked accounts', async () => {
  const sso = 'sso-tos-token-0002';
  await h.control(sim, 'POST', '/accounts', { sso, tier: 'super' });
  await h.control(sim, 'POST', '/script', { sso, call: 'account_prep', fault: 'error_event' });
  let r = await tos(tosHeaders(sso));
  assert.equal(r.status, 200);
  assert.equal(r.headers['grpc-status'], '13');
  assert.equal(r.buf.length, 0);
  assert.equal((await account(sso)).xai_tos_version, null);

  await h.control(sim, 'POST', '/script', { sso, call: 'account_prep', fault: 'usage_limit' });
  r = await tos(tosHeaders(sso));
  assert.equal(r.headers['grpc-status'], '8');

  await h.control(sim, 'POST', '/script', { sso, call: 'account_prep', fault: '401' });
  r = await tos(tosHeaders(sso));
  assert.equal(r.status, 401);

  r = await tos(tosHeaders(sso));
  assert.equal(r.status, 200);
  assert.equal((await account(sso)).xai_tos_version, 1);

  r = await tos(tosHeaders('sso-tos-nobody'));
  assert.equal(r.status, 401);
  await h.control(sim, 'POST', '/accounts', { sso: 'sso-tos-blocked', status: 'blocked' });
  r = await tos(tosHeaders('sso-tos-blocked'));
  assert.equal(r.status, 403);
  assert.match(r.json.message, /blocked/);
  assert.deepEqual(await violations(), []);
});

test('grok.com Cloudflare clearance is not asked for on accounts.x.ai', async () => {
  const sso = 'sso-tos-token-0003';
  await h.control(sim, 'POST', '/accounts', { sso });
  await h.control(sim, 'POST', '/cloudflare', { required: true });
  try {
    const r = await tos(tosHeaders(sso));
    assert.equal(r.status, 200);
    assert.equal((await account(sso)).xai_tos_version, 1);
  } finally {
    await h.control(sim, 'POST', '/cloudflare', { required: false });
  }
  assert.deepEqual(await violations(), []);
});
