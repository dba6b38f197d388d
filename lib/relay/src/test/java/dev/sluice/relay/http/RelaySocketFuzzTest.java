package dev.sluice.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.chat.PartialJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fuzzes the WebSocket's frames from the client, {@link RelaySocket#onText}: any text, as the
 * server hands it over. The relay behind it runs no stream (its one model is not allowed, and its
 * source fails at once), so each frame is read, checked and refused at once. For any frame: nothing is thrown to
 * the server, the socket stays open, and a frame gets at most one answer, a refusal of the shape
 * the socket documents: {@code {"type":"error","status":4xx,"error":{"type","message"}}}, its
 * message at most 1,000 characters (a frame's content is shown shortened, never whole). The
 * committed inputs in {@code RelaySocketFuzzTestInputs/onText} replay in every build.
 */
class RelaySocketFuzzTest {
    private static final RelayAdmission HTTP = RecordingPeer.refusingEveryStart();

    @DictionaryEntries({
        "\"type\":",
        "\"start\"",
        "\"cancel\"",
        "\"resume\"",
        "\"stream\":",
        "\"lastEventId\":",
        "\"prompt\":",
        "\"messages\":",
        "\"maxTokens\":",
        "\"provider\":",
        "\"model\":"
    })
    @FuzzTest
    void onText(byte[] input) {
        RecordingPeer peer = new RecordingPeer();
        RelaySocket socket = new RelaySocket(HTTP, "192.0.2.1", peer);
        socket.onText(new String(input, StandardCharsets.UTF_8));
        socket.onClose();
        assertTrue(peer.open, "the socket was closed");
        assertTrue(peer.sent.size() <= 1, () -> "more than one answer to a frame: " + peer.sent);
        for (String answer : peer.sent) {
            PartialJson.Result parsed = PartialJson.parse(answer);
            assertTrue(parsed.isValid() && parsed.value() instanceof Map<?, ?>, () -> "not a JSON object: " + answer);
            Map<?, ?> frame = (Map<?, ?>) parsed.value();
            assertEquals("error", frame.get("type"), answer);
            assertTrue(frame.get("status") instanceof Long s && s >= 400 && s < 500, answer);
            assertTrue(
                    frame.get("error") instanceof Map<?, ?> e
                            && e.get("type") instanceof String
                            && e.get("message") instanceof String m
                            && !m.isBlank()
                            && m.length() <= 1000,
                    answer);
        }
    }
}
