'use strict';
// A small client that makes one plain-HTTP request through a proxy, the way the
// FlareSolverr stand-in's browser would: http:// proxies get an absolute-form
// request (what Chrome sends for http:// targets), socks5:// and socks5h://
// proxies a SOCKS5 handshake (RFC 1928, user/password per RFC 1929) and then
// the request over the tunnel. No dependencies beyond Node.
const http = require('node:http');
const net = require('node:net');

class ProxyError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code; // a Chrome net:: error name, as FlareSolverr reports them
  }
}

// {url, username?, password?} (FlareSolverr's shape; credentials in the URL
// are accepted too) -> {scheme, host, port, username, password}.
function parseProxy(proxy) {
  if (!proxy || typeof proxy.url !== 'string') throw new ProxyError('ERR_INVALID_ARGUMENT', "proxy must be an object with a 'url'");
  let u;
  try {
    u = new URL(proxy.url);
  } catch {
    throw new ProxyError('ERR_INVALID_ARGUMENT', `proxy url '${proxy.url}' is not a URL`);
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (!['http', 'socks5', 'socks5h'].includes(scheme)) throw new ProxyError('ERR_NO_SUPPORTED_PROXIES', `proxy scheme '${scheme}' is not supported here (http, socks5, socks5h)`);
  const defaultPort = scheme === 'http' ? 80 : 1080;
  return {
    scheme,
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || defaultPort),
    username: proxy.username !== undefined ? String(proxy.username) : decodeURIComponent(u.username),
    password: proxy.password !== undefined ? String(proxy.password) : decodeURIComponent(u.password),
  };
}

// Reads exactly n bytes from a socket in paused mode.
function readExactly(socket, n) {
  return new Promise((resolve, reject) => {
    const tryRead = () => {
      const chunk = socket.read(n);
      if (chunk !== null) {
        cleanup();
        resolve(chunk);
      }
    };
    const onEnd = () => {
      cleanup();
      reject(new ProxyError('ERR_SOCKS_CONNECTION_FAILED', 'the SOCKS proxy closed the connection during the handshake'));
    };
    const onError = (e) => {
      cleanup();
      reject(new ProxyError('ERR_PROXY_CONNECTION_FAILED', e.message));
    };
    const cleanup = () => {
      socket.off('readable', tryRead);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
    };
    socket.on('readable', tryRead);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
    tryRead();
  });
}

function connectTcp(host, port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', (e) => reject(new ProxyError('ERR_PROXY_CONNECTION_FAILED', `cannot connect to the proxy ${host}:${port}: ${e.code || e.message}`)));
  });
}

const SOCKS_REPLIES = ['succeeded', 'general failure', 'not allowed by ruleset', 'network unreachable', 'host unreachable', 'connection refused', 'TTL expired', 'command not supported', 'address type not supported'];

// A socket tunnelled to target {host, port} through a SOCKS5 proxy.
async function socks5Tunnel(p, target) {
  const s = await connectTcp(p.host, p.port);
  try {
    s.pause();
    const withAuth = p.username !== '' || p.password !== '';
    s.write(Buffer.from(withAuth ? [5, 2, 0, 2] : [5, 1, 0]));
    const [ver, method] = await readExactly(s, 2);
    if (ver !== 5) throw new ProxyError('ERR_SOCKS_CONNECTION_FAILED', `not a SOCKS5 proxy (version byte ${ver})`);
    if (method === 2) {
      if (!withAuth) throw new ProxyError('ERR_SOCKS_CONNECTION_FAILED', 'the SOCKS proxy wants a user name and password');
      const user = Buffer.from(p.username);
      const pass = Buffer.from(p.password);
      s.write(Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([pass.length]), pass]));
      const [, status] = await readExactly(s, 2);
      if (status !== 0) throw new ProxyError('ERR_SOCKS_CONNECTION_FAILED', 'the SOCKS proxy refused the user name and password');
    } else if (method !== 0) {
      throw new ProxyError('ERR_SOCKS_CONNECTION_FAILED', 'the SOCKS proxy accepts none of the offered authentication methods');
    }
    // socks5h: the proxy resolves the name; socks5: we send an address.
    const portBytes = Buffer.from([target.port >> 8, target.port & 255]);
    let addr;
    if (p.scheme === 'socks5' && net.isIPv4(target.host)) addr = Buffer.from([1, ...target.host.split('.').map(Number)]);
    else {
      const name = Buffer.from(target.host);
      addr = Buffer.concat([Buffer.from([3, name.length]), name]);
    }
    s.write(Buffer.concat([Buffer.from([5, 1, 0]), addr, portBytes]));
    const head = await readExactly(s, 4);
    if (head[1] !== 0) throw new ProxyError('ERR_SOCKS_CONNECTION_FAILED', `SOCKS CONNECT failed: ${SOCKS_REPLIES[head[1]] || `reply ${head[1]}`}`);
    const rest = head[3] === 1 ? 4 : head[3] === 4 ? 16 : (await readExactly(s, 1))[0];
    await readExactly(s, rest + 2);
    s.resume();
    return s;
  } catch (e) {
    s.destroy();
    throw e;
  }
}

// GET targetUrl (http://host:port/path) through proxy; resolves {status, headers, body}.
async function getThrough(proxy, targetUrl, { timeoutMs = 60000 } = {}) {
  const p = parseProxy(proxy);
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 80);
  const headers = { host: target.host, 'user-agent': 'flaresolverr-stand-in', connection: 'close' };
  let options;
  if (p.scheme === 'http') {
    if (p.username !== '' || p.password !== '') headers['proxy-authorization'] = `Basic ${Buffer.from(`${p.username}:${p.password}`).toString('base64')}`;
    options = { host: p.host, port: p.port, path: target.href, agent: false };
  } else {
    const socket = await socks5Tunnel(p, { host: target.hostname, port: targetPort });
    // No agent: an agent would open its own connection instead.
    options = { path: `${target.pathname}${target.search}`, createConnection: () => socket };
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ ...options, method: 'GET', headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => reject(new ProxyError('ERR_CONNECTION_RESET', e.message)));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new ProxyError('ERR_TIMED_OUT', `no answer through the proxy within ${timeoutMs} ms`)));
    req.on('error', (e) => reject(e instanceof ProxyError ? e : new ProxyError('ERR_PROXY_CONNECTION_FAILED', e.message)));
    req.end();
  });
}

module.exports = { getThrough, parseProxy, ProxyError };
