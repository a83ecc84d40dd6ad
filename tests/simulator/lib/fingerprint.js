'use strict';
// Render fingerprint `l` of spec §1.4: the site animates one curve segment for a
// seed-derived time and reads back the resulting colour + rotation matrix. We
// recompute it the same way so the simulator can check a signer's x-statsig-id.

// CSS cubic-bezier easing solved like WebKit's UnitBezier: up to 8 Newton
// steps, then bisection. The site's bundle uses this solver, so we must too.
function unitBezier(p1x, p1y, p2x, p2y) {
  const cx = 3 * p1x;
  const bx = 3 * (p2x - p1x) - cx;
  const ax = 1 - cx - bx;
  const cy = 3 * p1y;
  const by = 3 * (p2y - p1y) - cy;
  const ay = 1 - cy - by;
  const sampleX = (t) => ((ax * t + bx) * t + cx) * t;
  const sampleY = (t) => ((ay * t + by) * t + cy) * t;
  const sampleDX = (t) => (3 * ax * t + 2 * bx) * t + cx;

  function solveX(x, eps) {
    let t2 = x;
    for (let i = 0; i < 8; i++) {
      const x2 = sampleX(t2) - x;
      if (Math.abs(x2) < eps) return t2;
      const d2 = sampleDX(t2);
      if (Math.abs(d2) < 1e-6) break;
      t2 -= x2 / d2;
    }
    let t0 = 0;
    let t1 = 1;
    t2 = x;
    if (t2 < t0) return t0;
    if (t2 > t1) return t1;
    while (t0 < t1) {
      const x2 = sampleX(t2);
      if (Math.abs(x2 - x) < eps) return t2;
      if (x > x2) t0 = t2;
      else t1 = t2;
      t2 = (t1 - t0) * 0.5 + t0;
    }
    return t2;
  }
  return (x, eps = 1e-7) => sampleY(solveX(x, eps));
}

const round2 = (v) => Math.round(v * 100) / 100;

// JavaScript's Number#toString(16) — Node gives it to us natively, which is
// exactly why the simulator is written in JS.
const hex = (v) => v.toString(16);

// seed: Buffer(48); curves: [4][16]{color[6],deg,bezier[4]};
// indices: {group, segment, time:[a,b,c]}.
function fingerprint(seed, curves, indices) {
  const seg = curves[seed[indices.group] % 4][seed[indices.segment] % 16];
  const a = [...seg.color, seg.deg, ...seg.bezier];
  const [ta, tb, tc] = indices.time;
  const t = Math.round(((seed[ta] % 16) * (seed[tb] % 16) * (seed[tc] % 16)) / 10) * 10;
  const progress = t / 4096;
  const ease = unitBezier(
    round2(a[7] / 255),
    round2((a[8] * 2) / 255 - 1),
    round2(a[9] / 255),
    round2((a[10] * 2) / 255 - 1),
  )(progress);
  const mix = (from, to) => Math.round(from + (to - from) * ease);
  const angle = (Math.floor((a[6] * 300) / 255 + 60) * ease * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const values = [mix(a[0], a[3]), mix(a[1], a[4]), mix(a[2], a[5]), cos, sin, -sin, cos, 0, 0];
  return values
    .map((v) => hex(round2(v)))
    .join('')
    .replace(/[.-]/g, '');
}

module.exports = { fingerprint, unitBezier, round2 };
