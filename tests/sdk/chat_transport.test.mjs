// Chat behaviours that depend on the upstream transport, with the official openai npm
// package: grok.filtered_tags, the REST fallback when the chat gateway refuses a turn, one
// socket per turn, and continued conversations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startStack } from './harness.mjs';

const SSO = 'sdk-transport-token-0001';
let stack;
let sim;
let gw;
let client;

async function settings(grok) {
  const r = await gw.admin('POST', '/api/settings', { grok_config: grok });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

async function ask(content, extra = {}) {
  const r = await client.chat.completions.create({
    model: 'grok-4-fast',
    messages: [{ role: 'user', content }],
    ...extra,
  });
  return r.choices[0].message.content;
}

before(async () => {
  stack = await startStack([[SSO, 'super']]);
  ({ sim, gw, client } = stack);
});

after(async () => {
  if (stack) assert.deepEqual(await stack.stop(), [], 'the simulator saw protocol violations');
});

test('filtered_tags: the default removes inline <grok:render> markup; an empty value removes nothing', async () => {
  await settings({ chat_transport: 'rest' });
  try {
    const filtered = await ask('search grok 4.6');
    assert.match(filtered, /You said: search grok 4\.6/);
    assert.doesNotMatch(filtered, /grok:render/);
    await settings({ filtered_tags: '' });
    const raw = await ask('search grok 4.6');
    assert.match(raw, /<grok:render card_id="[^"]+" card_type="citation_card" type="render_inline_citation">/);
    await settings({ filtered_tags: 'xaiartifact, grok:render' });
    assert.doesNotMatch(await ask('search grok 4.6'), /grok:render/);
  } finally {
    await settings({ chat_transport: 'ws', filtered_tags: 'xaiartifact,xai:tool_usage_card,grok:render' });
  }
});
