// Live updates: the server says which kinds changed (Server-Sent Events); the page fetches its own live part
// again and swaps it in, keeping focus on the element that had it. No framework, no reload.
(() => {
  'use strict';
  const live = document.getElementById('live');
  const status = document.getElementById('live-status');
  if (!live || !status) return;
  const kinds = new Set((document.body.dataset.kinds || '').split(','));
  let inFlight = false;
  let again = false;
  let version = Number(document.body.dataset.version || -1);

  async function refresh() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    try {
      const response = await fetch(location.href, { headers: { 'X-Dashboard-Fragment': '1' }, cache: 'no-store' });
      if ((response.headers.get('content-type') || '').startsWith('text/html')) swap(await response.text());
    } catch (e) {
      status.textContent = 'Live updates: the dashboard is not answering';
    } finally {
      inFlight = false;
      if (again) { again = false; refresh(); }
    }
  }

  function swap(html) {
    const active = document.activeElement;
    const key = active && live.contains(active) ? active.getAttribute('data-focus-key') || active.getAttribute('href') : null;
    live.innerHTML = html;
    document.body.dataset.refreshed = String(Date.now());
    if (!key) return;
    const target = [...live.querySelectorAll('a, button, input, select')]
      .find(el => el.getAttribute('data-focus-key') === key || el.getAttribute('href') === key);
    if (target) target.focus();
  }

  function connect() {
    const source = new EventSource('/live');
    source.addEventListener('hello', event => {
      status.textContent = 'Live updates: on';
      const v = JSON.parse(event.data).version;
      if (v !== version) refresh();
      version = v;
    });
    source.addEventListener('change', event => {
      const message = JSON.parse(event.data);
      version = message.version;
      if (message.kinds.split(',').some(k => kinds.has(k))) refresh();
    });
    source.addEventListener('resync', () => refresh());
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // Refused (too many live clients) or the dashboard stopped: poll instead, and try live again later.
        status.textContent = 'Live updates: off, refreshing every 10 s';
        setTimeout(() => { refresh(); connect(); }, 10000);
      } else {
        status.textContent = 'Live updates: reconnecting to the dashboard';
      }
    };
  }

  // "/" jumps to the search field, as in many consoles; Escape leaves it.
  document.addEventListener('keydown', event => {
    const search = document.querySelector('input[type="search"]');
    if (event.key === '/' && search && document.activeElement !== search && !(event.target instanceof HTMLInputElement)) {
      event.preventDefault();
      search.focus();
    } else if (event.key === 'Escape' && document.activeElement === search) {
      search.blur();
    }
  });

  connect();
})();
