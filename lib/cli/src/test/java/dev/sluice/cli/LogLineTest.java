package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** serve's stderr is one log: its warnings in the access log's shape, a line each. */
class LogLineTest {
    /** What every line of serve's log starts with: an instant in UTC, then a key=value. */
    private static final Pattern SHAPE =
            Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z [a-z_]+=\\S");

    @Test
    void format_recordWithCauseAndNewlines_oneLineInTheAccessLogsShape() {
        LogRecord record = new LogRecord(Level.WARNING, "stream {0} failed:\nsecond line");
        record.setParameters(new Object[] {"s1"});
        record.setLoggerName("dev.sluice.relay.Relay");
        record.setThrown(new IllegalStateException("outer", new IOException("inner")));

        String line = new LogLine().format(record);

        assertTrue(line.endsWith(System.lineSeparator()) && line.strip().lines().count() == 1, line);
        assertTrue(SHAPE.matcher(line).find(), line);
        assertTrue(
                line.contains(
                        " level=WARNING logger=dev.sluice.relay.Relay message=\"stream s1 failed:\\nsecond line\" "
                                + "error=\"java.lang.IllegalStateException: outer; caused by java.io.IOException: inner\" at=\"dev.sluice.cli.LogLineTest."),
                line);
    }

    @Test
    void format_serverTextWithControlCharacters_escapedForTheTerminal() {
        LogRecord record = new LogRecord(
                Level.WARNING, "upstream said: \u001b]52;c;cGF5bG9hZA==\u0007 \u009b2J \u007f \u2028 \u202egnp.exe");

        String line = new LogLine().format(record);

        assertTrue(line.contains("\\u001b]52;c;cGF5bG9hZA==\\u0007 \\x9B2J \\x7F \\u2028 \\u202Egnp.exe"), line);
        TerminalTextTest.assertNoControls(line.strip());
    }

    @Test
    void install_loggerLetsFineThrough_printsOnlyWhatTheConsoleHandlerPrinted() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(LogLineTest.class.getName() + ".fine");
        logger.setLevel(Level.FINE); // as a test that captures a client's debug logging does
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LogLine.install();
            logger.fine("request body: a prompt");
            logger.warning("shown");
        } finally {
            System.setErr(stderr);
            logger.setLevel(null);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertTrue(
                printed.contains(" level=WARNING logger=dev.sluice.cli.LogLineTest.fine message=\"shown\""), printed);
        assertFalse(printed.contains("a prompt"), "FINE stays off the console, as with JUL's own handler: " + printed);
    }

    @Test
    void serve_streamFails_itsWarningAndItsAccessLineAreOneLineEachOfOneShape() throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (RunningServe serve = RunningServe.start(
                        Map.of("SLUICE_FAKE_TOKENS_PER_SECOND", "0"), "--model", "fake-error-mid-stream");
                HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(serve.uri().resolve("/api/streams"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> serve.err().contains(" end=\"error:")
                            && captured.toString(StandardCharsets.UTF_8).contains("level=WARNING"));

            List<String> access = serve.err()
                    .lines()
                    .filter(l -> !l.startsWith("sluice serve: "))
                    .toList();
            List<String> warnings =
                    captured.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(1, access.size(), serve.err());
            assertTrue(
                    warnings.stream()
                            .anyMatch(l -> l.contains(
                                    " level=WARNING logger=dev.sluice.relay.Relay message=\"relayed stream ")),
                    "the stream's failure, on one line: " + warnings);
            for (String line : concat(access, warnings))
                assertTrue(SHAPE.matcher(line).find(), "not in the log's shape: " + line);
        } finally {
            System.setErr(stderr);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
