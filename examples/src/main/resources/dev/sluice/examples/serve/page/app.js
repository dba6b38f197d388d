// The Sluice chat page: streams an answer over SSE (EventSource) or a WebSocket, renders it as
// Markdown once per animation frame, sanitises everything (model output is untrusted), highlights
// code, shows TTFT and tokens/s, cancels with Stop (DELETE), and resumes after a cut without a gap.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const els = {
    form: $('ask'), prompt: $('prompt'), provider: $('provider'), transport: $('transport'),
    send: $('send'), stop: $('stop'), status: $('status'), ttft: $('ttft'), tps: $('tps'),
    model: $('model'), answer: $('answer'), tools: $('tools'), thinking: $('thinking'),
    thinkingBox: $('thinking-box'),
  };

  // What the page knows about the current stream; read by the browser tests too.
  const page = window.sluicePage = {
    state: 'idle', streamId: null, lastEventId: 0, text: '', thinking: '', deltas: 0, renders: 0,
    reconnects: 0, events: [], error: null, done: null, ttftMs: null, tokensPerSecond: null,
  };
  let current = null; // {transport, close()} of the running stream
  let startedAt = 0;
  let firstDeltaAt = 0;
  let frameRequested = false;

  // Model output is untrusted: DOMPurify removes scripts and event handlers; on top of that no
  // styles, forms or frames, and links and images only to http(s), mailto or this page.
  const PURIFY = {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame',
      'object', 'embed', 'link', 'meta', 'base'],
    FORBID_ATTR: ['style', 'action', 'formaction', 'srcset'],
  };
  const SAFE_URL = /^(?:https?:|mailto:|#|\/(?!\/))/i;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    for (const name of ['href', 'src']) {
      const value = node.getAttribute && node.getAttribute(name);
      if (value !== null && value !== undefined && !SAFE_URL.test(value.trim())) node.removeAttribute(name);
    }
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
    }
  });
  marked.setOptions({ gfm: true, breaks: false });

  function setState(state, detail) {
    page.state = state;
    els.status.dataset.state = state;
    els.status.textContent = detail ? state + ' — ' + detail : state;
  }

  // Markdown → HTML → sanitised, once per animation frame however many deltas arrived.
  function scheduleRender() {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(render);
  }

  function render() {
    frameRequested = false;
    page.renders++;
    const html = DOMPurify.sanitize(marked.parse(page.text), PURIFY);
    els.answer.innerHTML = html;
    els.answer.querySelectorAll('pre code').forEach((block) => hljs.highlightElement(block));
    if (page.thinking) {
      els.thinkingBox.hidden = false;
      els.thinking.textContent = page.thinking;
    }
    updateRate();
  }

  function updateRate() {
    if (page.tokensPerSecond !== null) {
      els.tps.textContent = page.tokensPerSecond.toFixed(1);
    } else if (firstDeltaAt && page.deltas > 1) {
      const seconds = (performance.now() - firstDeltaAt) / 1000;
      if (seconds > 0) els.tps.textContent = ((page.deltas - 1) / seconds).toFixed(1);
    }
  }

  function toolRow(id) {
    let row = els.tools.querySelector('li[data-id="' + CSS.escape(id) + '"]');
    if (!row) {
      row = document.createElement('li');
      row.dataset.id = id;
      const name = document.createElement('span');
      name.className = 'name';
      const bar = document.createElement('progress');
      bar.max = 100;
      const message = document.createElement('span');
      message.className = 'message';
      row.append(name, bar, message);
      els.tools.append(row);
    }
    return row;
  }

  // One event, from either transport; ids are checked so that a resume is seen to be gapless.
  function onEvent(id, type, data) {
    if (id <= page.lastEventId) return; // never twice
    if (id !== page.lastEventId + 1) page.error = 'gap: ' + page.lastEventId + ' -> ' + id;
    page.lastEventId = id;
    page.events.push(type);
    if (page.state === 'reconnecting') setState('streaming', 'resumed at event ' + id);
    switch (type) {
      case 'start':
        els.model.textContent = data.provider + ' · ' + data.model;
        break;
      case 'delta':
        if (!firstDeltaAt) {
          firstDeltaAt = performance.now();
          page.ttftMs = Math.round(firstDeltaAt - startedAt);
          els.ttft.textContent = page.ttftMs + ' ms';
        }
        page.deltas++;
        page.text += data.text;
        scheduleRender();
        break;
      case 'thinking':
        page.thinking += data.text;
        scheduleRender();
        break;
      case 'tool_call': {
        const row = toolRow(data.id);
        row.querySelector('.name').textContent = data.name;
        const m = row.querySelector('.message');
        m.textContent = (m.dataset.args = (m.dataset.args || '') + data.arguments);
        break;
      }
      case 'tool_started':
        toolRow(data.id).querySelector('.name').textContent = data.name;
        break;
      case 'tool_progress': {
        const row = toolRow(data.id);
        const bar = row.querySelector('progress');
        if (data.percent === null) bar.removeAttribute('value'); else bar.value = data.percent;
        row.querySelector('.message').textContent = data.message;
        break;
      }
      case 'tool_done': {
        const row = toolRow(data.id);
        row.querySelector('progress').value = 100;
        row.querySelector('.message').textContent = 'done';
        break;
      }
      case 'tool_failed': {
        const row = toolRow(data.id);
        row.classList.add('failed');
        row.querySelector('.message').textContent = data.message;
        break;
      }
      case 'done':
        page.done = data;
        page.tokensPerSecond = data.tokensPerSecond;
        if (data.ttftMs !== null) els.ttft.textContent = page.ttftMs + ' ms (model ' + data.ttftMs + ' ms)';
        finish('done', data.finishReason || '');
        break;
      case 'error':
        page.error = data.type + ': ' + data.message;
        finish('error', data.message);
        break;
      case 'cancelled':
        finish('cancelled', data.reason);
        break;
    }
  }

  function finish(state, detail) {
    if (current) current.close();
    current = null;
    els.send.disabled = false;
    els.stop.disabled = true;
    render();
    setState(state, detail);
  }

  function reset() {
    Object.assign(page, { streamId: null, lastEventId: 0, text: '', thinking: '', deltas: 0, renders: 0,
      reconnects: 0, events: [], error: null, done: null, ttftMs: null, tokensPerSecond: null });
    firstDeltaAt = 0;
    els.answer.innerHTML = '';
    els.tools.innerHTML = '';
    els.thinking.textContent = '';
    els.thinkingBox.hidden = true;
    els.ttft.textContent = '–';
    els.tps.textContent = '–';
    els.model.textContent = '';
  }

  function request() {
    return { prompt: els.prompt.value, provider: els.provider.value || undefined };
  }

  // ---- SSE: POST, then EventSource, which resumes by itself with Last-Event-ID.
  const TYPES = ['start', 'delta', 'thinking', 'tool_call', 'tool_started', 'tool_progress', 'tool_done',
    'tool_failed', 'done', 'error', 'cancelled'];

  async function startSse() {
    const response = await fetch('/api/streams', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request()),
    });
    const body = await response.json();
    if (response.status !== 201) {
      page.error = body.error.type + ': ' + body.error.message;
      finish('error', body.error.message);
      return;
    }
    page.streamId = body.id;
    const source = new EventSource(body.events);
    current = { transport: 'sse', close: () => source.close() };
    for (const type of TYPES) {
      source.addEventListener(type, (e) => {
        if (type === 'error' && !(e instanceof MessageEvent)) return; // the connection's own error event
        onEvent(Number(e.lastEventId), type, JSON.parse(e.data));
      });
    }
    source.addEventListener('error', (e) => {
      if (e instanceof MessageEvent || !current) return;
      if (source.readyState === EventSource.CONNECTING) {
        page.reconnects++;
        setState('reconnecting', 'the connection was cut; resuming after event ' + page.lastEventId);
      } else if (source.readyState === EventSource.CLOSED) {
        finish('error', 'the connection was lost');
      }
    });
  }

  // ---- WebSocket: one frame per event; after a cut, a new socket resumes from the last id.
  function startWs() {
    let socket;
    let closedByUs = false;
    const connect = (first) => {
      socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/ws');
      socket.onopen = () => socket.send(JSON.stringify(first
        ? Object.assign({ type: 'start' }, request())
        : { type: 'resume', stream: page.streamId, lastEventId: page.lastEventId }));
      socket.onmessage = (m) => {
        const frame = JSON.parse(m.data);
        if (frame.id === undefined && frame.type === 'error') {
          page.error = frame.error.type + ': ' + frame.error.message;
          finish('error', frame.error.message);
          return;
        }
        if (frame.stream) page.streamId = frame.stream;
        const data = frame.type === 'error' ? frame.error : frame;
        onEvent(frame.id, frame.type, data);
      };
      socket.onclose = () => {
        if (closedByUs || !current || !page.streamId) return;
        page.reconnects++;
        setState('reconnecting', 'the socket closed; resuming after event ' + page.lastEventId);
        setTimeout(() => { if (current) connect(false); }, 500);
      };
    };
    current = { transport: 'ws', close: () => { closedByUs = true; socket.close(); } };
    connect(true);
  }

  els.form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (current) return;
    reset();
    startedAt = performance.now();
    els.send.disabled = true;
    els.stop.disabled = false;
    setState('streaming', 'waiting for the first token');
    (els.transport.value === 'ws' ? Promise.resolve(startWs()) : startSse())
      .catch((err) => finish('error', String(err)));
  });

  // Stop: DELETE cancels the upstream; the stream then ends with a 'cancelled' event.
  els.stop.addEventListener('click', () => {
    if (!page.streamId) return;
    els.stop.disabled = true;
    setState('stopping');
    fetch('/api/streams/' + encodeURIComponent(page.streamId), { method: 'DELETE' });
  });

  fetch('/api/providers').then((r) => r.json()).then((p) => {
    for (const provider of p.providers) {
      const option = document.createElement('option');
      option.value = provider.name;
      option.textContent = provider.name + ' (' + provider.model + ')';
      els.provider.append(option);
    }
    els.provider.value = p.default;
    page.ready = true;
  });
})();
