package dev.sluice.cli.serve;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.Everything;
import dev.sluice.cli.RunningServe;
import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.server.suite.NodeClients;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sluice serve --mcp … --approve trigger-long-running-operation} with the official MCP
 * reference server ({@code @modelcontextprotocol/server-everything}) over stdio and over Streamable
 * HTTP, driven by the frontends' real clients ({@code tool-approval.mjs}: the AI SDK's chat and
 * {@code @ag-ui/client}) and by the chat page in a headless Chromium: the fake model calls the
 * server's long-running operation, the call waits for approval, and once approved each of the
 * server's progress steps reaches the client, then its result and the model's answer; a denied call
 * never reaches the server (over stdio every byte sent to it is logged, over HTTP every POST it
 * received). The server's {@code simulate-research-query}, a task (MCP Tasks), goes through the same
 * clients ({@code mcp-task.mjs}): each stage's status reaches them in order, once, before the report;
 * asked an ambiguous query, its question reaches each client, whose answer goes back to the server.
 * One serve per transport for the class; screenshots under {@code target/screenshots/}.
 */
class ServeMcpEverythingTest {
    private static final String TOOL = "trigger-long-running-operation";
    private static final String DENIAL = "The user denied this tool call.";
    private static Path stdioLog;
    private static Everything.Http everything;
    private static final Map<String, RunningServe> serves = new ConcurrentHashMap<>();
    private static final Map<String, NodeClients.Run> runs = new ConcurrentHashMap<>();
    private static final Map<String, Map<String, Map<?, ?>>> cases = new ConcurrentHashMap<>();
    /** What the server had been asked when the clients' script ended: tools/call lines over stdio, POSTs over HTTP. */
    private static final Map<String, Long> seenAfterScript = new ConcurrentHashMap<>();

    private static long postsBeforeScript;
    private static final String RESEARCH = "call simulate-research-query with {\"topic\": \"rivers\"}";
    /** A research query the server asks about: which "python"? */
    private static final String AMBIGUOUS =
            "call simulate-research-query with {\"topic\": \"python\", \"ambiguous\": true}";
    /** What the clients answer. */
    private static final String SNAKE = "{\"interpretation\":\"snake\"}";

    private static final List<String> STAGES =
            List.of("Gathering sources...", "Analyzing content...", "Synthesizing findings...", "Generating report...");
    private static final Map<String, NodeClients.Run> taskRuns = new ConcurrentHashMap<>();
    private static final Map<String, Map<String, Map<?, ?>>> taskCases = new ConcurrentHashMap<>();
    private static Chromium browser;

    @BeforeAll
    static void start() throws Exception {
        stdioLog = Files.createTempFile("sluice-mcp-requests-", ".log");
        everything = Everything.http();
        Map<String, String> env = Map.of("SLUICE_FAKE_TOKENS_PER_SECOND", "0");
        serves.put("stdio", RunningServe.start(env, "--mcp", Everything.stdioLogging(stdioLog), "--approve", TOOL));
        serves.put("http", RunningServe.start(env, "--mcp", everything.uri().toString(), "--approve", TOOL));
        postsBeforeScript = everything.posts();
        // the two transports' serves and servers are apart, so their scripts run side by side (each
        // transport's in order: the approvals' counts are read before the research task's calls), and
        // the browser starts beside them: about 60 s of the class's set-up was these waits in a row
        try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Chromium> started = each.submit((Callable<Chromium>) Chromium::start);
            List<Future<?>> scripts = new ArrayList<>();
            for (String transport : List.of("stdio", "http")) {
                scripts.add(each.submit(() -> {
                    NodeClients.Run run = NodeClients.run(
                            "tool-approval.mjs",
                            90,
                            serves.get(transport).uri().toString(),
                            "call " + TOOL + " with {\"duration\": 1, \"steps\": 4}",
                            TOOL);
                    runs.put(transport, run);
                    cases.put(transport, run.cases());
                    seenAfterScript.put(transport, transport.equals("stdio") ? calls() : everything.posts());
                    // after the approvals' counts: the research task is a tools/call (and its polls) of its own
                    NodeClients.Run task = NodeClients.run(
                            "mcp-task.mjs", 120, serves.get(transport).uri().toString(), RESEARCH, AMBIGUOUS, SNAKE);
                    taskRuns.put(transport, task);
                    taskCases.put(transport, task.cases());
                    return null;
                }));
            }
            browser = started.get();
            for (Future<?> script : scripts) script.get();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        serves.values().forEach(RunningServe::close);
        if (everything != null) everything.close();
        if (stdioLog != null) Files.deleteIfExists(stdioLog);
    }

