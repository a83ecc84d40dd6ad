// The login page: POST /api/login, keep the session token, go to the console.
import { t, translatePage, bindLanguageSwitch } from './i18n.js';

translatePage();
bindLanguageSwitch(document.getElementById('lang-switch'));

const form = document.getElementById('login-form');
const error = document.getElementById('login-error');
const username = document.getElementById('username');
username.focus();

// Only a path of this site, so a crafted link cannot send the user elsewhere.
function nextPage() {
  const next = new URLSearchParams(location.search).get('next') || '';
  return next.startsWith('/manage') ? next : '/manage';
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  error.textContent = '';
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const response = await fetch('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: username.value,
        password: document.getElementById('password').value,
      }),
    });
    let data = {};
    try {
      data = await response.json();
    } catch {
      // not JSON
    }
    if (!response.ok || !data.success || !data.token) {
      const message = data.message || (data.error && data.error.message) || `HTTP ${response.status}`;
      error.textContent = t('login.failed', { message });
      return;
    }
    localStorage.setItem('adminToken', data.token);
    location.replace(nextPage());
  } catch (err) {
    error.textContent = t('login.failed', { message: err.message });
  } finally {
    button.disabled = false;
  }
});
