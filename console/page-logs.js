// Call logs (调用日志): stats, a chart of calls and success rate, the log API's filters,
// paging, a record's detail, export, trim and clear.
import { t } from './i18n.js';
import { api, download } from './api.js';
import {
  h, clear, dataTable, pager, statCard, badge, formatTime, formatNumber, toast, dialog,
  confirmDialog, promptDialog, busy, latestOnly, setChoices,
} from './ui.js';
import { callsChart } from './chart.js';

const bucketMs = { minute: 60000, hour: 3600000, day: 86400000 };
// The chart's range when the filters give none: enough buckets to read a trend.
const defaultSpan = { minute: 2 * 3600000, hour: 24 * 3600000, day: 30 * 86400000 };

// <input type=datetime-local> value <-> ms, in the browser's time zone.
function localInputMs(value) {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}

export function render(main) {
  const state = { page: 1, pageSize: 50, sso: '', model: '', success: '', from: null, to: null, bucket: 'hour' };

  const cards = {
    total: statCard(t('logs.total')),
    success: statCard(t('logs.success')),
    failed: statCard(t('logs.failed')),
    rate: statCard(t('logs.rate')),
    today: statCard(t('logs.today')),
  };

  const ssoInput = h('input', { type: 'search', id: 'logs-sso', autocomplete: 'off' });
  const modelSelect = h('select', { id: 'logs-model' }, h('option', { value: '' }, t('app.any')));
  const resultSelect = h('select', { id: 'logs-success' },
    h('option', { value: '' }, t('app.any')),
    h('option', { value: 'true' }, t('logs.ok')),
    h('option', { value: 'false' }, t('logs.bad')));
  const fromInput = h('input', { type: 'datetime-local', id: 'logs-from', step: 1 });
  const toInput = h('input', { type: 'datetime-local', id: 'logs-to', step: 1 });
  const sizeSelect = h('select', { id: 'logs-page-size' },
    [20, 50, 100, 200].map((n) => h('option', { value: n, selected: n === state.pageSize }, n)));
  const searchButton = h('button', { type: 'submit', class: 'primary' }, t('logs.search'));
  const resetButton = h('button', { type: 'button' }, t('logs.reset'));
  const filters = h('form', { class: 'toolbar', id: 'logs-filters' },
    h('label', {}, t('logs.sso'), ssoInput),
    h('label', {}, t('logs.model'), modelSelect),
    h('label', {}, t('logs.result'), resultSelect),
    h('label', {}, t('logs.from'), fromInput),
    h('label', {}, t('logs.to'), toInput),
    h('label', {}, t('app.pageSize'), sizeSelect),
    searchButton, resetButton);

  const bucketSelect = h('select', { id: 'logs-bucket' },
    Object.keys(bucketMs).map((b) => h('option', { value: b, selected: b === state.bucket }, t(`logs.bucket.${b}`))));
  const chartBox = h('div', { class: 'chart-box' });
  const chartNote = h('p', { class: 'legend summary', id: 'logs-chart-summary' });

  const exportCsv = h('button', { type: 'button', id: 'logs-export-csv' }, t('logs.exportCsv'));
  const exportNd = h('button', { type: 'button', id: 'logs-export-ndjson' }, t('logs.exportNdjson'));
  const trimButton = h('button', { type: 'button', id: 'logs-trim' }, t('logs.trim'));
  const clearButton = h('button', { type: 'button', class: 'danger', id: 'logs-clear' }, t('logs.clear'));

  const table = dataTable([
    { label: t('logs.time') },
    { label: t('logs.model') },
    { label: 'SSO' },
    { label: t('logs.result') },
    { label: t('logs.status'), class: 'num' },
    { label: t('logs.latency'), class: 'num' },
    { label: t('logs.error') },
  ], t('logs.title'));
  const pages = pager((p) => {
    state.page = p;
    loadRecords();
  });

  main.append(
    h('h1', {}, t('logs.title')),
    h('div', { class: 'stats' }, Object.values(cards).map((c) => c.card)),
    h('section', { class: 'panel', 'aria-labelledby': 'logs-chart-title' },
      h('div', { class: 'toolbar' },
        h('h2', { id: 'logs-chart-title', class: 'grow' }, t('logs.chart')),
        h('label', { class: 'inline' }, t('logs.bucket'), bucketSelect)),
      chartBox,
      h('div', { class: 'legend' },
        h('span', { class: 'l-calls' }, t('logs.legendCalls')),
        h('span', { class: 'l-failures' }, t('logs.legendFailures')),
        h('span', { class: 'l-rate' }, t('logs.legendRate'))),
      chartNote),
    filters,
    h('div', { class: 'toolbar' }, h('span', { class: 'grow' }), exportCsv, exportNd, trimButton, clearButton),
    table.el, pages.el);

  function query(extra = {}) {
    const q = new URLSearchParams();
    if (state.sso) q.set('sso', state.sso);
    if (state.model) q.set('model', state.model);
    if (state.success) q.set('success', state.success);
    if (state.from !== null) q.set('start_time', state.from);
    if (state.to !== null) q.set('end_time', state.to);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return q;
  }

  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    state.sso = ssoInput.value.trim();
    state.model = modelSelect.value;
    state.success = resultSelect.value;
    state.from = localInputMs(fromInput.value);
    state.to = localInputMs(toInput.value);
    state.pageSize = Number(sizeSelect.value);
    state.page = 1;
    loadAll();
  });
  resetButton.addEventListener('click', () => {
    filters.reset();
    Object.assign(state, { sso: '', model: '', success: '', from: null, to: null, page: 1 });
    state.pageSize = Number(sizeSelect.value);
    loadAll();
  });
  bucketSelect.addEventListener('change', () => {
    state.bucket = bucketSelect.value;
    loadChart();
  });
  exportCsv.addEventListener('click', () =>
    busy(exportCsv, () => download(`/api/logs/export?${query({ format: 'csv' })}`, 'call_logs.csv')));
  exportNd.addEventListener('click', () =>
    busy(exportNd, () => download(`/api/logs/export?${query({ format: 'ndjson' })}`, 'call_logs.ndjson')));
  trimButton.addEventListener('click', async () => {
    const text = await promptDialog(t('logs.trim'), t('logs.trimPrompt'), '1000');
    if (text === undefined) return;
    const count = Number(text);
    if (!Number.isInteger(count) || count < 0) {
      toast(t('settings.notInteger'), true);
      return;
    }
    if (!(await confirmDialog(t('logs.confirmTrim', { count: formatNumber(count) }), t('app.delete')))) return;
    await busy(trimButton, async () => {
      const r = await api('DELETE', `/api/logs?max_count=${count}`);
      toast(t('logs.deleted', { count: r.deleted_count ?? r.data?.deleted_count ?? 0 }));
      await loadAll();
    });
  });
  clearButton.addEventListener('click', async () => {
    if (!(await confirmDialog(t('logs.confirmClear'), t('logs.clear')))) return;
    await busy(clearButton, async () => {
      const r = await api('DELETE', '/api/logs?max_count=0');
      toast(t('logs.deleted', { count: r.deleted_count ?? r.data?.deleted_count ?? 0 }));
      await loadAll();
    });
  });

  function row(rec) {
    const tr = h('tr', {
      class: 'clickable', tabindex: 0, dataset: { id: rec.id },
      'aria-label': `${formatTime(rec.timestamp)} ${rec.model}`,
    },
    h('td', {}, formatTime(rec.timestamp)),
    h('td', {}, rec.model || ''),
    h('td', { class: 'mono' }, rec.sso || ''),
    h('td', {}, rec.success ? badge(t('logs.ok'), 'ok') : badge(t('logs.bad'), 'bad')),
    h('td', { class: 'num' }, rec.status_code ?? ''),
    h('td', { class: 'num' }, typeof rec.response_time === 'number' ? rec.response_time.toFixed(3) : ''),
    h('td', {}, rec.error_message || ''));
    const open = () => showRecord(rec);
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open();
      }
    });
    return tr;
  }

  async function loadStats() {
    try {
      const [stats, models] = await Promise.all([api('GET', '/api/logs/stats'), api('GET', '/api/logs/models')]);
      const d = stats.data || {};
      cards.total.set(formatNumber(d.total ?? 0));
      cards.success.set(formatNumber(d.success ?? 0));
      cards.failed.set(formatNumber(d.failed ?? 0));
      cards.rate.set(`${Number(d.success_rate ?? 0).toFixed(2)}%`);
      cards.today.set(formatNumber(d.today_total ?? 0));
      setChoices(modelSelect, models.data || []);
    } catch (e) {
      toast(t('app.failed', { message: e.message }), true);
    }
  }

  const chartTicket = latestOnly();
  async function loadChart() {
    const current = chartTicket();
    const size = bucketMs[state.bucket];
    const to = state.to ?? Date.now();
    const from = state.from ?? to - defaultSpan[state.bucket];
    try {
      const r = await api('GET', `/api/logs/timeseries?${query({ bucket: state.bucket, start_time: from, end_time: to })}`);
      if (!current()) return;
      const points = r.data || [];
      clear(chartBox);
      const calls = points.reduce((n, p) => n + p.calls, 0);
      const failures = points.reduce((n, p) => n + p.failures, 0);
      const label = (ms) => {
        const d = new Date(ms);
        const pad = (n) => String(n).padStart(2, '0');
        return state.bucket === 'day' ? `${d.getMonth() + 1}/${d.getDate()}` : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
      };
      const summary = t('logs.chartSummary', { buckets: points.length, calls: formatNumber(calls), failures: formatNumber(failures) });
      // The first bucket may start before the range (days begin at midnight).
      const start = Math.min(from, ...points.map((p) => p.time));
      const end = Math.max(to, ...points.map((p) => p.time + size));
      chartBox.append(callsChart(points, { from: start, to: end, size, label, title: summary }));
      chartNote.textContent = calls ? summary : t('logs.chartEmpty');
    } catch (e) {
      if (current()) clear(chartBox).append(h('p', { class: 'state error' }, t('app.failed', { message: e.message })));
    }
  }

  const recordsTicket = latestOnly();
  async function loadRecords() {
    const current = recordsTicket();
    table.loading();
    try {
      const r = await api('GET', `/api/logs?${query({ page: state.page, page_size: state.pageSize })}`);
      if (!current()) return;
      const list = r.data || [];
      if (!list.length) {
        const filtered = state.sso || state.model || state.success || state.from !== null || state.to !== null;
        table.empty(filtered ? t('logs.noMatch') : t('logs.empty'));
      } else {
        table.rows(list.map(row));
      }
      pages.set(state.page, state.pageSize, r.total || 0);
    } catch (e) {
      if (current()) table.error(e, loadRecords);
    }
  }

  function loadAll() {
    return Promise.all([loadStats(), loadChart(), loadRecords()]);
  }

  loadAll();
}

// Every field of one record, in a dialog.
function showRecord(rec) {
  const dl = h('dl', { class: 'detail', id: 'log-detail' });
  for (const [k, v] of Object.entries(rec)) {
    let text = v;
    if (k === 'timestamp') text = `${formatTime(v)} (${v})`;
    else if (v !== null && typeof v === 'object') text = JSON.stringify(v);
    else if (v === null || v === '') text = '–';
    dl.append(h('dt', {}, k), h('dd', { class: typeof v === 'string' && v.length > 40 ? 'mono' : '' }, String(text)));
  }
  return dialog(t('logs.detail', { id: rec.id }), dl);
}
