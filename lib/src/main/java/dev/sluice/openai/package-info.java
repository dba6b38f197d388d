/**
 * OpenAI's Chat Completions API, streaming, with full fidelity: {@link dev.sluice.openai.OpenAiClient}
 * (also a provider-neutral {@link dev.sluice.chat.ChatProvider}), the request
 * ({@link dev.sluice.openai.ChatCompletionRequest} and its parameter records), every stream event
 * as a record under the sealed {@link dev.sluice.openai.ChatCompletionEvent} (unknown shapes kept,
 * never fatal), and the {@link dev.sluice.openai.ChatCompletionAccumulator} that builds the
 * {@link dev.sluice.openai.ChatCompletion} with tool-call arguments parsed incrementally (a custom
 * tool's call keeps its free-text input), and {@link dev.sluice.openai.OpenAiEvents} to decode
 * events or replay a captured stream outside a connection. OpenAI-compatible servers work through
 * the base URL ({@code OPENAI_BASE_URL}).
 *
 * <p>JSON values (tool schemas and arguments, logprobs, extra request fields) use Sluice's
 * plain-Java value model: an object is an unmodifiable insertion-ordered
 * {@code Map<String, Object>}, an array an unmodifiable {@code List<Object>}, a string a
 * {@code String}, a number a {@code Long}, {@code BigInteger} or {@code BigDecimal}, true/false a
 * {@code Boolean}, JSON null a Java {@code null}.
 *
 * <p>Nulls: arguments are non-null unless documented otherwise; record components that may be
 * absent on the wire (a delta's role or content, a finish reason, usage) are null and say so.
 * Threading: records and requests are immutable; builders are not thread-safe; the client is;
 * an accumulator is fed by one thread and read from any.
 */
package dev.sluice.openai;
