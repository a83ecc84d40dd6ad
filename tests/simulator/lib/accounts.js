'use strict';
// Accounts registered by tests (POST /__sim/accounts), their tier, status and
// quotas. Quota totals follow spec §2.10; mode access follows §2.12.
const { uuid } = require('./util');

const MODES = ['fast', 'auto', 'expert', 'heavy', 'grok-420-computer-use-sa'];
const TIERS = ['basic', 'super', 'heavy'];

const MODE_ACCESS = {
  basic: ['fast'],
  super: ['fast', 'auto', 'expert', 'grok-420-computer-use-sa'],
  heavy: MODES,
};

// Chat quota totals per tier (spec §2.10 table); absent mode = not available.
const CHAT_TOTALS = {
  basic: { window: 86400, fast: 30 },
  super: { window: 7200, auto: 50, fast: 140, expert: 50, 'grok-420-computer-use-sa': 50 },
  heavy: { window: 7200, auto: 150, fast: 400, expert: 150, heavy: 20, 'grok-420-computer-use-sa': 150 },
};

// quota_info defaults; null = the key is present but not available (spec §2.10b).
const MEDIA_KEYS = ['image', 'imageEdit', 'imagePro', 'video', 'video720p'];
const MEDIA_TOTALS = {
  basic: { image: null, imageEdit: 10, imagePro: 2, video: null, video720p: 2 },
  super: { image: null, imageEdit: 50, imagePro: 50, video: 30, video720p: 10 },
  heavy: { image: null, imageEdit: 200, imagePro: 200, video: 100, video720p: 50 },
};
const MEDIA_WINDOW = 86400;

function defaultQuotas(tier) {
  const t = CHAT_TOTALS[tier];
  const chat = {};
  for (const m of MODES) {
    const total = t[m] || 0;
    chat[m] = { remaining: total, total, window: t.window };
  }
  const media = {};
  for (const k of MEDIA_KEYS) {
    const total = MEDIA_TOTALS[tier][k];
    media[k] = total === null ? null : { remaining: total, total, window: MEDIA_WINDOW };
  }
  return { chat, media };
}

class Accounts {
  constructor() {
    this.bySso = new Map();
  }

  // Registering an existing sso updates it (tier changes reset its quotas).
  upsert(spec) {
    if (!spec || typeof spec.sso !== 'string' || !spec.sso) throw new Error('sso (string) is required');
    const tier = spec.tier || 'basic';
    if (!TIERS.includes(tier)) throw new Error(`tier must be one of ${TIERS.join('|')}`);
    const status = spec.status || 'active';
    if (!['active', 'blocked'].includes(status)) throw new Error('status must be active|blocked');
    const prev = this.bySso.get(spec.sso);
    const acct = prev || {
      sso: spec.sso,
      userId: spec.user_id || uuid(),
      email: spec.email || `user${this.bySso.size + 1}@sim.grok.local`,
      organizationId: uuid(),
      birthDate: null,
      tosVersion: null,
      xaiTosVersion: null, // accounts.x.ai SetTosAcceptedVersion's field 2
      nsfw: false,
      createdAt: Date.now(),
    };
    if (spec.user_id) acct.userId = spec.user_id;
    if (spec.email) acct.email = spec.email;
    if (!prev || prev.tier !== tier) acct.quotas = defaultQuotas(tier);
    acct.tier = tier;
    acct.status = status;
    if (spec.birth_date !== undefined) acct.birthDate = spec.birth_date;
    this.bySso.set(spec.sso, acct);
    return acct;
  }

  get(sso) {
    return sso ? this.bySso.get(sso) || null : null;
  }

  byUserId(userId) {
    for (const a of this.bySso.values()) if (a.userId === userId) return a;
    return null;
  }

  clear() {
    this.bySso.clear();
  }

  resetQuotas() {
    for (const a of this.bySso.values()) a.quotas = defaultQuotas(a.tier);
  }

  // POST /__sim/quota: {"sso","mode":"fast","remaining":0[,"total":n]} or
  // {"sso","media":"video720p","remaining":n|null}.
  setQuota(spec) {
    const a = this.get(spec.sso);
    if (!a) throw new Error('unknown sso');
    if (spec.mode) {
      if (!MODES.includes(spec.mode)) throw new Error(`mode must be one of ${MODES.join('|')}`);
      const q = a.quotas.chat[spec.mode];
      if (spec.total !== undefined) q.total = spec.total;
      if (spec.remaining !== undefined) q.remaining = spec.remaining;
      if (spec.window !== undefined) q.window = spec.window;
      return q;
    }
    if (spec.media) {
      if (!MEDIA_KEYS.includes(spec.media)) throw new Error(`media must be one of ${MEDIA_KEYS.join('|')}`);
      if (spec.remaining === null) a.quotas.media[spec.media] = null;
      else {
        const q = a.quotas.media[spec.media] || { remaining: 0, total: 0, window: MEDIA_WINDOW };
        if (spec.total !== undefined) q.total = spec.total;
        if (spec.remaining !== undefined) q.remaining = spec.remaining;
        if (q.total < q.remaining) q.total = q.remaining;
        a.quotas.media[spec.media] = q;
      }
      return a.quotas.media[spec.media];
    }
    throw new Error('mode or media is required');
  }
}

const modeAllowed = (acct, mode) => MODE_ACCESS[acct.tier].includes(mode);

// Charges one query; false when exhausted or unavailable.
function takeChat(acct, mode) {
  const q = acct.quotas.chat[mode];
  if (!q || q.remaining <= 0) return false;
  q.remaining -= 1;
  return true;
}

function takeMedia(acct, key) {
  const q = acct.quotas.media[key];
  if (!q || q.remaining <= 0) return false;
  q.remaining -= 1;
  return true;
}

function publicView(a) {
  return {
    sso: a.sso,
    user_id: a.userId,
    email: a.email,
    organization_id: a.organizationId,
    tier: a.tier,
    status: a.status,
    birth_date: a.birthDate,
    tos_version: a.tosVersion,
    xai_tos_version: a.xaiTosVersion,
    nsfw: a.nsfw,
    quotas: a.quotas,
  };
}

module.exports = { Accounts, MODES, TIERS, MODE_ACCESS, MEDIA_KEYS, modeAllowed, takeChat, takeMedia, publicView };
