package dev.sluice.openai;

import dev.sluice.client.AccumulatingStream;
import dev.sluice.client.RateLimits;
import dev.sluice.internal.call.stream.Replay;
import dev.sluice.internal.call.stream.StreamingCall;
import dev.sluice.sse.SseEvent;
import java.io.InputStream;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A streamed Responses API call: the {@link ResponseStreamEvent}s as they arrive, and the
 * {@link Response} they build. Returned by {@link Responses#stream} and {@link Responses#resume};
 * must be closed.
 *
 * <pre>{@code
 * try (ResponseStream stream = client.responses().stream(request)) {
 *     stream.text().forEach(System.out::print);
 *     Response response = stream.result();
 * }
 * }</pre>
 *
 * <p>The shape and the contract are {@link AccumulatingStream}'s. The stream ends with its terminal
 * event ({@code response.completed}, {@code .incomplete} or {@code .failed}: a failed response is
 * delivered, its error in {@link Response#error()}), and the connection is released then. An
 * {@code error} event is thrown as an {@link dev.sluice.ApiException}; a body that ends before the
 * terminal event as an {@link dev.sluice.IncompleteStreamException}, after which a background
 * response can be continued with {@link Responses#resume(ResponseStream)}, which shares this
 * stream's accumulator. Text is the output text deltas; thinking the reasoning summary deltas.
 *
 * <p>Rate limits: {@link #rateLimits()} has those of the response's headers, with those of the
 * latest {@code response.rate_limits.updated} over them, which OpenAI sends after the terminal event
 * (see {@link #rateLimitsUpdated()}).
 */
public final class ResponseStream extends AccumulatingStream<ResponseStreamEvent, Response> {
    private final ResponseAccumulator accumulator;
    private final boolean background;

    private ResponseStream(
            StreamingCall<ResponseStreamEvent> call, ResponseAccumulator accumulator, boolean background) {
        super(call.events(), accumulator, call::requestId, () -> withReported(call.rateLimits(), accumulator));
        this.accumulator = accumulator;
        this.background = background;
    }

    /**
     * Opens the call, accumulating every event handed to the consumer into {@code accumulator}; the
     * rate limits a body reports after its terminal event go to the accumulator and to
     * {@code clientLimits} (the client's latest report).
     */
    static ResponseStream open(
            StreamingCall.Builder<ResponseStreamEvent> builder,
            ResponseAccumulator accumulator,
            boolean background,
            Consumer<RateLimits> clientLimits) {
        builder.onItem(e -> {
                    accumulator.accept(e);
                    if (e instanceof ResponseStreamEvent.RateLimitsUpdated r)
                        clientLimits.accept(limitsOf(r, Instant.now(), Optional.empty()));
                })
                .partial(accumulator::snapshot)
                .afterTerminal(e -> {
                    if (e instanceof ResponseStreamEvent.RateLimitsUpdated r) {
                        accumulator.reportRateLimits(r);
                        clientLimits.accept(limitsOf(r, Instant.now(), Optional.empty()));
                    }
                });
        return new ResponseStream(builder.open(), accumulator, background);
    }

    @Override
    protected String textOf(ResponseStreamEvent event) {
        return event instanceof ResponseStreamEvent.OutputTextDelta d ? d.delta() : "";
    }

    @Override
    protected String thinkingOf(ResponseStreamEvent event) {
        return event instanceof ResponseStreamEvent.ReasoningSummaryTextDelta d ? d.delta() : "";
    }

    /**
     * {@return the latest {@code response.rate_limits.updated} of this stream, when one came} OpenAI
     * sends it after {@code response.completed}: the stream has ended for its consumer by then, and
     * reads it while the body runs to its end (at most a second and 64 KiB after the terminal
     * event), so it may appear a moment after the iteration ended; one the server sends later, or
     * that cannot be parsed, is dropped. Any thread.
     */
    public Optional<ResponseStreamEvent.RateLimitsUpdated> rateLimitsUpdated() {
        return accumulator.rateLimitsUpdated();
    }

    /**
     * The rate limits of the response's headers with those of its latest
     * {@code response.rate_limits.updated} over them: its {@code requests} and {@code tokens}
     * limits, their resets counted from its arrival.
     */
    private static Optional<RateLimits> withReported(Optional<RateLimits> headers, ResponseAccumulator accumulator) {
        ResponseAccumulator.ReportedLimits reported = accumulator.reportedLimits();
        if (reported == null) return headers;
        return Optional.of(limitsOf(reported.event(), reported.at(), headers));
    }

    /**
     * {@return the limits of a {@code response.rate_limits.updated} that arrived at {@code at} (its
     * {@code requests} and {@code tokens}), over those of {@code headers}}
     */
    static RateLimits limitsOf(ResponseStreamEvent.RateLimitsUpdated event, Instant at, Optional<RateLimits> headers) {
        Map<RateLimits.Kind, RateLimits.Limit> limits = new EnumMap<>(RateLimits.Kind.class);
        headers.ifPresent(h -> limits.putAll(h.limits()));
        for (ResponseStreamEvent.RateLimit l : event.rateLimits()) {
            RateLimits.Kind kind = switch (l.name()) {
                case "requests" -> RateLimits.Kind.REQUESTS;
                case "tokens" -> RateLimits.Kind.TOKENS;
                default -> null;
            };
            if (kind == null) continue;
            Optional<Instant> reset = l.resetSeconds() >= 0 && l.resetSeconds() < 1e9
                    ? Optional.of(at.plusNanos((long) (l.resetSeconds() * 1e9)))
                    : Optional.empty();
            limits.put(
                    kind,
                    new RateLimits.Limit(
                            l.limit() < 0 ? OptionalLong.empty() : OptionalLong.of(l.limit()),
                            l.remaining() < 0 ? OptionalLong.empty() : OptionalLong.of(l.remaining()),
                            reset));
        }
        return headers.map(h -> new RateLimits(limits, h.retryAfter(), h.observedAt()))
                .orElseGet(() -> new RateLimits(limits, Optional.empty(), at));
    }

    /** {@return the highest {@code sequence_number} the consumer has received, or -1} Any thread. */
    public long lastSequenceNumber() {
        return accumulator.lastSequenceNumber();
    }

    /** {@return the response's id once {@code response.created} was received} Any thread. */
    public Optional<String> responseId() {
        String id = accumulator.snapshot().id();
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    /** {@return whether the request asked for background mode (so that the stream can be resumed)} */
    public boolean isBackground() {
        return background;
    }

    ResponseAccumulator accumulator() {
        return accumulator;
    }

    /** {@return the last sequence number and the request id, for {@link #toString()}} */
    @Override
    protected String details() {
        return ", last sequence number " + lastSequenceNumber() + super.details();
    }

    /**
     * Decodes one Server-Sent Event of a Responses stream into its typed event (an
     * {@link ResponseStreamEvent.Unknown} for a type Sluice does not know).
     *
     * @param event the event
     * @return the decoded event
     * @throws dev.sluice.ProtocolException if the data is malformed JSON
     * @throws NullPointerException if event is null
     */
    public static ResponseStreamEvent decode(SseEvent event) {
        return ResponsesJson.decode(Objects.requireNonNull(event, "event"));
    }

    /**
     * Reads a captured streaming response body, as a live stream would, up to the terminal event
     * (later bytes are not read), {@code readSize} bytes at a time, and returns the response.
     *
     * @param body the body; read, not closed
     * @param readSize how many bytes to read and feed at a time
     * @return the complete response
     * @throws dev.sluice.ApiException if the stream carries an {@code error} event
     * @throws dev.sluice.IncompleteStreamException if the body ends before the terminal event
     * @throws dev.sluice.ProtocolException for malformed JSON
     * @throws dev.sluice.TransportException if reading the body fails
     * @throws IllegalArgumentException if readSize is not positive
     */
    public static Response replay(InputStream body, int readSize) {
        ResponseAccumulator accumulator = new ResponseAccumulator();
        return Replay.run(
                ResponsesStreamDecoding.SSE,
                ResponsesStreamDecoding.TYPED,
                Function.identity(),
                accumulator,
                accumulator::snapshot,
                body,
                readSize);
    }
}
