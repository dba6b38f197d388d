/**
 * The relay's whole HTTP API and the chat page on Jakarta Servlet 6 and Jakarta WebSocket 2.1, for
 * any container (Jetty 12 ee10, Tomcat 10.1 and 11, Undertow): {@link RelayServlet} answers every
 * route of a {@link dev.sluice.relay.http.RelayHttpApi} and upgrades {@code /api/ws} and
 * {@code /v1/responses} to a {@link SocketEndpoint}; {@link ChatPage} holds the page's files. {@code sluice serve} runs the
 * servlet on embedded Jetty; the Spring Boot starter registers it in a Boot application.
 *
 * <p>Nulls: none accepted or returned unless a parameter or return says so ({@code @Nullable}).
 *
 * <p>Threading: the servlet is safe from any thread; an event stream is written on a virtual thread
 * of its own, in async mode when the servlet is registered async-supported.
 */
@NullMarked
package dev.sluice.server;

import org.jspecify.annotations.NullMarked;
