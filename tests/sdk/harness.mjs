// Starts the grok.com simulator and a grok2api gateway pointed at it, for tests that use
// the official openai npm package exactly as users do.
import { spawn } from 'node:child_process';
import OpenAI from 'openai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

// Resolves with the first stdout line matching re (its match), or rejects when the
// process exits first.
function waitForLine(child, re, what) {
  return new Promise((resolveLine, reject) => {
    let buffer = '';
    const onData = (data) => {
      buffer += data.toString();
      const m = buffer.match(re);
      if (m) {
        child.stdout.off('data', onData);
        resolveLine(m);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready:\n${buffer}`)));
  });
}

export async function startSimulator() {
  const child = spawn(process.execPath, [join(root, 'tests/simulator/server.js'), '--port', '0', '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const m = await waitForLine(child, /(\{"grok".*\})\n/, 'the simulator');
  const urls = JSON.parse(m[1]);
  const control = async (path, body) => {
    const r = await fetch(`${urls.grok}/__sim/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`simulator ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  await control('config', { chunk_delay_ms: 0, video_step_ms: 0, imagine_step_ms: 0 });
  return { ...urls, control, stop: () => stopChild(child) };
}

// options.settings: TOML text written to data/setting.toml first (plugin tables such as
// [[plugins.log-webhook.receivers]], which the environment cannot express).
// options.work: an existing working directory to start in again (its data/ is kept).
export async function startGateway(sim, extraEnv = {}, options = {}) {
  const buildDir = process.env.G2A_BUILD_DIR || join(root, 'build-test');
  const work = options.work || mkdtempSync(join(tmpdir(), 'g2a-sdk-'));
  if (options.settings) {
    mkdirSync(join(work, 'data'), { recursive: true });
    writeFileSync(join(work, 'data', 'setting.toml'), options.settings);
  }
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GROK2API_'))),
    GROK2API_GROK_UPSTREAM_URL: sim.grok,
    GROK2API_GROK_ASSETS_URL: sim.assets,
    GROK2API_GROK_ACCOUNTS_URL: sim.accounts,
    API_KEY: 'sk-test-key',
    ADMIN_PASSWORD: 'sdk-test-admin',
    ...extraEnv,
  };
  const child = spawn(join(buildDir, 'bin/grok2api'), ['--host', '127.0.0.1', '--port', '0'], {
    cwd: work,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Everything the gateway writes is kept (tests may search its log) and its stderr is
  // passed on, as before.
  let output = '';
  child.stdout.on('data', (d) => {
    output += d.toString();
  });
  child.stderr.on('data', (d) => {
    output += d.toString();
    process.stderr.write(d);
  });
  const m = await waitForLine(child, /listening on 127\.0\.0\.1:(\d+)/, 'the gateway');
  const base = `http://127.0.0.1:${m[1]}`;
  const login = await (await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'sdk-test-admin' }),
  })).json();
  const admin = async (method, path, body) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: await r.json() };
  };
  return {
    base,
    admin,
    work, // the gateway's working directory (data/ holds its storage)
    output: () => output, // what the gateway has written to stdout and stderr so far
    // SIGTERM and wait for the exit, keeping the working directory for inspection.
    halt: () => stopChild(child),
    // SIGKILL (a crash: nothing is saved on the way out), keeping the working directory.
    kill: () => stopChild(child, 'SIGKILL'),
    stop: async () => {
      await stopChild(child);
      rmSync(work, { recursive: true, force: true });
    },
  };
}

function stopChild(child, signal = 'SIGTERM') {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveStop(child.exitCode);
    child.once('exit', (code) => resolveStop(code));
    child.kill(signal);
  });
}

// A simulator, a gateway with the given accounts in its pool ([sso, tier] pairs, added as
// ssoSuper), and an openai client without retries. stop() ends both and returns the
// simulator's protocol violations. options as for startGateway; options.settings may also
// be a function of the simulator (its URLs) giving the TOML text, or a promise of it.
export async function startStack(accounts, gatewayEnv = {}, options = {}) {
  const sim = await startSimulator();
  let gw;
  try {
    const settings = typeof options.settings === 'function' ? await options.settings(sim) : options.settings;
    gw = await startGateway(sim, gatewayEnv, { ...options, settings });
  } catch (e) {
    await sim.stop();
    throw e;
  }
  for (const [sso, tier] of accounts) await sim.control('accounts', { sso, tier });
  if (accounts.length) {
    const added = await gw.admin('POST', '/api/tokens/add', {
      tokens: accounts.map(([sso]) => sso),
      token_type: 'ssoSuper',
    });
    if (added.status !== 200) throw new Error(`adding tokens: ${JSON.stringify(added.body)}`);
  }
  const client = new OpenAI({ apiKey: 'sk-test-key', baseURL: `${gw.base}/v1`, maxRetries: 0 });
  const stop = async () => {
    await gw.stop();
    const violations = await sim.control('violations');
    await sim.stop();
    return violations;
  };
  return { sim, gw, client, stop };
}
