package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sluice sse-dump}, run in-process on files, against hand-checked expected output. */
class SseDumpCommandTest {

    record Result(int exit, String out, String err) {}

    static Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Sluice.run(
                List.of(args),
                new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path resource(String name) {
        try {
            return Path.of(
                    SseDumpCommandTest.class.getResource("/sse-dump/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String expected(String name) throws IOException {
        return Files.readString(resource(name), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({
        "edge.sse, edge.expected.jsonl, 1",
        "edge.sse, edge.expected.jsonl, 8192",
        "edge.sse, edge.expected.jsonl, 3",
        "text-basic.sse, text-basic.expected.jsonl, 1",
        "text-basic.sse, text-basic.expected.jsonl, 8192"
    })
    void run_file_printsOneJsonLinePerEvent(String file, String expected, int chunkSize) throws IOException {
        Result r = run(
                new byte[0],
                "sse-dump",
                "--chunk-size",
                String.valueOf(chunkSize),
                resource(file).toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(expected(expected), r.out());
        assertEquals("", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-"})
    void run_stdin_readsStdin(String dash) throws IOException {
        byte[] in = Files.readAllBytes(resource("edge.sse"));
        Result r = dash.isEmpty() ? run(in, "sse-dump") : run(in, "sse-dump", dash);
        assertEquals(0, r.exit(), r.err());
        assertEquals(expected("edge.expected.jsonl"), r.out());
    }

    @Test
    void run_defaultChunkSize_isOnePieceForSmallInput() throws IOException {
        Result r = run(new byte[0], "sse-dump", resource("text-basic.sse").toString());
        assertEquals(expected("text-basic.expected.jsonl"), r.out());
    }

    @Test
    void run_lineLimitExceeded_printsEarlierEventsThenErrorAndExitsOne() {
        byte[] in =
                ("data: short\n\ndata: " + "x".repeat(100) + "\n\ndata: never\n\n").getBytes(StandardCharsets.UTF_8);
        Result r = run(in, "sse-dump", "--chunk-size", "1", "--max-line-bytes", "50");
        assertEquals(1, r.exit());
        assertEquals("{\"event\":\"message\",\"data\":\"short\",\"id\":null,\"retry\":null}\n", r.out());
        assertTrue(r.err().startsWith("error: an SSE line of more than 50 bytes"), r.err());
        assertTrue(r.err().contains("maxLineBytes"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void run_eventLimitExceeded_exitsOneNamingLimit() {
        byte[] in = "data: 0123456789\ndata: 0123456789\n\n".getBytes(StandardCharsets.UTF_8);
        Result r = run(in, "sse-dump", "--max-event-bytes", "15");
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("error: an SSE event of more than 15 bytes"), r.err());
    }

    @Test
    void run_missingFile_exitsOneWithOneErrorLine(@TempDir Path dir) {
        Result r = run(new byte[0], "sse-dump", dir.resolve("absent.sse").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("error: cannot read "), r.err());
        assertTrue(r.err().contains("no such file"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void run_readFailsMidway_printsEventsBeforeThenError() {
        InputStream failing = new InputStream() {
            private final byte[] first = "data: a\n\n".getBytes(StandardCharsets.UTF_8);
            private int at;

            @Override
            public int read() throws IOException {
                if (at < first.length) return first[at++];
                throw new IOException("connection reset");
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Sluice.run(
                List.of("sse-dump", "--chunk-size", "4"),
                failing,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, exit);
        assertEquals(
                "{\"event\":\"message\",\"data\":\"a\",\"id\":null,\"retry\":null}\n",
                out.toString(StandardCharsets.UTF_8));
        assertEquals(
                "error: cannot read stdin: connection reset\n",
                err.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc", "1.5", "67108865"})
    void run_badChunkSize_isUsageErrorExitTwo(String size) {
        Result r = run(new byte[0], "sse-dump", "--chunk-size", size);
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("error: --chunk-size"), r.err());
        CliAssertions.assertUsageError(r.err(), "sse-dump");
        assertEquals("", r.out());
    }

    @Test
    void run_unknownFlagOrTwoFiles_isUsageErrorExitTwo() {
        assertEquals(2, run(new byte[0], "sse-dump", "--bogus").exit());
        assertEquals(2, run(new byte[0], "sse-dump", "a.sse", "b.sse").exit());
    }

    @Test
    void run_help_printsUsageExitZero() {
        Result r = run(new byte[0], "sse-dump", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("usage: sluice sse-dump"), r.out());
    }

    @Test
    void help_listsSseDump() {
        assertTrue(run(new byte[0], "--help").out().contains("sse-dump"));
    }

    @Test
    void run_retryAndIds_reportStateInEffectAtDispatch() {
        byte[] in = "data: a\n\nretry: 10\nid: 5\ndata: b\n\nretry: x\nid: 6\0\ndata: c\n\n"
                .getBytes(StandardCharsets.UTF_8);
        Result r = run(in, "sse-dump", "--chunk-size", "2");
        assertEquals("""
                {"event":"message","data":"a","id":null,"retry":null}
                {"event":"message","data":"b","id":"5","retry":10}
                {"event":"message","data":"c","id":"5","retry":10}
                """, r.out());
    }
}
