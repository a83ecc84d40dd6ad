'use strict';
// Small helpers shared by every module; nothing here knows about grok.com.
const crypto = require('node:crypto');

const uuid = () => crypto.randomUUID();
const randomHex = (bytes) => crypto.randomBytes(bytes).toString('hex');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const isUuidV4 = (s) => typeof s === 'string' && UUID_V4.test(s);

// Tests and logs only ever see a prefix of an SSO token.
function maskSso(sso) {
  if (!sso) return null;
  return sso.length <= 8 ? `${sso.slice(0, 2)}…` : `${sso.slice(0, 6)}…${sso.slice(-2)}`;
}

// Cookie header → ordered list of [name, value] (duplicates kept so we can
// flag them) plus a map of the first occurrence.
function parseCookies(header) {
  const list = [];
  const map = new Map();
  if (!header) return { list, map };
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (part.trim()) list.push([part.trim(), '']);
      continue;
    }
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    list.push([name, value]);
    if (!map.has(name)) map.set(name, value);
  }
  return { list, map };
}

function readBody(req, limit = 80 * 1024 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error('body too large'), { tooLarge: true }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Request targets arrive as origin-form ("/path") or, through an HTTP proxy,
// absolute-form ("http://host:port/path"). Both map to the same pathname.
function parseTarget(raw) {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw || '');
  const url = new URL(raw || '/', 'http://sim.invalid');
  return { absolute, pathname: url.pathname, searchParams: url.searchParams, search: url.search };
}

// The address a connection came from, as grok.com sees it: IPv4-mapped IPv6
// ("::ffff:127.0.0.2", what a dual-stack socket reports) becomes "127.0.0.2".
function peerAddress(socket) {
  const a = (socket && socket.remoteAddress) || null;
  if (!a) return null;
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

// Deterministic 32-bit hash, used to derive stable colours/ids from prompts.
function hash32(s) {
  return crypto.createHash('sha256').update(String(s)).digest().readUInt32BE(0);
}

module.exports = { uuid, randomHex, isUuidV4, maskSso, parseCookies, readBody, sleep, parseTarget, hash32, peerAddress };
