// The console shell: navigation by #hash, one page module per section. Each page's
// render(main) may return a function that stops its timers when the user leaves.
import { t, translatePage, bindLanguageSwitch } from './i18n.js';
import { sessionToken, logout } from './api.js';
import { clear } from './ui.js';
import * as tokens from './page-tokens.js';
import * as logs from './page-logs.js';
import * as proxies from './page-proxies.js';
import * as videos from './page-videos.js';
import * as settings from './page-settings.js';
import * as plugins from './page-plugins.js';

const signedIn = !!sessionToken();
if (!signedIn) location.replace('/login?next=' + encodeURIComponent(location.pathname + location.hash));

const pages = { tokens, logs, proxies, videos, settings, plugins };
const main = document.getElementById('main');
let leave = null;

translatePage();
bindLanguageSwitch(document.getElementById('lang-switch'));
document.getElementById('logout').addEventListener('click', () => logout());

// moved: focus goes to the new page after a navigation, not at the first load (so the
// first Tab reaches the skip link).
function show(moved) {
  const name = location.hash.slice(1).split('?')[0];
  if (!pages[name]) {
    // Not a navigation (no hashchange): the first Tab still reaches the skip link.
    history.replaceState(null, '', '#tokens');
    show(moved);
    return;
  }
  if (leave) leave();
  leave = null;
  for (const a of document.querySelectorAll('#nav a'))
    if (a.getAttribute('href') === `#${name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  document.title = `${t(`nav.${name}`)} · grok2api`;
  clear(main);
  leave = pages[name].render(main) || null;
  if (moved) main.focus({ preventScroll: true });
}

if (signedIn) {
  window.addEventListener('hashchange', () => show(true));
  show(false);
}
