package dev.sluice.client;

/**
 * Builds a result from the events of one stream: every provider's accumulator and the neutral
 * {@link dev.sluice.chat.ChunkAggregator} follow this contract, and every provider stream
 * ({@link AccumulatingStream}) feeds one as it hands each event to its consumer.
 *
 * <pre>{@code
 * Accumulator<StreamEvent, Message> acc = new MessageAccumulator();
 * for (StreamEvent e : events) acc.accept(e);
 * Message message = acc.isComplete() ? acc.result() : acc.snapshot();
 * }</pre>
 *
 * <p>Threading: one thread at a time calls {@link #accept}; {@link #snapshot()},
 * {@link #isComplete()} and {@link #result()} may be called from any thread at any time, and see
 * the events accepted so far, all or none of each.
 *
 * @param <E> the event type
 * @param <R> the result type
 */
public interface Accumulator<E, R> {

    /**
     * Adds the next event.
     *
     * @param event the event
     * @throws dev.sluice.ProtocolException if the event cannot follow the events before it
     * @throws NullPointerException if event is null
     */
    void accept(E event);

    /**
     * {@return the result as far as it has arrived, never null} Before the first event that
     * starts it, an empty result (no id, no content). Streamed JSON (tool arguments) is its
     * best-effort value so far. Immutable.
     */
    R snapshot();

    /** {@return whether the event that ends a stream normally has been accepted} */
    boolean isComplete();

    /**
     * {@return the complete result: streamed JSON parsed to its end, and an argument that is not
     * valid JSON reported on its call rather than guessed}
     *
     * @throws IllegalStateException if the result is not {@linkplain #isComplete() complete};
     *     {@link #snapshot()} has what arrived
     */
    R result();
}
