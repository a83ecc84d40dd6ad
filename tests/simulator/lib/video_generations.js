'use strict';
// The video generations the simulator made (what the gateway submitted, with which
// account and quota, and how each stream ended) and the tests' hold on video streams:
// POST /__sim/video/hold makes every following stream stop after a progress line until
// POST /__sim/video/release or the client disconnects, so a test can act mid-generation
// (kill the gateway, queue a second task) without sleeping.
const crypto = require('node:crypto');
const { maskSso } = require('./util');

const MAX_KEPT = 5000;

class VideoGenerations {
  constructor() {
    this.list = [];
    this.hold = null; // {after_progress}
    this.held = new Set(); // {gen, release}
    this.waiters = new Set(); // {count, resolve}
    this.seq = 0;
  }

  // A generation the simulator accepted (validated, quota charged).
  record({ account, spec, kind, quota, videoId, inputs }) {
    const gen = {
      seq: ++this.seq,
      ts: new Date().toISOString(),
      video_id: videoId,
      sso: maskSso(account.sso),
      user_id: account.userId,
      tier: account.tier,
      kind, // textToVideo | imageToVideo
      prompt: spec.prompt,
      aspect_ratio: spec.aspectRatio,
      duration: spec.duration,
      resolution: spec.resolutionName,
      quota, // the quota_info kind charged: video | video720p
      input_assets: inputs, // imageToVideo: [{id, mime, size, sha256}]
      video_path: null,
      thumbnail_path: null,
      progress: 0, // the last progress line sent
      status: 'streaming', // streaming | held | completed | moderated | no_url | error | reset | stalled | disconnected
    };
    this.list.push(gen);
    if (this.list.length > MAX_KEPT) this.list.shift();
    return gen;
  }

  // {after_progress}: every stream that reaches a progress line >= after_progress from
  // now on stops after that line.
  setHold(spec) {
    const after = spec && spec.after_progress !== undefined ? Number(spec.after_progress) : 45;
    if (!Number.isInteger(after) || after < 0 || after > 100) throw new Error('after_progress must be an integer 0..100');
    this.hold = { after_progress: after };
    return this.describe();
  }

  // Lets every held stream go on and ends the hold.
  release() {
    const released = this.held.size;
    this.hold = null;
    for (const h of [...this.held]) h.release();
    return { released, ...this.describe() };
  }

  // Called after a progress line went out; resolves when the stream may go on (at once
  // when nothing holds it; on release or when the client disconnects otherwise).
  async after(gen, progress, res) {
    gen.progress = progress;
    if (!this.hold || progress < this.hold.after_progress || gen.wasHeld || res.destroyed) return;
    gen.wasHeld = true;
    gen.status = 'held';
    await new Promise((resolve) => {
      const entry = { gen };
      const onClose = () => entry.release();
      entry.release = () => {
        res.off('close', onClose);
        this.held.delete(entry);
        this.notify();
        resolve();
      };
      res.on('close', onClose);
      this.held.add(entry);
      this.notify();
    });
    if (gen.status === 'held') gen.status = 'streaming';
  }

  // Resolves with the held streams once at least `count` (or, with atMost, at most
  // `count`) are held; rejects after timeoutMs.
  waitHeld(count, timeoutMs, { atMost = false } = {}) {
    if (!Number.isInteger(count) || count < 0) throw new Error('count must be a non-negative integer');
    const reached = () => (atMost ? this.held.size <= count : this.held.size >= count);
    if (reached()) return Promise.resolve(this.describe());
    return new Promise((resolve, reject) => {
      const w = { reached };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(Object.assign(new Error(`timed out: ${this.held.size} video streams held, waited for ${atMost ? 'at most' : 'at least'} ${count}`), { status: 408 }));
      }, timeoutMs);
      w.resolve = () => {
        clearTimeout(timer);
        this.waiters.delete(w);
        resolve(this.describe());
      };
      this.waiters.add(w);
    });
  }

  notify() {
    for (const w of [...this.waiters]) if (w.reached()) w.resolve();
  }

  describe() {
    return { hold: this.hold, held: this.held.size, streams: [...this.held].map((h) => view(h.gen)) };
  }

  // ?sso=<raw token>&status=&limit=N
  query(q) {
    let out = this.list;
    if (q.get('sso')) out = out.filter((g) => g.sso === maskSso(q.get('sso')));
    if (q.get('status')) out = out.filter((g) => g.status === q.get('status'));
    if (q.get('limit')) out = out.slice(-Number(q.get('limit')));
    return out.map(view);
  }

  clear() {
    this.release();
    this.list = [];
  }
}

const view = (g) => {
  const { wasHeld, ...rest } = g;
  return { ...rest, was_held: !!wasHeld };
};

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

module.exports = { VideoGenerations, sha256 };
