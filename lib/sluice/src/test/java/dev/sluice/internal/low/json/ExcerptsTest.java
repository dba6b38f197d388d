package dev.sluice.internal.low.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ExcerptsTest {
    private static final String SECRET = "sk_live_0123456789abcdef";
    private static final UnaryOperator<String> REDACT = s -> s.replace(SECRET, "[redacted]");

    @Test
    void noRedactionSet_cutAtMaxWithAnEllipsis() {
        assertEquals("abc…", Excerpts.shownOnThisThread("abcdef", 3));
        assertEquals("abc", Excerpts.shownOnThisThread("abc", 3));
    }

    @Test
    void aSecretAcrossTheCut_redactedBeforeTheCut_noPieceOfItShown() {
        String data = "x".repeat(10) + SECRET + "y".repeat(5000);
        try (Excerpts.ThreadRedaction r = Excerpts.redactOnThisThread(REDACT)) {
            String shown = Excerpts.shownOnThisThread(data, 20);
            assertEquals("x".repeat(10) + "[redacted]…", shown);
            assertFalse(shown.contains("sk_"), shown);
        }
        assertEquals(
                "x".repeat(10) + SECRET.substring(0, 10) + "…", Excerpts.shownOnThisThread(data, 20)); // restored: none
    }

    @Test
    void cutBeforeTheRedactionShortensItUnderMax_stillEndsInAnEllipsis() {
        try (Excerpts.ThreadRedaction r = Excerpts.redactOnThisThread(s -> s.replace("X", ""))) {
            assertEquals("a…", Excerpts.shownOnThisThread("a" + "X".repeat(5000) + "b", 20));
            // nothing cut: nothing left out
            assertEquals("ab", Excerpts.shownOnThisThread("a" + "X".repeat(100) + "b", 20));
        }
    }

    @Test
    void redactOnThisThread_nestedScopes_closingRestoresTheOneReplaced() {
        try (Excerpts.ThreadRedaction outer = Excerpts.redactOnThisThread(s -> s.replace("a", "A"))) {
            try (Excerpts.ThreadRedaction inner = Excerpts.redactOnThisThread(s -> s.replace("a", "B"))) {
                assertEquals("B", Excerpts.shownOnThisThread("a", 20));
            }
            assertEquals("A", Excerpts.shownOnThisThread("a", 20));
        }
        assertEquals("a", Excerpts.shownOnThisThread("a", 20));
    }
}
