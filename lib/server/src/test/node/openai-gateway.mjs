// Drives `sluice serve`'s OpenAI-compatible gateway with the real `openai` client (and its structured-output
// helpers with zod), every case in one run (docs/frontends.md's whole program is run as written by DocSnippetsTest). Usage: node openai-gateway.mjs BASE_URL TOKEN
// Prints one JSON line per case: {"case", ...what the client assembled}; exits 1 on an unexpected failure.
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';

const [baseURL, apiKey] = process.argv.slice(2);
const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const print = (o) => console.log(JSON.stringify(o));
const Recipe = z.object({ title: z.string(), servings: z.number().int(), ingredients: z.array(z.string()) });
const pancakes = [{ role: 'user', content: 'A recipe for pancakes, please' }];

const client = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey }); // apiKey: serve's token, sent as Authorization: Bearer
async function streamed(model) {
  const stream = await client.chat.completions.create({
    model, // "anthropic/claude-sonnet-4-5", "openai/gpt-4o-mini", "gemini/gemini-2.5-flash"
    messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    tools: [weather],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  const calls = [];
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    const delta = chunk.choices[0]?.delta;
    text += delta?.content ?? '';
    for (const call of delta?.tool_calls ?? []) {
      calls[call.index] ??= { id: call.id, name: call.function?.name, arguments: '' };
      calls[call.index].arguments += call.function?.arguments ?? '';
    }
  }
  return { text, calls, chunks };
}

async function main() {
  for (const model of ['anthropic/claude-sonnet-4-5', 'openai/gpt-4o-mini', 'gemini/gemini-2.5-flash']) {
    const { text, calls, chunks } = await streamed(model);
    const last = chunks.at(-1);
    print({
      case: 'stream', model, text, calls,
      objects: [...new Set(chunks.map((c) => c.object))],
      ids: [...new Set(chunks.map((c) => c.id))].length,
      models: [...new Set(chunks.map((c) => c.model))],
      firstRole: chunks[0].choices[0].delta.role,
      finish: chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean),
      usage: last.usage, lastChoices: last.choices.length,
    });
  }

  // The SDK's own accumulating helper checks every delta against what came before.
  const runner = client.chat.completions.stream({
    model: 'anthropic/claude-sonnet-4-5',
    messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    tools: [weather],
  });
  const final = await runner.finalChatCompletion();
  print({ case: 'helper', message: final.choices[0].message, finish: final.choices[0].finish_reason });

  // Not streamed, the tool's result sent back: the model answers with it.
  const completion = await client.chat.completions.create({
    model: 'gemini/gemini-2.5-flash',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is the weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny, 21 °C' },
    ],
    tools: [weather],
    max_tokens: 100,
  });
  print({ case: 'completion', object: completion.object, model: completion.model, choice: completion.choices[0], usage: completion.usage });

  const models = await client.models.list();
  print({ case: 'models', ids: models.data.map((m) => m.id) });

  try {
    await client.chat.completions.create({ model: 'nobody/no-model', messages: [{ role: 'user', content: 'hi' }] });
    print({ case: 'notFound', thrown: false });
  } catch (e) {
    print({ case: 'notFound', name: e.constructor.name, status: e.status, type: e.type, code: e.code, message: e.message });
  }

  try {
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Please break in the middle' }], stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    print({ case: 'midStream', thrown: false, text });
  } catch (e) {
    print({ case: 'midStream', name: e.constructor.name, type: e.type, code: e.code, message: e.message });
  }

  // not streamed, an answer past what the server holds: an error the client does not ask again for; every
  // attempt the client makes is recorded (its status, or the network failure that ended it)
  const attempts = [];
  const recording = new OpenAI({
    baseURL: `${baseURL}/v1`, apiKey, fetch: async (url, init) => {
      try {
        const response = await fetch(url, init);
        attempts.push(response.status);
        return response;
      } catch (e) {
        attempts.push(String(e.cause?.code ?? e.message));
        throw e;
      }
    },
  });
  try {
    await recording.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Please write a very long answer for node' }] });
    print({ case: 'tooLarge', thrown: false, attempts });
  } catch (e) {
    print({ case: 'tooLarge', name: e.constructor.name, status: e.status, type: e.type, code: e.code, message: e.message, attempts });
  }

  // Structured output: natively on models that have it, else through a forced tool call; content either way.
  for (const model of ['anthropic/claude-sonnet-4-5', 'openai/gpt-4o-mini', 'gemini/gemini-2.5-flash',
    'anthropic/claude-3-5-haiku-latest', 'openai/compatible-model', 'gemini/gemini-1.5-flash']) {
    const completion = await client.chat.completions.parse({ model, messages: pancakes, response_format: zodResponseFormat(Recipe, 'recipe') });
    const m = completion.choices[0].message;
    print({ case: 'parse', model, parsed: m.parsed, content: m.content, toolCalls: m.tool_calls ?? [], refusal: m.refusal,
      finish: completion.choices[0].finish_reason });
  }
  for (const model of ['openai/gpt-4o-mini', 'gemini/gemini-1.5-flash']) {
    const runner = client.chat.completions.stream({ model, messages: pancakes, response_format: zodResponseFormat(Recipe, 'recipe') });
    const partials = [];
    runner.on('content.delta', ({ parsed }) => partials.push(parsed));
    const final = await runner.finalChatCompletion();
    print({ case: 'streamParse', model, parsed: final.choices[0].message.parsed, partials, finish: final.choices[0].finish_reason });
  }

  const asked = [{ role: 'user', content: 'Answer in JSON, please' }];
  const whole = await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: asked, response_format: { type: 'json_object' } });
  const streamedJson = await client.chat.completions.create({ model: 'gemini/gemini-2.5-flash', messages: asked, response_format: { type: 'json_object' }, stream: true });
  let json = '';
  for await (const chunk of streamedJson) json += chunk.choices[0]?.delta?.content ?? '';
  print({ case: 'jsonObject', whole: JSON.parse(whole.choices[0].message.content), finish: whole.choices[0].finish_reason, streamed: JSON.parse(json) });

  const refused = await client.chat.completions.parse({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Please refuse politely' }],
    response_format: zodResponseFormat(Recipe, 'recipe') });
  const refusals = [];
  const refusing = client.chat.completions.stream({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Please refuse politely' }],
    response_format: zodResponseFormat(Recipe, 'recipe') });
  refusing.on('refusal.delta', ({ delta }) => refusals.push(delta));
  const refusedStream = await refusing.finalChatCompletion();
  print({ case: 'refusal', message: refused.choices[0].message, finish: refused.choices[0].finish_reason,
    streamed: refusedStream.choices[0].message, streamedFinish: refusedStream.choices[0].finish_reason, refusals });

  try {
    await client.chat.completions.parse({ model: 'gemini/gemini-2.5-flash', messages: [{ role: 'user', content: 'A recipe, but cut short' }],
      response_format: zodResponseFormat(Recipe, 'recipe') });
    print({ case: 'length', thrown: false });
  } catch (e) {
    print({ case: 'length', name: e.constructor.name });
  }

  try {
    await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: pancakes,
      response_format: { type: 'json_schema', json_schema: { name: 'a recipe', schema: { type: 'object' } } } });
    print({ case: 'badFormat', thrown: false });
  } catch (e) {
    print({ case: 'badFormat', name: e.constructor.name, status: e.status, type: e.type, param: e.param, message: e.message });
  }

  try {
    await new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: 'wrong-token-0123456789' }).models.list();
    print({ case: 'wrongToken', thrown: false });
  } catch (e) {
    print({ case: 'wrongToken', name: e.constructor.name, status: e.status, type: e.type, code: e.code });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
