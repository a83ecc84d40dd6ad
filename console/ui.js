// Small DOM helpers shared by the pages: element building, tables with empty and error
// states, paging, dialogs and toasts.
import { t, lang } from './i18n.js';

// h('td', {class: 'num'}, 'text', child...): attributes starting with "on" are listeners.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// For loads that may overlap (filters changed quickly, a poll): each call of the returned
// function starts a load and gives a check that is true only while no later load started,
// so an older answer never replaces a newer one.
export function latestOnly() {
  let n = 0;
  return () => {
    const mine = ++n;
    return () => mine === n;
  };
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

const dateFormat = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

// A time in ms (or s when seconds is set) as local date and time; '' for none.
export function formatTime(value, seconds = false) {
  if (value === undefined || value === null || value === '' || value <= 0) return '';
  const ms = seconds ? value * 1000 : value;
  return dateFormat.format(new Date(ms));
}

export function formatNumber(n) {
  if (n === undefined || n === null || Number.isNaN(n)) return '–';
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en').format(n);
}

// Replaces a filter's choices with "Any" and values, keeping the chosen one selected.
export function setChoices(select, values) {
  const current = select.value;
  clear(select).append(h('option', { value: '' }, t('app.any')),
    ...values.map((v) => h('option', { value: v, selected: v === current }, v)));
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind}` }, text);
}

// A stat card whose value is filled later (fixed height: no jump when it arrives).
export function statCard(label) {
  const value = h('div', { class: 'value' }, '–');
  const card = h('div', { class: 'stat' }, h('div', { class: 'label' }, label), value);
  return { card, set: (v) => (value.textContent = v) };
}

// A table: columns [{label, class}], rows filled by render(rows) with one function per
// row returning <td>s. States: loading, empty (with a message), error (with retry).
export function dataTable(columns, caption) {
  const head = h('tr', {}, columns.map((c) => h('th', { class: c.class, scope: 'col' }, c.label)));
  const body = h('tbody');
  const table = h('table', {}, caption ? h('caption', { class: 'skip' }, caption) : null,
    h('thead', {}, head), body);
  const wrap = h('div', { class: 'table-wrap' }, table);
  const stateRow = (cls, ...content) =>
    h('tr', {}, h('td', { colspan: columns.length, class: `state ${cls}` }, ...content));
  return {
    el: wrap,
    head,
    loading() {
      if (!body.firstChild) body.append(stateRow('', t('app.loading')));
    },
    empty(message) {
      clear(body).append(stateRow('empty', message));
    },
    error(err, retry) {
      clear(body).append(
        stateRow('error', t('app.failed', { message: err.message }), ' ',
          retry ? h('button', { type: 'button', onclick: retry }, t('app.retry')) : null));
    },
    rows(trs) {
      clear(body).append(...trs);
    },
  };
}

// Previous / next with "page x of y". onChange(page).
export function pager(onChange) {
  const info = h('span');
  const prev = h('button', { type: 'button' }, t('app.prev'));
  const next = h('button', { type: 'button' }, t('app.next'));
  let page = 1;
  let pages = 1;
  prev.addEventListener('click', () => page > 1 && onChange(page - 1));
  next.addEventListener('click', () => page < pages && onChange(page + 1));
  return {
    el: h('div', { class: 'pager' }, prev, info, next),
    set(p, size, total) {
      page = p;
      pages = Math.max(1, Math.ceil(total / size));
      info.textContent = t('app.page', { page: p, pages, total: formatNumber(total) });
      prev.disabled = page <= 1;
      next.disabled = page >= pages;
    },
  };
}

let toastBox = null;
export function toast(message, bad = false) {
  if (!toastBox) toastBox = document.getElementById('toast');
  const m = h('div', { class: bad ? 'msg bad' : 'msg' }, message);
  toastBox.append(m);
  setTimeout(() => m.remove(), bad ? 8000 : 4000);
}

// A modal <dialog> with content and buttons; resolves with what the button gave
// (undefined when dismissed with Escape or Cancel).
export function dialog(title, content, buttons = []) {
  return new Promise((resolve) => {
    let result;
    const heading = h('h2', { id: 'dialog-title' }, title);
    const row = h('div', { class: 'buttons' });
    const d = h('dialog', { 'aria-labelledby': 'dialog-title' }, heading, content, row);
    for (const b of buttons) {
      row.append(
        h('button', {
          type: 'button',
          class: b.class,
          onclick: async (e) => {
            const button = e.currentTarget;
            if (b.value) {
              button.disabled = true; // no second submit while the first runs
              let v;
              try {
                v = await b.value();
              } finally {
                button.disabled = false;
              }
              if (v === undefined) return; // the content refused (it shows why)
              result = v;
            }
            d.close();
          },
        }, b.label));
    }
    // A destructive question starts on Cancel, so Enter does not delete.
    const destructive = buttons.some((b) => b.class === 'danger');
    row.append(h('button', { type: 'button', autofocus: destructive, onclick: () => d.close() },
      buttons.length ? t('app.cancel') : t('app.close')));
    d.addEventListener('close', () => {
      d.remove();
      resolve(result);
    });
    document.body.append(d);
    d.showModal();
  });
}

export async function confirmDialog(message, label = t('app.confirm')) {
  const ok = await dialog(message, h('p', {}, ''), [
    { label, class: 'danger', value: () => true },
  ]);
  return ok === true;
}

// Asks for one line of text; resolves with it, or undefined when cancelled.
export function promptDialog(title, label, initial = '') {
  const input = h('input', { type: 'text', value: initial });
  const content = h('label', { class: 'block' }, label, input);
  setTimeout(() => input.focus(), 0);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      input.closest('dialog').querySelector('.buttons button').click();
    }
  });
  return dialog(title, content, [{ label: t('app.save'), class: 'primary', value: () => input.value }]);
}

// Runs fn (a promise-returning action) with the button disabled, toasting the error.
export async function busy(button, fn) {
  if (button) button.disabled = true;
  try {
    return await fn();
  } catch (e) {
    toast(t('app.failed', { message: e.message }), true);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}
