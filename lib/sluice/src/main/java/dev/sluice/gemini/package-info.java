/**
 * Google Gemini's {@code streamGenerateContent} API ({@code ?alt=sse}) with full fidelity, on the
 * same core as every provider: {@link dev.sluice.gemini.GeminiClient} (also a
 * {@link dev.sluice.chat.ChatProvider}), the request ({@link dev.sluice.gemini.GenerateContentRequest},
 * {@link dev.sluice.gemini.Content}, the sealed {@link dev.sluice.gemini.Part} family,
 * {@link dev.sluice.gemini.FunctionDeclaration}, {@link dev.sluice.gemini.GenerationConfig}), each
 * streamed chunk as a {@link dev.sluice.gemini.GenerateContentResponse}, and the
 * {@link dev.sluice.gemini.GenerateContentAccumulator} that builds the whole response.
 *
 * <p>Gemini's stream has no terminal event: it ends with the body, the last chunk carrying a
 * {@code finishReason}. A body that ends before every candidate has one fails with an
 * {@link dev.sluice.IncompleteStreamException}. A blocked prompt ({@code promptFeedback.blockReason})
 * fails with an {@link dev.sluice.ApiException} of type {@code prompt_blocked}; an error object in
 * the stream or an HTTP error with an {@code ApiException} whose type is Gemini's {@code status}
 * string, such as {@code RESOURCE_EXHAUSTED}.
 *
 * <p>JSON values (function arguments and responses, schemas, citation sources) use Sluice's
 * plain-Java value model: an object is an unmodifiable insertion-ordered {@code Map<String, Object>},
 * an array an unmodifiable {@code List<Object>}, a string a {@code String}, a number a {@code Long},
 * {@code BigInteger} or {@code BigDecimal}, true/false a {@code Boolean}, JSON null a Java null.
 *
 * <p>Threading: records and
 * requests are immutable; builders are not thread-safe; a client is shared freely; an accumulator
 * is fed by one thread and read from any.
 *
 * <p>Absent values, one convention in every package of Sluice: text that may be absent is the
 * empty string and a collection that may be empty is empty, never null; a value absent as a whole
 * is {@code null} in a record that mirrors a wire format (the component's Javadoc says it may be
 * null), and an {@code Optional} (or {@code OptionalLong}) from the methods of clients, streams,
 * options and exceptions. Arguments are non-null unless documented otherwise; a null where none is
 * allowed throws {@code NullPointerException} naming it.
 */
@NullMarked
package dev.sluice.gemini;

import org.jspecify.annotations.NullMarked;
