package dev.sluice.cli.serve;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.agent.ApprovalPolicy;
import dev.sluice.agent.ToolRunner;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.MessageChunk;
import dev.sluice.cli.DemoTools;
import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelaySource;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.server.suite.ScriptedProvider;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chat page in a real headless Chromium, driven through the DevTools protocol: a conversation
 * of several turns (a tool turn among them) rendered as messages, with Markdown and highlighted
 * code; stop; a resume after the server cuts the connection (SSE and WebSocket); a reload in the
 * middle of an answer; a server restart; keyboard-only use; the dark theme and a 390 px phone; an
 * axe-core audit; and nothing run that a malicious answer contains. The small things too: a cut
 * title ends in an ellipsis, the model and transport chosen survive a reload, "Jump to latest"
 * covers no control, the composer fits 390 px, the status bar and the turn show the same
 * figures, and a turn says which target answered after a failover or a hedge. One browser for the class; screenshots are saved under {@code target/screenshots/}
 * (look at them).
 */
class ChatPageBrowserTest {
    private static final String CODE_PROMPT = "Show me some Python code for Fibonacci";
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Model output that tries everything a page must not run. */
    static final List<String> EVIL = List.of(
            "# Totally harmless\n\nHere is an image: <img src=x onerror=\"window.__pwned='img'\">\n\n",
            "<script>window.__pwned='script'</script>\n\n",
            "[click me](javascript:window.__pwned='md-link') and ",
            "<a href=\"javascript:window.__pwned='a'\" id=\"evil-a\">raw link</a>\n\n",
            "<svg onload=\"window.__pwned='svg'\"><circle r=\"5\"/></svg>\n\n",
            "<iframe src=\"javascript:parent.__pwned='iframe'\"></iframe>\n\n",
            "<details open ontoggle=\"window.__pwned='toggle'\"><summary>x</summary>y</details>\n\n",
            "![pic](x\" onerror=\"window.__pwned='md-img')\n\n",
            "<form><button formaction=\"javascript:window.__pwned='form'\">go</button></form>\n\n",
            "<style>body{display:none}</style><div style=\"background:url(javascript:alert(1))\">styled</div>\n\n",
            "<img src=\"data:image/svg+xml,<svg onload=alert(2)>\" alt=\"d\">\n\n",
            "```html\n<b>not bold</b>\n```\n\n",
            "A [safe link](https://example.com/) stays, and so does `code`.\n");

    private static final CountDownLatch toolGate = new CountDownLatch(1);
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    /** The same fake model unpaced: the token page's (what it tests is the cookie), and the expected answers'. */
    private static FakeLlmServer unpaced;

    private static AnthropicClient unpacedAnthropic;
    private static ServeServer server;
    /**
     * The same relay on the unpaced model: the tests whose answers' pace is not what they look at (a
     * conversation's layout and rendering, the list of conversations) run on its page, each answer at
     * once instead of a few seconds at 80 tokens/s.
     */
    private static ServeServer unpacedServer;
    /** The same relay's API behind a token: its page is opened once at {@code /?token=}. */
    private static ServeServer guarded;

    private static final String TOKEN = "browser-token-0123456789abcdef";
    private static Chromium browser;

    @BeforeAll
    static void start() throws Exception {
        fake = FakeLlmServer.builder().tokensPerSecond(80).start();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        server = ServeServer.start(relay(anthropic), "127.0.0.1", 0);
        unpaced = FakeLlmServer.start();
        unpacedAnthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(unpaced.baseUrl().toString())
                .build();
        unpacedServer = ServeServer.start(relay(unpacedAnthropic), "127.0.0.1", 0);
        guarded = ServeServer.builder(new RelayAdmission(Relay.builder()
                        .provider("anthropic", unpacedAnthropic, "claude-sonnet-4-5")
                        .build()))
                .token(TOKEN)
                .start();
        browser = Chromium.start();
        browser.call("Log.enable", Map.of());
    }

    /** The relay as {@code sluice serve} builds it (the tool runner with the demo tools) on a model, and scripted sources. */
    private static Relay relay(AnthropicClient anthropic) {
        return Relay.builder()
                .source(
                        "anthropic",
                        "claude-sonnet-4-5",
                        RelaySource.toolRunner(ToolRunner.builder(anthropic)
                                .tool(DemoTools.weather())
                                .tool(DemoTools.countSlowly(Duration.ofMillis(150)))
                                .maxTurns(4)
                                .build()))
                .provider(
                        "evil",
                        new ScriptedProvider(emitter -> {
                            for (String piece : EVIL) {
                                if (!emitter.emit(MessageChunk.builder(
                                                new ChunkMetadata("evil-1", Instant.now(), Duration.ofMillis(5)))
                                        .text(piece)
                                        .build())) return;
                            }
                        }),
                        "evil-1")
                .source(
                        "tools",
                        "agent-1",
                        (request, controller) -> RelaySource.of(EventStream.<RelayEvent>builder()
                                .controller(controller)
                                .generate(emitter -> {
                                    emitter.emit(new RelayEvent.Start("tools", request.model()));
                                    emitter.emit(new RelayEvent.Delta("Let me look."));
                                    emitter.emit(new RelayEvent.ToolCall("t1", "search_docs", "{\"q\":\"relay\"}"));
                                    emitter.emit(new RelayEvent.ToolStarted("t1", "search_docs"));
                                    emitter.emit(new RelayEvent.ToolProgress("t1", "reading page 3 of 10", 30.0));
                                    emitter.emit(new RelayEvent.ToolStarted("t2", "fetch_weather"));
                                    emitter.emit(new RelayEvent.ToolProgress("t2", "waiting for the service", null));
                                    emitter.emit(new RelayEvent.ToolFailed("t2", "the service timed out"));
                                    emitter.emit(
                                            new RelayEvent.ToolProgress("t1", "reading page 7 of 10", 70.0, 7.0, 10.0));
                                    toolGate.await();
                                    emitter.emit(new RelayEvent.ToolDone("t1", "3 matches"));
                                    emitter.emit(new RelayEvent.Delta("Found **3** matches."));
                                    emitter.emit(new RelayEvent.Done("stop", 1, 4, 10L, 1));
                                })))
                .source(
                        "approve",
                        "claude-sonnet-4-5",
                        RelaySource.toolRunner(ToolRunner.builder(anthropic)
                                .tool(DemoTools.weather())
                                .approval(ApprovalPolicy.all())
                                .maxTurns(3)
                                .build()))
                .source(
                        "asks",
                        "asks-1",
                        (request, controller) -> RelaySource.of(EventStream.<RelayEvent>builder()
                                .controller(controller)
                                .generate(emitter -> {
                                    emitter.emit(new RelayEvent.Start("asks", "asks-1"));
                                    emitter.emit(new RelayEvent.ToolApproval(
                                            "a1",
                                            "run_shell",
                                            "{\"cmd\":\"<img src=x onerror=\\\"window.__pwned='args'\\\">\"}"));
                                    emitter.emit(new RelayEvent.Delta("No one answered."));
                                    emitter.emit(new RelayEvent.Done("stop", 1, 3, 10L, 1));
                                })))
                .source(
                        "failover",
                        "claude-a",
                        (request, controller) -> RelaySource.of(EventStream.<RelayEvent>builder()
                                .controller(controller)
                                .generate(emitter -> {
                                    emitter.emit(new RelayEvent.Start("anthropic", "claude-a"));
                                    emitter.emit(new RelayEvent.Delta("Half an answer that "));
                                    emitter.emit(new RelayEvent.Delta("stalled."));
                                    emitter.emit(new RelayEvent.Switch(
                                            "anthropic:claude-a", "openai:gpt-4o-mini", "timeout", "restart", ""));
                                    emitter.emit(new RelayEvent.Delta("The whole answer, "));
                                    emitter.emit(new RelayEvent.Delta("from the fallback."));
                                    emitter.emit(new RelayEvent.Done("stop", 1, 4, 10L, 1));
                                })))
                .source(
                        "hedged",
                        "claude-a",
                        (request, controller) -> RelaySource.of(EventStream.<RelayEvent>builder()
                                .controller(controller)
                                .generate(emitter -> {
                                    // the first target was slow, a second raced it and answered first
                                    emitter.emit(new RelayEvent.Start("anthropic", "claude-a"));
                                    emitter.emit(new RelayEvent.Hedge(
                                            "anthropic:claude-a",
                                            "openai:gpt-4o-mini",
                                            "openai:gpt-4o-mini",
                                            800,
                                            12,
                                            0));
                                    emitter.emit(new RelayEvent.Delta("An answer from "));
                                    emitter.emit(new RelayEvent.Delta("the faster target."));
                                    emitter.emit(new RelayEvent.Done("stop", 1, 4, 10L, 1));
                                })))
                .source(
                        "quick",
                        "quick-1",
                        (request, controller) -> RelaySource.of(EventStream.<RelayEvent>builder()
                                .controller(controller)
                                .generate(emitter -> {
                                    // too few tokens, or too little time, to measure a rate: the relay's figure is
                                    // noise
                                    int tokens = request.request()
                                                    .messages()
                                                    .getLast()
                                                    .text()
                                                    .contains("two")
                                            ? 2
                                            : 12;
                                    emitter.emit(new RelayEvent.Start("quick", "quick-1"));
                                    for (int i = 0; i < tokens; i++)
                                        emitter.emit(new RelayEvent.Delta(i == 0 ? "Yes" : " yes"));
                                    emitter.emit(
                                            new RelayEvent.Done("stop", 3, tokens, 12L, tokens == 2 ? 2411.7 : 1100.0));
                                })))
                .heartbeat(Duration.ofSeconds(1))
                .resumeWindow(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        if (server != null) server.close();
        if (unpacedServer != null) unpacedServer.close();
        if (guarded != null) guarded.close();
        if (unpacedAnthropic != null) unpacedAnthropic.close();
        if (unpaced != null) unpaced.close();
        if (anthropic != null) anthropic.close();
        if (fake != null) fake.close();
    }

    @BeforeEach
    void openThePage() throws Exception {
        browser.viewport(1280, 800, false);
        browser.colorScheme("light");
        open(server.uri());
        browser.eval("localStorage.clear(); sessionStorage.clear(); true");
        open(server.uri());
    }

    /** {@return the unpaced server's page} opened, its storage cleared as {@link #openThePage} clears the other's */
    private static URI openUnpaced() throws Exception {
        open(unpacedServer.uri());
        browser.eval("localStorage.clear(); sessionStorage.clear(); true");
        open(unpacedServer.uri());
        return unpacedServer.uri();
    }

    private static void open(URI page) throws Exception {
        browser.navigate(page);
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> browser.eval("window.sluicePage !== undefined && window.sluicePage.ready === true")
                        .asBoolean());
    }

