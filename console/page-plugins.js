// Plugins and log sinks: what is loaded (version, ABI, kinds), load errors, each sink's
// counters, and the gateway's health line.
import { t } from './i18n.js';
import { api } from './api.js';
import { h, clear, dataTable, badge, formatNumber, formatTime } from './ui.js';

export function render(main) {
  const health = h('p', { class: 'panel', id: 'plugins-health' }, t('app.loading'));
  const loaded = dataTable([
    { label: t('plugins.id') },
    { label: t('plugins.version') },
    { label: t('plugins.abi') },
    { label: t('plugins.kinds') },
    { label: t('plugins.file') },
    { label: t('plugins.required') },
    { label: t('plugins.description') },
  ], t('plugins.loaded'));
  const failures = dataTable([
    { label: t('plugins.file') },
    { label: t('plugins.id') },
    { label: t('plugins.message') },
    { label: t('plugins.required') },
  ], t('plugins.failures'));
  const sinks = dataTable([
    { label: t('plugins.id') },
    { label: t('plugins.delivered'), class: 'num' },
    { label: t('plugins.retried'), class: 'num' },
    { label: t('plugins.dropped'), class: 'num' },
    { label: t('plugins.pending'), class: 'num' },
    { label: t('plugins.inFlight'), class: 'num' },
    { label: t('plugins.queueMax'), class: 'num' },
    { label: t('plugins.lastError') },
  ], t('plugins.sinks'));
  loaded.el.id = 'plugins-loaded';
  failures.el.id = 'plugins-failures';
  sinks.el.id = 'plugins-sinks';
  const refresh = h('button', { type: 'button' }, t('app.refresh'));
  main.append(
    h('div', { class: 'toolbar' }, h('h1', { class: 'grow' }, t('plugins.title')), refresh),
    h('h2', {}, t('plugins.health')), health,
    h('h2', {}, t('plugins.loaded')), loaded.el,
    h('h2', {}, t('plugins.failures')), failures.el,
    h('h2', {}, t('plugins.sinks')), sinks.el);
  refresh.addEventListener('click', () => load());

  const yesNo = (b) => (b ? t('app.yes') : t('app.no'));

  async function loadHealth() {
    try {
      const r = await fetch('/health');
      const d = await r.json();
      clear(health).append(
        badge(d.status || `HTTP ${r.status}`, d.status === 'ok' ? 'ok' : 'warn'), ' ',
        `v${d.version || '?'} · ${t('plugins.storage')}: ${d.storage?.mode || d.storage_mode || '?'}`,
        d.storage && d.storage.ok === false ? ` · ${d.storage.error || ''}` : '');
    } catch (e) {
      clear(health).append(badge(t('app.failed', { message: e.message }), 'bad'));
    }
  }

  async function loadPlugins() {
    loaded.loading();
    failures.loading();
    try {
      const r = await api('GET', '/api/plugins');
      const list = r.data || [];
      if (!list.length) loaded.empty(t('plugins.none'));
      else loaded.rows(list.map((p) => h('tr', { dataset: { id: p.id } },
        h('td', { class: 'mono' }, p.id),
        h('td', {}, p.version),
        h('td', {}, p.abi),
        h('td', {}, (p.kinds || []).map((k) => h('span', { class: 'tag' }, k))),
        h('td', { class: 'mono' }, p.path),
        h('td', {}, yesNo(p.required)),
        h('td', {}, p.description || ''))));
      const bad = r.failures || [];
      if (!bad.length) failures.empty(t('plugins.noFailures'));
      else failures.rows(bad.map((f) => h('tr', {},
        h('td', { class: 'mono' }, f.path),
        h('td', {}, f.id || ''),
        h('td', {}, f.message),
        h('td', {}, yesNo(f.required)))));
    } catch (e) {
      loaded.error(e, loadPlugins);
      failures.empty('');
    }
  }

  async function loadSinks() {
    sinks.loading();
    try {
      const r = await api('GET', '/api/sinks');
      const list = r.data || [];
      if (!list.length) sinks.empty(t('plugins.noSinks'));
      else sinks.rows(list.map((s) => h('tr', { dataset: { id: s.id } },
        h('td', { class: 'mono' }, s.id),
        h('td', { class: 'num' }, formatNumber(s.delivered)),
        h('td', { class: 'num' }, formatNumber(s.retried)),
        h('td', { class: 'num' }, formatNumber(s.dropped)),
        h('td', { class: 'num' }, formatNumber(s.pending)),
        h('td', { class: 'num' }, typeof s.in_flight === 'boolean' ? yesNo(s.in_flight) : formatNumber(s.in_flight)),
        h('td', { class: 'num' }, formatNumber(s.queue_max)),
        h('td', {}, s.last_error ? `${formatTime(s.last_error.at)} ${s.last_error.message}` : '–'))));
    } catch (e) {
      sinks.error(e, loadSinks);
    }
  }

  function load() {
    return Promise.all([loadHealth(), loadPlugins(), loadSinks()]);
  }
  load();
}
