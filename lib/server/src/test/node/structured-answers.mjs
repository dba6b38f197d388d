// Drives structured answers through the two chat protocols with the official clients: POST /api/chat
// with a JSON Schema in the body, read with the `ai` package's DefaultChatTransport (which checks each
// chunk against the SDK's schema) and readUIMessageStream (which reconciles a data part of the same
// type and id in place); and POST /api/ag-ui with the schema in forwardedProps, run by @ag-ui/client's
// HttpAgent (which verifies the events' order and applies the activity's JSON Patches). Prints one JSON
// line per case. Usage: node structured-answers.mjs BASE_URL [UI_FILE AG_UI_FILE] (streams the relay
// wrote to files: a fallback chain's restart).
import { DefaultChatTransport, readUIMessageStream } from 'ai';
import { HttpAgent } from '@ag-ui/client';
import { readFileSync } from 'node:fs';

const base = process.argv[2];
const schema = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    minutes: { type: 'integer' },
    ingredients: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, quantity: { type: 'string' } },
      required: ['name', 'quantity'], additionalProperties: false } },
    steps: { type: 'array', items: { type: 'string' } },
  },
  required: ['title', 'minutes', 'ingredients', 'steps'],
  additionalProperties: false,
};

// The UI message stream: every chunk, and each message readUIMessageStream builds from them (the
// data-object parts it holds after each chunk).
const ui = async (name, fetch) => {
  const transport = new DefaultChatTransport({ api: new URL('api/chat', base).toString(), body: { schema }, fetch });
  const chunks = [];
  let error = null;
  try {
    const stream = await transport.sendMessages({
      chatId: `chat-${name}-0001`, trigger: 'submit-message', messageId: undefined, abortSignal: undefined,
      messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'A recipe for pancakes' }] }],
    });
    for await (const c of stream) chunks.push(structuredClone(c)); // the reader below may reuse what it is given
  } catch (e) {
    error = e.message;
  }
  const replay = new ReadableStream({ start(c) { chunks.forEach((x) => c.enqueue(structuredClone(x))); c.close(); } });
  const objects = []; // per message state: the data-object parts it holds
  const errors = [];
  for await (const message of readUIMessageStream({ stream: replay, onError: (e) => errors.push(String(e.message ?? e)) })) {
    objects.push(message.parts.filter((p) => p.type === 'data-object').map((p) => ({ id: p.id, data: p.data })));
  }
  console.log(JSON.stringify({ case: `ui-${name}`, chunks, objects, errors, error }));
};

// AG-UI: the events as the agent applied them, and its messages at the end.
const agUi = async (name, fetch) => {
  const agent = new HttpAgent({ url: new URL('api/ag-ui', base).toString(), threadId: `thread-${name}`, ...(fetch ? { fetch } : {}) });
  agent.addMessage({ id: 'u1', role: 'user', content: 'A recipe for pancakes' });
  const events = [];
  let error = null;
  try {
    await agent.runAgent({ runId: `run-${name}`, forwardedProps: { schema } }, { onEvent: ({ event }) => { events.push(event); } });
  } catch (e) {
    error = e.message;
  }
  console.log(JSON.stringify({ case: `ag-ui-${name}`, events, messages: agent.messages, error }));
};

await ui('recipe');
await ui('refused');
await ui('mismatch');
await agUi('recipe');
await agUi('mismatch');
const [uiFile, agUiFile] = process.argv.slice(3);
if (uiFile) {
  await ui('restart', async () => new Response(readFileSync(uiFile), {
    headers: { 'content-type': 'text/event-stream', 'x-vercel-ai-ui-message-stream': 'v1' } }));
}
if (agUiFile) {
  await agUi('restart', async () => new Response(readFileSync(agUiFile), { headers: { 'content-type': 'text/event-stream' } }));
}
process.exit(0);
