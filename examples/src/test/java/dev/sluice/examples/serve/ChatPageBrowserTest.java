package dev.sluice.examples.serve;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.MessageChunk;
import dev.sluice.examples.fake.FakeAnthropicServer;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelaySource;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chat page in a real headless Chromium, driven through the DevTools protocol: it streams and
 * renders Markdown with highlighted code, shows TTFT and tokens/s, stops, resumes after the server
 * cuts its connection (SSE and WebSocket), and runs nothing a malicious answer contains. One
 * browser for the class; a screenshot is saved under {@code target/browser/}.
 */
class ChatPageBrowserTest {
    private static final String CODE_PROMPT = "Show me some Python code for Fibonacci";
    private static final Path ARTIFACTS = Path.of("target", "browser");
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
            "A [safe link](https://example.com/) stays, and so does `code`.\n");

    private static final java.util.concurrent.CountDownLatch toolGate = new java.util.concurrent.CountDownLatch(1);
    private static FakeAnthropicServer fake;
    private static AnthropicClient anthropic;
    private static RelayServer server;
    private static Chromium browser;

    @BeforeAll
    static void start() throws Exception {
        fake = FakeAnthropicServer.builder().tokensPerSecond(80).build().start();
        anthropic = AnthropicClient.builder().apiKey("test").baseUrl(fake.baseUrl().toString()).build();
        Relay relay = Relay.builder().provider("anthropic", anthropic, "claude-sonnet-4-5").provider("evil", new Evil(), "evil-1")
                .source("tools", "agent-1", (request, controller) -> RelaySource.of(EventStream.<RelayEvent>builder()
                        .controller(controller).generate(emitter -> {
                            emitter.emit(new RelayEvent.Start("tools", request.model()));
                            emitter.emit(new RelayEvent.ToolStarted("t1", "search_docs"));
                            emitter.emit(new RelayEvent.ToolProgress("t1", "reading page 3 of 10", 30.0));
                            emitter.emit(new RelayEvent.ToolStarted("t2", "fetch_weather"));
                            emitter.emit(new RelayEvent.ToolProgress("t2", "waiting for the service", null));
                            emitter.emit(new RelayEvent.ToolFailed("t2", "the service timed out"));
                            emitter.emit(new RelayEvent.ToolProgress("t1", "reading page 7 of 10", 70.0));
                            toolGate.await();
                            emitter.emit(new RelayEvent.ToolDone("t1", "3 matches"));
                            emitter.emit(new RelayEvent.Delta("Found **3** matches."));
                            emitter.emit(new RelayEvent.Done("stop", 1, 4, 10L, 1));
                        })))
                .heartbeat(Duration.ofSeconds(1)).resumeWindow(Duration.ofSeconds(10)).build();
        server = RelayServer.start(relay, "127.0.0.1", 0);
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        if (server != null) server.close();
        if (anthropic != null) anthropic.close();
        if (fake != null) fake.close();
    }

    @BeforeEach
    void openThePage() throws Exception {
        browser.navigate(server.uri());
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .until(() -> browser.eval("window.sluicePage !== undefined && window.sluicePage.ready === true").asBoolean());
    }

    private static String expected(String prompt) {
        return anthropic.chat(ChatRequest.builder().model("claude-sonnet-4-5").maxTokens(4096)
                .addMessage(ChatMessage.user(prompt)).build()).text();
    }

    private static void ask(String prompt, String provider, String transport) throws Exception {
        browser.eval("document.getElementById('prompt').value = " + quote(prompt) + ";"
                + "document.getElementById('provider').value = " + quote(provider) + ";"
                + "document.getElementById('transport').value = " + quote(transport) + ";"
                + "document.getElementById('send').click(); true");
    }

    private static JsonNode page() throws Exception {
        return browser.eval("JSON.parse(JSON.stringify(window.sluicePage))");
    }

    private static String state() throws Exception {
        return browser.eval("window.sluicePage.state").asText();
    }

    private static void awaitState(String wanted) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> state().equals(wanted));
    }

    private static String quote(String s) {
        return Json.string(s);
    }

    @Test
    void page_markdownAnswer_rendersHighlightedCodeAndShowsTtftAndTokensPerSecond() throws Exception {
        ask(CODE_PROMPT, "anthropic", "sse");
        await().atMost(Duration.ofSeconds(10)).until(() -> page().path("deltas").asInt() > 5);
        assertEquals("streaming", state());
        assertTrue(browser.eval("document.getElementById('ttft').textContent").asText().matches("\\d+ ms"), "TTFT shown live");
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.eval("document.getElementById('tps').textContent").asText().matches("[0-9.]+"));
        awaitState("done");
        browser.screenshot(ARTIFACTS.resolve("chat-page.png"));

        JsonNode page = page();
        assertNull(page.get("error").isNull() ? null : page.get("error").asText());
        assertEquals(expected(CODE_PROMPT), page.get("text").asText());
        assertTrue(page.get("renders").asInt() < page.get("deltas").asInt(),
                "rendered once per frame, not per delta: " + page.get("renders") + " renders, " + page.get("deltas") + " deltas");
        assertEquals(1, browser.eval("document.querySelectorAll('#answer h2').length").asInt());
        assertEquals(3, browser.eval("document.querySelectorAll('#answer ol > li').length").asInt());
        assertEquals(1, browser.eval("document.querySelectorAll('#answer table').length").asInt());
        assertEquals(2, browser.eval("document.querySelectorAll('#answer pre code.hljs').length").asInt(), "both code blocks highlighted");
        assertTrue(browser.eval("document.querySelectorAll('#answer pre code.language-python .hljs-keyword').length").asInt() >= 3,
                "python keywords coloured");
        assertEquals("def", browser.eval("document.querySelector('#answer pre code.language-python .hljs-keyword').textContent").asText());
        assertTrue(browser.eval("document.getElementById('ttft').textContent").asText().matches("\\d+ ms \\(model \\d+ ms\\)"));
        double tps = Double.parseDouble(browser.eval("document.getElementById('tps').textContent").asText());
        assertTrue(tps > 10 && tps < 1000, "tokens/s from the done event: " + tps);
        assertTrue(browser.events("Runtime.exceptionThrown").isEmpty(), browser.events("Runtime.exceptionThrown").toString());
    }

    @Test
    void page_stop_deletesTheStreamAndShowsCancelled() throws Exception {
        ask(CODE_PROMPT, "anthropic", "sse");
        await().atMost(Duration.ofSeconds(10)).until(() -> page().path("deltas").asInt() >= 5);
        String id = page().get("streamId").asText();
        browser.eval("document.getElementById('stop').click(); true");
        awaitState("cancelled");
        JsonNode page = page();
        assertEquals("cancelled", page.get("events").get(page.get("events").size() - 1).asText());
        String text = page.get("text").asText();
        String whole = expected(CODE_PROMPT);
        assertTrue(whole.startsWith(text) && text.length() < whole.length(), "stopped early: " + text.length() + " of " + whole.length());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.relay().activeStreams() == 0);
        assertEquals(0, fake.activeRequests() > 0 ? awaitFakeIdle() : 0);
        assertTrue(server.relay().contains(id));
    }

    private static int awaitFakeIdle() {
        await().atMost(Duration.ofSeconds(5)).until(() -> fake.activeRequests() == 0);
        return 0;
    }

    @Test
    void page_serverCutsTheSseConnection_showsReconnectAndResumesWithTheTextIntact() throws Exception {
        resumesAfterACut("sse");
    }

    @Test
    void page_serverCutsTheWebSocket_resumesWithTheTextIntact() throws Exception {
        resumesAfterACut("ws");
    }

    private static void resumesAfterACut(String transport) throws Exception {
        ask(CODE_PROMPT, "anthropic", transport);
        await().atMost(Duration.ofSeconds(10)).until(() -> page().path("deltas").asInt() >= 10);
        String id = page().get("streamId").asText();
        assertTrue(server.relay().dropClients(id));
        await().atMost(Duration.ofSeconds(10)).until(() -> page().path("reconnects").asInt() >= 1);
        awaitState("done");
        JsonNode page = page();
        assertTrue(page.get("error").isNull(), "no gap, no repeat: " + page.get("error"));
        assertEquals(expected(CODE_PROMPT), page.get("text").asText());
        assertTrue(browser.eval("document.getElementById('status').textContent").asText().startsWith("done"));
    }

    @Test
    void page_maliciousAnswer_executesNothingAndKeepsTheText() throws Exception {
        browser.eval("window.__pwned = undefined; true");
        int dialogs = browser.events("Page.javascriptDialogOpening").size();
        ask("anything", "evil", "sse");
        awaitState("done");
        browser.screenshot(ARTIFACTS.resolve("malicious-answer.png"));
        assertTrue(browser.eval("window.__pwned === undefined && window.parent.__pwned === undefined").asBoolean(),
                "something ran: " + browser.eval("String(window.__pwned)"));
        assertEquals(dialogs, browser.events("Page.javascriptDialogOpening").size(), "no alert");
        assertEquals(0, browser.eval("document.querySelectorAll('#answer script, #answer iframe, #answer style, #answer form, "
                + "#answer [onerror], #answer [onload], #answer [ontoggle], #answer [formaction], #answer [style]').length").asInt());
        assertEquals(0, browser.eval("[...document.querySelectorAll('#answer [href], #answer [src]')]"
                + ".filter(e => /^\\s*(javascript|data):/i.test(e.getAttribute('href') || e.getAttribute('src') || '')).length").asInt());
        assertEquals("https://example.com/", browser.eval("document.querySelector('#answer a[href^=\"https\"]').getAttribute('href')").asText());
        assertTrue(browser.eval("document.getElementById('answer').textContent").asText().contains("stays, and so does code"));
        assertFalse(browser.eval("getComputedStyle(document.body).display").asText().equals("none"));
        // clicking what is left of the links runs nothing either
        browser.eval("document.querySelectorAll('#answer a').forEach(a => { if (!a.href.startsWith('http')) a.click(); }); true");
        assertTrue(browser.eval("window.__pwned === undefined").asBoolean());
        Files.createDirectories(ARTIFACTS);
    }

    @Test
    void page_toolEvents_showProgressBarsAndFailures() throws Exception {
        ask("use the tools", "tools", "sse");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.eval("document.querySelectorAll('#tools li').length").asInt() == 2
                && browser.eval("document.querySelector('#tools li[data-id=\"t1\"] progress').value").asDouble() == 70);
        assertEquals("search_docs", browser.eval("document.querySelector('#tools li[data-id=\"t1\"] .name').textContent").asText());
        assertEquals("reading page 7 of 10", browser.eval("document.querySelector('#tools li[data-id=\"t1\"] .message').textContent").asText());
        assertFalse(browser.eval("document.querySelector('#tools li[data-id=\"t2\"] progress').hasAttribute('value')").asBoolean(),
                "no percent: an indeterminate bar");
        assertTrue(browser.eval("document.querySelector('#tools li[data-id=\"t2\"]').classList.contains('failed')").asBoolean());
        assertEquals("the service timed out", browser.eval("document.querySelector('#tools li[data-id=\"t2\"] .message').textContent").asText());
        browser.screenshot(ARTIFACTS.resolve("tool-progress.png"));
        toolGate.countDown();
        awaitState("done");
        assertEquals(100, browser.eval("document.querySelector('#tools li[data-id=\"t1\"] progress').value").asInt());
        assertEquals("3", browser.eval("document.querySelector('#answer strong').textContent").asText());
    }

    /** A provider whose answer is {@link #EVIL}, a chunk at a time. */
    private static final class Evil implements ChatProvider {
        @Override
        public EventStream<MessageChunk> stream(ChatRequest request) {
            return stream(request, StreamController.create());
        }

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
            return EventStream.<MessageChunk>builder().controller(controller).generate(emitter -> {
                for (String piece : EVIL) {
                    if (!emitter.emit(MessageChunk.builder(new ChunkMetadata("evil-1", Instant.now(), Duration.ofMillis(5))).text(piece).build())) return;
                }
            });
        }
    }
}
