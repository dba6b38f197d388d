package dev.sluice.eventsource;

import dev.sluice.SluiceException;
import dev.sluice.sse.SseEvent;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Objects;

/**
 * What an {@link EventSourceStream} delivers: the server's events (and comments, if asked for),
 * in order, interleaved with the lifecycle of its connections. A {@code switch} with a
 * {@code default} branch keeps working if a signal is added later.
 *
 * <pre>{@code
 * for (SourceSignal signal : stream) {
 *     switch (signal) {
 *         case SourceSignal.Message(SseEvent event) -> handle(event.type(), event.data());
 *         case SourceSignal.Fault fault -> log.warn("stream trouble, retrying: " + fault.willRetry(), fault.error());
 *         default -> { }   // opened, closed, comments
 *     }
 * }
 * }</pre>
 *
 * <p>Per connection the order is: {@link Opened}, then its {@link Message}s and {@link Comment}s,
 * then one {@link Closed}, followed by a {@link Fault} when the connection broke (rather than
 * ending or being restarted). A connection attempt that fails yields a {@link Fault} alone. Only
 * {@link Message}s count as the stream's items for its timeouts, chunk limit and metrics.
 */
public sealed interface SourceSignal
        permits SourceSignal.Message,
                SourceSignal.Comment,
                SourceSignal.Opened,
                SourceSignal.Closed,
                SourceSignal.Fault {

    /**
     * An event the server dispatched, exactly as the parser produced it; its
     * {@link SseEvent#lastEventId()} is the last event ID in effect, carried over reconnections
     * (null when none was ever set, empty when the server cleared it).
     *
     * @param event the event
     */
    record Message(SseEvent event) implements SourceSignal {
        /** @throws NullPointerException if {@code event} is null */
        public Message {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * A comment line, without its leading colon; delivered only when
     * {@link EventSource.Builder#comments(boolean)} asked for them.
     *
     * @param text the comment's text, as sent (no space removed)
     */
    record Comment(String text) implements SourceSignal {
        /** @throws NullPointerException if {@code text} is null */
        public Comment {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A connection opened: the server answered with a 2xx status and {@code text/event-stream}.
     *
     * @param uri where the stream came from, after any redirects
     * @param statusCode the response's status
     * @param headers the response's headers
     * @param connection the connection's number, from 1
     */
    record Opened(URI uri, int statusCode, HttpHeaders headers, int connection) implements SourceSignal {
        /** @throws NullPointerException if {@code uri} or {@code headers} is null */
        public Opened {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(headers, "headers");
        }
    }

    /**
     * An open connection ended.
     *
     * @param reason why
     * @param connection the connection's number, as in its {@link Opened}
     */
    record Closed(Reason reason, int connection) implements SourceSignal {
        /** @throws NullPointerException if {@code reason} is null */
        public Closed {
            Objects.requireNonNull(reason, "reason");
        }

        /** Why a connection ended. */
        public enum Reason {
            /** The server ended the response normally; the source reconnects after its delay. */
            SERVER_CLOSED,
            /** {@link EventSourceStream#restart()} dropped it; the source reconnects at once. */
            RESTARTED,
            /** Nothing arrived within the read timeout; a {@link Fault} follows. */
            READ_TIMEOUT,
            /** Reading failed (a reset, a truncated body); a {@link Fault} follows. */
            CONNECTION_LOST,
            /** The stream cannot go on (a limit was exceeded); a {@link Fault} follows. */
            FAILED
        }
    }

    /**
     * Something went wrong: a connection attempt failed, or an open connection broke.
     *
     * @param error what went wrong: a {@link dev.sluice.TransportException} (network, read
     *     timeout), an {@link dev.sluice.ApiException} (an HTTP error status), a
     *     {@link dev.sluice.ProtocolException} (a wrong content type, a bad redirect), a
     *     {@link dev.sluice.LimitExceededException}
     * @param willRetry whether the source will reconnect; when false the stream then fails with
     *     {@code error} (the next {@code hasNext()} throws it)
     * @param retryDelay the wait before the reconnection; zero when it will not retry
     */
    record Fault(SluiceException error, boolean willRetry, Duration retryDelay) implements SourceSignal {
        /** @throws NullPointerException if an argument is null */
        public Fault {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(retryDelay, "retryDelay");
        }
    }
}
