package dev.sluice.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.RelayException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRefusalTest {
    @Test
    void of_relaysOwnRefusal_carriesTheStatusOfItsKindAndKeepsTypeMessageAndParam() {
        HttpRefusal r = HttpRefusal.of(
                new RelayException(RelayException.Kind.REPLAY_UNAVAILABLE, "start a new stream", "lastEventId"));
        assertEquals(410, r.status());
        assertEquals("replay_unavailable", r.type());
        assertEquals("start a new stream", r.message());
        assertEquals("lastEventId", r.param());
        assertEquals(Map.of(), r.headers());
    }

    @Test
    void of_everyKind_mapsToItsStatus() {
        Map<RelayException.Kind, Integer> expected = Map.of(
                RelayException.Kind.INVALID_REQUEST, 400,
                RelayException.Kind.UNKNOWN_PROVIDER, 400,
                RelayException.Kind.NOT_FOUND, 404,
                RelayException.Kind.REPLAY_UNAVAILABLE, 410,
                RelayException.Kind.PROMPT_TOO_LONG, 413,
                RelayException.Kind.TOO_MANY_STREAMS, 429,
                RelayException.Kind.UNAVAILABLE, 503);
        for (RelayException.Kind kind : RelayException.Kind.values()) {
            assertEquals(
                    expected.get(kind),
                    HttpRefusal.of(new RelayException(kind, "no")).status(),
                    kind::name);
        }
    }

    @Test
    void serversOwnRule_thrownToTheRouter_carriesStatusTypeHeadersAndTheBody() {
        HttpRefusals.Refused thrown =
                HttpRefusals.of(429, "too_many_creations", "try again in 3 s", Map.of("Retry-After", "3"));
        HttpRefusal r = thrown.refusal();
        assertEquals("try again in 3 s", thrown.getMessage());
        assertEquals(429, r.status());
        assertEquals("too_many_creations", r.type());
        assertNull(r.param());
        assertEquals(Map.of("Retry-After", "3"), r.headers());
        assertEquals("{\"error\":{\"type\":\"too_many_creations\",\"message\":\"try again in 3 s\"}}", r.json());
        String openAi = Doors.CHAT_COMPLETIONS.errorJson(r);
        assertTrue(openAi.contains("\"code\":\"too_many_creations\""), openAi);
        String anthropic = Doors.MESSAGES.errorJson(r);
        assertTrue(anthropic.startsWith("{\"type\":\"error\""), anthropic);
    }

    @Test
    void status_thatIsNoRefusal_throwsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> new HttpRefusal(200, "ok", "fine"));
        assertThrows(IllegalArgumentException.class, () -> HttpRefusals.of(500, "internal", "no"));
    }
}
