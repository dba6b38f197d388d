package dev.sluice.internal.stream;

import dev.sluice.sse.SseLimits;
import dev.sluice.stream.Emitter;
import dev.sluice.stream.SseDecoder;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The engine's operations that the clients' plumbing needs and users must not reach: claiming a
 * {@link StreamController} for a call, starting its clocks when the request is sent, and pumping
 * Server-Sent Events into a producer's emitter. The {@code dev.sluice.stream} package hands its
 * implementation over here when {@code StreamController} is initialized, so the operations stay
 * package-private there and this package is not exported: the JDK's own pattern for internal
 * access between its packages. It is the one reference from an exported package to an internal
 * package above it.
 */
public final class EngineAccess {
    // Threading: ops is written once, by the class initializer of StreamController, and read by any thread.

    /** What the {@code dev.sluice.stream} package provides. */
    public interface Operations {
        /**
         * Claims the controller for one stream before anything is sent.
         *
         * @param controller the controller
         * @param callOptions the call's options, taken by a controller without options of its own
         * @throws IllegalStateException if another stream claimed it already
         */
        void claim(StreamController controller, StreamOptions callOptions);

        /**
         * Starts the controller's clocks (first-event and total timeouts, metrics), once.
         *
         * @param controller the controller
         */
        void start(StreamController controller);

        /**
         * Reads a Server-Sent Events body into a stream's emitter (see {@code SseSource.pump}).
         *
         * @param body the response body, attached to the emitter so a cancel closes it
         * @param limits the parser's limits
         * @param decoder turns events into items
         * @param out the stream's emitter
         * @param <T> the item type
         * @throws IOException when reading fails
         */
        <T> void pumpSse(InputStream body, SseLimits limits, SseDecoder<T> decoder, Emitter<T> out) throws IOException;

        /** {@return the metrics of the controller's stream, or null when it has none (its opening failed)} */
        dev.sluice.stream.StreamMetrics metrics(StreamController controller);

        /** {@return the failure the controller's stream ended with, or null (none, still running, or no stream)} */
        dev.sluice.SluiceException failure(StreamController controller);

        /**
         * Ends a stream normally after the items emitted so far, with a reason of its own (as the
         * chunk limit does), from its producer thread.
         *
         * @param out the stream's own emitter (the engine's, not a wrapper)
         * @param reason why it ended
         * @return false: the stream is over
         * @throws IllegalArgumentException if {@code out} is not the engine's emitter
         */
        boolean endAfterEmitted(Emitter<?> out, dev.sluice.stream.EndReason reason);
    }

    private static volatile Operations ops;

    private EngineAccess() {}

    /**
     * Called once, by {@code StreamController}'s class initializer.
     *
     * @param operations the engine's operations
     * @throws IllegalStateException if called again
     */
    public static void register(Operations operations) {
        Objects.requireNonNull(operations, "operations");
        if (ops != null) throw new IllegalStateException("the engine's operations are registered already");
        ops = operations;
    }

    /** {@return the engine's operations} */
    public static Operations engine() {
        Operations o = ops;
        if (o == null) {
            try { // initializes StreamController, which registers
                Class.forName(StreamController.class.getName(), true, StreamController.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError("StreamController is not on the class path", e);
            }
            o = ops;
        }
        return o;
    }
}
