// What the test programs share: the AI SDK's AbstractChat (what useChat runs) with a plain state, a
// browser's fetch that keeps the chat's cookie, and an @ag-ui/client run that records its events.
import { AbstractChat } from 'ai';

class State {
  constructor(messages = []) { this.status = 'ready'; this.error = undefined; this.messages = messages; }
  pushMessage(m) { this.messages = this.messages.concat(m); }
  popMessage() { this.messages = this.messages.slice(0, -1); }
  replaceMessage(i, m) { this.messages = [...this.messages.slice(0, i), this.snapshot(m), ...this.messages.slice(i + 1)]; }
  snapshot(t) { return structuredClone(t); }
}

export class Chat extends AbstractChat {
  constructor({ messages, ...init }) { super({ ...init, state: new State(messages) }); }
  get error() { return this.state.error; }
}

/** Runs an agent, returning the events it saw and the error it ended with (null for none). */
export const run = async (agent, input = {}) => {
  const events = [];
  let error = null;
  try {
    await agent.runAgent(input, { onEvent: ({ event }) => { events.push(event); } });
  } catch (e) {
    error = e.message;
  }
  return { events, error };
};

/**
 * A browser's fetch: it keeps the cookie that binds a chat to it (sluice-chat, set by the first POST)
 * and sends it back, as Node's fetch does not; the bodies it posts go to `posted`.
 */
export const browser = (posted = []) => {
  let cookie;
  return async (url, init = {}) => {
    const headers = new Headers(init.headers);
    if (cookie) headers.set('cookie', cookie);
    if (init.body) posted.push(JSON.parse(init.body));
    const response = await globalThis.fetch(url, { ...init, headers });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    return response;
  };
};
