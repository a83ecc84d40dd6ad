'use strict';
// Plays a prepared NDJSON stream (REST chat, image edit, video) or a plain
// JSON answer, applying the stream faults a test scripted for this call:
// slow first byte, error line, usage limit, stall (bytes then silence), reset.
const { openStream, sendJson, ERR } = require('./respond');
const { sleep } = require('./util');

const NDJSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

// lines: array of objects. opts.errorLine / opts.usageLine: objects replacing the
// rest of the stream for the error_event / usage_limit faults; opts.keep: how
// many leading lines (e.g. the conversation line) precede an injected error;
// opts.cut: how many lines precede an injected error, stall or reset (default
// about half); opts.afterLine(line): awaited after each line went out (a video
// stream held by a test waits there).
// Resolves with how the stream ended: 'ended', 'closed' (the client went away before
// every line was written),
// 'error' (error line injected), 'usage_limit', 'stalled' or 'reset'.
async function playNdjson(ctx, lines, opts = {}) {
  const { req, res, sim, fault } = ctx;
  const f = fault ? fault.fault : null;
  if (f === 'slow_first_byte' || f === 'slow_first_event') await sleep(fault.delay_ms);
  if (res.destroyed) return 'closed';
  const out = openStream(req, res, 200, NDJSON_HEADERS);
  const ms = Number(opts.delayMs !== undefined ? opts.delayMs : sim.config.chunk_delay_ms) || 0;
  const delay = () => sleep(ms);
  const keep = Math.min(opts.keep === undefined ? 1 : opts.keep, lines.length);
  const cut = opts.cut !== undefined ? opts.cut : Math.max(keep, Math.min(lines.length - 1, Math.ceil(lines.length / 2)));
  let toSend = lines;
  if (f === 'error_event') toSend = [...lines.slice(0, cut), opts.errorLine || { result: { response: { error: { code: 13, message: 'Internal error' } } } }];
  if (f === 'usage_limit') toSend = [...lines.slice(0, keep), opts.usageLine || usageLine()];
  for (let i = 0; i < toSend.length; i++) {
    if ((f === 'stall' || f === 'reset') && i === cut) {
      if (f === 'reset') out.destroy();
      return f === 'reset' ? 'reset' : 'stalled'; // stall: keep the connection open and say nothing more
    }
    if (!(await out.write(`${JSON.stringify(toSend[i])}\n`))) return 'closed';
    if (opts.afterLine) await opts.afterLine(toSend[i]);
    await delay();
  }
  // Every line went out: a client that closes as soon as it has what it needs (the
  // error line, the video URL) still got the whole stream.
  out.end();
  if (f === 'error_event') return 'error';
  return f === 'usage_limit' ? 'usage_limit' : 'ended';
}

const usageLine = () => ({ result: { response: { error: { code: 8, message: ERR.usageLimit } } } });

// A plain JSON answer with the non-stream meaning of each stream fault.
async function answerJson(ctx, status, obj, { onUsageLimit } = {}) {
  const { req, res, fault } = ctx;
  const f = fault ? fault.fault : null;
  if (f === 'slow_first_byte' || f === 'slow_first_event') await sleep(fault.delay_ms);
  if (res.destroyed) return;
  if (f === 'usage_limit') {
    if (onUsageLimit) return sendJson(req, res, 200, onUsageLimit());
    return sendJson(req, res, 429, ERR.tooMany);
  }
  if (f === 'error_event') return sendJson(req, res, 500, ERR.internal);
  if (f === 'stall' || f === 'reset') {
    const body = JSON.stringify(obj);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.write(body.slice(0, Math.max(1, Math.floor(body.length / 2))), () => {
      if (f === 'reset') res.socket.destroy();
    });
    return;
  }
  return sendJson(req, res, status, obj);
}

module.exports = { playNdjson, answerJson, usageLine, NDJSON_HEADERS };
