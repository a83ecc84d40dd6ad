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

function answerText(prompt, attachments = []) {
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

module.exports = { lastUserLine, answerText, wantsThinking, wantsSearch, wantsDrawing, thinkingParts, searchResults, deltas };
