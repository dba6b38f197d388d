package dev.sluice.internal.low.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ExcerptsTest {
    private static final String SECRET = "sk_live_0123456789abcdef";
    private static final UnaryOperator<String> REDACT = s -> s.replace(SECRET, "[redacted]");

    @Test
    void noRedactionSet_cutAtMaxWithAnEllipsis() {
        assertEquals("abc…", Excerpts.of("abcdef", 3));
        assertEquals("abc", Excerpts.of("abc", 3));
    }

    @Test
    void aSecretAcrossTheCut_redactedBeforeTheCut_noPieceOfItShown() {
        String data = "x".repeat(10) + SECRET + "y".repeat(5000);
        UnaryOperator<String> before = Excerpts.redacting(REDACT);
        try {
            String shown = Excerpts.of(data, 20);
            assertEquals("x".repeat(10) + "[redacted]…", shown);
            assertFalse(shown.contains("sk_"), shown);
        } finally {
            Excerpts.redacting(before);
        }
        assertEquals("x".repeat(10) + SECRET.substring(0, 10) + "…", Excerpts.of(data, 20)); // restored: none
    }

    @Test
    void cutBeforeTheRedactionShortensItUnderMax_stillEndsInAnEllipsis() {
        UnaryOperator<String> before = Excerpts.redacting(s -> s.replace("X", ""));
        try {
            assertEquals("a…", Excerpts.of("a" + "X".repeat(5000) + "b", 20));
            assertEquals("ab", Excerpts.of("a" + "X".repeat(100) + "b", 20)); // nothing cut: nothing left out
        } finally {
            Excerpts.redacting(before);
        }
    }

    @Test
    void redacting_returnsTheRedactionItReplaces_nullForNone() {
        assertNull(Excerpts.redacting(REDACT));
        assertEquals(REDACT, Excerpts.redacting(null));
        assertNull(Excerpts.redacting(null));
    }
}
