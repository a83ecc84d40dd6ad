'use strict';
// Just enough gRPC-web + protobuf for the two grok.com gRPC calls the gateway
// makes (spec §2.10c, §2.11): frame parsing, a field reader, a field writer.

// Body → [{flag, payload}] frames; throws on a malformed body.
function parseFrames(buf) {
  const frames = [];
  let pos = 0;
  while (pos < buf.length) {
    if (pos + 5 > buf.length) throw new Error('truncated gRPC-web frame header');
    const flag = buf[pos];
    const len = buf.readUInt32BE(pos + 1);
    if (pos + 5 + len > buf.length) throw new Error(`gRPC-web frame length ${len} exceeds the body`);
    frames.push({ flag, payload: buf.subarray(pos + 5, pos + 5 + len) });
    pos += 5 + len;
  }
  return frames;
}

function readVarint(buf, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [result, pos];
    shift += 7;
  }
}

// Message bytes → Map(fieldNumber → [values]); length-delimited values stay Buffers.
function decodeMessage(buf) {
  const fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    let key;
    [key, pos] = readVarint(buf, pos);
    const num = Math.floor(key / 8);
    const wire = key & 7;
    let value;
    if (wire === 0) [value, pos] = readVarint(buf, pos);
    else if (wire === 2) {
      let len;
      [len, pos] = readVarint(buf, pos);
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 5) {
      value = buf.readFloatLE(pos);
      pos += 4;
    } else if (wire === 1) {
      value = buf.readDoubleLE(pos);
      pos += 8;
    } else throw new Error(`unsupported wire type ${wire}`);
    if (!fields.has(num)) fields.set(num, []);
    fields.get(num).push(value);
  }
  return fields;
}

function varint(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

const field = {
  varint: (num, v) => Buffer.concat([varint(num * 8), varint(v)]),
  bytes: (num, b) => Buffer.concat([varint(num * 8 + 2), varint(b.length), b]),
  float: (num, f) => {
    const b = Buffer.alloc(4);
    b.writeFloatLE(f);
    return Buffer.concat([varint(num * 8 + 5), b]);
  },
};

function frame(flag, payload) {
  const head = Buffer.alloc(5);
  head[0] = flag;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

// Data frame (if any) + trailer frame, as a grpc-web server writes them.
function responseBody(message, status = 0, msg = '') {
  const trailer = Buffer.from(`grpc-status:${status}\r\ngrpc-message:${encodeURIComponent(msg)}\r\n`);
  return Buffer.concat([...(message ? [frame(0, message)] : []), frame(0x80, trailer)]);
}

module.exports = { parseFrames, decodeMessage, field, frame, responseBody };
