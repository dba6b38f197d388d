package dev.sluice.openai;

/**
 * One event of a Chat Completions stream, decoded from its Server-Sent Event. The permitted types
 * are the table of contents of the protocol:
 *
 * <ul>
 *   <li>{@link ChatCompletionChunk} — a {@code chat.completion.chunk}: deltas of the choices,
 *       finish reasons, and (on the last chunk, with empty choices) the usage;
 *   <li>{@link DoneEvent} — {@code data: [DONE]}, the end of the stream;
 *   <li>{@link ChatCompletionErrorEvent} — an {@code {"error": ...}} object inside the stream (a stream client
 *       throws it as a {@link dev.sluice.ApiException} with {@code inStream()} true; it is never
 *       an item of a client's stream);
 *   <li>{@link UnknownChatCompletionEvent} — anything else (another SSE event name, a JSON value of another
 *       shape, as OpenAI-compatible servers sometimes send), kept raw.
 * </ul>
 *
 * <p>A {@code switch} over events should have a {@code default} branch: a new kind never breaks a stream.
 */
public sealed interface ChatCompletionEvent
        permits ChatCompletionChunk, DoneEvent, ChatCompletionErrorEvent, UnknownChatCompletionEvent {}
