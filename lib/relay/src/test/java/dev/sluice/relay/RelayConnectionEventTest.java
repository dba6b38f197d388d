package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/** The relay's event as the relay will commit it (see its Javadoc): its name and fields reach a recording. */
class RelayConnectionEventTest {
    @Test
    void commit_withFields_isRecordedUnderItsName() {
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        try (RecordingStream r = new RecordingStream()) {
            r.enable("dev.sluice.RelayConnection");
            r.onEvent("dev.sluice.RelayConnection", seen::add);
            r.startAsync();
            RelayConnectionEvent e = new RelayConnectionEvent();
            e.begin();
            if (e.shouldCommit()) {
                e.streamId = "s-1";
                e.remoteAddress = "127.0.0.1:50000";
                e.resumedFrom = "41";
                e.eventsSent = 12;
                e.eventsReplayed = 3;
                e.heartbeats = 2;
                e.bytesSent = 2048;
                e.endReason = "client left";
                e.commit();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 1);
        }
        RecordedEvent e = seen.get(0);
        assertEquals("s-1", e.getString("streamId"));
        assertEquals("41", e.getString("resumedFrom"));
        assertEquals(12, e.getLong("eventsSent"));
        assertEquals(3, e.getLong("eventsReplayed"));
        assertEquals(2048, e.getLong("bytesSent"));
        assertEquals("client left", e.getString("endReason"));
    }
}
