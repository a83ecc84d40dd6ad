'use strict';
// Deterministic "model" output shared by the mgw and REST chat paths, so tests
// can assert on exact text: the answer is always `You said: <last user line>`.

// Gateways flatten OpenAI messages as "[role]\ntext\n\n"; the last line that is
// not a role marker is what the user said last.
function lastUserLine(prompt) {
  const lines = String(prompt || '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^\[[\w -]+\]$/.test(l));
  return lines.length ? lines[lines.length - 1] : '';
}

// Gateways emulate OpenAI tools and JSON answers through instructions in the prompt
// (grok.com has neither): a <tools> list of {name, description, parameters} lines, and
// "Answer with exactly one JSON object", optionally with a <json_schema> block.
const HEADER = /^\[(system|user|assistant|tool|tool result for [^\]]*)\]$/;

// The flattened prompt as [{header, body}] sections.
function sections(prompt) {
  const out = [];
  for (const line of String(prompt || '').split('\n')) {
    const m = line.trim().match(HEADER);
    if (m) out.push({ header: m[1], body: [] });
    else if (out.length) out[out.length - 1].body.push(line);
  }
  return out.map((s) => ({ header: s.header, body: s.body.join('\n').trim() }));
}

function toolsIn(prompt) {
  const m = String(prompt || '').match(/<tools>\n([\s\S]*?)\n<\/tools>/);
  if (!m) return [];
  return m[1].split('\n').flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
}

function jsonSchemaIn(prompt) {
  const m = String(prompt || '').match(/<json_schema>\n([\s\S]*?)\n<\/json_schema>/);
  if (!m) return null;
  try {
    return JSON.parse(m[1]);
  } catch {
    return null;
  }
}

// A value that satisfies a (simple) JSON schema: strings "x" ("Paris" for a city), numbers 1.
function sampleValue(schema, key) {
  const s = schema || {};
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return key === 'city' ? 'Paris' : 'x';
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return s.items ? [sampleValue(s.items)] : [];
    case 'null':
      return null;
    default: {
      const out = {};
      for (const [k, v] of Object.entries(s.properties || {})) out[k] = sampleValue(v, k);
      return out;
    }
  }
}

function lastSection(prompt, pred) {
  const all = sections(prompt).filter(pred);
  return all.length ? all[all.length - 1] : null;
}

// The answer to a prompt that carries a gateway's tool or JSON instruction, or null.
function shapedAnswer(prompt) {
  const all = sections(prompt);
  const user = lastSection(prompt, (s) => s.header === 'user');
  const said = `You said: ${user ? user.body.split('\n').pop().trim() : ''}`;
  const tools = toolsIn(prompt);
  if (tools.length) {
    // After a tool result (the last non-system section), the model answers with it.
    const convo = all.filter((s) => s.header !== 'system');
    const last = convo[convo.length - 1];
    if (last && last.header.startsWith('tool')) return `The tool returned: ${last.body}`;
    if (user) return `<tool_call>${JSON.stringify({ name: tools[0].name, arguments: sampleValue(tools[0].parameters || { type: 'object' }) })}</tool_call>`;
  }
  if (/Answer with exactly one JSON object/.test(prompt)) {
    if (/prose only/i.test(said)) return said; // a model ignoring the instruction
    const schema = jsonSchemaIn(prompt);
    return JSON.stringify(schema ? sampleValue({ type: 'object', ...schema }) : { answer: said });
  }
  return null;
}

function answerText(prompt, attachments = []) {
  const shaped = shapedAnswer(prompt);
  if (shaped !== null) return shaped;
  let text = `You said: ${lastUserLine(prompt)}`;
  if (attachments.length) text += ` (attachments: ${attachments.join(', ')})`;
  return text;
}

const wantsThinking = (mode, prompt) => mode === 'expert' || mode === 'heavy' || /think/i.test(prompt);
const wantsSearch = (prompt) => /search/i.test(prompt);
const wantsDrawing = (prompt) => /^\s*Drawing:/.test(prompt) || lastUserLine(prompt).startsWith('Drawing:');

function thinkingParts(prompt) {
  const line = lastUserLine(prompt).slice(0, 60);
  return ['Thinking about your request', `\nThe user wrote "${line}".`, '\nI will repeat it back.'];
}

function searchResults(query) {
  const slug = encodeURIComponent(query.toLowerCase().replace(/\s+/g, '-').slice(0, 40)) || 'q';
  return [
    { url: `https://example.com/${slug}`, title: `Example result for ${query}`, snippet: `A page about ${query}.` },
    { url: `https://example.org/wiki/${slug}`, title: `${query} - Wiki`, snippet: `Encyclopedia entry on ${query}.` },
  ];
}

// Splits text into `n` roughly equal deltas at spaces (never empty pieces).
function deltas(text, n = 4) {
  if (text.length < n * 2) return [text];
  const out = [];
  let rest = text;
  for (let i = n; i > 1; i--) {
    let cut = Math.ceil(rest.length / i);
    const sp = rest.indexOf(' ', cut);
    if (sp > 0 && sp < rest.length - 1) cut = sp + 1;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
    if (!rest) break;
  }
  if (rest) out.push(rest);
  return out;
}

module.exports = { lastUserLine, answerText, shapedAnswer, sampleValue, wantsThinking, wantsSearch, wantsDrawing, thinkingParts, searchResults, deltas };
