package dev.sluice.openai;

import dev.sluice.SluiceException;
import dev.sluice.internal.stream.ListenerRun;
import dev.sluice.internal.value.StringParts;
import dev.sluice.internal.stream.SharedIterator;
import dev.sluice.internal.stream.StreamingCall;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.ForwardingEventStream;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * A streamed Responses API call: the {@link ResponseStreamEvent}s as they arrive, and the
 * {@link Response} they build. Returned by {@link Responses#stream} and {@link Responses#resume};
 * must be closed.
 *
 * <pre>{@code
 * try (ResponseStream stream = client.responses().stream(request)) {
 *     stream.text().forEach(System.out::print);
 *     Response response = stream.finalResponse();
 * }
 * }</pre>
 *
 * <p>It is an {@link EventStream}, with its contract: one iterator ({@link #iterator()},
 * {@link #stream()}, {@link #text()} and {@link #listen} each take it), failures thrown from
 * {@code hasNext()} as {@link SluiceException}s carrying the partial {@link Response} and the
 * request id, every event received before a failure delivered first. The stream ends with its
 * terminal event ({@code response.completed}, {@code .incomplete} or {@code .failed}: a failed
 * response is delivered, its error in {@link Response#error()}), and the connection is released
 * then, so nothing sent after it is read. An {@code error} event is thrown as an
 * {@link dev.sluice.ApiException}; a body that ends before the terminal event as an
 * {@link dev.sluice.IncompleteStreamException}, after which a background response can be
 * continued with {@link Responses#resume(ResponseStream)}.
 *
 * <p>Each event is added to a {@link ResponseAccumulator} as it is handed to the consumer, so
 * {@link #snapshot()} and {@link #lastSequenceNumber()} reflect exactly what the consumer has
 * received. A resumed stream shares the accumulator of the stream it continues.
 *
 * <p>Thread-safety: iteration and {@link #finalResponse()} belong to one consumer thread at a
 * time; the other methods may be called from any thread.
 */
public final class ResponseStream extends ForwardingEventStream<ResponseStreamEvent> {
    // Threading: fields are final; the engine iterator is shared (SharedIterator) by the user's loop
    // and finalResponse(), on the consumer thread; the accumulator locks itself.
    private final StreamingCall<ResponseStreamEvent> call;
    private final ResponseAccumulator accumulator;
    private final boolean background;
    private final SharedIterator<ResponseStreamEvent> iterator;

    private ResponseStream(StreamingCall<ResponseStreamEvent> call, ResponseAccumulator accumulator, boolean background) {
        super(call.events());
        this.call = call;
        this.accumulator = accumulator;
        this.background = background;
        this.iterator = new SharedIterator<>(delegate(), "ResponseStream");
    }

    /** Opens the call, accumulating every event handed to the consumer into {@code accumulator}. */
    static ResponseStream open(StreamingCall.Builder<ResponseStreamEvent> builder, ResponseAccumulator accumulator,
                               boolean background) {
        builder.onItem(accumulator::accept);
        builder.partial(accumulator::snapshot);
        return new ResponseStream(builder.open(), accumulator, background);
    }

    /** {@return the one iterator over the events} @throws IllegalStateException if called a second time */
    @Override
    public Iterator<ResponseStreamEvent> iterator() {
        return iterator.forUser();
    }

    @Override
    public Stream<ResponseStreamEvent> stream() {
        return iterator.forUserAsStream(this::close);
    }

    /**
     * {@return the output text pieces, in order; its {@code close()} closes this stream} Takes the
     * stream's one iterator. Failures are thrown from the terminal operation.
     *
     * @throws IllegalStateException if the iterator was already taken
     */
    public Stream<String> text() {
        return stream().mapMulti((event, sink) -> {
            if (event instanceof ResponseStreamEvent.OutputTextDelta d && !d.delta().isEmpty()) sink.accept(d.delta());
        });
    }

    /** {@return the response built from the events the consumer has received so far} Any thread. */
    public Response snapshot() {
        return accumulator.snapshot();
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

    /**
     * Reads the rest of the stream, if the consumer has not, and returns the final response:
     * function-call arguments parsed to the end, invalid ones reported in
     * {@link ResponseOutputItem.FunctionCall#argumentsError()}.
     *
     * @return the response
     * @throws SluiceException the stream's failure, with the partial response attached
     * @throws IllegalStateException if the stream was cancelled or closed, or reached its chunk
     *     limit, before its terminal event; {@link #snapshot()} has the partial response
     */
    public Response finalResponse() {
        iterator.drain();
        Optional<SluiceException> failure = failure();
        if (failure.isPresent()) throw failure.get();
        if (accumulator.isTerminated()) return accumulator.finish();
        throw notComplete();
    }

    /**
     * Runs {@code listener} over the rest of the stream on this thread (see
     * {@link ResponseStreamListener}) and returns the final response. Takes the one iterator.
     *
     * @param listener the callbacks
     * @return the final response
     * @throws SluiceException the stream's failure, after {@code onError} and {@code onEnd}
     * @throws IllegalStateException if the iterator was already taken, or the stream ended before
     *     its terminal event without a failure (cancelled, chunk limit)
     * @throws RuntimeException what a callback threw, as it is (the stream is then closed)
     */
    public Response listen(ResponseStreamListener listener) {
        Objects.requireNonNull(listener, "listener");
        ListenerRun.refuseStringSoFar(listener, "onText", "onRefusal");
        return ListenerRun.run(iterator(), new Dispatch(listener, accumulator), this::completed, this::notComplete, this::close);
    }

    /**
     * As {@link #listen}, on a new virtual thread. Cancelling the future closes the stream.
     *
     * @param listener the callbacks
     * @return the final response, to come
     * @throws IllegalStateException if the iterator was already taken
     */
    public CompletableFuture<Response> listenAsync(ResponseStreamListener listener) {
        Objects.requireNonNull(listener, "listener");
        ListenerRun.refuseStringSoFar(listener, "onText", "onRefusal");
        return ListenerRun.async("sluice-openai-responses-listener", iterator(), new Dispatch(listener, accumulator),
                this::completed, this::notComplete, this::close);
    }

    private Optional<Response> completed() {
        return accumulator.isTerminated() ? Optional.of(accumulator.finish()) : Optional.empty();
    }

    private IllegalStateException notComplete() {
        EndReason reason = endReason().orElse(EndReason.CANCELLED);
        return new IllegalStateException("the stream ended (" + reason + ") before its terminal event, so there is no "
                + "final response; snapshot() has the partial response");
    }

    /** A {@link ResponseStreamListener} as {@link ListenerRun} callbacks; the listening thread only. */
    private static final class Dispatch implements ListenerRun.Callbacks<ResponseStreamEvent, Response> {
        private final ResponseStreamListener listener;
        private final ResponseAccumulator accumulator;
        private final StringParts text = new StringParts();
        private final StringParts refusal = new StringParts();

        Dispatch(ResponseStreamListener listener, ResponseAccumulator accumulator) {
            this.listener = listener;
            this.accumulator = accumulator;
        }

        @Override
        public void onItem(ResponseStreamEvent event) {
            listener.onEvent(event, accumulator.snapshot());
            switch (event) {
                case ResponseStreamEvent.OutputTextDelta d when !d.delta().isEmpty() ->
                        listener.onText(d.delta(), text.append(d.delta()).view());
                case ResponseStreamEvent.RefusalDelta d when !d.delta().isEmpty() ->
                        listener.onRefusal(d.delta(), refusal.append(d.delta()).view());
                case ResponseStreamEvent.FunctionCallArgumentsDelta d -> listener.onFunctionCallArguments(d);
                case ResponseStreamEvent.ReasoningSummaryTextDelta d -> listener.onReasoningSummary(d);
                default -> { }
            }
        }

        @Override
        public void onResult(Response result) { listener.onResponse(result); }

        @Override
        public void onError(SluiceException error) { listener.onError(error); }

        @Override
        public void onEnd() { listener.onEnd(); }
    }

    /** {@return the provider's request id ({@code x-request-id}) of the response being read, once known} */
    public Optional<String> requestId() {
        return call.requestId();
    }

    /**
     * {@return the rate limits OpenAI reported with the response being read (the latest one after
     * a retry): its {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} headers, a reset
     * counted from the response's arrival} Any thread.
     */
    public Optional<dev.sluice.RateLimits> rateLimits() {
        return call.rateLimits();
    }

    /** {@return the last sequence number and the request id for {@link #toString()}} */
    @Override
    protected String details() {
        return ", last sequence number " + lastSequenceNumber() + requestId().map(id -> ", request id " + id).orElse("");
    }
}
