package dev.sluice.internal.low.http;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * How a {@code Retrier} learns that the caller gave up, in plain JDK types so that it does not
 * depend on the engine: for a stream, {@code Cancellation.of(controller::isCancelled, controller::onCancel)}.
 *
 * @param isCancelled whether the caller has cancelled; read before each attempt and after each wait
 * @param onCancel registers a listener to run once, from any thread, when the caller cancels (at
 *     once if it already has); the retrier and the transport register one each time they have
 *     to wait (for a backoff, for a response, for an HTTP/2 connection another exchange opens)
 */
public record Cancellation(BooleanSupplier isCancelled, Consumer<Runnable> onCancel) {
    /** Never cancelled. */
    public static final Cancellation NONE = new Cancellation(() -> false, listener -> {});

    public Cancellation {
        Objects.requireNonNull(isCancelled, "isCancelled");
        Objects.requireNonNull(onCancel, "onCancel");
    }

    /** {@return a cancellation read from these two functions} */
    public static Cancellation of(BooleanSupplier isCancelled, Consumer<Runnable> onCancel) {
        return new Cancellation(isCancelled, onCancel);
    }
}
