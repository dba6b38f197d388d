// The Sluice chat page. Conversations are kept in this browser (localStorage: the conversations and
// nothing else); each answer streams over SSE (fetch, resumed with Last-Event-ID) or a WebSocket,
// and is rendered as Markdown once per animation frame, sanitised (model output is untrusted),
// with highlighted code. The live stream's id, last event id and partial turn are kept in
// sessionStorage, so a reload reattaches with nothing lost or doubled. Reconnects back off
// exponentially with jitter and a cap. Every relay event is handled in one table, EVENTS.
// One file of about 1,000 lines: the page has no build step and loads no module loader.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const els = {
    app: $('app'), sidebar: $('sidebar'), list: $('conversations'), newChat: $('new-chat'),
    openSidebar: $('open-sidebar'), closeSidebar: $('close-sidebar'), title: $('title'),
    rename: $('rename'), exportMd: $('export'), remove: $('delete'), theme: $('theme'),
    log: $('log'), empty: $('empty'), turns: $('turns'), jump: $('jump'), form: $('composer'),
    prompt: $('prompt'), send: $('send'), stop: $('stop'), provider: $('provider'), transport: $('transport'), shape: $('shape'),
    status: $('status'), ttft: $('ttft'), tps: $('tps'), tokens: $('tokens'), model: $('model'), announcer: $('announcer'),
  };
  const STORE = 'sluice.conversations';
  const LIVE = 'sluice.live';
  const CURRENT = 'sluice.current';
  const THEME = 'sluice.theme';
  const TRANSPORT = 'sluice.transport';
  const PROVIDER = 'sluice.provider';
  const SHAPE = 'sluice.shape';
  const RECONNECT = { base: 300, cap: 10000, attempts: 12 };

  // What the page knows, for people debugging it and for the browser tests.
  const page = window.sluicePage = {
    state: 'idle', streamId: null, lastEventId: 0, text: '', deltas: 0, renders: 0, reconnects: 0,
    delays: [], events: [], error: null, done: null, ttftMs: null, ready: false,
    reattached: false, copied: null, reconnect: RECONNECT,
  };

  // ---- Sanitising: DOMPurify removes scripts and handlers; on top, no styles, forms or frames,
  // and links and images only to http(s), mailto or this page.
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

  // ---- Storage
  function readJson(storage, key, otherwise) {
    try {
      const v = JSON.parse(storage.getItem(key));
      return v === null ? otherwise : v;
    } catch (e) {
      return otherwise;
    }
  }
  let conversations = readJson(localStorage, STORE, []);
  let current = null; // the conversation shown
  function saveConversations() {
    try {
      localStorage.setItem(STORE, JSON.stringify(conversations));
    } catch (e) {
      page.error = 'could not save the conversations: ' + e.message;
    }
  }
  function newId() {
    const b = new Uint8Array(9);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  }

  // ---- The status machine: connecting → waiting → streaming → done | stopped | failed | gone,
  // with reconnecting between; the tab title follows it.
  const STATUS = {
    idle: 'ready', connecting: 'connecting…', waiting: 'waiting for the first token…', streaming: 'streaming',
    reconnecting: 'reconnecting', done: 'done', stopped: 'stopped', failed: 'failed', gone: 'stream gone',
    approval: 'waiting for your approval', question: 'waiting for your answer',
  };
  function setState(state, detail) {
    page.state = state;
    els.status.dataset.state = state;
    els.status.textContent = STATUS[state] + (detail ? ' — ' + detail : '');
    updateTitle();
  }
  function updateTitle() {
    const name = current && current.title ? current.title + ' — Sluice chat' : 'Sluice chat';
    if (page.state === 'streaming') document.title = '● ' + page.deltas + ' tokens · ' + name;
    else if (page.state === 'waiting' || page.state === 'connecting') document.title = '… ' + name;
    else if (page.state === 'reconnecting') document.title = '↻ reconnecting · ' + name;
    else if (page.state === 'approval') document.title = '⏸ waiting for your approval · ' + name;
    else if (page.state === 'question') document.title = '⏸ waiting for your answer · ' + name;
    else document.title = name;
  }
  function finishDetail(reason) {
    return { length: 'cut at the token limit', turn_limit: 'the tool turn limit was reached',
      tool_calls: 'ended on a tool call', content_filter: 'stopped by the content filter' }[reason] || '';
  }

  // ---- Rendering
  // A text segment's Markdown, rendered block by block (marked's top-level tokens): a block whose
  // source is the same as at the last render keeps its nodes, so a streamed answer re-renders its last
  // block in a frame, not the whole answer (parsed, sanitized and highlighted again every frame, a
  // frame's work grew with the answer). The HTML is the whole text's: marked's parser
  // renders block after block, and the lexer resolves the reference links over the whole text (a new
  // definition renders every block again).
  const BLOCKS = new WeakMap(); // a segment's element: { links, blocks: [{ type, raw, nodes }] }
  function markdown(el, text) {
    const tokens = marked.lexer(text);
    const links = JSON.stringify(tokens.links || {});
    let state = BLOCKS.get(el);
    if (!state || state.links !== links
        || state.blocks.reduce((n, b) => n + b.nodes.length, 0) !== el.childNodes.length) {
      el.textContent = '';
      state = { links, blocks: [] };
      BLOCKS.set(el, state);
    }
    let same = 0;
    while (same < state.blocks.length && same < tokens.length && state.blocks[same].type === tokens[same].type
        && state.blocks[same].raw === tokens[same].raw) same++;
    for (const gone of state.blocks.splice(same)) gone.nodes.forEach((n) => n.remove());
    for (let i = same; i < tokens.length; i++) {
      const holder = document.createElement('div');
      holder.innerHTML = DOMPurify.sanitize(marked.parser([tokens[i]]), PURIFY);
      decorate(holder);
      const nodes = [...holder.childNodes];
      el.append(...nodes);
      state.blocks.push({ type: tokens[i].type, raw: tokens[i].raw, nodes });
    }
  }
  // A rendered block's code (highlighted, under a head with its language and a copy button) and tables
  // (reachable by keyboard: they may scroll sideways).
  function decorate(el) {
    el.querySelectorAll('pre > code').forEach((code) => {
      hljs.highlightElement(code);
      const lang = (/\blanguage-([\w+#-]+)/.exec(code.className) || [])[1] || 'text';
      const pre = code.parentElement;
      const wrap = document.createElement('div');
      wrap.className = 'code';
      const head = document.createElement('div');
      head.className = 'code-head';
      const label = document.createElement('span');
      label.className = 'lang';
      label.textContent = lang;
      head.append(label, button('Copy', 'copy-code', 'Copy the ' + lang + ' code'));
      pre.replaceWith(wrap);
      wrap.append(head, pre);
      pre.tabIndex = 0; // it may scroll sideways: keyboards must reach it
    });
    el.querySelectorAll('table').forEach((t) => { t.tabIndex = 0; });
  }
  function button(text, action, label) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'small';
    b.dataset.action = action;
    b.textContent = text;
    if (label) b.setAttribute('aria-label', label);
    return b;
  }
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderConversation() {
    els.turns.textContent = '';
    const messages = current ? current.messages : [];
    els.empty.hidden = messages.length > 0;
    messages.forEach((m, i) => els.turns.append(turnElement(m, i)));
    els.title.textContent = current && current.title ? current.title : 'New chat';
    renderList();
    updateTitle();
    // the status bar's figures: the live answer's, else those of the last answer shown
    const last = lastIndex('assistant');
    showFigures(live ? measure(live) : last >= 0 ? current.messages[last].meta : null);
    scrollToEnd(true);
  }

  function turnElement(m, index) {
    const article = el('article', 'turn ' + m.role);
    article.dataset.index = index;
    article.setAttribute('aria-label', m.role === 'user' ? 'You said' : 'The model answered');
    if (m.role === 'user') {
      article.append(el('div', 'bubble', m.content));
    } else {
      article.append(el('div', 'segments'));
      article.append(el('div', 'turn-error'));
      article.append(el('footer', 'turn-meta'));
    }
    updateTurn(article, m, index, true);
    return article;
  }

  // Brings a turn's element up to date: its segments (only the dirty ones while streaming), error, footer.
  function updateTurn(article, m, index, all) {
    const last = current && index === current.messages.length - 1;
    if (m.role === 'user') {
      article.querySelectorAll('.turn-actions').forEach((e) => e.remove());
      if (current && !live && index === lastIndex('user')) {
        const actions = el('div', 'turn-actions');
        actions.append(button('Edit', 'edit', 'Edit your last message'));
        article.append(actions);
      }
      return;
    }
    article.setAttribute('aria-busy', m.pending ? 'true' : 'false');
    const holder = article.querySelector('.segments');
    if (m.restarted) { // a fallback chain restarted the answer: what was shown goes
      holder.textContent = '';
      delete m.restarted;
    }
    m.segments.forEach((s, i) => {
      let node = holder.children[i];
      if (!node) {
        node = segmentElement(s);
        holder.append(node);
      } else if (!all && !s.dirty) {
        return;
      }
      fillSegment(node, s);
      s.dirty = false;
    });
    if (m.pending && m.segments.length === 0) holder.dataset.waiting = 'true';
    else delete holder.dataset.waiting;
    const error = article.querySelector('.turn-error');
    error.textContent = '';
    if (m.error) {
      error.setAttribute('role', 'alert');
      error.append(el('span', '', m.error.message));
      if (last) error.append(button('Retry', 'retry', 'Retry this answer'));
    }
    const meta = article.querySelector('.turn-meta');
    meta.textContent = '';
    if (!m.pending) {
      meta.append(el('span', 'figures', figures(m.meta || {})));
      if (m.content) meta.append(button('Copy', 'copy-answer', 'Copy the answer as Markdown'));
      if (last && !live && !m.error) meta.append(button('Regenerate', 'regenerate', 'Regenerate the answer'));
    }
  }

  function figures(meta) {
    const parts = [];
    if (meta.model) parts.push(meta.model);
    if (meta.switches && meta.switches.length) {
      parts.push('after ' + meta.switches.map((w) => w.from + ' (' + w.reason + ')').join(', '));
    }
    if (meta.hedge) { // raced beside a slow first target: the model above won, the other was cancelled
      const h = meta.hedge;
      parts.push('faster than ' + (h.winner === h.to ? h.from : h.to) + ' (hedged after ' + h.afterMs + ' ms)');
    }
    const f = figureTexts(meta);
    const whole = (text) => text.replace(/ /g, '\u00a0'); // a line breaks between figures, not inside one
    if (f.ttft) parts.push(whole('TTFT ' + f.ttft));
    if (f.rate) parts.push(whole(f.rate + ' tok/s'));
    if (f.tokens) parts.push(whole(f.tokens + ' tokens'));
    if (meta.state === 'stopped') parts.push('stopped');
    else if (finishDetail(meta.finishReason)) parts.push(finishDetail(meta.finishReason));
    return parts.join(' · ');
  }

  // ---- Structured answers: the JSON Schemas the "Answer" select offers, sent as the request's schema.
  const str = { type: 'string' };
  const SHAPES = {
    recipe: { type: 'object', required: ['title', 'minutes', 'servings', 'ingredients', 'steps'], properties: {
      title: str, minutes: { type: 'integer' }, servings: { type: 'integer' },
      ingredients: { type: 'array', items: { type: 'object', required: ['name', 'quantity'],
        properties: { name: str, quantity: str } } },
      steps: { type: 'array', items: str } } },
    items: { type: 'object', required: ['title', 'items'], properties: {
      title: str,
      items: { type: 'array', items: { type: 'object', required: ['name', 'description'],
        properties: { name: str, description: str } } } } },
  };

  // An incremental JSON parser: feed() takes only the new piece of the text and walks it once, so an
  // answer of n characters costs O(n) however it is split. It grows a tree of nodes ({kind, value or
  // entries/items, done}); a string is attached as soon as it opens and grows, a number or literal
  // only once complete; containers are marked done when they close. Text that is not JSON stops it.
  function JsonGrowth() {
    this.root = null;
    this.stack = []; // open containers
    this.mode = 'value'; // value, key, colon, next (a comma or the end), string, scalar, end, failed
    this.string = null; // the open string node, or the key being read ({key: true, value})
    this.escape = null; // an escape being read: '\', or '\u' and its hex digits
    this.scalar = ''; // a number or literal being read
    this.key = null; // the key the next member's value goes under
  }
  JsonGrowth.prototype.attach = function (node) {
    const top = this.stack[this.stack.length - 1];
    if (!top) this.root = node;
    else if (top.kind === 'object') top.entries.push([this.key, node]);
    else top.items.push(node);
  };
  JsonGrowth.prototype.after = function () {
    this.mode = this.stack.length ? 'next' : 'end';
  };
  JsonGrowth.prototype.endScalar = function () {
    const t = this.scalar;
    this.scalar = '';
    let value;
    if (t === 'true') value = true; else if (t === 'false') value = false; else if (t === 'null') value = null;
    else if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(t)) value = Number(t);
    else return this.fail();
    this.attach({ kind: value === null ? 'null' : typeof value, value, done: true });
    this.after();
    return true;
  };
  JsonGrowth.prototype.fail = function () {
    this.mode = 'failed';
    return false;
  };
  const ESCAPES = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  JsonGrowth.prototype.feed = function (text) {
    let i = 0;
    while (i < text.length && this.mode !== 'failed') {
      const c = text[i];
      if (this.mode === 'string') {
        if (this.escape !== null) {
          this.escape += c;
          i++;
          if (this.escape.length === 2 && this.escape[1] !== 'u') {
            const e = ESCAPES[this.escape[1]];
            if (e === undefined) return this.fail();
            this.string.value += e;
            this.escape = null;
          } else if (this.escape.length === 6) {
            if (!/^\\u[0-9a-fA-F]{4}$/.test(this.escape)) return this.fail();
            this.string.value += String.fromCharCode(parseInt(this.escape.slice(2), 16));
            this.escape = null;
          }
          continue;
        }
        let j = i;
        while (j < text.length && text[j] !== '"' && text[j] !== '\\') j++;
        this.string.value += text.slice(i, j); // a run of plain characters at once
        i = j;
        if (i === text.length) break;
        if (text[i] === '\\') {
          this.escape = '\\';
          i++;
          continue;
        }
        i++; // the closing quote
        const s = this.string;
        this.string = null;
        if (s.key) {
          this.key = s.value;
          this.mode = 'colon';
        } else {
          s.done = true;
          this.after();
        }
        continue;
      }
      if (this.mode === 'scalar') {
        if (/[0-9a-zA-Z.+-]/.test(c)) {
          this.scalar += c;
          i++;
          continue;
        }
        if (!this.endScalar()) return false; // then c is read in the mode that follows
        continue;
      }
      i++;
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
      if (this.mode === 'value') {
        if (c === '{') {
          const node = { kind: 'object', entries: [], done: false };
          this.attach(node);
          this.stack.push(node);
          this.mode = 'key';
        } else if (c === '[') {
          const node = { kind: 'array', items: [], done: false };
          this.attach(node);
          this.stack.push(node);
          this.mode = 'value';
        } else if (c === '"') {
          this.string = { kind: 'string', value: '', done: false };
          this.attach(this.string);
          this.mode = 'string';
        } else if (c === ']' && this.stack.length && this.stack[this.stack.length - 1].kind === 'array'
            && this.stack[this.stack.length - 1].items.length === 0) {
          this.close();
        } else if (/[-0-9tfn]/.test(c)) {
          this.scalar = c;
          this.mode = 'scalar';
        } else {
          return this.fail();
        }
      } else if (this.mode === 'key') {
        if (c === '"') {
          this.string = { key: true, value: '' };
          this.mode = 'string';
        } else if (c === '}' && this.stack[this.stack.length - 1].entries.length === 0) {
          this.close();
        } else {
          return this.fail();
        }
      } else if (this.mode === 'colon') {
        if (c !== ':') return this.fail();
        this.mode = 'value';
      } else if (this.mode === 'next') {
        const top = this.stack[this.stack.length - 1];
        if (c === ',') this.mode = top.kind === 'object' ? 'key' : 'value';
        else if (c === (top.kind === 'object' ? '}' : ']')) this.close();
        else return this.fail();
      } else {
        return this.fail(); // text after the end
      }
    }
    return this.mode !== 'failed';
  };
  JsonGrowth.prototype.close = function () {
    this.stack.pop().done = true;
    this.after();
  };

  // The tree as a page shows it, built with textContent only (the values are the model's, untrusted)
  // and brought up to date in place: each call touches the nodes that can still change (the open
  // path from the root, and what is new), never a finished row or member again.
  function label(key) {
    const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  function showValue(node, holder) {
    if (node.view && node.view.done) return; // finished and shown whole: nothing can change
    if (node.kind === 'object') showObject(node, holder);
    else if (node.kind === 'array') showArray(node, holder);
    else {
      if (!node.view) {
        node.view = { el: el('span', 'obj-' + node.kind), shown: -1 };
        holder.append(node.view.el);
      }
      const text = node.kind === 'string' ? node.value : String(node.value);
      if (node.view.shown !== text.length) {
        node.view.el.textContent = text;
        node.view.shown = text.length;
      }
    }
    if (node.view) node.view.done = node.done;
  }
  function showObject(node, holder) {
    if (!node.view) {
      node.view = { el: el('dl', 'obj'), shown: 0, cells: [] };
      holder.append(node.view.el);
    }
    const v = node.view;
    for (let i = Math.max(0, v.shown - 1); i < node.entries.length; i++) {
      const [key, child] = node.entries[i];
      if (!v.cells[i]) {
        const dd = el('dd');
        v.el.append(el('dt', '', label(key)), dd);
        v.cells[i] = dd;
      }
      showValue(child, v.cells[i]);
    }
    v.shown = node.entries.length;
  }
  function showArray(node, holder) {
    const first = node.items[0];
    if (!first) return; // nothing to show yet: its kind decides table or list
    if (!node.view) {
      const table = first.kind === 'object';
      node.view = { table, el: el(table ? 'table' : 'ul', table ? 'obj-table' : 'obj-list'), shown: 0, columns: [] };
      if (table) node.view.el.append(el('thead'), el('tbody'));
      holder.append(node.view.el);
    }
    const v = node.view;
    if (!v.table) {
      for (let i = Math.max(0, v.shown - 1); i < node.items.length; i++) {
        let li = v.el.children[i];
        if (!li) v.el.append(li = el('li'));
        showValue(node.items[i], li);
      }
      v.shown = node.items.length;
      return;
    }
    // a table's rows appear as its elements complete
    const head = v.el.tHead;
    const body = v.el.tBodies[0];
    while (v.shown < node.items.length && node.items[v.shown].done) {
      const item = node.items[v.shown++];
      const entries = item.kind === 'object' ? item.entries : [['value', item]];
      const tr = el('tr');
      for (const [key] of entries) {
        if (v.columns.includes(key)) continue;
        v.columns.push(key); // a column first seen now: the rows above get an empty cell
        if (!head.rows.length) head.append(el('tr'));
        const th = el('th', '', label(key));
        th.scope = 'col';
        head.rows[0].append(th);
        for (const row of body.rows) row.append(el('td'));
      }
      for (const key of v.columns) {
        const td = el('td');
        const cell = entries.find((e) => e[0] === key);
        if (cell) showValue(cell[1], td);
        tr.append(td);
      }
      body.append(tr);
    }
  }
  // A structured answer's segment: its parser and tree, kept apart from the stored segment (which
  // holds only the JSON text) and rebuilt from that text when the element is new (a reload, a re-render).
  const growths = new WeakMap();
  function fillObject(node, s) {
    let g = growths.get(s);
    if (!g || g.el !== node) {
      g = { el: node, parser: new JsonGrowth(), fed: 0 };
      growths.set(s, g);
      node.textContent = '';
    }
    if (s.json.length > g.fed) {
      g.parser.feed(s.json.slice(g.fed));
      g.fed = s.json.length;
    }
    if (g.parser.root) showValue(g.parser.root, node);
    node.dataset.state = g.parser.mode === 'failed' ? 'failed' : g.parser.mode === 'end' ? 'done' : 'growing';
  }

  function segmentElement(s) {
    if (s.kind === 'text') return el('div', 'seg md');
    if (s.kind === 'object') return el('div', 'seg object');
    if (s.kind === 'thinking') {
      const d = el('details', 'seg thinking');
      d.append(el('summary', '', 'Thinking'), el('div', 'thinking-text'));
      return d;
    }
    const tool = el('div', 'seg tool');
    const head = el('div', 'tool-head');
    head.append(el('span', 'tool-icon', '⚙'), el('span', 'tool-name'), el('code', 'tool-args'), el('span', 'tool-state'));
    const progress = el('div', 'tool-progress');
    const bar = document.createElement('progress');
    bar.max = 100;
    progress.append(bar, el('span', 'tool-progress-text'));
    // a call that waits for a person: its arguments (the model's, shown as text) and the two answers
    const approval = el('div', 'tool-approval');
    approval.setAttribute('role', 'group');
    const question = el('p', 'tool-approval-question');
    question.id = 'approval-' + newId();
    approval.setAttribute('aria-labelledby', question.id);
    const args = el('pre', 'tool-approval-args');
    args.tabIndex = 0; // it may scroll: keyboards must reach it
    const actions = el('div', 'tool-approval-actions');
    const approve = button('Approve', 'approve');
    approve.className = 'primary';
    const deny = button('Deny', 'deny');
    deny.className = '';
    actions.append(approve, deny);
    const decision = el('p', 'tool-decision');
    approval.append(question, args, actions, decision);
    // a tool's question (an MCP server's): its text and a field per answer, all the server's, shown as text
    const ask = el('form', 'tool-question');
    ask.setAttribute('role', 'group');
    ask.noValidate = false;
    const asked = el('p', 'tool-question-text');
    asked.id = 'question-' + newId();
    ask.setAttribute('aria-labelledby', asked.id);
    const fields = el('div', 'tool-question-fields');
    const answer = el('div', 'tool-question-actions');
    const send = button('Send', 'answer');
    send.type = 'submit';
    send.className = 'primary';
    const decline = button('Decline', 'decline');
    decline.className = '';
    answer.append(send, decline);
    ask.append(asked, fields, answer, el('p', 'tool-question-status'));
    const result = el('details', 'tool-result');
    result.append(el('summary', '', 'Result'), el('pre', 'tool-output'));
    tool.append(head, approval, ask, progress, el('div', 'tool-message'), result);
    return tool;
  }

  function fillSegment(node, s) {
    if (s.kind === 'text') {
      markdown(node, s.text);
    } else if (s.kind === 'object') {
      fillObject(node, s);
    } else if (s.kind === 'thinking') {
      node.querySelector('.thinking-text').textContent = s.text;
    } else {
      node.dataset.id = s.id;
      node.dataset.status = s.status;
      node.querySelector('.tool-name').textContent = s.name || 'tool';
      node.querySelector('.tool-args').textContent = s.args || '{}';
      node.querySelector('.tool-state').textContent = { running: 'running…', done: 'done', failed: 'failed',
        approval: 'waits for your approval', approved: 'approved', denied: 'denied',
        question: 'asks you', stopped: 'stopped' }[s.status] || '';
      fillProgress(node, s);
      fillApproval(node, s);
      fillQuestion(node, s);
      node.querySelector('.tool-message').textContent = s.message || '';
      const result = node.querySelector('.tool-result');
      result.hidden = s.result === undefined || s.result === null;
      node.querySelector('.tool-output').textContent = s.result || '';
    }
  }

  // The tool's progress: determinate with a percent (or progress of a total), else indeterminate;
  // its value text says the same in words, for screen readers and the eye.
  function fillProgress(node, s) {
    const box = node.querySelector('.tool-progress');
    const bar = box.querySelector('progress');
    box.hidden = s.status !== 'running';
    const known = typeof s.percent === 'number';
    let text = '';
    if (typeof s.progress === 'number' && typeof s.total === 'number') text = s.progress + ' of ' + s.total;
    else if (known) text = Math.round(s.percent) + '%';
    else if (typeof s.progress === 'number') text = String(s.progress);
    if (known) bar.value = s.percent; else bar.removeAttribute('value');
    bar.setAttribute('aria-label', 'Progress of ' + (s.name || 'the tool'));
    if (text) bar.setAttribute('aria-valuetext', text); else bar.removeAttribute('aria-valuetext');
    box.querySelector('.tool-progress-text').textContent = text;
  }

  // A call that asked for approval: waiting (the buttons), being sent (disabled), decided (what was).
  function fillApproval(node, s) {
    const box = node.querySelector('.tool-approval');
    const a = s.approval;
    box.hidden = !a;
    if (!a) return;
    box.dataset.state = a.state;
    box.querySelector('.tool-approval-question').textContent = 'Run ' + (s.name || 'this tool') + ' with these arguments?';
    box.querySelector('.tool-approval-args').textContent = s.args || '{}';
    const actions = box.querySelector('.tool-approval-actions');
    const waiting = a.state === 'pending' || a.state === 'sending';
    // answered, the buttons are disabled, then gone: a keyboard's focus goes back to the box, not to the page's top
    if (a.state !== 'pending' && actions.contains(document.activeElement)) els.prompt.focus();
    actions.hidden = !waiting;
    actions.querySelectorAll('button').forEach((b) => {
      b.disabled = a.state === 'sending';
      b.setAttribute('aria-label', b.textContent + ' ' + (s.name || 'the tool'));
    });
    box.querySelector('.tool-decision').textContent = a.state === 'decided'
      ? (a.approved ? 'Approved' : 'Denied') + (a.reason ? ': ' + a.reason : '')
      : a.state === 'sending' ? 'Sending your decision…'
        : a.state === 'unanswered' ? 'Not decided: the answer ended first.' : a.error || '';
  }

  // A tool's question: its fields (made once per question), the buttons while it waits, then what
  // became of it. The question and the schema are an MCP server's: every text goes in as text.
  function fillQuestion(node, s) {
    const box = node.querySelector('.tool-question');
    const q = s.question;
    box.hidden = !q;
    if (!q) return;
    box.dataset.state = q.state;
    box.querySelector('.tool-question-text').textContent = (s.name || 'The tool') + ' asks: ' + q.message;
    const fields = box.querySelector('.tool-question-fields');
    if (fields.dataset.key !== q.key) {
      fields.dataset.key = q.key;
      fields.replaceChildren(...questionFields(q.schema, s.id, q.content));
    }
    const waiting = q.state === 'pending' || q.state === 'sending';
    if (!waiting && box.contains(document.activeElement)) els.prompt.focus();
    fields.querySelectorAll('input, select').forEach((f) => { f.disabled = !waiting; });
    const actions = box.querySelector('.tool-question-actions');
    actions.hidden = !waiting;
    actions.querySelectorAll('button').forEach((b) => { b.disabled = q.state === 'sending'; });
    box.querySelector('.tool-question-status').textContent = q.state === 'answered' ? 'Answered.'
      : q.state === 'declined' ? 'Declined.'
        : q.state === 'sending' ? 'Sending your answer…'
          : q.state === 'unanswered' ? 'Not answered: ' + (q.why || 'the tool ended first.') : q.error || '';
  }

  // The inputs of a question's flat schema: a choice of values, a check box, a number or a line of
  // text; filled with the answer once there is one (drawn again after the stream's end, they show it).
  function questionFields(schema, callId, answered) {
    const props = schema && typeof schema.properties === 'object' && schema.properties ? schema.properties : {};
    const required = Array.isArray(schema && schema.required) ? schema.required : [];
    return Object.keys(props).slice(0, 32).map((name, i) => {
      const f = props[name] && typeof props[name] === 'object' ? props[name] : {};
      const row = el('div', 'tool-question-field');
      const id = 'q-' + newId() + '-' + i;
      const label = el('label', '', String(f.title || name) + (required.includes(name) ? '' : ' (optional)'));
      label.htmlFor = id;
      const choices = Array.isArray(f.oneOf) ? f.oneOf.map((o) => ({ value: String(o.const), text: String(o.title || o.const) }))
        : Array.isArray(f.anyOf) ? f.anyOf.map((o) => ({ value: String(o.const), text: String(o.title || o.const) }))
          : Array.isArray(f.enum) ? f.enum.map((v, k) => ({ value: String(v),
            text: String(Array.isArray(f.enumNames) && f.enumNames[k] ? f.enumNames[k] : v) })) : null;
      let input;
      if (choices) {
        input = document.createElement('select');
        const none = el('option', '', 'Choose…');
        none.value = '';
        input.append(none, ...choices.map((c) => {
          const o = el('option', '', c.text);
          o.value = c.value;
          return o;
        }));
        if (f.default !== undefined) input.value = String(f.default);
      } else {
        input = document.createElement('input');
        input.type = f.type === 'boolean' ? 'checkbox' : f.type === 'number' || f.type === 'integer' ? 'number' : 'text';
        if (f.type === 'integer') input.step = '1';
        if (f.type === 'number') input.step = 'any';
        if (typeof f.minimum === 'number') input.min = String(f.minimum);
        if (typeof f.maximum === 'number') input.max = String(f.maximum);
        if (typeof f.maxLength === 'number') input.maxLength = f.maxLength;
        if (typeof f.minLength === 'number') input.minLength = f.minLength;
        if (input.type === 'checkbox') input.checked = f.default === true;
        else if (f.default !== undefined) input.value = String(f.default);
      }
      if (answered && Object.hasOwn(answered, name)) {
        if (input.type === 'checkbox') input.checked = answered[name] === true;
        else input.value = String(answered[name]);
      }
      input.id = id;
      input.dataset.field = name;
      input.dataset.type = choices ? 'choice' : f.type || 'string';
      input.required = required.includes(name) && input.type !== 'checkbox';
      row.append(label, input);
      if (f.description) {
        const hint = el('small', 'tool-question-hint', String(f.description));
        hint.id = id + '-hint';
        input.setAttribute('aria-describedby', hint.id);
        row.append(hint);
      }
      row.dataset.call = callId;
      return row;
    });
  }

  // The answer as the schema's values: numbers as numbers, a check box as a boolean, empty optional fields left out.
  function questionContent(box) {
    const content = {};
    box.querySelectorAll('[data-field]').forEach((f) => {
      const name = f.dataset.field;
      if (f.dataset.type === 'boolean') content[name] = f.checked;
      else if (f.value === '') return;
      else if (f.dataset.type === 'number' || f.dataset.type === 'integer') content[name] = Number(f.value);
      else content[name] = f.value;
    });
    return content;
  }

  // An answer (content) or a refusal (null): a frame over the WebSocket, else POST /api/streams/ID/approvals/CALL.
  async function answerQuestion(callId, content) {
    if (!live) return;
    const ctx = live;
    const s = live.turn.segments.find((x) => x.kind === 'tool' && x.id === callId);
    if (!s || !s.question || s.question.state !== 'pending') return;
    const q = s.question;
    q.state = 'sending';
    q.error = '';
    q.content = content || undefined;
    s.dirty = true;
    scheduleRender();
    const body = content ? { approved: true, content } : { approved: false };
    const done = () => {
      q.state = content ? 'answered' : 'declined';
      s.status = 'running';
      if (page.state === 'question' && !waitingOnReader()) setState('streaming');
    };
    if (ctx.transport === 'ws' && ctx.sendFrame) {
      ctx.approving = callId;
      ctx.sendFrame(Object.assign({ type: 'approval', stream: ctx.streamId, call: callId }, body));
      done(); // a refusal comes back as an error frame
      s.dirty = true;
      scheduleRender();
      return;
    }
    let response;
    let answer = null;
    try {
      response = await fetch('api/streams/' + encodeURIComponent(ctx.streamId) + '/approvals/' + encodeURIComponent(callId), {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      });
      answer = await response.json().catch(() => null);
    } catch (e) {
      approvalRefused(ctx, callId, { message: 'the server cannot be reached; try again' });
      return;
    }
    if (q.state !== 'sending') return;
    if (response.ok) done();
    else if (response.status === 409) { q.state = 'unanswered'; q.why = 'answered already, or the tool ended.'; }
    else approvalRefused(ctx, callId, answer && answer.error ? answer.error : { message: 'the server answered ' + response.status });
    s.dirty = true;
    if (live === ctx) scheduleRender();
  }

  function waitingOnReader() {
    return live && live.turn.segments.some((t) => t.kind === 'tool'
      && (t.status === 'approval' || (t.question && t.question.state === 'pending')));
  }

  // A question the tool no longer waits for (it ended): what was not answered says so.
  function closeQuestion(s) {
    if (live && live.approving === s.id) live.approving = null; // the tool went on: no refusal of the answer can come now
    if (s.question && (s.question.state === 'pending' || s.question.state === 'sending')) s.question.state = 'unanswered';
    if (page.state === 'question' && !waitingOnReader()) setState('streaming');
  }

  // Focus goes to what a call waits for (its first question field, else its Approve), unless the
  // reader is typing somewhere. Called by the render that draws it, in the same frame: a key
  // pressed once the buttons show never lands on what had the focus before.
  function focusWaiting(article, id) {
    const at = document.activeElement;
    const typing = at && (at.tagName === 'TEXTAREA' || at.tagName === 'INPUT' || at.isContentEditable) && at.value !== '';
    if (typing) return;
    const call = article.querySelector('.seg.tool[data-id="' + CSS.escape(id) + '"]');
    const node = call && (call.querySelector('.tool-question:not([hidden]) [data-field]')
      || call.querySelector('.tool-approval:not([hidden]) .tool-approval-actions:not([hidden]) button[data-action="approve"]'));
    if (node && !node.disabled) node.focus();
  }

  // A decision: a frame over the WebSocket, else POST /api/streams/ID/approvals/CALL.
  async function decide(callId, approved) {
    if (!live) return;
    const ctx = live;
    const s = live.turn.segments.find((x) => x.kind === 'tool' && x.id === callId);
    if (!s || !s.approval || s.approval.state !== 'pending') return;
    s.approval = { state: 'sending' };
    s.dirty = true;
    scheduleRender();
    if (ctx.transport === 'ws' && ctx.sendFrame) {
      ctx.approving = callId;
      ctx.sendFrame({ type: 'approval', stream: ctx.streamId, call: callId, approved });
      return; // the stream's tool_approval_decided follows; a refusal comes back as an error frame
    }
    let response;
    let body = null;
    try {
      response = await fetch('api/streams/' + encodeURIComponent(ctx.streamId) + '/approvals/' + encodeURIComponent(callId), {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ approved }),
      });
      body = await response.json().catch(() => null);
    } catch (e) {
      approvalRefused(ctx, callId, { message: 'the server cannot be reached; try again' });
      return;
    }
    if (response.ok) {
      if (s.approval.state === 'sending') s.approval = { state: 'decided', approved, reason: null };
    } else if (response.status === 409) {
      if (s.approval.state === 'sending') s.approval = { state: 'decided', approved: false, reason: 'decided already' };
    } else {
      approvalRefused(ctx, callId, body && body.error ? body.error : { message: 'the server answered ' + response.status });
      return;
    }
    s.dirty = true;
    if (live === ctx) scheduleRender();
  }

  // The decision did not go through: the buttons again, with why.
  function approvalRefused(ctx, callId, error) {
    ctx.approving = null;
    const s = ctx.turn.segments.find((x) => x.kind === 'tool' && x.id === callId);
    if (s && s.question && (s.question.state === 'sending' || s.question.state === 'answered' || s.question.state === 'declined')) {
      if (error.type === 'already_decided') Object.assign(s.question, { state: 'unanswered', why: 'answered already, or the tool ended.' });
      else Object.assign(s.question, { state: 'pending', error: 'Not sent: ' + error.message });
      s.dirty = true;
      if (live === ctx) scheduleRender();
      return;
    }
    if (!s || !s.approval || s.approval.state !== 'sending') return;
    s.approval = { state: 'pending', error: 'Not sent: ' + error.message };
    s.dirty = true;
    if (live === ctx) scheduleRender();
  }

  function lastIndex(role) {
    if (!current) return -1;
    for (let i = current.messages.length - 1; i >= 0; i--) if (current.messages[i].role === role) return i;
    return -1;
  }

  // ---- Following the answer: the log scrolls with a growing answer until the user scrolls up.
  // "Jump to latest" then takes a row of its own above the composer (covering nothing); it is
  // shown or hidden before the log's position is read, as the row changes the log's height.
  let following = true;
  let lastTop = 0;
  function scrollToEnd(force) {
    if (force) following = true;
    // scrolled up since the last frame, its scroll event not dispatched yet: the reader's move wins
    else if (els.log.scrollTop < lastTop - 2) following = false;
    els.jump.hidden = following;
    if (following) els.log.scrollTop = els.log.scrollHeight;
    lastTop = els.log.scrollTop;
  }
  els.log.addEventListener('scroll', () => {
    const atEnd = els.log.scrollHeight - els.log.scrollTop - els.log.clientHeight < 40;
    if (atEnd) following = true;
    else if (els.log.scrollTop < lastTop - 2) following = false; // the user scrolled up
    els.jump.hidden = following;
    lastTop = els.log.scrollTop;
  });
  els.jump.addEventListener('click', () => {
    scrollToEnd(true);
    els.prompt.focus();
  });

  // ---- The live stream
  let live = null; // {conv, turn, streamId, lastEventId, transport, request, attempt, close, ...}
  let frameRequested = false;

  function liveArticle() {
    return live ? els.turns.querySelector('article[data-index="' + live.conv.messages.indexOf(live.turn) + '"]') : null;
  }

  function scheduleRender() {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(renderLive);
  }

  // Once per frame, however many events arrived: the dirty segments, the figures, the saved state.
  function renderLive() {
    frameRequested = false;
    if (!live) return;
    page.renders++;
    const article = current === live.conv ? liveArticle() : null;
    if (article) updateTurn(article, live.turn, live.conv.messages.indexOf(live.turn), false);
    if (article && live.focusCall) focusWaiting(article, live.focusCall);
    live.focusCall = null;
    showFigures(measure(live));
    updateTitle();
    saveLive();
    scrollToEnd(false);
  }

  // ---- Figures: measured here, once, for the status bar and the turn alike. The time to the first
  // token as this page saw it (and the model's, from the relay's done); output tokens (the relay's
  // count at the end, the deltas meanwhile); tokens per second: tokens after the first over the time
  // from the first to the latest, as the relay counts (its figure at the end), less the time tools
  // ran or waited for approval (the gap before the first token after one). While the connection
  // is down the rate holds still (no token arrives, the clock does not run); the resumed events,
  // generated meanwhile, bring it up to date.
  const MEASURABLE = { tokens: 10, seconds: 0.25 }; // below either, a rate is noise, not shown
  function measure(l, done) {
    const seconds = (l.genMs || 0) / 1000;
    const m = { ttftMs: page.ttftMs, outputTokens: l.deltas, seconds,
      tokensPerSecond: l.genTokens && seconds ? l.genTokens / seconds : 0 };
    if (done) {
      m.modelTtftMs = done.ttftMs;
      if (done.usage.outputTokens) m.outputTokens = done.usage.outputTokens;
      if (done.tokensPerSecond) { // 0: the relay could not tell; ours stands
        m.tokensPerSecond = done.tokensPerSecond;
        m.seconds = (m.outputTokens - 1) / done.tokensPerSecond;
      }
    }
    return m;
  }
  // {ttft, rate, tokens}: the figures' texts, null where there is nothing to show
  function figureTexts(m) {
    const own = m.ttftMs === undefined || m.ttftMs === null ? null : m.ttftMs + ' ms';
    const model = m.modelTtftMs === undefined || m.modelTtftMs === null ? null : 'model ' + m.modelTtftMs + ' ms';
    // a turn kept before the seconds were: the seconds its rate implies
    const seconds = m.seconds !== undefined ? m.seconds : (m.outputTokens - 1) / m.tokensPerSecond;
    const measurable = m.outputTokens >= MEASURABLE.tokens && seconds >= MEASURABLE.seconds;
    return { ttft: own && model ? own + ' (' + model + ')' : own || model,
      rate: m.tokensPerSecond > 0 && measurable ? m.tokensPerSecond.toFixed(1) : null,
      tokens: m.outputTokens ? String(m.outputTokens) : null };
  }
  function showFigures(m) {
    const f = figureTexts(m || {});
    els.ttft.textContent = f.ttft || '–';
    els.tps.textContent = f.rate || '–';
    els.tokens.textContent = f.tokens || '–';
  }

  function saveLive() {
    if (!live || !live.streamId) return;
    try {
      sessionStorage.setItem(LIVE, JSON.stringify({
        conversation: live.conv.id, streamId: live.streamId, lastEventId: live.lastEventId,
        transport: live.transport, turn: live.turn, deltas: live.deltas, text: page.text, ttftMs: page.ttftMs,
        firstAt: live.firstAt, lastAt: live.lastAt, genMs: live.genMs, genTokens: live.genTokens, paused: live.paused,
      }));
    } catch (e) { /* storage full: a reload will offer a retry instead */ }
  }

  function addText(kind, text) {
    const segs = live.turn.segments;
    let s = segs[segs.length - 1];
    if (!s || s.kind !== kind) {
      s = { kind, text: '' };
      segs.push(s);
    }
    s.text += text;
    s.dirty = true;
  }

  function tool(id) {
    let s = live.turn.segments.find((x) => x.kind === 'tool' && x.id === id);
    if (!s) {
      s = { kind: 'tool', id, name: '', args: '', status: 'running', percent: null, message: '', result: null };
      live.turn.segments.push(s);
    }
    s.dirty = true;
    return s;
  }

  // A piece of the answer arrived: the figures count it.
  function counted() {
    if (!live.firstAt) {
      live.firstAt = Date.now();
      if (live.request) { // not a stream reattached after a reload, whose request this page did not time
        page.ttftMs = Math.round(performance.now() - live.startedAt);
      }
    }
    const now = Date.now();
    if (live.lastAt && !live.paused) { // generation time: from token to token, not across a tool's run
      live.genMs += now - live.lastAt;
      live.genTokens++;
    }
    live.paused = false;
    live.lastAt = now;
    live.deltas++;
    page.deltas = live.deltas;
  }

  // A tool runs, or waits for a person: until the next token the model is not generating.
  function paused() {
    live.paused = true;
  }

  function contentArrived() {
    if (page.state !== 'streaming') setState('streaming');
  }

  // Every event type of the relay protocol, in one place: a new type is one more entry.
  const EVENTS = {
    start(data) {
      live.turn.meta.model = data.model;
      els.model.textContent = data.provider + ' · ' + data.model;
    },
    delta(data) {
      counted();
      page.text += data.text;
      addText('text', data.text);
      contentArrived();
    },
    // A structured answer's next piece of JSON text; reset: the answer starts again (a fallback
    // chain's restart), what was shown goes.
    object(data) {
      counted();
      const segs = live.turn.segments;
      let s = segs.find((x) => x.kind === 'object');
      if (!s || data.reset) {
        if (s) segs.splice(segs.indexOf(s), 1);
        s = { kind: 'object', json: '' };
        segs.push(s);
        if (data.reset) live.turn.restarted = true;
      }
      s.json += data.json;
      s.dirty = true;
      page.text += data.json;
      contentArrived();
    },
    thinking(data) {
      addText('thinking', data.text);
      contentArrived();
    },
    tool_call(data) {
      const s = tool(data.id);
      s.name = data.name || s.name;
      s.args += data.arguments;
      contentArrived();
    },
    tool_started(data) {
      paused();
      const s = tool(data.id);
      s.name = data.name;
      s.status = 'running';
      contentArrived();
    },
    tool_progress(data) {
      const s = tool(data.id);
      if (live.approving === data.id) live.approving = null;
      // the tool goes on: its question was answered (here, in another tab, or before a reload)
      if (s.question && (s.question.state === 'pending' || s.question.state === 'sending')) {
        s.question.state = 'answered';
        s.status = 'running';
        if (page.state === 'question' && !waitingOnReader()) setState('streaming');
      }
      s.message = data.message;
      s.progress = data.progress;
      s.total = data.total;
      s.percent = typeof data.percent === 'number' ? data.percent
        : typeof data.progress === 'number' && data.total > 0 ? Math.min(100, 100 * data.progress / data.total) : null;
    },
    // The call waits for a person's decision; the stream is paused meanwhile.
    tool_approval(data) {
      paused();
      const s = tool(data.id);
      s.name = data.name;
      s.args = data.arguments;
      s.status = 'approval';
      if (!s.approval) s.approval = { state: 'pending' };
      contentArrived();
      setState('approval'); // the answer waits on the reader, not on the model
      live.focusCall = data.id; // by the render that draws the buttons
      els.announcer.textContent = (data.name || 'A tool') + ' waits for your approval.';
    },
    tool_approval_decided(data) {
      const s = tool(data.id);
      s.approval = { state: 'decided', approved: data.approved, reason: data.reason };
      s.status = data.approved ? 'approved' : 'denied';
      if (live.approving === data.id) live.approving = null;
      if (page.state === 'approval' && !waitingOnReader()) setState('streaming');
    },
    // The running tool asks the person something (an MCP server's question); the stream goes on.
    tool_input(data) {
      const s = tool(data.id);
      s.name = data.name || s.name;
      let schema = {};
      try { schema = JSON.parse(data.schema); } catch (e) { schema = {}; }
      s.question = { key: String(live.lastEventId || newId()), state: 'pending', message: String(data.message), schema };
      s.status = 'question';
      contentArrived();
      setState('question');
      live.focusCall = data.id; // by the render that draws the fields
      els.announcer.textContent = (data.name || 'A tool') + ' asks: ' + String(data.message).slice(0, 300);
    },
    tool_done(data) {
      const s = tool(data.id);
      closeQuestion(s);
      s.status = 'done';
      s.percent = 100;
      s.message = '';
      s.result = data.result;
    },
    tool_failed(data) {
      const s = tool(data.id);
      closeQuestion(s);
      if (s.status === 'denied') return; // the runner's denial, which the approval already shows
      s.status = 'failed';
      s.message = data.message;
    },
    // A fallback chain moved the answer to its next target (docs/failover.md). Restart: the failed
    // attempt's text, thinking and tools are discarded and the new answer takes their place;
    // continue: the text goes on where it stopped. Either way the turn says who answered.
    switch(data) {
      const meta = live.turn.meta;
      meta.switches = (meta.switches || []).concat({ from: data.from, to: data.to, reason: data.reason, mode: data.mode });
      meta.model = data.to;
      els.model.textContent = data.to;
      if (data.mode === 'restart') {
        live.turn.segments = [];
        live.turn.restarted = true;
        page.text = '';
      }
      page.switches = meta.switches.length;
      setState(page.state, 'switched to ' + data.to + ' after ' + data.reason);
    },
    // A hedging chain raced a second target beside a slow first one and kept the first to answer:
    // nothing to discard, the turn says who answered.
    hedge(data) {
      live.turn.meta.model = data.winner;
      live.turn.meta.hedge = { from: data.from, to: data.to, winner: data.winner, afterMs: data.afterMs };
      els.model.textContent = data.winner;
    },
    done(data) {
      page.done = data;
      live.turn.meta.finishReason = data.finishReason;
      end('done', finishDetail(data.finishReason), typeof data.text === 'string' ? data.text : null, data);
    },
    error(data) {
      page.error = data.type + ': ' + data.message;
      live.turn.error = { type: data.type, message: 'The model failed: ' + data.message };
      end('failed', data.type);
    },
    cancelled(data) {
      if (live.stopRequested) {
        end('stopped', '');
      } else {
        live.turn.error = { type: 'cancelled', message: 'The server ended this answer: ' + data.reason + '.' };
        end('failed', 'ended by the server');
      }
    },
  };

  // One event, from either transport; the ids make a resume gapless and never doubled.
  function onEvent(id, type, data) {
    if (!live || id <= live.lastEventId) return;
    if (id !== live.lastEventId + 1) page.error = 'gap: ' + live.lastEventId + ' -> ' + id;
    live.lastEventId = page.lastEventId = id;
    live.attempt = 0;
    page.events.push(type);
    if (page.state === 'reconnecting') setState(live.firstAt || live.turn.segments.length ? 'streaming' : 'waiting');
    const handle = EVENTS[type];
    if (handle) handle(data);
    scheduleRender();
  }

  // The end of a stream, however it ended (done: the relay's done event, when that was the end).
  function end(state, detail, text, done) {
    if (!live) return;
    const { turn, conv } = live;
    Object.assign(turn.meta, measure(live, done));
    stopTransport();
    live = null;
    sessionStorage.removeItem(LIVE);
    turn.pending = false;
    turn.meta.state = state;
    const joined = turn.segments.filter((s) => s.kind === 'text' || s.kind === 'object')
      .map((s) => s.kind === 'text' ? s.text : s.json).join('\n\n');
    turn.content = text !== null && text !== undefined ? text : joined;
    turn.segments.forEach((s) => {
      s.dirty = true;
      if (s.approval && s.approval.state !== 'decided') s.approval = { state: 'unanswered' }; // no one can decide it now
      if (s.question && (s.question.state === 'pending' || s.question.state === 'sending')) s.question.state = 'unanswered';
      // a call still at work when its stream ended without done (Stop, a failure) ends with it: its task was cancelled
      if (state !== 'done' && s.kind === 'tool' && ['running', 'approved', 'question'].includes(s.status)) s.status = 'stopped';
    });
    conv.updated = Date.now();
    saveConversations();
    els.send.hidden = false;
    els.stop.hidden = true;
    showFigures(turn.meta);
    setState(state, detail);
    if (current === conv) {
      renderConversation();
      const plain = liveText(conv.messages.indexOf(turn));
      els.announcer.textContent = state === 'done' ? 'Answer: ' + plain.slice(0, 1500)
        : state === 'stopped' ? 'Stopped.' : (turn.error ? turn.error.message : STATUS[state]);
    }
    // back to the box, unless the reader has moved elsewhere meanwhile
    const at = document.activeElement;
    if (!at || at === document.body || els.form.contains(at)) els.prompt.focus();
  }

  function liveText(index) {
    const a = els.turns.querySelector('article[data-index="' + index + '"] .segments');
    return a ? a.textContent.trim() : '';
  }

  function stopTransport() {
    if (!live) return;
    clearTimeout(live.timer);
    if (live.close) live.close();
    live.close = null;
  }

  function reconnect(why) {
    if (!live) return;
    stopTransport();
    live.attempt++;
    page.reconnects++;
    if (live.attempt > RECONNECT.attempts) {
      live.turn.error = { type: 'unreachable', message: 'The server cannot be reached. The text above is what arrived.' };
      end('failed', 'the server cannot be reached');
      return;
    }
    // exponential, capped, with jitter: half the step fixed, half random
    const step = Math.min(RECONNECT.cap, RECONNECT.base * Math.pow(2, live.attempt - 1));
    const delay = Math.round(step / 2 + Math.random() * step / 2);
    page.delays.push(delay);
    setState('reconnecting', why + '; attempt ' + live.attempt + ' in ' + (delay / 1000).toFixed(1) + ' s');
    const ctx = live;
    ctx.timer = setTimeout(() => { if (live === ctx) connect(); }, delay);
  }

  function gone() {
    if (!live) return;
    live.turn.error = { type: 'gone', message: 'This stream is gone: the server restarted or no longer keeps it. '
      + 'The text above is what arrived before.' };
    end('gone', 'the server no longer has it');
  }

  function refused(status, body) {
    const e = body && body.error ? body.error : { type: 'http_' + status, message: 'the server answered ' + status };
    page.error = e.type + ': ' + e.message;
    live.turn.error = { type: e.type, message: 'Not sent: ' + e.message };
    end('failed', 'not sent');
  }

  function connect() {
    if (live.transport === 'ws') connectWs(); else connectSse();
  }

  // ---- SSE over fetch: the status of each attempt is visible (a 404 means the stream is gone),
  // and Last-Event-ID is ours to send.
  async function startSse() {
    const ctx = live;
    let response;
    let body = null;
    try {
      response = await fetch('api/streams', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ctx.request),
      });
      body = await response.json().catch(() => null);
    } catch (e) {
      if (live === ctx) {
        live.turn.error = { type: 'unreachable', message: 'Not sent: the server cannot be reached.' };
        end('failed', 'the server cannot be reached');
      }
      return;
    }
    if (live !== ctx) return;
    if (response.status !== 201) {
      refused(response.status, body);
      return;
    }
    live.streamId = page.streamId = body.id;
    setState('waiting');
    saveLive();
    connectSse();
  }

  async function connectSse() {
    const ctx = live;
    const abort = new AbortController();
    ctx.close = () => abort.abort();
    let response;
    try {
      response = await fetch('api/streams/' + encodeURIComponent(ctx.streamId) + '/events', {
        headers: { Accept: 'text/event-stream', 'Last-Event-ID': String(ctx.lastEventId) },
        cache: 'no-store', signal: abort.signal,
      });
    } catch (e) {
      if (live === ctx && !abort.signal.aborted) reconnect('server unreachable');
      return;
    }
    if (live !== ctx) return;
    if (response.status === 404 || response.status === 410) {
      gone();
      return;
    }
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      if (response.status >= 500 || response.status === 429) reconnect('server answered ' + response.status);
      else if (body && body.error && body.error.type === 'replay_unavailable') gone();
      else refused(response.status, body);
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let event = { type: 'message', data: [], id: null };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let nl;
        while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + (buffer[nl] === '\r' && buffer[nl + 1] === '\n' ? 2 : 1));
          if (line === '') {
            if (event.data.length && event.id !== null) onEvent(Number(event.id), event.type, JSON.parse(event.data.join('\n')));
            if (live !== ctx) return;
            event = { type: 'message', data: [], id: null };
          } else if (line[0] !== ':') {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
            if (field === 'event') event.type = value;
            else if (field === 'data') event.data.push(value);
            else if (field === 'id') event.id = value;
          }
        }
      }
    } catch (e) {
      // a cut connection; reconnect below
    }
    if (live === ctx && !abort.signal.aborted) reconnect('connection cut');
  }

  // ---- WebSocket: one frame per event; after a cut, a new socket resumes from the last id.
  function connectWs() {
    const ctx = live;
    const address = new URL('api/ws', location.href); // beside the page, wherever the relay is mounted
    address.protocol = address.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(address.href);
    let closedByUs = false;
    ctx.close = () => {
      closedByUs = true;
      ctx.sendFrame = null;
      socket.close();
    };
    ctx.sendFrame = (frame) => socket.send(JSON.stringify(frame));
    socket.onopen = () => socket.send(JSON.stringify(ctx.streamId
      ? { type: 'resume', stream: ctx.streamId, lastEventId: ctx.lastEventId }
      : Object.assign({ type: 'start' }, ctx.request)));
    socket.onmessage = (m) => {
      if (live !== ctx) return;
      const frame = JSON.parse(m.data);
      // A frame starts with the event's id; a tool event's data has an "id" of its own (the call's),
      // the one JSON.parse keeps, so the event id is read from the frame's start.
      const eventId = /^\{"id":(\d+),/.exec(m.data);
      if (!eventId && frame.type === 'error') {
        if (ctx.approving) { // the refusal of this page's decision, not of the stream
          approvalRefused(ctx, ctx.approving, frame.error);
          return;
        }
        if (ctx.streamId && ['not_found', 'replay_unavailable'].includes(frame.error.type)) gone();
        else refused(400, frame);
        return;
      }
      if (frame.stream && !ctx.streamId) {
        ctx.streamId = page.streamId = frame.stream;
        if (page.state === 'connecting') setState('waiting');
      }
      onEvent(Number(eventId[1]), frame.type, frame.type === 'error' ? frame.error : frame);
    };
    socket.onclose = () => {
      if (closedByUs || live !== ctx) return;
      if (!ctx.streamId) {
        live.turn.error = { type: 'unreachable', message: 'Not sent: the connection closed before the stream started.' };
        end('failed', 'the connection closed');
        return;
      }
      reconnect('socket closed');
    };
  }

  // ---- Conversations
  function history(conv, upTo) {
    const out = [];
    for (const m of conv.messages.slice(0, upTo)) {
      const content = (m.content || '').trim();
      if (!content) continue;
      const prev = out[out.length - 1];
      if (prev && prev.role === m.role) prev.content += '\n\n' + content; // an answer lost on the way
      else out.push({ role: m.role, content });
    }
    while (out.length && out[0].role !== 'user') out.shift();
    return out;
  }

  function startAnswer(conv) {
    const turn = { role: 'assistant', content: '', segments: [], meta: {}, pending: true };
    conv.messages.push(turn);
    conv.updated = Date.now();
    saveConversations();
    Object.assign(page, { streamId: null, lastEventId: 0, text: '', deltas: 0, events: [], error: null, done: null,
      ttftMs: null, delays: [] });
    live = { conv, turn, streamId: null, lastEventId: 0, transport: els.transport.value, attempt: 0, deltas: 0,
      startedAt: performance.now(), firstAt: 0, lastAt: 0, genMs: 0, genTokens: 0, paused: false,
      request: { messages: history(conv, conv.messages.length - 1), provider: els.provider.value || undefined } };
    const shape = els.shape.value;
    if (SHAPES[shape]) { // a structured answer: the relay streams it as object events
      live.request.schema = SHAPES[shape];
      live.request.schemaName = shape;
    }
    els.send.hidden = true;
    els.stop.hidden = false;
    renderConversation();
    setState('connecting');
    if (live.transport === 'ws') connectWs(); else startSse();
  }

  function send(text) {
    if (live || !text.trim()) return;
    if (!current) newConversation();
    if (!current.title) current.title = titleOf(text, 48);
    current.messages.push({ role: 'user', content: text });
    els.prompt.value = '';
    autosize();
    startAnswer(current);
    els.prompt.focus();
  }

  // A conversation's title: one line of at most max characters, cut after a word where it can,
  // and ending in "…" where it was cut.
  function titleOf(text, max) {
    const chars = Array.from(text.trim().replace(/\s+/g, ' ')); // by code point: never half an emoji
    if (chars.length <= max) return chars.join('');
    const cut = chars.slice(0, max - 1).join('');
    const space = cut.lastIndexOf(' ');
    return (space > cut.length / 2 ? cut.slice(0, space) : cut).trimEnd() + '…';
  }

  function newConversation() {
    current = { id: newId(), title: '', created: Date.now(), updated: Date.now(), messages: [] };
    conversations.unshift(current);
    sessionStorage.setItem(CURRENT, current.id);
  }

  function show(conv) {
    current = conv;
    if (conv) sessionStorage.setItem(CURRENT, conv.id); else sessionStorage.removeItem(CURRENT);
    renderConversation();
    closeSidebar();
  }

  function renderList() {
    els.list.textContent = '';
    const sorted = conversations.slice().sort((a, b) => b.updated - a.updated);
    for (const c of sorted) {
      if (!c.messages.length && c !== current) continue;
      const li = document.createElement('li');
      const b = el('button', 'conv', c.title || 'New chat');
      b.type = 'button';
      b.dataset.id = c.id;
      if (c === current) b.setAttribute('aria-current', 'true');
      li.append(b);
      els.list.append(li);
    }
    const none = !current || !current.messages.length;
    els.rename.disabled = els.exportMd.disabled = els.remove.disabled = none;
  }

  function toMarkdown(conv) {
    const lines = ['# ' + (conv.title || 'Conversation'), ''];
    for (const m of conv.messages) {
      lines.push(m.role === 'user' ? '## You' : '## Assistant' + (m.meta && m.meta.model ? ' (' + m.meta.model + ')' : ''), '');
      for (const s of m.segments || []) {
        if (s.kind === 'tool') lines.push('> tool `' + s.name + '` ' + s.args + (s.result ? ' → ' + s.result : ''), '');
      }
      lines.push(m.content || (m.error ? '*' + m.error.message + '*' : ''), '');
    }
    return lines.join('\n');
  }

  // ---- Actions
  els.form.addEventListener('submit', (e) => {
    e.preventDefault();
    send(els.prompt.value);
  });
  els.prompt.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send(els.prompt.value);
    } else if (e.key === 'Escape' && live) {
      e.preventDefault();
      stop();
    }
  });
  function autosize() {
    els.prompt.style.height = 'auto';
    els.prompt.style.height = Math.min(els.prompt.scrollHeight + 2, 220) + 'px';
  }
  els.prompt.addEventListener('input', autosize);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && live && !e.defaultPrevented) stop();
  });

  // Stop: DELETE cancels the upstream; the stream then ends with 'cancelled'.
  function stop() {
    if (!live) return;
    live.stopRequested = true;
    els.stop.hidden = true;
    els.send.hidden = false;
    if (!live.streamId) {
      end('stopped', 'before the stream started');
      return;
    }
    setState(page.state, 'stopping…');
    fetch('api/streams/' + encodeURIComponent(live.streamId), { method: 'DELETE' }).catch(() => end('stopped', ''));
  }
  els.stop.addEventListener('click', stop);

  function regenerate() {
    if (live || !current) return;
    while (current.messages.length && current.messages[current.messages.length - 1].role === 'assistant') current.messages.pop();
    if (!current.messages.length) return;
    startAnswer(current);
  }

  function editLast(article) {
    const index = Number(article.dataset.index);
    const m = current.messages[index];
    const bubble = article.querySelector('.bubble');
    const box = el('div', 'edit');
    const label = el('label', 'visually-hidden', 'Edit your message');
    const area = document.createElement('textarea');
    area.id = 'edit-' + index;
    label.htmlFor = area.id;
    area.value = m.content;
    area.rows = Math.min(8, m.content.split('\n').length + 1);
    const actions = el('div', 'turn-actions');
    actions.append(button('Save & send', 'edit-save'), button('Cancel', 'edit-cancel'));
    box.append(label, area, actions);
    bubble.replaceWith(box);
    article.querySelectorAll(':scope > .turn-actions').forEach((x) => x.remove());
    area.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        saveEdit(article);
      } else if (e.key === 'Escape') {
        e.stopPropagation();
        renderConversation();
      }
    });
    area.focus();
  }

  function saveEdit(article) {
    const index = Number(article.dataset.index);
    const text = article.querySelector('.edit textarea').value;
    if (!text.trim() || live) return;
    current.messages.splice(index);
    current.messages.push({ role: 'user', content: text });
    startAnswer(current);
    els.prompt.focus();
  }

  async function copy(text, b) {
    page.copied = text;
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      const area = document.createElement('textarea');
      area.value = text;
      area.className = 'offscreen';
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    const was = b.textContent;
    b.textContent = 'Copied ✓';
    setTimeout(() => { b.textContent = was; }, 1500);
  }

  els.turns.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-action]');
    if (!b) return;
    const article = b.closest('article');
    const m = current.messages[Number(article.dataset.index)];
    switch (b.dataset.action) {
      case 'copy-code': copy(b.closest('.code').querySelector('code').textContent, b); break;
      case 'copy-answer': copy(m.content, b); break;
      case 'regenerate': case 'retry': regenerate(); break;
      case 'edit': editLast(article); break;
      case 'edit-save': saveEdit(article); break;
      case 'edit-cancel': renderConversation(); break;
      case 'approve': case 'deny': decide(b.closest('.seg.tool').dataset.id, b.dataset.action === 'approve'); break;
      case 'decline': answerQuestion(b.closest('.seg.tool').dataset.id, null); break;
    }
  });
  els.turns.addEventListener('submit', (e) => {
    const form = e.target.closest('.tool-question');
    if (!form) return;
    e.preventDefault();
    answerQuestion(form.closest('.seg.tool').dataset.id, questionContent(form));
  });
  document.getElementById('suggestions').addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.dataset.shape) {
      els.shape.value = b.dataset.shape;
      els.shape.dispatchEvent(new Event('change'));
    }
    send(b.textContent);
  });

  els.newChat.addEventListener('click', () => {
    if (live) return;
    if (!current || current.messages.length) newConversation();
    show(current);
    els.prompt.focus();
  });
  els.list.addEventListener('click', (e) => {
    const b = e.target.closest('button.conv');
    if (!b || live) return;
    show(conversations.find((c) => c.id === b.dataset.id));
    els.prompt.focus();
  });
  els.rename.addEventListener('click', () => {
    if (!current) return;
    const input = document.createElement('input');
    input.id = 'rename-input';
    input.value = current.title;
    input.setAttribute('aria-label', 'Conversation name');
    els.title.replaceChildren(input);
    input.focus();
    input.select();
    const done = (keep) => {
      if (keep && input.value.trim()) {
        current.title = titleOf(input.value, 80);
        saveConversations();
      }
      renderConversation();
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') done(true);
      else if (e.key === 'Escape') done(false);
    });
    input.addEventListener('blur', () => { if (input.isConnected) done(true); });
  });
  els.exportMd.addEventListener('click', () => {
    if (!current) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([toMarkdown(current)], { type: 'text/markdown' }));
    a.download = (current.title || 'conversation').replace(/[^\w -]+/g, '').trim().replace(/\s+/g, '-').slice(0, 60) + '.md';
    page.exported = toMarkdown(current);
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  els.remove.addEventListener('click', () => {
    if (!current || live) return;
    conversations = conversations.filter((c) => c !== current);
    saveConversations();
    show(conversations.slice().sort((a, b) => b.updated - a.updated)[0] || null);
    els.prompt.focus();
  });

  function closeSidebar() {
    els.app.classList.remove('sidebar-open');
    els.openSidebar.setAttribute('aria-expanded', 'false');
  }
  els.openSidebar.addEventListener('click', () => {
    els.app.classList.add('sidebar-open');
    els.openSidebar.setAttribute('aria-expanded', 'true');
    els.newChat.focus();
  });
  els.closeSidebar.addEventListener('click', () => {
    closeSidebar();
    els.openSidebar.focus();
  });

  // On a phone the conversation's actions live in the list, not in the cramped top bar.
  const narrow = window.matchMedia('(max-width: 760px)');
  function placeActions() {
    const group = $('conv-actions');
    if (narrow.matches) $('side-actions').append(group); else els.theme.before(group);
  }
  narrow.addEventListener('change', placeActions);
  placeActions();
  els.app.addEventListener('click', (e) => { if (e.target === els.app && els.app.classList.contains('sidebar-open')) closeSidebar(); });

  // ---- Theme: the system's preference, or the toggle (kept for this tab)
  function applyTheme(theme) {
    document.documentElement.dataset.theme = theme;
    els.theme.setAttribute('aria-pressed', String(theme === 'dark'));
  }
  const prefersDark = window.matchMedia('(prefers-color-scheme: dark)');
  applyTheme(sessionStorage.getItem(THEME) || (prefersDark.matches ? 'dark' : 'light'));
  prefersDark.addEventListener('change', (e) => { if (!sessionStorage.getItem(THEME)) applyTheme(e.matches ? 'dark' : 'light'); });
  els.theme.addEventListener('click', () => {
    const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    sessionStorage.setItem(THEME, next);
    applyTheme(next);
  });

  // ---- Preferences: the model and the transport chosen are kept for this tab, as the theme is
  // (localStorage holds the conversations and nothing else)
  function remember(select, key) {
    const saved = sessionStorage.getItem(key);
    if (saved !== null && Array.from(select.options).some((o) => o.value === saved)) select.value = saved;
    select.addEventListener('change', () => sessionStorage.setItem(key, select.value));
  }
  remember(els.transport, TRANSPORT);
  remember(els.shape, SHAPE);

  // ---- Start: the conversations, then a stream a reload interrupted
  function restore() {
    const saved = readJson(sessionStorage, LIVE, null);
    const id = saved ? saved.conversation : sessionStorage.getItem(CURRENT);
    current = conversations.find((c) => c.id === id) || conversations.slice().sort((a, b) => b.updated - a.updated)[0] || null;
    for (const c of conversations) { // a stream this tab no longer follows: its text stays, with a retry
      for (const m of c.messages) {
        if (m.pending && !(saved && c.id === saved.conversation && m === c.messages[c.messages.length - 1])) {
          m.pending = false;
          m.error = m.error || { type: 'interrupted', message: 'This answer was interrupted when the page closed.' };
        }
      }
    }
    if (saved && current && current.id === saved.conversation && current.messages.length) {
      const turn = saved.turn;
      turn.segments.forEach((s) => {
        s.dirty = true;
        if (s.approval && s.approval.state === 'sending') s.approval = { state: 'pending' }; // asked again
        if (s.question && s.question.state === 'sending') s.question.state = 'pending';
      });
      current.messages[current.messages.length - 1] = turn;
      live = { conv: current, turn, streamId: saved.streamId, lastEventId: saved.lastEventId, transport: saved.transport,
        attempt: 0, deltas: saved.deltas || 0, startedAt: performance.now(), firstAt: saved.firstAt || 0,
        lastAt: saved.lastAt || 0, genMs: saved.genMs || 0, genTokens: saved.genTokens || 0, paused: !!saved.paused,
        request: null };
      Object.assign(page, { streamId: saved.streamId, lastEventId: saved.lastEventId, deltas: live.deltas,
        text: saved.text || '', ttftMs: saved.ttftMs === undefined ? null : saved.ttftMs, reattached: true });
      els.send.hidden = true;
      els.stop.hidden = false;
      renderConversation();
      setState('reconnecting', 'reattaching after the reload');
      connect();
    } else {
      sessionStorage.removeItem(LIVE);
      renderConversation();
    }
  }

  fetch('api/providers').then((r) => r.json()).then((p) => {
    for (const provider of p.providers) {
      const option = document.createElement('option');
      option.value = provider.name;
      option.textContent = provider.name + ' · ' + provider.model;
      els.provider.append(option);
    }
    els.provider.value = p.default;
    remember(els.provider, PROVIDER);
    restore();
    page.ready = true;
    els.prompt.focus();
  });
})();
