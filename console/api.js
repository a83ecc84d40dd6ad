// Calls to the admin API with the session token of the login page (localStorage.adminToken,
// as the Pro console kept it). A 401 sends the user back to the login page.
export class ApiError extends Error {
  constructor(status, message, param) {
    super(message);
    this.status = status;
    this.param = param || null; // the setting or parameter the server names
  }
}

export function sessionToken() {
  return localStorage.getItem('adminToken') || '';
}

function toLogin() {
  localStorage.removeItem('adminToken');
  location.replace('/login?next=' + encodeURIComponent(location.pathname + location.hash));
}

// A request that has not answered in this time fails (the page shows it) instead of
// leaving a button disabled or a list loading for ever. Exports stream for longer.
const timeoutMs = 30000;

async function send(method, path, body, timeout = timeoutMs) {
  const headers = { authorization: `Bearer ${sessionToken()}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeout),
    });
  } catch (e) {
    const why = e.name === 'TimeoutError' ? `no answer in ${timeout / 1000} s` : e.message;
    throw new ApiError(0, `network error: ${why}`);
  }
  if (response.status === 401) {
    toLogin();
    throw new ApiError(401, 'session ended');
  }
  return response;
}

// JSON answer of method path; throws ApiError with the server's message when it refused.
export async function api(method, path, body) {
  const response = await send(method, path, body);
  let data = null;
  try {
    data = await response.json();
  } catch {
    // not JSON: the status says what happened
  }
  if (!response.ok || (data && data.success === false)) {
    const message =
      (data && (data.message || (data.error && data.error.message))) ||
      `HTTP ${response.status}`;
    throw new ApiError(response.status, message, data && data.error && data.error.param);
  }
  return data;
}

// A download the browser saves (exports need the session header, so no plain link). The
// file is held in memory until saved: fine for the call log's sizes (10,000 records by
// default are a few MB).
export async function download(path, fallbackName) {
  const response = await send('GET', path, undefined, 600000);
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    try {
      const data = await response.json();
      message = data.message || (data.error && data.error.message) || message;
    } catch {
      // keep the status
    }
    throw new ApiError(response.status, message);
  }
  const disposition = response.headers.get('content-disposition') || '';
  const m = disposition.match(/filename="?([^";]+)"?/);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = m ? m[1] : fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

export async function logout() {
  try {
    await api('POST', '/api/logout');
  } finally {
    localStorage.removeItem('adminToken');
    location.replace('/login');
  }
}
