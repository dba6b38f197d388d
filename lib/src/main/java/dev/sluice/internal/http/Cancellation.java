package dev.sluice.internal.http;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * How a {@link Retrier} learns that the caller gave up, in plain JDK types so that it does not
 * depend on the engine: for a stream, {@code Cancellation.of(controller::isCancelled, controller::onCancel)}.
 *
 * @param isCancelled whether the caller has cancelled; read before each attempt and after each wait
 * @param onCancel registers a listener to run once, from any thread, when the caller cancels (at
 *     once if it already has); the retrier registers at most one per call, and only when it has
 *     to wait
 */
public record Cancellation(BooleanSupplier isCancelled, Consumer<Runnable> onCancel) {
    /** Never cancelled. */
    public static final Cancellation NONE = new Cancellation(Never.INSTANCE, Never.INSTANCE);

    public Cancellation {
        Objects.requireNonNull(isCancelled, "isCancelled");
        Objects.requireNonNull(onCancel, "onCancel");
    }

    /** {@return a cancellation read from these two functions} */
    public static Cancellation of(BooleanSupplier isCancelled, Consumer<Runnable> onCancel) {
        return new Cancellation(isCancelled, onCancel);
    }

    /** {@link #NONE}'s two functions (a class, not lambdas: a fresh JVM links each lambda it runs). */
    private static final class Never implements BooleanSupplier, Consumer<Runnable> {
        static final Never INSTANCE = new Never();

        @Override
        public boolean getAsBoolean() {
            return false;
        }

        @Override
        public void accept(Runnable listener) {
            // never cancelled: the listener never runs
        }
    }
}
