/**
 * The Anthropic Messages API with full fidelity. {@link dev.sluice.anthropic.AnthropicClient} (built
 * with {@code AnthropicClient.builder()} or {@code AnthropicClient.fromEnv()}) sends requests;
 * {@code client.messages()} ({@link dev.sluice.anthropic.Messages}) streams them as a
 * {@link dev.sluice.anthropic.MessageStream} (the shared {@link dev.sluice.client.AccumulatingStream}
 * shape: the events, the text, a live snapshot and the final message) or creates a message without
 * streaming; {@code MessageStream.replay} reads a captured stream.
 * Retries happen only before any content reaches the user; the API key never appears in logs,
 * {@code toString()} or exception messages.
 *
 * <p>The rest of the package: the request ({@link dev.sluice.anthropic.MessageRequest}
 * and its parameter records), every streaming event as a record under the sealed
 * {@link dev.sluice.anthropic.StreamEvent} (with {@link dev.sluice.anthropic.Delta} and
 * {@link dev.sluice.anthropic.ContentBlock}, whose tool-use blocks are final classes with a
 * record's accessors, equality and {@code toString}, so that a streamed input is parsed only when
 * read; unknown future types are kept, never fatal), the
 * {@link dev.sluice.anthropic.Message} they build, and the
 * {@link dev.sluice.anthropic.MessageAccumulator} that builds it exactly as the API would have
 * returned it; and the mapping to and from the provider-neutral {@code dev.sluice.chat} types.
 *
 * <p>JSON values (tool inputs and schemas, citations, usage, blocks kept whole) use Sluice's
 * plain-Java value model: an object is an unmodifiable insertion-ordered
 * {@code Map<String, Object>}, an array an unmodifiable {@code List<Object>}, a string a
 * {@code String}, a number a {@code Long}, {@code BigInteger} or {@code BigDecimal}, true/false a
 * {@code Boolean}, JSON null a Java {@code null}.
 *
 * <p>Threading: records, content blocks and requests are
 * immutable and thread-safe (a tool-use block parses its input once, on first read, on any
 * thread); builders are not; a {@code MessageAccumulator} is fed by one thread
 * and read from any; an {@code AnthropicClient} is thread-safe; a {@code MessageStream} is iterated
 * by one thread at a time (each stream's I/O runs on its own virtual thread).
 *
 * <p>Absent values, one convention in every package of Sluice: text that may be absent is the
 * empty string and a collection that may be empty is empty, never null; a value absent as a whole
 * is {@code null} in a record that mirrors a wire format (the component's Javadoc says it may be
 * null), and an {@code Optional} (or {@code OptionalLong}) from the methods of clients, streams,
 * options and exceptions. Arguments are non-null unless documented otherwise; a null where none is
 * allowed throws {@code NullPointerException} naming it.
 */
@NullMarked
package dev.sluice.anthropic;

import org.jspecify.annotations.NullMarked;
