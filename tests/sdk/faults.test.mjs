// Every fault the simulator scripts on the chat calls (mgw and rest_chat), streamed and
// whole, ends as the official openai package expects: a failure before the first byte is a
// plain JSON error the SDK raises with the right class and status; after it, the stream
// carries an error event then [DONE] and the SDK's iteration throws. Each scenario runs
// with one fresh account alone in the pool, so nothing moves to another token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

import { startStack } from './harness.mjs';

// [whole, streamed]: 'ok', 'mid' (error event after content), or the HTTP status.
const REST = {
  401: [503, 503],
  blocked: [503, 503],
  cloudflare: [502, 502],
  code7: ['ok', 'ok'], // re-signed and retried once (mgw: the same turn over REST)
  page_out_of_date: ['ok', 'ok'],
  429: [429, 429],
  500: [502, 502],
  usage_limit: [429, 429],
  error_event: [502, 'mid'],
  slow_first_byte: [504, 504],
  slow_first_event: [504, 504],
  stall: [504, 'mid'],
  reset: [504, 'mid'],
};
// A 5xx handshake means the chat gateway is down: the turn goes over REST.
const EXPECT = { mgw: { ...REST, 500: ['ok', 'ok'] }, rest_chat: REST };
const CLASSES = { 429: OpenAI.RateLimitError, 502: OpenAI.InternalServerError, 503: OpenAI.InternalServerError, 504: OpenAI.InternalServerError };
const TIMEOUT_S = 1.5; // stream_first_response_timeout and stream_chunk_timeout

let stack;
let n = 0;

before(async () => {
  stack = await startStack([], {
    GROK2API_GROK_STREAM_FIRST_RESPONSE_TIMEOUT: String(TIMEOUT_S),
    GROK2API_GROK_STREAM_CHUNK_TIMEOUT: String(TIMEOUT_S),
  });
});

after(async () => {
  if (stack) assert.deepEqual(await stack.stop(), [], 'the simulator saw protocol violations');
});

// Runs one request with a fresh account that has the fault scripted on `call`.
async function scenario(call, fault, stream) {
  const { sim, gw, client } = stack;
  const sso = `sdk-fault-token-${String(++n).padStart(4, '0')}`;
  await sim.control('accounts', { sso, tier: 'super' });
  const transport = call === 'mgw' ? 'ws' : 'rest';
  assert.equal((await gw.admin('POST', '/api/settings', { grok_config: { chat_transport: transport } })).status, 200);
  assert.equal((await gw.admin('POST', '/api/tokens/add', { tokens: [sso], token_type: 'ssoSuper' })).status, 200);
  const delay = fault.startsWith('slow') ? { delay_ms: TIMEOUT_S * 1000 + 1500 } : {};
  await sim.control('script', { sso, call, fault, ...delay });
  try {
    const req = { model: 'grok-4-fast', messages: [{ role: 'user', content: `fault ${fault}` }], stream };
    if (!stream) return { result: await client.chat.completions.create(req) };
    const s = await client.chat.completions.create(req);
    let text = '';
    try {
      for await (const chunk of s) text += chunk.choices[0]?.delta?.content || '';
    } catch (error) {
      return { midError: error, text };
    }
    return { text };
  } catch (error) {
    return { error };
  } finally {
    await gw.admin('POST', '/api/tokens/delete', { tokens: [sso], token_type: 'ssoSuper' });
  }
}

for (const [call, faults] of Object.entries(EXPECT)) {
  for (const [fault, outcomes] of Object.entries(faults)) {
    for (const [i, stream] of [false, true].entries()) {
      const want = outcomes[i];
      test(`${call} ${fault} (${stream ? 'streamed' : 'whole'}): ${want}`, async () => {
        const got = await scenario(call, fault, stream);
        if (want === 'ok') {
          assert.ok(!got.error && !got.midError, String(got.error || got.midError));
          const text = stream ? got.text : got.result.choices[0].message.content;
          assert.match(text, /You said: fault/);
        } else if (want === 'mid') {
          assert.ok(!got.error, `failed before the stream: ${got.error}`);
          assert.ok(got.midError instanceof OpenAI.APIError, `the iteration ended without an error: ${got.text}`);
          assert.equal(got.midError.status, undefined);
          assert.ok(got.text.length > 0, 'content came before the error');
        } else {
          assert.ok(got.error, 'the request succeeded');
          assert.ok(got.error instanceof CLASSES[want], `${got.error.constructor.name}: ${got.error.message}`);
          assert.equal(got.error.status, want, got.error.message);
          assert.ok(got.error.requestID);
          if (want === 429) assert.ok(Number(got.error.headers.get('retry-after')) >= 1, 'retry-after');
        }
      });
    }
  }
}

test('the SDK\'s own errors: 400, 401 with a key set, 404 for a model and a route, timeouts, connection', async () => {
  const { gw, client } = stack;
  await assert.rejects(client.chat.completions.create({ model: 'grok-4-fast', messages: 'x' }), OpenAI.BadRequestError);
  const stranger = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${gw.base}/v1`, maxRetries: 0 });
  await assert.rejects(stranger.models.list(), OpenAI.AuthenticationError);
  await assert.rejects(
    client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof OpenAI.NotFoundError && e.param === 'model',
  );
  await assert.rejects(client.post('/no/such/route', { body: {} }), OpenAI.NotFoundError);
  // Every eligible token gone: 503 (no usable account), not a hang.
  await assert.rejects(
    client.chat.completions.create({ model: 'grok-4-fast', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof OpenAI.InternalServerError && e.status === 503,
  );
  const sso = 'sdk-fault-token-slow';
  await stack.sim.control('accounts', { sso, tier: 'super' });
  await gw.admin('POST', '/api/tokens/add', { tokens: [sso], token_type: 'ssoSuper' });
  await stack.sim.control('script', { sso, call: 'any', fault: 'slow_first_event', delay_ms: 1000, count: 10 });
  const impatient = new OpenAI({ apiKey: 'sk-test-key', baseURL: `${gw.base}/v1`, maxRetries: 0, timeout: 200 });
  await assert.rejects(
    impatient.chat.completions.create({ model: 'grok-4-fast', messages: [{ role: 'user', content: 'x' }] }),
    OpenAI.APIConnectionTimeoutError,
  );
  await gw.admin('POST', '/api/tokens/delete', { tokens: [sso], token_type: 'ssoSuper' });
  const nowhere = new OpenAI({ apiKey: 'sk-test-key', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 });
  await assert.rejects(nowhere.models.list(), OpenAI.APIConnectionError);
});
