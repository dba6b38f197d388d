package dev.sluice.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The WebSocket's frames, read without a server: what the socket answers to each. */
class RelaySocketTest {

    @Test
    void onText_unknownFrameTypeHuge_refusedNamingItShortened() {
        // found by review with RelaySocketFuzzTest's check: the refusal echoed the frame's type whole (up to 64 KiB)
        RecordingPeer peer = new RecordingPeer();
        new RelaySocket(RecordingPeer.refusingEveryStart(), "192.0.2.1", peer)
                .onText("{\"type\":\"" + "t".repeat(5_000) + "\"}");
        assertEquals(1, peer.sent.size());
        String answer = peer.sent.getFirst();
        assertTrue(
                answer.startsWith("{\"type\":\"error\",\"status\":400,")
                        && answer.contains("unknown frame type \\\"ttt"),
                answer);
        assertTrue(answer.length() < 250, answer);
        assertTrue(peer.open);
    }
}
