'use strict';
// All mutable simulator state in one object, so the control API can inspect
// and reset it and every handler sees the same world.
const { vectorBuild, randomBuild } = require('./build');
const { Accounts } = require('./accounts');
const { Faults } = require('./faults');
const { Cloudflare } = require('./cloudflare');
const { Conversations } = require('./conversations');
const { VideoGenerations } = require('./video_generations');
const { maskSso } = require('./util');

const DEFAULT_CONFIG = {
  accept_x1_fallback: false, // accept base64("x1:TypeError: …") statsig fallbacks
  strict_ua: false, // any UA change for one sso is a violation (not only under clearance)
  header_profile: 'required', // 'full' also requires Accept, Accept-Language, Cache-Control, Pragma, Priority
  compress: true, // compress bodies per Accept-Encoding (br, gzip, deflate)
  origin: 'https://grok.com',
  chunk_delay_ms: 5, // pause between streamed lines/events
  mgw_ping_ms: 15000, // server ping events on idle mgw sockets
  imagine_step_ms: 10,
  video_step_ms: 40,
  public_asset_base: null, // absolute URL base for imagine images; null = this simulator's assets URL
  clock_offset_s: 0, // shifts the simulator's clock for statsig checks
  ws_extra_headers: [], // header names (lower case) additionally allowed on WS handshakes
};

const MAX_LOG = 2000;

class Sim {
  constructor({ seedBuild = 'vector' } = {}) {
    this.config = { ...DEFAULT_CONFIG };
    this.builds = [seedBuild === 'random' ? randomBuild() : vectorBuild()];
    this.accounts = new Accounts();
    this.faults = new Faults();
    this.cloudflare = new Cloudflare();
    this.conversations = new Conversations();
    this.videos = new VideoGenerations(); // video generations made, and the tests' hold on their streams
    this.assets = new Map(); // path (no leading slash) -> {owner, contentType, bytes}
    this.uploads = new Map(); // fileMetadataId -> {owner, fileUri, mime, name, size}
    this.violations = [];
    this.requests = [];
    this.usedStatsig = new Map(); // value -> expiry ms
    this.usedRequestIds = new Map(); // x-xai-request-id -> expiry ms
    this.uaBySso = new Map(); // "<sso> <peer>" -> the UA last seen
    this.urls = { grok: null, assets: null, accounts: null };
    this.seq = 0;
  }

  get build() {
    return this.builds[this.builds.length - 1];
  }

  rotate() {
    this.builds.push(randomBuild());
    if (this.builds.length > 20) this.builds.shift();
    return this.build;
  }

  olderBuilds() {
    return this.builds.slice(0, -1);
  }

  nowSeconds() {
    return Date.now() / 1000 + Number(this.config.clock_offset_s || 0);
  }

  publicAssetBase() {
    return (this.config.public_asset_base || this.urls.assets || '').replace(/\/+$/, '');
  }

  logRequest(entry) {
    const rec = {
      seq: ++this.seq,
      ts: new Date().toISOString(),
      host: entry.host,
      method: entry.method,
      path: entry.path,
      kind: entry.kind,
      sso: maskSso(entry.sso),
      user_agent: entry.ua || null,
      peer: entry.peer || null,
      via_proxy: entry.viaProxy || null,
      statsig: null,
      status: null,
      fault: null,
      violations: [],
    };
    this.requests.push(rec);
    if (this.requests.length > MAX_LOG) this.requests.shift();
    return rec;
  }

  violation(rec, text) {
    const v = {
      seq: rec ? rec.seq : ++this.seq,
      ts: new Date().toISOString(),
      host: rec ? rec.host : null,
      method: rec ? rec.method : null,
      path: rec ? rec.path : null,
      kind: rec ? rec.kind : null,
      sso: rec ? rec.sso : null,
      violation: text,
    };
    this.violations.push(v);
    if (this.violations.length > MAX_LOG) this.violations.shift();
    if (rec) rec.violations.push(text);
    process.stderr.write(`[sim] VIOLATION ${v.method || ''} ${v.path || ''}: ${text}\n`);
    return v;
  }

  // Remembers a value until `ttlMs`; true if it had been seen before.
  static seen(map, key, ttlMs) {
    const now = Date.now();
    if (map.size > 50000) for (const [k, exp] of map) if (exp < now) map.delete(k);
    const exp = map.get(key);
    if (exp && exp >= now) return true;
    map.set(key, now + ttlMs);
    return false;
  }

  reset(opts = {}) {
    this.violations = [];
    this.requests = [];
    this.faults.clear();
    this.usedStatsig.clear();
    this.usedRequestIds.clear();
    this.uaBySso.clear();
    this.videos.clear();
    if (opts.config) {
      this.config = { ...DEFAULT_CONFIG };
      this.cloudflare.reset();
    }
    if (opts.quotas) this.accounts.resetQuotas();
    if (opts.accounts) {
      this.accounts.clear();
      this.conversations.clear();
      this.assets.clear();
      this.uploads.clear();
    }
  }
}

module.exports = { Sim, DEFAULT_CONFIG };