    /** {@return how many tools/call requests the stdio server has been sent} */
    private static long calls() throws Exception {
        return sent("tools/call");
    }

    /** {@return how many requests of that method the stdio server has been sent} */
    private static long sent(String method) throws Exception {
        return Pattern.compile("\"method\":\"" + Pattern.quote(method) + "\"")
                .matcher(Files.readString(stdioLog, StandardCharsets.UTF_8))
                .results()
                .count();
    }

    private static Map<?, ?> c(String transport, String name) {
        Map<?, ?> c = cases.get(transport).get(name);
        NodeClients.Run run = runs.get(transport);
        assertTrue(
                c != null,
                name + " missing: " + run.stdout() + run.stderr()
                        + serves.get(transport).err());
        return c;
    }

    private static Map<?, ?> task(String transport, String name) {
        Map<?, ?> c = taskCases.get(transport).get(name);
        NodeClients.Run run = taskRuns.get(transport);
        assertTrue(
                c != null,
                name + " missing: " + run.stdout() + run.stderr()
                        + serves.get(transport).err());
        return c;
    }

    /** The MCP task's stages as the AI SDK's onData got them: one data-tool-progress chunk each, in order. */
    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void ui_mcpTask_eachStageReachesOnDataInOrder_thenTheReport(String transport) {
        Map<?, ?> c = task(transport, "ui-task");
        assertNull(c.get("error"));
        assertEquals("ready", c.get("status"));
        List<?> data = (List<?>) c.get("dataChunks");
        List<Object> messages = data.stream()
                .map(d -> (Map<?, ?>) d)
                .filter(d -> "data-tool-progress".equals(d.get("type")))
                .<Object>map(d -> ((Map<?, ?>) d.get("data")).get("message"))
                .toList();
        assertEquals(STAGES, messages.stream().filter(STAGES::contains).toList(), data.toString());
        assertEquals(messages.stream().distinct().toList(), messages, "none twice: " + messages);
        Map<?, ?> call = ofType(parts(c), "tool-simulate-research-query").getFirst();
        assertEquals("output-available", call.get("state"), parts(c).toString());
        assertTrue(((String) call.get("output")).startsWith("# Research Report: rivers"), call.toString());
    }

