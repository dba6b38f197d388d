package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The clients under LangChain4j and Spring AI consume the whole stream, and their cancels reach the
 * server as {@link CancelTrials} reports them. Spring AI's own model ({@code sai}) does not run on
 * this class path (it is built on the SDK core 2.x, the benchmarks' SDK comparison holds 3.x):
 * {@code frameworks.sh --smoke} runs it on its own.
 */
class FrameworkClientsTest {

    @Test
    void frameworkClients_realText_countEveryDeltaAndAccumulateTheWholeTextTwice() throws Exception {
        BenchStream stream = BenchStream.realText(300);
        Expected expected = Expected.of(stream);
        try (BenchServer server = BenchServer.start(stream)) {
            for (String kind : List.of("lc4j", "sluice-lc4j", "sluice-sai")) {
                try (BenchClient client = BenchClient.create(kind, server.baseUrl(), false)) {
                    for (int i = 0; i < 2; i++) {
                        BenchClient.Result r = expected.check(kind, client.stream(new Windows(100, new long[3])));

                        assertEquals(300, r.events(), kind);
                        assertTrue(r.firstEventNanos() != 0, kind);
                    }
                }
            }
        }
    }

    @Test
    void cancelTrials_sluiceUnderEitherFramework_closeTheSocketAlsoBeforeTheFirstByte() throws Exception {
        try (BenchServer server =
                BenchServer.startPaced(BenchStream.realText(2_000), Duration.ofMillis(2), Duration.ofSeconds(1))) {
            for (String kind : List.of("sluice-lc4j", "sluice-sai")) {
                List<String[]> lines = trials(kind, server);

                assertEquals(4, lines.size(), kind);
                for (String[] f : lines) {
                    assertEquals("closed", f[4], kind + " " + String.join(" ", f));
                    if (f[1].equals("before")) {
                        assertEquals(
                                "0", f[5], "no event written before the close: " + kind + " " + String.join(" ", f));
                        assertEquals("0", f[6], kind);
                    } else {
                        assertEquals(Integer.toString(3), f[6], kind);
                    }
                }
            }
        }
    }

    @Test
    void cancelTrials_langChain4jsOwnModelBeforeTheFirstByte_closesOnlyOnceAnEventCame() throws Exception {
        try (BenchServer server =
                BenchServer.startPaced(BenchStream.realText(2_000), Duration.ofMillis(2), Duration.ofSeconds(1))) {
            for (String[] f : trials("lc4j", server)) {
                assertEquals("closed", f[4], String.join(" ", f));
                if (f[1].equals("before")) {
                    assertTrue(
                            Long.parseLong(f[5]) >= 1, "the handler's first callback cancels: " + String.join(" ", f));
                    assertTrue(
                            Long.parseLong(f[3]) >= 500_000,
                            "not before the first byte, 800 ms after the cancel: " + String.join(" ", f));
                }
            }
        }
    }

    /** Two trials of each kind (after 3 partials; 200 ms after the call): the lines, split. */
    private static List<String[]> trials(String kind, BenchServer server) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CancellableBenchClient client =
                        (CancellableBenchClient) BenchClient.create(kind, server.baseUrl(), false);
                PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            CancelTrials.run(client, server.baseUrl(), 2, 3, Duration.ofMillis(200), out);
        }
        return bytes.toString(StandardCharsets.UTF_8)
                .lines()
                .map(l -> l.split(" "))
                .toList();
    }
}
