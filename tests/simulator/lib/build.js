'use strict';
// A "build" is one deployed version of the grok.com web app: the seed served in
// the page meta, the curves table in the RSC payload, the five seed indices
// baked into the generator chunk, and the chunk file names. Rotating the build
// invalidates every x-statsig-id made from the previous one.
const crypto = require('node:crypto');
const path = require('node:path');
const fs = require('node:fs');
const { fingerprint } = require('./fingerprint');
const { randomHex } = require('./util');

const VECTOR_FILE = path.join(__dirname, '..', 'vectors', 'statsig-2026-08-18.json');

// "M 10,30 C c0,c1 c2,c3 c4,c5 h d s b0,b1 b2,b3 C ..." → 16 segments.
function parsePath(p) {
  return p
    .split('C')
    .slice(1)
    .map((seg) => {
      const n = seg.replace(/[hs,]/g, ' ').trim().split(/\s+/).map(Number);
      if (n.length !== 11 || n.some((x) => !Number.isInteger(x))) throw new Error(`bad segment: ${seg}`);
      return { color: n.slice(0, 6), deg: n[6], bezier: n.slice(7, 11) };
    });
}

function randomCurves() {
  const byte = () => crypto.randomInt(0, 256);
  return Array.from({ length: 4 }, () =>
    Array.from({ length: 16 }, () => ({
      color: Array.from({ length: 6 }, byte),
      deg: byte(),
      bezier: Array.from({ length: 4 }, byte),
    })),
  );
}

function randomIndices() {
  const pool = Array.from({ length: 48 }, (_, i) => i);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = crypto.randomInt(0, i + 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return { group: pool[0], segment: pool[1], time: [pool[2], pool[3], pool[4]] };
}

// Chunk names are content hashes on the real site; random hex is enough here.
function chunkNames() {
  const count = crypto.randomInt(5, 9);
  const names = Array.from({ length: count }, () => randomHex(8));
  return { names, generator: crypto.randomInt(0, count) };
}

function finish(build) {
  build.fingerprint = fingerprint(build.seed, build.curves, build.indices);
  build.seedB64 = build.seed.toString('base64');
  return build;
}

function loadVector() {
  return JSON.parse(fs.readFileSync(VECTOR_FILE, 'utf8'));
}

function vectorBuild() {
  const v = loadVector();
  const { names, generator } = chunkNames();
  return finish({
    id: randomHex(4),
    createdAt: Date.now(),
    seed: Buffer.from(v.seed, 'base64'),
    curves: v.paths.map(parsePath),
    indices: { group: v.indices.group, segment: v.indices.segment, time: [...v.indices.time] },
    chunks: names,
    generatorChunk: names[generator],
    source: 'vector',
  });
}

function randomBuild() {
  const { names, generator } = chunkNames();
  return finish({
    id: randomHex(4),
    createdAt: Date.now(),
    seed: crypto.randomBytes(48),
    curves: randomCurves(),
    indices: randomIndices(),
    chunks: names,
    generatorChunk: names[generator],
    source: 'random',
  });
}

// What the control API shows about a build (everything a test may need).
function describe(build) {
  return {
    id: build.id,
    source: build.source,
    seed: build.seedB64,
    indices: build.indices,
    fingerprint: build.fingerprint,
    chunks: build.chunks.map((n) => `/_next/static/chunks/${n}.js`),
    generator_chunk: `/_next/static/chunks/${build.generatorChunk}.js`,
    created_at: new Date(build.createdAt).toISOString(),
  };
}

module.exports = { vectorBuild, randomBuild, parsePath, describe, loadVector, VECTOR_FILE };
