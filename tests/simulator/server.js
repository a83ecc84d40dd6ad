#!/usr/bin/env node
'use strict';
// Entry point: starts the grok.com, assets.grok.com and accounts.x.ai
// simulators and prints one JSON line with their URLs once all listen. See README.md.
const http = require('node:http');
const { Sim } = require('./lib/sim');
const { parseTarget, parseCookies, peerAddress } = require('./lib/util');
const { handleGrok } = require('./lib/grok_http');
const { handleAssets } = require('./lib/assets');
const { handleAccountsHost } = require('./lib/xai_accounts');
const { handleControl } = require('./lib/control');
const { makeUpgradeHandler } = require('./lib/ws_upgrade');
const { rejectUpgrade } = require('./lib/respond');

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: 0, assetsPort: 0, accountsPort: 0, seedBuild: 'vector', quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--host') opts.host = next();
    else if (a === '--port') opts.port = Number(next());
    else if (a === '--assets-port') opts.assetsPort = Number(next());
    else if (a === '--accounts-port') opts.accountsPort = Number(next());
    else if (a === '--seed-build') opts.seedBuild = next();
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node server.js [--host 127.0.0.1] [--port 0] [--assets-port 0] [--accounts-port 0] [--seed-build vector|random] [--quiet]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!['vector', 'random'].includes(opts.seedBuild)) throw new Error('--seed-build must be vector or random');
  for (const p of [opts.port, opts.assetsPort, opts.accountsPort]) if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error('ports must be integers 0..65535');
  return opts;
}

// HTTP proxies either forward absolute-form targets or add Via; CONNECT
// tunnels (and SOCKS) are invisible at this end.
function viaProxy(req, target) {
  if (target.absolute) return 'absolute-form';
  if (req.headers.via) return 'via-header';
  return null;
}

function startRecord(sim, host, req, target) {
  const cookies = parseCookies(req.headers.cookie);
  const rec = sim.logRequest({
    host,
    method: req.method,
    path: target.pathname,
    kind: null,
    sso: cookies.map.get('sso'),
    ua: req.headers['user-agent'],
    peer: peerAddress(req.socket),
    viaProxy: viaProxy(req, target),
  });
  return rec;
}

function createServers(sim, { quiet }) {
  const log = (rec) => {
    if (!quiet) process.stderr.write(`[sim] ${rec.host} ${rec.method} ${rec.path} kind=${rec.kind} status=${rec.status}${rec.statsig ? ` statsig=${rec.statsig}` : ''}${rec.fault ? ` fault=${rec.fault}` : ''}\n`);
  };
  const wrap = (host, handler) => (req, res) => {
    req.sim = sim;
    const target = parseTarget(req.url);
    if (host === 'grok' && target.pathname.startsWith('/__sim')) {
      handleControl(sim, req, res, target).catch((e) => internal(res, e));
      return;
    }
    const rec = startRecord(sim, host, req, target);
    res.on('close', () => {
      rec.status = res.headersSent ? res.statusCode : 'aborted';
      log(rec);
    });
    handler(sim, req, res, { target, rec }).catch((e) => internal(res, e));
  };
  const internal = (res, e) => {
    process.stderr.write(`[sim] internal error: ${e.stack || e}\n`);
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sim_error: String(e.message || e) }));
    } else res.destroy();
  };

  const grok = http.createServer(wrap('grok', handleGrok));
  const assets = http.createServer(wrap('assets', handleAssets));
  const accounts = http.createServer(wrap('accounts', handleAccountsHost));
  const openSockets = new Set();
  const onUpgrade = makeUpgradeHandler(sim, openSockets);
  grok.on('upgrade', (req, socket, head) => {
    req.sim = sim;
    const target = parseTarget(req.url);
    const rec = startRecord(sim, 'grok', req, target);
    socket.once('close', () => log(rec));
    onUpgrade(req, socket, head, { target, rec }).catch((e) => {
      process.stderr.write(`[sim] upgrade error: ${e.stack || e}\n`);
      rejectUpgrade(socket, 500, JSON.stringify({ sim_error: String(e.message || e) }), { 'content-type': 'application/json' });
    });
  });
  for (const s of [assets, accounts]) s.on('upgrade', (req, socket) => rejectUpgrade(socket, 404, 'Not Found'));
  for (const s of [grok, assets, accounts]) {
    s.keepAliveTimeout = 30000;
    s.headersTimeout = 60000;
    s.requestTimeout = 0; // long uploads and streams are fine
  }
  return { grok, assets, accounts, openSockets };
}

function listen(server, host, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address().port));
  });
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`server.js: ${e.message}\n`);
    process.exit(2);
  }
  const sim = new Sim({ seedBuild: opts.seedBuild });
  const { grok, assets, accounts, openSockets } = createServers(sim, opts);
  const grokPort = await listen(grok, opts.host, opts.port);
  const assetsPort = await listen(assets, opts.host, opts.assetsPort);
  const accountsPort = await listen(accounts, opts.host, opts.accountsPort);
  const shown = opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  sim.urls = { grok: `http://${shown}:${grokPort}`, assets: `http://${shown}:${assetsPort}`, accounts: `http://${shown}:${accountsPort}` };
  process.stdout.write(`${JSON.stringify({ ...sim.urls, control: `${sim.urls.grok}/__sim` })}\n`);
  process.stderr.write(`[sim] build ${sim.build.id} (${sim.build.source}), fingerprint ${sim.build.fingerprint}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const ws of openSockets) ws.terminate();
    for (const s of [grok, assets, accounts]) {
      s.close();
      s.closeAllConnections();
    }
    setTimeout(() => process.exit(0), 200).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) main();

module.exports = { createServers, parseArgs };
