package dev.sluice.relay.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request and its response, as a server hands them to {@link RelayHttpApi}: the few things
 * the relay's API reads of a request and writes of a response, so that any server library can
 * carry it ({@code sluice-server}'s servlet does; so can a JDK {@code HttpServer}, a Netty or a
 * Helidon handler, in a page of code).
 *
 * <p>The routes set the status and headers before the first byte of the body and return when
 * the response is complete, or hand what remains of it, an event stream's delivery, to
 * {@link #respond}; the server then ends it (a clean end), unless {@link #abort()} was called.
 *
 * <p>Threading: one request is handled by one thread at a time. An event stream's delivery runs on
 * the relay's virtual threads, none once the stream has been silent five seconds
 * ({@link dev.sluice.relay.Subscription#deliverAsync}); the response is written from them.
 */
public interface HttpExchange {

    /** What remains of a response: an event stream's delivery, which lasts as long as the stream. */
    @FunctionalInterface
    interface Rest {
        /**
         * Starts writing the rest of the response, which goes on on threads of the relay's own.
         *
         * @return completed when the response may end, from any thread
         * @throws IOException if the client is gone before it starts
         */
        CompletionStage<?> write() throws IOException;
    }

    /** {@return the request's method, such as {@code GET}} */
    String method();

    /**
     * {@return the path the relay is mounted at, without a trailing {@code /}}: empty at the root,
     * {@code /chat} for a relay whose API is {@code /chat/api/streams}; the answers that name a
     * path ({@code Location}, the events' address, the page's cookie) begin with it
     */
    String mountPath();

    /**
     * {@return the path within the relay's mount}: {@code /api/streams} for a relay mounted at the
     * root or at {@code /chat} alike; empty for the mount itself without its slash ({@code /chat}),
     * which the routes redirect to {@code /chat/}
     */
    String path();

    /**
     * {@return the first value of a query parameter, decoded, or null}
     *
     * @param name the parameter's name
     */
    @Nullable
    String query(String name);

    /**
     * {@return the first value of a request header, or null}
     *
     * @param name the header's name, in any case
     */
    @Nullable
    String header(String name);

    /**
     * {@return every value of a request header, one per header line, in order; empty when absent}
     * The forwarding headers are read so ({@link RelayAdmission#clientAddress}): a proxy may add its own
     * line after the client's. By default the first value only, as {@link #header(String)} gives it.
     *
     * @param name the header's name, in any case
     */
    default List<String> headers(String name) {
        String value = header(name);
        return value == null ? List.of() : List.of(value);
    }

    /**
     * {@return the address of the connection's peer: {@code 203.0.113.7}, {@code ::1}} The
     * client's, or a proxy's: the routes count the client that a trusted proxy names
     * ({@link RelayAdmission#clientAddress}).
     */
    String clientAddress();

    /**
     * {@return whether the request came over TLS}: the cookies the routes set are then
     * {@code Secure}, unless a trusted proxy says otherwise ({@link RelayAdmission#secure}). A server
     * behind a proxy that ends TLS either trusts it ({@link RelayAdmission.Builder#trustedProxy}) or
     * answers as the proxy's request came (a servlet container's forwarded-headers support does
     * that). False by default.
     */
    default boolean secure() {
        return false;
    }

    /** {@return the local address the request arrived at, such as {@code 127.0.0.1}} */
    String localAddress();

    /** {@return the local port the request arrived at} */
    int localPort();

    /** {@return the request's declared {@code Content-Length}, or -1} */
    long contentLength();

    /**
     * {@return the request body}; read, not closed, by the routes, which answer {@code 408} when it
     * has not arrived whole within {@link RelayAdmission#bodyTimeout()}. They end a body that trickles
     * in at its first read past the timeout; a read that waits for bytes that do not come is the
     * server's to end: past the timeout it should throw an {@link java.io.InterruptedIOException}
     * (such as a {@link java.net.SocketTimeoutException}), else the read lasts as long as the
     * server's own timeouts let it ({@code sluice-server}'s servlet ends it at the timeout).
     *
     * @throws IOException if it cannot be read
     */
    InputStream body() throws IOException;

    /**
     * Discards what has arrived of a body the routes refuse without reading, without waiting for
     * more.
     *
     * @return whether the body has ended; when not, the routes answer with {@code Connection: close},
     *     and the server closes the connection after the answer
     */
    boolean discardBody();

    /**
     * Sets the response's status.
     *
     * @param status the status code
     */
    void status(int status);

    /**
     * Sets a response header, replacing any value it had.
     *
     * @param name the header's name
     * @param value its value
     */
    void header(String name, String value);

    /**
     * Adds a response header value beside any it has.
     *
     * @param name the header's name
     * @param value the value
     */
    void addHeader(String name, String value);

    /**
     * Removes a response header set before the response is committed; for {@code Content-Type}, also the
     * character encoding it named, so that a content type set after it names none it did not. By default
     * nothing: an exchange that cannot remove a header keeps it.
     *
     * @param name the header's name
     */
    default void removeHeader(String name) {}

    /**
     * {@return the response body}: the status and headers go out with its first flush
     *
     * @throws IOException if the client is gone
     */
    OutputStream output() throws IOException;

    /**
     * Marks the response as cut: when it ends, the server ends it so that the client sees a broken
     * connection, not a clean end (a client the relay dropped resumes).
     */
    void abort();

    /**
     * Asks to be told when the client hangs up before the response ends. A write to a gone client
     * fails, which is how an event stream learns of it; a response that writes nothing until it is
     * whole (a completion that is not streamed) learns of it only from the server, which can tell by
     * watching the connection. {@code gone} runs at most once, on any thread, and may run after the
     * response ended; a server that cannot tell ignores it, the default, and such a response then
     * runs to its end.
     *
     * @param gone what to run when the client has hung up
     */
    default void onClientGone(Runnable gone) {}

    /**
     * Starts what remains of the response, and ends the response when it completes: either the
     * request's thread is freed meanwhile (a servlet container's async mode), or it waits.
     *
     * @param rest what remains of the response
     * @throws IOException if the client is gone before it starts
     */
    void respond(Rest rest) throws IOException;

    /**
     * Upgrades the request to a WebSocket whose messages go to the session this makes, once the
     * handshake is done.
     *
     * @param sessions makes the socket's session from its peer, on the server's thread; the server
     *     holds the socket to the session's {@linkplain SocketSession#maxTextMessageBytes message size}
     *     and {@linkplain SocketSession#idleTimeout idle timeout}
     * @return false when the server has no WebSocket support; the routes then answer 404 ({@code /api/ws})
     *     or 426 ({@code /v1/responses})
     * @throws IOException if the handshake fails
     */
    boolean upgrade(Function<RelaySocket.Peer, SocketSession> sessions) throws IOException;
}
