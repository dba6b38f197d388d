package dev.sluice.stream;

/**
 * The source of an {@link EventStream}'s items. It runs once, on the stream's own named virtual
 * thread, and hands items over through its {@link Emitter}. Returning normally completes the
 * stream ({@link EndReason#COMPLETED}).
 *
 * <p>What it throws decides how the stream fails: a {@link dev.sluice.SluiceException} is the
 * failure as it is ({@link EndReason#TIMED_OUT} for a {@link dev.sluice.StreamTimeoutException},
 * else {@link EndReason#FAILED}); an {@link java.io.IOException} becomes a
 * {@link dev.sluice.TransportException}; an {@link InterruptedException} a
 * {@link dev.sluice.StreamInterruptedException}; anything else (an {@link Error}, an unexpected
 * {@link RuntimeException}) a {@link dev.sluice.LocalFailureException} naming it: a failure on this
 * side, not the server's (a {@link VirtualMachineError} too: it never escapes the producer thread, which
 * logs it; the stream ends with it as the cause). Once the stream is over (cancelled, closed, timed out, limit reached), whatever the
 * producer throws is the normal consequence of the source being closed under it and is ignored.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface Producer<T> {
    /**
     * Produces the stream's items.
     *
     * @param emitter where the items go; valid only on the calling thread and during this call
     * @throws Exception when the source fails; see the class description for how it is reported
     */
    void produce(Emitter<T> emitter) throws Exception;
}
