// Settings: every field of the schema, grouped and ordered as in setting.example.toml with
// its comments as help (English lines, and the Chinese ones in Chinese). Values are checked
// here before saving; the server's verdict is shown next to the field it names.
import { t, lang } from './i18n.js';
import { api } from './api.js';
import { h, clear, toast, busy } from './ui.js';

const cjk = /[\u3400-\u9fff\uff00-\uffef]/;

// The example file as [{section, keys: [{key, en, zh}]}] in file order. A comment block
// directly above a key (no blank line between) is its help.
export function parseExample(text) {
  const sections = [{ section: 'models', keys: [] }];
  let current = null; // top level until the first [section]
  let block = [];
  const sectionOf = (name) => {
    let s = sections.find((x) => x.section === name);
    if (!s) {
      s = { section: name, keys: [] };
      sections.push(s);
    }
    return s;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) {
      block = [];
      continue;
    }
    if (line.startsWith('#')) {
      block.push(line.replace(/^#\s?/, ''));
      continue;
    }
    const header = line.match(/^\[([A-Za-z0-9_-]+)\]$/);
    if (header) {
      current = header[1];
      sectionOf(current);
      block = [];
      continue;
    }
    const kv = line.match(/^([A-Za-z0-9_]+)\s*=/);
    if (kv) {
      const name = current ? current : kv[1]; // top-level keys (models) are sections
      const key = current ? kv[1] : '';
      sectionOf(name).keys.push({
        key,
        en: block.filter((l) => !cjk.test(l)).join('\n'),
        zh: block.filter((l) => cjk.test(l)).join('\n'),
      });
    }
    block = [];
  }
  return sections;
}

// The choices a string field's "expected" text lists ("one of a, b" or "empty or one of").
export function choicesOf(expected) {
  const m = (expected || '').match(/^(empty or )?one of (.+)$/);
  if (!m) return null;
  const list = m[2].split(', ');
  return m[1] ? ['', ...list] : list;
}

// The range an "expected" text states ("an integer >= 0", "an integer 1..65535",
// "a number > 0", "a number 0..1"); null when it states none.
export function rangeOf(expected) {
  const m = (expected || '').match(/^(?:an integer|a number) (?:(>=|>) (-?[\d.]+)|(-?[\d.]+)\.\.(-?[\d.]+))$/);
  if (!m) return null;
  if (m[1]) return m[1] === '>=' ? { min: Number(m[2]) } : { above: Number(m[2]) };
  return { min: Number(m[3]), max: Number(m[4]) };
}

function inRange(n, range) {
  if (!range) return true;
  if (range.min !== undefined && n < range.min) return false;
  if (range.max !== undefined && n > range.max) return false;
  if (range.above !== undefined && !(n > range.above)) return false;
  return true;
}

// A control's text -> the value to send, or {error}. expected: the schema's text, whose
// range is checked here too.
export function readValue(type, text, checked, expected) {
  const range = rangeOf(expected);
  const outside = () => ({ error: t('settings.expected', { expected }) });
  switch (type) {
    case 'bool':
      return { value: checked };
    case 'integer': {
      if (!/^-?\d+$/.test(text.trim())) return { error: t('settings.notInteger') };
      const n = Number(text.trim());
      return inRange(n, range) ? { value: n } : outside();
    }
    case 'float': {
      const n = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(n)) return { error: t('settings.notNumber') };
      return inRange(n, range) ? { value: n } : outside();
    }
    case 'string[]':
      return { value: text.split('\n').map((s) => s.trim()).filter(Boolean) };
    case 'integer[]': {
      const items = text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
      if (items.some((s) => !/^-?\d+$/.test(s))) return { error: t('settings.notIntList') };
      return { value: items.map(Number) };
    }
    case 'table[]': {
      try {
        const v = JSON.parse(text || '[]');
        if (!Array.isArray(v) || v.some((x) => x === null || typeof x !== 'object' || Array.isArray(x)))
          return { error: t('settings.notTables') };
        return { value: v };
      } catch (e) {
        return { error: t('settings.invalidJson', { message: e.message }) };
      }
    }
    default:
      return { value: text };
  }
}

function shownText(type, value) {
  if (type === 'string[]' || type === 'integer[]') return (value || []).join('\n');
  if (type === 'table[]') return JSON.stringify(value || [], null, 2);
  return value === undefined || value === null ? '' : String(value);
}

