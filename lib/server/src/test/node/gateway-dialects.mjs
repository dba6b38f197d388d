// Drives `sluice serve`'s Anthropic Messages and OpenAI Responses front doors with the stock `@anthropic-ai/sdk`
// (messages.stream(), messages.create(), countTokens, models.list) and `openai` (responses.stream(), responses.create())
// clients, every case in one run. Usage: node gateway-dialects.mjs BASE_URL TOKEN
// Prints one JSON line per case: {"case", ...what the client assembled}; exits 1 on an unexpected failure.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

const [baseURL, apiKey] = process.argv.slice(2);
const print = (o) => console.log(JSON.stringify(o));
const models = ['anthropic/claude-sonnet-4-5', 'openai/gpt-4o-mini', 'gemini/gemini-2.5-flash'];
const weatherSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

const anthropic = new Anthropic({ baseURL, apiKey, maxRetries: 0 }); // apiKey: serve's token, sent as x-api-key
const openai = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey, maxRetries: 0 }); // sent as Authorization: Bearer

async function failure(run) {
  try {
    await run();
    return { name: 'none' };
  } catch (e) {
    return { name: e.constructor.name, status: e.status ?? null, type: e.error?.error?.type ?? e.error?.type ?? e.type ?? null,
      code: e.code ?? null, message: String(e.message) };
  }
}

async function main() {
  for (const model of models) {
    const stream = anthropic.messages.stream({
      model, max_tokens: 200,
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [{ name: 'get_weather', description: 'The weather in a city', input_schema: weatherSchema }],
    });
    const types = [];
    let text = '';
    stream.on('streamEvent', (e) => types.push(e.type));
    stream.on('text', (t) => { text += t; });
    const final = await stream.finalMessage();
    print({ case: 'messages.stream', model, text, content: final.content, stop_reason: final.stop_reason,
      usage: final.usage, id: final.id, model_answered: final.model, types: [...new Set(types)] });
  }
  // the tool's result sent back, not streamed
  const answer = await anthropic.messages.create({
    model: 'openai/gpt-4o-mini', max_tokens: 100, system: 'Be brief.',
    messages: [
      { role: 'user', content: 'What is the weather in Paris?' },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'sunny, 21 °C' }] },
    ],
    tools: [{ name: 'get_weather', description: 'The weather in a city', input_schema: weatherSchema }],
  });
  print({ case: 'messages.create', message: answer });
  const count = await anthropic.messages.countTokens({
    model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
  });
  print({ case: 'countTokens', count });
  const listed = [];
  for await (const m of anthropic.models.list()) listed.push(m.id);
  print({ case: 'models.list', ids: listed });
  print({ case: 'messages.notFound', ...(await failure(() => anthropic.messages.create({
    model: 'nobody/nothing', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }))) });
  print({ case: 'messages.image', ...(await failure(() => anthropic.messages.create({
    model: 'openai/gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: [
      { type: 'document', source: { type: 'url', url: 'https://example.com/report.pdf' } }] }] }))) }); // a URL only Anthropic fetches
  print({ case: 'messages.midStream', ...(await failure(async () => {
    const s = anthropic.messages.stream({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 10,
      messages: [{ role: 'user', content: 'break in the middle' }] });
    await s.finalMessage();
  })) });
  print({ case: 'messages.wrongToken', ...(await failure(() => new Anthropic({ baseURL, apiKey: 'wrong-token-0123456789', maxRetries: 0 })
    .messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }))) });

  for (const model of models) {
    const stream = openai.responses.stream({
      model, input: 'What is the weather in Paris?',
      tools: [{ type: 'function', name: 'get_weather', description: 'The weather in a city', parameters: weatherSchema, strict: false }],
    });
    const types = [];
    let text = '';
    stream.on('event', (e) => types.push(e.type));
    stream.on('response.output_text.delta', (e) => { text += e.delta; });
    const final = await stream.finalResponse();
    print({ case: 'responses.stream', model, text, output: final.output, output_text: final.output_text,
      status: final.status, usage: final.usage, id: final.id, types: [...new Set(types)] });
  }
  const response = await openai.responses.create({
    model: 'anthropic/claude-sonnet-4-5', instructions: 'Be brief.',
    input: [
      { role: 'user', content: 'What is the weather in Paris?' },
      { type: 'function_call', call_id: 'call_01', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_01', output: 'sunny, 21 °C' },
    ],
    tools: [{ type: 'function', name: 'get_weather', parameters: weatherSchema, strict: false }],
  });
  print({ case: 'responses.create', output_text: response.output_text, status: response.status, object: response.object,
    usage: response.usage, model: response.model });
  print({ case: 'responses.notFound', ...(await failure(() => openai.responses.create({ model: 'nobody/nothing', input: 'hi' }))) });
  print({ case: 'responses.refused', ...(await failure(() => openai.responses.create({
    model: 'anthropic/claude-sonnet-4-5', input: 'hi', previous_response_id: 'resp_123' }))) });
  print({ case: 'responses.midStream', ...(await failure(async () => {
    const s = openai.responses.stream({ model: 'openai/gpt-4o-mini', input: 'break in the middle' });
    const r = await s.finalResponse();
    if (r.status !== 'completed') throw Object.assign(new Error(`status ${r.status}: ${JSON.stringify(r.error)}`), { code: r.error?.code });
  })) });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
