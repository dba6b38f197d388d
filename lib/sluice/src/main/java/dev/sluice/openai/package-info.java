/**
 * OpenAI's Chat Completions API, streaming, with full fidelity: {@link dev.sluice.openai.OpenAiClient}
 * (also a provider-neutral {@link dev.sluice.chat.ChatProvider}), the request
 * ({@link dev.sluice.openai.ChatCompletionRequest} and its parameter records), every stream event
 * as a record under the sealed {@link dev.sluice.openai.ChatCompletionEvent} (unknown shapes kept,
 * never fatal), and the {@link dev.sluice.openai.ChatCompletionAccumulator} that builds the
 * {@link dev.sluice.openai.ChatCompletion} with tool-call arguments parsed incrementally (a custom
 * tool's call keeps its free-text input), and {@link dev.sluice.openai.ChatCompletionStream#decode ChatCompletionStream.decode} and
 * {@link dev.sluice.openai.ChatCompletionStream#replay replay} to decode events or replay a captured stream outside a connection. OpenAI-compatible servers work through
 * the base URL ({@code OPENAI_BASE_URL}).
 *
 * <p>The Responses API ({@code client.responses()}, {@link dev.sluice.openai.Responses}, itself a
 * {@link dev.sluice.chat.ChatProvider}): the {@link dev.sluice.openai.ResponseRequest}, every
 * streamed event as a record under the sealed {@link dev.sluice.openai.ResponseStreamEvent} with
 * its sequence number (unknown ones kept), the {@link dev.sluice.openai.ResponseAccumulator} that
 * builds the {@link dev.sluice.openai.Response}, and the resume of a cut-off background response
 * from its last sequence number ({@link dev.sluice.openai.Responses#resume(ResponseStream)}).
 *
 * <p>JSON values (tool schemas and arguments, logprobs, extra request fields) use Sluice's
 * plain-Java value model: an object is an unmodifiable insertion-ordered
 * {@code Map<String, Object>}, an array an unmodifiable {@code List<Object>}, a string a
 * {@code String}, a number a {@code Long}, {@code BigInteger} or {@code BigDecimal}, true/false a
 * {@code Boolean}, JSON null a Java {@code null}.
 *
 * <p>Threading: records and requests are immutable; builders are not thread-safe; the client is;
 * an accumulator is fed by one thread and read from any.
 *
 * <p>Absent values, one convention in every package of Sluice: text that may be absent is the
 * empty string and a collection that may be empty is empty, never null; a value absent as a whole
 * is {@code null} in a record that mirrors a wire format (the component's Javadoc says it may be
 * null), and an {@code Optional} (or {@code OptionalLong}) from the methods of clients, streams,
 * options and exceptions. Arguments are non-null unless documented otherwise; a null where none is
 * allowed throws {@code NullPointerException} naming it.
 */
@NullMarked
package dev.sluice.openai;

import org.jspecify.annotations.NullMarked;
