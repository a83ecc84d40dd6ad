// Chat behaviours that depend on the upstream transport, with the official openai npm
// package: grok.filtered_tags, the REST fallback when the chat gateway refuses a turn, one
// socket per turn, and continued conversations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

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

// The simulator's log of one account's calls of a kind.
const calls = (kind) => sim.control(`requests?sso=${SSO}&kind=${kind}`);

test('a refused chat-gateway handshake (403 code 7, 5xx) is retried over REST with the same account, once', async () => {
  for (const fault of ['code7', '500']) {
    const before = { mgw: (await calls('mgw')).length, rest: (await calls('rest_chat')).length };
    await sim.control('script', { sso: SSO, call: 'mgw', fault });
    assert.match(await ask(`refused ${fault}`), /You said: refused/);
    const mgw = (await calls('mgw')).slice(before.mgw);
    const rest = (await calls('rest_chat')).slice(before.rest);
    assert.equal(mgw.length, 1, fault);
    assert.equal(mgw[0].fault, fault);
    assert.equal(rest.length, 1, `${fault}: one REST turn`);
    assert.equal(rest[0].status, 200);
  }
});

test('account problems on the chat gateway are not sent over REST', async () => {
  const before = (await calls('rest_chat')).length;
  await sim.control('script', { sso: SSO, call: 'mgw', fault: 'usage_limit' });
  await assert.rejects(ask('limited'), (e) => e instanceof OpenAI.RateLimitError);
  assert.equal((await calls('rest_chat')).length, before);
  // The token cooled down; give it its quota back for the next tests.
  await gw.admin('POST', '/api/tokens/delete', { tokens: [SSO], token_type: 'ssoSuper' });
  await gw.admin('POST', '/api/tokens/add', { tokens: [SSO], token_type: 'ssoSuper' });
});

test('a chat-gateway socket serves one turn: two chats, two handshakes', async () => {
  const before = (await calls('mgw')).length;
  await ask('first turn');
  await ask('second turn', { stream: false });
  assert.equal((await calls('mgw')).length - before, 2);
});
