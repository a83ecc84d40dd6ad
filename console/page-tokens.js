// Tokens: pool stats, the list with filters and paging, bulk add and delete, tags, notes
// and a test of one token.
import { t } from './i18n.js';
import { api } from './api.js';
import {
  h, dataTable, pager, statCard, badge, formatTime, formatNumber, toast, dialog,
  confirmDialog, promptDialog, busy, latestOnly, setChoices,
} from './ui.js';

// The Pro API's status labels, as the server sends and filters them.
const statuses = [
  ['正常', 'normal', 'ok'],
  ['未使用', 'unused', 'muted'],
  ['限流中', 'limited', 'warn'],
  ['失效', 'expired', 'bad'],
];
const types = [
  ['sso', 'Basic (sso)'],
  ['ssoSuper', 'Super (ssoSuper)'],
  ['ssoHeavy', 'Heavy (ssoHeavy)'],
];

export function masked(token) {
  return token.length > 16 ? `${token.slice(0, 8)}…${token.slice(-6)}` : token;
}

function statusBadge(label) {
  const s = statuses.find(([l]) => l === label);
  return s ? badge(t(`tokens.status.${s[1]}`), s[2]) : badge(label, 'muted');
}

function quota(v) {
  return v === undefined || v === null || v < 0 ? '–' : formatNumber(v);
}

// Splits pasted text into tokens: lines, commas, spaces; "sso=" cookie prefixes removed.
export function parseTokens(text) {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim().replace(/^sso=/, '')).filter(Boolean))];
}

