// Drives `sluice serve`'s POST /api/chat with the Vercel AI SDK's own chat machinery: AbstractChat
// (what useChat runs) over DefaultChatTransport, which validates every chunk against the SDK's
// uiMessageChunkSchema. Prints one JSON line per case; the Java test compares them with what the
// fake model sent. Usage: node ui-chat.mjs BASE_URL
import { DefaultChatTransport } from 'ai';
import { browser, Chat } from './clients.mjs';

const base = process.argv[2];

const transport = (fetch = browser()) => new DefaultChatTransport({ api: new URL('api/chat', base).toString(), fetch });
const print = (name, chat, extra = {}) =>
  console.log(JSON.stringify({ case: name, status: chat.status, error: chat.error?.message ?? null, messages: chat.messages, ...extra }));

// A conversation: a tool-calling turn with thinking and progress, then a follow-up with the history.
{
  const data = [];
  const chat = new Chat({ id: 'chat-conversation', transport: transport(), onData: (d) => data.push(d) });
  await chat.sendMessage({ text: "What's the weather in Paris? Then count to 2" });
  await chat.sendMessage({ text: 'Thanks!' });
  print('conversation', chat, { dataChunks: data });
}

// A stream cut after a few chunks, resumed by a new chat with the same id (a reloaded page); another
// browser asking for the same chat id meanwhile gets nothing (the server answers as for no chat).
{
  const user = { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Tell me about the ocean' }] };
  const abort = new AbortController();
  const page = browser();
  const stream = await transport(page).sendMessages({
    chatId: 'chat-resume', messages: [user], trigger: 'submit-message', messageId: undefined, abortSignal: abort.signal,
  });
  const reader = stream.getReader();
  const seen = [];
  while (seen.length < 6) {
    const { value, done } = await reader.read();
    if (done) break;
    seen.push(value.type);
  }
  abort.abort();
  await reader.cancel().catch(() => {});
  const stranger = new Chat({ id: 'chat-resume', messages: [user], transport: transport() });
  await stranger.resumeStream();
  print('stranger-resume', stranger);
  const chat = new Chat({ id: 'chat-resume', messages: [user], transport: transport(page) });
  await chat.resumeStream();
  print('resume', chat, { beforeCut: seen });
}

// Nothing to resume: the server answers 204 and the chat stays as it was.
{
  const chat = new Chat({ id: 'chat-never-started', transport: transport() });
  await chat.resumeStream();
  print('nothing-to-resume', chat);
}

// A model that fails after some text: the chat shows the error and keeps the text.
{
  const chat = new Chat({ id: 'chat-error', transport: transport(), onError: () => {} });
  await chat.sendMessage({ text: 'Say something, then fail' });
  print('error', chat);
}

// Streams the relay wrote to files (argv[3], argv[4], ...: a fallback chain's restart, a
// cancellation), read by the same chat through a fetch that answers with the file.
import { readFileSync } from 'node:fs';
for (const file of process.argv.slice(3)) {
  const fetch = async () => new Response(readFileSync(file), {
    headers: { 'content-type': 'text/event-stream', 'x-vercel-ai-ui-message-stream': 'v1' },
  });
  const chunks = [];
  const chat = new Chat({
    id: 'chat-file', transport: new DefaultChatTransport({ api: 'http://127.0.0.1:1/api/chat', fetch }),
    onError: () => {}, onFinish: (f) => chunks.push({ finish: { isAbort: f.isAbort, isError: f.isError } }),
  });
  await chat.sendMessage({ text: 'hi' });
  print(file.replace(/.*\//, ''), chat, { finish: chunks });
}
