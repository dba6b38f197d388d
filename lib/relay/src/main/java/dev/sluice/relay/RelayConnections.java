package dev.sluice.relay;

import jdk.jfr.FlightRecorder;
import org.jspecify.annotations.Nullable;

/**
 * Records relay connections as {@link RelayConnectionEvent}s. While Flight Recorder has not been
 * started in the JVM, a connection costs one volatile read and the event class is never loaded.
 *
 * <p>Threading: a {@link Recording} belongs to the thread delivering its connection.
 */
final class RelayConnections {
    private RelayConnections() {}

    /** One connection's counts; {@link #NONE} when no recording can take the event. */
    public interface Recording {
        /** Counts an event written; {@code replayed} when it came from the replay buffer. */
        void sent(boolean replayed);

        /** Counts a heartbeat written. */
        void heartbeat();

        /**
         * Ends the connection: commits the event when a recording takes it.
         *
         * @param bytesSent bytes written to the client, or -1 when the client cannot tell
         * @param endReason completed, client left, dropped
         */
        void end(long bytesSent, String endReason);
    }

    /** Records nothing. */
    public static final Recording NONE = new Recording() {
        @Override
        public void sent(boolean replayed) {}

        @Override
        public void heartbeat() {}

        @Override
        public void end(long bytesSent, String endReason) {}
    };

    /**
     * {@return the recording of a connection that starts now}
     *
     * @param streamId the relayed stream
     * @param resumedFrom the client's Last-Event-ID, or 0 for a new connection
     * @param remoteAddress the client's address, or null when the caller does not know it
     */
    public static Recording begin(String streamId, long resumedFrom, @Nullable String remoteAddress) {
        if (!FlightRecorder.isInitialized()) return NONE;
        RelayConnectionEvent event = new RelayConnectionEvent();
        if (!event.isEnabled()) return NONE;
        event.begin();
        return new Live(event, streamId, resumedFrom, remoteAddress);
    }

    private static final class Live implements Recording {
        private final RelayConnectionEvent event;
        private final String streamId;
        private final long resumedFrom;
        private final @Nullable String remoteAddress;
        private long sent;
        private long replayed;
        private long heartbeats;

        Live(RelayConnectionEvent event, String streamId, long resumedFrom, @Nullable String remoteAddress) {
            this.event = event;
            this.streamId = streamId;
            this.resumedFrom = resumedFrom;
            this.remoteAddress = remoteAddress;
        }

        @Override
        public void sent(boolean fromReplay) {
            sent++;
            if (fromReplay) replayed++;
        }

        @Override
        public void heartbeat() {
            heartbeats++;
        }

        @Override
        public void end(long bytesSent, String endReason) {
            event.end();
            if (!event.shouldCommit()) return;
            event.streamId = streamId;
            event.remoteAddress = remoteAddress == null ? "" : remoteAddress;
            event.resumedFrom = resumedFrom > 0 ? Long.toString(resumedFrom) : "";
            event.eventsSent = sent;
            event.eventsReplayed = replayed;
            event.heartbeats = heartbeats;
            event.bytesSent = Math.max(0, bytesSent);
            event.endReason = endReason;
            event.commit();
        }
    }
}