// Sections whose fields the admin API cannot change (edit setting.toml, restart).
const readOnlySections = new Set(['models', 'storage', 'plugins']);

export function render(main) {
  let reveal = false;
  const fields = new Map(); // name -> {info, control, error, row, original}
  const saveButton = h('button', { type: 'button', class: 'primary', id: 'settings-save' }, t('settings.save'));
  const revealBox = h('input', { type: 'checkbox', id: 'settings-reveal' });
  const status = h('span', { class: 'legend', id: 'settings-status', role: 'status' });
  const body = h('div', { id: 'settings-body' }, h('p', { class: 'state' }, t('app.loading')));
  main.append(
    h('div', { class: 'toolbar' },
      h('h1', { class: 'grow' }, t('settings.title')),
      h('label', { class: 'inline' }, revealBox, t('settings.reveal'))),
    body,
    h('div', { class: 'sticky-bar' }, saveButton, status));

  // The index scrolls to a section without changing the page's #hash.
  body.addEventListener('click', (e) => {
    const a = e.target.closest('.section-index a');
    if (!a) return;
    e.preventDefault();
    const target = document.getElementById(`settings-${a.dataset.section}`);
    target.scrollIntoView();
    target.focus({ preventScroll: true });
  });
  revealBox.addEventListener('change', () => {
    reveal = revealBox.checked;
    load();
  });
  saveButton.addEventListener('click', () => busy(saveButton, save));

  function changed() {
    const out = [];
    for (const [name, f] of fields) {
      if (f.readOnly) continue;
      const text = f.info.type === 'bool' ? '' : f.control.value;
      const r = readValue(f.info.type, text, f.control.checked, f.info.expected);
      if (r.error) out.push({ name, f, error: r.error });
      else if (JSON.stringify(r.value) !== JSON.stringify(f.original)) out.push({ name, f, value: r.value });
    }
    return out;
  }

  function showError(f, message) {
    f.error.textContent = message || '';
    f.row.classList.toggle('invalid', !!message);
    if (message) f.control.setAttribute('aria-invalid', 'true');
    else f.control.removeAttribute('aria-invalid');
  }

  function updateStatus() {
    const n = changed().length;
    status.textContent = n ? t('settings.unsaved', { count: n }) : '';
  }

  async function save() {
    for (const f of fields.values()) showError(f, '');
    const edits = changed();
    const bad = edits.filter((e) => e.error);
    if (bad.length) {
      for (const e of bad) showError(e.f, e.error);
      bad[0].f.control.focus();
      toast(t('settings.fixErrors'), true);
      return;
    }
    if (!edits.length) {
      toast(t('settings.noChange'));
      return;
    }
    const posted = {};
    for (const e of edits) {
      const group = `${e.f.info.section}_config`;
      posted[group] = posted[group] || {};
      posted[group][e.f.info.key] = e.value;
    }
    try {
      const r = await api('POST', '/api/settings', posted);
      toast(r.message === 'no change' ? t('settings.noChange') : t('settings.saved'));
      await load();
    } catch (e) {
      // The server names the key ("global.log_max_count" or "global.api_keys[1].rpm").
      const name = (e.param || '').replace(/\[.*$/, '');
      const f = fields.get(name);
      if (f) {
        showError(f, e.message);
        f.control.focus();
      }
      throw e;
    }
  }

  function fieldRow(info, help, value, pinned) {
    const id = `setting-${info.name.replace(/[^A-Za-z0-9_]/g, '-')}`;
    // A masked secret other than a list of tables (whose masked cells the server puts
    // back) would be saved masked if edited in part: editable once revealed.
    const hidden = info.secret && !reveal && info.type !== 'table[]';
    const readOnly = pinned || readOnlySections.has(info.section) || hidden;
    let control;
    const choices = info.type === 'string' ? choicesOf(info.expected) : null;
    if (info.type === 'bool') {
      control = h('input', { type: 'checkbox', id, checked: !!value });
    } else if (choices) {
      control = h('select', { id }, choices.map((c) => h('option', { value: c, selected: c === value }, c === '' ? '—' : c)));
      if (!choices.includes(value)) control.append(h('option', { value, selected: true }, value));
    } else if (info.type === 'integer' || info.type === 'float') {
      control = h('input', { type: 'text', inputmode: info.type === 'integer' ? 'numeric' : 'decimal', id, value: shownText(info.type, value) });
    } else if (info.type === 'string') {
      control = h('input', { type: info.secret && !reveal ? 'password' : 'text', id, value: shownText(info.type, value), autocomplete: 'off', spellcheck: 'false' });
    } else {
      control = h('textarea', { id, rows: info.type === 'table[]' ? 6 : 3, spellcheck: 'false' });
      control.value = shownText(info.type, value);
    }
    if (readOnly) control.disabled = true;
    const error = h('div', { class: 'error', id: `${id}-error`, role: 'alert' });
    const notes = [];
    if (help) notes.push(help);
    if (info.expected) notes.push(t('settings.expected', { expected: info.expected }));
    notes.push(t('settings.default', { value: JSON.stringify(info.default) }));
    if (info.type === 'string[]' || info.type === 'integer[]') notes.push(t('settings.listHelp'));
    control.setAttribute('aria-describedby', `${id}-help ${id}-error`);
    const row = h('div', { class: 'field', dataset: { name: info.name } },
      h('div', {}, h('label', { for: id, class: 'name' }, info.key || info.section),
        pinned ? h('div', { class: 'pinned' }, t('settings.pinned', { env: (info.env || []).join(', ') })) : null,
        readOnlySections.has(info.section) ? h('div', { class: 'pinned' }, t('settings.readOnly')) : null,
        hidden && !pinned ? h('div', { class: 'pinned' }, t('settings.revealToEdit')) : null),
      h('div', { class: 'control' }, control, error,
        h('div', { class: 'help', id: `${id}-help` }, notes.join('\n'))));
    control.addEventListener('input', () => {
      showError(fields.get(info.name), '');
      updateStatus();
    });
    control.addEventListener('change', updateStatus);
    fields.set(info.name, { info, control, error, row, original: value, readOnly });
    return row;
  }

  async function load() {
    try {
      const [example, schema, current] = await Promise.all([
        fetch('/static/setting.example.toml').then((r) => (r.ok ? r.text() : '')),
        api('GET', '/api/settings/schema'),
        api('GET', `/api/settings${reveal ? '?reveal=true' : ''}`),
      ]);
      const values = current.data || {};
      const pinned = new Set(current.pinned || []);
      const order = parseExample(example);
      const all = schema.data || [];
      fields.clear();
      clear(body);
      const index = h('nav', { class: 'toolbar section-index', 'aria-label': t('settings.sections') });
      body.append(index);
      const groups = [...order.map((o) => o.section), ...all.map((f) => f.section)];
      for (const section of [...new Set(groups)]) {
        const inSection = all.filter((f) => f.section === section);
        if (!inSection.length) continue;
        const doc = order.find((o) => o.section === section);
        const keyed = doc ? doc.keys.map((k) => k.key) : [];
        inSection.sort((a, b) => {
          const ia = keyed.indexOf(a.key);
          const ib = keyed.indexOf(b.key);
          return (ia < 0 ? 1e6 : ia) - (ib < 0 ? 1e6 : ib);
        });
        const rows = inSection.map((info) => {
          const comments = doc && doc.keys.find((k) => k.key === info.key);
          const help = comments
            ? lang === 'zh' ? [comments.zh, comments.en].filter(Boolean).join('\n') : comments.en
            : info.description;
          const value = info.key ? (values[section] || {})[info.key] : values[section];
          return fieldRow(info, help || info.description, value === undefined ? info.default : value, pinned.has(info.name));
        });
        const title = section === 'models' ? 'models' : `[${section}]`;
        index.append(h('a', { href: `#settings`, dataset: { section } }, title));
        body.append(h('section', { class: 'settings-section', id: `settings-${section}`, tabindex: -1 },
          h('h2', {}, title), rows));
      }
      body.append(h('p', { class: 'legend' }, t('settings.pluginsHelp')));
      updateStatus();
    } catch (e) {
      clear(body).append(h('p', { class: 'state error' }, t('app.failed', { message: e.message }), ' ',
        h('button', { type: 'button', onclick: load }, t('app.retry'))));
    }
  }

  load();
}
