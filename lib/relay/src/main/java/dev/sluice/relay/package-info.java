/**
 * The relay: carries a model's stream (or a tool runner's events) to browsers in a small protocol
 * over Server-Sent Events or a WebSocket, with no server library and no transport in it. A server
 * starts streams on a {@link dev.sluice.relay.Relay} from {@link dev.sluice.relay.StartRequest}s
 * and attaches clients with {@link dev.sluice.relay.Relay#subscribe}: a
 * {@link dev.sluice.relay.Subscription} writes {@link dev.sluice.relay.RelayEvent}s to any
 * {@link java.io.OutputStream} ({@link dev.sluice.relay.SseRelayWriter}, through the
 * {@link dev.sluice.sse.SseWriter}) or to a WebSocket adapter ({@link dev.sluice.relay.RelayWriter},
 * with {@link dev.sluice.relay.RelayEvent#frame}). Refusals are {@link dev.sluice.RelayException}s
 * whose {@linkplain dev.sluice.RelayException#kind() kind} the server maps to its answer; routes,
 * status codes, media types, request sizes and limits per client address are the server's.
 *
 * <p>Every event carries an id (1, 2, 3, ... per stream); a bounded replay buffer lets a client
 * that reconnects with {@code Last-Event-ID} continue without a gap or a repeat; heartbeats
 * ({@code : ping}) go out in silences; a client whose write fails is detached and the upstream
 * keeps running for a resume window, then is cancelled; a slow client slows only its own stream;
 * concurrent streams and prompts are limited ({@link dev.sluice.relay.RelayLimits}), replay
 * buffers by the UTF-8 bytes they hold. A failed stream ends with an {@code error} event that
 * carries its kind, a short message safe to show anyone (a provider's own message, cleaned of
 * credentials by the client, the addresses it names replaced by {@code [address]}; never a Java
 * class name or a raw upstream body)
 * and the provider's request id; the relay logs the whole failure ({@link System.Logger}, under
 * {@code dev.sluice.relay.Relay}). Stream ids are 128 random bits.
 * Events come from a {@link dev.sluice.relay.RelaySource}: a model's
 * {@link dev.sluice.chat.MessageChunk}s ({@link dev.sluice.relay.RelaySource#chat}) or any
 * {@link dev.sluice.stream.EventStream} of relay events ({@link dev.sluice.relay.RelaySource#of}),
 * which is how tool progress ({@code tool_started}, {@code tool_progress}, {@code tool_done},
 * {@code tool_failed}) joins the answer.
 *
 * <p>Frontends that speak another protocol get the same events through a client of theirs: the
 * Vercel AI SDK's UI message stream ({@link dev.sluice.relay.protocol.UiMessageStreamWriter}, requests
 * parsed by {@link dev.sluice.relay.protocol.UiChatRequest}) and AG-UI ({@link dev.sluice.relay.protocol.AgUiWriter},
 * {@link dev.sluice.relay.protocol.AgUiRunInput}): each a mapping of the relay's events, nothing more.
 *
 * <p>Absent values: arguments are non-null unless documented otherwise; in the event records an
 * absent value (a finish reason, a time to first token, a percentage) is null, and is sent as JSON
 * null. Text is carried as given: model output is untrusted, and the page that shows it must
 * sanitise it.
 *
 * <p>Threading: {@link dev.sluice.relay.Relay} is safe from any thread. Each stream pulls from its
 * source on its own virtual thread, or a model's stream runs on the thread that reads the model's
 * response (see {@link dev.sluice.relay.Relay}); each {@link dev.sluice.relay.Subscription#deliver} writes on
 * its caller's thread and blocks while its client is slow; one daemon thread runs the relay's
 * timers. Records are immutable.
 */
@NullMarked
package dev.sluice.relay;

import org.jspecify.annotations.NullMarked;
