/**
 * The provider-neutral view of a chat response, shared by every provider: the
 * {@link dev.sluice.chat.MessageChunk}s a stream yields, their {@link dev.sluice.chat.FinishReason}
 * and {@link dev.sluice.chat.Usage}, the {@link dev.sluice.chat.ChunkAggregator} that turns chunks
 * into a partial {@link dev.sluice.chat.ChatResponse} at any moment and a final one at the end, and
 * {@link dev.sluice.chat.PartialJson}, the incremental parser for streamed tool-call arguments.
 *
 * <p>JSON values (tool arguments, tool schemas) are plain Java objects, never a JSON library's
 * types: an object is an unmodifiable insertion-ordered {@code Map<String, Object>}, an array an
 * unmodifiable {@code List<Object>}, a string a {@code String}, a number a {@code Long},
 * {@code BigInteger} or {@code BigDecimal}, true/false a {@code Boolean}, JSON null a Java null.
 *
 * <p>Absent parts, one convention throughout: text that may be absent (a text delta, a thinking
 * delta, an id not known yet) is the empty string, never null; collections are empty, never null;
 * a value that may be absent as a whole (a finish reason, a usage, a tool-call delta's id and name
 * after its first delta) is null, and its accessor says so. Arguments are non-null unless
 * documented otherwise; a null where one is not allowed throws {@code NullPointerException} naming it.
 *
 * <p>Threading: records are immutable and may be shared freely. {@code PartialJson} is used by one
 * thread at a time. {@code ChunkAggregator} is fed by one thread while any thread may read
 * {@code partial()}.
 */
package dev.sluice.chat;
