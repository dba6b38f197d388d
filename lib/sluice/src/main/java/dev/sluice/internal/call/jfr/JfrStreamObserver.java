package dev.sluice.internal.call.jfr;

import dev.sluice.client.StreamEnd;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import jdk.jfr.FlightRecorder;

/**
 * The observer every client has: records each stream as a {@link StreamEvent}. The event begins at
 * the start and is committed at the end when a recording takes it ({@code shouldCommit()}). While
 * Flight Recorder has not been started in the JVM, a stream costs one volatile read and the event
 * class is never loaded (its first use costs a fresh JVM hundreds of milliseconds); a recording
 * started later, by {@code jcmd JFR.start} say, sees the streams that start after it.
 */
public final class JfrStreamObserver implements StreamObserver {
    /** The one instance. */
    public static final JfrStreamObserver INSTANCE = new JfrStreamObserver();

    private JfrStreamObserver() {}

    /**
     * Loads the event class now, when Flight Recorder is running: JFR registers an event class as
     * it is first used, which takes a while (hundreds of milliseconds in a fresh JVM); better when
     * a client is built than on a stream's way to its request. Without Flight Recorder, nothing:
     * the event class is not even loaded.
     */
    public static void prepare() {
        if (FlightRecorder.isInitialized()) new StreamEvent();
    }

    @Override
    public Observation onStart(StreamStart start) {
        if (!FlightRecorder.isInitialized()) return Observation.NONE; // no recording can take it: nothing loaded
        StreamEvent event = new StreamEvent();
        if (!event.isEnabled()) return Observation.NONE;
        event.begin();
        // The event's duration runs from here; creating it can take milliseconds (JFR registers an
        // event class on first use), so the time to first event is measured from here too.
        long late = System.nanoTime() - start.startNanos();
        return new Recording(event, late);
    }

    /** One stream's event; begun on the opening thread, committed on the ending thread. */
    private static final class Recording implements Observation {
        private final StreamEvent event;
        private final long late; // nanoseconds between the stream's start and the event's begin, on the system clock

        Recording(StreamEvent event, long late) {
            this.event = event;
            this.late = late;
        }

        @Override
        public void onEnd(StreamEnd end) {
            event.end();
            if (!event.shouldCommit()) return;
            StreamStart s = end.start();
            event.provider = s.provider();
            event.model = s.model();
            event.server = s.serverAddress() + ":" + s.serverPort();
            event.requestId = end.requestId().orElse("");
            long ttfe = end.timeToFirstChunk().map(d -> d.toNanos()).orElse(0L);
            // on the system clock the event began `late` after the stream: count from its begin
            event.timeToFirstEvent = late > 0 && late < ttfe ? ttfe - late : ttfe;
            event.events = end.chunks();
            event.bytes = end.bytes();
            event.inputTokens = end.inputTokens().orElse(0);
            event.outputTokens = end.outputTokens().orElse(0);
            event.endReason = end.endReason().name();
            event.failure = end.failure().map(f -> f.getClass().getSimpleName()).orElse("");
            event.retries = end.retries();
            event.commit();
        }
    }
}
