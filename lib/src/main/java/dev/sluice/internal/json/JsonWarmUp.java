package dev.sluice.internal.json;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Initialises {@link Json} (Jackson's databind, a few hundred classes: about a quarter of a
 * second on a fresh JVM) on a background thread, so that it overlaps other start-up work — a
 * client starts it before it creates its {@code HttpClient}, which costs as much — instead of
 * adding to the time to the first event. Using {@link Json} while the warm-up runs simply waits
 * for it (the JVM's class initialisation lock), so this changes when the work happens, never
 * what it does.
 *
 * <p>Thread-safe; this class itself does not touch {@link Json} until the thread runs.
 */
public final class JsonWarmUp {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private JsonWarmUp() {}

    /** Starts the warm-up, once per JVM; later calls do nothing. {@return whether this call started it} */
    public static boolean start() {
        if (!STARTED.compareAndSet(false, true)) return false;
        Thread.ofPlatform().daemon().name("sluice-json-warm-up").start(JsonWarmUp::load);
        return true;
    }

    private static void load() {
        Json.FACTORY.getCodec(); // initialises Json: the mapper and its factory
    }
}
