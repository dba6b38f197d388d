package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An {@link ApiException}'s error type is a short identifier, whatever a server put there. */
class ApiExceptionTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "overloaded_error",
                "RESOURCE_EXHAUSTED",
                "http_error_502",
                "unknown",
                "rate_limit_exceeded",
                "a",
                "invalid.request-error",
                "x234567890123456789012345678901234567890123456789012345678901234"
            })
    void errorType_shortIdentifier_keptAsSent(String type) {
        ApiException e = new ApiException(400, type, "m", false, null);
        assertEquals(type, e.errorType());
        assertTrue(e.getMessage().startsWith("API error " + type + " (HTTP 400): m"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "invalid request",
                "[redacted]",
                "sk-ant-api03/key=abc",
                "9lives",
                "_private",
                "type\n",
                "x2345678901234567890123456789012345678901234567890123456789012345",
                "<script>alert(1)</script>",
                "typé"
            })
    void errorType_notAShortIdentifier_upstreamError(String type) {
        ApiException e = new ApiException(200, type, "m", true, null);
        assertEquals("upstream_error", e.errorType());
        if (!type.isBlank()) {
            assertFalse(e.getMessage().contains(type), e.getMessage());
            assertFalse(e.toString().contains(type), e.toString());
        }
    }
}
