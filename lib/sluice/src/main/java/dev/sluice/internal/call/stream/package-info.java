/**
 * The provider-neutral streaming call: {@link dev.sluice.internal.call.stream.StreamingCall} opens a
 * streaming response through the {@link dev.sluice.internal.low.http.HttpTransport} with retries and
 * runs it on the engine ({@link dev.sluice.stream.EventStream}). A provider describes its stream in
 * two halves, put together as a {@link dev.sluice.internal.call.stream.StreamProtocol}: the
 * {@link dev.sluice.internal.call.stream.BodyFraming framing} its route chooses (Server-Sent Events,
 * or AWS's event stream: how the body's bytes decode into events) and its family's
 * {@link dev.sluice.internal.call.stream.StreamRules rules} (content and terminal events, in-band
 * errors, what an end of body without terminal event means), one object shared by the family's
 * routes whatever their framing. Anthropic, OpenAI, Gemini and Bedrock clients share the call, so the
 * rules of when a stream is retried, what is held back and when a connection is released are written
 * once. Not exported.
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
