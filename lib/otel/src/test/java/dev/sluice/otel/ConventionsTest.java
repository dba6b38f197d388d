package dev.sluice.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.client.StreamEnd;
import dev.sluice.client.StreamStart;
import dev.sluice.stream.EndReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The error types no fake server produces: ends a stream observer can be told of without a Sluice exception. */
class ConventionsTest {
    private static StreamEnd endedWithoutFailure(EndReason reason) {
        StreamStart start = new StreamStart("anthropic", "chat", "claude-sonnet-4-5", "127.0.0.1", 8080, 0);
        return new StreamEnd(start, reason, null, null, Duration.ofMillis(5), null, 0, 0, -1, -1, 0);
    }

    @Test
    void errorType_failedWithoutASluiceException_isOther() {
        // an opening that threw something outside the family (a RuntimeException of a caller's HttpClient)
        assertEquals("_OTHER", Conventions.errorType(endedWithoutFailure(EndReason.FAILED)));
    }

    @Test
    void errorType_endedNormallyWithoutFailure_isNone() {
        for (EndReason normal :
                new EndReason[] {EndReason.COMPLETED, EndReason.CANCELLED, EndReason.CHUNK_LIMIT, EndReason.TOKEN_BUDGET
                }) {
            assertNull(Conventions.errorType(endedWithoutFailure(normal)), normal.name());
        }
    }
}
