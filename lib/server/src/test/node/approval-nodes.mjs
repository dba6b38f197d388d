// Tool approvals whose requests land on two nodes of one relay (or on one: give its URL twice), with
// the real clients. The Vercel AI SDK's chat (AbstractChat, what useChat runs): started on A, reloaded
// on B before the answer (the response ends at the pending approval again), answered on A, then
// reloaded on B after the answer while the tool still runs: the reload replays the whole answer past
// the decided approval and follows it to its end. @ag-ui/client's HttpAgent: a run on A ends with an
// interrupt, the same agent's next run with the resume is posted to B.
// Prints one JSON line per case. Usage: node approval-nodes.mjs BASE_A BASE_B PROMPT RELEASE
//   PROMPT  the prompt that calls the tool needing approval, its CASE replaced by the case's name; for the
//           case "ui-reload" the tool reports its progress and then runs on until RELEASE is posted
//   RELEASE the prompt of a chat posted to A that lets that tool end
import { DefaultChatTransport, lastAssistantMessageIsCompleteWithApprovalResponses } from 'ai';
import { HttpAgent } from '@ag-ui/client';
import { browser, Chat, run } from './clients.mjs';

const [a, b, promptTemplate, release] = process.argv.slice(2);
const prompt = (name) => promptTemplate.replaceAll('CASE', name);

const until = async (done) => {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
};

const fetchWithCookie = browser(); // one cookie jar for both nodes (one site behind a proxy)

{
  const chatOn = (base, messages) => new Chat({
    id: 'chat-approval-reload', messages, onError: () => {},
    transport: new DefaultChatTransport({ api: new URL('api/chat', base).toString(), fetch: fetchWithCookie }),
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
  });
  const progressOf = (chat) => chat.messages.at(-1)?.parts.find((p) => p.type === 'data-tool-progress')?.data?.message;
  const page = chatOn(a);
  await page.sendMessage({ text: prompt('ui-reload') });
  const paused = structuredClone(page.messages);

  const early = chatOn(b, structuredClone(paused)); // reloaded before the answer
  await early.resumeStream();
  const pendingReload = { status: early.status, error: early.error?.message ?? null, messages: early.messages };

  const call = page.messages.at(-1).parts.find((p) => p.type === 'tool-deploy');
  await page.addToolApprovalResponse({ id: call.approval.id, approved: true });
  await until(() => progressOf(page) === 'step 4');
  const answered = structuredClone(page.messages);
  page.stop(); // the page goes away while the tool runs

  const reloaded = chatOn(b, structuredClone(paused)); // what the application kept of the chat
  const resumed = reloaded.resumeStream();
  await until(() => progressOf(reloaded) === 'step 4');
  const beforeRelease = structuredClone(reloaded.messages);
  const statusBeforeRelease = reloaded.status;
  const released = await globalThis.fetch(new URL('api/chat', a), {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'chat-release-tool', messages: [{ id: 'r1', role: 'user', parts: [{ type: 'text', text: release }] }] }),
  });
  await released.text();
  await resumed;
  console.log(JSON.stringify({ case: 'ui-reload', paused, pendingReload, answered, beforeRelease, statusBeforeRelease,
    status: reloaded.status, error: reloaded.error?.message ?? null, messages: reloaded.messages }));
}

{
  const agent = new HttpAgent({ url: new URL('api/ag-ui', a).toString(), threadId: 'thread-approval-nodes', fetch: fetchWithCookie });
  agent.addMessage({ id: 'u1', role: 'user', content: prompt('ag-ui-nodes') });
  const first = await run(agent, { runId: 'run-nodes-1' });
  const interrupt = first.events.at(-1).outcome?.interrupts?.[0];
  agent.url = new URL('api/ag-ui', b).toString(); // the next request lands on the other node
  const second = await run(agent, { runId: 'run-nodes-2', resume: [{ interruptId: interrupt?.id, status: 'resolved',
    payload: { approved: true } }] });
  console.log(JSON.stringify({ case: 'ag-ui-nodes', first, second, messages: agent.messages }));
}
