// Drives `sluice serve` with a prompt whose model calls an MCP server's tool that the server runs as a
// task (MCP Tasks): the Vercel AI SDK's chat (AbstractChat over DefaultChatTransport), recording every
// data chunk as onData gets it, and @ag-ui/client's HttpAgent, recording its events. Prints one JSON line
// per case. Usage: node mcp-task.mjs BASE_URL PROMPT
import { DefaultChatTransport } from 'ai';
import { HttpAgent } from '@ag-ui/client';
import { browser, Chat, run } from './clients.mjs';

const base = process.argv[2];
const prompt = process.argv[3];

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
