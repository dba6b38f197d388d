/**
 * The provider-neutral streaming call: {@link dev.sluice.internal.call.stream.StreamingCall} opens a
 * Server-Sent Events response through the {@link dev.sluice.internal.low.http.HttpTransport} with
 * retries and runs it on the engine ({@link dev.sluice.stream.EventStream}); a provider describes its
 * wire protocol with a {@link dev.sluice.internal.call.stream.StreamProtocol} (decoding, content and
 * terminal events, in-band errors, what an end of body without terminal event means). Anthropic,
 * OpenAI and Gemini clients share it, so the rules of when a stream is retried, what is held back
 * and when a connection is released are written once. Not exported.
 *
 * <p>Nulls: arguments are non-null. Threading: see each class; a call's producer runs on its
 * stream's virtual thread.
 *
 * <p>Layer: the call layer, <b>above {@code dev.sluice.stream}, {@code dev.sluice.client} and
 * {@code dev.sluice.chat}</b>, below the providers and {@code dev.sluice.internal.call.client}; it
 * uses the engine through its public API only. {@code LayeringTest} checks the layering.
 */
@NullMarked
package dev.sluice.internal.call.stream;

import org.jspecify.annotations.NullMarked;
