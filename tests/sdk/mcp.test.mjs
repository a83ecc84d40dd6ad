// The MCP endpoint (/mcp, streamable HTTP, stateless) with plain JSON-RPC 2.0 calls, as an
// MCP client sends them: initialize, the initialized notification, tools/list, tools/call
// of ask_grok (a whole chat turn against the simulator), and the JSON-RPC errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startStack } from './harness.mjs';

let stack;
let seq = 0;

before(async () => {
  stack = await startStack([['sdk-mcp-token-0001', 'super']]);
});

after(async () => {
  if (stack) assert.deepEqual(await stack.stop(), [], 'the simulator saw protocol violations');
});

async function post(body, key = 'sk-test-key') {
  const r = await fetch(`${stack.gw.base}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, type: r.headers.get('content-type'), body: text ? JSON.parse(text) : null };
}

const call = (method, params) => post({ jsonrpc: '2.0', id: ++seq, method, params });

test('mcp: initialize, initialized, tools/list', async () => {
  const init = await call('initialize', {
    protocolVersion: '2025-03-26',
    capabilities: {},
    clientInfo: { name: 'test', version: '1' },
  });
  assert.equal(init.status, 200);
  assert.match(init.type, /application\/json/);
  assert.equal(init.body.jsonrpc, '2.0');
  assert.equal(init.body.id, seq);
  assert.equal(init.body.result.protocolVersion, '2025-03-26');
  assert.ok(init.body.result.capabilities.tools);
  assert.equal(init.body.result.serverInfo.name, 'grok2api');
  const note = await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  assert.equal(note.status, 202);
  assert.equal(note.body, null);
  const list = await call('tools/list', {});
  assert.deepEqual(list.body.result.tools.map((t) => t.name), ['ask_grok']);
  assert.deepEqual(list.body.result.tools[0].inputSchema.required, ['query']);
  assert.deepEqual((await call('ping')).body.result, {});
});

test('mcp: ask_grok answers with the chat turn as text content', async () => {
  const r = await call('tools/call', { name: 'ask_grok', arguments: { query: 'hello over mcp', model: 'grok-4-fast' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.result.isError, false);
  assert.deepEqual(r.body.result.content, [{ type: 'text', text: 'You said: hello over mcp' }]);
  // The Pro tool's default model, and a system prompt.
  const d = await call('tools/call', { name: 'ask_grok', arguments: { query: 'defaults', system_prompt: 'Be brief.' } });
  assert.equal(d.body.result.content[0].text, 'You said: defaults');
});

test('mcp: a failed turn is a tool error the model can read', async () => {
  const r = await call('tools/call', { name: 'ask_grok', arguments: { query: 'x', model: 'no-such-model' } });
  assert.equal(r.body.result.isError, true);
  assert.match(r.body.result.content[0].text, /404.*no-such-model/);
});

test('mcp: JSON-RPC errors and the API key', async () => {
  assert.equal((await post('{not json')).body.error.code, -32700);
  assert.equal((await post([{ jsonrpc: '2.0', id: 1, method: 'ping' }])).body.error.code, -32600);
  assert.equal((await post({ id: 1, method: 'ping' })).body.error.code, -32600);
  assert.equal((await call('resources/list')).body.error.code, -32601);
  assert.equal((await call('tools/call', { name: 'other', arguments: {} })).body.error.code, -32602);
  assert.equal((await call('tools/call', { name: 'ask_grok', arguments: {} })).body.error.code, -32602);
  assert.equal((await post({ jsonrpc: '2.0', id: 1, method: 'ping' }, 'sk-wrong')).status, 401);
  assert.equal((await post({ jsonrpc: '2.0', id: 1, method: 'ping' }, null)).status, 401);
  const get = await fetch(`${stack.gw.base}/mcp`, { headers: { authorization: 'Bearer sk-test-key' } });
  assert.equal(get.status, 405);
});
