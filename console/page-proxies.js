// Proxy management (代理管理): health, failures, requests and bound SSOs; add, delete,
// test, reset health, bind and unbind an SSO.
import { t } from './i18n.js';
import { api } from './api.js';
import { h, clear, dataTable, statCard, badge, formatTime, formatNumber, toast, dialog, confirmDialog, busy } from './ui.js';
import { masked } from './page-tokens.js';

// Pro's proxy times are seconds; ours may be ms.
function when(v) {
  if (!v) return t('app.never');
  return formatTime(v, v < 1e12);
}

export function render(main) {
  const cards = {
    total: statCard(t('proxies.total')),
    healthy: statCard(t('proxies.healthy')),
    unhealthy: statCard(t('proxies.unhealthy')),
    bound: statCard(t('proxies.bound')),
  };
  const urlInput = h('input', {
    type: 'text', id: 'proxy-url', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'http://127.0.0.1:8888', 'aria-describedby': 'proxy-url-help',
  });
  const addButton = h('button', { type: 'submit', class: 'primary', id: 'proxy-add' }, t('proxies.add'));
  const addError = h('p', { class: 'error legend', role: 'alert', id: 'proxy-add-error' });
  const addForm = h('form', { class: 'toolbar', id: 'proxy-add-form' },
    h('label', { class: 'grow' }, t('proxies.url'), urlInput,
      h('span', { id: 'proxy-url-help' }, t('proxies.urlHelp'))),
    addButton);
  const egress = h('p', { class: 'legend', id: 'proxy-egress' });
  const table = dataTable([
    { label: t('proxies.url') },
    { label: t('proxies.health') },
    { label: t('proxies.failures'), class: 'num' },
    { label: t('proxies.requests'), class: 'num' },
    { label: t('proxies.ssos') },
    { label: t('proxies.source') },
    { label: t('proxies.lastUsed') },
    { label: t('proxies.lastError') },
    { label: t('app.actions') },
  ], t('proxies.title'));
  main.append(
    h('h1', {}, t('proxies.title')),
    h('div', { class: 'stats' }, Object.values(cards).map((c) => c.card)),
    addForm, addError, egress, table.el);

  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    addError.textContent = '';
    const url = urlInput.value.trim();
    if (!url) {
      urlInput.focus();
      return;
    }
    await busy(addButton, async () => {
      try {
        const r = await api('POST', '/api/proxies', { url });
        toast(r.message || t('proxies.added'));
        urlInput.value = '';
        await load();
      } catch (err) {
        addError.textContent = t('app.failed', { message: err.message });
        urlInput.focus();
      }
    });
  });

  function row(p) {
    const act = (label, fn, cls) => h('button', {
      type: 'button', class: cls, 'aria-label': `${label} ${p.url}`,
      onclick: (e) => busy(e.currentTarget, fn),
    }, label);
    const ssos = (p.assigned_sso || []).map((sso) =>
      h('div', {},
        h('span', { class: 'mono', title: sso }, masked(sso)), ' ',
        act(t('proxies.unassign'), async () => {
          await api('POST', '/api/proxies/unassign', { sso });
          toast(t('proxies.unassigned'));
          await load();
        })));
    return h('tr', { dataset: { url: p.url } },
      h('td', { class: 'mono' }, p.url),
      h('td', {}, p.healthy ? badge(t('proxies.ok'), 'ok') : badge(t('proxies.bad'), 'bad')),
      h('td', { class: 'num' }, formatNumber(p.fail_count)),
      h('td', { class: 'num' }, `${formatNumber(p.success_requests)}/${formatNumber(p.total_requests)}`),
      h('td', {}, ssos),
      h('td', {}, p.source || ''),
      h('td', {}, when(p.last_used)),
      h('td', {}, p.last_error || ''),
      h('td', { class: 'actions' },
        act(t('proxies.test'), async () => {
          const r = await api('POST', '/api/proxies/test', { url: p.url });
          toast(t('proxies.testResult', { url: p.url, status: r.status_code, time: r.response_time, note: r.note || '' }));
          await load();
        }),
        act(t('proxies.reset'), async () => {
          await api('POST', '/api/proxies/health/reset', { url: p.url });
          toast(t('proxies.resetDone', { url: p.url }));
          await load();
        }),
        act(t('proxies.assign'), async () => {
          if (await assignDialog(p.url)) await load();
        }),
        act(t('app.delete'), async () => {
          if (!(await confirmDialog(t('proxies.confirmDelete', { url: p.url }), t('app.delete')))) return;
          await api('DELETE', '/api/proxies', { url: p.url });
          toast(t('app.done'));
          await load();
        }, 'danger')));
  }

  async function load() {
    table.loading();
    try {
      const r = await api('GET', '/api/proxies');
      const list = r.proxies || [];
      cards.total.set(formatNumber(list.length));
      cards.healthy.set(formatNumber(list.filter((p) => p.healthy).length));
      cards.unhealthy.set(formatNumber(list.filter((p) => !p.healthy).length));
      cards.bound.set(formatNumber(Object.keys(r.assignments || {}).length));
      clear(egress);
      if (r.static_proxy) egress.append(t('proxies.static', { url: r.static_proxy }), ' · ');
      egress.append(t('proxies.direct', { mode: r.allow_direct ? t('app.yes') : t('app.no') }));
      if (!list.length) table.empty(t('proxies.empty'));
      else table.rows(list.map(row));
    } catch (e) {
      table.error(e, load);
    }
  }

  load();
}

// Binding: pick one of the pool's tokens. Resolves true when bound.
async function assignDialog(url) {
  let tokens = [];
  try {
    tokens = (await api('GET', '/api/tokens?limit=100000&sort=created_desc')).data || [];
  } catch (e) {
    toast(t('app.failed', { message: e.message }), true);
    return false;
  }
  if (!tokens.length) {
    toast(t('proxies.noTokens'), true);
    return false;
  }
  const select = h('select', { id: 'proxy-assign-sso' },
    tokens.map((tok) => h('option', { value: tok.token }, `${masked(tok.token)} (${tok.status})`)));
  const error = h('p', { class: 'error', role: 'alert' });
  setTimeout(() => select.focus(), 0);
  const done = await dialog(t('proxies.assignTitle', { url }),
    h('div', {}, h('label', {}, t('proxies.pickSso'), select), error), [{
      label: t('proxies.assign'),
      class: 'primary',
      value: async () => {
        try {
          await api('POST', '/api/proxies/assign', { proxy_url: url, sso: select.value });
          toast(t('proxies.assigned'));
          return true;
        } catch (e) {
          error.textContent = t('app.failed', { message: e.message });
          return undefined;
        }
      },
    }]);
  return done === true;
}
