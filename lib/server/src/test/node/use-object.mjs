// Drives POST /api/object with the Vercel AI SDK's own useObject (@ai-sdk/react), rendered with React 19
// in jsdom through @testing-library/react, a zod schema given to the hook and sent to the server as JSON
// Schema (z.toJSONSchema). Prints one JSON line per case: the objects the component rendered, in order,
// what onFinish and onError got, and the hook's error. Usage: node use-object.mjs BASE_URL
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: process.argv[2] });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.IS_REACT_ACT_ENVIRONMENT = true;
const { renderHook, act, waitFor } = await import('@testing-library/react');
const { experimental_useObject: useObject } = await import('@ai-sdk/react');
const { z } = await import('zod');

const api = new URL('api/object', process.argv[2]).toString();
const recipe = z.object({
  title: z.string(),
  minutes: z.number().int(),
  ingredients: z.array(z.object({ name: z.string(), quantity: z.string() })),
  steps: z.array(z.string()),
});

async function run(name, input) {
  const rendered = [];
  const finished = [];
  const errors = [];
  const { result, unmount } = renderHook(() => {
    const hook = useObject({
      api, schema: recipe,
      onFinish: ({ object, error }) => finished.push({ object: object ?? null, error: error ? String(error.name) : null }),
      onError: (e) => errors.push(e.message),
    });
    const last = rendered.at(-1);
    if (hook.object !== undefined && JSON.stringify(last) !== JSON.stringify(hook.object)) rendered.push(hook.object);
    return hook;
  });
  await act(() => result.current.submit(input));
  await waitFor(() => { if (result.current.isLoading) throw new Error('still loading'); });
  console.log(JSON.stringify({ case: name, rendered, finished, onError: errors, error: result.current.error?.message ?? null }));
  unmount();
}

const schema = z.toJSONSchema(recipe);
await run('refused', { prompt: 'A recipe for pancakes', schema });
await run('cut', { prompt: 'A recipe for pancakes', schema });
await run('mismatch', { prompt: 'A recipe for pancakes', schema });
await run('no-schema', { prompt: 'A recipe for pancakes' });
await run('recipe', { prompt: 'A recipe for pancakes', schema });
process.exit(0);
