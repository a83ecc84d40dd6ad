'use strict';
// Cloudflare clearance: when required, every grok.com/assets call needs a
// cf_clearance cookie that this simulator issued, still valid, and bound to
// the exact User-Agent it was issued for (spec §1.2). Clearance is obtained
// through a FlareSolverr-compatible endpoint, as gateways do in production.
const { randomHex } = require('./util');

const DEFAULT_SOLVER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';

class Cloudflare {
  constructor() {
    this.required = false;
    this.ttlSeconds = 1800;
    this.solverUserAgent = DEFAULT_SOLVER_UA;
    this.clearances = new Map(); // value -> {ua, expires}
    this.solveCount = 0;
  }

  configure(spec) {
    if (spec.required !== undefined) this.required = !!spec.required;
    if (spec.ttl_s !== undefined) this.ttlSeconds = Number(spec.ttl_s);
    if (spec.solver_user_agent) this.solverUserAgent = String(spec.solver_user_agent);
    if (spec.revoke_all) this.clearances.clear();
  }

  issue(ua) {
    // Real values look like "<43 chars>-<epoch>-1.2.1.1-<long base64ish>".
    const now = Math.floor(Date.now() / 1000);
    const value = `${randomHex(21)}-${now}-1.2.1.1-${randomHex(48)}`;
    this.clearances.set(value, { ua, expires: Date.now() + this.ttlSeconds * 1000 });
    return { value, expires: now + this.ttlSeconds };
  }

  // 'ok' | 'missing' | 'unknown' | 'expired' | 'ua_mismatch'
  check(value, ua) {
    if (!value) return 'missing';
    const c = this.clearances.get(value);
    if (!c) return 'unknown';
    if (c.expires < Date.now()) return 'expired';
    return c.ua === ua ? 'ok' : 'ua_mismatch';
  }

  validFor(value, ua) {
    return this.check(value, ua) === 'ok';
  }

  reset() {
    this.required = false;
    this.ttlSeconds = 1800;
    this.solverUserAgent = DEFAULT_SOLVER_UA;
    this.clearances.clear();
  }

  describe() {
    return {
      required: this.required,
      ttl_s: this.ttlSeconds,
      solver_user_agent: this.solverUserAgent,
      active_clearances: this.clearances.size,
      solves: this.solveCount,
    };
  }

  // FlareSolverr v1 API subset: request.get/request.post solve the challenge
  // and return the browser's UA + cookies; sessions.* are accepted as no-ops.
  flaresolverr(body) {
    const start = Date.now();
    const base = { startTimestamp: start, version: '3.3.21' };
    const cmd = body && body.cmd;
    if (cmd === 'sessions.create') return { status: 'ok', message: 'Session created successfully.', session: body.session || randomHex(8), ...base, endTimestamp: Date.now() };
    if (cmd === 'sessions.list') return { status: 'ok', message: '', sessions: [], ...base, endTimestamp: Date.now() };
    if (cmd === 'sessions.destroy') return { status: 'ok', message: 'The session has been removed.', ...base, endTimestamp: Date.now() };
    if (cmd !== 'request.get' && cmd !== 'request.post') {
      return { status: 'error', message: `Request parameter 'cmd' = '${cmd}' is invalid.`, ...base, endTimestamp: Date.now() };
    }
    if (!body.url || !/^https?:\/\//.test(body.url)) {
      return { status: 'error', message: "Request parameter 'url' is mandatory in 'request.get' command.", ...base, endTimestamp: Date.now() };
    }
    const ua = body.userAgent || this.solverUserAgent;
    const { value, expires } = this.issue(ua);
    this.solveCount += 1;
    const domain = '.grok.com';
    const cookies = [
      { name: 'cf_clearance', value, domain, path: '/', expires, size: value.length + 12, httpOnly: true, secure: true, session: false, sameSite: 'None' },
      { name: '__cf_bm', value: randomHex(32), domain, path: '/', expires: Math.floor(Date.now() / 1000) + 1800, size: 72, httpOnly: true, secure: true, session: false, sameSite: 'None' },
    ];
    return {
      status: 'ok',
      message: 'Challenge solved!',
      solution: {
        url: body.url,
        status: 200,
        headers: {},
        response: '<html><head><title>Grok</title></head><body></body></html>',
        cookies,
        userAgent: ua,
      },
      ...base,
      endTimestamp: Date.now(),
    };
  }
}

module.exports = { Cloudflare, DEFAULT_SOLVER_UA };
