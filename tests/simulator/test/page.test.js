'use strict';
// Page/chunk format round trip: parse our own HTML and chunks the way a
// gateway's signer does and get back the build's seed, curves, indices and l.
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderPage, chunkSource, SIGNER_PATTERNS } = require('../lib/page');
const { vectorBuild, randomBuild } = require('../lib/build');
const { parseBuild } = require('../test_support/helpers');

for (const [name, make] of [['vector', vectorBuild], ['random', randomBuild]]) {
  test(`${name} build: page + chunks parse back to the build`, async () => {
    for (let i = 0; i < 5; i++) {
      const build = make();
      for (const notFound of [false, true]) {
        const html = renderPage(build, { notFound });
        assert.match(html, new RegExp(`<meta name="grok-site-verification" content="${build.seedB64.replace(/[+/]/g, '\\$&')}">`));
        const tags = html.match(/<script src="\/_next\/static\/chunks\/[0-9a-f]+\.js" async><\/script>/g);
        assert.ok(tags.length >= 5 && tags.length <= 8, `${tags.length} chunk tags`);
        assert.match(html, /self\.__next_f\.push\(\[1,"[^]*\\"curves\\":\[\[\{\\"color\\":\[/);
        const parsed = await parseBuild(html, async (src) => chunkSource(build, /chunks\/([0-9a-f]+)\.js/.exec(src)[1]));
        assert.ok(parsed.seed.equals(build.seed));
        assert.deepEqual(parsed.curves, build.curves);
        assert.deepEqual(parsed.indices, build.indices);
        assert.equal(parsed.fingerprint, build.fingerprint);
      }
    }
  });
}

test('exactly one chunk carries the generator patterns', () => {
  for (let i = 0; i < 10; i++) {
    const build = randomBuild();
    const carriers = build.chunks.filter((n) => SIGNER_PATTERNS.some((re) => re.test(chunkSource(build, n))));
    assert.deepEqual(carriers, [build.generatorChunk]);
    const gen = chunkSource(build, build.generatorChunk);
    assert.equal(gen.match(/\([\w$]+\[\d+\],16\)/g).length, 3);
    assert.equal(gen.match(/\[[\w$]+\[\d+\]%4\]/g).length, 1);
    assert.equal(gen.match(/\[[\w$]+\[\d+\]%16\]/g).length, 1);
    assert.equal(chunkSource(build, build.generatorChunk), gen, 'chunks are stable per build');
    assert.equal(chunkSource(build, 'ffffffffffffffff'), null);
  }
});

test('vector build embeds the vector indices in the expected pattern', () => {
  const build = vectorBuild();
  const gen = chunkSource(build, build.generatorChunk);
  assert.match(gen, /n\(1645e3\)/);
  assert.match(gen, /\[o\[5\]%4\]\[o\[12\]%16\]/);
  assert.match(gen, /h\(o\[8\],16\)\*h\(o\[20\],16\)\*h\(o\[29\],16\)/);
});
