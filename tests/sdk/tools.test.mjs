// Emulated tools and JSON answers through the official openai npm package: an agent loop
// with one tool (streamed and not), tool_choice, and response_format json_object/json_schema.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

import { startStack } from './harness.mjs';

let sim;
let gw;
let client;
let stop;

const tools = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'The current weather of a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' }, days: { type: 'integer' } },
        required: ['city'],
      },
    },
  },
];

before(async () => {
  ({ sim, gw, client, stop } = await startStack([['sdk-tools-token-0001', 'super']]));
});

after(async () => {
  if (stop) assert.deepEqual(await stop(), [], 'the simulator saw protocol violations');
});

// The tool itself: what the agent runs for a call.
const runTool = (call) => {
  const args = JSON.parse(call.function.arguments);
  return `Sunny and 21C in ${args.city}`;
};

// A whole (non-streamed) or collected (streamed) assistant turn: {content, tool_calls, finish}.
async function turn(messages, stream, extra = {}) {
  if (!stream) {
    const r = await client.chat.completions.create({ model: 'grok-4-fast', messages, tools, ...extra });
    const c = r.choices[0];
    return { content: c.message.content, tool_calls: c.message.tool_calls, finish: c.finish_reason };
  }
  const s = await client.chat.completions.create({ model: 'grok-4-fast', messages, tools, stream: true, ...extra });
  let content = '';
  let finish = null;
  const calls = [];
  for await (const chunk of s) {
    for (const c of chunk.choices) {
      if (c.delta.content) content += c.delta.content;
      for (const d of c.delta.tool_calls || []) {
        calls[d.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } };
        if (d.id) calls[d.index].id = d.id;
        if (d.function?.name) calls[d.index].function.name += d.function.name;
        if (d.function?.arguments) calls[d.index].function.arguments += d.function.arguments;
      }
      if (c.finish_reason) finish = c.finish_reason;
    }
  }
  return { content: calls.length ? null : content, tool_calls: calls.length ? calls : undefined, finish };
}

for (const stream of [false, true]) {
  test(`tools: an agent loop with one tool (${stream ? 'streamed' : 'whole'})`, async () => {
    const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await turn(messages, stream);
    assert.equal(first.finish, 'tool_calls');
    assert.equal(first.content, null);
    assert.equal(first.tool_calls.length, 1);
    const call = first.tool_calls[0];
    assert.match(call.id, /^call_[A-Za-z0-9]{24}$/);
    assert.equal(call.type, 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.equal(JSON.parse(call.function.arguments).city, 'Paris');

    messages.push({ role: 'assistant', content: null, tool_calls: first.tool_calls });
    messages.push({ role: 'tool', tool_call_id: call.id, content: runTool(call) });
    const second = await turn(messages, stream);
    assert.equal(second.finish, 'stop');
    assert.equal(second.tool_calls, undefined);
    assert.match(second.content, /Sunny and 21C in Paris/);
  });
}

test('tools: tool_choice none answers in prose; an unknown forced function is a 400', async () => {
  const r = await turn([{ role: 'user', content: 'hello there' }], false, { tool_choice: 'none' });
  assert.equal(r.finish, 'stop');
  assert.equal(r.content, 'You said: hello there');
  await assert.rejects(
    turn([{ role: 'user', content: 'x' }], false, { tool_choice: { type: 'function', function: { name: 'nope' } } }),
    (e) => e instanceof OpenAI.BadRequestError && e.param === 'tool_choice.function.name',
  );
});

test('response_format: json_object answers with a parseable JSON object', async () => {
  for (const stream of [false, true]) {
    const params = {
      model: 'grok-4-fast',
      messages: [{ role: 'user', content: 'Give me JSON' }],
      response_format: { type: 'json_object' },
    };
    let content = '';
    if (stream) {
      for await (const chunk of await client.chat.completions.create({ ...params, stream: true }))
        for (const c of chunk.choices) content += c.delta.content ?? '';
    } else {
      content = (await client.chat.completions.create(params)).choices[0].message.content;
    }
    const value = JSON.parse(content);
    assert.equal(typeof value, 'object');
    assert.ok(!Array.isArray(value));
  }
});

test('response_format: json_schema with a required key', async () => {
  const r = await client.chat.completions.create({
    model: 'grok-4-fast',
    messages: [{ role: 'user', content: 'Describe a person' }],
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'person',
        strict: true,
        schema: {
          type: 'object',
          properties: { name: { type: 'string' }, age: { type: 'integer' } },
          required: ['name', 'age'],
          additionalProperties: false,
        },
      },
    },
  });
  const value = JSON.parse(r.choices[0].message.content);
  assert.equal(typeof value.name, 'string');
  assert.equal(typeof value.age, 'number');
  assert.equal(r.choices[0].finish_reason, 'stop');
});

test('response_format: an answer that is not JSON is a 502 invalid_model_output', async () => {
  await assert.rejects(
    client.chat.completions.create({
      model: 'grok-4-fast',
      messages: [{ role: 'user', content: 'prose only' }],
      response_format: { type: 'json_object' },
    }),
    (e) => e instanceof OpenAI.InternalServerError && e.status === 502 && e.code === 'invalid_model_output',
  );
});
