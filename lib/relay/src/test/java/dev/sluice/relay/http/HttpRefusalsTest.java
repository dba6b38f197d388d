package dev.sluice.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.RelayException;
import dev.sluice.SluiceException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRefusalsTest {
    @Test
    void of_relaysOwnRefusal_carriesTheStatusOfItsKindAndKeepsKindTypeAndParam() {
        RelayException e = HttpRefusals.of(
                new RelayException(RelayException.Kind.REPLAY_UNAVAILABLE, "start a new stream", "lastEventId"));
        assertEquals(410, e.statusCode());
        assertEquals(RelayException.Kind.REPLAY_UNAVAILABLE, e.kind());
        assertEquals("replay_unavailable", e.errorType());
        assertEquals("lastEventId", e.param());
        assertSame(e, HttpRefusals.of(e), "a refusal with its status is answered as it is");
    }

    @Test
    void of_serversOwnRule_isARefusedRelayExceptionOfTheFamilyWithStatusTypeAndHeaders() {
        SluiceException e = HttpRefusals.of(429, "too_many_creations", "try again in 3 s", Map.of("Retry-After", "3"));
        RelayException r = (RelayException) e;
        assertEquals(RelayException.Kind.REFUSED, r.kind());
        assertEquals(429, r.statusCode());
        assertEquals(429, HttpRefusals.status(r));
        assertEquals("too_many_creations", r.errorType());
        assertEquals(Map.of("Retry-After", "3"), r.headers());
        assertEquals(
                "{\"error\":{\"type\":\"too_many_creations\",\"message\":\"try again in 3 s\"}}", HttpRefusals.json(r));
    }

    @Test
    void status_relaysRefusalNotYetMapped_isTheOneItsKindMapsTo() {
        assertEquals(0, new RelayException(RelayException.Kind.UNAVAILABLE, "store away").statusCode());
        assertEquals(503, HttpRefusals.status(new RelayException(RelayException.Kind.UNAVAILABLE, "store away")));
        assertEquals(429, HttpRefusals.status(new RelayException(RelayException.Kind.TOO_MANY_STREAMS, "full")));
    }

    @Test
    void of_statusThatIsNoRefusal_throwsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> HttpRefusals.of(200, "ok", "fine"));
        assertThrows(IllegalArgumentException.class, () -> HttpRefusals.of(500, "internal", "no"));
    }
}
