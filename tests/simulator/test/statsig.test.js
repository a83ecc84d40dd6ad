'use strict';
// The statsig algorithm against the live-captured vector (spec §1.4).
const test = require('node:test');
const assert = require('node:assert/strict');
const { fingerprint, round2 } = require('../lib/fingerprint');
const { sign, verify, matchesBuild } = require('../lib/statsig');
const { vectorBuild, randomBuild, parsePath, loadVector } = require('../lib/build');

const v = loadVector();
const seed = Buffer.from(v.seed, 'base64');
const curves = v.paths.map(parsePath);

test('vector: fingerprint l from seed, paths and indices', () => {
  assert.equal(seed.length, 48);
  assert.equal(fingerprint(seed, curves, v.indices), v.fingerprint);
  assert.equal(fingerprint(seed, curves, v.indices), 'b68f210028f5c28f5c28f60028f5c28f5c28f6100');
});

test('vector: JavaScript toString(16) of fractions', () => {
  assert.equal((0.16).toString(16), '0.28f5c28f5c28f6');
  assert.equal(round2(0.125), 0.13);
});

test('vector: example x-statsig-id is reproduced and verifies', () => {
  const build = vectorBuild();
  const ex = v.example;
  assert.equal(sign(ex.method, ex.path, ex.unix_time, build, ex.nonce), ex.x_statsig_id);
  const r = verify(ex.x_statsig_id, 'POST', '/rest/app-chat/conversations/new', 1787054400, build);
  assert.equal(r.ok, true);
  assert.equal(r.nonce, 0x5a);
  assert.equal(r.e, 1787054400 - 1682924400);
  assert.equal(r.padded, false);
  assert.equal(ex.x_statsig_id.length, 94);
});

test('verify rejects wrong method, path, time window, padding and tampering', () => {
  const build = vectorBuild();
  const ex = v.example;
  const t = ex.unix_time;
  assert.equal(verify(ex.x_statsig_id, 'POST', ex.path, t + 300, build).ok, true);
  assert.equal(verify(ex.x_statsig_id, 'POST', ex.path, t - 300, build).ok, true);
  assert.equal(verify(ex.x_statsig_id, 'POST', ex.path, t + 301, build).reason, 'time');
  assert.equal(verify(ex.x_statsig_id, 'GET', ex.path, t, build).reason, 'hash');
  assert.equal(verify(ex.x_statsig_id, 'POST', '/rest/rate-limits', t, build).reason, 'hash');
  const padded = verify(`${ex.x_statsig_id}==`, 'POST', ex.path, t, build);
  assert.equal(padded.padded, true);
  const bytes = Buffer.from(ex.x_statsig_id, 'base64');
  bytes[60] ^= 1;
  assert.equal(verify(bytes.toString('base64').replace(/=+$/, ''), 'POST', ex.path, t, build).reason, 'hash');
  const trailer = Buffer.from(ex.x_statsig_id, 'base64');
  trailer[69] ^= 1;
  assert.equal(verify(trailer.toString('base64').replace(/=+$/, ''), 'POST', ex.path, t, build).reason, 'garbage');
  assert.equal(verify('not base64!', 'POST', ex.path, t, build).reason, 'garbage');
  assert.equal(verify(Buffer.alloc(69).toString('base64'), 'POST', ex.path, t, build).reason, 'garbage');
  const x1 = Buffer.from("x1:TypeError: Cannot read properties of undefined (reading 'childNodes')").toString('base64');
  assert.equal(verify(x1, 'POST', ex.path, t, build).reason, 'x1');
});

test('random builds: sign/verify round trip; older build detected', () => {
  for (let i = 0; i < 20; i++) {
    const a = randomBuild();
    const b = randomBuild();
    const now = 1790000000 + i;
    const value = sign('POST', '/rest/rate-limits', now, a);
    assert.equal(verify(value, 'POST', '/rest/rate-limits', now, a).ok, true);
    const r = verify(value, 'POST', '/rest/rate-limits', now, b);
    assert.equal(r.ok, false);
    assert.equal(r.reason, 'seed');
    assert.equal(matchesBuild(r, 'POST', '/rest/rate-limits', a), true);
    assert.equal(matchesBuild(r, 'POST', '/rest/rate-limits', b), false);
    assert.equal(new Set(Object.values({ g: a.indices.group, s: a.indices.segment, ...a.indices.time })).size, 5);
  }
});
