package dev.sluice.relay.http;

import dev.sluice.relay.RelayWriter;
import dev.sluice.relay.Subscription;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * How this package writes an answer on an {@link HttpExchange}, shared by the router ({@link
 * RelayHttpApi}) and the protocols that answer their own routes ({@link GatewayHttp}, {@link
 * ProtocolHttp}): a whole JSON answer, the headers of an event stream, and a body whose status and
 * headers wait for its first byte.
 */
final class HttpAnswers {
    private HttpAnswers() {}

    /** Answers with a whole JSON body; a refusal (4xx, 5xx) first closes a body left unread. */
    static void json(HttpExchange exchange, int status, String json) throws IOException {
        if (status >= 400) closeIfBodyUnread(exchange);
        exchange.status(status);
        exchange.header("Content-Type", "application/json");
        exchange.header("Cache-Control", "no-store");
        write(exchange, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a whole answer, its length declared: the server ends it when the routes return. */
    static void write(HttpExchange exchange, byte[] bytes) throws IOException {
        exchange.header("Content-Length", Integer.toString(bytes.length));
        exchange.output().write(bytes);
    }

    /**
     * A refusal sent before the request's body was read to its end (a wrong origin or token, a
     * body too large, ...) closes the connection once answered, and says so with
     * {@code Connection: close} (RFC 9112, section 9.6): a client that kept it for its next request
     * would find it closed under that request. Whatever of the body has already arrived is
     * discarded first, without waiting for more; a body that arrived whole keeps the connection open.
     */
    static void closeIfBodyUnread(HttpExchange exchange) {
        if (!exchange.discardBody()) exchange.header("Connection", "close");
    }

    /** A 200 answered as {@code text/event-stream}, unbuffered by proxies that honour {@code X-Accel-Buffering}. */
    static void sseHeaders(HttpExchange exchange) {
        exchange.status(200);
        exchange.header("Content-Type", "text/event-stream; charset=utf-8");
        exchange.header("X-Accel-Buffering", "no");
    }

    /** Takes back {@link #sseHeaders}' headers, for another answer before the first byte (its status is its own). */
    static void unsetSseHeaders(HttpExchange exchange) {
        exchange.removeHeader("Content-Type");
        exchange.removeHeader("X-Accel-Buffering");
    }

    /** Streams a subscription to the response as {@code text/event-stream}, through a protocol's writer. */
    static void deliver(HttpExchange exchange, Subscription s, Function<OutputStream, RelayWriter> writers)
            throws IOException {
        sseHeaders(exchange);
        exchange.respond(() -> {
            RelayWriter writer;
            try {
                writer = writers.apply(exchange.output());
                writer.flush(); // the headers go out now: the browser's EventSource opens
            } catch (IOException | UncheckedIOException e) {
                s.close();
                return CompletableFuture.completedFuture(null);
            }
            // dropped: cut, so that the client sees a broken connection, not a clean end (a gone one is gone)
            return s.deliverAsync(writer).thenAccept(outcome -> {
                if (outcome == Subscription.Outcome.DROPPED) exchange.abort();
            });
        });
    }

    /**
     * A response body whose status and headers are set when its first byte is due (or it is flushed),
     * or earlier, by {@link #headAhead()}, while that byte is awaited; until the first byte the
     * response is not committed, and {@link #forgo()} gives it up for another answer (a JSON error).
     *
     * <p>Threading: one writer; {@link #headAhead()} and {@link #forgo()} from any thread.
     */
    static final class HeadedOutput extends FilterOutputStream {
        private final Runnable head;
        private final Runnable unhead;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile boolean headed; // the head is set, or given up: guarded by lock when it turns true
        private boolean set; // the head was set (not given up): guarded by lock

        HeadedOutput(HttpExchange exchange, Runnable head) throws IOException {
            this(exchange, head, () -> {});
        }

        /** @param unhead takes back what {@code head} set, for {@link #forgo()} after {@link #headAhead()} */
        HeadedOutput(HttpExchange exchange, Runnable head, Runnable unhead) throws IOException {
            super(exchange.output());
            this.head = head;
            this.unhead = unhead;
        }

        /**
         * Sets the head now, unless it is set or given up: for a stream that has opened and waits for its
         * first event, so that the first event does not wait for its head. A failure before the first byte
         * still answers with its own status and headers, after {@link #forgo()}, which takes the head back.
         */
        void headAhead() {
            head();
        }

        /**
         * Gives up the head for an answer that is not this body's (a JSON error, its own status and headers
         * set after this returns), before the first byte: one not set is not set, one set ahead is taken back;
         * waits for a head being set meanwhile, so that the two are not mixed.
         */
        void forgo() {
            lock.lock();
            try {
                if (set) unhead.run();
                set = false;
                headed = true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void write(int b) throws IOException {
            head();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            head();
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            head();
            out.flush();
        }

        private void head() {
            if (headed) return;
            lock.lock();
            try {
                if (!headed) {
                    head.run();
                    set = true;
                }
                headed = true;
            } finally {
                lock.unlock();
            }
        }
    }
}
