// The calls-over-time chart as inline SVG: bars of calls (failures in red) per bucket on a
// linear time axis, and the success rate as a line on a 0-100 % scale.
const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// points: [{time, calls, failures}] oldest first; from/to: the range in ms; size: the
// bucket length in ms; label(ms): an axis label. Returns an <svg>.
export function callsChart(points, { from, to, size, label, title }) {
  const width = 800;
  const height = 220;
  const left = 44;
  const right = 40;
  const top = 10;
  const bottom = 26;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart',
    role: 'img',
  });
  svg.append(el('title', {}, title));
  const span = Math.max(size, to - from);
  const maxCalls = Math.max(1, ...points.map((p) => p.calls));
  const x = (ms) => left + ((ms - from) / span) * plotW;
  const y = (calls) => top + plotH - (calls / maxCalls) * plotH;
  const barW = Math.max(1, (size / span) * plotW - 1);

  svg.append(el('line', { class: 'axis', x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH }));
  svg.append(el('text', { x: left - 6, y: top + 10, 'text-anchor': 'end' }, String(maxCalls)));
  svg.append(el('text', { x: left - 6, y: top + plotH, 'text-anchor': 'end' }, '0'));
  svg.append(el('text', { x: left + plotW + 6, y: top + 10 }, '100%'));
  svg.append(el('text', { x: left + plotW + 6, y: top + plotH }, '0%'));
  for (const p of points) {
    const bx = x(p.time);
    svg.append(el('rect', { class: 'calls', x: bx, y: y(p.calls), width: barW, height: top + plotH - y(p.calls) }));
    if (p.failures > 0)
      svg.append(el('rect', { class: 'failures', x: bx, y: y(p.failures), width: barW, height: top + plotH - y(p.failures) }));
  }
  if (points.length) {
    const rateY = (p) => top + plotH - ((p.calls - p.failures) / Math.max(1, p.calls)) * plotH;
    const d = points.map((p, i) => `${i ? 'L' : 'M'}${(x(p.time) + barW / 2).toFixed(1)},${rateY(p).toFixed(1)}`).join(' ');
    svg.append(el('path', { class: 'rate', d }));
    for (const p of points)
      svg.append(el('circle', { class: 'rate-point', cx: (x(p.time) + barW / 2).toFixed(1), cy: rateY(p).toFixed(1), r: 3 }));
  }
  const ticks = 4;
  for (let i = 0; i <= ticks; i++) {
    const ms = from + (span * i) / ticks;
    const anchor = i === 0 ? 'start' : i === ticks ? 'end' : 'middle';
    svg.append(el('text', { x: x(ms), y: height - 8, 'text-anchor': anchor }, label(ms)));
  }
  return svg;
}