    /** The MCP task's stages through AG-UI: the activity's snapshot, then a delta per new stage, in order. */
    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void agUi_mcpTask_eachStageIsTheProgressActivityInOrder_thenTheReport(String transport) {
        Map<?, ?> c = task(transport, "ag-ui-task");
        assertNull(c.get("error"));
        List<Map<?, ?>> events = ((List<?>) c.get("events"))
                .stream().<Map<?, ?>>map(e -> (Map<?, ?>) e).toList();
        List<Object> messages = new java.util.ArrayList<>();
        for (Map<?, ?> e : events) {
            if ("ACTIVITY_SNAPSHOT".equals(e.get("type"))) messages.add(((Map<?, ?>) e.get("content")).get("message"));
            if ("ACTIVITY_DELTA".equals(e.get("type"))) {
                for (Object op : (List<?>) e.get("patch")) {
                    if ("/message".equals(((Map<?, ?>) op).get("path"))) messages.add(((Map<?, ?>) op).get("value"));
                }
            }
        }
        assertEquals(STAGES, messages.stream().filter(STAGES::contains).toList(), events.toString());
        assertEquals(messages.stream().distinct().toList(), messages, "none twice: " + messages);
        Map<?, ?> result = events.stream()
                .filter(e -> "TOOL_CALL_RESULT".equals(e.get("type")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(events.toString()));
        assertTrue(((String) result.get("content")).startsWith("# Research Report: rivers"), result.toString());
        assertEquals("RUN_FINISHED", events.getLast().get("type"));
    }

    /** {@return the oneOf constants of the question's interpretation field} */
    private static List<Object> choices(Map<?, ?> schema) {
        Map<?, ?> field = (Map<?, ?>) ((Map<?, ?>) schema.get("properties")).get("interpretation");
        return ((List<?>) field.get("oneOf"))
                .stream().<Object>map(o -> ((Map<?, ?>) o).get("const")).toList();
    }

    /**
     * The task's question through the AI SDK: the response ends at its data part (the server's
     * question, the choices, the question's id), the tool waiting; the application puts the answer
     * into that part and sends the chat on, and the same assistant message goes on to the report the
     * answer made.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void ui_mcpTaskAsksAQuestion_theResponseEndsAtItsPart_theAnswerInThePartGoesBack_theReportIsTheAnswers(
            String transport) {
        Map<?, ?> c = task(transport, "ui-question");
        assertNull(c.get("error"), c.toString());
        assertEquals("ready", c.get("statusPaused"));
        List<?> paused = (List<?>) ((Map<?, ?>) ((List<?>) c.get("paused")).getLast()).get("parts");
        Map<?, ?> question =
                (Map<?, ?>) ofType(paused, "data-tool-input").getFirst().get("data");
        assertEquals("simulate-research-query", question.get("toolName"));
        assertTrue(
                ((String) question.get("message")).startsWith("The research query \"python\" could have"),
                question.toString());
        assertEquals(List.of("programming", "snake", "comedy"), choices((Map<?, ?>) question.get("schema")));
        assertTrue(String.valueOf(question.get("questionId")).startsWith("input-"), question.toString());
        assertEquals(
                "input-available",
                ofType(paused, "tool-simulate-research-query").getFirst().get("state"),
                "the tool waits: " + paused);
        assertEquals(2, ((List<?>) c.get("posted")).size(), "the answer went in a second request");
        Map<?, ?> call = ofType(parts(c), "tool-simulate-research-query").getFirst();
        assertEquals("output-available", call.get("state"), parts(c).toString());
        assertTrue(((String) call.get("output")).startsWith("# Research Report: python (snake)"), call.toString());
        assertEquals(2, ((List<?>) c.get("messages")).size(), "the user's and one assistant message, continued");
    }

    /**
     * The task's question through AG-UI: the run ends with its interrupt (reason {@code tool_input},
     * the server's question, the answer's schema), and the next run's resume answers it: the rest of
     * the stream, the report the answer made.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void agUi_mcpTaskAsksAQuestion_theRunEndsWithItsInterrupt_theResumeAnswersIt_theReportIsTheAnswers(
            String transport) {
        Map<?, ?> c = task(transport, "ag-ui-question");
        Map<?, ?> first = (Map<?, ?>) c.get("first");
        assertNull(first.get("error"), c.toString());
        Map<?, ?> finished = (Map<?, ?>) ((List<?>) first.get("events")).getLast();
        Map<?, ?> outcome = (Map<?, ?>) finished.get("outcome");
        assertEquals("interrupt", outcome.get("type"), finished.toString());
        Map<?, ?> interrupt = (Map<?, ?>) ((List<?>) outcome.get("interrupts")).getFirst();
        assertEquals("tool_input", interrupt.get("reason"));
        assertTrue(
                ((String) interrupt.get("message")).startsWith("The research query \"python\""), interrupt.toString());
        assertEquals(List.of("programming", "snake", "comedy"), choices((Map<?, ?>) interrupt.get("responseSchema")));
        assertEquals(Map.of("toolName", "simulate-research-query"), interrupt.get("metadata"));
        assertEquals(1, ((List<?>) c.get("pending")).size(), "the agent holds the interrupt");
        Map<?, ?> second = (Map<?, ?>) c.get("second");
        assertNull(second.get("error"), second.toString());
        List<Map<?, ?>> events = ((List<?>) second.get("events"))
                .stream().<Map<?, ?>>map(e -> (Map<?, ?>) e).toList();
        assertEquals("RUN_STARTED", events.getFirst().get("type"));
        Map<?, ?> result = events.stream()
                .filter(e -> "TOOL_CALL_RESULT".equals(e.get("type")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(events.toString()));
        assertEquals(interrupt.get("toolCallId"), result.get("toolCallId"));
        assertTrue(((String) result.get("content")).startsWith("# Research Report: python (snake)"), result.toString());
        assertEquals(Map.of("type", "success"), events.getLast().get("outcome"));
    }

    private static List<?> parts(Map<?, ?> c) {
        return (List<?>) ((Map<?, ?>) ((List<?>) c.get("messages")).getLast()).get("parts");
    }

    private static List<Map<?, ?>> ofType(List<?> items, String type) {
        return items.stream()
                .<Map<?, ?>>map(p -> (Map<?, ?>) p)
                .filter(p -> type.equals(p.get("type")))
                .toList();
    }

    private static String result(int duration) {
        return "Long running operation completed. Duration: " + duration + " seconds, Steps: 4.";
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void ui_approved_everyStepAsOneProgressPartUpdatedInPlace_thenTheServersResultAndTheAnswer(String transport) {
        Map<?, ?> c = c(transport, "ui-approve");
        assertNull(c.get("error"));
        assertEquals("ready", c.get("status"));
        List<?> parts = parts(c);
        List<Map<?, ?>> progress = ofType(parts, "data-tool-progress");
        assertEquals(1, progress.size(), "one part, updated in place: " + parts);
        Map<?, ?> call = ofType(parts, "tool-" + TOOL).getFirst();
        assertEquals("output-available", call.get("state"), parts.toString());
        assertEquals(result(1), call.get("output"));
        assertEquals(call.get("toolCallId"), progress.getFirst().get("id"));
        List<?> data = (List<?>) c.get("dataChunks");
        assertEquals(
                List.of("1/4", "2/4", "3/4", "4/4"),
                data.stream()
                        .map(d -> (Map<?, ?>) ((Map<?, ?>) d).get("data"))
                        .map(d -> d.get("progress") + "/" + d.get("total"))
                        .toList(),
                "each step reached onData: " + data);
        assertEquals(100L, ((Map<?, ?>) progress.getFirst().get("data")).get("percent"));
        String text = String.join(
                "",
                ofType(parts, "text").stream().map(p -> (String) p.get("text")).toList());
        assertTrue(text.contains(result(1)), "the model's answer with the result: " + parts);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void ui_denied_shownDeniedWithNoProgress(String transport) {
        Map<?, ?> c = c(transport, "ui-deny");
        assertNull(c.get("error"));
        List<?> parts = parts(c);
        assertEquals("output-denied", ofType(parts, "tool-" + TOOL).getFirst().get("state"), parts.toString());
        assertEquals(List.of(), ofType(parts, "data-tool-progress"));
    }

    private static List<Map<?, ?>> events(String transport, String name, String run) {
        Map<?, ?> r = (Map<?, ?>) c(transport, name).get(run);
        assertNull(r.get("error"), r.toString());
        return ((List<?>) r.get("events"))
                .stream().<Map<?, ?>>map(e -> (Map<?, ?>) e).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void agUi_resumeApproved_activitySnapshotThenADeltaPerStep_theServersResult_runFinished(String transport) {
        Map<?, ?> interrupt = (Map<?, ?>) ((List<?>) ((Map<?, ?>) events(transport, "ag-ui-approve", "first")
                                .getLast()
                                .get("outcome"))
                        .get("interrupts"))
                .getFirst();
        assertEquals(
                Map.of("toolName", TOOL, "arguments", Map.of("duration", 1L, "steps", 4L)), interrupt.get("metadata"));
        List<Map<?, ?>> second = events(transport, "ag-ui-approve", "second");
        List<Object> types = second.stream().<Object>map(e -> e.get("type")).toList();
        assertEquals(
                List.of(
                        "RUN_STARTED",
                        "ACTIVITY_SNAPSHOT",
                        "ACTIVITY_DELTA",
                        "ACTIVITY_DELTA",
                        "ACTIVITY_DELTA",
                        "TOOL_CALL_RESULT"),
                types.subList(0, 6),
                types.toString());
        assertEquals("RUN_FINISHED", types.getLast());
        Map<?, ?> snapshot = (Map<?, ?>) second.get(1).get("content");
        assertEquals(List.of(1L, 4L), List.of(snapshot.get("progress"), snapshot.get("total")), snapshot.toString());
        for (int step = 2; step <= 4; step++) {
            List<?> patch = (List<?>) second.get(step).get("patch");
            assertTrue(
                    patch.contains(Map.of("op", "replace", "path", "/progress", "value", (long) step)),
                    "step " + step + ": " + patch);
        }
        assertEquals(interrupt.get("toolCallId"), second.get(5).get("toolCallId"));
        assertEquals(result(1), second.get(5).get("content"));
        assertEquals(Map.of("type", "success"), second.getLast().get("outcome"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void agUi_resumeDenied_theDenialIsTheResultAndNoActivity(String transport) {
        List<Map<?, ?>> second = events(transport, "ag-ui-deny", "second");
        List<Object> types = second.stream().<Object>map(e -> e.get("type")).toList();
        assertTrue(types.stream().noneMatch(t -> String.valueOf(t).startsWith("ACTIVITY")), types.toString());
        List<Map<?, ?>> results = second.stream()
                .filter(e -> "TOOL_CALL_RESULT".equals(e.get("type")))
                .toList();
        assertEquals(1, results.size(), types.toString());
        assertTrue(((String) results.getFirst().get("content")).startsWith(DENIAL), results.toString());
        assertEquals(Map.of("type", "success"), second.getLast().get("outcome"));
    }

    @Test
    void server_seesTheApprovedCallsOnly() throws Exception {
        String log = Files.readString(stdioLog, StandardCharsets.UTF_8);
        assertEquals(
                2, seenAfterScript.get("stdio"), "over stdio, the two approved calls and not the two denied: " + log);
        assertEquals(
                2,
                seenAfterScript.get("http") - postsBeforeScript,
                "over HTTP, one POST per approved call, none for the denied");
    }

    private static final String LAST_ANSWER = ".turn.assistant:last-child";
    private static final String BLOCK = LAST_ANSWER + " .seg.tool";
    private static final String APPROVE = LAST_ANSWER + " .tool-approval:not([hidden]) button[data-action=\"approve\"]";

    /**
     * Opens the page of the stdio serve afresh, with none of the conversations or the live answer an
     * earlier test left in its storage (a test that failed may have left one waiting on a person), and
     * starts recording: each progress text the bar shows in {@code window.__progress}; what had the
     * focus when {@code waiting} first matched (a call's buttons or fields, drawn) in
     * {@code window.__focusWhenShown}.
     */
    private static void openFresh(String waiting) throws Exception {
        URI page = serves.get("stdio").uri();
        browser.viewport(1280, 800, false);
        for (int i = 0; i < 2; i++) { // the second time without the conversations the first one kept
            browser.navigate(page);
            await().atMost(Duration.ofSeconds(15))
                    .ignoreExceptions()
                    .until(() -> browser.eval("window.sluicePage !== undefined && window.sluicePage.ready === true")
                            .asBoolean());
            browser.eval("localStorage.clear(); sessionStorage.clear(); true");
        }
        browser.eval("window.__progress = []; window.__focusWhenShown = null;"
                + "new MutationObserver(() => { const bar = document.querySelector(" + quote(BLOCK + " progress") + ");"
                + "  const text = bar && bar.getAttribute('aria-valuetext');"
                + "  if (text && window.__progress.at(-1) !== text) window.__progress.push(text);"
                + "  const at = document.activeElement;"
                + "  if (window.__focusWhenShown === null && document.querySelector(" + quote(waiting) + "))"
                + "    window.__focusWhenShown = at.dataset.action || at.tagName; })"
                + ".observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});"
                + "document.getElementById('prompt').focus(); true");
    }

    /**
     * Opens the page afresh, types the prompt and presses Enter, and waits for the Approve button to
     * show with the focus on it, which the keyboard's next key needs.
     */
    private static void ask(int duration) throws Exception {
        openFresh(APPROVE);
        browser.type("call " + TOOL + " with {\"duration\": " + duration + ", \"steps\": 4}");
        browser.press("Enter", 0);
        await().atMost(Duration.ofSeconds(15)).until(() -> count(APPROVE) == 1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> eval("document.activeElement.dataset.action").equals("approve"));
        assertEquals(
                "approve",
                eval("window.__focusWhenShown"),
                "the focus moves in the frame that draws the buttons: no key pressed once they show lands elsewhere");
    }

    private static int count(String selector) throws Exception {
        return browser.eval("document.querySelectorAll(" + quote(selector) + ").length")
                .asInt();
    }

    private static String text(String selector) throws Exception {
        return browser.eval("document.querySelector(" + quote(selector) + ").textContent.trim()")
                .asText();
    }

    private static String eval(String expression) throws Exception {
        return browser.eval(expression).asText();
    }

    private static String quote(String s) {
        return JsonText.quoteHtmlSafe(s);
    }

    private static void screenshot(String name) throws Exception {
        browser.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
        browser.screenshot(ChatPageBrowserTest.SCREENSHOTS.resolve(name));
    }

    private static void awaitDone() {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> eval("window.sluicePage.state").equals("done"));
    }

