'use strict';
// Bytes for generated images and videos. Real JPEGs (a solid colour derived
// from the id, the id in a COM segment) so gateways that sniff or decode
// images get something valid; videos are a well-formed but tiny MP4 box list.
const { hash32 } = require('./util');

// Canonical Huffman codes from a JPEG DHT (bits per length, symbol list).
function huffCodes(bits, vals) {
  const codes = new Map();
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < bits[len - 1]; i++) codes.set(vals[k++], { code: code++, len });
    code <<= 1;
  }
  return codes;
}

// Standard luminance DC table (all 12 categories) and a one-symbol AC table
// holding only EOB: a solid-colour block has no AC coefficients.
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALS = [0];
const DC = huffCodes(DC_BITS, DC_VALS);
const EOB = huffCodes(AC_BITS, AC_VALS).get(0);

class BitWriter {
  constructor() {
    this.bytes = [];
    this.acc = 0;
    this.n = 0;
  }
  put(value, len) {
    for (let i = len - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  flushByte() {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }
  finish() {
    while (this.n !== 0) this.put(1, 1);
    return Buffer.from(this.bytes);
  }
}

function segment(marker, payload) {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

function jpeg(width, height, rgb, comment = '') {
  const [r, g, b] = rgb;
  const ycc = [
    0.299 * r + 0.587 * g + 0.114 * b,
    -0.168736 * r - 0.331264 * g + 0.5 * b + 128,
    0.5 * r - 0.418688 * g - 0.081312 * b + 128,
  ].map((v) => Math.round((Math.min(255, Math.max(0, v)) - 128) * 8));
  const u16 = (v) => {
    const x = Buffer.alloc(2);
    x.writeUInt16BE(v);
    return x;
  };
  const sof = Buffer.concat([Buffer.from([8]), u16(height), u16(width), Buffer.from([3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0])]);
  const dht = Buffer.concat([
    Buffer.from([0x00]), Buffer.from(DC_BITS), Buffer.from(DC_VALS),
    Buffer.from([0x10]), Buffer.from(AC_BITS), Buffer.from(AC_VALS),
  ]);
  const sos = Buffer.from([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]);
  const bw = new BitWriter();
  const pred = [0, 0, 0];
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  for (let i = 0; i < blocks; i++) {
    for (let c = 0; c < 3; c++) {
      const diff = ycc[c] - pred[c];
      pred[c] = ycc[c];
      const mag = Math.abs(diff);
      const cat = mag === 0 ? 0 : 32 - Math.clz32(mag);
      const h = DC.get(cat);
      bw.put(h.code, h.len);
      if (cat) bw.put(diff > 0 ? diff : diff + (1 << cat) - 1, cat);
      bw.put(EOB.code, EOB.len);
    }
  }
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xffe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])),
    ...(comment ? [segment(0xfffe, Buffer.from(comment.slice(0, 60000), 'utf8'))] : []),
    segment(0xffdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])),
    segment(0xffc0, sof),
    segment(0xffc4, dht),
    segment(0xffda, sos),
    bw.finish(),
    Buffer.from([0xff, 0xd9]),
  ]);
}

function colourFor(id) {
  const h = hash32(id);
  return [h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff];
}

// Pixel size for an aspect ratio, long side `long`, multiples of 16.
function sizeFor(aspect, long = 1024) {
  if (!aspect || aspect === 'auto') return { width: long, height: long };
  const [a, b] = aspect.split(':').map(Number);
  const snap = (v) => Math.max(16, Math.round(v / 16) * 16);
  return a >= b ? { width: long, height: snap((long * b) / a) } : { width: snap((long * a) / b), height: long };
}

function imageFor(id, aspect, long = 512) {
  const { width, height } = sizeFor(aspect, long);
  return jpeg(width, height, colourFor(id), `grok-sim image ${id}`);
}

function box(type, payload) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(payload.length + 8, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
}

function mp4For(id) {
  const ftyp = box('ftyp', Buffer.concat([Buffer.from('isom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2avc1mp41')]));
  return Buffer.concat([ftyp, box('free', Buffer.from(`grok-sim video ${id}`)), box('mdat', Buffer.alloc(1024, 0))]);
}

module.exports = { jpeg, imageFor, mp4For, sizeFor, colourFor };
