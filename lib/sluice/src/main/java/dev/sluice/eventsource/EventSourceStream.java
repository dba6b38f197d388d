package dev.sluice.eventsource;

import dev.sluice.SluiceException;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.ForwardingEventStream;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One running {@link EventSource}: an {@link EventStream} of {@link SourceSignal}s that lasts across
 * reconnections, plus {@link #restart()}. Must be closed: use try-with-resources. Closing it (or
 * cancelling its controller, or dropping it unclosed) closes the connection, ends its thread and
 * shuts down the HTTP client it created.
 *
 * <p>The stream ends normally when the server answers {@code 204 No Content} (iteration ends,
 * {@link #endReason()} is {@link EndReason#COMPLETED}), when it is cancelled or closed, or at the
 * chunk limit; it fails at an HTTP error its {@link dev.sluice.client.RetryPolicy} does not retry,
 * when a parser limit is exceeded, or when one of the engine's timeouts expires: iteration then
 * throws that {@link SluiceException}, after the {@link SourceSignal.Fault} that announced it.
 *
 * <p>Thread-safety: as {@link EventStream}; {@link #restart()}, {@link #lastEventId()} and
 * {@link #uri()} may be called from any thread.
 */
public final class EventSourceStream extends ForwardingEventStream<SourceSignal> {
    // Threading: the field is final; the stream and the session are thread-safe themselves.
    private final Session session;

    EventSourceStream(EventStream<SourceSignal> stream, Session session) {
        super(stream);
        this.session = Objects.requireNonNull(session, "session");
    }

    /**
     * Drops the current connection and reconnects at once, without waiting for a back-off delay,
     * exactly as if the server had closed it (with {@code Last-Event-ID}). A {@link SourceSignal.Closed}
     * with reason {@link SourceSignal.Closed.Reason#RESTARTED} marks it. While a connection is being
     * opened, the new one is dropped as soon as it opens; during a back-off wait, the wait ends.
     * Does nothing once the stream is over. Never blocks; safe from any thread.
     */
    public void restart() {
        session.restart();
    }

    /** {@return the last event ID the next connection will send, if any; empty also when the server cleared it} */
    public Optional<String> lastEventId() {
        String id = session.lastEventId();
        return id == null || id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    /** {@return the URI of the current or last connection, after redirects} */
    public URI uri() {
        return session.uri();
    }

    @Override
    public String toString() {
        return "EventSourceStream[" + EventSource.redact(session.uri()) + ", endReason="
                + endReason().map(Enum::name).orElse("running") + "]";
    }
}
