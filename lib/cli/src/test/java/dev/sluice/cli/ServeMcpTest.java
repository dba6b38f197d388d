package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.server.suite.NodeClients;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code sluice serve --mcp … --approve all} end to end: a prompt POSTed to the relay makes the fake
 * model call the reference MCP server's long-running operation, the stream shows {@code tool_approval}
 * and waits; the approval POSTed to the relay lets the call reach the server, whose progress steps
 * and result follow on the same stream. With {@code --tool-timeout}, a call the server leaves
 * silent past it fails, and the model answers on. A result of megabytes reaches neither the page
 * nor the model's next request whole.
 */
class ServeMcpTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    /** {@return the relay's 201 for a stream whose prompt has the fake model call the long-running operation} */
    private static HttpResponse<String> start(HttpClient http, URI base, int duration, int steps) throws Exception {
        String prompt = "call trigger-long-running-operation with {\\\"duration\\\": " + duration + ", \\\"steps\\\": "
                + steps + "}";
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(base.resolve("/api/streams"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + prompt + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return created;
    }

    @Test
    void serve_mcpWithApproveAll_theCallWaitsForThePostedApprovalThenStreamsItsProgress() throws Exception {
        Path log = Files.createTempFile("sluice-mcp-requests-", ".log"); // every byte sent to the server
        RunningServe serve = RunningServe.start(
                Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"), "--mcp", Everything.stdioLogging(log), "--approve", "all");
        HttpClient http = HttpClient.newHttpClient();
        List<String> lines = new CopyOnWriteArrayList<>();
        try {
            URI base = serve.uri();
            HttpResponse<String> created = start(http, base, 2, 4);
            String stream = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            String events = created.body().replaceAll(".*\"events\":\"([^\"]+)\".*", "$1");
            Thread reading = Thread.ofVirtual().start(() -> {
                try {
                    http.send(HttpRequest.newBuilder(base.resolve(events)).build(), HttpResponse.BodyHandlers.ofLines())
                            .body()
                            .forEach(lines::add);
                } catch (Exception e) {
                    lines.add("! " + e);
                }
            });

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> assertTrue(lines.contains("event: tool_approval"), lines + "\n" + serve.err()));
            int at = lines.indexOf("event: tool_approval");
            String approval = await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> lines.subList(at, lines.size()).stream()
                                    .filter(l -> l.startsWith("data: "))
                                    .findFirst(),
                            java.util.Optional::isPresent)
                    .orElseThrow();
            assertTrue(approval.contains("\"name\":\"trigger-long-running-operation\""), approval);
            String call = approval.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            assertFalse(
                    Files.readString(log, StandardCharsets.UTF_8).contains("\"tools/call\""),
                    "the call waits: the server has not seen it");

            HttpResponse<String> decided = http.send(
                    HttpRequest.newBuilder(base.resolve("/api/streams/" + stream + "/approvals/" + call))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"approved\":true}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, decided.statusCode(), decided.body());
            assertEquals("{\"decided\":true}", decided.body());

            reading.join(Duration.ofSeconds(60));
            String body = String.join("\n", lines);
            assertTrue(body.contains("event: tool_approval_decided\n"), body);
            assertTrue(body.contains("data: {\"id\":\"" + call + "\",\"approved\":true"), body);
            for (int step = 1; step <= 4; step++) {
                assertTrue(
                        body.contains("\"progress\":" + step + ".0,\"total\":4.0")
                                || body.contains("\"progress\":" + step + ",\"total\":4"),
                        "step " + step + ": " + body);
            }
            assertTrue(body.contains("event: tool_done"), body);
            assertTrue(body.contains("Long running operation completed"), body);
            assertTrue(body.contains("event: done"), body);
            assertTrue(Files.readString(log, StandardCharsets.UTF_8).contains("\"tools/call\""));
        } finally {
            http.shutdownNow(); // the events' GET too, should the stream still wait
            serve.close();
            Files.deleteIfExists(log);
        }
        assertEquals(0, serve.exitCode(), serve.err());
    }

    @Test
    void serve_mcpEnv_theChildGetsACleanEnvironmentAndThePassedVariable_whoseValueThePageNeverSees() throws Exception {
        java.util.Set<String> inherited = java.util.Set.of(
                "PATH", "HOME", "USER", "LOGNAME", "SHELL", "TMPDIR", "TZ", "LANG", "LANGUAGE", "TERM");
        String notPassed = System.getenv().keySet().stream()
                .filter(n -> !inherited.contains(n) && !n.startsWith("LC_"))
                .sorted()
                .findFirst()
                .orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(
                notPassed != null, "the test JVM's environment holds only inherited variables");
        String token = "tok-serve-0123456789abcdef";
        String command = String.join(
                " ", Everything.stdio().stream().map(a -> "'" + a + "'").toList());
        RunningServe serve = RunningServe.start(
                Map.of(Endpoint.FAKE_RATE_VARIABLE, "0", "MY_SERVICE_TOKEN", token),
                "--mcp",
                command,
                "--mcp-env",
                "MY_SERVICE_TOKEN");
        HttpClient http = HttpClient.newHttpClient();
        try {
            URI base = serve.uri();
            String body = streamed(http, base, "{\"prompt\":\"call get-env with {}\"}", 30);
            String done = body.lines()
                    .dropWhile(l -> !l.equals("event: tool_done"))
                    .filter(l -> l.startsWith("data: "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(body + "\n" + serve.err()));
            assertTrue(done.contains("MY_SERVICE_TOKEN") && done.contains("[redacted]"), done);
            assertTrue(done.contains("\\\"PATH\\\""), done);
            assertFalse(done.contains(token) || body.contains(token.substring(4, 16)), done);
            assertFalse(done.contains("\\\"" + notPassed + "\\\""), notPassed + " reached the child: " + done);
            assertTrue(serve.err().contains(", tool results 67) of a"), serve.err());
        } finally {
            http.shutdownNow();
            serve.close();
        }
    }

    @Test
    void serve_toolTimeout_aCallSilentPastIt_failsAndTheModelAnswersOn() throws Exception {
        Path log = Files.createTempFile("sluice-mcp-requests-", ".log");
        RunningServe serve = RunningServe.start(
                Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"),
                "--mcp",
                Everything.stdioLogging(log),
                "--tool-timeout",
                "1.5");
        HttpClient http = HttpClient.newHttpClient();
        try {
            URI base = serve.uri();
            HttpResponse<String> created =
                    start(http, base, 30, 1); // one step of 30 s: the server says nothing for 30 s
            String events = created.body().replaceAll(".*\"events\":\"([^\"]+)\".*", "$1");
            long t0 = System.nanoTime();
            String body = http.sendAsync(
                            HttpRequest.newBuilder(base.resolve(events)).build(), HttpResponse.BodyHandlers.ofString())
                    .get(20, java.util.concurrent.TimeUnit.SECONDS)
                    .body();
            assertTrue(body.contains("event: tool_failed\n"), body + "\n" + serve.err());
            assertTrue(body.contains("the tool did not finish within 1.5 s and was stopped"), body);
            assertFalse(body.contains("event: tool_done"), body);
            assertTrue(body.contains("event: done"), body);
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos());
            assertTrue(
                    Files.readString(log, StandardCharsets.UTF_8).contains("\"tools/call\""), "the server was asked");
        } finally {
            http.shutdownNow();
            serve.close();
            Files.deleteIfExists(log);
        }
    }

    @Test
    void serve_mcpResultOfMegabytes_theToolDoneEventAndTheNextUpstreamRequestAreCutToMaxToolResultAndSaySo()
            throws Exception {
        int bound = 20_000;
        String server = "'" + NodeClients.node() + "' '"
                + Path.of(ServeMcpTest.class.getResource("big-result-mcp.mjs").toURI()) + "'";
        RunningServe serve = RunningServe.start(
                Map.of(
                        "ANTHROPIC_BASE_URL",
                        FAKE.server().baseUrl().toString(),
                        "ANTHROPIC_API_KEY",
                        "sk-ant-serve-big-result"),
                "--mcp",
                server,
                "--max-tool-result",
                String.valueOf(bound));
        HttpClient http = HttpClient.newHttpClient();
        String marker = "megabytes-" + System.nanoTime();
        try {
            URI base = serve.uri();
            String body =
                    streamed(http, base, "{\"prompt\":\"" + marker + ": call big with {\\\"chars\\\": 3000000}\"}", 60);
            assertTrue(body.contains("event: done"), body.length() + " chars: " + serve.err());
            String done = body.lines()
                    .dropWhile(l -> !l.equals("event: tool_done"))
                    .filter(l -> l.startsWith("data: "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(body.length() + " chars\n" + serve.err()));
            assertTrue(done.length() < bound + 1_000, "the browser's tool_done event is " + done.length() + " chars");
            assertTrue(done.contains("[result truncated by sluice: "), done.substring(done.length() - 300));
            assertFalse(done.contains("THE-END"), "the result's end reached the page");
            assertTrue(body.length() < 3 * bound, "the whole stream is " + body.length() + " chars");

            RecordedRequest next = FAKE.server().requests().stream()
                    .filter(r -> r.body().contains(marker) && r.body().contains("tool_result"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no request carried the tool's result"));
            assertTrue(
                    next.body().length() < 2 * bound,
                    "the next upstream request is " + next.body().length() + " chars");
            assertTrue(next.body().contains("[result truncated by sluice: "), next.body());
            assertFalse(next.body().contains("THE-END"), "the result's end reached the model");
        } finally {
            http.shutdownNow();
            serve.close();
        }
    }

    /** {@return the messages of a stream's tool_progress events, in order} */
    private static List<String> progress(String body) {
        List<String> messages = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "event: tool_progress\n(?:id: \\d+\n)?data: \\{[^\n]*\"message\":\"([^\"]*)\"")
                .matcher(body);
        while (m.find()) messages.add(m.group(1));
        return messages;
    }

    @Test
    void serve_mcpTask_itsStagesAreToolProgressInOrder_noTaskIdReachesThePage_aResumeRepeatsAndLosesNone()
            throws Exception {
        Path log = Files.createTempFile("sluice-mcp-requests-", ".log");
        RunningServe serve =
                RunningServe.start(Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"), "--mcp", Everything.stdioLogging(log));
        HttpClient http = HttpClient.newHttpClient();
        try {
            URI base = serve.uri();
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(base.resolve("/api/streams"))
                            .header("Content-Type", "application/json")
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            "{\"prompt\":\"call simulate-research-query with {\\\"topic\\\": \\\"rivers\\\"}\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            String events = created.body().replaceAll(".*\"events\":\"([^\"]+)\".*", "$1");
            String body = http.sendAsync(
                            HttpRequest.newBuilder(base.resolve(events)).build(), HttpResponse.BodyHandlers.ofString())
                    .get(60, java.util.concurrent.TimeUnit.SECONDS)
                    .body();
            assertTrue(body.contains("event: tool_done"), body + "\n" + serve.err());
            List<String> stages = progress(body);
            List<String> expected = List.of(
                    "Gathering sources...", "Analyzing content...", "Synthesizing findings...", "Generating report...");
            assertEquals(expected, stages.stream().filter(expected::contains).toList(), body);
            assertEquals(stages.stream().distinct().toList(), stages, "none twice: " + stages);
            assertTrue(body.indexOf("event: tool_progress") < body.indexOf("event: tool_done"), body);
            String requests = Files.readString(log, StandardCharsets.UTF_8);
            java.util.regex.Matcher task =
                    java.util.regex.Pattern.compile("\"taskId\":\"([^\"]+)\"").matcher(requests);
            assertTrue(task.find(), "the call ran as a task: " + requests);
            assertFalse(body.contains(task.group(1)), "the task's handle reached the page: " + body);

            // a client that had read up to the first progress event resumes: the rest, once each
            String firstId = body.lines()
                    .dropWhile(l -> !l.equals("event: tool_progress"))
                    .filter(l -> l.startsWith("id: "))
                    .findFirst()
                    .orElseThrow()
                    .substring(4);
            String resumed = http.send(
                            HttpRequest.newBuilder(base.resolve(events))
                                    .header("Last-Event-ID", firstId)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertEquals(stages.subList(1, stages.size()), progress(resumed), resumed);
            assertTrue(resumed.contains("event: tool_done"), resumed);
        } finally {
            http.shutdownNow();
            serve.close();
            Files.deleteIfExists(log);
        }
    }

    private static final String AMBIGUOUS =
            "{\"prompt\":\"call simulate-research-query with {\\\"topic\\\": \\\"python\\\","
                    + " \\\"ambiguous\\\": true}\"}";

    /** {@return the data of the first event of this type in the lines read so far, once there is one} */
    private static String dataOf(List<String> lines, String type, RunningServe serve) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertTrue(lines.contains("event: " + type), lines + "\n" + serve.err()));
        int at = lines.indexOf("event: " + type);
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> lines.subList(at, lines.size()).stream()
                                .filter(l -> l.startsWith("data: "))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    private static HttpResponse<String> answer(
            HttpClient http, URI base, String stream, String call, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/api/streams/" + stream + "/approvals/" + call))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@return the lines of the stream this body starts, read on a thread of their own as they come; {@code ids[0]} the stream's id} */
    private static List<String> follow(HttpClient http, URI base, String json, String[] ids) throws Exception {
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(base.resolve("/api/streams"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        ids[0] = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        String events = created.body().replaceAll(".*\"events\":\"([^\"]+)\".*", "$1");
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                http.send(HttpRequest.newBuilder(base.resolve(events)).build(), HttpResponse.BodyHandlers.ofLines())
                        .body()
                        .forEach(lines::add);
            } catch (Exception e) {
                lines.add("! " + e);
            }
        });
        return lines;
    }

    /**
     * server-everything's research task asks which "python" is meant: the question (its message,
     * its choices) is a {@code tool_input} event, its task id nowhere; the answer POSTed to the
     * approval route goes back to the server (refused from a foreign origin, malformed, or twice),
     * and the task's report is the answer's.
     */
    @Test
    void serve_mcpTaskAsksAQuestion_theStreamCarriesIt_thePostedAnswerReachesTheServerAndTheTaskCompletes()
            throws Exception {
        Path log = Files.createTempFile("sluice-mcp-requests-", ".log");
        RunningServe serve =
                RunningServe.start(Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"), "--mcp", Everything.stdioLogging(log));
        HttpClient http = HttpClient.newHttpClient();
        try {
            URI base = serve.uri();
            String[] ids = new String[1];
            List<String> lines = follow(http, base, AMBIGUOUS, ids);
            String question = dataOf(lines, "tool_input", serve);
            assertTrue(question.contains("\"name\":\"simulate-research-query\""), question);
            assertTrue(question.contains("could have multiple interpretations"), question);
            for (String choice : List.of("programming", "snake", "comedy"))
                assertTrue(question.contains("\\\"const\\\":\\\"" + choice + "\\\""), choice + " in " + question);
            String call = question.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            String requests = Files.readString(log, StandardCharsets.UTF_8);
            java.util.regex.Matcher task =
                    java.util.regex.Pattern.compile("\"taskId\":\"([^\"]+)\"").matcher(requests);
            assertTrue(task.find(), requests);
            assertFalse(String.join("\n", lines).contains(task.group(1)), "the task's id is not in the stream");

            HttpResponse<String> foreign = answer(
                    http,
                    base,
                    ids[0],
                    call,
                    "{\"approved\":true,\"content\":{\"interpretation\":\"comedy\"}}",
                    "Origin",
                    "https://elsewhere.example");
            assertEquals(403, foreign.statusCode(), foreign.body());
            HttpResponse<String> malformed =
                    answer(http, base, ids[0], call, "{\"approved\":true,\"content\":{\"interpretation\":{}}}");
            assertEquals(400, malformed.statusCode(), malformed.body());
            assertTrue(malformed.body().contains("\"content\\\" must be an object"), malformed.body());
            HttpResponse<String> answered =
                    answer(http, base, ids[0], call, "{\"approved\":true,\"content\":{\"interpretation\":\"snake\"}}");
            assertEquals(200, answered.statusCode(), answered.body());
            HttpResponse<String> again =
                    answer(http, base, ids[0], call, "{\"approved\":true,\"content\":{\"interpretation\":\"comedy\"}}");
            assertEquals(409, again.statusCode(), again.body());

            String done = dataOf(lines, "tool_done", serve);
            assertTrue(done.contains("# Research Report: python (snake)"), done);
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("event: done"));
            String sent = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(sent.contains("\"action\":\"accept\""), sent);
            assertTrue(sent.contains("\"interpretation\":\"snake\""), sent);
            assertFalse(sent.contains("\"tasks/cancel\""), sent);
        } finally {
            http.shutdownNow();
            serve.close();
            Files.deleteIfExists(log);
        }
    }

    /** A question no one answers within --approval-timeout: the elicitation is answered cancel, the task cancelled, the model told. */
    @Test
    void serve_mcpTaskQuestionUnansweredPastTheApprovalTimeout_theTaskIsCancelledAndTheModelReadsWhy()
            throws Exception {
        Path log = Files.createTempFile("sluice-mcp-requests-", ".log");
        RunningServe serve = RunningServe.start(
                Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"),
                "--mcp",
                Everything.stdioLogging(log),
                "--approval-timeout",
                "1.5");
        HttpClient http = HttpClient.newHttpClient();
        try {
            String body = streamed(http, serve.uri(), AMBIGUOUS, 60);
            assertTrue(body.contains("event: tool_input"), body + "\n" + serve.err());
            assertTrue(body.contains("event: tool_failed"), body);
            assertTrue(body.contains("no one answered within 1.5 second"), body);
            assertTrue(body.contains("its task was cancelled"), body);
            assertTrue(body.contains("event: done"), body);
            String sent = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(sent.contains("\"action\":\"cancel\""), sent);
            assertTrue(sent.contains("\"tasks/cancel\""), sent);
        } finally {
            http.shutdownNow();
            serve.close();
            Files.deleteIfExists(log);
        }
    }

    /**
     * {@return the whole event stream of a stream started at serve's {@code /api/streams} with this
     * body (201 checked), read within {@code seconds}}
     */
    private static String streamed(HttpClient http, URI base, String json, int seconds) throws Exception {
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(base.resolve("/api/streams"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String events = created.body().replaceAll(".*\"events\":\"([^\"]+)\".*", "$1");
        return http.sendAsync(
                        HttpRequest.newBuilder(base.resolve(events)).build(), HttpResponse.BodyHandlers.ofString())
                .get(seconds, java.util.concurrent.TimeUnit.SECONDS)
                .body();
    }
}
