'use strict';
// Scripted faults per SSO token (POST /__sim/script): the next N matching
// calls of that token get the fault. "Immediate" faults replace the answer;
// "stream" faults are handed to the call handler, which applies them at the
// right moment of its stream.
const { randomHex } = require('./util');

const CALLS = ['mgw', 'rest_chat', 'image_edit', 'upload', 'imagine', 'video', 'rate_limits', 'quota_info', 'account_prep', 'session', 'assets', 'page', 'any'];
const IMMEDIATE = ['401', 'blocked', 'cloudflare', 'code7', 'page_out_of_date', '429', '500'];
const STREAM = ['usage_limit', 'error_event', 'slow_first_byte', 'slow_first_event', 'stall', 'reset'];
const FAULTS = [...IMMEDIATE, ...STREAM];

class Faults {
  constructor() {
    this.scripts = [];
  }

  add(spec) {
    if (!spec || typeof spec.sso !== 'string') throw new Error('sso (string) is required');
    const call = spec.call || 'any';
    if (!CALLS.includes(call)) throw new Error(`call must be one of ${CALLS.join('|')}`);
    const fault = String(spec.fault);
    if (!FAULTS.includes(fault)) throw new Error(`fault must be one of ${FAULTS.join('|')}`);
    const count = spec.count === undefined ? 1 : Number(spec.count);
    if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
    const delayMs = spec.delay_ms === undefined ? defaultDelay(fault) : Number(spec.delay_ms);
    const entry = { id: randomHex(4), sso: spec.sso, call, fault, count, delay_ms: delayMs, used: 0 };
    // error_event on a video stream: the error line's own code and message.
    if (spec.message !== undefined) entry.message = String(spec.message);
    if (spec.code !== undefined) entry.code = spec.code;
    this.scripts.push(entry);
    return entry;
  }

  // First matching script in insertion order wins; count is consumed here.
  // `which` ('immediate'|'stream') lets the gate take answer-replacing faults
  // up front but stream faults only once the call has passed every check, so
  // a call rejected for other reasons does not use them up.
  take(sso, kind, which) {
    if (!sso) return null;
    const wanted = (s) => !which || (which === 'immediate') === IMMEDIATE.includes(s.fault);
    const idx = this.scripts.findIndex((s) => s.sso === sso && (s.call === kind || s.call === 'any') && s.count > 0 && wanted(s));
    if (idx < 0) return null;
    const s = this.scripts[idx];
    s.count -= 1;
    s.used += 1;
    if (s.count === 0) this.scripts.splice(idx, 1);
    return { fault: s.fault, delay_ms: s.delay_ms, immediate: IMMEDIATE.includes(s.fault), message: s.message, code: s.code };
  }

  list() {
    return this.scripts.map((s) => ({ ...s }));
  }

  clear() {
    this.scripts = [];
  }

  // Removes the pending scripts of sso (every script when sso is null); how many went.
  drop(sso) {
    const before = this.scripts.length;
    this.scripts = sso ? this.scripts.filter((s) => s.sso !== sso) : [];
    return before - this.scripts.length;
  }
}

function defaultDelay(fault) {
  if (fault === 'slow_first_byte' || fault === 'slow_first_event') return 5000;
  return 0;
}

module.exports = { Faults, CALLS, FAULTS, IMMEDIATE, STREAM };
