/**
 * The provider-neutral streaming call: {@link dev.sluice.internal.stream.StreamingCall} opens a
 * Server-Sent Events response through the {@link dev.sluice.internal.http.HttpTransport} with
 * retries and runs it on the engine ({@link dev.sluice.stream.EventStream}); a provider describes its
 * wire protocol with a {@link dev.sluice.internal.stream.StreamProtocol} (decoding, content and
 * terminal events, in-band errors, what an end of body without terminal event means). Anthropic,
 * OpenAI and Gemini clients share it, so the rules of when a stream is retried, what is held back
 * and when a connection is released are written once. Not exported.
 *
 * <p>Nulls: arguments are non-null. Threading: see each class; a call's producer runs on its
 * stream's virtual thread.
 *
 * <p>Layer: <b>above {@code dev.sluice.stream} and {@code dev.sluice.chat}</b>, below the providers
 * and {@code dev.sluice.internal.client}. {@link dev.sluice.internal.stream.EngineAccess} is the one
 * class the exported {@code dev.sluice.stream} package refers to (to hand over its internal
 * operations); {@code LayeringTest} checks that and the rest of the layering.
 */
package dev.sluice.internal.stream;
