'use strict';
// x-statsig-id per spec §1.4. `verify` is pure (no clock, no state) so unit
// tests can replay the captured vector; replay protection and "older build"
// detection live in the caller (checks.js), which owns the state.
const crypto = require('node:crypto');

const EPOCH = 1682924400; // e = now - EPOCH, as the site's generator does
const MAGIC = 'obfiowerehiring';
const WINDOW_S = 300;
const DECODED_LEN = 70;

function digest(method, pathname, e, fp) {
  return crypto.createHash('sha256').update(`${method}!${pathname}!${e}${MAGIC}${fp}`).digest().subarray(0, 16);
}

// Produces a value exactly like the browser: used by tests and /__sim/sign.
function sign(method, pathname, nowSeconds, build, nonce = crypto.randomInt(0, 256)) {
  const e = (Math.floor(nowSeconds) - EPOCH) >>> 0;
  const plain = Buffer.alloc(DECODED_LEN);
  plain[0] = nonce;
  build.seed.copy(plain, 1);
  plain.writeUInt32LE(e, 49);
  digest(method.toUpperCase(), pathname, e, build.fingerprint).copy(plain, 53);
  plain[69] = 3;
  for (let i = 1; i < DECODED_LEN; i++) plain[i] ^= nonce;
  return plain.toString('base64').replace(/=+$/, '');
}

// Strict base64 (standard alphabet). Padding decodes but is reported, since
// the browser never sends it.
function decodeB64(value) {
  if (typeof value !== 'string' || value.length === 0) return { error: 'empty' };
  const m = /^([A-Za-z0-9+/]*)(=*)$/.exec(value);
  if (!m) return { error: 'not standard base64' };
  const [, body, pad] = m;
  if (pad.length > 2 || (pad.length && (body.length + pad.length) % 4 !== 0)) return { error: 'bad base64 padding' };
  if (body.length % 4 === 1) return { error: 'truncated base64' };
  return { bytes: Buffer.from(body, 'base64'), padded: pad.length > 0 };
}

// Result: {ok:true,e,nonce} or {ok:false, reason, detail, ...}. reason is one of
//  'garbage'  – undecodable / wrong size / wrong trailer (anti-bot)
//  'x1' | 'e_fallback' – the browser's error-text fallbacks
//  'seed'     – seed differs from this build (caller checks older builds)
//  'time'     – timestamp outside ±300 s (anti-bot)
//  'hash'     – h does not match this build's fingerprint (caller checks older builds)
// `padded` is reported on every result so the caller can flag it.
function verify(value, method, pathname, nowSeconds, build) {
  const dec = decodeB64(value);
  if (dec.error) return { ok: false, reason: 'garbage', detail: dec.error, padded: false };
  const { bytes, padded } = dec;
  const text = bytes.toString('latin1');
  if (text.startsWith('x1:')) return { ok: false, reason: 'x1', detail: 'x1: fallback value', padded, text };
  if (text.startsWith('e:')) return { ok: false, reason: 'e_fallback', detail: 'legacy e: fallback value', padded, text };
  if (bytes.length !== DECODED_LEN) {
    return { ok: false, reason: 'garbage', detail: `decodes to ${bytes.length} bytes, want ${DECODED_LEN}`, padded };
  }
  const nonce = bytes[0];
  const plain = Buffer.from(bytes);
  for (let i = 1; i < DECODED_LEN; i++) plain[i] ^= nonce;
  if (plain[69] !== 3) return { ok: false, reason: 'garbage', detail: `last byte 0x${plain[69].toString(16)}, want 0x03`, padded };
  const seed = plain.subarray(1, 49);
  const e = plain.readUInt32LE(49);
  const h = plain.subarray(53, 69);
  const base = { padded, nonce, e, seed: Buffer.from(seed), h: Buffer.from(h) };
  if (!seed.equals(build.seed)) return { ok: false, reason: 'seed', detail: 'seed is not the current build seed', ...base };
  const expectE = Math.floor(nowSeconds) - EPOCH;
  if (Math.abs(e - expectE) > WINDOW_S) {
    return { ok: false, reason: 'time', detail: `timestamp off by ${e - expectE} s`, ...base };
  }
  if (!h.equals(digest(method.toUpperCase(), pathname, e, build.fingerprint))) {
    return { ok: false, reason: 'hash', detail: 'hash does not match method/path/time/fingerprint', ...base };
  }
  return { ok: true, ...base };
}

// True when a decoded value (from verify) was made from `build` — used to tell
// "page out of date" (an older build) from plain garbage.
function matchesBuild(result, method, pathname, build) {
  if (!result.seed) return false;
  if (result.seed.equals(build.seed)) return true;
  return result.h.equals(digest(method.toUpperCase(), pathname, result.e, build.fingerprint));
}

module.exports = { sign, verify, matchesBuild, decodeB64, EPOCH, WINDOW_S, DECODED_LEN };