    /** {@return the fake model's answer to a conversation, as the relay's provider would get it} */
    private static String expected(String... turns) {
        ChatRequest.Builder b = ChatRequest.builder().model("claude-sonnet-4-5").maxTokens(4096);
        for (int i = 0; i < turns.length; i++)
            b.addMessage(i % 2 == 0 ? ChatMessage.user(turns[i]) : ChatMessage.assistant(turns[i]));
        return unpacedAnthropic.chat(b.build()).text(); // the same model's words, without the wait
    }

    private static void ask(String prompt, String provider, String transport) throws Exception {
        browser.eval("document.getElementById('provider').value = " + quote(provider) + ";"
                + "document.getElementById('transport').value = " + quote(transport) + ";"
                + "document.getElementById('prompt').value = " + quote(prompt) + ";"
                + "document.getElementById('send').click(); true");
    }

    /** Asks one of the server's scripted sources, which the page's list does not offer, and waits for the answer; screenshot {@code SOURCE-TRANSPORT.png}. */
    private static void askScripted(String source, String transport) throws Exception {
        browser.eval("document.getElementById('provider').append(new Option(" + quote(source) + ", " + quote(source)
                + ")); true");
        ask("tell me something", source, transport);
        awaitState("done");
        screenshot(source + "-" + transport + ".png");
    }

    private static JsonNode page() throws Exception {
        return browser.eval("JSON.parse(JSON.stringify(window.sluicePage))");
    }

    private static String state() throws Exception {
        return browser.eval("window.sluicePage.state").asText();
    }

