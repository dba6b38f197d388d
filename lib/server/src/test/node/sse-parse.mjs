// Reads each file named on the command line as a text/event-stream with the npm eventsource-parser (what
// the AI SDK's and the OpenAI SDK's clients read SSE with), fed whole and then one code point at a time,
// and prints one JSON line per file: its events ({event, id, data}), comments, retry times and parse
// errors as the whole feed gave them, and whether the one-at-a-time feed gave the same.
import { createParser } from 'eventsource-parser';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const parse = (chunks) => {
  const got = { events: [], comments: [], retries: [], errors: [] };
  const parser = createParser({
    onEvent: (e) => got.events.push({ event: e.event ?? 'message', id: e.id ?? null, data: e.data }),
    onComment: (c) => got.comments.push(c),
    onRetry: (r) => got.retries.push(r),
    onError: (e) => got.errors.push(String(e.message ?? e)),
  });
  for (const c of chunks) parser.feed(c);
  return got;
};

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  const whole = parse([text]);
  const split = parse(Array.from(text));
  console.log(JSON.stringify({ case: basename(file), ...whole, same: JSON.stringify(whole) === JSON.stringify(split) }));
}
