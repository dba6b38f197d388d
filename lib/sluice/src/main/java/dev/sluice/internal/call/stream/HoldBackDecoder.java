package dev.sluice.internal.call.stream;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import dev.sluice.internal.low.http.RetryableFailure;
import dev.sluice.sse.SseEvent;
import dev.sluice.stream.Emitter;
import dev.sluice.stream.SseDecoder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The decoding of one response of a {@link StreamingCall}: holds the events back until the first
 * event of {@linkplain StreamProtocol#isSubstance substance} (or a terminal event, or one that
 * completes the stream), at most {@code maxEvents} events and {@code maxBytes} characters of their
 * Server-Sent Events' data; past either bound, or at that event, delivers them in order and lets the
 * later events through. Before then, a retryable in-band error or an end of body that the protocol
 * calls a failure is thrown as {@link RetryBeforeContent}, for the call to reopen the stream: the
 * held-back events are then dropped unseen. As a {@link Consumer}, it receives the protocol's
 * decoded events.
 *
 * <p>Producer thread only; one per response.
 *
 * @param <E> the provider's event type
 */
final class HoldBackDecoder<E> implements SseDecoder<E>, Consumer<E> {
    private static final System.Logger LOG = System.getLogger(StreamingCall.class.getName());

    private final StreamProtocol<E> protocol;
    private final int maxEvents;
    private final long maxBytes;
    private final int status;
    private final Map<String, String> requestHeaders;
    private final Emitter<E> out;
    private final List<E> held = new ArrayList<>();
    private long heldBytes; // the data of the Server-Sent Events decoded while holding back
    /** Whether the held-back events were delivered: nothing is retried from then on. */
    boolean released;
    /** Whether a terminal event arrived. */
    boolean terminal;

    private boolean completes;
    private @Nullable Consumer<? super E> afterTerminal;
    private final Set<String> unmappedLogged = new HashSet<>(); // DEBUG only

    /**
     * @param protocol the provider's protocol
     * @param maxEvents the most events held back
     * @param maxBytes the most characters of data held back
     * @param status the response's HTTP status, for in-band errors
     * @param requestHeaders the request's headers, whose credentials in-band errors are cleaned of
     * @param out the stream
     */
    HoldBackDecoder(
            StreamProtocol<E> protocol,
            int maxEvents,
            long maxBytes,
            int status,
            Map<String, String> requestHeaders,
            Emitter<E> out) {
        this.protocol = protocol;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.status = status;
        this.requestHeaders = requestHeaders;
        this.out = out;
    }

    @Override
    public boolean decode(SseEvent event, Emitter<E> ignored) {
        if (!released) heldBytes += event.data().length();
        protocol.decode(event, this);
        return terminal;
    }

    /**
     * Decodes one message of an AWS event stream ({@link BodyFraming#AWS_EVENT_STREAM}): its payload
     * counts toward the held-back bound as an event's data does. {@return whether a terminal event arrived}
     */
    boolean decode(EventStreamMessage message) {
        if (!released) heldBytes += message.payloadLength();
        protocol.decode(message, this);
        return terminal;
    }

    @Override
    public RawOutcome decodeRaw(
            String type, byte[] data, int offset, int length, @Nullable String lastEventId, Emitter<E> ignored) {
        long before = heldBytes;
        if (!released) heldBytes += length;
        if (!protocol.decode(type, data, offset, length, this)) {
            heldBytes = before; // counted by the other decode
            return RawOutcome.DECLINED;
        }
        return terminal ? RawOutcome.TERMINAL : RawOutcome.CONTINUE;
    }

    /**
     * Hands the events decoded after the terminal event to {@code listener} (see
     * {@link SseDecoder#wantsEventsAfterTerminal}); by default they are not parsed. {@return this decoder}
     */
    HoldBackDecoder<E> afterTerminal(@Nullable Consumer<? super E> listener) {
        this.afterTerminal = listener;
        return this;
    }

    @Override
    public boolean wantsEventsAfterTerminal() {
        return afterTerminal != null;
    }

    @Override
    public void decodeAfterTerminal(SseEvent event) {
        Consumer<? super E> listener = afterTerminal;
        if (listener != null) protocol.decode(event, listener);
    }

    /** Handles one decoded event. */
    @Override
    public void accept(E e) {
        if (terminal || out.isOver()) return;
        Optional<StreamProtocol.InBandError> error = protocol.inBandError(e);
        if (error.isPresent()) {
            ApiException failure = error.get().exception(status, requestHeaders);
            if (!released && error.get().retryable()) throw new RetryBeforeContent(RetryableFailure.of(failure));
            flush();
            throw failure;
        }
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) logUnmapped(e);
        boolean ends = protocol.isTerminal(e);
        boolean completesHere = protocol.completesAtEndOfInput(e);
        if (!released) {
            if (!ends && !completesHere && !protocol.isSubstance(e)) {
                if (held.size() < maxEvents && heldBytes <= maxBytes) {
                    held.add(e);
                    return;
                }
                if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                    LOG.log(
                            System.Logger.Level.DEBUG,
                            (held.size() + 1) + " events (" + heldBytes
                                    + " characters of data) before any content, past the bound of " + maxEvents
                                    + " events and " + maxBytes + " characters: delivering them; no retry from now on");
                }
            }
            flush();
        }
        if (ends) terminal = true;
        if (completesHere) completes = true;
        if (protocol.isContent(e)) {
            out.emit(e);
        } else {
            out.emitUncounted(e);
        }
    }

    /** Logs, once per type and at most 32 types, what the stream's items leave out ({@link StreamProtocol#unmapped}). */
    private void logUnmapped(E e) {
        String type = protocol.unmapped(e);
        if (type == null || unmappedLogged.size() >= 32 || !unmappedLogged.add(type)) return;
        LOG.log(
                System.Logger.Level.DEBUG,
                "the stream carries " + type + ", which this view of it has no place for: left out");
    }

    @Override
    public void endOfInput() {
        Optional<SluiceException> failure = completes ? Optional.empty() : protocol.endOfInput();
        if (failure.isPresent()) {
            if (!released) throw new RetryBeforeContent(new RetryableFailure(failure.get(), null));
            throw failure.get();
        }
        flush();
    }

    /** Delivers the held-back events, in order, and lets later events through. */
    void flush() {
        released = true;
        for (E e : held) {
            boolean go = protocol.isContent(e) ? out.emit(e) : out.emitUncounted(e);
            if (!go) break;
        }
        held.clear();
    }

    /** Thrown through the SSE parser to ask for a reopening; never escapes the producer. */
    static final class RetryBeforeContent extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient RetryableFailure failure;

        RetryBeforeContent(RetryableFailure failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }

        /** {@return the failure to retry, or to throw when no retry is left} */
        RetryableFailure failure() {
            return failure;
        }
    }
}