    private static void awaitState(String wanted) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> state().equals(wanted));
    }

    private static int count(String selector) throws Exception {
        return browser.eval("document.querySelectorAll(" + quote(selector) + ").length")
                .asInt();
    }

    private static String text(String selector) throws Exception {
        return browser.eval("document.querySelector(" + quote(selector) + ").textContent.trim()")
                .asText();
    }

    private static String quote(String s) {
        return JsonText.quoteHtmlSafe(s);
    }

    private static void screenshot(String name) throws Exception {
        browser.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
        browser.screenshot(SCREENSHOTS.resolve(name));
    }

    private static final String LAST_ANSWER = ".turn.assistant:last-child";

    /** Three turns as a person would have them: a name, code, and a question a tool answers. */
    private static void threeTurns() throws Exception {
        ask("Hi, my name is Ada.", "anthropic", "sse");
        awaitState("done");
        ask(CODE_PROMPT, "anthropic", "sse");
        awaitState("done");
        ask("What's the weather in Paris?", "anthropic", "ws");
        awaitState("done");
    }

    @Test
    void conversation_threeTurnsWithATool_shownAsMessagesWithTheToolInsideItsTurn() throws Exception {
        URI page = openUnpaced();
        int logged = browser.events("Log.entryAdded").size();
        threeTurns();
        assertEquals(3, count(".turn.user"));
        assertEquals(3, count(".turn.assistant"));
        assertEquals("Hi, my name is Ada.", text(".turn.user .bubble"));
        assertTrue(text(".turn.assistant .md").startsWith("Nice to meet you, Ada!"));
        // the code answer: Markdown with highlighted code, a language label and a copy button
        String code = ".turn.assistant[data-index=\"3\"] ";
        assertEquals(1, count(code + ".md h2"));
        assertEquals(1, count(code + ".md table"));
        assertEquals(2, count(code + "pre code.hljs"), "both code blocks highlighted");
        assertEquals("def", text(code + "pre code.language-python .hljs-keyword"));
        assertEquals("python", text(code + ".code-head .lang"));
        browser.eval("document.querySelector('" + code + ".code-head button').click(); true");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> page().path("copied").asText().startsWith("def fib(n: int) -> int:"));
        assertEquals(
                count(".md .code-head button"),
                count(".md button"),
                "every button is the page's copy button, none the answer's");
        // the tool turn: the preamble, the call with its arguments and its result, then the answer, each separate
        String tool = LAST_ANSWER + " .seg.tool";
        assertEquals(1, count(tool));
        assertEquals("get_weather", text(tool + " .tool-name"));
        assertEquals("{\"city\":\"Paris\"}", text(tool + " .tool-args"));
        assertEquals("done", text(tool + " .tool-state"));
        assertEquals(DemoTools.weatherIn("Paris"), text(tool + " .tool-output"));
        assertFalse(
                browser.eval("document.querySelector('" + tool + " details.tool-result').open")
                        .asBoolean(),
                "results collapsed");
        assertEquals(List.of("text", "tool", "text"), kinds(LAST_ANSWER));
        assertEquals("I'll check that for you.", text(LAST_ANSWER + " .seg.md"));
        // the page sent the history: the fake model saw the whole conversation
        assertTrue(
                unpaced.requests().stream()
                        .anyMatch(r -> r.body().contains("Nice to meet you, Ada!")
                                && r.body().contains("What's the weather in Paris?")),
                "the history went upstream");
        screenshot("conversation-light.png");
        assertTrue(
                browser.events("Runtime.exceptionThrown").isEmpty(),
                browser.events("Runtime.exceptionThrown").toString());
        List<JsonNode> entries = browser.events("Log.entryAdded");
        assertTrue(
                entries.subList(logged, entries.size()).stream()
                        .noneMatch(e -> e.path("params")
                                .path("entry")
                                .path("level")
                                .asText()
                                .equals("error")),
                "no console error (the favicon is there): " + entries.subList(logged, entries.size()));
        // the list keeps it: after a reload the conversation is still there
        open(page);
        assertEquals(6, count(".turn"));
        assertEquals("Hi, my name is Ada.", text("#conversations button[aria-current=\"true\"]"));
    }

    private static List<String> kinds(String turn) throws Exception {
        JsonNode k = browser.eval(
                "[...document.querySelectorAll('" + turn + " .seg')].map(s => s.classList.contains('tool') ? 'tool' : "
                        + "s.classList.contains('thinking') ? 'thinking' : 'text')");
        return java.util.stream.StreamSupport.stream(k.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    @Test
    void conversation_darkThemeAnd390px_laidOutForThemAndAuditedByAxe() throws Exception {
        URI page = openUnpaced();
        threeTurns();
        assertNoSeriousAxeViolation("light");
        browser.colorScheme("dark");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> browser.eval("document.documentElement.dataset.theme")
                        .asText()
                        .equals("dark"));
        String bg =
                browser.eval("getComputedStyle(document.body).backgroundColor").asText();
        assertEquals("rgb(15, 20, 25)", bg, "the dark preference is followed");
        screenshot("conversation-dark.png");
        assertNoSeriousAxeViolation("dark");
        browser.eval("document.getElementById('theme').click(); true");
        assertEquals(
                "light",
                browser.eval("document.documentElement.dataset.theme").asText(),
                "the toggle overrides the preference");
        assertEquals(
                "false",
                browser.eval("document.getElementById('theme').getAttribute('aria-pressed')")
                        .asText());
        browser.eval("document.getElementById('theme').click(); true");

        browser.colorScheme("light");
        browser.eval("sessionStorage.removeItem('sluice.theme'); true");
        browser.viewport(390, 844, true);
        open(page);
        assertEquals(390, browser.eval("document.documentElement.clientWidth").asInt());
        assertTrue(
                browser.eval("document.documentElement.scrollWidth <= 390").asBoolean(),
                "nothing wider than the phone");
        // the composer's controls end inside the phone, the Model select too when it lists a cloud's long model
        // id (as serve's does: bedrock-anthropic's us.anthropic.claude-sonnet-4-5-20250929-v1:0 ran off the edge)
        browser.eval("const o = document.createElement('option'); o.value = 'bedrock-anthropic';"
                + " o.textContent = 'bedrock-anthropic · us.anthropic.claude-sonnet-4-5-20250929-v1:0';"
                + " document.getElementById('provider').append(o); true");
        JsonNode offEdge = browser.eval("[...document.querySelectorAll('#composer select, #composer button')]"
                + ".filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > 390)"
                + ".map(e => e.id + ' ends at ' + Math.round(e.getBoundingClientRect().right))");
        assertEquals(0, offEdge.size(), "controls past the right edge at 390 px: " + offEdge);
        double composer = browser.eval("document.getElementById('composer').getBoundingClientRect().height")
                .asDouble();
        assertTrue(composer < 844 * 0.2, "the composer takes " + composer + " px of 844");
        assertFalse(
                browser.eval("getComputedStyle(document.getElementById('sidebar')).transform === 'none'")
                        .asBoolean(),
                "the list is tucked away");
        double figures = browser.eval("document.getElementById('figures').getBoundingClientRect().height")
                .asDouble();
        assertTrue(figures < 45, "the figures take one or two short lines: " + figures);
        screenshot("conversation-390.png");
        assertNoSeriousAxeViolation("390 px");
        browser.eval("document.getElementById('open-sidebar').click(); true");
        await().atMost(Duration.ofSeconds(2))
                .until(() -> browser.eval("getComputedStyle(document.getElementById('sidebar')).transform === 'none'")
                        .asBoolean());
        screenshot("conversations-list-390.png");
    }

    private static void assertNoSeriousAxeViolation(String where) throws Exception {
        assertNoSeriousAxeViolation(browser, where);
    }

    /** Runs axe-core on the browser's page: no serious or critical violation. */
    static void assertNoSeriousAxeViolation(Chromium browser, String where) throws Exception {
        String axe;
        try (InputStream in = ChatPageBrowserTest.class.getResourceAsStream("axe/axe.min.js")) {
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        browser.call("Runtime.evaluate", Map.of("expression", axe));
        JsonNode violations = browser.eval("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
                + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => v.impact + ' ' + v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))");
        assertEquals(0, violations.size(), where + ": " + violations);
    }

    @Test
    void keyboard_enterSendsShiftEnterBreaksFocusStaysAndTheNameIsRemembered() throws Exception {
        assertEquals(
                "prompt", browser.eval("document.activeElement.id").asText(), "the box has the focus at the start");
        assertEquals(
                "Message",
                browser.eval("document.querySelector('label[for=prompt]').textContent")
                        .asText());
        browser.type("Hello, my name is");
        browser.press("Enter", 8); // Shift+Enter: a new line, nothing sent
        browser.type("Grace.");
        assertEquals(
                "Hello, my name is\nGrace.",
                browser.eval("document.getElementById('prompt').value").asText());
        assertEquals("idle", state());
        browser.press("Enter", 0);
        awaitState("done");
        assertEquals("", browser.eval("document.getElementById('prompt').value").asText(), "the box is cleared");
        assertEquals("prompt", browser.eval("document.activeElement.id").asText(), "the focus is back in the box");
        browser.type("What is my name?");
        browser.press("Enter", 0);
        awaitState("done");
        assertTrue(text(LAST_ANSWER + " .md").startsWith("Your name is Grace"));
        assertTrue(
                browser.eval("document.getElementById('announcer').textContent")
                        .asText()
                        .startsWith("Answer: Your name is Grace"),
                "the finished answer is announced once");
        assertEquals(
                "polite",
                browser.eval("document.getElementById('announcer').getAttribute('aria-live')")
                        .asText());
        assertEquals(
                0, count("[aria-live]:not(#announcer)"), "the figures and the answer are not announced as they change");
        // Tab from the box reaches Send; Escape stops a stream
        browser.press("Tab", 0);
        assertEquals("send", browser.eval("document.activeElement.id").asText());
        browser.eval("document.getElementById('prompt').focus(); true");
        browser.type("Write a long article about streaming");
        browser.press("Enter", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> page().path("deltas").asInt() > 5);
        browser.press("Escape", 0);
        awaitState("stopped");
        screenshot("keyboard-stopped.png");
    }

    @Test
    void page_streaming_statusMovesFromWaitingToStreamingAndTitleShowsProgress() throws Exception {
        ask("Write a long article about streaming", "anthropic", "sse");
        await().atMost(Duration.ofSeconds(10)).until(() -> page().path("deltas").asInt() > 20);
        assertEquals("streaming", state());
        assertEquals("streaming", text("#status"), "not 'waiting for the first token' once text arrived");
        assertTrue(text("#ttft").matches("\\d+ ms"), "TTFT shown live");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> text("#tps").matches("[0-9.]+")); // bounds for a loaded CI machine
        assertTrue(
                browser.eval("document.title").asText().matches("● \\d+ tokens · .*"),
                browser.eval("document.title").asText());
        screenshot("streaming.png");
        // scrolling up stops the follow and offers a jump back
        await().atMost(Duration.ofSeconds(20))
                .until(() -> browser.eval(
                                "document.getElementById('log').scrollHeight > document.getElementById('log').clientHeight + 300")
                        .asBoolean());
        browser.eval("document.getElementById('log').scrollTop = 0; true");
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        !browser.eval("document.getElementById('jump').hidden").asBoolean());
        assertEquals(
                0,
                browser.eval("document.getElementById('log').scrollTop").asInt(),
                "the page does not pull the reader back down");
        browser.eval("document.getElementById('jump').click(); true");
        assertTrue(browser.eval("document.getElementById('jump').hidden").asBoolean());
        awaitState("done");
        JsonNode page = page();
        assertTrue(page.get("error").isNull(), page.get("error").toString());
        assertEquals(
                expected("Write a long article about streaming"),
                page.get("text").asText());
        assertEquals(page.get("text").asText(), page.get("done").get("text").asText(), "done carries the answer");
        assertTrue(page.get("renders").asInt() < page.get("deltas").asInt(), "rendered once per frame, not per delta");
        assertTrue(text("#ttft").matches("\\d+ ms \\(model \\d+ ms\\)"));
        double tps = Double.parseDouble(text("#tps"));
        assertTrue(tps > 10 && tps < 1000, "tokens/s from the done event: " + tps);
        assertTrue(browser.eval("document.title")
                .asText()
                .startsWith("Write a long article about streaming — Sluice chat"));
        assertTrue(text(LAST_ANSWER + " .turn-meta").contains("tok/s"));
    }

    @Test
    void page_stop_deletesTheStreamAndShowsStopped() throws Exception {
        ask(CODE_PROMPT, "anthropic", "sse");
        await().atMost(Duration.ofSeconds(10)).until(() -> page().path("deltas").asInt() >= 5);
        String id = page().get("streamId").asText();
        browser.eval("document.getElementById('stop').click(); true");
        awaitState("stopped");
        JsonNode page = page();
        assertEquals(
                "cancelled",
                page.get("events").get(page.get("events").size() - 1).asText());
        String text = page.get("text").asText();
        String whole = expected(CODE_PROMPT);
        assertTrue(
                whole.startsWith(text) && text.length() < whole.length(),
                "stopped early: " + text.length() + " of " + whole.length());
        assertTrue(text(LAST_ANSWER + " .turn-meta").contains("stopped"));
        await().atMost(Duration.ofSeconds(5)).until(() -> server.relay().activeStreams() == 0);
        assertTrue(server.relay().contains(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws"})
    void page_serverCutsTheConnection_reconnectsWithBackOffAndResumesWithTheTextIntact(String transport)
            throws Exception {
        ask(CODE_PROMPT, "anthropic", transport);
        await().atMost(Duration.ofSeconds(10)).until(() -> page().path("deltas").asInt() >= 10);
        String id = page().get("streamId").asText();
        for (int cut = 1; cut <= 2; cut++) {
            int before = page().path("deltas").asInt();
            assertTrue(server.relay().dropClients(id));
            int n = cut;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> page().path("reconnects").asInt() >= n);
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            state().equals("streaming") && page().path("deltas").asInt() >= before + 5);
        }
        awaitState("done");
        JsonNode page = page();
        assertTrue(page.get("error").isNull(), "no gap, no repeat: " + page.get("error"));
        assertEquals(expected(CODE_PROMPT), page.get("text").asText());
        JsonNode delays = page.get("delays");
        assertTrue(delays.size() >= 2, delays.toString());
        for (JsonNode d : delays)
            assertTrue(d.asInt() >= 150 && d.asInt() <= 300, "the first step, with jitter: " + delays);
        assertTrue(text("#status").startsWith("done"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws"})
    void reload_midStream_reattachesWithNothingLostOrDoubled(String transport) throws Exception {
        ask("Write a long article about streaming", "anthropic", transport);
        await().atMost(Duration.ofSeconds(10)).until(() -> page().path("deltas").asInt() >= 15);
        browser.call("Page.reload", Map.of());
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> browser.eval("window.sluicePage.ready === true && window.sluicePage.reattached === true")
                        .asBoolean());
        assertTrue(
                count(".turn.user") == 1 && text(".turn.user .bubble").equals("Write a long article about streaming"),
                "the question is still there");
        int reattachedAt = page().path("deltas").asInt();
        assertTrue(text("#ttft").matches("\\d+ ms"), "the time to first token survives the reload: " + text("#ttft"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> page().path("deltas").asInt() >= reattachedAt + 20 || state().equals("done"));
        screenshot("reload-reattached.png");
        if (!state().equals("done")) {
            double tps = Double.parseDouble(text("#tps"));
            assertTrue(
                    tps > 20 && tps < 200,
                    "tokens/s counts only what arrived since the reattach, at the fake's 80/s: " + tps);
        }
        awaitState("done");
        JsonNode page = page();
        assertTrue(page.get("error").isNull(), "no gap, no repeat: " + page.get("error"));
        String whole = expected("Write a long article about streaming");
        assertEquals(whole, page.get("text").asText());
        assertEquals(
                whole,
                browser.eval("JSON.parse(localStorage.getItem('sluice.conversations'))[0].messages[1].content")
                        .asText(),
                "the finished answer is kept");
        assertTrue(text(LAST_ANSWER + " .md").contains("The relay"), "rendered whole");
        assertEquals(1, count(".turn.assistant"));
    }

    /**
     * A streamed answer is rendered block by block: a block already shown keeps its nodes while the
     * answer grows (a frame renders its last block again, not the whole answer); the answer as it was
     * rendered while it streamed is the one rendered from its whole text at once (after a reload); and
     * marked renders the whole text as its blocks one after another.
     */
    @Test
    void streamedAnswer_blocksShownKeepTheirNodes_andTheWholeIsTheTextRenderedAtOnce() throws Exception {
        String md = "document.querySelector('" + LAST_ANSWER + " .md')";
        ask("Write a long article about streaming", "anthropic", "sse");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.eval("!!" + md + " && " + md + ".children.length >= 3")
                        .asBoolean());
        browser.eval("window.firstBlock = " + md + ".firstElementChild; true");
        int shown = page().path("renders").asInt();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> page().path("renders").asInt() > shown + 10);
        assertEquals("streaming", state(), "still streaming: the answer is long");
        assertTrue(
                browser.eval("window.firstBlock.isConnected && window.firstBlock === " + md + ".firstElementChild")
                        .asBoolean(),
                "the first block kept its node through the frames after it");
        awaitState("done");
        String streamed = browser.eval(md + ".innerHTML").asText();
        assertTrue(
                browser.eval("(() => { const t = window.sluicePage.text; const blocks = marked.lexer(t);"
                                + " return blocks.length > 5 && blocks.map((b) => marked.parser([b])).join('')"
                                + " === marked.parse(t); })()")
                        .asBoolean(),
                "marked renders the whole text as its blocks one after another");
        browser.call("Page.reload", Map.of());
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> browser.eval("window.sluicePage.ready === true").asBoolean()
                        && browser.eval("!!" + md).asBoolean());
        assertEquals(streamed, browser.eval(md + ".innerHTML").asText(), "rendered as streamed = rendered at once");
    }

    @Test
    void serverRestart_midStream_backsOffThenSaysTheStreamIsGoneAndRetries() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + port + "/");
        Process first = serve(port, 70); // the tool's default pace: the crash comes mid-answer
        Process second = null;
        try {
            open(uri);
            ask("Write a long article about streaming", "anthropic", "sse");
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> page().path("deltas").asInt() >= 10);
            first.destroyForcibly().waitFor(); // a crash: no event says goodbye
            await().atMost(Duration.ofSeconds(10)).until(() -> state().equals("reconnecting"));
            String rate = text("#tps");
            screenshot("reconnecting.png");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> page().path("delays").size() >= 3);
            assertEquals(rate, text("#tps"), "tokens/s over generation time: the outage does not drag it down");
            second = serve(port, 0); // the retry's answer unpaced: only its end is looked at
            awaitState("gone");
            // while the server was down, the attempts backed off: each step twice the last, half of it jitter, capped
            JsonNode delays = page().get("delays");
            for (int i = 0; i < delays.size(); i++) {
                int step = Math.min(10_000, 300 << Math.min(i, 10));
                assertTrue(
                        delays.get(i).asInt() >= step / 2 && delays.get(i).asInt() <= step,
                        "attempt " + (i + 1) + ": " + delays);
            }
            assertTrue(
                    text(LAST_ANSWER + " .turn-error").startsWith("This stream is gone"),
                    text(LAST_ANSWER + " .turn-error"));
            assertTrue(
                    text(LAST_ANSWER + " .md").startsWith("Streaming a model's answer"), "the text that arrived stays");
            screenshot("server-restarted.png");
            browser.eval("document.querySelector('" + LAST_ANSWER + " .turn-error button').click(); true");
            awaitState("done");
            JsonNode page = page();
            assertTrue(
                    page.get("text").asText().startsWith("# Streaming a model's answer"),
                    page.get("text").asText());
            assertEquals(page.get("text").asText(), page.get("done").get("text").asText());
            assertEquals(1, count(".turn.assistant"), "the retry replaces the lost answer");
        } finally {
            first.destroyForcibly().waitFor();
            if (second != null) second.destroyForcibly().waitFor();
            open(server.uri());
        }
    }

    /**
     * {@return {@code sluice serve} in a process of its own, with the embedded fake model at this pace
     * (tokens per second, 0 for none), once it listens}
     */
    private static Process serve(int port, int tokensPerSecond) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", // C1 only, as the tests' other processes of the tool
                "-cp",
                System.getProperty("java.class.path"),
                "dev.sluice.cli.Sluice",
                "serve",
                "--port",
                Integer.toString(port));
        pb.environment()
                .keySet()
                .removeIf(k -> k.endsWith("_API_KEY") || k.endsWith("_BASE_URL") || k.startsWith("SLUICE_"));
        pb.environment().put("SLUICE_FAKE_TOKENS_PER_SECOND", Integer.toString(tokensPerSecond));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        CountDownLatch listening = new CountDownLatch(1);
        Thread.ofPlatform()
                .daemon()
                .start(
                        () -> { // a pipe read holds its carrier: never on a virtual thread
                            try (var err = new java.io.BufferedReader(
                                    new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                                for (String line; (line = err.readLine()) != null; )
                                    if (line.startsWith("sluice serve: http://")) listening.countDown();
                            } catch (java.io.IOException e) {
                                // the process ended
                            }
                        });
        if (!listening.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sluice serve did not start on port " + port);
        }
        return p;
    }

    @Test
    void conversations_newSwitchRenameDeleteExportAndRegenerateEditLast() throws Exception {
        openUnpaced();
        ask("Tell me about the ocean", "anthropic", "sse");
        awaitState("done");
        browser.eval("document.getElementById('new-chat').click(); true");
        ask("What is the capital of France?", "anthropic", "sse");
        awaitState("done");
        assertEquals("The capital of France is Paris.", text(LAST_ANSWER + " .md"));
        assertEquals(2, count("#conversations button.conv"));
        // rename
        browser.eval("document.getElementById('rename').click(); true");
        browser.eval("document.getElementById('rename-input').value = 'Capitals'; true");
        browser.press("Enter", 0);
        assertEquals("Capitals", text("#title"));
        // export
        browser.eval("document.getElementById('export').click(); true");
        assertTrue(
                page().get("exported").asText().startsWith("# Capitals\n\n## You\n\nWhat is the capital of France?"));
        // edit the last question: the answer follows the new one
        browser.eval("document.querySelector('.turn.user .turn-actions button').click(); true");
        browser.eval(
                "document.querySelector('.turn.user .edit textarea').value = 'What is the capital of Japan?'; true");
        browser.eval("document.querySelector('.turn.user .edit button').click(); true");
        awaitState("done");
        assertEquals("The capital of Japan is Tokyo.", text(LAST_ANSWER + " .md"));
        assertEquals(2, count(".turn"));
        // regenerate: the same question again, one answer
        browser.eval("document.querySelector('" + LAST_ANSWER + " button[data-action=regenerate]').click(); true");
        awaitState("done");
        assertEquals(2, count(".turn"));
        // switch, then delete
        browser.eval(
                "[...document.querySelectorAll('#conversations button.conv')].find(b => b.textContent.startsWith('Tell me')).click(); true");
        assertTrue(text(".turn.user .bubble").equals("Tell me about the ocean"));
        browser.eval("document.getElementById('delete').click(); true");
        assertEquals("Capitals", text("#title"));
        assertEquals(1, count("#conversations button.conv"));
        assertEquals(
                1,
                browser.eval("JSON.parse(localStorage.getItem('sluice.conversations')).length")
                        .asInt());
        assertTrue(
                browser.eval("Object.keys(localStorage).every(k => k === 'sluice.conversations')")
                        .asBoolean(),
                "localStorage holds the conversations and nothing else");
    }

    @Test
    void page_refusedRequest_errorInTheTurnWithARetry() throws Exception {
        browser.eval("document.getElementById('provider').append(new Option('gone', 'no-such-provider')); true");
        ask("hello", "no-such-provider", "sse");
        awaitState("failed");
        assertTrue(
                text(LAST_ANSWER + " .turn-error").startsWith("Not sent: no provider named"),
                text(LAST_ANSWER + " .turn-error"));
        assertEquals("Retry", text(LAST_ANSWER + " .turn-error button"));
        screenshot("error-retry.png");
    }

    @Test
    void page_maliciousAnswer_executesNothingAndKeepsTheText() throws Exception {
        browser.eval("window.__pwned = undefined; true");
        int dialogs = browser.events("Page.javascriptDialogOpening").size();
        ask("anything", "evil", "sse");
        awaitState("done");
        screenshot("malicious-answer.png");
        String md = LAST_ANSWER + " .md";
        assertTrue(
                browser.eval("window.__pwned === undefined && window.parent.__pwned === undefined")
                        .asBoolean(),
                "something ran: " + browser.eval("String(window.__pwned)"));
        assertEquals(dialogs, browser.events("Page.javascriptDialogOpening").size(), "no alert");
        assertEquals(
                0,
                count(md + " script, " + md + " iframe, " + md + " style, " + md + " form, " + md + " [onerror], " + md
                        + " [onload], " + md + " [ontoggle], " + md + " [formaction], " + md + " [style]"));
        assertEquals(
                0,
                browser.eval(
                                "[...document.querySelectorAll('" + md + " [href], " + md + " [src]')]"
                                        + ".filter(e => /^\\s*(javascript|data):/i.test(e.getAttribute('href') || e.getAttribute('src') || '')).length")
                        .asInt());
        assertEquals(
                "https://example.com/",
                browser.eval("document.querySelector('" + md + " a[href^=\"https\"]').getAttribute('href')")
                        .asText());
        assertTrue(text(md).contains("stays, and so does code"));
        assertFalse(
                browser.eval("getComputedStyle(document.body).display").asText().equals("none"));
        // the copy button copies the code's text, never HTML into the page
        browser.eval("document.querySelector('" + md + " .code-head button').click(); true");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> page().path("copied").asText().trim().equals("<b>not bold</b>"));
        assertEquals(0, count(md + " b"));
        browser.eval("document.querySelectorAll('" + md
                + " a').forEach(a => { if (!a.href.startsWith('http')) a.click(); }); true");
        assertTrue(browser.eval("window.__pwned === undefined").asBoolean());
    }

    @Test
    void page_toolEvents_showArgumentsProgressFailuresAndResultsInTheTurn() throws Exception {
        ask("use the tools", "tools", "sse");
        String t1 = LAST_ANSWER + " .seg.tool[data-id=\"t1\"]";
        String t2 = LAST_ANSWER + " .seg.tool[data-id=\"t2\"]";
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count(LAST_ANSWER + " .seg.tool") == 2
                        && browser.eval("document.querySelector('" + t1 + " progress').value")
                                        .asDouble()
                                == 70);
        assertEquals("search_docs", text(t1 + " .tool-name"));
        assertEquals("{\"q\":\"relay\"}", text(t1 + " .tool-args"));
        assertEquals("reading page 7 of 10", text(t1 + " .tool-message"));
        assertEquals("7 of 10", text(t1 + " .tool-progress-text"), "progress of a total, in words beside the bar");
        assertEquals(
                "7 of 10",
                browser.eval("document.querySelector('" + t1 + " progress').getAttribute('aria-valuetext')")
                        .asText());
        assertFalse(
                browser.eval("document.querySelector('" + t2 + " progress').hasAttribute('value')")
                        .asBoolean(),
                "no percent: indeterminate");
        assertEquals(
                "failed",
                browser.eval("document.querySelector('" + t2 + "').dataset.status")
                        .asText());
        assertEquals("the service timed out", text(t2 + " .tool-message"));
        screenshot("tool-progress.png");
        toolGate.countDown();
        awaitState("done");
        assertEquals("3 matches", text(t1 + " .tool-output"));
        assertEquals(List.of("text", "tool", "tool", "text"), kinds(LAST_ANSWER));
        assertEquals("3", text(LAST_ANSWER + " .md strong"));
        assertEquals(
                "Let me look.\n\nFound **3** matches.",
                page().get("done").get("text").asText());
    }

    /** The Approve button of a call that asks (each tool block has one, hidden until its call asks). */
    private static final String APPROVE = LAST_ANSWER + " .tool-approval:not([hidden]) button[data-action=\"approve\"]";

    /** A tool call that needs approval: its arguments and the buttons, the focus on Approve, the decision over either transport. */
    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws"})
    void page_toolApproval_argumentsAndButtons_focusOnApprove_keyboardApproves(String transport) throws Exception {
        ask("What's the weather in Paris?", "approve", transport);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> count(APPROVE) == 1
                        && browser.eval("document.activeElement.dataset.action === 'approve'")
                                .asBoolean());
        assertEquals("Run get_weather with these arguments?", text(LAST_ANSWER + " .tool-approval-question"));
        assertTrue(
                text(LAST_ANSWER + " .tool-approval-args").contains("Paris"),
                text(LAST_ANSWER + " .tool-approval-args"));
        assertEquals(
                "approval",
                browser.eval("document.querySelector('" + LAST_ANSWER + " .seg.tool').dataset.status")
                        .asText());
        assertEquals("waits for your approval", text(LAST_ANSWER + " .tool-state"));
        assertEquals("approval", state(), "the status bar says the answer waits on the reader");
        assertTrue(browser.eval("document.title").asText().startsWith("⏸ waiting for your approval"));
        assertNoSeriousAxeViolation("a tool call waiting for approval (" + transport + ")");
        screenshot("tool-approval-" + transport + ".png");
        browser.press("Tab", 0);
        assertEquals(
                "deny", browser.eval("document.activeElement.dataset.action").asText(), "Deny is next to Approve");
        browser.press("Tab", 8); // Shift+Tab back
        browser.press("Enter", 0);
        awaitState("done");
        assertEquals("Approved", text(LAST_ANSWER + " .tool-decision"));
        assertEquals(0, count(APPROVE + ":not([hidden] *)"), "no buttons once decided");
        assertTrue(browser.eval("document.querySelector('" + LAST_ANSWER + " .tool-approval-actions').hidden")
                .asBoolean());
        assertEquals(
                "done",
                browser.eval("document.querySelector('" + LAST_ANSWER + " .seg.tool').dataset.status")
                        .asText());
        assertTrue(text(LAST_ANSWER + " .tool-output").contains("Paris"), text(LAST_ANSWER + " .tool-output"));
        screenshot("tool-approved-" + transport + ".png");
    }

    @Test
    void page_toolApproval_denied_theToolNeverRunsAndTheDecisionStays() throws Exception {
        ask("What's the weather in Paris?", "approve", "sse");
        await().atMost(Duration.ofSeconds(15)).until(() -> count(APPROVE) == 1);
        browser.eval("document.querySelector('" + LAST_ANSWER
                + " .tool-approval:not([hidden]) button[data-action=\"deny\"]').click(); true");
        awaitState("done");
        assertEquals("Denied", text(LAST_ANSWER + " .tool-decision").replaceAll(":.*", ""));
        assertEquals(
                "denied",
                browser.eval("document.querySelector('" + LAST_ANSWER + " .seg.tool').dataset.status")
                        .asText(),
                "denied, not failed: the runner's denial shows once, as the decision");
        assertEquals("denied", text(LAST_ANSWER + " .tool-state"));
        assertEquals("", text(LAST_ANSWER + " .tool-message"));
        assertEquals("", text(LAST_ANSWER + " .tool-output"), "no result: it never ran");
        screenshot("tool-denied.png");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws"})
    void page_toolApproval_reload_theCallIsAskedAgainThenDecided(String transport) throws Exception {
        ask("What's the weather in Paris?", "approve", transport);
        await().atMost(Duration.ofSeconds(15)).until(() -> count(APPROVE) == 1);
        browser.call("Page.reload", Map.of());
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> browser.eval("window.sluicePage.ready === true && window.sluicePage.reattached === true")
                        .asBoolean());
        await().atMost(Duration.ofSeconds(10)).until(() -> count(APPROVE) == 1);
        assertFalse(browser.eval("document.querySelector('" + APPROVE + "').disabled")
                .asBoolean());
        screenshot("tool-approval-after-reload-" + transport + ".png");
        browser.eval("document.querySelector('" + APPROVE + "').click(); true");
        awaitState("done");
        assertEquals("Approved", text(LAST_ANSWER + " .tool-decision"));
        assertTrue(page().get("error").isNull(), "no gap, no repeat: " + page().get("error"));
    }

    @Test
    void page_toolApproval_argumentsAreText_andACallLeftUndecidedSaysSo() throws Exception {
        ask("run something", "asks", "sse");
        awaitState("done");
        assertEquals(
                "{\"cmd\":\"<img src=x onerror=\\\"window.__pwned='args'\\\">\"}",
                text(LAST_ANSWER + " .tool-approval-args"));
        assertEquals(0, count(LAST_ANSWER + " .tool-approval img"));
        assertTrue(browser.eval("window.__pwned === undefined").asBoolean());
        assertEquals("Not decided: the answer ended first.", text(LAST_ANSWER + " .tool-decision"));
        assertEquals(0, count(LAST_ANSWER + " .tool-approval-actions:not([hidden])"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws"})
    void page_failoverRestart_replacesTheFailedAttemptAndSaysWhoAnswered(String transport) throws Exception {
        askScripted("failover", transport);
        assertEquals("The whole answer, from the fallback.", text(LAST_ANSWER + " .md"));
        assertEquals(List.of("text"), kinds(LAST_ANSWER));
        assertEquals(1, page().path("switches").asInt());
        String figures = text(LAST_ANSWER + " .figures");
        assertTrue(figures.startsWith("openai:gpt-4o-mini · after anthropic:claude-a (timeout)"), figures);
        assertEquals(
                "The whole answer, from the fallback.",
                page().get("done").get("text").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws"})
    void page_hedgedAnswer_saysWhichTargetWonAndWhichItRaced_alsoAfterAReload(String transport) throws Exception {
        askScripted("hedged", transport);
        assertEquals("An answer from the faster target.", text(LAST_ANSWER + " .md"));
        assertEquals("openai:gpt-4o-mini", text("#model"));
        String expected = "openai:gpt-4o-mini · faster than anthropic:claude-a (hedged after 800 ms)";
        String figures = text(LAST_ANSWER + " .figures");
        assertTrue(figures.startsWith(expected), figures);
        browser.call("Page.reload", Map.of()); // the conversation is kept with who answered it
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> text(LAST_ANSWER + " .figures").startsWith(expected));
    }

    @Test
    void tokenPage_withoutTheToken_refused() throws Exception {
        browser.call("Network.clearBrowserCookies", Map.of()); // a cookie from the test below would open it
        browser.navigate(guarded.uri());
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> browser.eval("document.body.innerText").asText().contains("needs its token"));
        assertFalse(browser.eval("window.sluicePage !== undefined").asBoolean());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws"})
    void tokenPage_openedOnceWithTheToken_streamsWithTheCookieAlone(String transport) throws Exception {
        open(URI.create(guarded.uri() + "?token=" + TOKEN));
        assertEquals(
                guarded.uri().toString(), browser.eval("location.href").asText(), "the token left the address bar");
        assertFalse(browser.eval("document.cookie").asText().contains(TOKEN), "HttpOnly: no script reads it");
        ask(CODE_PROMPT, "anthropic", transport);
        awaitState("done");
        assertEquals(expected(CODE_PROMPT), page().get("text").asText());
        assertTrue(
                browser.eval("Object.values(localStorage).concat(Object.values(sessionStorage)).every(v => !v.includes("
                                + quote(TOKEN) + "))")
                        .asBoolean(),
                "no token in the browser's storage");
    }

    @Test
    void title_longFirstQuestion_cutWithAnEllipsisWhereverItIsCut() throws Exception {
        String question = "Can you explain to me in some detail how rivers shape the land over thousands of years?";
        ask(question, "quick", "sse");
        awaitState("done");
        String title = text("#title");
        assertTrue(
                title.endsWith("…")
                        && title.length() <= 48
                        && question.startsWith(
                                title.substring(0, title.length() - 1).strip()),
                "cut to 48 characters, and it says so: " + title);
        assertEquals(title, text("#conversations button[aria-current=\"true\"]"));
        assertTrue(browser.eval("document.title").asText().startsWith(title + " — Sluice chat"));
        // where the width cuts it (the list, the header on a phone), CSS draws the ellipsis on the element that
        // overflows
        assertTrue(cutWithAnEllipsis("#conversations button.conv"), "the list cuts the title with an ellipsis");
        browser.viewport(390, 844, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> cutWithAnEllipsis("#title"));
        // a rename longer than a title may be is cut the same way
        browser.eval("document.getElementById('rename').click(); true");
        browser.eval("document.getElementById('rename-input').value = " + quote("x".repeat(100)) + "; true");
        browser.press("Enter", 0);
        assertEquals("x".repeat(79) + "…", text("#title"));
    }

    /** {@return whether the element overflows and CSS cuts it there with an ellipsis} */
    private static boolean cutWithAnEllipsis(String selector) throws Exception {
        return browser.eval("(() => { const e = document.querySelector(" + quote(selector)
                        + "); const s = getComputedStyle(e);"
                        + " return e.scrollWidth > e.clientWidth && s.textOverflow === 'ellipsis' && s.overflowX === 'hidden'"
                        + " && s.whiteSpace === 'nowrap'; })()")
                .asBoolean();
    }

    @Test
    void preferences_webSocketAndAModelChosen_surviveAReloadAndTheNextAnswerGoesOverAWebSocket() throws Exception {
        // chosen as a person does: the select changes, and says so
        browser.eval(
                "for (const [id, value] of [['transport', 'ws'], ['provider', 'quick']]) {"
                        + " const s = document.getElementById(id); s.value = value; s.dispatchEvent(new Event('change', {bubbles: true})); } true");
        open(server.uri());
        assertEquals(
                "ws",
                browser.eval("document.getElementById('transport').value").asText(),
                "the transport survives a reload");
        assertEquals(
                "quick",
                browser.eval("document.getElementById('provider').value").asText(),
                "so does the model");
        browser.call("Network.enable", Map.of());
        try {
            int sockets = browser.events("Network.webSocketCreated").size();
            int requests = browser.events("Network.requestWillBeSent").size();
            browser.eval(
                    "document.getElementById('prompt').value = 'hello'; document.getElementById('send').click(); true");
            awaitState("done");
            List<JsonNode> created = browser.events("Network.webSocketCreated");
            assertEquals(1, created.size() - sockets, "the answer came over a WebSocket");
            assertTrue(created.getLast().path("params").path("url").asText().endsWith("/api/ws"));
            List<JsonNode> sent = browser.events("Network.requestWillBeSent");
            assertTrue(
                    sent.subList(requests, sent.size()).stream()
                            .noneMatch(e -> e.path("params")
                                    .path("request")
                                    .path("url")
                                    .asText()
                                    .contains("/api/streams")),
                    "and not over SSE");
            assertTrue(text(LAST_ANSWER + " .figures").startsWith("quick-1"), "from the model chosen");
        } finally {
            browser.call("Network.disable", Map.of());
        }
    }

    @Test
    void jumpToLatest_atEveryWidth_coversNoControl() throws Exception {
        openUnpaced();
        threeTurns();
        browser.eval("document.getElementById('prompt').focus(); true");
        browser.type("A question\nof several\nlines\nmakes\nthe composer\ngrow"); // not sent
        for (int[] size : new int[][] {{1280, 800}, {760, 900}, {390, 844}}) {
            browser.viewport(size[0], size[1], size[0] < 500);
            browser.eval("document.getElementById('log').scrollTop = 0; true");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !browser.eval("document.getElementById('jump').hidden")
                            .asBoolean());
            if (size[0] == 390) screenshot("jump-to-latest-390.png");
            // every position of the log while the jump shows: the part of each control that shows is clear of it
            JsonNode covered = browser.eval("(() => {"
                    + " const log = document.getElementById('log'), jump = document.getElementById('jump'), hits = new Set();"
                    + " const clip = (r, c) => ({ left: Math.max(r.left, c.left), right: Math.min(r.right, c.right),"
                    + "   top: Math.max(r.top, c.top), bottom: Math.min(r.bottom, c.bottom) });"
                    + " const view = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };"
                    + " for (let top = 0; top <= log.scrollHeight - log.clientHeight - 40; top += 8) {"
                    + "   log.scrollTop = top;"
                    + "   const j = jump.getBoundingClientRect();"
                    + "   if (jump.hidden || j.width === 0 || j.left < 0 || j.right > innerWidth || j.bottom > innerHeight)"
                    + "     hits.add('the jump is not shown whole');"
                    + "   for (const c of document.querySelectorAll('button, input, select, textarea, a[href], summary')) {"
                    + "     if (c === jump || !c.checkVisibility({ visibilityProperty: true })) continue;"
                    + "     let r = clip(c.getBoundingClientRect(), view);"
                    + "     if (log.contains(c)) r = clip(r, log.getBoundingClientRect());"
                    + "     if (r.left < j.right && j.left < r.right && r.top < j.bottom && j.top < r.bottom)"
                    + "       hits.add((c.id || c.className || c.tagName) + ' ' + c.textContent.trim().slice(0, 20));"
                    + "   }"
                    + " }"
                    + " return [...hits]; })()");
            assertEquals(0, covered.size(), size[0] + " px: the jump covers " + covered);
        }
        browser.eval("document.getElementById('jump').click(); true");
        assertTrue(browser.eval("document.getElementById('jump').hidden").asBoolean());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> browser.eval("(() => { const l = document.getElementById('log');"
                                + " return l.scrollHeight - l.scrollTop - l.clientHeight < 2; })()")
                        .asBoolean());
    }

    @Test
    void phone390_modelSelectAndHintsFitTheScreen() throws Exception {
        browser.viewport(390, 844, true);
        open(server.uri());
        JsonNode problems = browser.eval("(() => {"
                + " const out = [], width = innerWidth;"
                + " const wide = document.documentElement.scrollWidth;"
                + " if (wide > width) out.push('the page is ' + wide + ' px wide');"
                + " const parts = ['#hint', '#provider', '#transport'].map(s => document.querySelector(s));"
                + " for (const e of parts) {"
                + "   const r = e.getBoundingClientRect();"
                + "   if (!e.checkVisibility({ visibilityProperty: true }) || r.width === 0) { out.push(e.id + ' is not shown'); continue; }"
                + "   if (r.left < 0 || r.right > width) out.push(e.id + ' reaches ' + r.left + '..' + r.right);"
                + "   if (e.scrollWidth > e.clientWidth + 1) out.push(e.id + ' is clipped: ' + e.scrollWidth + ' > ' + e.clientWidth);"
                + " }"
                + " for (const s of parts.slice(1)) {" // a select as wide as its longest option, as it would be with
                // all the room it wants
                + "   const free = s.cloneNode(true);"
                + "   free.removeAttribute('id');"
                + "   free.style.cssText = 'position: absolute; visibility: hidden; max-width: none; width: auto';"
                + "   s.after(free);"
                + "   const wants = free.getBoundingClientRect().width;"
                + "   free.remove();"
                + "   const has = s.getBoundingClientRect().width;"
                + "   if (has < wants - 0.5) out.push(s.id + ' is ' + has + ' px of the ' + wants + ' its options need');"
                + " }"
                + " for (let i = 0; i < parts.length; i++) for (let k = i + 1; k < parts.length; k++) {"
                + "   const a = parts[i].getBoundingClientRect(), b = parts[k].getBoundingClientRect();"
                + "   if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) out.push(parts[i].id + ' overlaps ' + parts[k].id);"
                + " }"
                + " return out; })()");
        assertEquals(0, problems.size(), problems.toString());
        double composer = browser.eval("document.getElementById('composer').getBoundingClientRect().height")
                .asDouble();
        assertTrue(composer < 844 * 0.2, "the composer takes " + composer + " px of 844");
        assertNoSeriousAxeViolation("390 px");
    }

    @Test
    void figures_statusBarAndTurnAgree_andTokensPerSecondOnlyWhenItMeasuresSomething() throws Exception {
        // two tokens, and twelve in a burst: the relay's figures (2411.7 and 1100 tokens/s) measure nothing
        ask("answer in two tokens", "quick", "sse");
        awaitState("done");
        assertFiguresAgree();
        assertEquals("2", text("#tokens"));
        assertEquals("–", text("#tps"));
        assertFalse(text(LAST_ANSWER + " .figures").contains("tok/s"), text(LAST_ANSWER + " .figures"));
        ask("answer in a burst", "quick", "ws");
        awaitState("done");
        assertFiguresAgree();
        assertEquals("12", text("#tokens"));
        assertFalse(text(LAST_ANSWER + " .figures").contains("tok/s"), text(LAST_ANSWER + " .figures"));
        // a long answer: measured, and the same figures in both places, live and at the end
        ask("Write a long article about streaming", "anthropic", "sse");
        await().atMost(Duration.ofSeconds(15)).until(() -> text("#tps").matches("[0-9.]+"));
        awaitState("done");
        assertFiguresAgree();
        String figures = text(LAST_ANSWER + " .figures");
        assertTrue(figures.matches(".* · \\d+\\.\\d\u00a0tok/s · \\d+\u00a0tokens"), figures);
        // stopped: the page's own count and rate, the same in both
        ask("Write a long article about streaming", "anthropic", "sse");
        await().atMost(Duration.ofSeconds(15)).until(() -> page().path("deltas").asInt() > 40);
        browser.eval("document.getElementById('stop').click(); true");
        awaitState("stopped");
        assertFiguresAgree();
        // and after a reload, the status bar shows what the last turn says
        open(server.uri());
        assertFiguresAgree();
    }

    /** The status bar's time to first token, tokens per second and tokens are those the last turn shows. */
    private static void assertFiguresAgree() throws Exception {
        String turn = text(LAST_ANSWER + " .figures").replace('\u00a0', ' '); // no break inside a figure
        List<String> parts = List.of(turn.split(" · "));
        assertTrue(parts.contains("TTFT " + text("#ttft")), "TTFT " + text("#ttft") + " in " + turn);
        if (text("#tps").equals("–")) assertTrue(parts.stream().noneMatch(p -> p.endsWith("tok/s")), turn);
        else assertTrue(parts.contains(text("#tps") + " tok/s"), text("#tps") + " tok/s in " + turn);
        assertTrue(parts.contains(text("#tokens") + " tokens"), text("#tokens") + " tokens in " + turn);
    }
}
