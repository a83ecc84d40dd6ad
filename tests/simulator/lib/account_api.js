'use strict';
// Identity, quotas and account preparation: GET /api/auth/session (§2.3),
// POST /rest/rate-limits and /rest/media/imagine/quota_info (§2.10),
// set-birth-date / set-tos-accepted / NSFW gRPC (§2.11), credits gRPC (§2.10c).
const { MODES, MEDIA_KEYS } = require('./accounts');
const { answerJson } = require('./streaming');
const { send, sendJson, sendViolation } = require('./respond');
const grpc = require('./grpc');

function fail(ctx, v) {
  for (const t of v) ctx.sim.violation(ctx.rec, t);
  return sendViolation(ctx.req, ctx.res, v.join('; '));
}

async function handleSession(ctx) {
  const a = ctx.account;
  if (!a) return answerJson(ctx, 200, { status: 'unauthenticated' });
  if (a.status === 'blocked') return answerJson(ctx, 200, { status: 'blocked' });
  const expires = new Date(Date.now() + 30 * 86400 * 1000).toISOString();
  return answerJson(ctx, 200, {
    status: 'authenticated',
    session: { userId: a.userId, email: a.email, organizationId: a.organizationId },
    user: { id: a.userId, email: a.email },
    expires,
  });
}

function rateLimitView(q) {
  const out = { windowSizeSeconds: q.window, remainingQueries: q.remaining, totalQueries: q.total, lowEffortRateLimits: null, highEffortRateLimits: null };
  if (q.remaining <= 0 && q.total > 0) out.waitTimeSeconds = Math.floor(q.window / 3);
  return out;
}

async function handleRateLimits(ctx) {
  const body = ctx.json;
  const v = [];
  if (!body || typeof body !== 'object') v.push('rate-limits body must be a JSON object');
  else {
    if (!MODES.includes(body.modelName)) v.push(`rate-limits modelName "${body.modelName}" is not a mode (${MODES.join('|')})`);
    if ('requestKind' in body) v.push('obsolete rate-limits field requestKind (body is {"modelName":"<mode>"})');
  }
  if (v.length) return fail(ctx, v);
  const q = ctx.account.quotas.chat[body.modelName];
  return answerJson(ctx, 200, rateLimitView(q), { onUsageLimit: () => rateLimitView({ ...q, remaining: 0 }) });
}

function quotaInfoView(account) {
  const out = {};
  for (const k of MEDIA_KEYS) {
    const q = account.quotas.media[k];
    if (!q) out[k] = null;
    else {
      out[k] = { available: q.remaining > 0, remainingQueries: q.remaining, windowSizeSeconds: q.window };
      if (q.remaining <= 0) out[k].nextAvailableAt = new Date(Date.now() + q.window * 1000).toISOString().replace('Z', '000000Z');
    }
  }
  return out;
}

async function handleQuotaInfo(ctx) {
  const body = ctx.json;
  if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length) {
    return fail(ctx, ['quota_info body must be exactly {}']);
  }
  return answerJson(ctx, 200, quotaInfoView(ctx.account));
}

const BIRTH = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function handleBirthDate(ctx) {
  const body = ctx.json || {};
  const m = BIRTH.exec(body.birthDate || '');
  if (!m || Number.isNaN(Date.parse(body.birthDate))) return fail(ctx, [`birthDate "${body.birthDate}" is not YYYY-MM-DDTHH:MM:SS.sssZ`]);
  const a = ctx.account;
  if (a.birthDate) {
    return answerJson(ctx, 429, { error: { code: 8, message: 'Birth date can no longer be changed [WKE=account:birth-date-change-limit-reached]', details: [] } });
  }
  const age = (Date.now() - Date.parse(body.birthDate)) / (365.25 * 86400 * 1000);
  if (age < 13 || age > 120) return sendJson(ctx.req, ctx.res, 400, { error: { code: 3, message: 'Invalid birth date', details: [] } });
  a.birthDate = body.birthDate;
  return answerJson(ctx, 200, {});
}

async function handleTos(ctx) {
  const body = ctx.json || {};
  if (!Number.isInteger(body.tosVersion)) return fail(ctx, ['set-tos-accepted body must be {"tosVersion":<int>}']);
  ctx.account.tosVersion = body.tosVersion;
  return answerJson(ctx, 200, {});
}

function grpcReply(ctx, message, status = 0, msg = '') {
  const headers = { 'content-type': 'application/grpc-web+proto', 'grpc-status': String(status), 'grpc-message': encodeURIComponent(msg) };
  return send(ctx.req, ctx.res, 200, grpc.responseBody(message, status, msg), headers, { compress: false });
}

// {1:{2:1}, 2:{1:"always_show_nsfw_content"}} — spec §2.11.
async function handleNsfw(ctx) {
  let ok = false;
  try {
    const frames = grpc.parseFrames(ctx.body);
    if (frames.length === 1 && frames[0].flag === 0) {
      const msg = grpc.decodeMessage(frames[0].payload);
      const f1 = msg.get(1) && grpc.decodeMessage(msg.get(1)[0]);
      const f2 = msg.get(2) && grpc.decodeMessage(msg.get(2)[0]);
      ok = !!(f1 && f1.get(2) && f1.get(2)[0] === 1 && f2 && f2.get(1) && f2.get(1)[0].toString() === 'always_show_nsfw_content');
    }
  } catch (e) {
    return fail(ctx, [`UpdateUserFeatureControls: ${e.message}`]);
  }
  if (!ok) return fail(ctx, ['UpdateUserFeatureControls body is not {1:{2:1},2:{1:"always_show_nsfw_content"}}']);
  if (!ctx.account.birthDate) return grpcReply(ctx, null, 9, 'birth date must be set before enabling NSFW content');
  ctx.account.nsfw = true;
  return grpcReply(ctx, Buffer.alloc(0));
}

async function handleCredits(ctx) {
  let frames;
  try {
    frames = grpc.parseFrames(ctx.body);
  } catch (e) {
    return fail(ctx, [`GetGrokCreditsConfig: ${e.message}`]);
  }
  if (frames.length !== 1 || frames[0].flag !== 0 || frames[0].payload.length !== 0) return fail(ctx, ['GetGrokCreditsConfig body must be the empty frame 00 00 00 00 00']);
  if (ctx.account.tier === 'basic') return grpcReply(ctx, Buffer.alloc(0));
  const now = Math.floor(Date.now() / 1000);
  const ts = (s) => grpc.field.varint(1, s);
  const config = Buffer.concat([
    grpc.field.float(1, 0),
    grpc.field.bytes(4, ts(now - 3 * 86400)),
    grpc.field.bytes(5, ts(now + 4 * 86400)),
    grpc.field.bytes(7, Buffer.concat([grpc.field.varint(1, 1), grpc.field.float(2, 0)])),
  ]);
  return grpcReply(ctx, grpc.field.bytes(1, config));
}

module.exports = { handleSession, handleRateLimits, handleQuotaInfo, handleBirthDate, handleTos, handleNsfw, handleCredits, quotaInfoView };
