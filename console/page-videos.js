// Video tasks (/api/videos): status and progress, refreshed every 2 s while a task is
// queued or running; a completed video plays in a dialog; delete.
import { t } from './i18n.js';
import { api } from './api.js';
import { h, dataTable, pager, badge, formatTime, toast, dialog, confirmDialog, busy, latestOnly } from './ui.js';

const statusKinds = { queued: 'muted', in_progress: 'warn', completed: 'ok', failed: 'bad' };
const livePeriodMs = 2000;
// Without a running task the list is still re-read, less often, to show new tasks.
const idlePeriodMs = 5000;

// The same-origin path of a gateway media link (global.base_url may name another host).
export function mediaPath(url) {
  if (!url) return null;
  try {
    const u = new URL(url, location.origin);
    return u.pathname.startsWith('/videos/') ? u.pathname : null;
  } catch {
    return null;
  }
}

export function render(main) {
  const state = { page: 1, pageSize: 20, status: '' };
  let timer = null;
  let gone = false;

  const statusSelect = h('select', { id: 'videos-status' },
    h('option', { value: '' }, t('app.any')),
    Object.keys(statusKinds).map((s) => h('option', { value: s }, t(`videos.status.${s}`))));
  const live = h('span', { class: 'legend', id: 'videos-live', 'aria-live': 'off' });
  const refresh = h('button', { type: 'button' }, t('app.refresh'));
  const table = dataTable([
    { label: 'ID' },
    { label: t('videos.model') },
    { label: t('videos.status') },
    { label: t('videos.progress') },
    { label: t('videos.prompt') },
    { label: t('videos.size') },
    { label: t('videos.seconds'), class: 'num' },
    { label: t('videos.created') },
    { label: t('app.actions') },
  ], t('videos.title'));
  const pages = pager((p) => {
    state.page = p;
    load();
  });
  main.append(
    h('h1', {}, t('videos.title')),
    h('div', { class: 'toolbar' },
      h('label', {}, t('videos.status'), statusSelect), refresh, h('span', { class: 'grow' }), live),
    table.el, pages.el);
  statusSelect.addEventListener('change', () => {
    state.status = statusSelect.value;
    state.page = 1;
    shown = null;
    load();
  });
  refresh.addEventListener('click', () => {
    shown = null;
    load();
  });

  function row(v) {
    const progress = v.status === 'completed' ? 100 : v.progress || 0;
    const preview = mediaPath(v.video_url);
    return h('tr', { dataset: { id: v.id, status: v.status } },
      h('td', { class: 'mono' }, v.id),
      h('td', {}, v.model),
      h('td', {}, badge(t(`videos.status.${v.status}`), statusKinds[v.status] || 'muted'),
        v.error ? h('div', { class: 'legend' }, `${v.error.code}: ${v.error.message || ''}`) : null),
      h('td', {}, h('progress', { max: 100, value: progress, 'aria-label': `${progress}%` }), ` ${progress}%`),
      h('td', {}, v.prompt || ''),
      h('td', {}, v.size || ''),
      h('td', { class: 'num' }, v.seconds ?? ''),
      h('td', {}, formatTime(v.created_at, true)),
      h('td', { class: 'actions' },
        preview ? h('button', {
          type: 'button', 'aria-label': `${t('videos.preview')} ${v.id}`,
          onclick: () => showVideo(v, preview),
        }, t('videos.preview')) : null,
        h('button', {
          type: 'button', class: 'danger', 'aria-label': `${t('app.delete')} ${v.id}`,
          onclick: async (e) => {
            const button = e.currentTarget; // null once the handler awaited
            if (!(await confirmDialog(t('videos.confirmDelete', { id: v.id }), t('app.delete')))) return;
            await busy(button, async () => {
              await api('DELETE', `/api/videos/${encodeURIComponent(v.id)}`);
              toast(t('videos.deleted'));
              shown = null;
              await load();
            });
          },
        }, t('app.delete'))));
  }

  const ticket = latestOnly();
  let shown = null; // what the rows show: a poll that changes nothing leaves them alone

  // Replaces the rows, keeping keyboard focus on the same button of the same task.
  function showRows(list) {
    const active = document.activeElement;
    const tr = active && active.closest ? active.closest('tr[data-id]') : null;
    const at = tr ? [tr.dataset.id, [...tr.querySelectorAll('button')].indexOf(active)] : null;
    table.rows(list.map(row));
    if (at) {
      const again = table.el.querySelector(`tr[data-id="${CSS.escape(at[0])}"]`);
      const buttons = again ? again.querySelectorAll('button') : [];
      if (buttons[at[1]]) buttons[at[1]].focus();
    }
  }

  async function load() {
    clearTimeout(timer);
    const current = ticket();
    table.loading();
    const q = new URLSearchParams({ limit: state.pageSize, offset: (state.page - 1) * state.pageSize });
    if (state.status) q.set('status', state.status);
    let running = false;
    try {
      const r = await api('GET', `/api/videos?${q}`);
      if (!current() || gone) return;
      const list = r.videos || [];
      const total = r.total ?? list.length;
      running = list.some((v) => v.status === 'queued' || v.status === 'in_progress');
      const signature = JSON.stringify([state.status, total, list]);
      // Rows under an open dialog stay as they are until it closes (the next poll).
      if (signature !== shown && !document.querySelector('dialog[open]')) {
        if (!list.length) table.empty(state.status ? t('videos.noMatch') : t('videos.empty'));
        else showRows(list);
        pages.set(state.page, state.pageSize, total);
        shown = signature;
      }
    } catch (e) {
      if (!current() || gone) return;
      table.error(e, load);
      shown = null;
    }
    live.textContent = running ? t('videos.live') : '';
    if (!gone) timer = setTimeout(load, running ? livePeriodMs : idlePeriodMs);
  }

  load();
  return () => {
    gone = true;
    clearTimeout(timer);
  };
}

function showVideo(v, path) {
  const video = h('video', { class: 'preview', controls: true, src: path, preload: 'metadata', id: 'video-preview' });
  return dialog(`${v.id} · ${v.model}`, h('div', {}, video, h('p', { class: 'legend' }, v.prompt || '')));
}
