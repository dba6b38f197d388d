package dev.sluice.mcp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import dev.sluice.McpException;
import dev.sluice.ProcessStarts;
import dev.sluice.stream.LogCapture;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McpClientStdioTest {
    @TempDir
    Path dir;

    private McpClient client;

    @AfterEach
    void stop() {
        if (client != null) client.close();
    }

    /** {@return the command that runs the fake stdio server with the test JVM's java} */
    private List<String> command(String era) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes = Path.of(FakeStdioMcpServer.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                + File.pathSeparator
                + Path.of(McpClient.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                + File.pathSeparator
                + Path.of(JsonFactory.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI());
        return new ArrayList<>(
                List.of(java, "-cp", classes, FakeStdioMcpServer.class.getName(), era, log().toString()));
    }

    private Path log() {
        return dir.resolve("server.log");
    }

    private List<String> logged() throws Exception {
        return Files.exists(log()) ? Files.readAllLines(log()) : List.of();
    }

    private McpTool tool(String name) {
        return client.tools().stream()
                .filter(t -> t.modelName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void stdio_modernServer_discoversAndCallsWithProgress() throws Exception {
        client = McpClient.stdio(command("modern"));
        assertTrue(client.modern());
        assertEquals("fake-stdio", client.name());
        assertEquals(FakeMcp.INSTRUCTIONS, client.instructions().orElseThrow());
        RecordingProgress context = new RecordingProgress();
        assertEquals("done after 4 steps", context.call(tool("steps"), Map.of("steps", 4L)));
        assertEquals(List.of("step 1 1/4", "step 2 2/4", "step 3 3/4", "step 4 4/4"), context.reports);
        assertEquals("Echo: hé", new RecordingProgress().call(tool("echo"), Map.of("message", "hé")));
        assertFalse(logged().contains("initialize"));
    }

    @Test
    void stdio_legacyServer_fallsBackToInitialize() throws Exception {
        client = McpClient.builder().name("legacy").stdio(command("legacy")).build();
        assertFalse(client.modern());
        assertEquals("legacy", client.name());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> logged().equals(List.of("server/discover", "initialize", "notifications/initialized")));
        assertEquals("Echo: x", new RecordingProgress().call(tool("echo"), Map.of("message", "x")));
    }

    @Test
    void call_serverExitsMidCall_failsWithExitCodeAndStderr() throws Exception {
        client = McpClient.builder().name("dying").stdio(command("modern")).build();
        McpException e = assertThrows(McpException.class, () -> new RecordingProgress().call(tool("die"), Map.of()));
        assertEquals(McpException.Kind.UNAVAILABLE, e.kind());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "MCP server 'dying' failed during the call of tool 'die': the server process exited with code 3"),
                e.getMessage());
        assertTrue(
                e.getMessage().endsWith("its stderr ends: fake stdio server starting fatal: out of cheese"),
                e.getMessage());
    }

    @Test
    void call_cancelled_sendsNotificationsCancelled() throws Exception {
        client = McpClient.stdio(command("modern"));
        RecordingProgress context = new RecordingProgress();
        McpTool stall = tool("stall");
        CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> {
            try {
                return context.call(stall, Map.of());
            } catch (Exception e) {
                return e.getMessage();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> logged().contains("tools/call"));
        context.cancelled = true;
        assertEquals("the call of tool 'stall' of MCP server 'fake-stdio' was cancelled", call.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> logged().stream().anyMatch(l -> l.startsWith("cancelled ")));
    }

    @Test
    void call_callerInterrupted_cancelsAndKeepsTheInterrupt() throws Exception {
        client = McpClient.stdio(command("modern"));
        McpTool stall = tool("stall");
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(stall.call(Map.of(), ProgressListener.NONE));
            } catch (McpException e) {
                outcome.complete(e.kind() + " " + e.getMessage() + " interrupted="
                        + Thread.currentThread().isInterrupted());
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> logged().contains("tools/call"));
        caller.interrupt();
        assertEquals(
                "CANCELLED the call of tool 'stall' of MCP server 'fake-stdio' was cancelled interrupted=true",
                outcome.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> logged().stream().anyMatch(l -> l.startsWith("cancelled ")));
    }

    @Test
    void call_listenerThrows_theFailureReachesTheCallerAndTheCallIsCancelled() throws Exception {
        client = McpClient.stdio(command("modern"));
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> tool("steps").call(Map.of("steps", 4L, "delayMs", 2000L), (message, progress, total) -> {
                    throw new IllegalStateException("listener failed at " + message);
                }));
        assertEquals("listener failed at step 1", e.getMessage());
        await().atMost(Duration.ofSeconds(5)).until(() -> logged().stream().anyMatch(l -> l.startsWith("cancelled ")));
    }

    @Test
    void call_stalled_timesOutAndNotifies() throws Exception {
        client = McpClient.builder()
                .stdio(command("legacy"))
                .progressTimeout(Duration.ofMillis(400))
                .build();
        McpException e = assertThrows(McpException.class, () -> new RecordingProgress().call(tool("stall"), Map.of()));
        assertEquals(McpException.Kind.TIMEOUT, e.kind());
        await().atMost(Duration.ofSeconds(5)).until(() -> logged().stream().anyMatch(l -> l.startsWith("cancelled ")));
    }

    @Test
    void close_endsTheProcess() throws Exception {
        client = McpClient.stdio(command("modern"));
        Process process = ((StdioProcess) transport(client)).process();
        client.close();
        assertFalse(process.isAlive());
        assertTrue(logged().contains("stdin closed"), logged().toString());
        McpException e = assertThrows(McpException.class, () -> client.tools());
        assertEquals(McpException.Kind.UNAVAILABLE, e.kind());
    }

    /** An MCP server's arguments may hold a token; JFR records every child's command line. */
    @Test
    void stdio_argumentsHoldAToken_noProcessStartEventRecordsThem_theServerGetsThemAsGiven() throws Throwable {
        String token = "--token=mcp-" + KEY;
        List<String> command = command("modern");
        command.add(token);

        List<String> started = ProcessStarts.during(() -> {
            client = McpClient.stdio(command);
            assertFalse(client.tools().isEmpty());
        });

        assertFalse(started.isEmpty(), "the server's start was recorded");
        for (String c : started) assertFalse(c.contains(KEY), c);
        assertTrue(logged().contains("argument " + token), "the server got its arguments as given: " + logged());
    }

    @Test
    void stdio_noSuchProgram_failsAsUnavailable_namingTheProgramNotItsArguments() {
        McpException e = assertThrows(
                McpException.class,
                () -> McpClient.stdio(List.of(dir.resolve("no-such-server").toString(), "--token=" + KEY)));
        assertEquals(McpException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().startsWith("MCP server 'no-such-server' could not be started"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
    }

    /** {@return a tool of the stdio fake's own, which it does not list} */
    private McpTool unlisted(String name) {
        return new McpTool(client, name, name, "", Map.of("type", "object"), ParamHeaders.NONE, false);
    }

    private static final String KEY = "sk-fake-0123456789abcdefXYZ";

    @Test
    void stdio_child_getsACleanEnvironmentAndTheVariablesGiven() throws Exception {
        String inheritedElsewhere = System.getenv().keySet().stream()
                .filter(n -> !StdioProcess.INHERITED.contains(n.toUpperCase(java.util.Locale.ROOT))
                        && !n.toUpperCase(java.util.Locale.ROOT).startsWith("LC_"))
                .findFirst()
                .orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(
                inheritedElsewhere != null, "the test JVM's environment holds only inherited variables");
        client = McpClient.builder()
                .stdio(command("modern"))
                .environment(Map.of("FAKE_SERVER_FLAG", "on"))
                .build();
        List<String> lines = List.of(unlisted("env")
                .call(Map.of("show", "FAKE_SERVER_FLAG"), ProgressListener.NONE)
                .split("\n"));
        List<String> names = lines.subList(0, lines.size() - 1);
        assertEquals("FAKE_SERVER_FLAG=on", lines.getLast());
        assertFalse(names.contains(inheritedElsewhere), inheritedElsewhere + " reached the child: " + names);
        for (String n : names) {
            String upper = n.toUpperCase(java.util.Locale.ROOT);
            assertTrue(
                    n.equals("FAKE_SERVER_FLAG") || StdioProcess.INHERITED.contains(upper) || upper.startsWith("LC_"),
                    n);
        }
        if (System.getenv("PATH") != null) assertTrue(names.contains("PATH"), names.toString());
    }

    @Test
    void call_serverDumpsItsEnvironmentAndDies_theFailureNamesNeitherItsKeyNorTheUrlsCredentials() throws Exception {
        client = McpClient.builder()
                .name("dying")
                .stdio(command("modern"))
                .environment(Map.of("FAKE_API_KEY", KEY))
                .build();
        McpException e =
                assertThrows(McpException.class, () -> unlisted("crash").call(Map.of(), ProgressListener.NONE));
        String m = e.getMessage();
        assertTrue(
                m.startsWith(
                        "MCP server 'dying' failed during the call of tool 'crash': the server process exited with code 3; its stderr ends: "),
                m);
        assertTrue(m.contains("FAKE_API_KEY=[redacted]"), m);
        assertTrue(m.contains("https://mcp.internal.example:8443/v1?… refused"), m);
        assertFalse(
                m.contains(KEY.substring(8, 16))
                        || m.contains("hunter22")
                        || m.contains("access_token")
                        || m.contains("tok-0123"),
                m);
    }

    @Test
    void call_progressAndResultNameASecretAndAUrlWithAToken_bothCleaned() throws Exception {
        client = McpClient.builder()
                .stdio(command("modern"))
                .environment(Map.of("FAKE_API_KEY", KEY))
                .build();
        RecordingProgress context = new RecordingProgress();
        String result = context.call(unlisted("leak"), Map.of("variable", "FAKE_API_KEY"));
        assertEquals("the key is [redacted]; see https://h.example/doc?….", result);
        assertEquals(List.of("using [redacted] at https://h.example/x?… 1/?"), context.reports);
    }

    @Test
    void call_resultLongerThanTheBound_isCutAndSaysSo() throws Exception {
        client = McpClient.builder()
                .stdio(command("modern"))
                .maxResultChars(2000)
                .build();
        String result = unlisted("big").call(Map.of("chars", 5000L), ProgressListener.NONE);
        assertTrue(result.length() <= 2000, "length " + result.length());
        assertTrue(result.startsWith("xxxxxxxxxx"), result);
        assertTrue(
                result.endsWith("\n[result truncated by sluice: it was 5000 characters; only the first "
                        + result.indexOf('\n') + " characters are above]"),
                result.substring(result.indexOf('\n')));
    }

    @Test
    void call_messageLongerThanTheClientReads_itsStartIsCutAndTheConnectionLives() throws Exception {
        client = McpClient.builder()
                .stdio(command("modern"))
                .maxResultChars(2000)
                .build(); // messages read up to 72 KiB
        String result = unlisted("big").call(Map.of("chars", 3_000_000L), ProgressListener.NONE);
        assertTrue(result.length() <= 2000, "length " + result.length());
        assertTrue(result.startsWith("xxxxxxxxxx"), result);
        assertTrue(
                result.contains(
                        "[result truncated by sluice: the server's message was longer than the 73536 bytes read of it"),
                result);
        assertEquals("Echo: still here", new RecordingProgress().call(tool("echo"), Map.of("message", "still here")));
    }

    /**
     * A question longer than the client reads of a message is not dropped: the server gets an
     * error for it, the call fails at once saying why (not after the call's cap), the log says so,
     * and the person is not asked.
     */
    @Test
    void call_questionLongerThanTheClientReads_refusedAndTheCallFailsAtOnceSayingWhy() throws Exception {
        client = McpClient.builder()
                .stdio(command("modern"))
                .maxResultChars(2000)
                .build(); // messages read up to 72 KiB
        AtomicLong asked = new AtomicLong();
        try (LogCapture log = new LogCapture(StdioProcess.class)) {
            long started = System.nanoTime();
            McpException e = assertThrows(
                    McpException.class,
                    () -> unlisted("bigask")
                            .call(Map.of("chars", 200_000L), ProgressListener.NONE, () -> false, request -> {
                                asked.incrementAndGet();
                                return java.util.Optional.of(Map.<String, Object>of());
                            }));
            assertTrue(
                    Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(20)) < 0,
                    "failed at once");
            assertTrue(
                    e.getMessage().contains("sent a request (elicitation/create) longer than the 73536 bytes"),
                    e.getMessage());
            assertEquals(0, asked.get());
            assertTrue(
                    log.records.stream().anyMatch(r -> r.getMessage().contains("longer than the 73536 bytes")),
                    "logged");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> logged().contains("answer 900 error"));
    }

    @Test
    void call_serverKilled_startedAgainAndALaterCallSucceeds() throws Exception {
        client = McpClient.builder().stdio(command("modern")).build();
        McpTool pid = unlisted("pid");
        long first = Long.parseLong(pid.call(Map.of(), ProgressListener.NONE));
        Process process = ((StdioProcess) transport(client)).process();
        process.destroyForcibly();
        process.onExit().get();
        String second = await().atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(McpException.class)
                .until(() -> pid.call(Map.of(), ProgressListener.NONE), r -> !r.isEmpty());
        assertTrue(Long.parseLong(second) != first, second);
        assertEquals("Echo: back", new RecordingProgress().call(tool("echo"), Map.of("message", "back")));
    }

    @Test
    void call_serverKeepsDying_aCallWithinTheBackOffFailsSayingWhenAndThePauseGrows() throws Exception {
        AtomicLong now = new AtomicLong();
        client = McpClient.builder()
                .name("dying")
                .stdio(command("modern"))
                .nanoTime(now::get)
                .build();
        McpTool die = unlisted("die");
        assertThrows(McpException.class, () -> die.call(Map.of(), ProgressListener.NONE)); // its first death
        Pattern waitMessage = Pattern.compile("MCP server 'dying' died and is started again in (\\d+) s");
        List<Long> pauses = new ArrayList<>();
        for (int start = 1; start <= 4; start++) {
            McpException died = assertThrows(McpException.class, () -> die.call(Map.of(), ProgressListener.NONE));
            assertTrue(died.getMessage().contains("the server process exited with code 3"), died.getMessage());
            McpException waiting = assertThrows(McpException.class, () -> die.call(Map.of(), ProgressListener.NONE));
            assertEquals(McpException.Kind.UNAVAILABLE, waiting.kind());
            Matcher m = waitMessage.matcher(waiting.getMessage());
            assertTrue(m.matches(), waiting.getMessage());
            long seconds = Long.parseLong(m.group(1));
            pauses.add(seconds);
            now.addAndGet(Duration.ofSeconds(seconds + 1).toNanos()); // past the pause: the next call starts it
        }
        // 1 s doubling, each shortened by up to a quarter: 1, 1–2, 3–4, 6–8 (whole seconds, rounded down)
        for (int i = 0; i < pauses.size(); i++) {
            long most = 1L << i;
            assertTrue(pauses.get(i) >= Math.max(1, most * 3 / 4) && pauses.get(i) <= most, pauses.toString());
        }
        assertTrue(pauses.get(0) < pauses.get(2) && pauses.get(2) < pauses.get(3), pauses.toString());
        assertEquals(5, logged().stream().filter("tools/call"::equals).count(), logged().toString());
    }

    @Test
    void call_pastMaxConcurrentCalls_waitsForAPlaceUntilCancelled() throws Exception {
        client = McpClient.builder()
                .stdio(command("modern"))
                .maxConcurrentCalls(1)
                .build();
        McpTool stall = tool("stall");
        McpTool echo = tool("echo");
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            RecordingProgress first = new RecordingProgress();
            java.util.concurrent.Future<String> stalled = threads.submit(() -> first.call(stall, Map.of()));
            await().atMost(Duration.ofSeconds(10)).until(() -> logged().contains("tools/call"));
            RecordingProgress second = new RecordingProgress();
            java.util.concurrent.Future<String> waiting = threads.submit(() -> {
                try {
                    return second.call(echo, Map.of("message", "x"));
                } catch (McpException e) {
                    return e.kind() + " " + e.getMessage();
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> client.waitingCalls() == 1);
            second.cancelled = true;
            assertEquals("CANCELLED the call of tool 'echo' of MCP server 'fake-stdio' was cancelled", waiting.get());
            assertEquals(1, logged().stream().filter("tools/call"::equals).count(), logged().toString());
            first.cancelled = true;
            assertThrows(java.util.concurrent.ExecutionException.class, stalled::get);
        }
        assertEquals("Echo: y", new RecordingProgress().call(echo, Map.of("message", "y")));
    }

    @Test
    void call_serverSendsResponsesWithoutAnId_ignoredAndTheReaderLivesOn() throws Exception {
        client = McpClient.builder()
                .stdio(command("modern"))
                .progressTimeout(Duration.ofSeconds(5))
                .build();
        assertEquals("answered", unlisted("noid").call(Map.of(), ProgressListener.NONE));
        assertEquals("Echo: on", new RecordingProgress().call(tool("echo"), Map.of("message", "on")));
    }

    @Test
    void close_afterTheServerDied_doesNotStartItAgain() throws Exception {
        client = McpClient.builder().stdio(command("modern")).build();
        Process process = ((StdioProcess) transport(client)).process();
        process.destroyForcibly();
        process.onExit().get();
        client.close();
        McpException e = assertThrows(McpException.class, () -> unlisted("pid").call(Map.of(), ProgressListener.NONE));
        assertEquals(McpException.Kind.UNAVAILABLE, e.kind());
    }

    private static Transport transport(McpClient client) throws Exception {
        var f = McpClient.class.getDeclaredField("session");
        f.setAccessible(true);
        var s = f.get(client);
        var t = McpSession.class.getDeclaredField("transport");
        t.setAccessible(true);
        return (Transport) t.get(s);
    }
}
