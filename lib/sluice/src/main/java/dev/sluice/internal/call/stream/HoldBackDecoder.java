package dev.sluice.internal.call.stream;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.internal.low.aws.AwsJsonErrors;
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
 * event of {@linkplain StreamRules#isSubstance substance} (or a terminal event, or one that
 * completes the stream), at most {@code maxEvents} events and {@code maxBytes} characters of their
 * messages' data; past either bound, or at that event, delivers them in order and lets the later
 * events through. Before then, a retryable in-band error or an end of body that the rules call a
 * failure is thrown as {@link RetryBeforeContent}, for the call to reopen the stream: the
 * held-back events are then dropped unseen. As a {@link Consumer}, it receives the framing's
 * decoded events; {@link #reading(SseFraming)} and {@link #decode(EventStreamFraming, EventStreamMessage)}
 * are what each framing's pump hands its messages to.
 *
 * <p>Producer thread only; one per response.
 *
 * @param <E> the provider's event type
 */
final class HoldBackDecoder<E> implements Consumer<E> {
    private static final System.Logger LOG = System.getLogger(StreamingCall.class.getName());

    private final StreamProtocol<E> protocol;
    private final StreamRules<E> rules;
    private final int maxEvents;
    private final long maxBytes;
    private final int status;
    private final Map<String, String> requestHeaders;
    private final Emitter<E> out;
    private final Consumer<? super E> sink; // what the framing decodes into: this, seen first by the tap if any
    private final @Nullable Consumer<? super E> tap;
    private final List<E> held = new ArrayList<>();
    private long heldBytes; // the data of the messages decoded while holding back
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
     * @param tap shown each decoded event before it is handled, or null
     * @param out the stream
     */
    HoldBackDecoder(
            StreamProtocol<E> protocol,
            int maxEvents,
            long maxBytes,
            int status,
            Map<String, String> requestHeaders,
            @Nullable Consumer<? super E> tap,
            Emitter<E> out) {
        this.protocol = protocol;
        this.rules = protocol.rules();
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.status = status;
        this.requestHeaders = requestHeaders;
        this.tap = tap;
        this.sink = tap == null ? this : tapped(tap, this);
        this.out = out;
    }

    /** {@return a consumer that shows each event to the tap, then hands it to {@code then}} */
    private static <E> Consumer<E> tapped(Consumer<? super E> tap, Consumer<? super E> then) {
        return new Consumer<>() {
            @Override
            public void accept(E e) {
                tap.accept(e);
                then.accept(e);
            }
        };
    }

    /** {@return this decoder as the SSE parser's, decoding each event with {@code framing}} */
    SseDecoder<E> reading(SseFraming<E> framing) {
        return new SseReading(framing);
    }

    /**
     * Decodes one message of an AWS event stream: its payload counts toward the held-back bound as an
     * event's data does. An exception or error frame is the framing's own in-band error
     * ({@link AwsJsonErrors#frame}); any other message goes to the framing's decoding.
     * {@return whether a terminal event arrived}
     */
    boolean decode(EventStreamFraming<E> framing, EventStreamMessage message) {
        if (!released) heldBytes += message.payloadLength();
        Optional<AwsJsonErrors.Frame> frame = AwsJsonErrors.frame(message);
        if (frame.isEmpty()) framing.decode(message, sink);
        else if (!terminal && !out.isOver()) {
            AwsJsonErrors.Frame f = frame.get();
            fail(new StreamRules.InBandError(f.type(), f.message(), f.retryable()));
        }
        return terminal;
    }

    /**
     * Hands the events decoded after the terminal event to {@code listener} (see
     * {@link SseDecoder#wantsEventsAfterTerminal}); by default they are not parsed. {@return this decoder}
     */
    HoldBackDecoder<E> afterTerminal(@Nullable Consumer<? super E> listener) {
        this.afterTerminal = listener == null || tap == null ? listener : tapped(tap, listener);
        return this;
    }

    /** Handles one decoded event. */
    @Override
    public void accept(E e) {
        if (terminal || out.isOver()) return;
        Optional<StreamRules.InBandError> error = rules.inBandError(e);
        if (error.isPresent()) fail(error.get());
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) logUnmapped(e);
        boolean ends = rules.isTerminal(e);
        boolean completesHere = rules.completesAtEndOfInput(e);
        if (!released) {
            if (!ends && !completesHere && !rules.isSubstance(e)) {
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
        if (rules.isContent(e)) {
            out.emit(e);
        } else {
            out.emitUncounted(e);
        }
    }

    /** Ends the stream with an in-band error: reopened when retryable and nothing was delivered, else thrown after the held-back events. */
    private void fail(StreamRules.InBandError error) {
        ApiException failure = error.exception(status, requestHeaders);
        if (!released && error.retryable()) throw new RetryBeforeContent(RetryableFailure.of(failure));
        flush();
        throw failure;
    }

    /** Logs, once per type and at most 32 types, what the stream's items leave out ({@link StreamProtocol#unmapped}). */
    private void logUnmapped(E e) {
        String type = protocol.unmapped(e);
        if (type == null || unmappedLogged.size() >= 32 || !unmappedLogged.add(type)) return;
        LOG.log(
                System.Logger.Level.DEBUG,
                "the stream carries " + type + ", which this view of it has no place for: left out");
    }

    /** The body ended without a terminal event: the end the rules call it, retried before content when a failure. */
    void endOfInput() {
        Optional<SluiceException> failure = completes ? Optional.empty() : rules.endOfInput();
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
            boolean go = rules.isContent(e) ? out.emit(e) : out.emitUncounted(e);
            if (!go) break;
        }
        held.clear();
    }

    /** The SSE parser's decoder: each event decoded by the framing, its data counted while holding back. */
    private final class SseReading implements SseDecoder<E> {
        private final SseFraming<E> framing;

        SseReading(SseFraming<E> framing) {
            this.framing = framing;
        }

        @Override
        public boolean decode(SseEvent event, Emitter<E> ignored) {
            if (!released) heldBytes += event.data().length();
            framing.decode(event, sink);
            return terminal;
        }

        @Override
        public RawOutcome decodeRaw(
                String type, byte[] data, int offset, int length, @Nullable String lastEventId, Emitter<E> ignored) {
            long before = heldBytes;
            if (!released) heldBytes += length;
            if (!framing.decode(type, data, offset, length, sink)) {
                heldBytes = before; // counted by the other decode
                return RawOutcome.DECLINED;
            }
            return terminal ? RawOutcome.TERMINAL : RawOutcome.CONTINUE;
        }

        @Override
        public boolean wantsEventsAfterTerminal() {
            return afterTerminal != null;
        }

        @Override
        public void decodeAfterTerminal(SseEvent event) {
            Consumer<? super E> listener = afterTerminal;
            if (listener != null) framing.decode(event, listener);
        }

        @Override
        public void endOfInput() {
            HoldBackDecoder.this.endOfInput();
        }
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
