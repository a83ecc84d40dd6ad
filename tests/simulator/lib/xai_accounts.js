'use strict';
// accounts.x.ai, the third host: the gRPC-web SetTosAcceptedVersion call that
// accepts the terms of service, the first step of account preparation (spec
// §2.11). It answers as a grpc-web server does: a success is HTTP 200 with an
// empty data frame and the status in the trailer frame; an error is a
// "trailers-only" answer, HTTP 200 with grpc-status / grpc-message in the
// headers and no body.
const { gate } = require('./checks');
const { send, sendViolation, decisionReply } = require('./respond');
const { readBody, sleep } = require('./util');
const grpc = require('./grpc');

const TOS_PATH = '/auth_mgmt.AuthManagement/SetTosAcceptedVersion';
// Frame 00 00 00 00 02 + protobuf 10 01 (field 2 = 1).
const TOS_BODY = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x02, 0x10, 0x01]);
const GRPC_CT = { 'content-type': 'application/grpc-web+proto' };

function trailersOnly(req, res, status, message) {
  send(req, res, 200, Buffer.alloc(0), { ...GRPC_CT, 'grpc-status': String(status), 'grpc-message': encodeURIComponent(message) }, { compress: false });
}

function violation(sim, req, res, rec, text) {
  sim.violation(rec, text);
  return sendViolation(req, res, text);
}

async function handleAccountsHost(sim, req, res, { target, rec }) {
  let body = Buffer.alloc(0);
  if (req.method !== 'GET' && req.method !== 'HEAD') body = await readBody(req);
  if (target.pathname !== TOS_PATH) {
    rec.kind = 'unknown';
    return violation(sim, req, res, rec, `unknown accounts.x.ai endpoint ${req.method} ${target.pathname}`);
  }
  rec.kind = 'grpc_tos';
  if (req.method !== 'POST') return violation(sim, req, res, rec, `${req.method} ${target.pathname} (want POST)`);
  const d = gate(sim, { req, kind: 'grpc_tos', method: req.method, pathname: target.pathname, target, rec });
  if (d.action !== 'ok') {
    const r = decisionReply('grpc_tos', d);
    return send(req, res, r.status, r.body, r.headers);
  }
  if (!body.equals(TOS_BODY)) {
    return violation(sim, req, res, rec, `SetTosAcceptedVersion body ${body.toString('hex')} is not 00000000021001 (frame + {2:1})`);
  }
  const f = d.fault ? d.fault.fault : null;
  if (f === 'slow_first_byte' || f === 'slow_first_event') await sleep(d.fault.delay_ms);
  if (res.destroyed) return;
  if (f === 'usage_limit') return trailersOnly(req, res, 8, 'Too many requests');
  if (f === 'error_event') return trailersOnly(req, res, 13, 'Internal error');
  const answer = grpc.responseBody(Buffer.alloc(0));
  if (f === 'stall' || f === 'reset') {
    res.writeHead(200, { ...GRPC_CT, 'content-length': answer.length });
    res.write(answer.subarray(0, 3), () => {
      if (f === 'reset') res.socket.destroy();
    });
    return;
  }
  d.account.xaiTosVersion = 1;
  return send(req, res, 200, answer, GRPC_CT, { compress: false });
}

module.exports = { handleAccountsHost, TOS_PATH, TOS_BODY };
