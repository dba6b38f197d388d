package dev.sluice.internal.call.stream;

import dev.sluice.internal.low.http.Cancellation;
import dev.sluice.stream.StreamController;

/** A {@link Cancellation} read from a {@link StreamController}: cancelled when the controller is. */
public final class ControllerCancellation {
    private ControllerCancellation() {}

    /** {@return the cancellation of {@code controller}} */
    public static Cancellation of(StreamController controller) {
        return Cancellation.of(controller::isCancelled, controller::onCancel);
    }
}
