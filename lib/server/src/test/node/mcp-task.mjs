// Drives `sluice serve` with a prompt whose model calls an MCP server's tool that the server runs as a
// task (MCP Tasks): the Vercel AI SDK's chat (AbstractChat over DefaultChatTransport), recording every
// data chunk as onData gets it, and @ag-ui/client's HttpAgent, recording its events. With QUESTION, a
// prompt whose task asks the person something (an elicitation, input_required), each client answers it as
// an application would: the chat puts the answer (ANSWER, a JSON object) into the question's data part and
// sends the chat on; the agent's next run resumes the question's interrupt with it. Prints one JSON line per
// case. Usage: node mcp-task.mjs BASE_URL PROMPT [QUESTION ANSWER]
import { DefaultChatTransport } from 'ai';
import { HttpAgent } from '@ag-ui/client';
import { browser, Chat, run } from './clients.mjs';

const base = process.argv[2];
const prompt = process.argv[3];
const question = process.argv[4];
const answer = process.argv[5] ? JSON.parse(process.argv[5]) : undefined;

{
  const data = []; // copies: the chat keeps the first data chunk as its part and updates that part in place
  const chat = new Chat({
    id: 'chat-mcp-task', onData: (d) => data.push(structuredClone(d)), onError: () => {},
    transport: new DefaultChatTransport({ api: new URL('api/chat', base).toString(), fetch: browser() }),
  });
  await chat.sendMessage({ text: prompt });
  console.log(JSON.stringify({ case: 'ui-task', status: chat.status, error: chat.error?.message ?? null,
    messages: chat.messages, dataChunks: data }));
}

{
  const agent = new HttpAgent({ url: new URL('api/ag-ui', base).toString(), threadId: 'thread-mcp-task', fetch: browser() });
  agent.addMessage({ id: 'u1', role: 'user', content: prompt });
  const result = await run(agent, { runId: 'run-mcp-task' });
  console.log(JSON.stringify({ case: 'ag-ui-task', ...result, messages: agent.messages }));
}

if (question) {
  const data = [];
  const posted = [];
  const chat = new Chat({
    id: 'chat-mcp-question', onData: (d) => data.push(structuredClone(d)), onError: () => {},
    transport: new DefaultChatTransport({ api: new URL('api/chat', base).toString(), fetch: browser(posted) }),
  });
  await chat.sendMessage({ text: question });
  const paused = structuredClone(chat.messages);
  const statusPaused = chat.status;
  // what an application's form does (useChat's setMessages): the answer into the question's part, the chat sent on
  const last = chat.messages.at(-1);
  chat.messages = [...chat.messages.slice(0, -1), { ...last, parts: last.parts.map((p) => p.type !== 'data-tool-input' ? p
    : { ...p, data: { ...p.data, answer: { action: 'accept', content: answer } } }) }];
  await chat.sendMessage();
  console.log(JSON.stringify({ case: 'ui-question', statusPaused, paused, status: chat.status,
    error: chat.error?.message ?? null, messages: chat.messages, posted, dataChunks: data }));
}

if (question) {
  const agent = new HttpAgent({ url: new URL('api/ag-ui', base).toString(), threadId: 'thread-mcp-question', fetch: browser() });
  agent.addMessage({ id: 'u1', role: 'user', content: question });
  const first = await run(agent, { runId: 'run-mcp-question-1' });
  const pending = structuredClone(agent.pendingInterrupts ?? []);
  const interrupt = first.events.at(-1).outcome?.interrupts?.[0];
  const second = interrupt ? await run(agent, { runId: 'run-mcp-question-2',
    resume: [{ interruptId: interrupt.id, status: 'resolved', payload: answer }] }) : null;
  console.log(JSON.stringify({ case: 'ag-ui-question', first, pending, second, messages: agent.messages }));
}
