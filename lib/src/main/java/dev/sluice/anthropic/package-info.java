/**
 * The Anthropic Messages API with full fidelity: the request ({@link dev.sluice.anthropic.MessageRequest}
 * and its parameter records), every streaming event as a record under the sealed
 * {@link dev.sluice.anthropic.StreamEvent} (with {@link dev.sluice.anthropic.Delta} and
 * {@link dev.sluice.anthropic.ContentBlock}; unknown future types are kept, never fatal), the
 * {@link dev.sluice.anthropic.Message} they build, and the
 * {@link dev.sluice.anthropic.MessageAccumulator} that builds it exactly as the API would have
 * returned it; {@link dev.sluice.anthropic.MessageStreamListener}, callbacks for those who prefer
 * them to a loop; and the mapping to and from the provider-neutral {@code dev.sluice.chat} types.
 *
 * <p>JSON values (tool inputs and schemas, citations, usage, blocks kept whole) use Sluice's
 * plain-Java value model: an object is an unmodifiable insertion-ordered
 * {@code Map<String, Object>}, an array an unmodifiable {@code List<Object>}, a string a
 * {@code String}, a number a {@code Long}, {@code BigInteger} or {@code BigDecimal}, true/false a
 * {@code Boolean}, JSON null a Java {@code null}.
 *
 * <p>Nulls: arguments and results are non-null unless documented otherwise (stop reasons, optional
 * request fields and a few record components say so). Threading: records and requests are
 * immutable and thread-safe; builders are not; a {@code MessageAccumulator} is fed by one thread
 * and read from any.
 */
package dev.sluice.anthropic;
