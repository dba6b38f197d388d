/**
 * The provider-neutral view of a chat response, shared by every provider: the
 * {@link dev.sluice.chat.MessageChunk}s a stream yields, their {@link dev.sluice.chat.FinishReason}
 * and {@link dev.sluice.chat.Usage}, the {@link dev.sluice.chat.ChunkAggregator} that turns chunks
 * into a partial {@link dev.sluice.chat.ChatResponse} at any moment and a final one at the end, and
 * {@link dev.sluice.chat.PartialJson}, the incremental parser for streamed tool-call arguments.
 * A provider implements {@link dev.sluice.chat.ChatProvider}, taking a {@link dev.sluice.chat.ChatRequest};
 * a {@link dev.sluice.chat.FallbackChain} is one over several providers and models, moving a failed
 * stream on to the next.
 *
 * <p>JSON values (tool arguments, tool schemas) are plain Java objects, never a JSON library's
 * types: an object is an unmodifiable insertion-ordered {@code Map<String, Object>}, an array an
 * unmodifiable {@code List<Object>}, a string a {@code String}, a number a {@code Long},
 * {@code BigInteger} or {@code BigDecimal}, true/false a {@code Boolean}, JSON null a Java null.
 *
 * <p>Threading: records are immutable and may be shared freely. {@code PartialJson} is used by one
 * thread at a time. {@code ChunkAggregator} is fed by one thread while any thread may read
 * {@code snapshot()}.
 *
 * <p>Absent values, one convention in every package of Sluice: text that may be absent is the
 * empty string and a collection that may be empty is empty, never null; a value absent as a whole
 * is {@code null} in a record that mirrors a wire format (the component's Javadoc says it may be
 * null), and an {@code Optional} (or {@code OptionalLong}) from the methods of clients, streams,
 * options and exceptions. Arguments are non-null unless documented otherwise; a null where none is
 * allowed throws {@code NullPointerException} naming it.
 */
@NullMarked
package dev.sluice.chat;

import org.jspecify.annotations.NullMarked;
