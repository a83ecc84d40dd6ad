// The stack of the proxy-pool SDK tests: the simulator, real proxies (proxies.mjs) and a
// gateway whose settings name them, plus the questions the tests ask of each: which peer
// (proxy) each SSO's calls came from, what /api/proxies and the call logs say.
import assert from 'node:assert/strict';
import { toFile } from 'openai';

import { startStack } from './harness.mjs';
import { startMicrosocks, startTinyproxy, simulatorPorts } from './proxies.mjs';

// Polls read() every 50 ms until it gives something truthy; fails after ms.
export async function until(what, read, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

export const toml = (v) => JSON.stringify(v);

export function settings(grok, extra = '') {
  const lines = Object.entries(grok).map(([k, v]) => `${k} = ${toml(v)}`);
  return `[grok]\n${lines.join('\n')}\n${extra}`;
}

export const portOf = (url) => Number(new URL(url).port);

// Starts the proxies described by specs ({kind: 'tinyproxy'|'microsocks', bind, ...}),
// probing each through the simulator so that its bind address is known to work.
export async function startProxies(sim, specs) {
  const probeUrl = `${sim.grok}/__sim/peer`;
  const connectPorts = simulatorPorts(sim);
  const out = [];
  for (const s of specs) {
    out.push(s.kind === 'tinyproxy' ? await startTinyproxy({ connectPorts, probeUrl, ...s }) : await startMicrosocks({ probeUrl, ...s }));
  }
  return out;
}

// A simulator with its accounts, the given proxies, then a gateway whose settings may
// name them (grok(proxies, sim) -> the [grok] table; extraSettings(proxies, sim) -> more
// TOML). Returns the stack plus the proxies; stop() also ends the proxies.
export async function startPoolStack({ ssos, proxies: specs = [], grok = () => ({}), extraSettings = () => '', env = {} }) {
  let proxies = [];
  let stack;
  try {
    stack = await startStack(ssos.map((s) => [s, 'super']), env, {
      settings: async (sim) => {
        proxies = await startProxies(sim, specs);
        return settings(grok(proxies, sim), extraSettings(proxies, sim));
      },
    });
  } catch (e) {
    for (const p of proxies) await p.close();
    throw e;
  }
  const stop = async () => {
    const violations = await stack.stop();
    for (const p of proxies) await p.close();
    return violations;
  };
  return { ...stack, proxies, stop };
}

export const ask = (client, content = 'hello') =>
  client.chat.completions.create({ model: 'grok-4-fast', messages: [{ role: 'user', content }] });

// The simulator's requests made with sso (its raw value), after seq.
export async function simRequests(sim, sso, afterSeq = 0) {
  const list = await sim.control(`requests?sso=${encodeURIComponent(sso)}`);
  return list.filter((r) => r.seq > afterSeq);
}

export async function lastSeq(sim) {
  const all = await sim.control('requests?limit=1');
  return all.length ? all[0].seq : 0;
}

// Asks until every sso in ssos made an upstream call after afterSeq (the gateway chooses
// the account; it spreads requests over accounts by quota). At most max requests.
export async function askUntilUsed(stack, ssos, { afterSeq = 0, max = 12 } = {}) {
  const answers = [];
  for (let i = 0; i < max; i++) {
    const used = await Promise.all(ssos.map(async (s) => (await simRequests(stack.sim, s, afterSeq)).some((r) => r.kind === 'mgw' || r.kind === 'rest_chat')));
    if (used.every(Boolean)) return answers;
    answers.push(await ask(stack.client, `request ${i}`));
  }
  const used = await Promise.all(ssos.map(async (s) => (await simRequests(stack.sim, s, afterSeq)).length));
  throw new Error(`after ${max} requests not every account was used: ${JSON.stringify(used)}`);
}

export async function proxiesState(gw) {
  const r = await gw.admin('GET', '/api/proxies');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.success, true);
  return r.body;
}

// The listed entry of proxy p (matched by port: the listing shows normalised, masked URLs).
export function entryOf(state, p) {
  const e = state.proxies.find((x) => portOf(x.url) === p.port);
  assert.ok(e, `proxy ${p.kind} :${p.port} is not listed: ${JSON.stringify(state.proxies)}`);
  return e;
}

// Call-log records, oldest first.
export async function callRecords(gw) {
  const r = await gw.admin('GET', '/api/logs?page_size=1000');
  assert.equal(r.status, 200);
  return r.body.data.slice().reverse();
}

// The one peer address every call of sso came through (after afterSeq), checked to be one.
export async function onlyPeer(sim, sso, afterSeq = 0) {
  const peers = new Set((await simRequests(sim, sso, afterSeq)).map((r) => r.peer));
  assert.equal(peers.size, 1, `${sso} came from ${[...peers].join(', ')}`);
  return [...peers][0];
}

// A 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

// Chat (both transports' callers share the egress), imagine images, an image edit (upload,
// edit, asset downloads) and a lite image (a chat turn plus asset downloads).
export async function everyKindOfCall(client) {
  await ask(client, 'a chat turn');
  const gen = await client.images.generate({ prompt: 'a red fox', n: 1, response_format: 'b64_json' });
  assert.ok(Buffer.from(gen.data[0].b64_json, 'base64').length > 100);
  const edit = await client.images.edit({ image: await toFile(PNG, 'in.png', { type: 'image/png' }), prompt: 'add a hat', response_format: 'b64_json' });
  assert.ok(Buffer.from(edit.data[0].b64_json, 'base64').length > 100);
  const lite = await client.images.generate({ model: 'grok-imagine-image-lite', prompt: 'a kite', n: 1, response_format: 'b64_json' });
  assert.ok(Buffer.from(lite.data[0].b64_json, 'base64').length > 100);
}
