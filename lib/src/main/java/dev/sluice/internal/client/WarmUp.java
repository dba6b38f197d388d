package dev.sluice.internal.client;

import dev.sluice.stream.Emitter;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.Producer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads and initialises, on a background virtual thread, the code a client's first stream runs,
 * while the caller's thread builds the client's {@code HttpClient} (its TLS set-up takes a few
 * hundred milliseconds on a fresh JVM and uses one core). A fresh JVM's first stream then finds
 * the JSON, SSE and stream-engine classes already loaded, linked and initialised: on 2 cores the
 * time from the JVM's start to the first event is shorter by the part of that work done in parallel.
 *
 * <p>Runs once per JVM for the engine and once per provider. It only loads and runs Sluice's own
 * code on built-in inputs: no network, no user data, no effect on any stream. A failure is logged
 * at DEBUG and otherwise ignored (the first stream then does the work itself, as without it).
 *
 * <p>Thread-safe.
 */
public final class WarmUp {
    private static final System.Logger LOG = System.getLogger(WarmUp.class.getName());
    private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

    private WarmUp() {}

    /**
     * Starts the warm-up for {@code provider} unless it already ran in this JVM.
     *
     * @param provider names the provider's part ("anthropic")
     * @param providerPart what only the provider's streams run: its request writer, decoder and
     *     accumulator on a built-in message
     */
    public static void start(String provider, Runnable providerPart) {
        if (!STARTED.add(provider)) return;
        boolean engine = STARTED.add("engine");
        Thread.ofVirtual().name("sluice-warm-up").start(new Task(provider, providerPart, engine));
    }

    // Small classes, not lambdas: a fresh JVM links each lambda the first time it runs, which would
    // add to the work the warm-up is there to take off the first stream's path.

    /** The warm-up thread: the provider's part, then the engine's when this is the first warm-up. */
    private static final class Task implements Runnable {
        private final String provider;
        private final Runnable providerPart;
        private final boolean engine;

        Task(String provider, Runnable providerPart, boolean engine) {
            this.provider = provider;
            this.providerPart = providerPart;
            this.engine = engine;
        }

        @Override
        public void run() {
            WarmUp.run(provider, providerPart);
            if (engine) WarmUp.run("engine", new Engine());
        }
    }

    /** The engine's part: see {@link #engine()}. */
    private static final class Engine implements Runnable {
        @Override
        public void run() {
            engine();
        }
    }

    /** The engine warm-up's producer: one counted and one uncounted item. */
    private static final class TwoItems implements Producer<String> {
        @Override
        public void produce(Emitter<String> out) {
            out.emit("a");
            out.emitUncounted("b");
        }
    }

    private static void run(String what, Runnable part) {
        try {
            part.run();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError v) throw v;
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "the " + what + " warm-up failed; ignored: " + e);
            }
        }
    }

    /** The stream engine: a two-item stream through the queue, and the transport's classes. */
    private static void engine() {
        try (EventStream<String> s = EventStream.<String>builder().threadName("sluice-warm-up-stream")
                .generate(new TwoItems())) {
            for (String ignored : s) {
                // drained: the consumer's side runs too
            }
        }
        for (String name : new String[] {"dev.sluice.internal.http.LosslessBodyStream",
                "dev.sluice.internal.stream.StreamingCall", "dev.sluice.internal.stream.StreamingCall$Attempt",
                "dev.sluice.internal.stream.StreamingCall$Run", "dev.sluice.stream.SseSource"}) {
            try {
                Class.forName(name, true, WarmUp.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
