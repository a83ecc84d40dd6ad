'use strict';
// Cloudflare clearance: when required, every grok.com/assets call needs a
// cf_clearance cookie that this simulator issued, still valid, and bound to
// the exact User-Agent and the IP address it was issued for (spec §1.2; the
// real one also binds the TLS fingerprint). Clearance is obtained through a
// FlareSolverr-compatible endpoint, as gateways do in production; given a
// proxy, the stand-in solves through it and binds the clearance to the
// address that proxy presents.
const { randomHex, maskSso } = require('./util');
const { getThrough } = require('./proxy_client');

const DIRECT_IP = '127.0.0.1'; // where a solve without a proxy comes from
const MAX_SOLVE_LOG = 200;

const DEFAULT_SOLVER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';

class Cloudflare {
  constructor() {
    this.required = false;
    this.ttlSeconds = 1800;
    this.solverUserAgent = DEFAULT_SOLVER_UA;
    this.clearances = new Map(); // value -> {ua, ip, expires}
    this.solveCount = 0;
    this.solveLog = []; // {peer, user_agent, proxy (credentials masked) | null}
  }

  configure(spec) {
    if (spec.required !== undefined) this.required = !!spec.required;
    if (spec.ttl_s !== undefined) this.ttlSeconds = Number(spec.ttl_s);
    if (spec.solver_user_agent) this.solverUserAgent = String(spec.solver_user_agent);
    if (spec.revoke_all) this.clearances.clear();
  }

  // A clearance for a browser with User-Agent ua at address ip.
  issue(ua, ip = DIRECT_IP) {
    // Real values look like "<43 chars>-<epoch>-1.2.1.1-<long base64ish>".
    const now = Math.floor(Date.now() / 1000);
    const value = `${randomHex(21)}-${now}-1.2.1.1-${randomHex(48)}`;
    this.clearances.set(value, { ua, ip, expires: Date.now() + this.ttlSeconds * 1000 });
    return { value, expires: now + this.ttlSeconds, ip };
  }

  // 'ok' | 'missing' | 'unknown' | 'expired' | 'ip_mismatch' | 'ua_mismatch'
  check(value, ua, ip = DIRECT_IP) {
    if (!value) return 'missing';
    const c = this.clearances.get(value);
    if (!c) return 'unknown';
    if (c.expires < Date.now()) return 'expired';
    if (c.ip !== ip) return 'ip_mismatch';
    return c.ua === ua ? 'ok' : 'ua_mismatch';
  }

  validFor(value, ua, ip = DIRECT_IP) {
    return this.check(value, ua, ip) === 'ok';
  }

  reset() {
    this.required = false;
    this.ttlSeconds = 1800;
    this.solverUserAgent = DEFAULT_SOLVER_UA;
    this.clearances.clear();
    this.solveLog = [];
  }

  describe() {
    return {
      required: this.required,
      ttl_s: this.ttlSeconds,
      solver_user_agent: this.solverUserAgent,
      active_clearances: this.clearances.size,
      solves: this.solveCount,
      solved: this.solveLog,
    };
  }

  // FlareSolverr v1 API subset: request.get/request.post solve the challenge
  // and return the browser's UA + cookies; sessions.* are accepted as no-ops.
  // With `proxy` ({url, username?, password?}) the solve goes through that
  // proxy to selfUrl (this simulator's grok port, GET /__sim/peer), and the
  // clearance is bound to the address the simulator saw. Errors answer as
  // FlareSolverr does: HTTP 500 with status "error".
  // Resolves {status: HTTP status, body}.
  async flaresolverr(body, { selfUrl } = {}) {
    const start = Date.now();
    const base = { startTimestamp: start, version: '3.3.21' };
    const answer = (b) => ({ status: 200, body: { ...b, ...base, endTimestamp: Date.now() } });
    const error = (message) => ({ status: 500, body: { status: 'error', message: `Error: ${message}`, ...base, endTimestamp: Date.now() } });
    const cmd = body && body.cmd;
    if (cmd === 'sessions.create') return answer({ status: 'ok', message: 'Session created successfully.', session: body.session || randomHex(8) });
    if (cmd === 'sessions.list') return answer({ status: 'ok', message: '', sessions: [] });
    if (cmd === 'sessions.destroy') return answer({ status: 'ok', message: 'The session has been removed.' });
    if (cmd !== 'request.get' && cmd !== 'request.post') return error(`Request parameter 'cmd' = '${cmd}' is invalid.`);
    if (!body.url || !/^https?:\/\//.test(body.url)) return error(`Request parameter 'url' is mandatory in '${cmd}' command.`);
    let peer = DIRECT_IP;
    if (body.proxy !== undefined && body.proxy !== null) {
      try {
        const r = await getThrough(body.proxy, `${selfUrl}/__sim/peer`, { timeoutMs: Number(body.maxTimeout) || 60000 });
        // tinyproxy answers a BasicAuth failure with 401, RFC 7235 proxies with 407.
        if (r.status === 407 || r.status === 401) return error(`Error solving the challenge. Message: unknown error: net::ERR_PROXY_AUTH_REQUESTED (HTTP ${r.status} from the proxy)`);
        if (r.status !== 200) return error(`Error solving the challenge. Message: unknown error: net::ERR_TUNNEL_CONNECTION_FAILED (HTTP ${r.status} from the proxy)`);
        peer = JSON.parse(r.body).peer;
      } catch (e) {
        return error(`Error solving the challenge. Message: unknown error: net::${e.code || 'ERR_PROXY_CONNECTION_FAILED'} (${e.message})`);
      }
    }
    const ua = body.userAgent || this.solverUserAgent;
    const { value, expires } = this.issue(ua, peer);
    this.solveCount += 1;
    this.solveLog.push({ peer, user_agent: ua, proxy: body.proxy ? maskProxy(body.proxy) : null });
    if (this.solveLog.length > MAX_SOLVE_LOG) this.solveLog.shift();
    const domain = '.grok.com';
    const cookies = [
      { name: 'cf_clearance', value, domain, path: '/', expires, size: value.length + 12, httpOnly: true, secure: true, session: false, sameSite: 'None' },
      { name: '__cf_bm', value: randomHex(32), domain, path: '/', expires: Math.floor(Date.now() / 1000) + 1800, size: 72, httpOnly: true, secure: true, session: false, sameSite: 'None' },
    ];
    return answer({
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
    });
  }
}

// The proxy of a solve as the control API shows it: no password, a masked user.
function maskProxy(proxy) {
  try {
    const u = new URL(String(proxy.url));
    const user = proxy.username !== undefined ? String(proxy.username) : decodeURIComponent(u.username);
    u.username = '';
    u.password = '';
    const shown = u.href.replace(/\/$/, '');
    return user ? shown.replace('://', `://${maskSso(user)}:***@`) : shown;
  } catch {
    return '(invalid)';
  }
}

module.exports = { Cloudflare, DEFAULT_SOLVER_UA, DIRECT_IP };
