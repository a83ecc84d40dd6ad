'use strict';
// WebSocket handshakes on the grok.com host (/ws/mgw/, /ws/imagine/listen):
// the same gate as HTTP calls, a non-101 reply on rejection (spec §2.1:
// "a non-101 reply is surfaced as the HTTP status/body"), then the handler.
const { WebSocketServer } = require('ws');
const { gate } = require('./checks');
const { rejectUpgrade, decisionReply } = require('./respond');
const { sleep } = require('./util');
const { handleMgw } = require('./mgw');
const { handleImagine } = require('./imagine');

const ROUTES = {
  '/ws/mgw/': { kind: 'mgw', handler: handleMgw, maxPayload: 16 * 1024 * 1024 },
  '/ws/mgw': { kind: 'mgw', handler: handleMgw, maxPayload: 16 * 1024 * 1024 },
  '/ws/imagine/listen': { kind: 'imagine', handler: handleImagine, maxPayload: 64 * 1024 * 1024 },
};

function makeUpgradeHandler(sim, openSockets) {
  const servers = new Map();
  const wssFor = (r) => {
    if (!servers.has(r.kind)) servers.set(r.kind, new WebSocketServer({ noServer: true, perMessageDeflate: true, maxPayload: r.maxPayload }));
    return servers.get(r.kind);
  };

  return async function onUpgrade(req, socket, head, { target, rec }) {
    socket.on('error', () => {});
    const r = ROUTES[target.pathname];
    if (!r) {
      rec.kind = 'unknown';
      rec.status = 404;
      return rejectUpgrade(socket, 404, 'Not Found', { 'content-type': 'text/plain' });
    }
    rec.kind = r.kind;
    const d = gate(sim, { req, kind: r.kind, method: 'GET', pathname: target.pathname, target, rec });
    if (d.action !== 'ok') {
      const reply = decisionReply(r.kind, d);
      rec.status = reply.status;
      return rejectUpgrade(socket, reply.status, reply.body, reply.headers);
    }
    // slow_first_byte on a WebSocket delays the 101 itself.
    if (d.fault && d.fault.fault === 'slow_first_byte') await sleep(d.fault.delay_ms);
    if (socket.destroyed) return;
    wssFor(r).handleUpgrade(req, socket, head, (ws) => {
      rec.status = 101;
      openSockets.add(ws);
      ws.on('close', () => openSockets.delete(ws));
      ws.on('error', () => {});
      r.handler(sim, ws, { account: d.account, fault: d.fault, rec, target });
    });
  };
}

module.exports = { makeUpgradeHandler };
