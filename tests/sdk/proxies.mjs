// Real proxies for the tests, from Debian packages (scripts/install-deps.sh --test):
// tinyproxy (HTTP, absolute-form and CONNECT) and microsocks (SOCKS5). Each listens on
// 127.0.0.1 and binds its outgoing connections to its own loopback address (127.0.0.N), so
// the simulator sees which proxy a request came through as its peer address. A proxy can
// be stopped (or killed) and started again on the same port, for the recovery cases.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { getThrough } = require('../simulator/lib/proxy_client.js');

const READY_MS = 15000;

// A port that was free a moment ago on 127.0.0.1 (the proxies cannot take port 0 and
// report it). start() retries with another one if it was taken in between.
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolvePort(port));
    });
  });
}

// Resolves once a TCP connection to 127.0.0.1:port succeeds; rejects when exited() says
// the process is gone or after READY_MS. Each refused attempt is retried on the next turn
// of the event loop after the previous one failed: a readiness probe, not a sleep.
function waitForListener(port, exited, what) {
  const end = Date.now() + READY_MS;
  return new Promise((resolveReady, reject) => {
    const attempt = () => {
      const why = exited();
      if (why) return reject(new Error(`${what} exited before listening: ${why}`));
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolveReady();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > end) reject(new Error(`${what} did not listen on ${port} within ${READY_MS} ms`));
        else setImmediate(attempt);
      });
    };
    attempt();
  });
}

const withCredentials = (scheme, port, user, password) =>
  user ? `${scheme}://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}` : `${scheme}://127.0.0.1:${port}`;

// One proxy process. kind: 'tinyproxy' | 'microsocks'; args(port) -> argv (the config is
// written by the caller); url: the proxy URL the gateway is given.
class ProxyProcess {
  constructor({ kind, bind, scheme, user, password, argv, dir }) {
    this.kind = kind;
    this.bind = bind; // the peer address the simulator sees for this proxy
    this.scheme = scheme;
    this.user = user;
    this.password = password;
    this.argv = argv; // (port) -> [binary, ...args]
    this.dir = dir; // a temporary directory for config and logs (removed by close())
    this.port = null;
    this.child = null;
    this.lines = [];
  }

  get url() {
    return withCredentials(this.scheme, this.port, this.user, this.password);
  }

  // The URL without credentials (what a masked listing may show, minus the user).
  get address() {
    return `127.0.0.1:${this.port}`;
  }

  get running() {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  // The last output lines of the process, for failure messages.
  output() {
    return this.lines.slice(-40).join('\n');
  }

  // Starts the process (on its previous port when it had one) and resolves once it
  // listens. probeUrl (optional): a URL fetched through the proxy before resolving, e.g. the
  // simulator's /__sim/peer, whose answer must name this proxy's bind address.
  async start({ probeUrl } = {}) {
    if (this.running) throw new Error(`${this.kind} is already running`);
    const fixed = this.port !== null;
    for (let attempt = 0; ; attempt++) {
      if (!fixed) this.port = await freePort();
      const [bin, ...args] = this.argv(this.port);
      const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      let spawnError = null;
      child.once('error', (e) => {
        spawnError = e;
      });
      const keep = (d) => {
        for (const line of d.toString().split('\n')) if (line) this.lines.push(line);
        if (this.lines.length > 400) this.lines.splice(0, this.lines.length - 200);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      const exited = () => {
        if (spawnError) return `${bin}: ${spawnError.message}`;
        if (child.exitCode !== null || child.signalCode !== null) return `code ${child.exitCode} signal ${child.signalCode}\n${this.output()}`;
        return null;
      };
      try {
        await waitForListener(this.port, exited, `${this.kind} (bind ${this.bind})`);
        break;
      } catch (e) {
        // Another process took the free port in between: try another one.
        if (!fixed && attempt < 3 && /Address already in use|bind/i.test(this.output())) continue;
        if (this.running) await this.stop();
        throw e;
      }
    }
    if (probeUrl) {
      const r = await getThrough({ url: this.url }, probeUrl, { timeoutMs: READY_MS });
      const peer = r.status === 200 ? JSON.parse(r.body).peer : null;
      if (peer !== this.bind) throw new Error(`${this.kind}: a request through it came from ${peer} (HTTP ${r.status}), not ${this.bind}\n${this.output()}`);
    }
    return this;
  }

  // Ends the process (SIGTERM, or the given signal) and resolves once it has exited; its
  // port is kept for start().
  stop(signal = 'SIGTERM') {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolveStop) => {
      child.once('exit', () => resolveStop());
      child.kill(signal);
    });
  }

  // A sudden death, as when a proxy host goes away.
  kill() {
    return this.stop('SIGKILL');
  }

  async close() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// tinyproxy (1.11) on 127.0.0.1, outgoing connections from `bind`. connectPorts: the
// ports CONNECT may tunnel to (the simulator's); user/password: BasicAuth.
export async function startTinyproxy({ bind = '127.0.0.2', connectPorts = [], user, password, probeUrl } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'g2a-tinyproxy-'));
  const conf = join(dir, 'tinyproxy.conf');
  const p = new ProxyProcess({
    kind: 'tinyproxy',
    bind,
    scheme: 'http',
    user,
    password,
    dir,
    argv: (port) => {
      // -d: stay in the foreground (no daemon); the log goes to stdout.
      writeFileSync(
        conf,
        [
          `Port ${port}`,
          'Listen 127.0.0.1',
          `Bind ${bind}`,
          'Timeout 600',
          'MaxClients 200',
          'LogLevel Connect',
          'Allow 127.0.0.1',
          ...connectPorts.map((cp) => `ConnectPort ${cp}`),
          ...(user ? [`BasicAuth ${user} ${password}`] : []),
          '',
        ].join('\n'),
      );
      return ['tinyproxy', '-d', '-c', conf];
    },
  });
  return p.start({ probeUrl });
}

// microsocks on 127.0.0.1, outgoing connections from `bind`; with user/password, SOCKS5
// user/password authentication is required. scheme: 'socks5' or 'socks5h' (the URL given
// to the gateway).
export async function startMicrosocks({ bind = '127.0.0.3', user, password, scheme = 'socks5', probeUrl } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'g2a-microsocks-'));
  const p = new ProxyProcess({
    kind: 'microsocks',
    bind,
    scheme,
    user,
    password,
    dir,
    argv: (port) => ['microsocks', '-i', '127.0.0.1', '-p', String(port), '-b', bind, ...(user ? ['-u', user, '-P', password] : [])],
  });
  return p.start({ probeUrl });
}

// The simulator's ports (grok, assets, accounts), for tinyproxy's ConnectPort lines.
export function simulatorPorts(sim) {
  return [sim.grok, sim.assets, sim.accounts].map((u) => Number(new URL(u).port));
}
