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
 * <p>Nulls: arguments and results are non-null unless documented otherwise; text that may be absent
 * is empty, collections are empty, and a value absent as a whole (a finish reason, usage, prompt
 * feedback, a thought signature) is null where its component says so. Threading: records and
 * requests are immutable; builders are not thread-safe; a client is shared freely; an accumulator
 * is fed by one thread and read from any.
 */
package dev.sluice.gemini;
