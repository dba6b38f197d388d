package dev.sluice.internal.stream;

import dev.sluice.internal.http.Cancellation;
import dev.sluice.stream.StreamController;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A {@link Cancellation} read from a {@link StreamController}: cancelled when the controller is,
 * its listeners registered with {@link StreamController#onCancel}. A class rather than the two
 * method references {@code controller::isCancelled, controller::onCancel}: a fresh JVM links each
 * method reference the first time it runs, on the way to its first stream.
 *
 * <p>Immutable; thread-safe as the controller is.
 */
public final class ControllerCancellation implements BooleanSupplier, Consumer<Runnable> {
    private final StreamController controller;

    private ControllerCancellation(StreamController controller) {
        this.controller = controller;
    }

    /** {@return the cancellation of {@code controller}} */
    public static Cancellation of(StreamController controller) {
        ControllerCancellation c = new ControllerCancellation(controller);
        return Cancellation.of(c, c);
    }

    /** {@return whether the controller is cancelled} */
    @Override
    public boolean getAsBoolean() {
        return controller.isCancelled();
    }

    /** Registers {@code listener} with the controller's {@link StreamController#onCancel}. */
    @Override
    public void accept(Runnable listener) {
        controller.onCancel(listener);
    }
}