    @Test
    void page_approvedByKeyboard_theBarAdvancesStepByStepToFourOfFour_thenTheServersResult() throws Exception {
        long before = calls();
        ask(2);
        assertEquals("Run " + TOOL + " with these arguments?", text(LAST_ANSWER + " .tool-approval-question"));
        assertEquals("waits for your approval", text(LAST_ANSWER + " .tool-state"));
        screenshot("mcp-everything-approval.png");
        browser.viewport(390, 844, true);
        browser.colorScheme("dark");
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        browser.eval("document.getAnimations().length === 0").asBoolean()); // the drawer closes
        screenshot("mcp-everything-approval-390-dark.png");
        browser.viewport(1280, 800, false);
        browser.colorScheme("light");
        assertEquals(before, calls(), "the server has not been asked yet");
        browser.press("Enter", 0);
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    String step = eval("window.__progress.at(-1) ?? ''");
                    return step.equals("2 of 4") || step.equals("3 of 4");
                });
        assertEquals(
                "true",
                eval("document.querySelector(" + quote(BLOCK + " progress") + ").hasAttribute('value')"),
                "determinate");
        assertEquals(
                "prompt",
                eval("document.activeElement.id"),
                "the answered buttons go; the focus goes back to the box, not to the page's top");
        screenshot("mcp-everything-progress.png");
        awaitDone();
        assertEquals(
                4,
                browser.eval("window.sluicePage.events.filter(t => t === 'tool_progress').length")
                        .asInt(),
                "every step reached the page");
        // the page draws once per frame: steps that arrive within one frame (a loaded machine's) are drawn as the last
        List<String> drawn = List.of(eval("window.__progress.join('|')").split("\\|"));
        assertEquals("4 of 4", drawn.getLast(), drawn.toString());
        assertEquals(drawn.stream().sorted().distinct().toList(), drawn, "drawn in order, none twice");
        assertTrue(List.of("1 of 4", "2 of 4", "3 of 4", "4 of 4").containsAll(drawn), drawn.toString());
        assertEquals(
                "true",
                eval("document.querySelector(" + quote(BLOCK + " .tool-progress") + ").hidden"),
                "the result replaces the bar");
        assertEquals("Approved", text(LAST_ANSWER + " .tool-decision"));
        assertEquals("done", eval("document.querySelector(" + quote(BLOCK) + ").dataset.status"));
        assertEquals(result(2), text(BLOCK + " .tool-output"));
        assertTrue(text(LAST_ANSWER).contains("The tool answered: " + result(2)), text(LAST_ANSWER));
        assertEquals(before + 1, calls());
        // the unpaced model writes thousands of tokens a second: a rate shown over the tool's 2 s and
        // the wait for approval would be a few; too short a generation to measure shows none
        String rate = text("#tps");
        assertTrue(
                rate.equals("–") || Double.parseDouble(rate) > 100,
                rate + " tok/s, the tool's run counted as generation");
        browser.eval("document.querySelector(" + quote(BLOCK + " .tool-result summary") + ").click(); true");
        ChatPageBrowserTest.assertNoSeriousAxeViolation(browser, "an MCP tool's call done");
        screenshot("mcp-everything-done.png");
    }

    @Test
    void page_deniedByKeyboard_theServerIsNeverAskedAndNoProgressOrResultShows() throws Exception {
        long before = calls();
        ask(1);
        browser.press("Tab", 0); // from Approve, which has the focus, to Deny
        assertEquals("deny", eval("document.activeElement.dataset.action"));
        browser.press("Enter", 0);
        awaitDone();
        assertEquals("denied", eval("document.querySelector(" + quote(BLOCK) + ").dataset.status"));
        assertEquals("", text(BLOCK + " .tool-output"));
        assertEquals("", eval("window.__progress.join(',')"), "no progress drawn");
        assertTrue(text(LAST_ANSWER).contains(DENIAL), text(LAST_ANSWER));
        assertEquals(before, calls(), "the server never saw the denied call");
        screenshot("mcp-everything-denied.png");
    }

    private static final String QUESTION = LAST_ANSWER + " .tool-question:not([hidden])";

    /**
     * server-everything's research task asks which "python" is meant: the page shows the server's
     * question as text with its choices by their titles, the focus on the choice; chosen and sent by
     * keyboard, the answer goes back to the server and the task's report is the answer's.
     */
    @Test
    void page_mcpTaskAsksAQuestion_shownAsTextWithItsChoices_answeredByKeyboard_theReportIsTheAnswers()
            throws Exception {
        openFresh(QUESTION + " select");
        browser.type("call simulate-research-query with {\"topic\": \"python\", \"ambiguous\": true}");
        browser.press("Enter", 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(QUESTION + " select") == 1);
        assertTrue(
                text(QUESTION + " .tool-question-text")
                        .startsWith("simulate-research-query asks: The research query \"python\" could have"),
                text(QUESTION + " .tool-question-text"));
        assertEquals(0, count(QUESTION + " .tool-question-text *"), "the server's text is text");
        assertEquals(
                "|programming|snake|comedy",
                eval("Array.from(document.querySelector(" + quote(QUESTION + " select")
                        + ").options, o => o.value).join('|')"));
        assertEquals(
                "Choose…|Python programming language|Python snake species|Monty Python comedy group",
                eval("Array.from(document.querySelector(" + quote(QUESTION + " select")
                        + ").options, o => o.textContent).join('|')"));
        assertEquals("Clarification", text(QUESTION + " label"));
        assertEquals("Which interpretation of the topic do you mean?", text(QUESTION + " .tool-question-hint"));
        assertEquals("question", eval("window.sluicePage.state"), "the status bar says the answer waits on the reader");
        assertEquals("asks you", text(LAST_ANSWER + " .tool-state"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> eval("document.activeElement.tagName").equals("SELECT"));
        assertEquals("SELECT", eval("window.__focusWhenShown"), "the focus moves in the frame that draws the fields");
        ChatPageBrowserTest.assertNoSeriousAxeViolation(browser, "an MCP task's question");
        screenshot("mcp-everything-question.png");
        browser.press("ArrowDown", 0); // from "Choose…" to the first choice, then the third
        browser.press("ArrowDown", 0);
        browser.press("ArrowDown", 0);
        browser.press("ArrowDown", 0);
        assertEquals("comedy", eval("document.activeElement.value"));
        browser.press("Tab", 0);
        assertEquals("answer", eval("document.activeElement.dataset.action"));
        browser.press("Enter", 0);
        awaitDone();
        assertEquals("Answered.", text(LAST_ANSWER + " .tool-question-status"));
        assertEquals(
                "comedy",
                eval("document.querySelector(" + quote(LAST_ANSWER + " .tool-question select") + ").value"),
                "the answer stays shown");
        assertEquals("done", eval("document.querySelector(" + quote(BLOCK) + ").dataset.status"));
        assertTrue(
                text(BLOCK + " .tool-output").startsWith("# Research Report: python (comedy)"),
                text(BLOCK + " .tool-output"));
        screenshot("mcp-everything-question-answered.png");
    }

    /**
     * The page's Stop while server-everything's research task works: the page deletes its stream,
     * and the server gets {@code tasks/cancel} for the task within a second; the turn says it
     * stopped, with no result.
     */
    @Test
    void page_stopWhileAnMcpTaskWorks_theServerGetsTasksCancelWithinASecond() throws Exception {
        long before = sent("tasks/cancel");
        openFresh(BLOCK);
        browser.type(RESEARCH);
        browser.press("Enter", 0);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> browser.eval("window.sluicePage.events.includes('tool_progress')")
                        .asBoolean());
        long at = System.nanoTime();
        browser.eval("document.getElementById('stop').click(); true");
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> sent("tasks/cancel") == before + 1);
        assertTrue(System.nanoTime() - at < 1_000_000_000L, "tasks/cancel within a second of Stop");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> eval("window.sluicePage.state").equals("stopped"));
        assertEquals(
                0,
                browser.eval("window.sluicePage.events.filter(t => t === 'tool_done').length")
                        .asInt(),
                "no result after Stop");
        assertTrue(text(LAST_ANSWER + " .turn-meta").contains("stopped"), text(LAST_ANSWER + " .turn-meta"));
        assertEquals(
                "stopped",
                eval("document.querySelector(" + quote(BLOCK) + ").dataset.status"),
                "the call stopped with its turn, not left running");
        assertEquals("stopped", text(BLOCK + " .tool-state"));
        assertEquals("true", eval("document.querySelector(" + quote(BLOCK + " .tool-progress") + ").hidden"));
        screenshot("mcp-everything-task-stopped.png");
    }
}
