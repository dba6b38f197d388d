/**
 * The relay's HTTP API without a server library: what a server puts between its requests and the
 * {@link dev.sluice.relay.Relay}. A server hands each request to {@link RelayHttpApi} as an
 * {@link HttpExchange} ({@code sluice-server}'s servlet does); its routes are one table, in
 * {@code RelayHttpApi}, onto {@link RelayAdmission} (media types, body sizes and times, limits per
 * client address, the access log), {@code ProtocolHttp} (the frontends' protocols: the Vercel AI
 * SDK's UI message stream and {@code useObject}, AG-UI), {@link GatewayHttp} (the OpenAI-compatible
 * gateway) and the WebSockets, each a {@link SocketSession}: {@link RelaySocket} ({@code /api/ws}) and
 * {@link ResponsesSocket} (the Responses API on {@code /v1/responses}). {@link RequestGuard} decides who may call at all
 * (host, origin, token). Every refusal is an {@link HttpRefusal}, a value with its HTTP status,
 * error type and headers, which {@code RelayHttpApi} answers in each protocol's shape (the package's
 * checks throw it to the router inside a package-private exception, so that only the routes,
 * never a caller, see it thrown: every public method that refuses answers on the exchange); the relay's
 * own {@link dev.sluice.RelayException}s, which know no transport, become one by
 * {@link HttpRefusal#of}. HTTP status codes, media types and URL paths live here, not in the relay
 * core nor in its exceptions.
 *
 * <p>Nulls: none accepted or returned unless a parameter or return says so ({@code @Nullable}):
 * an absent header or query parameter, an optional builder setting.
 *
 * <p>Threading: the API, the admission, the guard and the protocols are safe from any thread; an
 * event stream is written on the relay's virtual threads ({@link HttpExchange#respond}); a
 * {@link SocketSession} takes its frames one at a time, as a WebSocket container delivers them.
 */
@NullMarked
package dev.sluice.relay.http;

import org.jspecify.annotations.NullMarked;
