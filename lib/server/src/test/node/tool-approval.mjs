// Drives `sluice serve`'s tool approvals with the real clients: the Vercel AI SDK's chat (AbstractChat,
// what useChat runs, over DefaultChatTransport) answering a tool-approval-request with
// addToolApprovalResponse, which sends the next request by itself (sendAutomaticallyWhen); and
// @ag-ui/client's HttpAgent, whose run ends with an interrupt that the next run's resume answers.
// Prints one JSON line per case. Usage: node tool-approval.mjs BASE_URL [PROMPT [TOOL]], PROMPT's CASE
// replaced by each case's name (default "Deploy to prod"), TOOL the tool the model calls (default deploy).
import { DefaultChatTransport, lastAssistantMessageIsCompleteWithApprovalResponses } from 'ai';
import { HttpAgent } from '@ag-ui/client';
import { browser, Chat, run } from './clients.mjs';

const base = process.argv[2];
const prompt = (name) => (process.argv[3] ?? 'Deploy to prod').replaceAll('CASE', name);
const tool = process.argv[4] ?? 'deploy';

const until = async (done) => {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
};

for (const approved of [true, false]) {
  const posted = [];
  const data = []; // copies: the chat keeps the first data chunk as its part and updates that part in place
  const chat = new Chat({
    id: `chat-approval-${approved}`, onData: (d) => data.push(structuredClone(d)), onError: () => {},
    transport: new DefaultChatTransport({ api: new URL('api/chat', base).toString(), fetch: browser(posted) }),
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
  });
  await chat.sendMessage({ text: prompt(`ui-${approved ? 'approve' : 'deny'}`) });
  const paused = structuredClone(chat.messages);
  const statusPaused = chat.status;
  const call = chat.messages.at(-1).parts.find((p) => p.type === `tool-${tool}`);
  await chat.addToolApprovalResponse({ id: call.approval.id, approved, reason: approved ? undefined : 'not on a Friday' });
  await until(() => chat.status === 'ready' && posted.length === 2);
  await until(() => chat.status === 'ready');
  console.log(JSON.stringify({ case: `ui-${approved ? 'approve' : 'deny'}`, statusPaused, paused, status: chat.status,
    error: chat.error?.message ?? null, messages: chat.messages, posted, dataChunks: data }));
}

// An answer to an approval that no stream waits for: a clear error, the chat keeps its messages.
{
  const posted = [];
  const transport = new DefaultChatTransport({ api: new URL('api/chat', base).toString(), fetch: browser(posted) });
  const messages = [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Deploy' }] },
    { id: 'a1', role: 'assistant', parts: [{ type: 'step-start' }, { type: 'tool-deploy', toolCallId: 'call-gone',
      state: 'approval-responded', input: {}, approval: { id: 'call-gone', approved: true } }] }];
  const chat = new Chat({ id: 'chat-approval-unknown', messages, transport, onError: () => {} });
  await chat.sendMessage(undefined).catch(() => {});
  console.log(JSON.stringify({ case: 'ui-unknown', status: chat.status, error: chat.error?.message ?? null }));
}

const url = new URL('api/ag-ui', base).toString();
for (const approved of [true, false]) {
  const agent = new HttpAgent({ url, threadId: `thread-approval-${approved}`, fetch: browser() }); // keeps the cookie that binds the thread to it
  agent.addMessage({ id: 'u1', role: 'user', content: prompt(`ag-ui-${approved ? 'approve' : 'deny'}`) });
  const first = await run(agent, { runId: `run-approval-1-${approved}` });
  const interrupt = first.events.at(-1).outcome?.interrupts?.[0];
  const pending = structuredClone(agent.pendingInterrupts ?? []);
  const second = await run(agent, { runId: `run-approval-2-${approved}`, resume: [{ interruptId: interrupt.id,
    status: 'resolved', payload: approved ? { approved: true } : { approved: false, reason: 'not on a Friday' } }] });
  console.log(JSON.stringify({ case: `ag-ui-${approved ? 'approve' : 'deny'}`, first, pending, second, messages: agent.messages }));
}
