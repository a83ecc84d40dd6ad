// The official openai npm package (7.55.0) against grok2api and the grok.com simulator:
// models, chat (streaming and not), thinking, Pro-era model ids and the SDK's error classes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

import { startStack } from './harness.mjs';

let stack;
let sim;
let gw;
let client;

before(async () => {
  stack = await startStack([['sdk-super-token-0001', 'super'], ['sdk-heavy-token-0002', 'heavy']]);
  ({ sim, gw, client } = stack);
});

after(async () => {
  if (stack) assert.deepEqual(await stack.stop(), [], 'the simulator saw protocol violations');
});

test('models: the Pro ids and the modes are listed; grok4.1 is accepted but not listed', async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  for (const id of ['grok-3-fast', 'grok-4-fast', 'grok-4-heavy', 'grok-4.1', 'sora-2', 'fast', 'expert'])
    assert.ok(ids.includes(id), id);
  assert.ok(!ids.includes('grok4.1'));
  const m = await client.models.retrieve('grok4.1');
  assert.equal(m.id, 'grok4.1');
  await assert.rejects(client.models.retrieve('no-such-model'), OpenAI.NotFoundError);
});

test('chat: a whole answer with usage', async () => {
  const r = await client.chat.completions.create({
    model: 'grok-4-fast',
    messages: [{ role: 'user', content: 'hello from the sdk' }],
  });
  assert.equal(r.object, 'chat.completion');
  assert.ok(r.id.startsWith('chatcmpl-'));
  assert.equal(r.choices[0].message.role, 'assistant');
  assert.ok(r.choices[0].message.content.length > 0);
  assert.equal(r.choices[0].finish_reason, 'stop');
  assert.ok(r.usage.total_tokens > 0);
});

test('chat: a stream with the usage chunk, ending cleanly', async () => {
  const stream = await client.chat.completions.create({
    model: 'grok-4.1',
    messages: [{ role: 'user', content: 'stream this please' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let role = null;
  let finish = null;
  let usage = null;
  const ids = new Set();
  for await (const chunk of stream) {
    ids.add(chunk.id);
    if (chunk.usage) usage = chunk.usage;
    for (const c of chunk.choices) {
      if (c.delta.role) role = c.delta.role;
      if (c.delta.content) text += c.delta.content;
      if (c.finish_reason) finish = c.finish_reason;
    }
  }
  assert.equal(ids.size, 1);
  assert.equal(role, 'assistant');
  assert.equal(finish, 'stop');
  assert.ok(text.length > 0);
  assert.ok(usage && usage.total_tokens > 0);
});

test('chat: the stream helper builds a final completion', async () => {
  const runner = client.chat.completions.stream({
    model: 'grok-4-fast',
    messages: [{ role: 'user', content: 'helper' }],
  });
  const final = await runner.finalChatCompletion();
  assert.ok(final.choices[0].message.content.length > 0);
});

test('chat: thinking arrives in <think> tags on an expert model', async () => {
  const r = await client.chat.completions.create({
    model: 'grok-4-expert',
    messages: [{ role: 'user', content: 'think about this' }],
  });
  assert.match(r.choices[0].message.content, /<think>[\s\S]*<\/think>/);
});

test('errors: the SDK raises the right classes', async () => {
  const bad = new OpenAI({ apiKey: 'wrong', baseURL: `${gw.base}/v1`, maxRetries: 0 });
  await assert.rejects(
    bad.chat.completions.create({ model: 'grok-4-fast', messages: [{ role: 'user', content: 'x' }] }),
    OpenAI.AuthenticationError,
  );
  await assert.rejects(
    client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    OpenAI.NotFoundError,
  );
  await assert.rejects(client.chat.completions.create({ model: 'grok-4-fast', messages: [] }), (e) => {
    assert.ok(e instanceof OpenAI.BadRequestError);
    assert.equal(e.param, 'messages');
    assert.ok(e.requestID);
    return true;
  });
});
