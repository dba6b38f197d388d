package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StatusLineTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void text_beforeAndAfterDeltas_showsWaitThenCountRateAndElapsed() {
        StatusLine line = new StatusLine(err, Terminal.NONE, clock::get);
        assertEquals("waiting for the first token... 1.5 s", line.text(clock.get() + 1_500_000_000L));
        clock.addAndGet(500_000_000L);
        line.delta();
        for (int i = 0; i < 10; i++) {
            clock.addAndGet(100_000_000L);
            line.delta();
        }
        assertEquals("~11 tokens, 10.0 tokens/s, 1.5 s", line.text(clock.get()));
    }

    @Test
    void text_afterStart_elapsedCountsFromTheStartNotFromConstruction() {
        StatusLine line = new StatusLine(err, Terminal.NONE, clock::get);
        clock.addAndGet(2_000_000_000L); // the fake server starting, the client connecting
        line.start();
        assertEquals("waiting for the first token... 0.5 s", line.text(clock.get() + 500_000_000L));
        line.stop();
    }

    @Test
    void println_whileDrawn_erasesTheStatusFirstThenWritesItsLine() {
        StatusLine line = new StatusLine(err, new Terminal(true, false, false), clock::get);
        line.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> written().startsWith("\rwaiting for the first token"));
        line.println("retrying after overloaded_error (1 of 2) in 0.5 s");
        line.stop();
        String out = written();
        assertTrue(
                out.matches("(?s)\rwaiting[^\n]*\r {10,}\rretrying after overloaded_error \\(1 of 2\\) in 0\\.5 s\n.*"),
                out.replace("\r", "\\r"));
    }

    @Test
    void start_notATerminal_writesNothing() {
        StatusLine line = new StatusLine(err, Terminal.NONE, clock::get);
        line.start();
        line.delta();
        line.beforeText();
        line.stop();
        assertEquals("", written());
    }

    @Test
    void start_ownTerminal_drawsWithCarriageReturnAndStopErasesIt() {
        StatusLine line = new StatusLine(err, new Terminal(true, false, false), clock::get);
        line.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> written().startsWith("\rwaiting for the first token"));
        line.beforeText(); // stdout elsewhere: the line stays
        line.stop();
        String out = written();
        assertTrue(out.matches("(?s)\r.*\r {10,}\r"), "ends erased: " + out.replace("\r", "\\r"));
        assertTrue(!out.contains("\n") && !out.contains("\u001b"), "no newline, no ANSI codes");
    }

    @Test
    void beforeText_sharedTerminal_erasesForGood() {
        StatusLine line = new StatusLine(err, new Terminal(true, true, true), clock::get);
        line.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> written().startsWith("\rwaiting"));
        line.beforeText();
        String afterErase = written();
        assertTrue(afterErase.endsWith("\r"), afterErase);
        line.delta();
        line.stop();
        assertEquals(afterErase, written(), "nothing drawn over the answer's text");
    }
}
