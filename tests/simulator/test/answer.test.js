'use strict';
// The simulator's answers to prompts that carry a gateway's tool or JSON instruction.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { answerText } = require('../lib/answer');

const tools = '<tools>\n{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}}}}\n</tools>';

test('a tool instruction and a user message: a <tool_call> for the first tool', () => {
  const text = answerText(`[user]\nweather?\n\n[system]\nTools:\n${tools}\n\n`);
  const m = text.match(/^<tool_call>(.*)<\/tool_call>$/);
  assert.ok(m, text);
  assert.deepEqual(JSON.parse(m[1]), { name: 'get_weather', arguments: { city: 'Paris', days: 1 } });
});

test('after a tool result: a prose answer that quotes it', () => {
  const prompt = `[user]\nweather?\n\n[assistant]\n<tool_calls>\n<tool_call id="c1" name="get_weather">{}</tool_call>\n</tool_calls>\n\n[tool result for c1]\nSunny\n\n[system]\n${tools}\n\n`;
  assert.equal(answerText(prompt), 'The tool returned: Sunny');
});

test('a JSON instruction: an object, following a schema when given', () => {
  assert.deepEqual(JSON.parse(answerText('[user]\nhi\n\n[system]\nAnswer with exactly one JSON object only.\n\n')), { answer: 'You said: hi' });
  const schema = '{"type":"object","properties":{"name":{"type":"string"},"ok":{"type":"boolean"}},"required":["name","ok"]}';
  const prompt = `[user]\nhi\n\n[system]\nAnswer with exactly one JSON object only.\n<json_schema>\n${schema}\n</json_schema>\n\n`;
  assert.deepEqual(JSON.parse(answerText(prompt)), { name: 'x', ok: true });
});