export function render(main) {
  const state = { page: 1, pageSize: 20, type: '', status: '', tag: '' };
  const selected = new Map(); // token -> token_type

  const cards = {
    total: statCard(t('tokens.total')),
    active: statCard(t('tokens.normal')),
    unused: statCard(t('tokens.unused')),
    limited: statCard(t('tokens.limited')),
    expired: statCard(t('tokens.expired')),
    remaining: statCard(t('tokens.remaining')),
  };

  const typeSelect = h('select', { id: 'token-type-filter' },
    h('option', { value: '' }, t('app.any')),
    types.map(([v, l]) => h('option', { value: v }, l)));
  const statusSelect = h('select', { id: 'token-status-filter' },
    h('option', { value: '' }, t('app.any')),
    statuses.map(([v, k]) => h('option', { value: v }, t(`tokens.status.${k}`))));
  const tagSelect = h('select', { id: 'token-tag-filter' }, h('option', { value: '' }, t('app.any')));
  const sizeSelect = h('select', { id: 'token-page-size' },
    [10, 20, 50, 100].map((n) => h('option', { value: n, selected: n === state.pageSize }, n)));
  const addButton = h('button', { type: 'button', class: 'primary', id: 'tokens-add' }, t('tokens.add'));
  const deleteSelected = h('button', { type: 'button', class: 'danger', id: 'tokens-delete-selected', disabled: true },
    t('tokens.deleteSelected'));

  const selectAll = h('input', { type: 'checkbox', 'aria-label': t('tokens.selectAll') });
  const table = dataTable([
    { label: selectAll },
    { label: t('tokens.token') },
    { label: t('tokens.type') },
    { label: t('tokens.status') },
    { label: t('tokens.quota'), class: 'num' },
    { label: t('tokens.heavy'), class: 'num' },
    { label: t('tokens.video'), class: 'num' },
    { label: t('tokens.tags') },
    { label: t('tokens.note') },
    { label: t('tokens.created') },
    { label: t('app.actions') },
  ], t('tokens.title'));
  const pages = pager((p) => {
    state.page = p;
    load();
  });

  main.append(
    h('h1', {}, t('tokens.title')),
    h('div', { class: 'stats' }, Object.values(cards).map((c) => c.card)),
    h('div', { class: 'toolbar' },
      h('label', {}, t('tokens.type'), typeSelect),
      h('label', {}, t('tokens.status'), statusSelect),
      h('label', {}, t('tokens.tag'), tagSelect),
      h('label', {}, t('app.pageSize'), sizeSelect),
      h('span', { class: 'grow' }),
      deleteSelected, addButton),
    table.el, pages.el);

  const refilter = () => {
    state.type = typeSelect.value;
    state.status = statusSelect.value;
    state.tag = tagSelect.value;
    state.pageSize = Number(sizeSelect.value);
    state.page = 1;
    load();
  };
  for (const s of [typeSelect, statusSelect, tagSelect, sizeSelect]) s.addEventListener('change', refilter);

  selectAll.addEventListener('change', () => {
    for (const box of main.querySelectorAll('input.pick')) {
      box.checked = selectAll.checked;
      if (box.checked) selected.set(box.value, box.dataset.type);
      else selected.delete(box.value);
    }
    deleteSelected.disabled = selected.size === 0;
  });

  addButton.addEventListener('click', () => addTokens().then((n) => n && load()));
  deleteSelected.addEventListener('click', async () => {
    if (!(await confirmDialog(t('tokens.confirmDeleteMany', { count: selected.size }), t('app.delete')))) return;
    await busy(deleteSelected, async () => {
      // The API deletes from one pool at a time.
      const byType = new Map();
      for (const [token, type] of selected) byType.set(type, [...(byType.get(type) || []), token]);
      let count = 0;
      for (const [type, list] of byType) {
        const r = await api('POST', '/api/tokens/delete', { tokens: list, token_type: type });
        count += r.count ?? list.length;
      }
      toast(t('tokens.deleted', { count }));
      selected.clear();
      await load();
    });
    deleteSelected.disabled = selected.size === 0;
  });

  function row(tok) {
    const pick = h('input', {
      type: 'checkbox', class: 'pick', value: tok.token, checked: selected.has(tok.token),
      dataset: { type: tok.token_type },
      'aria-label': t('tokens.select', { token: masked(tok.token) }),
      onchange: (e) => {
        if (e.target.checked) selected.set(tok.token, tok.token_type);
        else selected.delete(tok.token);
        deleteSelected.disabled = selected.size === 0;
      },
    });
    const act = (label, fn, cls) => h('button', {
      type: 'button', class: cls,
      'aria-label': `${label} ${masked(tok.token)}`,
      onclick: (e) => busy(e.currentTarget, fn),
    }, label);
    return h('tr', { dataset: { token: tok.token } },
      h('td', {}, pick),
      h('td', { class: 'mono', title: tok.token }, masked(tok.token)),
      h('td', {}, tok.token_type === 'ssoSuper' ? 'Super' : tok.token_type === 'ssoHeavy' ? 'Heavy' : 'Basic'),
      h('td', {}, statusBadge(tok.status)),
      h('td', { class: 'num' }, quota(tok.remaining_queries)),
      h('td', { class: 'num' }, quota(tok.heavy_remaining_queries)),
      h('td', { class: 'num' }, tok.video_limit > 0 ? `${quota(tok.video_remaining)}/${tok.video_limit}` : quota(tok.video_remaining)),
      h('td', {}, (tok.tags || []).map((x) => h('span', { class: 'tag' }, x))),
      h('td', {}, tok.note || ''),
      h('td', {}, formatTime(tok.created_time)),
      h('td', { class: 'actions' },
        act(t('tokens.test'), async () => {
          try {
            const r = await api('POST', '/api/tokens/test', { token: tok.token, token_type: tok.token_type });
            toast(t('tokens.testOk', { token: masked(tok.token), remaining: r.data?.remaining_queries ?? '?' }));
          } finally {
            await load();
          }
        }),
        act(t('tokens.editTags'), async () => {
          const text = await promptDialog(t('tokens.editTags'), t('tokens.tagsPrompt'), (tok.tags || []).join(', '));
          if (text === undefined) return;
          const tags = text.split(',').map((s) => s.trim()).filter(Boolean);
          await api('POST', '/api/tokens/tags', { token: tok.token, token_type: tok.token_type, tags });
          toast(t('app.done'));
          await load();
        }),
        act(t('tokens.editNote'), async () => {
          const note = await promptDialog(t('tokens.editNote'), t('tokens.notePrompt'), tok.note || '');
          if (note === undefined) return;
          await api('POST', '/api/tokens/note', { token: tok.token, token_type: tok.token_type, note });
          toast(t('app.done'));
          await load();
        }),
        act(t('app.delete'), async () => {
          if (!(await confirmDialog(t('tokens.confirmDelete', { token: masked(tok.token) }), t('app.delete')))) return;
          const r = await api('POST', '/api/tokens/delete', { tokens: [tok.token], token_type: tok.token_type });
          selected.delete(tok.token);
          toast(t('tokens.deleted', { count: r.count ?? 1 }));
          await load();
        }, 'danger')));
  }

  async function loadStats() {
    try {
      const [stats, remaining, tags] = await Promise.all([
        api('GET', '/api/stats'),
        api('GET', '/api/stats/remaining'),
        api('GET', '/api/tokens/tags/all'),
      ]);
      const d = stats.data || {};
      const sum = (k) => ['normal', 'super', 'heavy'].reduce((n, p) => n + ((d[p] && d[p][k]) || 0), 0);
      cards.total.set(formatNumber(d.total ?? 0));
      cards.active.set(formatNumber(sum('active')));
      cards.unused.set(formatNumber(sum('unused')));
      cards.limited.set(formatNumber(sum('limited')));
      cards.expired.set(formatNumber(sum('expired')));
      cards.remaining.set(formatNumber(remaining.data?.chat_total_remaining ?? 0));
      setChoices(tagSelect, tags.data || []);
    } catch (e) {
      toast(t('app.failed', { message: e.message }), true);
    }
  }

  const ticket = latestOnly();
  async function load() {
    const current = ticket();
    table.loading();
    loadStats();
    const q = new URLSearchParams({ page: state.page, page_size: state.pageSize, sort: 'created_desc' });
    if (state.type) q.set('token_type', state.type);
    if (state.status) q.set('status', state.status);
    if (state.tag) q.set('tag', state.tag);
    try {
      const r = await api('GET', `/api/tokens?${q}`);
      if (!current()) return;
      const list = r.data || [];
      selectAll.checked = false;
      if (!list.length) {
        const filtered = state.type || state.status || state.tag;
        table.empty(filtered ? t('tokens.noMatch') : t('tokens.empty'));
      } else {
        table.rows(list.map(row));
      }
      pages.set(state.page, state.pageSize, r.total || 0);
    } catch (e) {
      if (current()) table.error(e, load);
    }
  }

  load();
}

// The bulk add dialog: resolves with the number added.
async function addTokens() {
  const area = h('textarea', { id: 'tokens-paste', rows: 8, spellcheck: 'false', autocomplete: 'off' });
  const type = h('select', { id: 'tokens-add-type' }, types.map(([v, l]) => h('option', { value: v }, l)));
  const error = h('p', { class: 'error', role: 'alert' });
  const content = h('div', {},
    h('label', { for: 'tokens-paste' }, t('tokens.addHelp')), area,
    h('label', {}, t('tokens.type'), type), error);
  setTimeout(() => area.focus(), 0);
  return dialog(t('tokens.add'), content, [{
    label: t('tokens.add'),
    class: 'primary',
    value: async () => {
      const list = parseTokens(area.value);
      if (!list.length) {
        error.textContent = t('tokens.nothingToAdd');
        return undefined;
      }
      try {
        const r = await api('POST', '/api/tokens/add', { tokens: list, token_type: type.value });
        toast(t('tokens.added', { count: r.count ?? list.length }));
        return list.length;
      } catch (e) {
        error.textContent = t('app.failed', { message: e.message });
        return undefined;
      }
    },
  }]);
}
