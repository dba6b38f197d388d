package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server's control characters reach no terminal through the tool's stderr: error lines, retries,
 * tool progress and MCP messages show them escaped ({@link TerminalText}); model text on stdout stays exact.
 */
class TerminalTextTest {
    /** What a hostile server sends: an OSC 52 clipboard write, a title change, colour, BEL, NUL, CSI in C1, DEL, U+2028, a bidi override. */
    static final String HOSTILE = "\u001b]52;c;cGF5bG9hZA==\u0007\u001b]0;pwned\u0007\u001b[31mred\u0000 \u009b2J\u007f"
            + " a\u2028b \u202egnp.exe\rforged";

    /** Asserts that {@code s} holds no control character but tab and line ends, no separator and no bidi control. */
    static void assertNoControls(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean allowed = c == '\t' || c == '\n';
            assertFalse(
                    !allowed
                            && (c < 0x20
                                    || (c >= 0x7f && c <= 0x9f)
                                    || c == '\u2028'
                                    || c == '\u2029'
                                    || (c >= '\u202a' && c <= '\u202e')
                                    || (c >= '\u2066' && c <= '\u2069')),
                    () -> "U+" + Integer.toHexString(c) + " reached the terminal: " + s);
        }
    }

    @Test
    void escape_everyControlButTab_shownAsEscapes() {
        assertEquals(
                "\\x1B]52;c;cGF5bG9hZA==\\x07\\x1B]0;pwned\\x07\\x1B[31mred\\x00 \\x9B2J\\x7F a\\u2028b \\u202Egnp.exe\\x0Dforged",
                TerminalText.escape(HOSTILE));
        assertEquals("tab\tstays, é and 🌊 too", TerminalText.escape("tab\tstays, é and 🌊 too"));
        assertEquals("one\\x0Aline", TerminalText.escape("one\nline"));
        assertEquals("lines\nof our own\r", TerminalText.escape("lines\nof our own\r", true));
    }

    @Test
    void stderr_printlnIsOneLine_printKeepsTheToolsLayout() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = TerminalText.stderr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertSame(err, TerminalText.stderr(err));

        err.print("\n");
        err.println("error: " + HOSTILE + "\nerror: forged too");
        err.printf("%s%n", "\u001b[2J");
        err.print("\rstatus\r");

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\nerror: \\x1B]52;"), out);
        assertEquals(3, out.chars().filter(c -> c == '\n').count(), out); // the tool's own three
        assertTrue(out.contains("\\x0Aerror: forged too\n"), out);
        assertTrue(out.endsWith("\\x1B[2J\n\rstatus\r"), out);
    }

    @Test
    void stream_serverErrorWithControlCharacters_theErrorLineShowsThemEscaped_stdoutExact() {
        try (FakeLlmServer server = FakeLlmServer.builder().start()) {
            Map<String, String> env =
                    Map.of("ANTHROPIC_BASE_URL", server.baseUrl().toString(), "ANTHROPIC_API_KEY", "sk-ant-test-key");
            server.enqueue(FakeResponse.apiError(400, "invalid_request_error", HOSTILE));
            StreamCommandTest.Result failed = StreamCommandTest.run(env, Terminal.NONE, "hi");

            assertEquals(1, failed.code(), failed.err());
            assertTrue(failed.err().startsWith("error: "), failed.err());
            assertTrue(failed.err().contains("\\x1B]52;c;cGF5bG9hZA==\\x07"), failed.err());
            assertNoControls(failed.err());

            server.enqueue(FakeResponse.answer().text("model text \u001b[1mstays\u001b[0m exact"));
            StreamCommandTest.Result answered = StreamCommandTest.run(env, Terminal.NONE, "hi");

            assertEquals(0, answered.code(), answered.err());
            assertEquals("model text \u001b[1mstays\u001b[0m exact", answered.out());
        }
    }
}
