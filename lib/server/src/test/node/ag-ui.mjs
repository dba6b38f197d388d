// Drives `sluice serve`'s POST /api/ag-ui with @ag-ui/client's HttpAgent, whose pipeline verifies
// the events' order (verifyEvents) and applies them to the agent's messages. Prints one JSON line
// per case; the Java test compares them with what the fake model sent. Usage: node ag-ui.mjs BASE_URL
import { HttpAgent } from '@ag-ui/client';
import { run } from './clients.mjs';

const url = new URL('api/ag-ui', process.argv[2]).toString();

// A conversation: a run whose model calls a tool that reports progress, then a follow-up run.
{
  const agent = new HttpAgent({ url, threadId: 'thread-1' });
  agent.addMessage({ id: 'u1', role: 'user', content: 'What is the weather in Paris? Then count to 2' });
  const first = await run(agent, { runId: 'run-1', tools: [], context: [{ description: 'units', value: 'metric' }] });
  agent.addMessage({ id: 'u2', role: 'user', content: 'Thanks!' });
  const second = await run(agent, { runId: 'run-2' });
  console.log(JSON.stringify({ case: 'conversation', first, second, messages: agent.messages }));
}

// A model that fails after some text.
{
  const agent = new HttpAgent({ url, threadId: 'thread-2' });
  agent.addMessage({ id: 'u1', role: 'user', content: 'Say something, then fail' });
  const failed = await run(agent, { runId: 'run-3' });
  console.log(JSON.stringify({ case: 'error', failed, messages: agent.messages }));
}

// Frontend tools, with each provider: run 1's model calls the frontend's tool and the run ends with the
// call for the frontend; the frontend adds the tool's result; run 2's model answers with it.
for (const provider of ['anthropic', 'openai']) {
  const agent = new HttpAgent({ url, threadId: `thread-tools-${provider}` });
  const tools = [{ name: 'ask_user', description: 'Asks the user a yes/no question',
    parameters: { type: 'object', properties: { question: { type: 'string' } }, required: ['question'] } }];
  agent.addMessage({ id: 'u1', role: 'user', content: `Delete my files (${provider})` });
  const first = await run(agent, { runId: `run-tools-1-${provider}`, tools, forwardedProps: { provider } });
  const afterFirst = structuredClone(agent.messages);
  const call = agent.messages.flatMap((m) => m.toolCalls ?? []).find((c) => c.function.name === 'ask_user');
  agent.addMessage({ id: 'tool-1', role: 'tool', toolCallId: call.id, content: `yes, delete them (${provider})` });
  const second = await run(agent, { runId: `run-tools-2-${provider}`, tools, forwardedProps: { provider } });
  console.log(JSON.stringify({ case: `tools-${provider}`, first, afterFirst, second, messages: agent.messages }));
}

// Streams the relay wrote to files (argv[3], ...), read by an HttpAgent through a fetch that answers with the file.
import { readFileSync } from 'node:fs';
for (const file of process.argv.slice(3)) {
  const fetch = async () => new Response(readFileSync(file), { headers: { 'content-type': 'text/event-stream' } });
  const agent = new HttpAgent({ url: 'http://127.0.0.1:1/api/ag-ui', fetch, threadId: 'thread-file' });
  agent.addMessage({ id: 'u1', role: 'user', content: 'hi' });
  const result = await run(agent, { runId: 'run-file' });
  console.log(JSON.stringify({ case: file.replace(/.*\//, ''), result, messages: agent.messages }));
}
